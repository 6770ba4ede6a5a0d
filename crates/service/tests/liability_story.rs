//! The warranty verdict drives the money: the liable builder of a part class at the unit's
//! batch (基础资料 → 责任施工单位) is named with its defect liability end and its deposit
//! balance, the payer follows (builder free / hired firm from the deposit / developer / owner),
//! and commissioning a hired firm against another deposit, or after the liability period,
//! needs the director's reason, which stays on the commission and its payment request.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use desk_domain::coverage::{PartClass, Payer};
use desk_domain::fund::EntryKind;
use desk_domain::records::ContractorKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel};
use desk_service::fund::commission::CommissionInput;
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
    batch1: i64,
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
    World { desk, _dir: dir, director, clerk, batch1, general, waterproofing, firm }
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

#[test]
fn the_verdict_names_the_liable_builder_and_its_deposit_for_every_payer() {
    let mut w = world();

    // A wet-room leak at 一期: the waterproofing contract answers, five years from completion.
    let at_intake = w.desk.coverage_at_intake("1-1-101", Category::Leak, "卫生间", "卫生间地面渗水，楼下顶棚有水渍", None).unwrap();
    assert_eq!(at_intake.verdict.payer, Payer::BuilderFree);
    let b = at_intake.builder.as_ref().unwrap();
    assert_eq!((b.ledger_id, b.builder.as_str(), b.liability_end, b.balance_fen), (w.waterproofing, "宏达防水", Some(d("2029-01-01")), 100_000));
    assert!(at_intake.deposit_available);
    assert!(
        at_intake.verdict.explanation[0].contains("宏达防水（合同 HT-FS-02）") && at_intake.verdict.explanation[0].contains("¥1,000.00"),
        "{:?}",
        at_intake.verdict.explanation
    );

    // The builder did not come: a hired firm is commissioned, paid from that deposit.
    let leak = report(&mut w, "1-1-101", "卫生间", Category::Leak, "卫生间地面渗水，楼下顶棚有水渍");
    let waterproofing = w.waterproofing;
    commission(&mut w, &leak, waterproofing, None).unwrap();
    let after = w.desk.coverage_of_ticket(&leak).unwrap();
    assert_eq!(after.verdict.payer, Payer::HiredFirmFromDeposit);

    // A window at 一期: the builder's two years ended 2026-01-01 and the owner's year with them.
    let window = w.desk.coverage_at_intake("1-1-101", Category::DoorWindow, "主卧窗户", "窗扇变形关不严", None).unwrap();
    assert_eq!(window.verdict.payer, Payer::OwnerPaid);
    assert_eq!(window.builder.as_ref().map(|b| b.ledger_id), Some(w.general), "the general contractor answers for windows");
    assert!(!window.deposit_available, "its liability period ended 2026-01-01");
    assert!(window.verdict.explanation[0].contains("已过缺陷责任期"), "{:?}", window.verdict.explanation);

    // The same window at 二期, delivered a month before the builder's warranty ended: the
    // owner's year runs on, the developer pays.
    let late = w.desk.coverage_at_intake("8-1-101", Category::DoorWindow, "主卧窗户", "窗扇变形关不严", None).unwrap();
    assert_eq!(late.verdict.payer, Payer::Developer);
}

#[test]
fn commissioning_against_the_verdict_needs_the_directors_reason_and_keeps_it() {
    let mut w = world();
    let leak = report(&mut w, "1-1-101", "卫生间", Category::Leak, "卫生间地面渗水，楼下顶棚有水渍");
    let general = w.general;
    // The general contractor's deposit is not the one liable for a wet-room leak.
    let e = commission(&mut w, &leak, general, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("exception_reason"));
    assert!(e.message.contains("不是该部位的责任施工单位「宏达防水 HT-FS-02」"), "{}", e.message);
    assert!(e.message.contains("缺陷责任期已于 2026-01-01 结束"), "{}", e.message);
    assert!(w.desk.commissions_of_ticket(&leak).unwrap().is_empty(), "nothing written");

    let c = commission(&mut w, &leak, general, Some("宏达防水已破产清算，经总经理同意由总包承担")).unwrap();
    assert!(c.exception_reason.contains("不是该部位的责任施工单位") && c.exception_reason.contains("宏达防水已破产清算"), "{}", c.exception_reason);
    // Following the verdict needs no reason and records none.
    let other = report(&mut w, "1-1-101", "卫生间", Category::Leak, "淋浴区墙角渗水");
    let waterproofing = w.waterproofing;
    assert_eq!(commission(&mut w, &other, waterproofing, None).unwrap().exception_reason, "");
}

#[test]
fn one_liable_builder_per_batch_and_class_set_by_the_director() {
    let w = world();
    let (batch1, general) = (w.batch1, w.general);
    let e = w.desk.add_liability(&w.director, batch1, Some(PartClass::WetRoomLeak), general).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(e.message.contains("已由「一期 / 宏达防水」负责"), "{}", e.message);
    let e = w.desk.add_liability(&w.clerk, batch1, Some(PartClass::DoorWindow), general).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Denied);
    let project = w.desk.active_project().unwrap().id;
    let rows = w.desk.liabilities(project).unwrap();
    assert_eq!(rows.len(), 4, "nothing added by the refusals");
    assert_eq!((rows[0].part_class, rows[0].builder.as_str()), (None, "中建三局"), "the general contractor first");
    w.desk.remove_liability(&w.director, rows[1].id).unwrap();
    w.desk.add_liability(&w.director, batch1, Some(PartClass::WetRoomLeak), general).unwrap();
}
