// Long jobs (imports, exports, statistics, backups): the page starts one with a fresh id, the
// desk reports `job-progress` events {job, done, total, label} while it runs, and 取消 asks it
// to stop where nothing has been written yet. <JobProgress :job="…" /> shows the state.
import { reactive } from 'vue'
import { listen } from '@tauri-apps/api/event'
import type { JobProgress } from './bindings/JobProgress'
import { api, isDeskError } from './api'

export interface JobState {
  /** What the job does, in the title of the progress box ("导入保修金明细账"). */
  title: string
  /** Whether 取消 is offered (false where the job writes as it goes, e.g. a restore). */
  cancellable: boolean
  id: string
  running: boolean
  cancelling: boolean
  done: number
  /** 0 while the desk does not know the total yet. */
  total: number
  label: string
  startedAt: number
}

export type Job = ReturnType<typeof useJob>

let counter = 0
function newId(): string {
  counter += 1
  return `job-${Date.now().toString(36)}-${counter}`
}

/** True when a job ended because the user cancelled it (nothing was written). */
export function isCancelled(e: unknown): boolean {
  return isDeskError(e) && e.kind === 'Cancelled'
}

export function useJob(title: string, cancellable = true) {
  const state = reactive<JobState>({ title, cancellable, id: '', running: false, cancelling: false, done: 0, total: 0, label: '', startedAt: 0 })

  /** Runs `f` with a new job id, following its progress until it settles. */
  async function run<T>(f: (job: string) => Promise<T>, title?: string): Promise<T> {
    const id = newId()
    Object.assign(state, { id, running: true, cancelling: false, done: 0, total: 0, label: '正在开始…', startedAt: Date.now() })
    if (title) state.title = title
    const unlisten = await listen<JobProgress>('job-progress', (e) => {
      if (e.payload.job !== id) return
      state.done = e.payload.done
      state.total = e.payload.total
      state.label = e.payload.label
    })
    try {
      return await f(id)
    } finally {
      unlisten()
      state.running = false
    }
  }

  async function cancel() {
    if (!state.running || state.cancelling) return
    state.cancelling = true
    await api.cancelJob(state.id)
  }

  return { state, run, cancel }
}
