// Form helpers every dialog uses: server errors shown under the field they name, Enter to
// submit, and focusing a dialog's first field.
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { isDeskError, messageOf } from './api'

/**
 * Errors shown under el-form-items (`:error="errors.name"`), keyed by the server's field
 * name. `aliases` maps a server field onto the form item that shows it.
 */
export function useFieldErrors(aliases: Record<string, string> = {}) {
  const errors = reactive<Record<string, string>>({})
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  /** Shows the server's message and, when it names a field, marks that field. */
  function show(e: unknown) {
    clear()
    const message = messageOf(e)
    ElMessage.error(message)
    if (isDeskError(e) && e.field) errors[aliases[e.field] ?? e.field] = message
  }
  return { errors, clear, show }
}

const TEXT_TYPES = ['text', 'password', 'number', 'tel', 'search', 'email', '']

/**
 * A keydown handler for a form: Enter in a single-line text field submits. Enter in a select,
 * date picker or textarea keeps its own meaning, and Enter that ends an IME composition
 * (typing Chinese) does nothing.
 */
export function enterSubmits(submit: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.isComposing || e.keyCode === 229) return
    // Ctrl+Enter saves from anywhere in the dialog, a multi-line field included.
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault()
      submit()
      return
    }
    const t = e.target as HTMLInputElement | null
    if (!t || t.tagName !== 'INPUT' || !TEXT_TYPES.includes(t.type)) return
    if (t.closest('.el-select, .el-date-editor, .el-autocomplete, .el-select-v2')) return
    e.preventDefault()
    submit()
  }
}

/** Focuses the first visible, enabled text field inside `root` (from el-dialog's `@opened`). */
export function focusFirst(root: HTMLElement | null | undefined) {
  const fields = root?.querySelectorAll<HTMLElement>(
    'input:not([disabled]):not([type=hidden]):not([type=radio]):not([type=checkbox]):not([readonly]), textarea:not([disabled])',
  )
  // Skip fields in hidden tab panes.
  const el = Array.from(fields ?? []).find((f) => f.offsetParent !== null)
  el?.focus()
}
