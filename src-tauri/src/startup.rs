//! When the window cannot start: one Chinese sentence saying why and what to do — on stderr,
//! and in a message box where a desktop exists (a release build on Windows has no console, so
//! stderr alone would be silence) — then a clean exit with code 1. Never a Rust backtrace.
//!
//! Checked before Tauri starts: a Linux session without a display (GTK would panic), and on
//! Windows the WebView2 runtime that draws the window (registry keys Microsoft documents for
//! detecting it). Anything that still goes wrong while starting is caught by the panic hook.
//! `WDESK_NO_DIALOG=1` writes to stderr only (used by the Wine check in CI, which has no
//! desktop to click a box away).

/// What the user reads when WebView2 is missing.
pub const WEBVIEW2_MISSING: &str = "无法启动保修中心工作台：本机没有安装 Microsoft Edge WebView2 运行时（用于显示程序窗口）。\n\n\
请联系 IT：在能上网的电脑上从 https://developer.microsoft.com/zh-cn/microsoft-edge/webview2/ 下载「常青版独立安装程序」x64 \
（MicrosoftEdgeWebView2RuntimeInstallerX64.exe），拷到本机运行安装后，再打开本程序。\n\
也可以把它放在保修中心工作台安装程序旁边，重新运行安装程序，会自动安装。";

/// What the user reads when there is no graphical display (Linux without X11/Wayland).
pub const NO_DISPLAY: &str = "无法启动保修中心工作台：没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY）。\
请在桌面环境中打开本程序；命令行操作请使用 wdesk。";

/// Tells the user why the app cannot start, and exits with code 1.
pub fn fail(message: &str) -> ! {
    eprintln!("{message}");
    if std::env::var_os("WDESK_NO_DIALOG").is_none() && desktop_available() {
        rfd::MessageDialog::new()
            .set_level(rfd::MessageLevel::Error)
            .set_title("保修中心工作台")
            .set_description(message)
            .set_buttons(rfd::MessageButtons::Ok)
            .show();
    }
    std::process::exit(1)
}

/// Checks what must be there before any window is made; returns the sentence to show if not.
pub fn preflight() -> Option<&'static str> {
    if !desktop_available() {
        return Some(NO_DISPLAY);
    }
    if !webview2_installed() {
        return Some(WEBVIEW2_MISSING);
    }
    None
}

/// A panic while starting or running shows one sentence (and where, for IT) instead of a
/// backtrace; the process then ends as Rust does after a panic in the main thread.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what =
            info.payload().downcast_ref::<&str>().map(|s| (*s).to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned()).unwrap_or_default();
        let place = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let sentence = if !webview2_installed() {
            WEBVIEW2_MISSING.to_string()
        } else {
            format!("保修中心工作台遇到内部错误，已停止。数据已保存在数据库中，重新打开即可继续。\n请把下面这行告诉 IT：\n{what}（{place}）")
        };
        fail(&sentence);
    }));
}

#[cfg(target_os = "linux")]
fn desktop_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

#[cfg(not(target_os = "linux"))]
fn desktop_available() -> bool {
    true
}

/// WebView2 is installed when one of the keys Microsoft documents for detection holds a
/// version other than 0.0.0.0, or IT pointed `WEBVIEW2_BROWSER_EXECUTABLE_FOLDER` at a
/// fixed-version runtime.
#[cfg(windows)]
fn webview2_installed() -> bool {
    use winreg::enums::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};
    use winreg::RegKey;
    const CLIENT: &str = r"Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}";
    if std::env::var_os("WEBVIEW2_BROWSER_EXECUTABLE_FOLDER").is_some() {
        return true;
    }
    let places = [
        (HKEY_LOCAL_MACHINE, format!(r"SOFTWARE\WOW6432Node\{CLIENT}")),
        (HKEY_LOCAL_MACHINE, format!(r"SOFTWARE\{CLIENT}")),
        (HKEY_CURRENT_USER, format!(r"Software\{CLIENT}")),
    ];
    places
        .iter()
        .any(|(root, path)| RegKey::predef(*root).open_subkey(path).and_then(|k| k.get_value::<String, _>("pv")).is_ok_and(|v| !v.is_empty() && v != "0.0.0.0"))
}

#[cfg(not(windows))]
fn webview2_installed() -> bool {
    true
}
