import { computed, ref, type Ref } from 'vue'

/**
 * Rows drawn at a time in a long on-screen list. Element Plus tables draw every row they are
 * given: 今日待办 or F03's progress section of a center with thousands of open tickets took
 * seconds to appear and held the memory of every row. The most urgent rows come first, so a
 * clerk sees the top of the list at once and asks for more (or walks past the end with ↓).
 */
export const SHOWN_STEP = 100

export function useShown<T>(rows: Ref<T[]>, step = SHOWN_STEP) {
  const limit = ref(step)
  const shown = computed(() => rows.value.slice(0, limit.value))
  const remaining = computed(() => Math.max(0, rows.value.length - limit.value))
  return {
    shown,
    remaining,
    /** Draws `step` more rows. */
    more: () => { limit.value += step },
    /** Back to the first `step` rows (a new list, another filter). */
    reset: () => { limit.value = step },
    /** Makes sure row `i` is drawn (the keyboard cursor walked to it). */
    reach: (i: number) => { if (i >= limit.value) limit.value = (Math.floor(i / step) + 1) * step },
  }
}
