//! The deposit ledger's invariants hold for any sequence of operations (issue 7 §4): hand
//! entries (opening, retention, refund, adjustment — sometimes overdrawing, acknowledged or
//! not, sometimes with a voucher already used, sometimes invalid), reversals of random existing
//! entries (including reversing twice and reversing a reversal), and payments posted through the
//! whole payment flow (C5 → C6 → A7 → 会签 → D8). After every step:
//!
//! * each ledger's balance equals Σ credit − Σ debit of its entries, and equals the balance a
//!   simple model of the operations expects; the last entry's running balance is the balance;
//! * `Desk::check()` is ok;
//! * a refused operation wrote nothing (entry count unchanged) and was refused for the reason
//!   the model predicts; an accepted one wrote exactly one entry;
//! * every entry is reversed at most once; a reversal's amounts are the negation of its
//!   original's, on the same ledger; no reversal is itself reversed.
//!
//! Each case starts from a copy of one demo database (built once). Cases: `WDESK_PROP_CASES`
//! (default 32, up to 25 operations each).
//!
//! Run: `cargo test -p desk-service --test ledger_props`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::copy_dir;
use desk_domain::fund::{EntryKind, LineKind, PaymentStatus};
use desk_domain::records::ContractorKind;
use desk_domain::ticket::{Category, Channel};
use desk_service::fund::commission::CommissionInput;
use desk_service::fund::ledger::LedgerEntryInput;
use desk_service::fund::payment::{PayInput, PaymentLineInput, PaymentRequestInput, ReviewInput};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::{Desk, DeskError, ErrorKind, Session};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
enum Op {
    /// A hand entry. `kind` 0–3 valid kinds, 4 Deduction and 5 Reversal (always refused);
    /// `amount` 0 is refused; `voucher` Some(v) reuses a small set of voucher numbers; `beyond`
    /// makes a debit larger than the balance (an overdraw).
    Hand { ledger: usize, kind: u8, credit: bool, amount: i64, voucher: Option<u8>, ack: bool, beyond: bool },
    /// Reverse the `pick`-th entry (of all entries, by id) — valid or not.
    Reverse { pick: usize },
    /// A commissioned repair paid through the whole flow, `quantity` × ¥300.00 of labour (more
    /// than the balance when `beyond`).
    Pay { ledger: usize, quantity: u32, ack: bool, beyond: bool },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (any::<usize>(), 0u8..6, any::<bool>(), prop_oneof![1 => Just(0i64), 9 => 1i64..2_000_000], proptest::option::weighted(0.3, 0u8..4), any::<bool>(), proptest::bool::weighted(0.3))
            .prop_map(|(ledger, kind, credit, amount, voucher, ack, beyond)| Op::Hand { ledger, kind, credit, amount, voucher, ack, beyond }),
        4 => any::<usize>().prop_map(|pick| Op::Reverse { pick }),
        2 => (any::<usize>(), 1u32..400, any::<bool>(), proptest::bool::weighted(0.4)).prop_map(|(ledger, quantity, ack, beyond)| Op::Pay { ledger, quantity, ack, beyond }),
    ]
}

struct World {
    desk: Desk,
    _dir: tempfile::TempDir,
    director: Session,
    clerk: Session,
    gm: Session,
    firm: i64,
    ledgers: Vec<i64>,
    /// The balance the operations should have left on each ledger.
    model: HashMap<i64, i64>,
    payments: u32,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(common::demo_template(chrono::Utc::now), dir.path());
    let desk = Desk::open(dir.path()).unwrap();
    let director = desk.session_for(Some("张建国")).unwrap();
    let clerk = desk.session_for(Some("李静")).unwrap();
    let gm = desk.session_for(Some("吴国栋")).unwrap();
    let firm = desk.contractors().unwrap().into_iter().find(|c| c.kind == ContractorKind::Maintenance).unwrap().id;
    let all = desk.ledgers().unwrap();
    assert!(all.len() >= 2, "the demo has ledgers");
    let model = all.iter().map(|l| (l.id, l.balance_fen)).collect();
    let ledgers = all.iter().map(|l| l.id).collect();
    World { desk, _dir: dir, director, clerk, gm, firm, ledgers, model, payments: 0 }
}

fn all_entries(w: &World) -> Vec<desk_domain::fund::LedgerEntryRecord> {
    let mut out: Vec<_> = w.ledgers.iter().flat_map(|id| w.desk.ledger_entries(*id).unwrap()).collect();
    out.sort_by_key(|e| e.id);
    out
}

fn check_invariants(w: &mut World, step: usize, what: &str) -> Result<(), TestCaseError> {
    let entries = all_entries(w);
    let by_id: BTreeMap<i64, _> = entries.iter().map(|e| (e.id, e)).collect();
    for l in w.desk.ledgers().unwrap() {
        let mine: Vec<_> = entries.iter().filter(|e| e.ledger_id == l.id).collect();
        let sum: i64 = mine.iter().map(|e| e.credit_fen - e.debit_fen).sum();
        prop_assert_eq!(l.balance_fen, sum, "step {} ({}): ledger #{} balance vs entries", step, what, l.id);
        prop_assert_eq!(l.balance_fen, w.model[&l.id], "step {} ({}): ledger #{} balance vs the model", step, what, l.id);
        prop_assert_eq!(l.entries, mine.len() as i64);
        if let Some(last) = w.desk.ledger_entries(l.id).unwrap().last() {
            prop_assert_eq!(last.balance_fen, l.balance_fen, "running balance of the last entry");
        }
    }
    let mut reversed: HashMap<i64, usize> = HashMap::new();
    for e in &entries {
        if let Some(orig) = e.reverses_id {
            *reversed.entry(orig).or_default() += 1;
            let o = by_id.get(&orig).expect("a reversal points at an existing entry");
            prop_assert_eq!(e.kind, EntryKind::Reversal);
            prop_assert_eq!((e.credit_fen, e.debit_fen), (-o.credit_fen, -o.debit_fen), "a reversal negates its original");
            prop_assert_eq!(e.ledger_id, o.ledger_id);
            prop_assert_eq!(o.reversed_by, Some(e.id));
            prop_assert!(o.reverses_id.is_none(), "a reversal was reversed");
        }
    }
    prop_assert!(reversed.values().all(|n| *n == 1), "an entry reversed twice");
    let report = w.desk.check().unwrap();
    prop_assert!(report.ok, "step {} ({}): check: {:?}", step, what, report.problems);
    Ok(())
}

/// Runs one operation; returns a label and whether the model expected it to write.
/// Runs one operation; returns a label, how many entries it should have written, and its outcome.
fn apply(w: &mut World, op: &Op) -> Result<(String, usize, &'static str), TestCaseError> {
    let today = desk_domain::time::local_date(w.desk.now());
    match op {
        Op::Hand { ledger, kind, credit, amount, voucher, ack, beyond } => {
            let id = w.ledgers[ledger % w.ledgers.len()];
            let amount = &if *beyond && *amount > 0 { w.model[&id].max(0) + amount } else { *amount };
            let kind =
                [EntryKind::Opening, EntryKind::Retention, EntryKind::Refund, EntryKind::Adjustment, EntryKind::Deduction, EntryKind::Reversal][*kind as usize];
            // Retention and opening are credits, refunds debits; adjustments either way.
            let credit = match kind {
                EntryKind::Opening | EntryKind::Retention => true,
                EntryKind::Refund => false,
                _ => *credit,
            };
            let (c, d) = if credit { (*amount, 0) } else { (0, *amount) };
            let voucher_no = voucher.map(|v| format!("手记-{v}")).unwrap_or_default();
            let used = !voucher_no.is_empty() && w.desk.ledger_entries(id).unwrap().iter().any(|e| e.voucher_no == voucher_no);
            let after = w.model[&id] + c - d;
            let input = LedgerEntryInput {
                ledger_id: id,
                date: today,
                kind,
                voucher_no: voucher_no.clone(),
                summary: format!("手工{}", kind.label()),
                credit_fen: c,
                debit_fen: d,
                handler: String::new(),
                note: String::new(),
                acknowledge_overdraw: *ack,
            };
            let r = w.desk.add_ledger_entry(&w.director, input);
            let label = format!("hand {kind:?} #{id} +{c} -{d} «{voucher_no}» ack={ack}");
            let expect: Result<(), ErrorKind> = if matches!(kind, EntryKind::Deduction | EntryKind::Reversal) || *amount == 0 || used {
                Err(ErrorKind::Invalid)
            } else if after < 0 && !ack {
                Err(ErrorKind::NeedsConfirmation)
            } else {
                Ok(())
            };
            match (&r, expect) {
                (Ok(e), Ok(())) => {
                    prop_assert_eq!((e.credit_fen, e.debit_fen, e.kind), (c, d, kind));
                    w.model.insert(id, after);
                    Ok((label, 1, if after < 0 { "手工分录：确认透支后记账" } else { "手工分录：记账" }))
                }
                (Err(e), Err(k)) => {
                    prop_assert_eq!(e.kind, k, "{}: {}", label, e.message);
                    prop_assert!(!e.message.is_empty() && !e.message.is_ascii(), "a Chinese message: {}", e.message);
                    Ok((label, 0, if k == ErrorKind::NeedsConfirmation { "手工分录：透支待确认" } else { "手工分录：无效被拒" }))
                }
                _ => Err(TestCaseError::fail(format!("{label}: got {r:?}, expected {expect:?}"))),
            }
        }
        Op::Reverse { pick } => {
            let entries = all_entries(w);
            let target = &entries[pick % entries.len()];
            let label = format!("reverse #{} ({:?}, reversed_by {:?})", target.id, target.kind, target.reversed_by);
            let r = w.desk.reverse_entry(&w.director, target.id, "凭证金额录错，冲销");
            if target.kind == EntryKind::Reversal || target.reverses_id.is_some() {
                let e = r.err().ok_or_else(|| TestCaseError::fail(format!("{label}: a reversal was reversed")))?;
                prop_assert_eq!(e.kind, ErrorKind::Refused, "{}", e.message);
                prop_assert!(e.message.contains("不能再冲销"), "{}", e.message);
                Ok((label, 0, "冲销：冲销分录不能再冲销"))
            } else if target.reversed_by.is_some() {
                let e = r.err().ok_or_else(|| TestCaseError::fail(format!("{label}: reversed twice")))?;
                prop_assert_eq!(e.kind, ErrorKind::Conflict, "{}", e.message);
                prop_assert!(e.message.contains("不能重复冲销"), "{}", e.message);
                Ok((label, 0, "冲销：重复冲销被拒"))
            } else {
                let e = r.map_err(|e| TestCaseError::fail(format!("{label}: {}", e.message)))?;
                prop_assert_eq!((e.credit_fen, e.debit_fen, e.reverses_id), (-target.credit_fen, -target.debit_fen, Some(target.id)));
                *w.model.get_mut(&target.ledger_id).unwrap() += e.credit_fen - e.debit_fen;
                Ok((label, 1, "冲销：记账"))
            }
        }
        Op::Pay { ledger, quantity, ack, beyond } => {
            let id = w.ledgers[ledger % w.ledgers.len()];
            let quantity = &if *beyond { (w.model[&id].max(0) / 30_000) as u32 + quantity } else { *quantity };
            let amount = i64::from(*quantity) * 30_000;
            let label = format!("pay #{id} {amount} ack={ack}");
            let entries_before = all_entries(w).len();
            let no = pay_up_to_d8(w, id, *quantity).map_err(|e| TestCaseError::fail(format!("{label}: {}", e.message)))?;
            prop_assert_eq!(all_entries(w).len(), entries_before, "nothing is booked before D8");
            let after = w.model[&id] - amount;
            w.payments += 1;
            let pay = PayInput { paid_on: today.to_string(), voucher_no: format!("付-{}", w.payments), allow_negative: *ack };
            match w.desk.pay_payment_request(&w.director, &no, pay) {
                Ok(r) => {
                    prop_assert!(after >= 0 || *ack, "{}: overdrawn without acknowledgement", label);
                    prop_assert_eq!(r.status, PaymentStatus::Paid);
                    let e = all_entries(w).into_iter().find(|e| Some(e.id) == r.entry_id).unwrap();
                    prop_assert_eq!((e.kind, e.debit_fen, e.credit_fen, e.ledger_id, e.payment_request_id), (EntryKind::Deduction, amount, 0, id, Some(r.id)));
                    w.model.insert(id, after);
                    // Never twice.
                    let again = w.desk.pay_payment_request(
                        &w.director,
                        &no,
                        PayInput { paid_on: today.to_string(), voucher_no: "付-重复".into(), allow_negative: true },
                    );
                    prop_assert_eq!(again.map(|_| ()).map_err(|e| e.kind), Err(ErrorKind::Refused));
                    Ok((label, 1, if after < 0 { "付款：确认透支后付款" } else { "付款：D8 记账" }))
                }
                Err(e) => {
                    prop_assert!(after < 0 && !ack, "{}: refused: {}", label, e.message);
                    prop_assert_eq!(e.kind, ErrorKind::NeedsConfirmation);
                    prop_assert!(e.message.contains("保修金余额不足"), "{}", e.message);
                    prop_assert_eq!(w.desk.payment_request(&no).unwrap().status, PaymentStatus::Countersigned);
                    Ok((label, 0, "付款：透支待确认"))
                }
            }
        }
    }
}

/// A new ticket commissioned, confirmed (C5), requested (C6), reviewed (A7) and countersigned.
fn pay_up_to_d8(w: &mut World, ledger: i64, quantity: u32) -> Result<String, DeskError> {
    let defect = DefectInput {
        description: "卫生间地面渗水，楼下顶棚有水渍".into(),
        part: "卫生间".into(),
        category: Category::Leak,
        nature: None,
        classification: None,
        steward_id: None,
        required_by: None,
        expected_visit: String::new(),
        link_to: None,
        previous: None,
        photos: Vec::new(),
    };
    let report = ReportInput {
        channel: Channel::Phone,
        reported_at: None,
        unit: "1-1-101".into(),
        owner_id: None,
        owner_name: String::new(),
        phone: "13800135678".into(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects: vec![defect],
    };
    let t = w.desk.record_report(&w.clerk, report)?.remove(0);
    let c = w.desk.commission_repair(
        &w.clerk,
        CommissionInput {
            ticket_no: t.no,
            firm_id: w.firm,
            ledger_id: Some(ledger),
            builder_id: None,
            reason: "施工单位接通知后未到场".into(),
            // Any ledger may be charged here (the invariants are the point); off the verdict, say why.
            exception_reason: Some("性质测试：从任意台账扣款".into()),
        },
    )?;
    w.desk.confirm_commission(&w.director, c.id, "保修主任现场检查合格")?;
    let line =
        PaymentLineInput { kind: LineKind::Labour, item: "维修工".into(), unit: "工日".into(), quantity: quantity.to_string(), unit_price_fen: 30_000 };
    let r = w.desk.submit_payment_request(&w.clerk, PaymentRequestInput { commission_id: c.id, lines: vec![line] })?;
    w.desk.review_payment_request(&w.director, &r.no, ReviewInput { lines: Vec::new(), note: "核对无误".into() })?;
    for s in [w.director.clone(), w.gm.clone()] {
        w.desk.countersign_payment_request(&w.clerk, &r.no, s.staff_id, desk_service::demo::DEMO_PIN, "同意")?;
    }
    Ok(r.no)
}

fn cases() -> u32 {
    std::env::var("WDESK_PROP_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(32)
}

#[test]
fn the_ledger_invariants_hold_after_every_operation() {
    use proptest::test_runner::{Config, TestRunner};
    let tally = std::cell::RefCell::new(BTreeMap::<&'static str, usize>::new());
    let mut runner = TestRunner::new(Config { cases: cases(), max_shrink_iters: 64, failure_persistence: None, ..Config::default() });
    let result = runner.run(&proptest::collection::vec(op(), 1..25), |ops| {
        let mut w = world();
        check_invariants(&mut w, 0, "start")?;
        for (i, op) in ops.iter().enumerate() {
            let before = all_entries(&w).len();
            let (label, wrote, outcome) = apply(&mut w, op)?;
            prop_assert_eq!(all_entries(&w).len(), before + wrote, "step {} ({}): entries written", i + 1, label);
            check_invariants(&mut w, i + 1, &label)?;
            *tally.borrow_mut().entry(outcome).or_default() += 1;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let tally = tally.into_inner();
    println!("{} cases: {tally:#?}", cases());
    // The generator reaches every outcome the invariants are about (with the default case count).
    if cases() >= 32 {
        for outcome in [
            "手工分录：记账",
            "手工分录：无效被拒",
            "手工分录：透支待确认",
            "手工分录：确认透支后记账",
            "冲销：记账",
            "冲销：重复冲销被拒",
            "冲销：冲销分录不能再冲销",
            "付款：D8 记账",
            "付款：透支待确认",
            "付款：确认透支后付款",
        ] {
            assert!(tally.contains_key(outcome), "no operation ended as «{outcome}»: {tally:?}");
        }
    }
}
