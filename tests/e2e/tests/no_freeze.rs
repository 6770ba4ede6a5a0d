//! The window never freezes: while a 100,000-row ledger import runs in the background, the clerk
//! opens a ticket and searches the ticket list, and each answers — data on screen — in well under
//! a second (a frozen window would take the import's whole length). The figures are printed.
//!
//! Then the import wizard itself: its progress box shows the rows written of the file's total,
//! and 取消 stops the import with nothing written.
//!
//! Times are measured inside the page (performance.now() from the action to the data rendered),
//! so WebDriver's own round trips do not count.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failure should stop it loudly

mod common;

use common::App;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const ROWS: usize = 100_000;

/// From the ticket list, opens ticket `no` the way its link does and returns the milliseconds
/// until its number shows on the detail screen.
const OPEN_TICKET: &str = r#"
const [no, done] = [arguments[0], arguments[arguments.length - 1]];
location.hash = '#/tickets';
setTimeout(() => {
  const t0 = performance.now();
  location.hash = '#/tickets/' + no;
  const check = () => {
    const el = document.querySelector('#detail-no');
    if (el && el.innerText.trim() === no) done(performance.now() - t0);
    else if (performance.now() - t0 > 20000) done(-1);
    else requestAnimationFrame(check);
  };
  check();
}, 200);
"#;

/// Types `query` into the ticket search box and presses Enter; returns the milliseconds until
/// the list shows exactly `rows` rows, one of them ticket `no`.
const SEARCH: &str = r#"
const [query, no, rows, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
const input = document.querySelector('#ticket-search input, input#ticket-search');
const enter = () => input.dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', code: 'Enter', keyCode: 13, bubbles: true }));
const shown = () => document.querySelectorAll('#ticket-table tbody tr').length;
// First the whole list again, so the search has something to change.
input.value = ''; input.dispatchEvent(new Event('input', { bubbles: true })); enter();
const ready = performance.now();
const start = () => {
  if (shown() === rows && performance.now() - ready < 20000) { requestAnimationFrame(start); return; }
  setTimeout(measure, 100);
};
const measure = () => {
  const t0 = performance.now();
  input.value = query; input.dispatchEvent(new Event('input', { bubbles: true }));
  enter();
  const check = () => {
    const text = document.querySelector('#ticket-table')?.innerText ?? '';
    if (shown() === rows && text.includes(no)) done(performance.now() - t0);
    else if (performance.now() - t0 > 20000) done(-1);
    else requestAnimationFrame(check);
  };
  check();
};
start();
"#;

async fn invoke(app: &App, cmd: &str, args: Value) -> Value {
    app.client
        .execute_async(
            "const [c, a, done] = arguments; window.__TAURI_INTERNALS__.invoke(c, a).then(r => done({ ok: r }), e => done({ err: e }));",
            vec![cmd.into(), args],
        )
        .await
        .unwrap()
}

async fn import_running(app: &App) -> bool {
    app.client.execute("return window.__importEnd === undefined", vec![]).await.unwrap().as_bool().unwrap()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_a_ticket_and_searching_answer_while_a_100k_row_import_runs() {
    let app = App::start(4900).await;
    app.wait_text("#current-user", "李静").await;
    let file = app.data.path().join("ledger-100k.xlsx");
    let t = Instant::now();
    desk_service::fund::bench::generate_workbook(&file, ROWS).unwrap();
    println!("generated a {ROWS}-row ledger workbook in {:.1} s", t.elapsed().as_secs_f64());

    // A ticket of the demo and a search that finds it (by its owner's phone tail).
    let page =
        invoke(&app, "list_tickets", json!({ "filter": { "query": "", "status": null, "steward_id": null, "due": null, "before_id": null, "limit": 5 } }))
            .await;
    let first = &page["ok"]["items"][0];
    let no = first["no"].as_str().unwrap_or_else(|| panic!("a demo ticket: {page}")).to_string();
    let query = no.clone();
    let found =
        invoke(&app, "list_tickets", json!({ "filter": { "query": query, "status": null, "steward_id": null, "due": null, "before_id": null, "limit": 50 } }))
            .await;
    let rows = found["ok"]["items"].as_array().unwrap().len();
    assert!(rows >= 1, "the search finds the ticket: {found}");

    // Warm: the ticket screen's code loaded once, the list page shown.
    let mut idle_open = Vec::new();
    let mut idle_search = Vec::new();
    for _ in 0..3 {
        idle_open.push(app.client.execute_async(OPEN_TICKET, vec![no.clone().into()]).await.unwrap().as_f64().unwrap());
    }
    app.client.execute("location.hash = '#/tickets'", vec![]).await.unwrap();
    app.el("#ticket-table").await;
    for _ in 0..3 {
        idle_search.push(app.client.execute_async(SEARCH, vec![query.clone().into(), no.clone().into(), rows.into()]).await.unwrap().as_f64().unwrap());
    }

    // The import, started as the wizard starts it, left running.
    app.client
        .execute(
            "window.__importStart = performance.now();
             window.__TAURI_INTERNALS__.invoke('import_ledger', { job: 'freeze-test', path: arguments[0], validRowsOnly: false, map: null })
               .then(r => { window.__importEnd = performance.now(); window.__importResult = r; },
                     e => { window.__importEnd = performance.now(); window.__importError = e; });",
            vec![file.display().to_string().into()],
        )
        .await
        .unwrap();
    // Let it get going (reading the workbook).
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(import_running(&app).await, "the import is still running when the clerk starts working");

    let mut busy_open = Vec::new();
    let mut busy_search = Vec::new();
    let mut busy_command = Vec::new();
    let mut rounds = 0;
    while import_running(&app).await && rounds < 10 {
        // The command alone (invoke → result in the page), without the screen's rendering.
        let c = app
            .client
            .execute_async(
                "const [no, done] = arguments; const t0 = performance.now(); window.__TAURI_INTERNALS__.invoke('ticket_detail', { no }).then(() => done(performance.now() - t0), () => done(-1));",
                vec![no.clone().into()],
            )
            .await
            .unwrap()
            .as_f64()
            .unwrap();
        if import_running(&app).await {
            busy_command.push(c);
        }
        let o = app.client.execute_async(OPEN_TICKET, vec![no.clone().into()]).await.unwrap().as_f64().unwrap();
        let open_during = import_running(&app).await;
        app.client.execute("location.hash = '#/tickets'", vec![]).await.unwrap();
        app.el("#ticket-table").await;
        let s = app.client.execute_async(SEARCH, vec![query.clone().into(), no.clone().into(), rows.into()]).await.unwrap().as_f64().unwrap();
        let search_during = import_running(&app).await;
        assert!(o >= 0.0 && s >= 0.0, "the ticket and the search answered (open {o} ms, search {s} ms)");
        if open_during {
            busy_open.push(o);
        }
        if search_during {
            busy_search.push(s);
        }
        rounds += 1;
    }
    app.screenshot("no-freeze-during-import").await;

    // The import itself finishes and writes every row.
    let start = Instant::now();
    while import_running(&app).await {
        assert!(start.elapsed() < Duration::from_secs(600), "the import finished");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let result = app
        .client
        .execute("return [window.__importResult ?? null, window.__importError ?? null, window.__importEnd - window.__importStart]", vec![])
        .await
        .unwrap();
    assert!(result[1].is_null(), "the import failed: {}", result[1]);
    assert_eq!(result[0]["written"], true, "{}", result[0]);
    assert_eq!(result[0]["movements"].as_u64(), Some(ROWS as u64));
    let import_ms = result[2].as_f64().unwrap();

    assert!(!busy_open.is_empty() && !busy_search.is_empty(), "measured while the import ran (open {busy_open:?}, search {busy_search:?})");
    let worst_open = busy_open.iter().copied().fold(0.0, f64::max);
    let worst_search = busy_search.iter().copied().fold(0.0, f64::max);
    println!(
        "FREEZE FIGURES: {ROWS}-row ledger import took {:.1} s; during it: ticket_detail command median {:.0} ms, worst {:.0} ms; \
         open a ticket median {:.0} ms, worst {:.0} ms ({} times); \
         search median {:.0} ms, worst {:.0} ms ({} times). Idle: open median {:.0} ms, search median {:.0} ms. Target ≤ 100 ms.",
        import_ms / 1000.0,
        median(&mut busy_command.clone()),
        busy_command.iter().copied().fold(0.0, f64::max),
        median(&mut busy_open.clone()),
        worst_open,
        busy_open.len(),
        median(&mut busy_search.clone()),
        worst_search,
        busy_search.len(),
        median(&mut idle_open),
        median(&mut idle_search),
    );
    // A frozen window would answer only after the import (tens of seconds here). The command and
    // the search answer in well under a second. Opening the ticket screen costs its own rendering
    // (about half a second idle in this debug WebKitGTK under Xvfb), so its bar is relative to idle.
    let worst_command = busy_command.iter().copied().fold(0.0, f64::max);
    assert!(worst_command < 1000.0 && worst_search < 1000.0, "answers while importing: command {busy_command:?}, search {busy_search:?}");
    let idle_worst_open = idle_open.iter().copied().fold(0.0, f64::max);
    assert!(worst_open < idle_worst_open + 1000.0, "the ticket screen while importing {busy_open:?} vs idle {idle_open:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_import_wizard_shows_rows_written_and_a_cancel_writes_nothing() {
    let app = App::start(4910).await;
    app.wait_text("#current-user", "李静").await;
    let file = app.data.path().join("ledger-100k.xlsx");
    desk_service::fund::bench::generate_workbook(&file, ROWS).unwrap();
    let before = invoke(&app, "ledgers", json!({})).await;

    app.client.execute("document.querySelector('#nav-ledger').click()", vec![]).await.unwrap();
    app.click("#ledger-import").await;
    app.type_in("input#ledger-path, #ledger-path input", &format!("\"{}\"", file.display())).await;
    app.click("#ledger-path-read").await;
    // Reading: the box names the step; then the preview (the file's rows counted).
    app.wait_text("#ledger-job", "读取并检查明细账").await;
    app.screenshot("job-progress-reading").await;
    let start = Instant::now();
    while app.text_of("#ledger-commit").await.is_none() {
        if start.elapsed() > Duration::from_secs(300) {
            let shot = app.screenshot("job-progress-timeout").await;
            panic!("the preview did not finish: job {:?}, error {:?} ({shot})", app.text_of("#ledger-job").await, app.text_of("#ledger-read-error").await);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!("preview read in {:.1} s", start.elapsed().as_secs_f64());
    // The generated workbook's title names its own project: the clerk confirms the current one.
    app.client.execute("const c = document.querySelector('#ledger-other-project .el-checkbox'); if (c) c.click();", vec![]).await.unwrap();
    app.click("#ledger-commit").await;
    // Writing: rows written of the total, with 取消.
    let shown = app.wait_text("#ledger-job", "正在写入分录").await;
    let shown = if shown.contains("100,000") { shown } else { app.wait_text("#ledger-job", "100,000").await };
    println!("progress box while writing: {}", shown.replace('\n', " | "));
    app.screenshot("job-progress-writing").await;
    app.click("#ledger-job-cancel").await;
    app.wait_text(".el-message", "已取消").await;
    app.screenshot("job-progress-cancelled").await;

    // Nothing of the file was written.
    let after = invoke(&app, "ledgers", json!({})).await;
    assert_eq!(before, after, "a cancelled import leaves the ledgers as they were");
    let preview = invoke(&app, "preview_ledger_import", json!({ "job": "check", "path": file.display().to_string(), "map": null })).await;
    assert!(preview["ok"]["already_imported_at"].is_null(), "the file is not recorded as imported: {preview}");
    app.stop().await;
}
