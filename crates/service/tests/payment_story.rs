//! Fund flow 4.2 as one story: a ticket the builder did not repair is commissioned to a hired
//! firm (with the reason), the repair is accepted and confirmed (C5), the firm's itemised
//! request is recorded with exact amounts (C6), reviewed with a changed line and its reason
//! (A7), countersigned by every required role with their PINs (会签), and paid (D8) — one
//! deduction on the builder's deposit pointing at the ticket and the request. Plus every
//! refusal: no reason, out of order, a second request, wrong role, wrong PIN, paying twice,
//! overdrawing the deposit without acknowledgement, editing a posted entry.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use desk_domain::fund::{EntryKind, LineKind, PaymentStatus};
use desk_domain::records::ContractorKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel};
use desk_service::acceptance::AcceptInput;
use desk_service::fund::commission::CommissionInput;
use desk_service::fund::payment::{LineReviewInput, PayInput, PaymentLineInput, PaymentRequestInput, ReviewInput};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, ContractorInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::repair::{DispatchInput, FinishInput};
use desk_service::{Desk, DeskError, ErrorKind, Session};
use desk_store::fund::{self, LedgerHeader, NewEntry};
use desk_store::Store;
use std::sync::{Arc, Mutex};

struct World {
    desk: Desk,
    clock: Arc<Mutex<DateTime<Utc>>>,
    dir: tempfile::TempDir,
    director: Session,
    clerk: Session,
    steward: Session,
    engineer: Session,
    gm_id: i64,
    project: i64,
    builder: i64,
    firm: i64,
    ledger: i64,
}

impl World {
    fn at(&self, local: &str) {
        *self.clock.lock().unwrap() = desk_domain::time::parse_local(local, "t").unwrap();
    }

    /// A second connection to the desk's database, for what the Desk API does not offer here
    /// (setting up a ledger, reading raw entries, trying to tamper with them).
    fn store(&self) -> Store {
        Store::open(&self.dir.path().join(desk_service::desk::DB_FILE)).unwrap()
    }

    fn entries(&self) -> Vec<desk_domain::fund::LedgerEntryRecord> {
        let s = self.store();
        s.with_tx(|tx| fund::entries(tx, self.ledger)).unwrap()
    }

    fn balance(&self) -> i64 {
        let s = self.store();
        s.with_tx(|tx| fund::ledger(tx, self.ledger)).unwrap().balance_fen
    }
}

const DIRECTOR_PIN: &str = "2468";
const GM_PIN: &str = "1357";
/// The deposit retained from the builder: ¥1,000.00.
const CREDIT: i64 = 100_000;

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(Mutex::new(Utc.with_ymd_and_hms(2026, 3, 5, 1, 0, 0).unwrap()));
    let c = clock.clone();
    let mut desk = Desk::open_with_clock(dir.path(), Box::new(move || *c.lock().unwrap())).unwrap();
    let director = desk.create_first_director("张主任", DIRECTOR_PIN).unwrap();
    let add = |name: &str, role, pin: &str| {
        let id =
            desk.save_staff(&director, StaffInput { id: None, name: name.into(), role, phone: String::new(), active: true, pin: Some(pin.into()) }).unwrap();
        Session { staff_id: id, name: name.into(), role }
    };
    let clerk = add("前台小李", Role::FrontDesk, "1234");
    let steward = add("管家小周", Role::Steward, "1234");
    let engineer = add("刘工", Role::Engineer, "1234");
    let gm = add("王总", Role::ProjectGm, GM_PIN);
    let project = desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    let b = desk
        .save_batch(&director, BatchInput { id: None, project_id: project, name: "一期".into(), delivered_on: None, completion_accepted_on: None })
        .unwrap();
    for (unit, phone) in [("3-2-1502", "13800135678"), ("5-1-0801", "13900139876")] {
        desk.save_unit(
            &clerk,
            UnitInput {
                id: None,
                project_id: project,
                batch_id: b,
                address: unit.into(),
                area_m2: None,
                owners: vec![OwnerInput { id: None, name: "王芳".into(), phones: vec![phone.into()], note: String::new() }],
            },
        )
        .unwrap();
    }
    let contractor = |desk: &mut Desk, name: &str, kind| {
        desk.save_contractor(
            &director,
            ContractorInput { id: None, name: name.into(), kind, trade: "防水".into(), contact_person: String::new(), phone: String::new(), active: true },
        )
        .unwrap()
    };
    let builder = contractor(&mut desk, "中建三局", ContractorKind::Builder);
    let firm = contractor(&mut desk, "城安防水维修", ContractorKind::Maintenance);
    let mut w = World { desk, clock, dir, director, clerk, steward, engineer, gm_id: gm.staff_id, project, builder, firm, ledger: 0 };
    // A3: the deposit ledger with the retained deposit (the ledger import is another module's).
    let s = w.store();
    w.ledger = s
        .with_tx(|tx| {
            let l = fund::upsert_ledger(
                tx,
                &LedgerHeader { project_id: project, contractor_id: builder, contract_no: "HT-2023-017".into(), ..Default::default() },
                0,
            )?;
            fund::insert_entry(
                tx,
                &NewEntry {
                    ledger_id: l,
                    date: chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
                    kind: Some(EntryKind::Retention),
                    summary: "预留保修金".into(),
                    credit_fen: CREDIT,
                    at: 0,
                    ..Default::default()
                },
            )?;
            Ok::<_, desk_store::StoreError>(l)
        })
        .unwrap();
    w
}

fn report(w: &mut World, unit: &str, phone: &str) -> String {
    let d = DefectInput {
        description: "卫生间地面渗水，楼下顶棚有水渍".into(),
        part: "卫生间".into(),
        category: Category::Leak,
        nature: None,
        classification: Some(desk_domain::ticket::Classification::General),
        steward_id: Some(1),
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
        phone: phone.into(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects: vec![d],
    };
    w.desk.record_report(&w.clerk, r).unwrap().remove(0).no
}

fn png() -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, 40, 20);
        enc.set_color(png::ColorType::Rgba);
        let mut wr = enc.write_header().unwrap();
        let mut px = vec![0u8; 40 * 20 * 4];
        for x in 0..40 {
            px[(10 * 40 + x) * 4 + 3] = 255;
        }
        wr.write_image_data(&px).unwrap();
    }
    bytes
}

/// The hired firm repairs the ticket and the owner signs (§5.1.3–§5.1.3.6).
fn repaired_and_accepted(w: &mut World, no: &str) {
    use base64::Engine;
    w.at("2026-03-05 10:00");
    let d = w
        .desk
        .issue_dispatch(
            &w.clerk,
            no,
            DispatchInput {
                no_contact_reason: "业主来电时已约定上门时间".into(),
                reason: None,
                contractor_id: Some(w.firm),
                appointment_at: "2026-03-05 14:00".into(),
                plan: "凿开地面重做防水".into(),
                materials: "防水涂料".into(),
                site_contact: "赵师傅".into(),
            },
        )
        .unwrap();
    w.at("2026-03-05 14:05");
    w.desk.record_arrival(&w.clerk, &d.no, None).unwrap();
    let f = w.dir.path().join("after.png");
    std::fs::write(&f, png()).unwrap();
    w.desk.add_photos(&w.clerk, no, "After", &[f.display().to_string()]).unwrap();
    w.desk
        .finish_repair(
            &w.clerk,
            no,
            FinishInput {
                person_in_charge: "赵师傅".into(),
                materials_used: "防水涂料".into(),
                promised_at: None,
                completed_at: None,
                cause: "防水层破损".into(),
                measures: "重做防水".into(),
                reliability: "闭水试验无渗漏".into(),
            },
        )
        .unwrap();
    w.desk.recheck(&w.steward, no, true, "合格").unwrap();
    let sig = base64::engine::general_purpose::STANDARD.encode(png());
    w.desk.accept_repair(&w.clerk, no, AcceptInput::OwnerOnScreen { signature_png_base64: sig, opinion: "满意".into() }).unwrap();
}

fn line(kind: LineKind, item: &str, unit: &str, q: &str, price: i64) -> PaymentLineInput {
    PaymentLineInput { kind, item: item.into(), unit: unit.into(), quantity: q.into(), unit_price_fen: price }
}

fn assert_err(r: Result<impl std::fmt::Debug, DeskError>, kind: ErrorKind, needle: &str) -> DeskError {
    let e = r.unwrap_err();
    assert_eq!(e.kind, kind, "{e:?}");
    assert!(e.message.contains(needle), "«{}» lacks «{needle}»", e.message);
    e
}

fn pay(date: &str, voucher: &str, allow_negative: bool) -> PayInput {
    PayInput { paid_on: date.into(), voucher_no: voucher.into(), allow_negative }
}

#[test]
fn a_commissioned_repair_is_paid_once_from_the_builders_deposit() {
    let mut w = world();
    let no = report(&mut w, "3-2-1502", "13800135678");

    // 4.2: commission, with the reason the builder did not perform.
    let (firm, builder) = (w.firm, w.builder);
    let input = |reason: &str| CommissionInput {
        ticket_no: no.clone(),
        firm_id: firm,
        ledger_id: None,
        builder_id: Some(builder),
        reason: reason.into(),
        exception_reason: None,
    };
    let e = assert_err(w.desk.commission_repair(&w.clerk, input("  ")), ErrorKind::Invalid, "委托原因");
    assert_eq!(e.field.as_deref(), Some("reason"));
    assert_err(w.desk.commission_repair(&w.steward, input("x")), ErrorKind::Denied, "委托");
    let mut as_builder = input("x");
    as_builder.firm_id = w.builder;
    assert_err(w.desk.commission_repair(&w.clerk, as_builder), ErrorKind::Invalid, "维保单位");
    let m = w.desk.commission_repair(&w.clerk, input("施工单位接通知后三次未到场")).unwrap();
    assert_eq!((m.ledger_id, m.builder.as_str(), m.firm.as_str(), m.contract_no.as_str()), (w.ledger, "中建三局", "城安防水维修", "HT-2023-017"));
    assert!(m.confirmed_at.is_none());
    assert_err(w.desk.commission_repair(&w.clerk, input("again")), ErrorKind::Conflict, "不能重复委托");

    // C6 before C5 is refused; C5 before the repair is accepted needs the director and a note.
    let lines = vec![
        line(LineKind::Material, "防水涂料", "m²", "2.5", 3_333),
        line(LineKind::Labour, "防水工", "工日", "1.5", 30_000),
        line(LineKind::Other, "垃圾清运", "项", "１", 1_267),
    ];
    let request = |lines: Vec<PaymentLineInput>| PaymentRequestInput { commission_id: m.id, lines };
    assert_err(w.desk.submit_payment_request(&w.clerk, request(lines.clone())), ErrorKind::Refused, "C5");
    assert_err(w.desk.confirm_commission(&w.engineer, m.id, ""), ErrorKind::Refused, "尚未验收");
    assert_err(w.desk.confirm_commission(&w.director, m.id, ""), ErrorKind::Invalid, "检查合格的情况");
    assert_err(w.desk.confirm_commission(&w.clerk, m.id, ""), ErrorKind::Denied, "C5");
    repaired_and_accepted(&mut w, &no);
    let m = w.desk.confirm_commission(&w.engineer, m.id, "").unwrap();
    assert!(m.confirmed_at.is_some());
    assert_err(w.desk.confirm_commission(&w.engineer, m.id, ""), ErrorKind::Refused, "已于");

    // C6: exact amounts (2.5 × ¥33.33 = ¥83.325 → ¥83.33).
    w.at("2026-06-20 10:00");
    assert_err(w.desk.submit_payment_request(&w.clerk, request(Vec::new())), ErrorKind::Invalid, "至少要有一行");
    let mut bad = lines.clone();
    bad[1].quantity = "一.五".into();
    let e = assert_err(w.desk.submit_payment_request(&w.clerk, request(bad)), ErrorKind::Invalid, "第 2 行");
    assert_eq!(e.field.as_deref(), Some("quantity"));
    let r = w.desk.submit_payment_request(&w.clerk, request(lines.clone())).unwrap();
    assert_eq!(r.no, "FK-2026-0001");
    assert_eq!(r.status, PaymentStatus::Submitted);
    assert_eq!(r.lines.iter().map(|l| l.amount_fen).collect::<Vec<_>>(), vec![8_333, 45_000, 1_267]);
    assert_eq!(r.requested_fen, 54_600);
    assert_eq!((r.ticket_no.as_str(), r.project_id), (no.as_str(), w.project));
    assert_err(w.desk.submit_payment_request(&w.clerk, request(lines)), ErrorKind::Conflict, "付款申请已存在");

    // Steps out of order.
    assert_err(w.desk.countersign_payment_request(&w.clerk, &r.no, w.director.staff_id, DIRECTOR_PIN, ""), ErrorKind::Refused, "A7 审核");
    assert_err(w.desk.pay_payment_request(&w.director, &r.no, pay("2026-06-20", "记-1", false)), ErrorKind::Refused, "A7 审核");

    // A7: a change without a reason is refused; with one, the original stays beside it.
    let change = |reason: &str| ReviewInput {
        lines: vec![LineReviewInput { seq: 1, quantity: Some("2".into()), unit_price_fen: None, reason: reason.into() }],
        note: "单价按合同价".into(),
    };
    assert_err(w.desk.review_payment_request(&w.clerk, &r.no, change("实测")), ErrorKind::Denied, "A7");
    let e = assert_err(w.desk.review_payment_request(&w.director, &r.no, change("")), ErrorKind::Invalid, "审核说明");
    assert_eq!(e.field.as_deref(), Some("reason"));
    let r = w.desk.review_payment_request(&w.director, &r.no, change("现场实测 2 m²")).unwrap();
    assert_eq!(r.status, PaymentStatus::Reviewed);
    let l1 = &r.lines[0];
    assert_eq!((l1.quantity_milli, l1.amount_fen, l1.reviewed_quantity_milli, l1.reviewed_amount_fen), (2500, 8_333, Some(2000), Some(6_666)));
    assert!(l1.changed && l1.review_reason == "现场实测 2 m²");
    assert!(!r.lines[1].changed && r.lines[1].reviewed_amount_fen == Some(45_000));
    let approved = 6_666 + 45_000 + 1_267;
    assert_eq!((r.requested_fen, r.approved_fen), (54_600, Some(approved)));
    assert_err(w.desk.review_payment_request(&w.director, &r.no, change("again")), ErrorKind::Refused, "审核");

    // 会签 by the default roles (保修主任 + 项目总经理), each with their own PIN.
    assert_eq!(r.required_roles, vec![Role::Director, Role::ProjectGm]);
    let e = assert_err(w.desk.countersign_payment_request(&w.clerk, &r.no, w.engineer.staff_id, "1234", "同意"), ErrorKind::Refused, "不在会签人之列");
    assert_eq!(e.field.as_deref(), Some("staff_id"));
    let e = assert_err(w.desk.countersign_payment_request(&w.clerk, &r.no, w.director.staff_id, "0000", "同意"), ErrorKind::Denied, "PIN 不正确");
    assert_eq!(e.field.as_deref(), Some("pin"));
    let r = w.desk.countersign_payment_request(&w.clerk, &r.no, w.director.staff_id, DIRECTOR_PIN, "同意").unwrap();
    assert_eq!((r.status, r.countersigns.len()), (PaymentStatus::Reviewed, 1));
    assert_err(w.desk.countersign_payment_request(&w.clerk, &r.no, w.director.staff_id, DIRECTOR_PIN, ""), ErrorKind::Refused, "重复会签");
    assert_err(w.desk.pay_payment_request(&w.director, &r.no, pay("2026-06-20", "记-1", false)), ErrorKind::Refused, "会签");
    let r = w.desk.countersign_payment_request(&w.clerk, &r.no, w.gm_id, GM_PIN, "").unwrap();
    assert_eq!(r.status, PaymentStatus::Countersigned);
    assert_eq!(r.countersigns.iter().map(|k| (k.role, k.name.as_str())).collect::<Vec<_>>(), vec![(Role::Director, "张主任"), (Role::ProjectGm, "王总")]);

    // D8: one deduction, pointing at the ticket and the request.
    w.at("2026-07-01 16:00");
    assert_err(w.desk.pay_payment_request(&w.director, &r.no, pay("2026-07-02", "记-0701-07", false)), ErrorKind::Invalid, "不能晚于今天");
    assert_err(w.desk.pay_payment_request(&w.director, &r.no, pay("2026-07-01", " ", false)), ErrorKind::Invalid, "凭证号");
    assert_err(w.desk.pay_payment_request(&w.steward, &r.no, pay("2026-07-01", "记-0701-07", false)), ErrorKind::Denied, "D8");
    let before = w.entries().len();
    let r = w.desk.pay_payment_request(&w.clerk, &r.no, pay("2026-07-01", "记-0701-07", false)).unwrap();
    assert_eq!((r.status, r.paid_voucher.as_str()), (PaymentStatus::Paid, "记-0701-07"));
    let entries = w.entries();
    assert_eq!(entries.len(), before + 1);
    let d = entries.last().unwrap();
    assert_eq!(Some(d.id), r.entry_id);
    assert_eq!((d.kind, d.credit_fen, d.debit_fen), (EntryKind::Deduction, 0, approved));
    assert_eq!((d.ticket_id, d.ticket_no.as_str()), (Some(r.ticket_id), no.as_str()));
    assert_eq!((d.payment_request_id, d.payment_request_no.as_str()), (Some(r.id), "FK-2026-0001"));
    assert_eq!((d.voucher_no.as_str(), d.date.to_string().as_str()), ("记-0701-07", "2026-07-01"));
    assert!(d.summary.contains("委托维修扣款") && d.summary.contains(&no) && d.summary.contains("FK-2026-0001"), "{}", d.summary);
    assert_eq!(w.balance(), CREDIT - approved);

    // Never twice.
    assert_err(w.desk.pay_payment_request(&w.clerk, &r.no, pay("2026-07-01", "记-0701-08", true)), ErrorKind::Refused, "不能重复付款");
    assert_eq!(w.entries().len(), before + 1);
    assert_eq!(w.balance(), CREDIT - approved);

    // A posted entry cannot be changed (trigger).
    let s = w.store();
    let upd = s.raw_sql().unwrap().execute("UPDATE ledger_entry SET debit_fen = 1 WHERE id = ?1", [d.id]);
    assert!(upd.unwrap_err().to_string().contains("只能追加"));

    // Reading back: the ticket's commissions, the board, the timeline.
    let c = w.desk.commissions_of_ticket(&no).unwrap();
    assert_eq!((c.len(), c[0].request_no.as_deref(), c[0].request_status), (1, Some("FK-2026-0001"), Some(PaymentStatus::Paid)));
    let paid = w.desk.payment_requests(w.project, Some(PaymentStatus::Paid)).unwrap();
    assert_eq!((paid.len(), paid[0].countersigns, paid[0].approved_fen), (1, 2, Some(approved)));
    assert!(w.desk.payment_requests(w.project, Some(PaymentStatus::Submitted)).unwrap().is_empty());
    assert!(w.desk.commissions(w.project, true).unwrap().is_empty());
    let timeline = w.desk.ticket(&no).unwrap().timeline;
    assert!(timeline.iter().any(|a| a.detail.contains("委托维修：城安防水维修")), "{timeline:?}");
    assert!(timeline.iter().any(|a| a.detail.contains("C5")));

    // The printed form: numbers and capitals as approved.
    let p = w.desk.print_payment_request(&r.no).unwrap();
    assert!(p.path.contains("prints") && p.path.ends_with("FK-2026-0001.pdf"), "{}", p.path);
    let out = std::process::Command::new("pdftotext").arg(&p.path).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout).replace(['\n', ' '], "");
    for needle in [
        "委托维修付款申请单",
        "FK-2026-0001",
        no.as_str(),
        "中建三局",
        "HT-2023-017",
        "城安防水维修",
        "施工单位接通知后三次未到场",
        "83.33",
        "66.66",
        "546.00",
        "529.33",
        "伍佰贰拾玖元叁角叁分",
        "伍佰肆拾陆元整",
        "现场实测2m²",
        "王总",
        "记-0701-07",
    ] {
        assert!(text.contains(needle), "the PDF lacks «{needle}»: {text}");
    }
}

#[test]
fn overdrawing_the_deposit_needs_an_explicit_acknowledgement() {
    let mut w = world();
    let no = report(&mut w, "5-1-0801", "13900139876");
    // The ledger chosen explicitly this time; confirmed by the director's own inspection note.
    let m = w
        .desk
        .commission_repair(
            &w.director,
            CommissionInput {
                ticket_no: no.clone(),
                firm_id: w.firm,
                ledger_id: Some(w.ledger),
                builder_id: None,
                reason: "施工单位已撤场，书面通知未回复".into(),
                exception_reason: None,
            },
        )
        .unwrap();
    let m = w.desk.confirm_commission(&w.director, m.id, "保修主任现场检查，闭水试验 48 小时无渗漏").unwrap();
    assert!(m.confirm_note.contains("闭水试验"));
    let r = w
        .desk
        .submit_payment_request(&w.clerk, PaymentRequestInput { commission_id: m.id, lines: vec![line(LineKind::Labour, "外墙修补", "m²", "12", 10_000)] })
        .unwrap();
    assert_eq!(r.requested_fen, 120_000);
    let r = w.desk.review_payment_request(&w.engineer, &r.no, ReviewInput { lines: Vec::new(), note: String::new() }).unwrap();
    assert_eq!(r.approved_fen, Some(120_000));

    // The countersigning roles are a setting: add the engineer.
    assert_err(w.desk.set_countersign_roles(&w.clerk, vec![Role::Director]), ErrorKind::Denied, "会签");
    assert_err(w.desk.set_countersign_roles(&w.director, vec![Role::FrontDesk]), ErrorKind::Invalid, "前台客服");
    let roles = w.desk.set_countersign_roles(&w.director, vec![Role::Director, Role::ProjectGm, Role::Engineer]).unwrap();
    assert_eq!(w.desk.countersign_roles().unwrap(), roles);
    for (id, pin) in [(w.director.staff_id, DIRECTOR_PIN), (w.gm_id, GM_PIN)] {
        w.desk.countersign_payment_request(&w.clerk, &r.no, id, pin, "同意").unwrap();
    }
    assert_eq!(w.desk.payment_request(&r.no).unwrap().status, PaymentStatus::Reviewed, "the engineer must sign too");
    let r = w.desk.countersign_payment_request(&w.clerk, &r.no, w.engineer.staff_id, "1234", "").unwrap();
    assert_eq!(r.status, PaymentStatus::Countersigned);

    // ¥1,200.00 from a ¥1,000.00 deposit: a warning the window turns into a question.
    w.at("2026-07-01 09:00");
    let before = w.entries().len();
    let e = assert_err(w.desk.pay_payment_request(&w.clerk, &r.no, pay("2026-07-01", "记-0701-09", false)), ErrorKind::NeedsConfirmation, "保修金余额不足");
    assert_eq!(e.field.as_deref(), Some("allow_negative"));
    assert!(e.message.contains("¥1,000.00") && e.message.contains("¥1,200.00") && e.message.contains("仍要付款吗"), "{}", e.message);
    assert_eq!(w.entries().len(), before, "nothing is written before the user confirms");
    assert_eq!(w.desk.payment_request(&r.no).unwrap().status, PaymentStatus::Countersigned);

    let r = w.desk.pay_payment_request(&w.clerk, &r.no, pay("2026-07-01", "记-0701-09", true)).unwrap();
    assert_eq!(r.status, PaymentStatus::Paid);
    assert_eq!(w.balance(), CREDIT - 120_000);
    let d = w.entries().pop().unwrap();
    assert!(d.note.contains("确认仍付款"), "{}", d.note);
    assert_eq!(d.balance_fen, -20_000);
}
