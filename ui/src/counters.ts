// The navigation's counters (今日待办 due / overdue, escalations): refreshed when the today's
// list loads and once a minute, so a deadline passing while the desk is open shows up.
import { reactive } from 'vue'
import { api } from './api'
import type { TodayCounters } from './bindings/TodayCounters'

export const counters = reactive<{ value: TodayCounters | null }>({ value: null })

export async function refreshCounters(known?: TodayCounters): Promise<void> {
  if (known) {
    counters.value = known
    return
  }
  try {
    counters.value = await api.todayCounters()
  } catch {
    // Counters are a convenience; the list itself reports errors.
  }
}
