// The rules the window runs itself (money as it is typed and shown, line amounts, quarters) must
// answer as Rust does: the cases are generated from desk_domain by `cargo test -p warranty-desk`
// into src/generated/cases.ts. The labels and role lists come from Rust too (generated/labels.ts,
// generated/rules.ts); the checks below catch a map that lost a code or a list that went empty.
import { describe, expect, it } from 'vitest'
import { fmtFen, lineAmountFen, parseQuantityMilli, parseYuan, quarterOf, quartersBack } from '../src/format'
import { FEN_FORMAT_CASES, LINE_AMOUNT_CASES, QUANTITY_PARSE_CASES, QUARTER_OF_CASES, QUARTER_SEQUENCE, YUAN_PARSE_CASES } from '../src/generated/cases'
import { dutyLabel, options, roleLabel, statusLabel, statusTag, urgencyLabel, urgencyTag } from '../src/labels'
import { COUNTERSIGN_ROLE_CHOICES, HAND_RAISED_ESCALATIONS, STEWARD_ROLES } from '../src/generated/rules'

describe('fmtFen shows fen as Rust Display of Fen does', () => {
  it.each(FEN_FORMAT_CASES.map(([fen, text]) => [fen, text] as const))('%d → %s', (fen, text) => {
    expect(fmtFen(fen)).toBe(text)
  })
})

describe('parseYuan reads typed money as Fen::parse_text does', () => {
  it.each(YUAN_PARSE_CASES.map(([text, fen]) => [JSON.stringify(text), text, fen] as const))('%s', (_name, text, fen) => {
    expect(parseYuan(text)).toBe(fen)
  })
})

describe('parseQuantityMilli reads quantities as parse_quantity_milli does', () => {
  it.each(QUANTITY_PARSE_CASES.map(([text, milli]) => [JSON.stringify(text), text, milli] as const))('%s', (_name, text, milli) => {
    expect(parseQuantityMilli(text)).toBe(milli)
  })
})

describe('lineAmountFen rounds as line_amount does', () => {
  it.each(LINE_AMOUNT_CASES.map(([q, p, fen]) => [q, p, fen] as const))('%d‰ × %d fen', (q, p, fen) => {
    expect(lineAmountFen(q, p)).toBe(fen)
  })
})

describe('quarters follow Quarter::of and Quarter::next', () => {
  it.each(QUARTER_OF_CASES.filter(([, q]) => q !== null).map(([d, q]) => [d, q] as const))('%s is in %s', (date, q) => {
    expect(quarterOf(date)).toBe(q)
  })
  it('walks the sequence backwards', () => {
    const seq = QUARTER_SEQUENCE.map(([q]) => q)
    expect(quartersBack(seq[seq.length - 1], seq.length)).toEqual([...seq].reverse())
  })
})

describe('labels and lists come from Rust', () => {
  it('every status and urgency has a label and a tag colour', () => {
    expect(Object.keys(statusTag).sort()).toEqual(Object.keys(statusLabel).sort())
    expect(Object.keys(urgencyTag).sort()).toEqual(Object.keys(urgencyLabel).sort())
  })
  it('a duty tag is short', () => {
    expect(dutyLabel.UnreachableClose).toBe('失联关闭')
  })
  it('options keep the declared order', () => {
    expect(options(statusLabel)[0]).toEqual({ value: 'Reported', label: '已报修' })
  })
  it('the role lists name known roles', () => {
    for (const r of [...STEWARD_ROLES, ...COUNTERSIGN_ROLE_CHOICES]) expect(roleLabel[r]).toBeTruthy()
    expect(STEWARD_ROLES).toContain('Steward')
    expect(COUNTERSIGN_ROLE_CHOICES).not.toContain('FrontDesk')
    expect(HAND_RAISED_ESCALATIONS.length).toBeGreaterThan(0)
  })
})
