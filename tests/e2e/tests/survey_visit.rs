//! A survey visit in the window (勘查, §5.1.3.1): the steward books a survey of a general matter
//! with the owner for today — its own appointment, on 今日待办 as 现场勘查 — goes, and
//! records what was found and the plan; the dispatch dialog then starts from that plan.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::App;
use desk_domain::ticket::{Category, Channel, Classification};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::Desk;

const STEWARD: &str = "王磊";
const PLAN: &str = "凿除卫生间地面，重做防水并闭水试验 48 小时";

/// A new general matter reported by phone, with 王磊 as its steward.
fn general_matter(data: &std::path::Path) -> String {
    let desk = Desk::open(data).expect("demo database opens");
    let clerk = desk.session_for(Some("李静")).expect("clerk");
    let steward = desk.staff().unwrap().into_iter().find(|s| s.name == STEWARD).expect("the demo steward").id;
    let d = DefectInput {
        description: "卫生间地面渗水到楼下".into(),
        part: "卫生间".into(),
        category: Category::Leak,
        nature: None,
        classification: Some(Classification::General),
        steward_id: Some(steward),
        required_by: None,
        expected_visit: String::new(),
        link_to: None,
        previous: None,
        photos: Vec::new(),
    };
    let r = ReportInput {
        channel: Channel::Phone,
        reported_at: None,
        unit: "5-2-1001".into(),
        owner_id: None,
        owner_name: String::new(),
        phone: "13700004444".into(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects: vec![d],
    };
    desk.record_report(&clerk, r).expect("recorded").remove(0).no
}

#[tokio::test(flavor = "multi_thread")]
async fn the_steward_books_a_survey_records_the_plan_and_the_slip_starts_from_it() {
    let mut no = String::new();
    let app = App::start_with(5020, |data| no = general_matter(data)).await;
    app.wait_text("#current-user", "李静").await;

    app.sign_in_as(STEWARD).await;

    // Booked for a time of today (desk time, UTC+8; a few minutes ago, so the day cannot turn
    // under the test): today's survey, on 今日待办.
    app.open_ticket(&no).await;
    app.wait_text("#survey-panel", "尚未约定勘查时间").await;
    app.click("#survey-book").await;
    let at = desk_domain::time::fmt_local(chrono::Utc::now() - chrono::Duration::minutes(2));
    app.type_in("#survey-at", &at).await;
    app.type_in("#survey-note", "业主下午在家").await;
    app.click("#survey-book-save").await;
    let panel = app.wait_text("#survey-panel", "待勘查").await;
    assert!(panel.contains(&at), "{panel}");

    app.client.execute("document.querySelector('#nav-today').click()", vec![]).await.unwrap();
    let today = app.wait_text("#today-matters", &no).await;
    assert!(today.contains("现场勘查"), "{today}");

    // After the visit: findings and plan.
    app.open_ticket(&no).await;
    app.click("#survey-record").await;
    app.type_in("#survey-findings", "地面防水层局部破损，楼下顶棚有水渍").await;
    app.type_in("#survey-plan", PLAN).await;
    app.click("#survey-record-save").await;
    app.wait_text("#survey-panel", "已勘查").await;
    app.screenshot("survey").await;

    // The slip starts from the surveyed plan.
    app.click("#repair-dispatch").await;
    let plan = app.el("#dispatch-plan").await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(plan, PLAN, "the dispatch dialog starts from the survey's plan");
    app.stop().await;
}
