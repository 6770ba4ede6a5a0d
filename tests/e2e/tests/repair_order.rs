//! The procedure's order is kept by the desk, not only by the buttons: a slip is refused while
//! the ticket has no responsible steward, and an arrival dated before the slip is refused, each
//! saying what must come first.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::App;
use desk_domain::ticket::{Category, Channel, Classification};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::tickets::ContactInput;
use desk_service::Desk;

/// A new ticket, classified and with the owner reached, but with no steward.
fn ticket_without_steward(app: &App) -> String {
    let desk = Desk::open(app.data.path()).expect("demo database opens");
    let clerk = desk.session_for(Some("李静")).expect("clerk");
    let d = DefectInput {
        description: "次卧窗户密封条脱落".into(),
        part: "门窗".into(),
        category: Category::Other,
        nature: None,
        classification: Some(Classification::General),
        steward_id: None,
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
        phone: "13700003333".into(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects: vec![d],
    };
    let no = desk.record_report(&clerk, r).expect("recorded").remove(0).no;
    desk.add_contact_attempt(&clerk, &no, ContactInput { channel: Channel::Phone, reached: true, note: "约好明早".into(), at: None }).expect("contact");
    no
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slip_without_a_steward_and_an_arrival_before_the_slip_are_refused() {
    let app = App::start(4830).await;
    app.wait_text("#current-user", "李静").await;
    let no = ticket_without_steward(&app);
    app.open_ticket(&no).await;

    // The dialog says what is missing before anything is typed; saving is refused in words.
    app.click("#repair-dispatch").await;
    app.wait_text("#dispatch-missing", "指定责任管家").await;
    app.choose_option("#dispatch-contractor", "城安防水").await;
    app.click("#dispatch-save").await;
    app.wait_text(".el-message", "请先指定责任管家").await;
    app.wait_text("#detail-status", "已联系").await;
    let desk = Desk::open(app.data.path()).expect("desk");
    assert!(desk.ticket(&no).expect("ticket").dispatches.is_empty(), "no slip was issued");
    drop(desk);

    // With a steward the slip goes out; an arrival typed as before the slip is refused.
    {
        let desk = Desk::open(app.data.path()).expect("desk");
        let clerk = desk.session_for(Some("李静")).expect("clerk");
        let steward = desk.staff().expect("staff").into_iter().find(|s| s.name == "张建国").expect("director").id;
        desk.assign_steward(&clerk, &no, steward).expect("steward");
    }
    app.open_ticket(&no).await;
    app.click("#repair-dispatch").await;
    app.choose_option("#dispatch-contractor", "城安防水").await;
    app.click("#dispatch-save").await;
    app.wait_text("#detail-status", "已派工").await;

    app.click("#repair-arrival").await;
    app.type_in("#arrival-at", "2020-01-01 09:00").await;
    app.click("#arrival-save").await;
    app.wait_text(".el-message", "早于调度单").await;
    app.wait_text("#detail-status", "已派工").await;
    app.stop().await;
}
