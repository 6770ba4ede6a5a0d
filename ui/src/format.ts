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

/** Fen → `¥1,234.56` (negative as `-¥12.00`); integer arithmetic, no float rounding. */
export function fmtFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return ''
  const neg = fen < 0
  const abs = Math.abs(Math.trunc(fen))
  const yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = (abs % 100).toString().padStart(2, '0')
  return `${neg ? '-' : ''}¥${yuan}.${cents}`
}

/** What a person typed as yuan (`1,234.5`, `¥12`) → fen, or null when it is not an amount. */
export function parseYuan(text: string): number | null {
  const t = text.replace(/[¥,，\s元]/g, '').replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null
  const [i, f = ''] = t.replace('-', '').split('.')
  const fen = Number(i) * 100 + Number(f.padEnd(2, '0'))
  return t.startsWith('-') ? -fen : fen
}

/** Today as `YYYY-MM-DD` in desk time (UTC+8). */
export function todayText(): string {
  return fmtTime(new Date().toISOString()).slice(0, 10)
}

/** The quarter a local date falls in, `2026Q3`. */
export function quarterOf(dateText: string): string {
  const [y, m] = dateText.split('-').map(Number)
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`
}

/** The last `n` quarters up to the current one, newest first, for pickers. */
export function recentQuarters(n: number): string[] {
  const [y, q] = quarterOf(todayText()).split('Q').map(Number)
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const k = y * 4 + (q - 1) - i
    out.push(`${Math.floor(k / 4)}Q${(k % 4) + 1}`)
  }
  return out
}
