//! Issue 14 "not ours" in the real window: the front desk hands a new report over to the
//! property company from the ticket page (the ticket becomes 非保修范围), records a follow-up and
//! the answer the owner had, and finds the ticket again with the list's 已移交（非保修） filter.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::App;
use desk_domain::ticket::TicketStatus;
use desk_service::Desk;

/// Answers the open prompt (ElMessageBox.prompt) with `text` and saves.
async fn answer_prompt(app: &App, text: &str) {
    app.el(".el-message-box").await;
    app.type_in(".el-message-box input", text).await;
    app.click(".el-message-box__btns .el-button--primary").await;
    // The closed box leaves the page after its transition; the next prompt must not find it.
    let start = std::time::Instant::now();
    while app.text_of(".el-message-box").await.is_some() {
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "the prompt did not close");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_front_desk_hands_a_report_over_to_the_property_company_and_follows_it_to_an_answer() {
    let app = App::start(4920).await;
    app.wait_text("#current-user", "李静").await;
    let no = {
        let desk = Desk::open(app.data.path()).expect("demo database opens");
        let f = desk_service::tickets::TicketFilter { status: Some(TicketStatus::Reported), ..Default::default() };
        desk.list_tickets(&f, 10).expect("list").items.first().expect("a new demo report").no.clone()
    };

    app.click("#nav-tickets").await;
    app.type_in("#ticket-search", &format!("{no}{}", common::ENTER)).await;
    app.wait_text("#ticket-table", &no).await;
    app.click(".ticket-no").await;
    app.wait_text("#detail-no", &no).await;
    app.wait_text("#hand-over-panel", "移交后报修单改为「非保修范围」").await;

    app.click("#hand-over-property").await;
    answer_prompt(&app, "业主自建阳光房渗漏，不属保修范围（界面测试）").await;
    app.wait_text("#hand-over-panel", "移交物业公司（有偿服务）：业主自建阳光房渗漏，不属保修范围（界面测试）").await;
    let id = {
        let desk = Desk::open(app.data.path()).expect("opens");
        let t = desk.ticket(&no).expect("ticket");
        assert_eq!(t.status, TicketStatus::OutOfScope, "handed over in the same step");
        t.hand_overs[0].id
    };

    app.click(&format!("#hand-over-follow-{id}")).await;
    answer_prompt(&app, "物业已上门报价（界面测试）").await;
    app.wait_text("#hand-over-panel", "李静：物业已上门报价（界面测试）").await;
    app.click(&format!("#hand-over-answer-{id}")).await;
    answer_prompt(&app, "业主同意有偿维修，已修好（界面测试）").await;
    app.wait_text("#hand-over-panel", "业主已获答复：业主同意有偿维修，已修好（界面测试）").await;

    // Found again from the list.
    app.click("#nav-tickets").await;
    app.type_in("#ticket-search", common::ENTER).await;
    // The checkbox's input is hidden: a clerk clicks its label.
    app.click("#filter-handed-over .el-checkbox").await;
    app.wait_text("#ticket-table", &no).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn todays_list_shows_a_hand_over_whose_follow_up_is_late() {
    // Handed over a week ago and never followed up: late on 今日待办.
    let mut no = String::new();
    let app = App::start_with(4924, |data| {
        let week_ago = chrono::Utc::now() - chrono::Duration::days(7);
        let desk = Desk::open_with_clock(data, Box::new(move || week_ago)).expect("demo database opens");
        let clerk = desk.session_for(Some("李静")).expect("demo clerk");
        let f = desk_service::tickets::TicketFilter { status: Some(TicketStatus::Reported), ..Default::default() };
        no = desk.list_tickets(&f, 10).expect("list").items.first().expect("a new demo report").no.clone();
        let x = desk_service::not_ours::HandOverInput {
            to: desk_domain::not_ours::HandOverTo::CsDepartment,
            reason: "业主要求兑现销售承诺（待办测试）".into(),
        };
        desk.hand_over(&clerk, &no, x).expect("handed over");
    })
    .await;
    app.wait_text("#current-user", "李静").await;
    app.click("#nav-intake").await;
    app.click("#nav-today").await;
    let shown = app.wait_text("#today-matters", "业主要求兑现销售承诺（待办测试）").await;
    assert!(shown.contains("转地产客服") && shown.contains(&no) && shown.contains("已超时"), "{shown}");
    app.click("#today-matters .matter-duty").await;
    app.wait_text("#detail-no", &no).await;
    app.wait_text("#hand-over-panel", "移交地产客服部").await;
    app.stop().await;
}
