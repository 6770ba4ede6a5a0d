//! 保修金退还 in the window (REGULATION.md §3): the general contractor's defect-liability period
//! has ended; the clerk records its application on the ledger page and the inspection clock
//! appears on 今日待办; the clerk records the 14-day inspection; the director releases the
//! balance after deductions, the payment clock replaces the inspection's, and the payment books
//! the refund entry on the ledger. Then a developer-paid cost is recorded on a ticket.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::App;
use desk_store::fund::{self, LedgerHeader};
use desk_store::Store;

const BUILDER: &str = "华北宏泰";

/// The demo's general contractor's period ended ten days ago.
fn period_ended(data: &std::path::Path) {
    let desk = desk_service::Desk::open(data).unwrap();
    let l = desk.ledgers().unwrap().into_iter().find(|l| l.builder.contains(BUILDER)).expect("the demo's general contractor");
    drop(desk);
    let end = desk_domain::time::local_date(chrono::Utc::now()) - chrono::Duration::days(10);
    let s = Store::open(&data.join(desk_service::desk::DB_FILE)).unwrap();
    s.with_tx(|tx| {
        fund::upsert_ledger(
            tx,
            &LedgerHeader {
                project_id: l.project_id,
                contractor_id: l.contractor_id,
                contract_no: l.contract_no.clone(),
                period_end: Some(end),
                ..Default::default()
            },
            0,
        )
    })
    .unwrap();
}

async fn open_ledger(app: &App) {
    app.client.execute("document.querySelector('#nav-ledger').click()", vec![]).await.unwrap();
    app.wait_text("#ledger-list", BUILDER).await;
    app.client
        .execute(
            &format!("const rows=[...document.querySelectorAll('#ledger-list .el-table__body tr')];rows.find(r=>r.innerText.includes('{BUILDER}')).click();"),
            vec![],
        )
        .await
        .unwrap();
    app.wait_text("#release", "保修金退还").await;
}

async fn today_desk(app: &App, needle: &str) -> String {
    app.client.execute("document.querySelector('#nav-today').click()", vec![]).await.unwrap();
    app.wait_text("#today-desk", needle).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_builders_deposit_is_applied_for_inspected_decided_and_refunded() {
    let mut ticket = String::new();
    let app = App::start_with(4990, |data| {
        period_ended(data);
        let desk = desk_service::Desk::open(data).unwrap();
        ticket = desk.list_tickets(&desk_service::tickets::TicketFilter::default(), 1).unwrap().items[0].no.clone();
    })
    .await;
    app.wait_text("#current-user", "李静").await;

    // The clerk records the application.
    open_ledger(&app).await;
    app.type_in("#release-applicant", "华北宏泰 王经理").await;
    app.click("#release-apply").await;
    app.wait_text("#release-list", "待检查").await;
    let found = app.wait_text("#release-found", "未结报修单").await;
    assert!(found.contains("未结扣款"), "{found}");

    // A second application while one runs: the button is gone, the clock is on 今日待办.
    assert!(app.text_of("#release-apply").await.is_none(), "no second application while one runs");
    let desk = today_desk(&app, "保修金退还 14 日检查").await;
    assert!(desk.contains(BUILDER), "{desk}");

    // The clerk records the inspection; the decision is the director's.
    open_ledger(&app).await;
    app.type_in("#release-note", "现场检查完毕").await;
    app.click("#release-inspect").await;
    app.wait_text("#release-list", "待决定").await;
    app.wait_text("#release", "待保修主任决定").await;

    app.click("#sign-out").await;
    app.choose_option("#signin-user", "张建国").await;
    app.type_in("#signin-pin", "1234").await;
    app.click("#signin-submit").await;
    app.wait_text("#current-user", "张建国").await;

    open_ledger(&app).await;
    app.click("#release-decision-ReleaseBalance").await;
    app.click("#release-decide").await;
    app.wait_text("#release-list", "待付款").await;
    let desk = today_desk(&app, "保修金退还 14 日付款").await;
    assert!(!desk.contains("14 日检查"), "the inspection's clock is done: {desk}");

    open_ledger(&app).await;
    app.type_in("#release-voucher", "退-E2E-01").await;
    app.click("#release-pay").await;
    app.wait_text("#release-list", "已退还").await;
    let entries = app.wait_text("#ledger-entries", "退-E2E-01").await;
    assert!(entries.contains("退还"), "{entries}");
    app.screenshot("deposit-release").await;

    // A developer-paid repair's cost on a ticket: the director records it (with a reason, in
    // case the verdict names another payer).
    app.client.execute("location.hash = arguments[0]", vec![serde_json::json!(format!("#/tickets/{ticket}"))]).await.unwrap();
    app.click("#devcost-open").await;
    app.type_in("#devcost-item-0", "合页").await;
    app.type_in("#devcost-qty-0", "2").await;
    app.type_in("#devcost-price-0", "35.5").await;
    app.type_in("#devcost-reason", "开发商同意承担").await;
    app.click("#devcost-save").await;
    let total = app.wait_text("#devcost-total", "合计").await;
    assert!(total.contains("71.00"), "{total}");
    app.stop().await;
}
