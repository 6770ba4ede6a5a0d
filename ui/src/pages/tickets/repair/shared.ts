// Helpers for the repair-process dialogs (维修过程): running an action, local time text, image
// picking, the two-person PIN pair. The form helpers come from forms.ts.
export { useFieldErrors, enterSubmits, focusFirst } from '../../../forms'
import { ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { open } from '@tauri-apps/plugin-dialog'
import { useFieldErrors } from '../../../forms'
import { fmtTime } from '../../../format'
import type { TicketDetail } from '../../../bindings/TicketDetail'
import type { Role } from '../../../bindings/Role'
import { app } from '../../../session'

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

/**
 * Whether the signed-in person's role is one of `roles` (the desk's role lists, generated from
 * Rust): the panels offer a step only to those; the desk checks again and words any refusal.
 */
export function may(roles: readonly Role[]): boolean {
  const role = app.status?.session?.role
  return !!role && roles.includes(role)
}

/** Asks for one line of text in a prompt box; null when cancelled. */
export async function askText(message: string, title: string, placeholder = ''): Promise<string | null> {
  try {
    const r = await ElMessageBox.prompt(message, title, { inputPlaceholder: placeholder, confirmButtonText: '保存', cancelButtonText: '取消' })
    return r.value ?? ''
  } catch {
    return null
  }
}
