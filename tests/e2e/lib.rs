//! desk-e2e — end-to-end tests: the real built app in a real webview (WebKitGTK), driven
//! through tauri-driver + WebKitWebDriver with fantoccini. Run by `scripts/test-all.sh`, which
//! builds the app, starts Xvfb and installs tauri-driver; see `tests/common/mod.rs`.
