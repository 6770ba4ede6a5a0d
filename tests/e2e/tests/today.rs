//! 今日待办: a report nobody answered for three days shows on today's list as an overdue
//! contact (§5.1.1), with the navigation's overdue counter, and opens its ticket on Enter.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::App;
use desk_domain::ticket::{Category, Channel};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::Desk;

#[tokio::test(flavor = "multi_thread")]
async fn todays_list_shows_a_ticket_that_became_overdue() {
    let app = App::start(4474).await;
    app.wait_text("#current-user", "李静").await;

    // A call from three days ago that no one returned, recorded while the desk is open.
    let no = {
        let desk = Desk::open(app.data.path()).expect("demo database opens");
        let clerk = desk.session_for(Some("李静")).expect("demo clerk");
        let at = desk_domain::time::fmt_local(chrono::Utc::now() - chrono::Duration::days(3));
        let d = DefectInput {
            description: "次卧窗户关不严，漏风（待办测试）".into(),
            part: "次卧窗户".into(),
            category: Category::DoorWindow,
            nature: None,
            classification: None,
            steward_id: None,
            required_by: None,
            expected_visit: String::new(),
            link_to: None,
            previous: None,
            photos: Vec::new(),
        };
        let r = ReportInput {
            channel: Channel::Phone,
            reported_at: Some(at),
            unit: "2-3-1502".into(),
            owner_id: None,
            owner_name: String::new(),
            phone: "13700001111".into(),
            caller_name: String::new(),
            caller_relation: String::new(),
            defects: vec![d],
        };
        desk.record_report(&clerk, r).expect("recorded").remove(0).no
    };

    app.click("#nav-intake").await;
    app.click("#nav-today").await;
    let row = app.wait_text("#today-table", &no).await;
    assert!(row.contains("联系业主"), "{row}");
    assert!(row.contains("超时"), "{row}");
    let badge = app.wait_text("#nav-today-overdue", "").await;
    assert!(badge.trim().parse::<u32>().unwrap_or(0) >= 1, "overdue badge shows {badge:?}");
    // The demo's backups are in the data folder: the desk says so above the list.
    app.wait_text("#backup-warning", "同一块磁盘").await;
    app.screenshot("today").await;

    // Keyboard: the overdue contact is among the rows; find its row index and open it with Enter.
    let idx = app
        .client
        .execute(
            "const rows=[...document.querySelectorAll('#today-table .el-table__body tr')];return rows.findIndex(r=>r.innerText.includes(arguments[0]));",
            vec![serde_json::json!(no)],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap_or(-1);
    assert!(idx >= 0);
    // The page listens on the window, as a clerk's key press anywhere on the screen would reach it.
    app.client
        .execute(
            "for(let i=0;i<arguments[0];i++){window.dispatchEvent(new KeyboardEvent('keydown',{key:'ArrowDown'}))}window.dispatchEvent(new KeyboardEvent('keydown',{key:'Enter'}));",
            vec![serde_json::json!(idx)],
        )
        .await
        .unwrap();
    app.wait_text("#detail-no", &no).await;
    app.wait_text("#clock-panel", "联系业主").await;
    app.wait_text("#detail-coverage", "保修判定").await;
    app.screenshot("today-detail").await;
    app.stop().await;
}
