// Display helpers. Instants arrive as UTC ISO strings and are shown in China Standard Time
// (UTC+8), whatever the PC's own time-zone setting says.
const CST_MS = 8 * 3600 * 1000

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const t = new Date(Date.parse(iso) + CST_MS)
  if (Number.isNaN(t.getTime())) return ''
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`
}

/** Now as local text for a form field (`2026-03-05 14:30`). */
export function nowLocalText(): string {
  return fmtTime(new Date().toISOString())
}

export function maskPhone(p: string): string {
  if (p.length <= 7) return '*'.repeat(p.length)
  return p.slice(0, 3) + '*'.repeat(p.length - 7) + p.slice(-4)
}

/** "超时 2 小时 5 分" / "超时 3 天 4 小时"; empty when not late. */
export function fmtLate(minutes: number): string {
  if (minutes <= 0) return ''
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  if (d > 0) return `超时 ${d} 天${h > 0 ? ` ${h} 小时` : ''}`
  if (h > 0) return `超时 ${h} 小时${m > 0 ? ` ${m} 分` : ''}`
  return `超时 ${m} 分`
}

/** `14:30` when the instant is today (local), else `11-26 14:30`. */
export function fmtDue(iso: string, nowIso: string): string {
  const full = fmtTime(iso)
  return full.slice(0, 10) === fmtTime(nowIso).slice(0, 10) ? full.slice(11) : full.slice(5)
}
