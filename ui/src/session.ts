// The signed-in user and the desk's start-up status, shared by every page.
import { reactive } from 'vue'
import type { AppStatus } from './bindings/AppStatus'
import type { Project } from './bindings/Project'
import { api } from './api'

export const app = reactive<{ status: AppStatus | null; project: Project | null; loadError: string }>({
  status: null,
  project: null,
  loadError: '',
})

export async function refreshStatus(): Promise<void> {
  app.status = await api.appStatus()
  if (app.status.session && !app.status.open_error) {
    try {
      app.project = await api.activeProject()
    } catch {
      app.project = null
    }
  }
}
