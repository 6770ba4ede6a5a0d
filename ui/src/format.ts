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
