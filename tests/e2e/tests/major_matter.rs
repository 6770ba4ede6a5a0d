//! A major matter in the window (§5.1.4.3, §6.4): the director marks an accepted repair 重大 and
//! reports it to the project GM; the completion notice that would close the ticket is refused,
//! naming the matter and the person, until the GM's opinion is recorded; the matter waits on
//! 今日待办 meanwhile. The GM signs in and records the opinion; the notice then closes the ticket.
//! The director also records a complaint above the center with a named supervisor.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::App;
use desk_domain::ticket::TicketStatus;
use desk_service::tickets::TicketFilter;
use desk_service::Desk;

const DIRECTOR: &str = "张建国";
const GM: &str = "吴国栋";

/// Answers the open prompt box (ElMessageBox.prompt) with `text`.
async fn answer_prompt(app: &App, text: &str) {
    app.type_in(".el-message-box__input input", text).await;
    app.click(".el-message-box__btns .el-button--primary").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_major_matter_closes_only_on_the_gms_recorded_opinion() {
    let mut no = String::new();
    let app = App::start_with(5010, |data| {
        let desk = Desk::open(data).unwrap();
        let f = TicketFilter { status: Some(TicketStatus::Accepted), ..Default::default() };
        no = desk.list_tickets(&f, 1).unwrap().items.first().expect("the demo has an accepted repair").no.clone();
    })
    .await;
    app.wait_text("#current-user", "李静").await;

    // The front desk is not offered the director's step.
    app.open_ticket(&no).await;
    assert!(app.text_of("#matters-mark").await.is_none(), "only the director marks a matter major");

    app.sign_in_as(DIRECTOR).await;
    app.open_ticket(&no).await;
    app.click("#matters-mark").await;
    app.type_in("#major-description", "外墙大面积渗漏，涉及结构安全").await;
    app.choose_option("#major-reported-to", GM).await;
    app.click("#major-save").await;
    let panel = app.wait_text("#matters-panel", "待出具处理意见").await;
    assert!(panel.contains(GM), "the panel names whom it was reported to: {panel}");

    // The completion notice would close the ticket: refused, naming the matter and the GM.
    app.click("#repair-notice").await;
    app.type_in("#notice-note", "已电话告知业主维修完成").await;
    app.click("#notice-save").await;
    let refusal = app.wait_text(".el-message", "须先由其登记处理意见").await;
    assert!(refusal.contains(GM), "{refusal}");
    app.client.execute("document.querySelector('.el-dialog__headerbtn')?.click()", vec![]).await.unwrap();
    assert!(app.wait_text("#detail-status", "已验收").await.contains("已验收"));

    // The matter waits on 今日待办 for the GM.
    app.client.execute("document.querySelector('#nav-today').click()", vec![]).await.unwrap();
    let today = app.wait_text("#today-matters", &no).await;
    assert!(today.contains("重大事项"), "{today}");

    // A complaint above the center, with a named supervisor.
    app.open_ticket(&no).await;
    app.click("#matters-complaint").await;
    app.type_in("#complaint-description", "业主投诉至集团客服热线").await;
    app.choose_option("#complaint-reported-to", GM).await;
    app.choose_option("#complaint-supervisor", DIRECTOR).await;
    app.click("#complaint-save").await;
    let panel = app.wait_text("#matters-panel", "跟进人").await;
    assert!(panel.contains("业主投诉至集团客服热线"), "{panel}");

    // The GM records the opinion; the notice now closes the ticket.
    app.sign_in_as(GM).await;
    app.open_ticket(&no).await;
    app.click("[id^=matters-opinion-]").await;
    answer_prompt(&app, "同意按方案修复，维修后由工程部复核").await;
    app.wait_text("#matters-panel", "处理意见：同意按方案修复").await;
    app.screenshot("major-matter").await;

    app.sign_in_as(DIRECTOR).await;
    app.open_ticket(&no).await;
    app.click("#repair-notice").await;
    app.type_in("#notice-note", "已电话告知业主维修完成").await;
    app.click("#notice-save").await;
    app.wait_text("#detail-status", "已关闭").await;
    app.stop().await;
}
