//! Issue 13 "every rule is a duty with an on-time rate": a small hand-built history through the
//! Desk API whose on-time figures are computed by hand below — the new per-ticket rules (site
//! visits per day §5.1.3.4, unreachable retries §5.1.4.2, promised completion §8.2.1), the desk
//! duties (F03 sent each working day §5.1.6, the A3 ledger within a month of delivery, the B4
//! reconciliation each quarter), the per-steward and per-clerk figures (§4.1.3), 今日待办's desk
//! duties and the 已发送 record of the daily report.
//!
//! Times are local (UTC+8), office hours 08:30–17:30. 2026-03-02 is a Monday. Statistics are
//! read on Friday 2026-03-13 12:00 for the period 2025-10-01 … 2026-03-31.
//!
//! The history:
//! * A (clerk 小李, steward 王): reported Mon 03-02 09:00, reached 09:30, F02 10:00 for 11:00,
//!   arrived 11:00 (the repair starts). Site visits Tue 10:00 and Thu 11:00; feedback Tue 10:05.
//!   Finished Thu 03-05 15:00, promised 12:00. Accepted 15:10; notices Thu 15:30 (not reached),
//!   Mon 03-09 10:00 (not reached), Thu 03-12 09:00 (reached); return visit Fri 03-13 10:00.
//! * B (clerk 小张, steward 陈): reported Tue 03-03 09:00, reached 11:30, F02 11:40 for 14:00,
//!   arrived 14:00. Site visit Wed 16:00; finished Wed 17:00, promised Fri 03-06 17:00.
//! * C (clerk 小李, steward 陈): reported Wed 03-11 09:00, nothing since.
//!
//! By hand, per rule (on time / late / pending):
//! * §5.1.1 contact: A 09:30 ≤ 11:00 on time; B 11:30 > 11:00 late; C owed since 11:00 late → 1/2/0.
//! * §5.1.3.1 dispatch (General, 2 working hours): A 10:00 on time; B 11:40 late; C late → 1/2/0.
//! * §5.1.3.3 arrival: both at the appointment → 2/0/0.
//! * §5.1.3.4 site visits: A from Mon 11:00 → due Tue 17:30: Tue 10:00 on time → due Wed 17:30:
//!   none on Wed, late → (from Wed 17:29:59) due Thu 17:30: Thu 11:00 on time → due Fri 17:30,
//!   after the completion. B from Tue 14:00 → due Wed 17:30: Wed 16:00 on time → due Thu 17:30,
//!   after the completion. → 3/1/0.
//! * §5.1.3.5 feedback: A Tue 10:05 ≤ Wed 11:00 (48 h from Mon 11:00) on time; next due Thu 10:05
//!   passed before the completion (Thu 15:00): one late. B due Thu 14:00, after its completion. → 1/1/0.
//! * §8.2.1 promised completion: A 15:00 > 12:00 late; B Wed 17:00 ≤ Fri 17:00 on time → 1/1/0.
//! * §5.1.4.1 completion notice: A accepted Thu 15:10, told (not reached) 15:30 ≤ 17:30 → 1/0/0.
//! * §5.1.4.2 retries: after Thu 15:30, due Mon 03-09 17:30 (2nd working day): Mon 10:00 on time;
//!   after Mon 10:00, due Wed 03-11 17:30: Thu 03-12 09:00 late → 1/1/0.
//! * §5.1.5 return visit: closed Thu 03-12 09:00, due Tue 03-17 17:30: Fri 03-13 on time → 1/0/0.
//! * §5.1.6 F03: working days from the first report (03-02) to now: 03-02 … 03-06, 03-09 … 03-13
//!   (10), each due by the next working day's closing. Marked sent: 03-02 on Mon 18:00 (on time),
//!   03-03 on Thu 03-05 09:00 (late: due Wed 17:30), 03-12 on Fri 03-13 11:00 (on time). Never:
//!   03-04 … 03-11 (6 days, all past due: late); 03-13 (due Mon 03-16: pending) → 2/7/1.
//! * A3: 一期 delivered 2026-01-05 (due end of 02-05), its ledger created 2025-12-20: on time;
//!   二期 delivered 02-02 (due end of 03-02), its ledger created 03-04: late; 三期 delivered 03-10,
//!   no ledger, due end of 04-10: pending → 1/1/1.
//! * B4: 翠湖澜庭 (first ledger 2025-12-20) reconciled 2025Q4 on 2026-01-14 (due end of 01-15):
//!   on time; 金地名苑 (ledger 2025-11-01) never reconciled 2025Q4: late; 2026Q1 is not over → 1/1/0.
//! * Per steward: 王 (A): dispatch 1/0, site visits 2/1, feedback 1/1 → 4/2 = 66.7 %.
//!   陈 (B, C): dispatch 0/2, site visits 1/0, feedback 0/0 → 1/2 = 33.3 %.
//! * Per clerk: 小李 (A, C): contact 1/1, notice 1/0, retries 1/1, return visit 1/0 → 4/2 = 66.7 %.
//!   小张 (B): contact 0/1 → 0 %.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::{DateTime, NaiveDate, Utc};
use desk_domain::clock::desk_duties::DeskDutyKind;
use desk_domain::clock::rules::DutyKind;
use desk_domain::records::ContractorKind;
use desk_domain::repair::{FollowUpKind, Satisfaction};
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, Classification};
use desk_service::acceptance::{AcceptInput, NoticeInput, ReturnVisitInput};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, ContractorInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::repair::{DispatchInput, FinishInput, FollowUpInput};
use desk_service::stats::Statistics;
use desk_service::tickets::ContactInput;
use desk_service::{Desk, ErrorKind, Session};
use desk_store::fund::{upsert_ledger, LedgerHeader};
use desk_store::reconcile::{insert_run, NewRun};
use std::sync::{Arc, Mutex};

struct World {
    desk: Desk,
    clock: Arc<Mutex<DateTime<Utc>>>,
    director: Session,
    li: Session,
    zhang: Session,
    wang: i64,
    chen: i64,
    contractor: i64,
    dir: tempfile::TempDir,
}

fn t(local: &str) -> DateTime<Utc> {
    desk_domain::time::parse_local(local, "t").unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

impl World {
    fn at(&self, local: &str) {
        *self.clock.lock().unwrap() = t(local);
    }
    fn report(&self, clerk: &Session, unit: &str, steward: i64) -> String {
        let d = DefectInput {
            description: "卫生间渗水".into(),
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
            unit: unit.into(),
            owner_id: None,
            owner_name: String::new(),
            phone: "13800135678".into(),
            caller_name: String::new(),
            caller_relation: String::new(),
            defects: vec![d],
        };
        self.desk.record_report(clerk, r).unwrap().remove(0).no
    }
    fn contact(&self, clerk: &Session, no: &str) {
        self.desk.add_contact_attempt(clerk, no, ContactInput { channel: Channel::Phone, reached: true, note: "已联系".into(), at: None }).unwrap();
    }
    fn dispatch(&self, no: &str, appointment: &str) -> String {
        let x = DispatchInput {
            no_contact_reason: String::new(),
            reason: None,
            contractor_id: Some(self.contractor),
            appointment_at: appointment.into(),
            plan: "重做防水".into(),
            materials: String::new(),
            site_contact: "赵师傅".into(),
        };
        self.desk.issue_dispatch(&self.director, no, x).unwrap().no
    }
    fn follow(&self, no: &str, kind: FollowUpKind) {
        self.desk.add_followup(&self.director, no, kind, FollowUpInput { note: "现场正常施工".into(), reached: true, next_due_at: None }).unwrap();
    }
    fn finish(&self, no: &str, promised: Option<&str>) {
        use base64::Engine;
        let f = self.dir.path().join("after.png");
        std::fs::write(&f, base64::engine::general_purpose::STANDARD.decode(signature()).unwrap()).unwrap();
        self.desk.add_photos(&self.director, no, "After", &[f.display().to_string()]).unwrap();
        let x = FinishInput {
            person_in_charge: "赵师傅".into(),
            materials_used: String::new(),
            promised_at: promised.map(str::to_string),
            completed_at: None,
            cause: "防水层破损".into(),
            measures: "重做防水".into(),
            reliability: "闭水试验无渗漏".into(),
        };
        self.desk.finish_repair(&self.director, no, x).unwrap();
    }
    fn notice(&self, no: &str, reached: bool) {
        self.desk.completion_notice(&self.li, no, NoticeInput { reached, channel: Channel::Phone, note: "电话通知".into(), new_phone: None }).unwrap();
    }
    fn sent(&self, day: &str) {
        self.desk.mark_daily_report_sent(&self.li, date(day), "").unwrap();
    }
    fn stats(&self) -> Statistics {
        self.desk.statistics(date("2025-10-01"), date("2026-04-01")).unwrap()
    }
}

fn signature() -> String {
    use base64::Engine;
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
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The desk before the history: two projects, three batches of 翠湖澜庭 with their delivery
/// dates, two stewards and two clerks, the builder, the report's recipients.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(Mutex::new(t("2026-03-02 08:00")));
    let c = clock.clone();
    let desk = Desk::open_with_clock(dir.path(), Box::new(move || *c.lock().unwrap())).unwrap();
    let director = desk.create_first_director("张主任", "2468").unwrap();
    let add = |name: &str, role| {
        desk.save_staff(&director, StaffInput { id: None, name: name.into(), role, phone: String::new(), active: true, pin: Some("1234".into()) }).unwrap()
    };
    let li = Session { staff_id: add("前台小李", Role::FrontDesk), name: "前台小李".into(), role: Role::FrontDesk };
    let zhang = Session { staff_id: add("前台小张", Role::FrontDesk), name: "前台小张".into(), role: Role::FrontDesk };
    let wang = add("王管家", Role::Steward);
    let chen = add("陈管家", Role::Steward);
    let p = desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    for (i, (batch, delivered)) in [("一期", "2026-01-05"), ("二期", "2026-02-02"), ("三期", "2026-03-10")].into_iter().enumerate() {
        let b = desk
            .save_batch(
                &director,
                BatchInput { id: None, project_id: p, name: batch.into(), delivered_on: Some(date(delivered)), completion_accepted_on: None },
            )
            .unwrap();
        let room = 101 + i as u32;
        let owners = vec![OwnerInput { id: None, name: format!("业主{room}"), phones: vec![format!("13800135{room}")], note: String::new() }];
        desk.save_unit(&li, UnitInput { id: None, project_id: p, batch_id: b, address: format!("1-1-{room}"), area_m2: None, owners }).unwrap();
    }
    let contractor = desk
        .save_contractor(
            &director,
            ContractorInput {
                id: None,
                name: "城安防水".into(),
                kind: ContractorKind::Builder,
                trade: "防水".into(),
                contact_person: String::new(),
                phone: String::new(),
                active: true,
            },
        )
        .unwrap();
    desk.set_report_recipients(&director, vec!["wx@example.com".into()], vec!["gm@example.com".into()]).unwrap();
    World { desk, clock, director, li, zhang, wang, chen, contractor, dir }
}

/// The fund as the project department delivered it: ledgers created at given times and a saved
/// reconciliation (written on a second connection, as `reconcile_story` does: the import and the
/// B4 use cases are tested on their own), the liable builders mapped through the Desk.
fn fund(w: &World) {
    let p2 = w.desk.save_project(&w.director, ProjectInput { id: None, name: "金地名苑".into(), code: "JD".into(), address: String::new() }).unwrap();
    let store = desk_store::Store::open(&w.dir.path().join(desk_service::desk::DB_FILE)).unwrap();
    let (l1, l2) = store
        .with_tx(|tx| {
            let ledger = |project_id, contract: &str, created: &str| {
                upsert_ledger(
                    tx,
                    &LedgerHeader { project_id, contractor_id: w.contractor, contract_no: contract.into(), ..Default::default() },
                    t(created).timestamp(),
                )
            };
            let l1 = ledger(1, "HT-01", "2025-12-20 10:00")?;
            let l2 = ledger(1, "HT-02", "2026-03-04 09:00")?;
            ledger(p2, "JD-01", "2025-11-01 10:00")?;
            let run = NewRun {
                project_id: 1,
                quarter: "2025Q4",
                file_name: "对账.xlsx",
                sha256: "x",
                result_json: "{}",
                at: t("2026-01-14 16:00").timestamp(),
                ..Default::default()
            };
            insert_run(tx, &run)?;
            Ok::<_, desk_store::StoreError>((l1, l2))
        })
        .unwrap();
    drop(store);
    w.desk.add_liability(&w.director, 1, None, l1).unwrap();
    w.desk.add_liability(&w.director, 2, None, l2).unwrap();
}

/// The history of the module doc, ending on Friday 2026-03-13 12:00.
fn history() -> World {
    let w = world();
    fund(&w);
    w.at("2026-03-02 09:00");
    let a = w.report(&w.li, "1-1-101", w.wang);
    w.at("2026-03-02 09:30");
    w.contact(&w.li, &a);
    w.at("2026-03-02 10:00");
    let da = w.dispatch(&a, "2026-03-02 11:00");
    w.at("2026-03-02 11:00");
    w.desk.record_arrival(&w.director, &da, None).unwrap();
    w.at("2026-03-02 18:00");
    w.sent("2026-03-02");

    w.at("2026-03-03 09:00");
    let b = w.report(&w.zhang, "1-1-102", w.chen);
    w.at("2026-03-03 10:00");
    w.follow(&a, FollowUpKind::SiteVisit);
    w.at("2026-03-03 10:05");
    w.follow(&a, FollowUpKind::Feedback);
    w.at("2026-03-03 11:30");
    w.contact(&w.zhang, &b);
    w.at("2026-03-03 11:40");
    let db = w.dispatch(&b, "2026-03-03 14:00");
    w.at("2026-03-03 14:00");
    w.desk.record_arrival(&w.director, &db, None).unwrap();

    w.at("2026-03-04 16:00");
    w.follow(&b, FollowUpKind::SiteVisit);
    w.at("2026-03-04 17:00");
    w.finish(&b, Some("2026-03-06 17:00"));

    w.at("2026-03-05 09:00");
    w.sent("2026-03-03");
    w.at("2026-03-05 11:00");
    w.follow(&a, FollowUpKind::SiteVisit);
    w.at("2026-03-05 15:00");
    w.finish(&a, Some("2026-03-05 12:00"));
    w.at("2026-03-05 15:05");
    w.desk.recheck(&w.director, &a, true, "合格").unwrap();
    w.at("2026-03-05 15:10");
    w.desk.accept_repair(&w.director, &a, AcceptInput::OwnerOnScreen { signature_png_base64: signature(), opinion: "好".into() }).unwrap();
    w.at("2026-03-05 15:30");
    w.notice(&a, false);

    w.at("2026-03-09 10:00");
    w.notice(&a, false);
    w.at("2026-03-11 09:00");
    w.report(&w.li, "1-1-103", w.chen);
    w.at("2026-03-12 09:00");
    w.notice(&a, true);
    w.at("2026-03-13 10:00");
    let visit = ReturnVisitInput {
        reached: true,
        satisfaction: Some(Satisfaction::Satisfied),
        comments: String::new(),
        out_of_scope: String::new(),
        meets_code_reason: String::new(),
    };
    w.desk.return_visit(&w.li, &a, visit).unwrap();
    w.at("2026-03-13 11:00");
    w.sent("2026-03-12");
    w.at("2026-03-13 12:00");
    w
}

fn rate(st: &Statistics, key: &str) -> (i64, i64, i64) {
    let r = st.on_time.iter().find(|r| r.key == key).unwrap_or_else(|| panic!("no rate {key}"));
    (r.on_time, r.late, r.pending)
}

#[test]
fn every_rule_has_the_hand_computed_on_time_rate() {
    let w = history();
    let st = w.stats();
    let ticket = |k: DutyKind| rate(&st, k.code());
    assert_eq!(ticket(DutyKind::Contact), (1, 2, 0));
    assert_eq!(ticket(DutyKind::Dispatch), (1, 2, 0));
    assert_eq!(ticket(DutyKind::Arrival), (2, 0, 0));
    assert_eq!(ticket(DutyKind::SiteVisit), (3, 1, 0));
    assert_eq!(ticket(DutyKind::Feedback), (1, 1, 0));
    assert_eq!(ticket(DutyKind::PromisedCompletion), (1, 1, 0));
    assert_eq!(ticket(DutyKind::CompletionNotice), (1, 0, 0));
    assert_eq!(ticket(DutyKind::UnreachableRetry), (1, 1, 0));
    assert_eq!(ticket(DutyKind::ReturnVisit), (1, 0, 0));
    let desk = |k: DeskDutyKind| rate(&st, k.code());
    assert_eq!(desk(DeskDutyKind::DailyReport), (2, 7, 1));
    assert_eq!(desk(DeskDutyKind::LedgerReceived), (1, 1, 1));
    assert_eq!(desk(DeskDutyKind::Reconciliation), (1, 1, 0));
    // Percentages and the target: 3 of 4 site visits = 75 % (below 90 %); F03 2 of 9.
    let sv = st.on_time.iter().find(|r| r.duty == Some(DutyKind::SiteVisit)).unwrap();
    assert_eq!((sv.percent, sv.below_target, sv.section.as_str()), (Some(75.0), true, "§5.1.3.4"));
    let f03 = st.on_time.iter().find(|r| r.key == "DailyReport").unwrap();
    assert_eq!((f03.duty, f03.section.as_str()), (None, "§5.1.6"));
    assert!((f03.percent.unwrap() - 200.0 / 9.0).abs() < 1e-9);
    let keys: Vec<&str> = st.on_time.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "Contact",
            "Dispatch",
            "Arrival",
            "SiteVisit",
            "Feedback",
            "PromisedCompletion",
            "CompletionNotice",
            "UnreachableRetry",
            "ReturnVisit",
            "DailyReport",
            "LedgerReceived",
            "Reconciliation"
        ]
    );
}

#[test]
fn stewards_and_clerks_each_get_their_own_figures() {
    let w = history();
    let st = w.stats();
    let person = |name: &str, role: &str| st.by_staff.iter().find(|p| p.name == name && p.role_label == role).unwrap_or_else(|| panic!("no {name}"));
    let duties = |name: &str, role: &str| person(name, role).duties.iter().map(|d| (d.duty, d.on_time, d.late)).collect::<Vec<_>>();
    use DutyKind::*;
    assert_eq!(duties("王管家", "保修管家"), vec![(Dispatch, 1, 0), (SiteVisit, 2, 1), (Feedback, 1, 1)]);
    assert_eq!(duties("陈管家", "保修管家"), vec![(Dispatch, 0, 2), (SiteVisit, 1, 0), (Feedback, 0, 0)]);
    assert_eq!(duties("前台小李", "前台接待"), vec![(Contact, 1, 1), (CompletionNotice, 1, 0), (UnreachableRetry, 1, 1), (ReturnVisit, 1, 0)]);
    assert_eq!(duties("前台小张", "前台接待"), vec![(Contact, 0, 1), (CompletionNotice, 0, 0), (UnreachableRetry, 0, 0), (ReturnVisit, 0, 0)]);
    let total = |name: &str, role: &str| {
        let p = person(name, role);
        (p.tickets, p.on_time, p.late, p.percent.map(|x| (x * 10.0).round() / 10.0))
    };
    assert_eq!(total("王管家", "保修管家"), (1, 4, 2, Some(66.7)));
    assert_eq!(total("陈管家", "保修管家"), (2, 1, 2, Some(33.3)));
    assert_eq!(total("前台小李", "前台接待"), (2, 4, 2, Some(66.7)));
    assert_eq!(total("前台小张", "前台接待"), (1, 0, 1, Some(0.0)));
    // Stewards first, then clerks; the director took no report and leads no ticket.
    assert_eq!(st.by_staff.iter().map(|p| p.role_label.as_str()).collect::<Vec<_>>(), ["保修管家", "保修管家", "前台接待", "前台接待"]);

    // The export has the same figures on 人员考核: one row per duty and a 合计 row per person.
    let path = w.dir.path().join("统计.xlsx");
    w.desk.export_statistics(date("2025-10-01"), date("2026-04-01"), &path).unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let rows: Vec<Vec<Data>> = book.worksheet_range("人员考核").unwrap().rows().map(|r| r.to_vec()).collect();
    let text = |d: &Data| d.to_string();
    let row = rows.iter().find(|r| text(&r[0]) == "王管家" && text(&r[3]) == "合计").unwrap();
    assert_eq!((row[4].to_string(), row[5].to_string()), ("4".to_string(), "2".to_string()));
    let on_time: Vec<Vec<Data>> = book.worksheet_range("及时率").unwrap().rows().map(|r| r.to_vec()).collect();
    assert!(on_time.iter().any(|r| text(&r[0]) == "发送工作日报 F03" && text(&r[2]) == "2" && text(&r[3]) == "7"));
}

#[test]
fn todays_list_shows_the_desk_duties_owed_and_the_f03_record_says_who_when_to_whom() {
    let w = history();
    // Fri 03-13 12:00: the reports of 03-04 … 03-11 are late (six working days), 03-13's is not
    // due yet; 金地名苑's 2025Q4 reconciliation is late; 三期's ledger is due in April.
    let today = w.desk.today().unwrap();
    let subjects: Vec<&str> = today.desk_duties.iter().map(|d| d.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "金地名苑 2025年第4季度",
            "2026-03-04 的日报",
            "2026-03-05 的日报",
            "2026-03-06 的日报",
            "2026-03-09 的日报",
            "2026-03-10 的日报",
            "2026-03-11 的日报"
        ]
    );
    assert!(today.desk_duties.iter().all(|d| d.late_by_minutes > 0 && d.done_at.is_none()));
    // Marking 03-11 sent takes it off the list.
    w.sent("2026-03-11");
    assert_eq!(w.desk.desk_duties_today().unwrap().len(), 6);

    let rec = w.desk.daily_report_sent(date("2026-03-11")).unwrap().unwrap();
    assert_eq!(
        (rec.actor.as_str(), rec.at, rec.to.clone(), rec.cc.clone()),
        ("前台小李", t("2026-03-13 12:00"), vec!["wx@example.com".to_string()], vec!["gm@example.com".to_string()])
    );
    assert!(w.desk.daily_report_sent(date("2026-03-10")).unwrap().is_none());
    // Once per day; never for a day to come.
    let again = w.desk.mark_daily_report_sent(&w.li, date("2026-03-11"), "").unwrap_err();
    assert_eq!(again.kind, ErrorKind::Conflict);
    assert!(again.message.contains("已于 2026-03-13 12:00 由前台小李登记发送"), "{}", again.message);
    let future = w.desk.mark_daily_report_sent(&w.li, date("2026-03-14"), "").unwrap_err();
    assert_eq!((future.kind, future.field.as_deref()), (ErrorKind::Invalid, Some("day")));
    // The audit log has who and to whom.
    let f = desk_service::audit_view::AuditFilter { before_id: None, limit: 50, action: Some("mark_f03_sent".into()), staff_id: None, text: None };
    let page = w.desk.audit_log(&w.director, &f).unwrap();
    assert_eq!(page.lines.len(), 4, "three in the history, one here");
    assert!(page.lines.iter().all(|l| l.action_label == "登记工作日报已发送" && l.detail.contains("wx@example.com")));
}

#[test]
fn a_promise_recorded_before_the_finish_is_a_duty_on_todays_list_and_is_kept_by_the_finish() {
    // §8.2.1: the contractor arrives Mon 03-02 10:00 and promises Tue 03-03 12:00.
    let w = world();
    w.at("2026-03-02 09:00");
    let no = w.report(&w.li, "1-1-101", w.wang);
    w.contact(&w.li, &no);
    let d = w.dispatch(&no, "2026-03-02 10:00");
    w.at("2026-03-02 10:00");
    w.desk.record_arrival(&w.director, &d, None).unwrap();
    // A promise before the slip was issued, or on a slip of another status, is refused.
    let e = w.desk.promise_completion(&w.director, &d, "2026-03-01 12:00").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("promised_at"), "{}", e.message);
    w.desk.promise_completion(&w.director, &d, "2026-03-03 12:00").unwrap();
    // Tue 13:00: an hour late, on the ticket's duties and on 今日待办.
    w.at("2026-03-03 13:00");
    let (duties, _) = w.desk.ticket_duties(&no).unwrap();
    let p = duties.iter().find(|x| x.kind == DutyKind::PromisedCompletion).expect("the promise is a duty");
    assert_eq!((p.due_at, p.late_by_minutes, p.section), (t("2026-03-03 12:00"), 60, "§8.2.1"));
    assert!(w.desk.today().unwrap().items.iter().any(|i| i.duties.iter().any(|x| x.kind == DutyKind::PromisedCompletion)));
    // The finish without a promise keeps the one recorded: completed 13:00 > 12:00, late.
    w.finish(&no, None);
    let e = w.desk.promise_completion(&w.director, &d, "2026-03-04 12:00").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused);
    let st = w.desk.statistics(date("2026-03-01"), date("2026-04-01")).unwrap();
    assert_eq!(rate(&st, "PromisedCompletion"), (0, 1, 0));
}
