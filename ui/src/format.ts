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

// Money and quarters are Rust's rules (desk_domain::money, fund::payment, fund::ledger::Quarter)
// that the window must run as a person types or a table paints, so they are written again here —
// and ui/tests/rules.test.ts checks every function below against the cases Rust answers
// (ui/src/generated/cases.ts, written by `cargo test -p warranty-desk`), so they cannot drift.
// Amounts stay within Number.MAX_SAFE_INTEGER fen (¥90 万亿); beyond it they are refused.

/** Fen → `¥1,234.56` (negative as `-¥12.00`); integer arithmetic, no float rounding (Display of Fen). */
export function fmtFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return ''
  const neg = fen < 0
  const abs = Math.abs(Math.trunc(fen))
  const yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = (abs % 100).toString().padStart(2, '0')
  return `${neg ? '-' : ''}¥${yuan}.${cents}`
}

/** Full-width forms, the ideographic space, ￥ and the Unicode minus → ASCII (money::to_half_width). */
function halfWidth(c: string): string {
  if (c === '\u3000') return ' '
  if (c === '\uFFE5') return '¥'
  if (c === '\u2212') return '-'
  const code = c.charCodeAt(0)
  return code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : c
}

/** Rust's `char::is_whitespace` (Unicode White_Space). */
function isWhite(c: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c)
}

/** What a person typed, half-width and without spaces. */
function typed(text: string): string {
  return Array.from(text, halfWidth).filter((c) => !isWhite(c)).join('')
}

const CHINESE_NUMERALS = '零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟整角分'

/** `1,234,567` → `1234567`; commas must group by three (else null). */
function stripThousands(s: string): string | null {
  if (!/^[0-9,]*$/.test(s)) return null
  if (!s.includes(',')) return s
  const groups = s.split(',')
  if (groups[0].length < 1 || groups[0].length > 3 || groups.slice(1).some((g) => g.length !== 3)) return null
  return groups.join('')
}

/**
 * What a person typed as yuan → fen, or null when it is not an amount (Fen::parse_text):
 * `1,234.5`, `¥12`, `12元`, `RMB 12.30`, full-width digits, `-3.2`, `-¥3.2`, accounting `(100)`;
 * at most two decimals, no Chinese numerals.
 */
export function parseYuan(text: string): number | null {
  const s = typed(text)
  if (s === '' || Array.from(s).some((c) => CHINESE_NUMERALS.includes(c))) return null
  let neg = false
  let body = s
  if (body.length >= 2 && body.startsWith('(') && body.endsWith(')')) {
    neg = true
    body = body.slice(1, -1)
  }
  // The sign may stand before or after the currency symbol: -¥100, ¥-100.
  const takeMinus = (): boolean => {
    if (!body.startsWith('-')) return true
    if (neg) return false
    neg = true
    body = body.slice(1)
    return true
  }
  if (!takeMinus()) return null
  const prefix = ['¥', 'RMB', 'CNY', 'rmb', 'cny'].find((p) => body.startsWith(p))
  if (prefix) body = body.slice(prefix.length)
  if (!takeMinus()) return null
  const suffix = ['人民币元', '元', 'RMB', 'CNY'].find((x) => body.endsWith(x))
  if (suffix) body = body.slice(0, body.length - suffix.length)
  const dot = body.indexOf('.')
  const int = dot < 0 ? body : body.slice(0, dot)
  const frac = dot < 0 ? '' : body.slice(dot + 1)
  if ((int === '' && frac === '') || !/^[0-9]*$/.test(frac) || frac.length > 2) return null
  const digits = stripThousands(int)
  if (digits === null) return null
  const fen = (digits === '' ? 0 : Number(digits)) * 100 + Number(frac.padEnd(2, '0'))
  if (!Number.isSafeInteger(fen)) return null
  return neg && fen !== 0 ? -fen : fen
}

/** A typed quantity → thousandths (`2.5` → 2500), or null; at most three decimals (parse_quantity_milli). */
export function parseQuantityMilli(text: string): number | null {
  const t = typed(text)
  const dot = t.indexOf('.')
  const int = dot < 0 ? t : t.slice(0, dot)
  const frac = dot < 0 ? '' : t.slice(dot + 1)
  if ((int === '' && frac === '') || !/^[0-9]*$/.test(int) || !/^[0-9]*$/.test(frac) || frac.length > 3) return null
  const milli = (int === '' ? 0 : Number(int)) * 1000 + Number(frac.padEnd(3, '0'))
  return Number.isSafeInteger(milli) ? milli : null
}

/** Quantity (thousandths) × unit price (fen), rounded half away from zero to the fen (line_amount). */
export function lineAmountFen(quantityMilli: number, unitPriceFen: number): number | null {
  const p = quantityMilli * unitPriceFen
  if (!Number.isSafeInteger(p)) return null
  const r = p % 1000
  const q = (p - r) / 1000
  return Math.abs(r) * 2 >= 1000 ? q + Math.sign(p) : q
}

/** Today as `YYYY-MM-DD` in desk time (UTC+8). */
export function todayText(): string {
  return fmtTime(new Date().toISOString()).slice(0, 10)
}

/** The quarter a local date falls in, `2026Q3` (Quarter::of). */
export function quarterOf(dateText: string): string {
  const [y, m] = dateText.split('-').map(Number)
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`
}

/** `n` quarters from `quarter` (`2026Q3`) backwards, newest first. */
export function quartersBack(quarter: string, n: number): string[] {
  const [y, q] = quarter.split('Q').map(Number)
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const k = y * 4 + (q - 1) - i
    out.push(`${Math.floor(k / 4)}Q${(k % 4) + 1}`)
  }
  return out
}

/** The last `n` quarters up to the current one, newest first, for pickers. */
export function recentQuarters(n: number): string[] {
  return quartersBack(quarterOf(todayText()), n)
}
