//! Markup in user text never runs (issue 7 §5): `<img onerror>` and `<script>` are written into
//! every kind of free text the desk keeps — owner and caller names, the defect, its part, the
//! expected visit time, contact notes, hold reasons, escalation details, the dispatch plan,
//! materials and site contact, a contractor's name, trade and contact person, ledger summaries,
//! vouchers, handlers and notes — and every screen that shows them is opened: each shows the text
//! exactly as typed and the canary `window.__pwned` is never set.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::App;
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::fund::EntryKind;
use desk_domain::records::ContractorKind;
use desk_domain::ticket::{Category, Channel};
use desk_service::fund::ledger::LedgerEntryInput;
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::ContractorInput;
use desk_service::repair::DispatchInput;
use desk_service::tickets::ContactInput;
use desk_service::Desk;

/// Short enough for the 40-character fields (names, parts); sets the canary if it ever runs.
const IMG: &str = "<img src=x onerror=__pwned=1>";
const SCRIPT: &str = "<script>__pwned=1</script>";

fn hostile(label: &str) -> String {
    format!("{label}{IMG}{SCRIPT}")
}

fn mini(label: &str) -> String {
    format!("{label}{IMG}")
}

#[tokio::test(flavor = "multi_thread")]
async fn markup_in_every_free_text_field_shows_as_typed_and_never_runs() {
    let app = App::start(4494).await;
    app.wait_text("#current-user", "李静").await;

    let no = {
        let desk = Desk::open(app.data.path()).expect("demo database opens");
        let clerk = desk.session_for(Some("李静")).expect("clerk");
        let boss = desk.session_for(Some("张建国")).expect("director");
        let firm = desk
            .save_contractor(
                &boss,
                ContractorInput {
                    id: None,
                    name: hostile("恶意维修公司"),
                    kind: ContractorKind::Maintenance,
                    trade: mini("专业"),
                    contact_person: mini("联系人"),
                    phone: String::new(),
                    active: true,
                },
            )
            .expect("a contractor with markup in its name is just text");
        let d = DefectInput {
            description: hostile("缺陷描述"),
            part: mini("部位"),
            category: Category::Leak,
            nature: None,
            classification: Some(desk_domain::ticket::Classification::General),
            steward_id: Some(boss.staff_id),
            required_by: None,
            expected_visit: hostile("上门时间"),
            link_to: None,
            previous: None,
            photos: Vec::new(),
        };
        let r = ReportInput {
            channel: Channel::Relayed,
            reported_at: None,
            unit: "2-3-1502".into(),
            owner_id: None,
            owner_name: mini("业主"),
            phone: "13700002222".into(),
            caller_name: mini("报修人"),
            caller_relation: "<b>邻居</b>".into(),
            defects: vec![d],
        };
        let no = desk.record_report(&clerk, r).expect("recorded").remove(0).no;
        desk.add_contact_attempt(&clerk, &no, ContactInput { channel: Channel::Phone, reached: true, note: hostile("沟通内容"), at: None }).expect("contact");
        let appointment = desk_domain::time::fmt_local(chrono::Utc::now() + chrono::Duration::days(1));
        desk.issue_dispatch(
            &boss,
            &no,
            DispatchInput {
                contractor_id: Some(firm),
                appointment_at: appointment,
                plan: hostile("维修方案"),
                materials: hostile("材料"),
                site_contact: mini("现场负责人"),
                no_contact_reason: String::new(),
                reason: None,
            },
        )
        .expect("dispatch");
        desk.hold_ticket(&clerk, &no, &hostile("暂停原因")).expect("hold");
        desk.raise_escalation(&clerk, &no, EscalationKind::Complaint, &hostile("投诉内容")).expect("escalation");
        let ledger = desk.ledgers().expect("ledgers").into_iter().next().expect("the demo has ledgers");
        desk.add_ledger_entry(
            &boss,
            LedgerEntryInput {
                ledger_id: ledger.id,
                date: desk_domain::time::local_date(chrono::Utc::now()),
                kind: EntryKind::Retention,
                voucher_no: "记<b>9</b>".into(),
                summary: hostile("摘要"),
                credit_fen: 100,
                debit_fen: 0,
                handler: hostile("经办人"),
                note: hostile("备注"),
                acknowledge_overdraw: false,
            },
        )
        .expect("entry");
        no
    };

    // Each screen that shows the planted text: it reads as typed and nothing ran.
    let visit = |hash: String, css: &'static str, needle: &'static str| {
        let app = &app;
        async move {
            app.client.execute("location.hash = arguments[0]", vec![serde_json::json!(hash)]).await.unwrap();
            let shown = app.wait_text(css, needle).await;
            assert!(shown.contains(IMG), "{hash} {css} shows the markup as text: {shown}");
            assert!(!app.canary_fired().await, "markup ran on {hash}");
        }
    };
    visit(format!("#/tickets/{no}"), "#detail-description", "缺陷描述").await;
    for (needle, typed) in [
        ("业主", mini("业主")),
        ("报修人", mini("报修人")),
        ("部位", mini("部位")),
        ("上门时间", hostile("上门时间")),
        ("沟通内容", hostile("沟通内容")),
        ("暂停原因", hostile("暂停原因")),
        ("恶意维修公司", hostile("恶意维修公司")),
        ("维修方案", hostile("维修方案")),
        ("材料", hostile("材料")),
        ("现场负责人", mini("现场负责人")),
        ("邻居", "<b>邻居</b>".into()),
    ] {
        let body = app.wait_text("body", needle).await;
        assert!(body.contains(&typed), "«{needle}» is shown exactly as typed");
    }
    visit("#/tickets".into(), "#ticket-table", "缺陷描述<img").await;
    visit("#/master/contractors".into(), "body", "恶意维修公司").await;
    app.screenshot("hostile-text").await;

    // The ledger's entry (the director signs in to see the escalation and the audit log too).
    app.click("#sign-out").await;
    app.choose_option("#signin-user", "张建国").await;
    app.type_in("#signin-pin", "1234").await;
    app.click("#signin-submit").await;
    app.wait_text("#current-user", "张建国").await;
    app.client.execute("location.hash = '#/fund/ledger'", vec![]).await.unwrap();
    app.wait_text("#ledger-list", "有限公司").await; // a builder row, not the header
    app.client.execute("document.querySelector('#ledger-list .el-table__body tr').click()", vec![]).await.unwrap();
    // The header says 摘要 too: wait for the planted entry itself.
    let entries = app.wait_text("#ledger-entries", "摘要<img").await;
    assert!(entries.contains("记<b>9</b>"), "a voucher with markup is shown as typed: {entries}");
    assert!(!app.canary_fired().await, "markup ran on the ledger");
    visit("#/master/audit".into(), "body", "恶意维修公司").await;
    visit(format!("#/tickets/{no}"), "body", "投诉内容").await;
    app.stop().await;
}
