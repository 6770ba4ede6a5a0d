//! The deposit fund in the window: the director signs in, opens the payment board, reviews the
//! demo's waiting request (A7), collects the two countersignatures with their PINs, records
//! finance's payment (D8) — and the deduction appears in the builder's ledger with its running
//! balance. Text planted in the review note shows as typed (nothing runs).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::App;

#[tokio::test(flavor = "multi_thread")]
async fn the_director_reviews_countersigns_and_pays_and_the_ledger_shows_the_deduction() {
    let app = App::start(4484).await;
    app.wait_text("#current-user", "李静").await;

    // Sign in as the director (保修主任 reviews at A7).
    app.click("#sign-out").await;
    app.choose_option("#signin-user", "张建国").await;
    app.type_in("#signin-pin", "1234").await;
    app.click("#signin-submit").await;
    app.wait_text("#current-user", "张建国").await;

    // The board: one request waits for A7, one paid already.
    app.client.execute("document.querySelector('#nav-payments').click()", vec![]).await.unwrap();
    let a7 = app.wait_text("#col-a7", "FK-").await;
    assert!(app.text_of("#col-paid").await.unwrap_or_default().contains("FK-"), "the demo's paid request is on the board");
    assert!(a7.contains("匠心防水"), "{a7}");
    app.click("#col-a7 .card").await;
    app.wait_text("#pay-lines", "聚氨酯防水涂料").await;

    // A7: the tiles' quantity is cut from 6.5 to 6 m² with a reason; the original stays.
    app.type_in("#a7-qty-2", "6").await;
    app.type_in("#a7-reason-2", "现场实测 6 m²<img src=x onerror=\"window.__pwned=true\">").await;
    app.type_in("#a7-note", "核减瓷砖面积").await;
    app.click("#a7-submit").await;
    app.wait_text("#pay-signs", "待会签").await;
    let lines = app.wait_text("#pay-lines", "现场实测").await;
    assert!(lines.contains("6.5") && lines.contains("<img src=x"), "original quantity kept and the reason shows as typed: {lines}");
    assert!(!app.canary_fired().await, "text typed into the review ran as markup");

    // 会签: the director, then the project GM, each with their own PIN.
    app.choose_option("#sign-staff", "张建国").await;
    app.type_in("#sign-pin", "1234").await;
    app.click("#sign-submit").await;
    app.wait_text("#pay-signs", "张建国").await;
    app.choose_option("#sign-staff", "吴国栋").await;
    app.type_in("#sign-pin", "1234").await;
    app.click("#sign-submit").await;

    // D8: finance paid; the deduction lands on 城安防水's deposit.
    app.type_in("#pay-voucher", "付-E2E-01").await;
    app.click("#pay-submit").await;
    let done = app.wait_text("#pay-done", "已付款").await;
    assert!(done.contains("城安防水"), "{done}");
    app.screenshot("fund-paid").await;

    app.client.execute("document.querySelector('#nav-ledger').click()", vec![]).await.unwrap();
    app.wait_text("#ledger-list", "城安防水").await;
    app.client
        .execute("const rows=[...document.querySelectorAll('#ledger-list .el-table__body tr')];rows.find(r=>r.innerText.includes('城安防水')).click();", vec![])
        .await
        .unwrap();
    let entries = app.wait_text("#ledger-entries", "付-E2E-01").await;
    assert!(entries.contains("扣款"), "{entries}");
    app.screenshot("fund-ledger").await;
    app.stop().await;
}
