// The window loads its page afresh when the desk has been quiet a while, so that a desk left open
// all week does not carry every day's leftovers in the web engine (issue 16: the web process kept
// ~7 MB more each day that no page could free; a reload gives it back). When, and why those
// numbers: `WindowRenew` in src-tauri/src/web_engine.rs.
//
// Only where nothing would be lost: on 今日待办 or the sign-in screen, with no dialog open and
// nothing typed in a box. The session lives in the app, so after the reload the clerk is still
// signed in on the same page.
import type { Router } from 'vue-router'
import type { WindowRenew } from './bindings/WindowRenew'

/** The pages a reload redraws as they were: the desk's home and the sign-in screen. */
const HOME = '/today'

/** Whether a reload now would lose nothing the clerk sees or typed. */
export function nothingWouldBeLost(path: string, signedIn: boolean): boolean {
  if (signedIn && path !== HOME) return false
  // An open dialog, message box or drawer (Element Plus draws each over an overlay).
  // Shown means laid out: a closed one is kept with display: none (itself or its overlay).
  const overlays = document.querySelectorAll<HTMLElement>('.el-overlay, .el-message-box, .el-drawer')
  if ([...overlays].some((e) => e.getClientRects().length > 0)) return false
  // Anything typed: a search word, a PIN half entered.
  const boxes = document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input:not([readonly]):not([type=checkbox]):not([type=radio]), textarea')
  return ![...boxes].some((b) => b.value !== '' && b.getClientRects().length > 0)
}

/**
 * Starts watching for quiet. `isSignedIn` is asked at each look (a clerk may sign out meanwhile).
 * Returns a function that stops watching (for tests).
 */
export function watchForRenewal(router: Router, renew: WindowRenew, isSignedIn: () => boolean, reload = () => location.reload()): () => void {
  if (renew.quiet_seconds <= 0 || renew.after_page_changes <= 0) return () => {}
  let last = Date.now()
  let pageChanges = 0
  const touched = () => { last = Date.now() }
  const inputs = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const
  for (const type of inputs) window.addEventListener(type, touched, { capture: true, passive: true })
  const stopRouter = router.afterEach(() => { pageChanges += 1; touched() })
  // Looked at four times within the quiet time (at most once a minute), so the reload comes at
  // most a quarter of it late.
  const every = Math.min(60_000, Math.max(500, (renew.quiet_seconds * 1000) / 4))
  const timer = window.setInterval(() => {
    const quiet = Date.now() - last >= renew.quiet_seconds * 1000
    if (quiet && pageChanges >= renew.after_page_changes && nothingWouldBeLost(router.currentRoute.value.path, isSignedIn())) {
      window.clearInterval(timer)
      reload()
    }
  }, every)
  return () => {
    window.clearInterval(timer)
    stopRouter()
    for (const type of inputs) window.removeEventListener(type, touched, { capture: true })
  }
}
