//! How much the window's web engine keeps for later.
//!
//! WebKitGTK's default cache model is a web browser's: it keeps decoded images, pages and
//! scripts for going back, up to a share of the machine's memory (hundreds of MB on an 8 GB
//! office PC), and only lets go under memory pressure. The desk is one local page that never
//! navigates away, so it asks for the document viewer's model, which keeps almost nothing: a
//! day of print previews (each page a decoded image of 2–6 MB) and screens then leaves the web
//! process where it started instead of growing by the day (issue 16, the working day).
//!
//! On Windows, WebView2 manages its own caches; there is nothing to set.

/// Before the window exists: WebKitGTK draws without accelerated compositing unless told
/// otherwise (`WEBKIT_DISABLE_COMPOSITING_MODE` already set, to any value, wins). On office PCs
/// without a GPU driver — and under Xvfb — compositing runs on Mesa's software GL (llvmpipe) inside
/// the web process: measured, the app's processes started at 444 instead of 304 MB, ended a scripted
/// working day 150–300 MB higher, and thirty ticket pages took 16 s where 9 s do without.
/// A form-and-table desk loses nothing visible by drawing directly.
///
/// And it gives the web process a memory budget ([`WEB_MEMORY`]), read by our patched wry when
/// it creates the web context (vendor/wry/PATCH.md).
///
/// And it runs JavaScriptCore's collector in its small-memory mode (`JSC_forceMiniVMMode`: the
/// heap may grow by 27 % between collections instead of doubling, and every collection is a full
/// one). The desk's script heap is small (6 MB live), but each page left behind — its DOM and
/// render tree, decoded images, chart canvases — is freed only when a full collection finds its
/// script wrappers dead, and with the default growth that waited until the heap had reached
/// about 110 MB: the web process swung between 230 and 560 MB over a working day and sometimes
/// kept 500 MB through minutes of rest. In the small-memory mode it stayed at 233–260 MB all day
/// (measured with `JSC_logGC`: 139 full collections, none of more than 83 MB).
///
/// And it leaves out JavaScriptCore's optimizing compiler (`JSC_useDFGJIT=0`, which takes the FTL
/// tier above it too; the interpreter and the baseline compiler stay). Its compiled code and the
/// profiles it gathers were 15–25 MB of the web process at the end of a working day (three days
/// each way: 223–236 MB against 249–260). The cost, on the 1M database: the F03 page 408 → 623 ms
/// (target 1 s), a ticket's page 158 → 197 ms (300), 今日待办 327 → 344 ms (500), 统计分析
/// 384 → 421 ms (1.5 s); on the 200-ticket demo every screen 8–23 ms slower (medians of ten).
pub fn before_start() {
    #[cfg(target_os = "linux")]
    for (name, value) in
        [("WEBKIT_DISABLE_COMPOSITING_MODE", "1"), ("WRY_WEB_MEMORY_LIMIT_MB", WEB_MEMORY), ("JSC_forceMiniVMMode", "1"), ("JSC_useDFGJIT", "0")]
    {
        if std::env::var_os(name).is_none() {
            // Edition 2021: still a safe call; it runs on the main thread before any other thread
            // exists, so nothing reads the environment meanwhile.
            std::env::set_var(name, value);
        }
    }
}

/// The web process's memory budget: 300 MB, in "conservative" pressure above a third of it and
/// "strict" above half, looked at every 5 seconds. WebKit's own default budget is the machine's
/// RAM up to 3 GB, so on an office PC it never felt pressure below 1 GB and kept every page's
/// leftovers: a scripted working day took the web process from 170 to 360–420 MB, and each day
/// could end higher than the last. Under this budget it releases its caches, collects JavaScript
/// garbage and returns free pages every few seconds: each day ends at 240–260 MB, day 3 no higher
/// than day 2. Measured at rest, this costs the web process 0.16 s of CPU a minute (0.03 s
/// without the budget), under 0.3 % of one core.
#[cfg(target_os = "linux")]
const WEB_MEMORY: &str = "300,0.33,0.5,5";

/// Sets the smallest cache model on the window's web engine.
#[cfg(target_os = "linux")]
pub fn keep_little(window: &tauri::WebviewWindow) {
    let done = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
        if let Some(context) = webview.inner().context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    });
    if let Err(e) = done {
        // Only memory is at stake: the desk works the same with the default model.
        eprintln!("web engine cache model not set: {e}");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn keep_little(_window: &tauri::WebviewWindow) {}

/// When the window starts its page afresh (`ui/src/renew.ts`): after `quiet_seconds` without a
/// key, a click or a page change, once the page has changed `after_page_changes` times since it was
/// loaded, and only on 今日待办 or the sign-in screen with no dialog open and nothing typed.
/// Why, with the figures: the comment on `DEFAULT` in src-tauri/src/web_engine.rs.
#[derive(Clone, Copy, Debug, serde::Serialize, ts_rs::TS, PartialEq)]
#[ts(export)]
pub struct WindowRenew {
    /// 0: never.
    pub quiet_seconds: u32,
    pub after_page_changes: u32,
}

impl WindowRenew {
    // Why: over a working day WebKit's web process keeps memory the page has long let go of — its
    // DOM stayed at 808 elements and its script heap at 17 MB after each collection over ten scripted
    // days, yet the process held ~7 MB more each day, and a whole desk reached 433–451 MB by the ninth
    // and tenth day. A reload gives that back (the page's leftovers and WebKit's caches of them go
    // with the old document): with the window reloading itself in each pause between four scripted
    // days, they ended at 354, 367, 366, 370 MB and the web process went back to 188–191 MB after
    // each pause. A new web process would give back 30 MB more, but WebKit's WebDriver takes its end
    // for a crash and the E2E tests could no longer drive the window. The session lives in the app,
    // so the clerk finds the same page, signed in; five quiet minutes on 今日待办 is the desk waiting
    // for the next caller, and 100 page changes is about half a front desk's day.
    pub const DEFAULT: WindowRenew = WindowRenew { quiet_seconds: 300, after_page_changes: 100 };

    /// The default, or `WDESK_WINDOW_RENEW=<quiet seconds>,<page changes>` (the E2E tests wait
    /// seconds, not minutes; `0,0` turns renewal off). A value that does not read keeps the default.
    pub fn from_env() -> WindowRenew {
        std::env::var("WDESK_WINDOW_RENEW").ok().and_then(|v| Self::parse(&v)).unwrap_or(Self::DEFAULT)
    }

    fn parse(v: &str) -> Option<WindowRenew> {
        let (quiet, pages) = v.split_once(',')?;
        Some(WindowRenew { quiet_seconds: quiet.trim().parse().ok()?, after_page_changes: pages.trim().parse().ok()? })
    }
}

#[cfg(test)]
mod tests {
    use super::WindowRenew;

    #[test]
    fn the_renewal_can_be_tuned_or_turned_off_and_junk_keeps_the_default() {
        assert_eq!(WindowRenew::parse("5, 3"), Some(WindowRenew { quiet_seconds: 5, after_page_changes: 3 }));
        assert_eq!(WindowRenew::parse("0,0"), Some(WindowRenew { quiet_seconds: 0, after_page_changes: 0 }));
        assert_eq!(WindowRenew::parse("300"), None);
        assert_eq!(WindowRenew::parse("五分钟,100"), None);
        assert_eq!(WindowRenew::parse("-1,100"), None);
    }
}
