// What the window shows for times, money and lateness: China time whatever the PC's zone,
// money from integer fen without float rounding, lateness in the words the desk uses.
import { describe, expect, it } from 'vitest'
import { fmtDue, fmtFen, fmtLate, fmtTime, parseYuan, quarterOf } from '../src/format'

describe('fmtTime shows instants in China Standard Time', () => {
  it.each([
    ['UTC midnight is 08:00 in China', '2026-03-05T00:00:00Z', '2026-03-05 08:00'],
    ['late UTC evening is the next day in China', '2026-03-05T16:30:00Z', '2026-03-06 00:30'],
    ['year end rolls over', '2026-12-31T17:05:00Z', '2027-01-01 01:05'],
    ['empty stays empty', '', ''],
    ['junk is not shown as a date', 'not a time', ''],
  ])('%s', (_name, iso, shown) => {
    expect(fmtTime(iso)).toBe(shown)
  })
})

describe('fmtFen formats integer fen', () => {
  it.each([
    ['zero', 0, '¥0.00'],
    ['cents', 5, '¥0.05'],
    ['thousands separator', 123456, '¥1,234.56'],
    ['millions', 1234567890, '¥12,345,678.90'],
    ['negative', -1200, '-¥12.00'],
    ['nothing', null, ''],
  ])('%s', (_name, fen, shown) => {
    expect(fmtFen(fen)).toBe(shown)
  })
})

describe('parseYuan reads what people type as yuan', () => {
  it.each([
    ['plain', '1234.5', 123450],
    ['with separators and sign', '¥1,234.56', 123456],
    ['full-width digits', '１２．５', 1250],
    ['with 元', '12元', 1200],
    ['negative', '-3.2', -320],
    ['three decimals is not an amount', '1.234', null],
    ['words are not an amount', '十二元', null],
    ['empty', '', null],
  ])('%s', (_name, text, fen) => {
    expect(parseYuan(text)).toBe(fen)
  })
})

describe('fmtLate says how late', () => {
  it.each([
    ['not late', 0, ''],
    ['minutes', 40, '超时 40 分'],
    ['whole hours', 120, '超时 2 小时'],
    ['hours and minutes', 125, '超时 2 小时 5 分'],
    ['days and hours', 3 * 1440 + 4 * 60 + 7, '超时 3 天 4 小时'],
    ['whole days', 2 * 1440, '超时 2 天'],
  ])('%s', (_name, minutes, text) => {
    expect(fmtLate(minutes)).toBe(text)
  })
})

describe('fmtDue drops the date on the same local day', () => {
  it.each([
    ['same China day', '2026-03-05T06:30:00Z', '2026-03-05T01:00:00Z', '14:30'],
    ['same UTC day but the next China day', '2026-03-05T17:00:00Z', '2026-03-05T01:00:00Z', '03-06 01:00'],
  ])('%s', (_name, due, now, shown) => {
    expect(fmtDue(due, now)).toBe(shown)
  })
})

describe('quarterOf', () => {
  it.each([
    ['January', '2026-01-01', '2026Q1'],
    ['end of March', '2026-03-31', '2026Q1'],
    ['April', '2026-04-01', '2026Q2'],
    ['December', '2026-12-31', '2026Q4'],
  ])('%s', (_name, date, q) => {
    expect(quarterOf(date)).toBe(q)
  })
})
