//! The E2E harness: a demo database in a temp folder, tauri-driver on a free port pair, the
//! built app (`target/debug/warranty-desk`, built with the UI embedded) and small helpers that
//! wait for what a person would wait for.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test harness: a failure here should stop the test loudly

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct App {
    pub client: Client,
    driver: Child,
    pub data: tempfile::TempDir,
    _xdg: tempfile::TempDir,
}

fn app_binary() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin = root.join("target/debug/warranty-desk");
    assert!(bin.exists(), "the app is not built: run scripts/test-all.sh (it builds {})", bin.display());
    bin.canonicalize().unwrap()
}

fn wait_port(port: u16, limit: Duration) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < limit, "port {port} did not open within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl App {
    /// Starts the app over a fresh demo database. `port` must differ per test (tests run in parallel
    /// threads): tauri-driver listens on `port`, WebKitWebDriver on `port + 1`.
    pub async fn start(port: u16) -> App {
        Self::start_with(port, |_| {}).await
    }

    /// [`App::start`] with `setup` run on the demo's data folder before the app opens it.
    pub async fn start_with(port: u16, setup: impl FnOnce(&std::path::Path)) -> App {
        Self::start_with_env(port, &[], setup).await
    }

    /// [`App::start_with`] with `env` set for the app (e.g. `WDESK_WINDOW_RENEW`).
    pub async fn start_with_env(port: u16, env: &[(&str, &str)], setup: impl FnOnce(&std::path::Path)) -> App {
        let data = tempfile::tempdir().unwrap();
        desk_service::demo::create(data.path(), false, chrono::Utc::now()).unwrap();
        setup(data.path());
        let xdg = tempfile::tempdir().unwrap();
        let driver = Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()))
            .args(["--port", &port.to_string(), "--native-port", &(port + 1).to_string()])
            .env("WDESK_DATA_DIR", data.path())
            .env("XDG_DATA_HOME", xdg.path())
            // With WebKitGTK's compositing off (the desk's Linux default, src-tauri/src/web_engine.rs)
            // WebKitWebDriver's screenshots and commands sometimes stop answering (after a window
            // resize always); the window itself draws fine. The tests drive it with compositing on.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "0")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // A process group of its own: WebKitWebDriver and the app it starts join it, so the
            // whole group can be stopped when a test fails (see `Drop`).
            .process_group(0)
            .spawn()
            .expect("tauri-driver must be installed (cargo install tauri-driver --version '^2')");
        wait_port(port, Duration::from_secs(20));
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": app_binary().display().to_string() }
        });
        let mut client = None;
        let start = Instant::now();
        while client.is_none() {
            match ClientBuilder::native().capabilities(caps.as_object().unwrap().clone()).connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(c) => client = Some(c),
                Err(e) => {
                    assert!(start.elapsed() < Duration::from_secs(30), "could not start a WebDriver session: {e}");
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
            }
        }
        let app = App { client: client.unwrap(), driver, data, _xdg: xdg };
        app.wait_router_ready().await;
        app
    }

    /// Waits for the router's first navigation (`/` → `/today`, its page loaded on demand) to
    /// finish. Until then the router does not listen to the address: a test that sets
    /// `location.hash` sooner is overwritten by `#/today` when that navigation lands (seen under
    /// load, where loading the page's code takes seconds).
    async fn wait_router_ready(&self) {
        let start = Instant::now();
        loop {
            let hash = self.client.execute("return location.hash", vec![]).await.ok();
            if hash.as_ref().and_then(|v| v.as_str()) == Some("#/today") {
                return;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("the window never reached 今日待办 ({hash:?}); {}", self.where_we_are().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until an element matching `css` is displayed, and returns it.
    pub async fn el(&self, css: &str) -> Element {
        let start = Instant::now();
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                if e.is_displayed().await.unwrap_or(false) {
                    return e;
                }
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("element {css} did not appear; {}", self.where_we_are().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The rendered text of an element (WebDriver's own text call returns "" for Element Plus cells).
    /// A handle Vue has since replaced reads as "" (callers that wait simply look again).
    pub async fn text(&self, e: &Element) -> String {
        let Ok(arg) = serde_json::to_value(e) else { return String::new() };
        match self.client.execute("return arguments[0].innerText", vec![arg]).await {
            Ok(v) => v.as_str().unwrap_or_default().to_string(),
            Err(_) => String::new(),
        }
    }

    /// The rendered text of the first element matching `css`, read inside the page in one step
    /// so a re-render between finding and reading cannot leave a stale handle.
    pub async fn text_of(&self, css: &str) -> Option<String> {
        let v = self.client.execute("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", vec![css.into()]).await.ok()?;
        v.as_str().map(str::to_string)
    }

    /// Waits until the element's text contains `needle`, and returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let shown = self.text_of(css).await;
            if let Some(t) = &shown {
                if t.contains(needle) {
                    return t.clone();
                }
            }
            if start.elapsed() > Duration::from_secs(15) {
                let shot = self.screenshot("timeout").await;
                let page = self.where_we_are().await;
                panic!("{css} never showed «{needle}»; it shows {shown:?} (screenshot: {shot}); {page}");
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Where the window is and what it says, for a failure's message: a CI log has no screenshot.
    pub async fn where_we_are(&self) -> String {
        let js = "return location.hash + ' | ' + [...document.querySelectorAll('.el-message, .el-dialog, .el-message-box')].map(e => e.innerText).join(' / ') + ' | ' + document.body.innerText.slice(0, 600)";
        match self.client.execute(js, vec![]).await {
            Ok(v) => format!("the page: {}", v.as_str().unwrap_or_default().replace('\n', " ")),
            Err(e) => format!("the page could not be read: {e}"),
        }
    }

    /// Saves what the window shows to `target/e2e-<name>.png` and returns the path.
    pub async fn screenshot(&self, name: &str) -> String {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../target/e2e-{name}.png"));
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(&path, png);
        }
        path.display().to_string()
    }

    /// Clicks like a person; when a toast or tooltip lies over the element, clicks it through
    /// the DOM instead (a person would wait a second for the toast to go).
    /// An element Vue replaced between finding and clicking is found again and clicked.
    pub async fn click(&self, css: &str) {
        let start = Instant::now();
        loop {
            let e = self.el(css).await;
            if e.clone().click().await.is_ok() {
                return;
            }
            let arg = serde_json::to_value(&e).expect("an element handle is plain JSON");
            if self.client.execute("arguments[0].click()", vec![arg]).await.is_ok() {
                return;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("could not click {css}; {}", self.where_we_are().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Empties the field the way a person would (so Vue's v-model sees it), then types `text`.
    /// A field Vue replaced meanwhile is found again.
    pub async fn type_in(&self, css: &str, text: &str) {
        let start = Instant::now();
        loop {
            let e = self.el(css).await;
            let arg = vec![serde_json::to_value(&e).expect("an element handle is plain JSON")];
            let cleared = self.client.execute("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));", arg).await;
            if cleared.is_ok() && e.send_keys(text).await.is_ok() {
                return;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("could not type into {css}; {}", self.where_we_are().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the visible dropdown option of an Element Plus select whose text contains `label`.
    pub async fn choose_option(&self, select_css: &str, label: &str) {
        self.click(select_css).await;
        let xpath = format!("//li[contains(@class,'el-select-dropdown__item')][contains(., '{label}')]");
        let start = Instant::now();
        loop {
            if let Ok(items) = self.client.find_all(Locator::XPath(&xpath)).await {
                for i in items {
                    if i.is_displayed().await.unwrap_or(false) {
                        i.click().await.unwrap();
                        return;
                    }
                }
            }
            assert!(start.elapsed() < Duration::from_secs(10), "option «{label}» did not appear");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the one visible option of an open select list that contains `label` (after typing
    /// into a filterable select: the list then holds only that option, so a list still scrolling
    /// open cannot put the click on a neighbour).
    pub async fn pick_visible_option(&self, label: &str) {
        let script = "const items = [...document.querySelectorAll('.el-select-dropdown__item')]
                          .filter(i => i.offsetParent !== null && i.innerText.includes(arguments[0]));
                      if (items.length === 1) { items[0].click(); return true; } return false;";
        let start = Instant::now();
        while self.client.execute(script, vec![json!(label)]).await.unwrap() != json!(true) {
            assert!(start.elapsed() < Duration::from_secs(10), "option «{label}» did not appear alone in the list");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Opens a ticket's page the way a clerk does: 报修单, its number in the search box, the row.
    pub async fn open_ticket(&self, no: &str) {
        self.click("#nav-tickets").await;
        self.type_in("#ticket-search", &format!("{no}{ENTER}")).await;
        self.wait_text("#ticket-table", no).await;
        self.click(".ticket-no").await;
        self.wait_text("#detail-no", no).await;
    }

    /// Signs out and signs in as the demo user `name` (the demo PIN).
    pub async fn sign_in_as(&self, name: &str) {
        self.click("#sign-out").await;
        self.type_in("#signin-user", name).await;
        self.pick_visible_option(name).await;
        self.type_in("#signin-pin", desk_service::demo::DEMO_PIN).await;
        self.click("#signin-submit").await;
        self.wait_text("#current-user", name).await;
    }

    /// Whether the page ran a script planted in user text (XSS canary).
    pub async fn canary_fired(&self) -> bool {
        let v = self.client.execute("return !!window.__pwned", vec![]).await.unwrap();
        v.as_bool().unwrap_or(false)
    }

    pub async fn stop(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for App {
    /// Also on a failed assertion: SIGTERM to tauri-driver's process group stops it,
    /// WebKitWebDriver and the app. To tauri-driver alone, the app of a failed test lived on as an
    /// orphan (seen after failures: several apps left on the display). SIGKILL would leave the
    /// native port busy for the next test.
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.driver.wait();
    }
}

pub const ENTER: &str = "\u{E007}";
