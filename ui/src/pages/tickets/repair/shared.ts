// Helpers for the repair-process dialogs (维修过程): server errors shown under the field they
// name, Enter-to-submit, focusing a dialog's first field, local time text, image picking.
import { reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import { open } from '@tauri-apps/plugin-dialog'
import { isDeskError, messageOf } from '../../../api'
import { fmtTime } from '../../../format'
import type { TicketDetail } from '../../../bindings/TicketDetail'

/** Errors shown under el-form-items (`:error="errors.note"`), keyed by the server's field name. */
export function useFieldErrors(aliases: Record<string, string> = {}) {
  const errors = reactive<Record<string, string>>({})
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  function show(e: unknown) {
    clear()
    const message = messageOf(e)
    ElMessage.error(message)
    if (isDeskError(e) && e.field) errors[aliases[e.field] ?? e.field] = message
  }
  return { errors, clear, show }
}

/**
 * Runs one action of a dialog: busy flag, field errors, success toast. Resolves to the new
 * detail, or null when it failed (the error is already shown).
 */
export function useAction(aliases: Record<string, string> = {}) {
  const { errors, clear, show } = useFieldErrors(aliases)
  const busy = ref(false)
  async function run(action: () => Promise<TicketDetail>, done: string | (() => string)): Promise<TicketDetail | null> {
    if (busy.value) return null
    busy.value = true
    clear()
    try {
      const d = await action()
      ElMessage.success(typeof done === 'string' ? done : done())
      return d
    } catch (e) {
      show(e)
      return null
    } finally {
      busy.value = false
    }
  }
  return { errors, clear, busy, run }
}

const TEXT_TYPES = ['text', 'password', 'number', 'tel', 'search', 'email', '']

/** keydown handler: Enter in a single-line text field submits (not in selects, textareas, IME). */
export function enterSubmits(submit: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.isComposing || e.keyCode === 229) return
    const t = e.target as HTMLInputElement | null
    if (!t || t.tagName !== 'INPUT' || !TEXT_TYPES.includes(t.type)) return
    if (t.closest('.el-select, .el-date-editor, .el-autocomplete, .el-select-v2')) return
    e.preventDefault()
    submit()
  }
}

/** Focuses the first enabled field inside `root` (call from el-dialog's `@opened`). */
export function focusFirst(root: HTMLElement | null | undefined) {
  const fields = root?.querySelectorAll<HTMLElement>(
    'input:not([disabled]):not([type=hidden]):not([type=radio]):not([type=checkbox]):not([readonly]), textarea:not([disabled])',
  )
  // Skip fields in hidden tab panes.
  const el = Array.from(fields ?? []).find((f) => f.offsetParent !== null)
  el?.focus()
}

/** Tomorrow 09:00 desk time (UTC+8) as form text, e.g. `2026-03-05 09:00`. */
export function tomorrowNine(): string {
  return `${fmtTime(new Date(Date.now() + 86400000).toISOString()).slice(0, 10)} 09:00`
}

/** Empty text → null (the desk reads null as "now" / "not given"). */
export function orNull(s: string): string | null {
  const t = s.trim()
  return t ? t : null
}

export const IMAGE_FILTER = [{ name: '图片', extensions: ['jpg', 'jpeg', 'png', 'webp', 'bmp', 'gif'] }]

/** Opens the system file dialog for images; [] when cancelled. */
export async function pickImages(multiple: boolean): Promise<string[]> {
  const picked = await open({ multiple, filters: IMAGE_FILTER })
  return Array.isArray(picked) ? picked : typeof picked === 'string' ? [picked] : []
}

/** The director and the CS supervisor's assistant, each with their own PIN (PinPair.vue). */
export type PinPairValue = { directorId: number | null; directorPin: string; csId: number | null; csPin: string }

export function emptyPinPair(): PinPairValue {
  return { directorId: null, directorPin: '', csId: null, csPin: '' }
}

/** Checks both people are chosen and both PINs typed; the Chinese problem, or null. */
export function pinPairProblem(p: PinPairValue): string | null {
  if (p.directorId === null) return '请选择保修主任'
  if (!p.directorPin) return '请保修主任输入 PIN'
  if (p.csId === null) return '请选择客服主管助理'
  if (!p.csPin) return '请客服主管助理输入 PIN'
  return null
}
