//! Screens as a clerk feels them (issue 16): the real app in its real window, driven through
//! tauri-driver like the E2E tests, over a database you give it. Prints JSON figures.
//!
//! ```text
//! cargo run -p desk-e2e --example screens -- --data DIR [--app target/release/warranty-desk] [--runs 10] [--port 5200]
//!     [--only f03_page] [--days 3] [--shots DIR]
//! ```
//!
//! - `cold_start_ms`: from asking tauri-driver for a session (which starts the app process) to
//!   the first screen painted with its data — 今日待办, or the sign-in form when nobody is
//!   signed in (then `sign_in_to_today_ms` is from 登录 to 今日待办's rows, signing in as
//!   `--user`, default 前台, with `--pin`, default 1234). An upper bound: it includes starting
//!   WebKitWebDriver.
//! - Each screen: from the key press (or the link followed) to its data painted, timed inside the
//!   page with `performance.now()` up to the animation frame after the rows exist, so WebDriver's
//!   round trips are not in the figure. Every run starts from 报修受理 (F2), so the screen is
//!   mounted anew each time, as a clerk moving between screens has it.
//!
//! - With `--days N`: N working days, one after another, in the same window: 50 intakes (报修受理
//!   shown, the report recorded through the window's own command), 30 print previews (a ticket's
//!   page, 打印记录表 F01, the PDF shown, closed), 10 visits each to 统计分析 and 工作日报 F03, and
//!   the three fund pages. The memory of the app's processes (the app, WebKit's web and network
//!   processes; not the test's driver) is measured before the first day and after each one, as
//!   PSS (shared libraries counted once) and RSS. `--parts intake,preview,ticket,stats,f03,fund` keeps
//!   only those parts of the day (to find which one holds memory); `--only none` skips the screens;
//!   `--idle S` measures once more after S seconds without use; `--settle S` measures each day
//!   again after a pause of S seconds (`memory_settled_pss_mb`: the floor of the web process's
//!   swing, where a day-by-day growth shows; a pause over five minutes lets the window load its
//!   page afresh as a quiet desk does, and `window_renewed` tells whether it did).
//!
//! Needs a display (Xvfb) and tauri-driver, as the E2E tests do.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: a failure should stop it loudly

use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A script that does `action`, waits (inside the page) until `ready` holds, then for the next
/// painted frame, and answers the milliseconds since the action, or -1 after 60 s. The page's
/// CSP forbids `eval`, so the pieces are put in the script's text.
fn wait_js(action: &str, ready: &str) -> String {
    format!(
        "const done = arguments[arguments.length - 1];
         const isReady = () => {{ {ready} }};
         const t0 = performance.now();
         {action}
         function poll() {{
           if (isReady()) {{ requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0)); return; }}
           if (performance.now() - t0 > 60000) {{ done(-1); return; }}
           requestAnimationFrame(poll);
         }}
         poll();"
    )
}

struct Screen {
    name: &'static str,
    /// What the clerk does (JS run in the page).
    action: String,
    /// When the data is shown (JS returning a boolean).
    ready: &'static str,
}

/// The table shows rows. Not its empty text: an Element Plus table shows that while its data is
/// still on the way, which would time the screen's mounting, not its data. (The screens are
/// measured on databases where they have rows.)
fn rows(table: &str) -> String {
    // An Element Plus table, or a plain one (the report's sections).
    format!("return document.querySelectorAll('{table} .el-table__body tr, {table} table:not(.el-table__header) tbody tr').length > 0;")
}

fn key(k: &str) -> String {
    format!("window.dispatchEvent(new KeyboardEvent('keydown', {{ key: '{k}', bubbles: true }}));")
}

fn go(hash: &str) -> String {
    // As a clerk gets there: a menu item, a row or a link, all of which are the router's `push`.
    // Setting `location.hash` from outside takes the back/forward path instead, where the
    // router answers an address it did not set by moving the history back: under a script's
    // pace those bounces came in storms of 800 page changes at once, each asking for the counters.
    format!("document.querySelector('#app').__vue_app__.config.globalProperties.$router.push('{}');", hash.trim_start_matches('#'))
}

/// Memory of the app's processes: the `warranty-desk` process and everything below it (WebKit's
/// web and network processes), in MB: (PSS, RSS). The driver above it is the test's, not the app's;
/// only the app this tool's own `driver` started counts (not an E2E run's on the same machine).
fn app_memory_mb(driver: u32) -> (f64, f64) {
    let mut parent = std::collections::HashMap::new();
    let mut name = std::collections::HashMap::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // `pid (comm) state ppid …`: the name may hold spaces, so split after the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let ppid = stat[close + 1..].split_whitespace().nth(1).and_then(|x| x.parse::<u32>().ok()).unwrap_or(0);
        parent.insert(pid, ppid);
        name.insert(pid, stat[open + 1..close].to_string());
    }
    let under = |mut p: u32, top: &dyn Fn(u32) -> bool| {
        while p > 1 {
            if top(p) {
                return true;
            }
            p = parent.get(&p).copied().unwrap_or(0);
        }
        false
    };
    let roots: Vec<u32> = name.iter().filter(|(p, n)| n.starts_with("warranty-desk") && under(**p, &|q| q == driver)).map(|(p, _)| *p).collect();
    let below = |p: u32| under(p, &|q| roots.contains(&q));
    let (mut pss, mut rss) = (0.0, 0.0);
    for pid in parent.keys().copied().filter(|p| below(*p)) {
        let Ok(t) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else { continue };
        let mut own = 0.0;
        for line in t.lines() {
            let kb = |l: &str| l.split_whitespace().nth(1).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0) / 1024.0;
            if line.starts_with("Pss:") {
                pss += kb(line);
                own += kb(line);
            } else if line.starts_with("Rss:") {
                rss += kb(line);
            }
        }
        // Which process holds it, for whoever reads the log.
        eprintln!("  {} (pid {pid}): PSS {own:.0} MB", name.get(&pid).map(String::as_str).unwrap_or("?"));
    }
    ((pss * 10.0).round() / 10.0, (rss * 10.0).round() / 10.0)
}

/// Whether a backup is being written in `dir`: a `.part` file written to in the last 5 s.
fn backup_running(dir: &std::path::Path) -> bool {
    let Ok(read) = std::fs::read_dir(dir) else { return false };
    read.flatten().any(|e| {
        e.file_name().to_string_lossy().ends_with(".part")
            && e.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).is_some_and(|d| d < Duration::from_secs(5))
    })
}

/// One working day at the desk (see the top of the file).
async fn one_day(c: &Client, day: usize, tickets: &[String], parts: &[String]) {
    let part = |p: &str| parts.is_empty() || parts.iter().any(|x| x == p);
    for i in (0..50).filter(|_| part("intake")) {
        timed(c, &key("F2"), "return !!document.querySelector('#intake-unit');").await;
        let input = json!({
            "channel": "Phone", "reported_at": null, "unit": "2-3-1502", "owner_id": null, "owner_name": "",
            "phone": "13700001111", "caller_name": "", "caller_relation": "",
            "defects": [{ "description": format!("第{day}天第{i}个报修：卫生间地漏返味"), "part": "卫生间地漏", "category": "Leak",
                          "nature": null, "classification": null, "steward_id": null, "required_by": null,
                          "expected_visit": "", "link_to": null, "previous": null, "photos": [] }]
        });
        let v = c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI_INTERNALS__.invoke('record_report', { input: arguments[0] }).then(() => done('ok'), (e) => done(JSON.stringify(e)));",
                vec![input],
            )
            .await
            .unwrap();
        assert_eq!(v, json!("ok"), "intake {i} of day {day}");
    }
    // `--parts ticket`: the same visits to the ticket's page, without printing.
    for i in (0..30).filter(|_| part("preview") || part("ticket")) {
        let no = &tickets[i % tickets.len()];
        timed(c, &go(&format!("#/tickets/{no}")), &format!("return (document.querySelector('#detail-no')?.innerText ?? '').includes('{no}');")).await;
        if i == 0 && day == 1 {
            // How much page a clerk's ticket is: what the web process builds on every visit.
            let n = c.execute("return document.getElementsByTagName('*').length", vec![]).await.unwrap();
            eprintln!("the ticket page has {n} elements");
        }
        if !part("preview") {
            timed(c, &key("F2"), "return !!document.querySelector('#intake-unit');").await;
            continue;
        }
        timed(
            c,
            "document.querySelector('#print-f01').click();",
            "const i = document.querySelector('#print-preview img.page'); return !!i && i.complete && i.naturalWidth > 0;",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        timed(c, "document.querySelector('.el-dialog__headerbtn').click();", "return !document.querySelector('#print-preview');").await;
        timed(c, &key("F2"), "return !!document.querySelector('#intake-unit');").await;
    }
    for _ in 0..10 {
        if part("stats") {
            timed(c, &go("#/stats"), "return (document.querySelector('#stats-total')?.innerText ?? '') !== '';").await;
        }
        if part("f03") {
            timed(c, &go("#/report"), &rows("#report-progress")).await;
        }
    }
    for page in ["#/fund/ledger", "#/fund/payments", "#/fund/reconcile"].into_iter().filter(|_| part("fund")) {
        c.execute(&go(page), vec![]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    timed(c, &key("F4"), &rows("#today-table")).await;
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn wait_port(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(20), "tauri-driver did not open port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn timed(c: &Client, action: &str, ready: &str) -> f64 {
    let v = c.execute_async(&wait_js(action, ready), vec![]).await.expect("the page answers");
    let ms = v.as_f64().unwrap_or(-1.0);
    assert!(ms >= 0.0, "the screen did not show its data within 60 s ({ready})");
    ms
}

fn stats(mut v: Vec<f64>) -> Value {
    v.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    json!({ "median_ms": (at(0.5) * 10.0).round() / 10.0, "p95_ms": (at(0.95) * 10.0).round() / 10.0, "n": v.len() })
}

#[tokio::main]
async fn main() {
    let data = PathBuf::from(arg("--data").expect("--data DIR: a data folder with warranty-desk.sqlite"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let app = arg("--app").map(PathBuf::from).unwrap_or_else(|| root.join("target/release/warranty-desk"));
    let app = app.canonicalize().expect("the app binary exists");
    let runs: usize = arg("--runs").and_then(|r| r.parse().ok()).unwrap_or(10);
    let port: u16 = arg("--port").and_then(|r| r.parse().ok()).unwrap_or(5200);
    let xdg = tempfile::tempdir().unwrap();

    let t_start = Instant::now();
    let mut driver = Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()))
        .args(["--port", &port.to_string(), "--native-port", &(port + 1).to_string()])
        .env("WDESK_DATA_DIR", &data)
        .env("XDG_DATA_HOME", xdg.path())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        // A group of its own: the app that WebKitWebDriver starts is stopped with it at the end.
        // A stale app left running would share its libraries' pages with the next run's and
        // lower that run's PSS figures.
        .process_group(0)
        .spawn()
        .expect("tauri-driver is installed");
    wait_port(port);
    let caps = json!({ "browserName": "wry", "tauri:options": { "application": app.display().to_string() } });
    let t_session = Instant::now();
    let c = ClientBuilder::native().capabilities(caps.as_object().unwrap().clone()).connect(&format!("http://127.0.0.1:{port}")).await.expect("a session");
    // A screen may take longer than WebDriver's 30 s script limit (that is what is measured).
    c.update_timeouts(fantoccini::wd::TimeoutConfiguration::new(Some(Duration::from_secs(120)), None, None)).await.expect("timeouts");
    // The first screen: 今日待办 with its data, or the sign-in form where nobody is signed in.
    let today_rows = rows("#today-table");
    let first_paint_in_page;
    let mut signed_in = true;
    loop {
        let v = c
            .execute(
                &format!("if (document.querySelector('#signin-user')) return -1; if ((() => {{ {today_rows} }})()) return performance.now(); return null;"),
                vec![],
            )
            .await
            .unwrap();
        if let Some(ms) = v.as_f64() {
            if ms < 0.0 {
                signed_in = false;
                first_paint_in_page = c.execute("return performance.now()", vec![]).await.unwrap().as_f64().unwrap_or(0.0);
            } else {
                first_paint_in_page = ms;
            }
            break;
        }
        assert!(t_session.elapsed() < Duration::from_secs(120), "neither 今日待办 nor the sign-in form showed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let cold = t_session.elapsed().as_secs_f64() * 1000.0;
    let driver_ms = (t_session - t_start).as_secs_f64() * 1000.0;
    let mut sign_in_ms = None;
    if !signed_in {
        let user = arg("--user").unwrap_or_else(|| "前台".into());
        let pin = arg("--pin").unwrap_or_else(|| "1234".into());
        let field = c.find(fantoccini::Locator::Css("#signin-user")).await.unwrap();
        field.click().await.unwrap();
        field.send_keys(&user).await.unwrap();
        let pick = "const items = [...document.querySelectorAll('.el-select-dropdown__item')].filter(i => i.offsetParent !== null && i.innerText.trim().startsWith(arguments[0]));
                    if (items.length === 1) { items[0].click(); return true; } return false;";
        while c.execute(pick, vec![json!(user)]).await.unwrap() != json!(true) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        c.find(fantoccini::Locator::Css("#signin-pin")).await.unwrap().send_keys(&pin).await.unwrap();
        sign_in_ms = Some(timed(&c, "document.querySelector('#signin-submit').click();", &today_rows).await);
    }

    // The desk backs the data up at every start, in the background (6 s at a million tickets,
    // reading the whole file): the screens are timed after it, as a clerk's day mostly is.
    let t_wait = Instant::now();
    while t_wait.elapsed() < Duration::from_secs(180) && backup_running(&data.join("backups")) {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    eprintln!("the start backup was done {:.1} s after the first screen", t_wait.elapsed().as_secs_f64());

    // A ticket to open: the first of the ticket list (newest first).
    timed(&c, &key("F3"), &rows("#ticket-table")).await;
    let v = c.execute("return document.querySelector('#ticket-table .ticket-no')?.innerText ?? ''", vec![]).await.unwrap();
    let no = v.as_str().unwrap_or_default().trim().to_string();
    assert!(!no.is_empty(), "no ticket to open");

    let mut out = serde_json::Map::new();
    // The desk's answer alone (the command through the window's IPC, no drawing), to tell the
    // backend's share of a screen from the webview's.
    let today_date = chrono::Utc::now().with_timezone(&desk_domain::time::desk_tz()).format("%Y-%m-%d").to_string();
    let calls = [
        ("ipc_today", json!(["today", {}])),
        ("ipc_ticket_detail", json!(["ticket_detail", { "no": no }])),
        ("ipc_daily_report", json!(["daily_report", { "date": today_date }])),
    ];
    for (name, call) in calls {
        let mut v = Vec::new();
        for _ in 0..runs.min(5) {
            let r = c
                .execute_async(
                    "const done = arguments[arguments.length - 1]; const [cmd, args] = arguments[0]; const t0 = performance.now();
                     window.__TAURI_INTERNALS__.invoke(cmd, args).then((x) => done([performance.now() - t0, JSON.stringify(x).length]), (e) => done(String(e)));",
                    vec![call.clone()],
                )
                .await
                .unwrap();
            let ms = r.get(0).and_then(Value::as_f64).unwrap_or_else(|| panic!("{name}: {r}"));
            eprintln!("{name}: {ms:.1} ms, {} bytes of JSON", r.get(1).and_then(Value::as_u64).unwrap_or(0));
            v.push(ms);
        }
        out.insert(name.into(), stats(v));
    }

    let screens = [
        Screen { name: "f4_today", action: key("F4"), ready: Box::leak(rows("#today-table").into_boxed_str()) },
        Screen { name: "f3_ticket_list", action: key("F3"), ready: Box::leak(rows("#ticket-table").into_boxed_str()) },
        Screen {
            name: "ticket_page",
            action: go(&format!("#/tickets/{no}")),
            ready: Box::leak(format!("return (document.querySelector('#detail-no')?.innerText ?? '').includes('{no}');").into_boxed_str()),
        },
        Screen { name: "f03_page", action: go("#/report"), ready: Box::leak(rows("#report-progress").into_boxed_str()) },
        Screen {
            name: "statistics",
            action: go("#/stats"),
            ready: "return (document.querySelector('#stats-total')?.innerText ?? '') !== '' && document.querySelectorAll('#stats-ontime .el-table__body tr').length > 0;",
        },
    ];
    out.insert("cold_start_ms".into(), json!((cold * 10.0).round() / 10.0));
    out.insert("first_screen".into(), json!(if signed_in { "今日待办" } else { "登录" }));
    if let Some(ms) = sign_in_ms {
        out.insert("sign_in_to_today_ms".into(), json!((ms * 10.0).round() / 10.0));
    }
    out.insert("cold_start_in_page_ms".into(), json!((first_paint_in_page * 10.0).round() / 10.0));
    out.insert("tauri_driver_start_ms".into(), json!((driver_ms * 10.0).round() / 10.0));
    let only = arg("--only");
    for s in screens.iter().filter(|s| only.as_deref().is_none_or(|o| o == s.name)) {
        let mut v = Vec::new();
        // One unmeasured visit loads the page's code; then `runs` measured ones.
        for i in 0..=runs {
            timed(&c, &key("F2"), "return !!document.querySelector('#intake-unit, .intake');").await;
            let ms = timed(&c, &s.action, s.ready).await;
            if i > 0 {
                v.push(ms);
            }
        }
        eprintln!("{}: {:?}", s.name, v);
        if let Some(dir) = arg("--shots") {
            // What the clerk saw, to look at.
            if let Ok(png) = c.screenshot().await {
                let _ = std::fs::write(PathBuf::from(dir).join(format!("{}.png", s.name)), png);
            }
        }
        out.insert(s.name.into(), stats(v));
    }
    if let Some(days) = arg("--days").and_then(|d| d.parse::<usize>().ok()) {
        // Tickets to preview: the first page of the ticket list.
        timed(&c, &key("F3"), &rows("#ticket-table")).await;
        let v = c.execute("return [...document.querySelectorAll('#ticket-table .ticket-no')].map(e => e.innerText.trim())", vec![]).await.unwrap();
        let tickets: Vec<String> = v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default();
        assert!(!tickets.is_empty(), "no tickets to preview");
        let parts: Vec<String> = arg("--parts").map(|p| p.split(',').map(str::to_string).collect()).unwrap_or_default();
        let mut memory = vec![app_memory_mb(driver.id())];
        eprintln!("memory before the first day (PSS, RSS MB): {:?}", memory[0]);
        let mut settled: Vec<f64> = Vec::new();
        let mut renewed: Vec<bool> = Vec::new();
        for day in 1..=days {
            let t = Instant::now();
            one_day(&c, day, &tickets, &parts).await;
            tokio::time::sleep(Duration::from_secs(2)).await;
            memory.push(app_memory_mb(driver.id()));
            eprintln!("day {day} took {:?}; memory (PSS, RSS MB): {:?}", t.elapsed(), memory[day]);
            // What the page holds at the end of the day: a count that grows day by day is a leak
            // in the window's code (elements left in <body> by popups, router history, styles).
            let held = c
                .execute(
                    "return { elements: document.getElementsByTagName('*').length, body: document.body.children.length, \
                     styles: document.querySelectorAll('style').length, history: history.length };",
                    vec![],
                )
                .await
                .unwrap_or_default();
            eprintln!("  the page holds {held}");
            // `--settle S`: the same day's memory after a clerk's pause of S seconds. Within a day
            // the web process swings by ±30 MB as its collector and memory budget come round (every
            // 5 s), so the figure 2 s after the day is one sample of that swing; after the pause it
            // is the floor of it, which is what tells whether something is kept day after day.
            // A pause longer than the window's quiet time (five minutes) lets the desk load its page
            // afresh (ui/src/renew.ts); the mark set here tells whether it did.
            if let Some(settle) = arg("--settle").and_then(|d| d.parse::<u64>().ok()) {
                c.execute("window.__dayMark = true; return 1;", vec![]).await.unwrap();
                tokio::time::sleep(Duration::from_secs(settle)).await;
                settled.push(app_memory_mb(driver.id()).0);
                let same = c.execute("return window.__dayMark === true;", vec![]).await.ok().and_then(|v| v.as_bool()).unwrap_or(false);
                renewed.push(!same);
                eprintln!("  after a {settle} s pause: PSS {:?} MB{}", settled.last(), if same { "" } else { " (the window loaded its page afresh)" });
            }
        }
        // `--idle S`: the clerk's pauses — the memory again after S seconds without a key pressed.
        if let Some(idle) = arg("--idle").and_then(|d| d.parse::<u64>().ok()) {
            tokio::time::sleep(Duration::from_secs(idle)).await;
            let after = app_memory_mb(driver.id());
            eprintln!("after {idle} s idle; memory (PSS, RSS MB): {after:?}");
            out.insert("memory_after_idle_pss_mb".into(), json!(after.0));
        }
        out.insert("memory_pss_mb".into(), json!(memory.iter().map(|m| m.0).collect::<Vec<_>>()));
        if !settled.is_empty() {
            out.insert("memory_settled_pss_mb".into(), json!(settled));
            out.insert("window_renewed".into(), json!(renewed));
        }
        out.insert("memory_rss_mb".into(), json!(memory.iter().map(|m| m.1).collect::<Vec<_>>()));
    }
    println!("{}", serde_json::to_string_pretty(&Value::Object(out)).unwrap());
    let _ = c.close().await;
    let _ = Command::new("kill").args(["-TERM", "--", &format!("-{}", driver.id())]).status();
    let _ = driver.wait();
}
