//! Two paths of issue 14: a builder's deposit released after its defect-liability period
//! (REGULATION.md §3: application, 14-day inspection, the director's decision, 14-day payment
//! with the refund on the ledger; clocks on 今日待办), and a developer-paid repair's cost on the
//! ticket, totalled per month. The world is liability_story's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use desk_domain::clock::desk_duties::DeskDutyKind;
use desk_domain::coverage::{PartClass, Payer};
use desk_domain::fund::payment::LineKind;
use desk_domain::fund::release::{ReleaseDecision, ReleaseStep};
use desk_domain::fund::EntryKind;
use desk_domain::records::ContractorKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel};
use desk_service::developer_cost::DeveloperCostInput;
use desk_service::fund::commission::CommissionInput;
use desk_service::fund::payment::{PaymentLineInput, PaymentRequestInput};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, ContractorInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::{Desk, ErrorKind, Session};
use desk_store::fund::{self, LedgerHeader, NewEntry};
use desk_store::Store;

struct World {
    desk: Desk,
    _dir: tempfile::TempDir,
    director: Session,
    clerk: Session,
    /// 中建三局, the general contractor: liability period ended 2026-01-01.
    general: i64,
    /// 宏达防水, wet rooms and roofs: liability until 2029-01-01, ¥1,000.00 retained.
    waterproofing: i64,
    firm: i64,
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// 一期 completed 2024-01-01, delivered 2024-06-01; 二期 completed 2024-01-01 but delivered
/// only 2025-12-01. The desk's clock: Thursday 2026-03-05 09:00.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 5, 1, 0, 0).unwrap();
    let mut desk = Desk::open_with_clock(dir.path(), Box::new(move || now)).unwrap();
    let director = desk.create_first_director("张主任", "2468").unwrap();
    let clerk_id = desk
        .save_staff(
            &director,
            StaffInput { id: None, name: "前台小李".into(), role: Role::FrontDesk, phone: String::new(), active: true, pin: Some("1234".into()) },
        )
        .unwrap();
    let clerk = Session { staff_id: clerk_id, name: "前台小李".into(), role: Role::FrontDesk };
    let project = desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    let batch = |desk: &mut Desk, name: &str, delivered: &str| {
        desk.save_batch(
            &director,
            BatchInput { id: None, project_id: project, name: name.into(), delivered_on: Some(d(delivered)), completion_accepted_on: Some(d("2024-01-01")) },
        )
        .unwrap()
    };
    let batch1 = batch(&mut desk, "一期", "2024-06-01");
    let batch2 = batch(&mut desk, "二期", "2025-12-01");
    for (unit, b) in [("1-1-101", batch1), ("8-1-101", batch2)] {
        desk.save_unit(
            &clerk,
            UnitInput {
                id: None,
                project_id: project,
                batch_id: b,
                address: unit.into(),
                area_m2: None,
                owners: vec![OwnerInput { id: None, name: "王芳".into(), phones: vec!["13800135678".into()], note: String::new() }],
            },
        )
        .unwrap();
    }
    let contractor = |desk: &mut Desk, name: &str, kind| {
        desk.save_contractor(
            &director,
            ContractorInput { id: None, name: name.into(), kind, trade: String::new(), contact_person: String::new(), phone: String::new(), active: true },
        )
        .unwrap()
    };
    let builder_g = contractor(&mut desk, "中建三局", ContractorKind::Builder);
    let builder_w = contractor(&mut desk, "宏达防水", ContractorKind::Builder);
    let firm = contractor(&mut desk, "城安防水维修", ContractorKind::Maintenance);
    // A3 (the import is another story's): two ledgers with their deposits retained.
    let mut s = Store::open(&dir.path().join(desk_service::desk::DB_FILE)).unwrap();
    let ledger = |s: &mut Store, contractor_id: i64, no: &str, end: &str, credit: i64| {
        s.with_tx(|tx| {
            let l = fund::upsert_ledger(
                tx,
                &LedgerHeader { project_id: project, contractor_id, contract_no: no.into(), period_end: Some(d(end)), ..Default::default() },
                0,
            )?;
            fund::insert_entry(
                tx,
                &NewEntry {
                    ledger_id: l,
                    date: d("2024-01-10"),
                    kind: Some(EntryKind::Retention),
                    summary: "预留保修金".into(),
                    credit_fen: credit,
                    at: 0,
                    ..Default::default()
                },
            )?;
            Ok::<_, desk_store::StoreError>(l)
        })
        .unwrap()
    };
    let general = ledger(&mut s, builder_g, "HT-ZB-01", "2026-01-01", 500_000);
    let waterproofing = ledger(&mut s, builder_w, "HT-FS-02", "2029-01-01", 100_000);
    drop(s);
    for b in [batch1, batch2] {
        desk.add_liability(&director, b, None, general).unwrap();
        desk.add_liability(&director, b, Some(PartClass::WetRoomLeak), waterproofing).unwrap();
    }
    World { desk, _dir: dir, director, clerk, general, waterproofing, firm }
}

fn report(w: &mut World, unit: &str, part: &str, category: Category, description: &str) -> String {
    let def = DefectInput {
        description: description.into(),
        part: part.into(),
        category,
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
        reported_at: None,
        unit: unit.into(),
        owner_id: None,
        owner_name: String::new(),
        phone: "13800135678".into(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects: vec![def],
    };
    w.desk.record_report(&w.clerk, r).unwrap().remove(0).no
}

fn commission(w: &mut World, no: &str, ledger: i64, exception: Option<&str>) -> Result<desk_domain::fund::CommissionRecord, desk_service::DeskError> {
    let clerk = w.clerk.clone();
    w.desk.commission_repair(
        &clerk,
        CommissionInput {
            ticket_no: no.into(),
            firm_id: w.firm,
            ledger_id: Some(ledger),
            builder_id: None,
            reason: "施工单位两次书面通知后未到场".into(),
            exception_reason: exception.map(Into::into),
        },
    )
}

fn lines(v: &[(LineKind, &str, &str, i64)]) -> Vec<PaymentLineInput> {
    v.iter()
        .map(|(kind, item, q, p)| PaymentLineInput { kind: *kind, item: (*item).into(), unit: "项".into(), quantity: (*q).into(), unit_price_fen: *p })
        .collect()
}

fn duties(w: &World) -> Vec<(DeskDutyKind, String)> {
    w.desk.today().unwrap().desk_duties.into_iter().filter(|d| DeskDutyKind::RELEASE.contains(&d.kind)).map(|d| (d.kind, d.subject)).collect()
}

#[test]
fn a_builders_deposit_is_released_after_inspection_decision_and_payment() {
    let mut w = world();
    let (general, waterproofing) = (w.general, w.waterproofing);
    // An open window ticket at 一期: the general contractor answers for it.
    let window = report(&mut w, "1-1-101", "主卧窗户", Category::DoorWindow, "窗扇变形关不严");
    // A wet-room leak: the waterproofing contract's, not listed for the general contractor.
    report(&mut w, "1-1-101", "卫生间", Category::Leak, "卫生间地面渗水");
    // An open commission on the general ledger, ¥120.00 requested.
    let c = commission(&mut w, &window, general, Some("总包同意以保修金支付")).unwrap();
    w.desk.confirm_commission(&w.director, c.id, "合格").unwrap();
    let clerk = w.clerk.clone();
    w.desk.submit_payment_request(&clerk, PaymentRequestInput { commission_id: c.id, lines: lines(&[(LineKind::Material, "窗扇五金", "1", 12_000)]) }).unwrap();

    // Before the liability end: refused, naming the end.
    let e = w.desk.apply_deposit_release(&w.clerk, waterproofing, d("2026-03-01"), "宏达防水 刘经理").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert!(e.message.contains("2029-01-01") && e.message.contains("应先到期"), "{}", e.message);
    assert!(w.desk.deposit_releases(waterproofing).unwrap().is_empty(), "nothing written");

    let r = w.desk.apply_deposit_release(&w.clerk, general, d("2026-03-02"), "中建三局 王经理").unwrap();
    assert_eq!(r.step, ReleaseStep::Applied);
    assert_eq!(r.inspection_due, d("2026-03-16"));
    // The inspection clock is on 今日待办 at once.
    assert_eq!(duties(&w), vec![(DeskDutyKind::ReleaseInspection, "中建三局（合同 HT-ZB-01）".to_string())]);

    // A second application while one runs.
    let e = w.desk.apply_deposit_release(&w.clerk, general, d("2026-03-03"), "中建三局 王经理").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    assert!(e.message.contains("应先办完该申请"), "{}", e.message);
    // Decision before the inspection, payment before the decision.
    let e = w.desk.decide_deposit_release(&w.director, r.id, ReleaseDecision::ReleaseAll, "").unwrap_err();
    assert!(e.message.contains("应先完成14 日检查"), "{}", e.message);
    let e = w.desk.pay_deposit_release(&w.director, r.id, d("2026-03-05"), "").unwrap_err();
    assert!(e.message.contains("应先完成14 日检查"), "{}", e.message);

    // The inspection lists the general contractor's open tickets and sums the open commissions.
    let seen = w.desk.release_inspection(general).unwrap();
    assert_eq!(seen.tickets.iter().map(|t| t.no.as_str()).collect::<Vec<_>>(), vec![window.as_str()]);
    assert_eq!((seen.open_commissions, seen.open_deductions_fen), (1, 12_000));
    let r = w.desk.inspect_deposit_release(&w.clerk, r.id, "窗户一单未完").unwrap();
    assert_eq!((r.step, r.open_tickets, r.open_ticket_nos.as_str(), r.open_deductions_fen), (ReleaseStep::Inspected, 1, window.as_str(), 12_000));
    let e = w.desk.pay_deposit_release(&w.director, r.id, d("2026-03-05"), "").unwrap_err();
    assert!(e.message.contains("应先完成保修主任的决定"), "{}", e.message);
    let e = w.desk.inspect_deposit_release(&w.clerk, r.id, "").unwrap_err();
    assert!(e.message.contains("待决定"), "{}", e.message);

    // Refusing needs a reason; the director releases the balance after deductions.
    let e = w.desk.decide_deposit_release(&w.director, r.id, ReleaseDecision::Refuse, " ").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reason"));
    let r = w.desk.decide_deposit_release(&w.director, r.id, ReleaseDecision::ReleaseBalance, "").unwrap();
    assert_eq!((r.step, r.amount_fen, r.payment_due), (ReleaseStep::Decided, Some(488_000), Some(d("2026-03-19"))));
    assert_eq!(duties(&w), vec![(DeskDutyKind::ReleasePayment, "中建三局（合同 HT-ZB-01）".to_string())]);

    // The payment books the refund; the application is done and the clock gone.
    let r = w.desk.pay_deposit_release(&w.director, r.id, d("2026-03-05"), "记-0305-01").unwrap();
    assert_eq!(r.step, ReleaseStep::Paid);
    let entries = w.desk.ledger_entries(general).unwrap();
    let refund = entries.last().unwrap();
    assert_eq!((refund.kind, refund.debit_fen, refund.balance_fen, refund.voucher_no.as_str()), (EntryKind::Refund, 488_000, 12_000, "记-0305-01"));
    assert_eq!(Some(refund.id), r.entry_id);
    assert!(duties(&w).is_empty());
    let e = w.desk.pay_deposit_release(&w.director, r.id, d("2026-03-05"), "").unwrap_err();
    assert!(e.message.contains("已付款退还"), "{}", e.message);

    // A new application may follow a finished one; a refusal closes it with its reason.
    let r2 = w.desk.apply_deposit_release(&w.director, general, d("2026-03-05"), "中建三局 王经理").unwrap();
    w.desk.inspect_deposit_release(&w.director, r2.id, "").unwrap();
    let r2 = w.desk.decide_deposit_release(&w.director, r2.id, ReleaseDecision::Refuse, "仍有未结维修").unwrap();
    assert_eq!((r2.step, r2.amount_fen, r2.reason.as_str()), (ReleaseStep::Refused, Some(0), "仍有未结维修"));
    assert!(duties(&w).is_empty());
    assert_eq!(w.desk.ledger_entries(general).unwrap().len(), entries.len(), "a refusal books nothing");
}

#[test]
fn each_release_step_checks_its_role() {
    let w = world();
    let general = w.general;
    let engineer = Session { staff_id: w.clerk.staff_id, name: "x".into(), role: Role::Engineer };
    for role in Role::ALL.iter().copied().filter(|r| !matches!(r, Role::FrontDesk | Role::Director)) {
        let s = Session { role, ..engineer.clone() };
        let e = w.desk.apply_deposit_release(&s, general, d("2026-03-02"), "王经理").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Denied, "{role:?}");
    }
    let r = w.desk.apply_deposit_release(&w.clerk, general, d("2026-03-02"), "王经理").unwrap();
    for role in Role::ALL.iter().copied().filter(|r| !matches!(r, Role::FrontDesk | Role::Director)) {
        let s = Session { role, ..engineer.clone() };
        assert_eq!(w.desk.inspect_deposit_release(&s, r.id, "").unwrap_err().kind, ErrorKind::Denied, "{role:?}");
    }
    w.desk.inspect_deposit_release(&w.clerk, r.id, "").unwrap();
    for role in Role::ALL.iter().copied().filter(|r| *r != Role::Director) {
        let s = Session { role, ..engineer.clone() };
        assert_eq!(w.desk.decide_deposit_release(&s, r.id, ReleaseDecision::ReleaseAll, "").unwrap_err().kind, ErrorKind::Denied, "{role:?}");
    }
    w.desk.decide_deposit_release(&w.director, r.id, ReleaseDecision::ReleaseAll, "").unwrap();
    for role in Role::ALL.iter().copied().filter(|r| *r != Role::Director) {
        let s = Session { role, ..engineer.clone() };
        assert_eq!(w.desk.pay_deposit_release(&s, r.id, d("2026-03-05"), "").unwrap_err().kind, ErrorKind::Denied, "{role:?}");
    }
    let paid = w.desk.pay_deposit_release(&w.director, r.id, d("2026-03-05"), "").unwrap();
    assert_eq!(paid.amount_fen, Some(500_000));
}

#[test]
fn a_developer_paid_repair_costs_are_recorded_and_totalled_per_month() {
    let mut w = world();
    // 二期's window: the developer pays.
    let dev = report(&mut w, "8-1-101", "主卧窗户", Category::DoorWindow, "窗扇变形关不严");
    let clerk = w.clerk.clone();
    let input = |no: &str, on: &str, reason: Option<&str>| DeveloperCostInput {
        ticket_no: no.into(),
        incurred_on: d(on),
        lines: lines(&[(LineKind::Material, "合页", "2", 3_550), (LineKind::Labour, "维修工", "1.5", 20_000)]),
        reason: reason.map(Into::into),
    };
    let got = w.desk.record_developer_cost(&clerk, input(&dev, "2026-02-20", None)).unwrap();
    assert_eq!(got.iter().map(|l| l.amount_fen).collect::<Vec<_>>(), vec![7_100, 30_000]);
    w.desk.record_developer_cost(&clerk, input(&dev, "2026-03-02", None)).unwrap();

    // 一期's window: the owner pays — refused, naming the payer; nothing written.
    let owner = report(&mut w, "1-1-101", "主卧窗户", Category::DoorWindow, "窗扇变形关不严");
    let e = w.desk.record_developer_cost(&clerk, input(&owner, "2026-03-02", None)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert!(e.message.contains("业主自费") || e.message.contains(Payer::OwnerPaid.label()), "{}", e.message);
    assert!(w.desk.developer_costs_of_ticket(&owner).unwrap().is_empty());
    // Only the director may give the reason.
    let e = w.desk.record_developer_cost(&clerk, input(&owner, "2026-03-02", Some("开发商同意承担"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Denied);
    let lines_ = w.desk.record_developer_cost(&w.director, input(&owner, "2026-03-02", Some("开发商同意承担"))).unwrap();
    assert_eq!(lines_[0].reason, "开发商同意承担");

    // Bad lines are refused whole.
    let mut bad = input(&dev, "2026-03-02", None);
    bad.lines[1].quantity = "0".into();
    assert_eq!(w.desk.record_developer_cost(&clerk, bad).unwrap_err().field.as_deref(), Some("quantity"));

    let months = w.desk.developer_costs_per_month(d("2026-01-01"), d("2026-03-31")).unwrap();
    assert_eq!(months.len(), 2);
    assert_eq!(
        (months[0].month.as_str(), months[0].tickets, months[0].material_fen, months[0].labour_fen, months[0].total_fen),
        ("2026-02", 1, 7_100, 30_000, 37_100)
    );
    assert_eq!((months[1].month.as_str(), months[1].tickets, months[1].total_fen), ("2026-03", 2, 74_200));
    assert_eq!(months[0].project, "翠湖澜庭");

    // The statistics page and its workbook carry the same table.
    let st = w.desk.statistics(d("2026-03-01"), d("2026-04-01")).unwrap();
    assert_eq!(st.developer_costs, vec![months[1].clone()]);
    let path = w._dir.path().join("统计.xlsx");
    w.desk.export_statistics(d("2026-03-01"), d("2026-04-01"), &path).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let rows: Vec<Vec<calamine::Data>> = calamine::Reader::worksheet_range(&mut book, "开发商承担").unwrap().rows().map(|r| r.to_vec()).collect();
    let text: Vec<String> = rows.iter().flatten().map(|c| c.to_string()).collect();
    assert!(text.iter().any(|c| c == "2026-03") && text.iter().any(|c| c == "742"), "{text:?}");

    // Roles: the engineer, the CS assistant and the GM do not record costs.
    for role in [Role::Engineer, Role::CsAssistant, Role::ProjectGm] {
        let s = Session { role, ..clerk.clone() };
        assert_eq!(w.desk.record_developer_cost(&s, input(&dev, "2026-03-02", None)).unwrap_err().kind, ErrorKind::Denied, "{role:?}");
    }
}
