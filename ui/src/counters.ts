// The navigation's counters (今日待办 due / overdue, escalations): refreshed when the today's
// list loads, after each page change and once a minute, so a deadline passing while the desk is
// open shows up.
import { reactive } from 'vue'
import { api } from './api'
import type { TodayCounters } from './bindings/TodayCounters'

export const counters = reactive<{ value: TodayCounters | null }>({ value: null })

/** Asks the desk for the counters. */
type Ask = () => Promise<TodayCounters>

let asking: Promise<void> | null = null
let askAgain = false
// Bumped whenever counters arrive: an answer asked for before newer counters is not shown.
let version = 0

/**
 * Shows `known` counters (今日待办 brings its own), or asks the desk. At most one question is
 * under way: asked again meanwhile, it asks once more when the answer is in. A storm of page
 * changes (measured: 800 in a second, when the address is set from outside and the router
 * bounces) would otherwise have the desk work out every open ticket's duties 800 times at once.
 */
export function refreshCounters(known?: TodayCounters, ask: Ask = () => api.todayCounters()): Promise<void> {
  if (known) {
    version++
    counters.value = known
    return Promise.resolve()
  }
  if (asking) {
    askAgain = true
    return asking
  }
  asking = (async () => {
    try {
      do {
        askAgain = false
        const asked = version
        try {
          const answer = await ask()
          if (asked === version) {
            version++
            counters.value = answer
          }
        } catch {
          // Counters are a convenience; the list itself reports errors.
        }
      } while (askAgain)
    } finally {
      asking = null
    }
  })()
  return asking
}
