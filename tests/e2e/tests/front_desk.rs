//! The front desk's first day: sign in, find a caller by phone, record a ticket, find it again.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::{App, ENTER};
use desk_domain::money::Fen;
use desk_domain::ticket::Category;
use desk_service::Desk;

/// A caller from the demo database: (unit, owner, phone).
fn demo_caller(app: &App) -> (String, String, String) {
    let desk = Desk::open(app.data.path()).expect("demo database opens");
    let found = desk.lookup_caller("2-3-1502").expect("lookup works");
    let unit = &found.units[0];
    (unit.address.clone(), unit.owners[0].name.clone(), unit.owners[0].phones[0].clone())
}

#[tokio::test(flavor = "multi_thread")]
async fn clerk_signs_in_looks_up_a_caller_records_a_ticket_and_finds_it() {
    let app = App::start(4444).await;
    let (unit, owner, phone) = demo_caller(&app);

    // The demo opens signed in; switch to the director with a wrong PIN first.
    app.wait_text("#current-user", "李静").await;
    app.click("#sign-out").await;
    app.choose_option("#signin-user", "张建国").await;
    app.type_in("#signin-pin", "9999").await;
    app.click("#signin-submit").await;
    app.wait_text(".signin", "PIN 不正确").await;
    app.type_in("#signin-pin", "1234").await;
    app.click("#signin-submit").await;
    app.wait_text("#current-user", "张建国").await;

    // An owner calls: the clerk types the phone number and the unit comes up at once.
    app.click("#nav-intake").await;
    app.type_in("#lookup-input", &format!("{phone}{ENTER}")).await;
    app.wait_text("#lookup-results", &unit).await;
    assert_eq!(app.el("#intake-unit").await.prop("value").await.unwrap().unwrap_or_default(), unit);
    assert_eq!(app.el("#intake-owner").await.prop("value").await.unwrap().unwrap_or_default(), owner);

    // Record the defect; the description carries markup that must stay text.
    let desc = "主卧飘窗渗水<img src=x onerror=\"window.__pwned=true\"><script>window.__pwned=true</script>";
    app.type_in("#intake-part-0", "卧室").await;
    app.type_in("#intake-desc-0", desc).await;
    // The warranty verdict as it is typed (issue 13): who pays, the liable builder of this part
    // at the unit's batch and the deposit it has left — what the desk itself says.
    let want = Desk::open(app.data.path()).unwrap().coverage_at_intake(&unit, Category::Leak, "卧室", desc, None).unwrap();
    let builder = want.builder.clone().expect("the demo maps a liable builder for every part class");
    let shown = app.wait_text("#intake-coverage-0", &builder.builder).await;
    for part in [want.payer_label.as_str(), "责任施工单位", &Fen(builder.balance_fen).to_string()] {
        assert!(shown.contains(part), "「{part}」 in: {shown}");
    }
    app.screenshot("intake-verdict").await;
    app.click("#intake-submit").await;
    let created = app.wait_text(".created", "BX-").await;
    let no = created.split_whitespace().find(|w| w.starts_with("BX-")).expect("a ticket number").to_string();

    // Find it in the list by a two-character word of its description.
    app.click("#nav-tickets").await;
    app.type_in("#ticket-search", &format!("飘窗{ENTER}")).await;
    app.wait_text("#ticket-table", &no).await;
    app.wait_text("#ticket-total", "共 1 张").await;

    // Open it: the markup shows as typed, and nothing ran.
    app.click(".ticket-no").await;
    app.wait_text("#detail-no", &no).await;
    let shown = app.wait_text("#detail-description", "主卧飘窗渗水").await;
    assert_eq!(shown, desc, "user text is shown exactly as typed");
    assert!(!app.canary_fired().await, "markup in user text must never execute");
    app.wait_text("#timeline", "受理报修（电话）").await;
    app.wait_text("#timeline", "张建国").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_unit_is_refused_with_a_message_naming_it() {
    let app = App::start(4454).await;
    app.wait_text("#current-user", "李静").await;
    // The desk opens on 今日待办; F2 (here: the menu) goes to intake.
    app.click("#nav-intake").await;
    // What the demo holds before (the desk's own count, not a number copied from the demo).
    let before = Desk::open(app.data.path()).unwrap().list_tickets(&desk_service::tickets::TicketFilter::default(), 10_000).unwrap().total;
    app.type_in("#intake-unit", "9-9-9999").await;
    app.type_in("#intake-owner", "测试业主").await;
    app.type_in("#intake-phone", "13800000000").await;
    app.type_in("#intake-part-0", "厨房").await;
    app.type_in("#intake-desc-0", "水龙头漏水").await;
    app.click("#intake-submit").await;
    app.wait_text(".el-message", "房号「9-9-9999」在项目「翠湖澜庭」中不存在").await;
    // Nothing was written: the list still holds the demo's tickets. Leaving the unsaved
    // form asks first.
    app.click("#nav-tickets").await;
    app.wait_text(".el-message-box", "还没有保存").await;
    app.click(".leave-confirm").await;
    app.wait_text("#ticket-total", &format!("共 {before} 张")).await;
    app.stop().await;
}
