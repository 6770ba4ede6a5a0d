// Helpers of the master-data pages (基础资料): the shared form helpers, and phone lists.
export { useFieldErrors, enterSubmits, focusFirst } from '../../forms'

/** `138…, 139…` / `138…、139…` / spaces → separate numbers. */
export function splitPhones(text: string): string[] {
  return text.split(/[,，、;；\s]+/).map((p) => p.trim()).filter((p) => p.length > 0)
}

export function joinPhones(phones: string[]): string {
  return phones.join('、')
}
