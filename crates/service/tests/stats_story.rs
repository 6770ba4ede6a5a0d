//! 统计分析 (§4.3.3, §8) through the Desk API with a stepping clock: a month of tickets known in
//! advance gives exact counts per category, part, building, batch, contractor and month; a contact
//! at 1 h 59 m and one at 2 h 01 m make a 50 % contact rate; a contractor late once in two arrivals
//! with one rework gets exact scorecard figures; a repeat at the same part is counted; tickets
//! outside the period (or cancelled) are not; the exported workbook holds the same numbers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use desk_domain::clock::rules::DutyKind;
use desk_domain::records::ContractorKind;
use desk_domain::repair::{DispatchReason, Satisfaction};
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, TicketStatus};
use desk_service::acceptance::{AcceptInput, NoticeInput, ReturnVisitInput};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, ContractorInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::repair::{DispatchInput, FinishInput};
use desk_service::stats::{Statistics, SHEETS};
use desk_service::tickets::ContactInput;
use desk_service::{Desk, Session};
use std::sync::{Arc, Mutex};

struct World {
    desk: Desk,
    clock: Arc<Mutex<DateTime<Utc>>>,
    director: Session,
    clerk: Session,
    contractor: i64,
    dir: tempfile::TempDir,
}

impl World {
    fn at(&self, local: &str) {
        *self.clock.lock().unwrap() = desk_domain::time::parse_local(local, "t").unwrap();
    }
    /// Records a phone report; `reported_at` backdates it (local time).
    fn report(&mut self, unit: &str, part: &str, category: Category, reported_at: Option<&str>) -> String {
        let d = DefectInput {
            description: format!("{}有问题", part.trim()),
            part: part.into(),
            category,
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
            reported_at: reported_at.map(str::to_string),
            unit: unit.into(),
            owner_id: None,
            owner_name: String::new(),
            phone: "13800135678".into(),
            caller_name: String::new(),
            caller_relation: String::new(),
            defects: vec![d],
        };
        self.desk.record_report(&self.clerk, r).unwrap().remove(0).no
    }
    fn contact(&mut self, no: &str) {
        self.desk.add_contact_attempt(&self.clerk, no, ContactInput { channel: Channel::Phone, reached: true, note: "已联系".into(), at: None }).unwrap();
    }
    fn dispatch(&mut self, no: &str, appointment: &str) -> String {
        self.dispatch_as(no, appointment, None)
    }
    fn dispatch_as(&mut self, no: &str, appointment: &str, reason: Option<DispatchReason>) -> String {
        let x = DispatchInput {
            no_contact_reason: "业主来电时已约定上门时间".into(),
            reason,
            contractor_id: Some(self.contractor),
            appointment_at: appointment.into(),
            plan: "重做防水".into(),
            materials: String::new(),
            site_contact: "赵师傅".into(),
        };
        self.desk.issue_dispatch(&self.clerk, no, x).unwrap().no
    }
    fn stats(&mut self) -> Statistics {
        self.desk.statistics(date("2026-03-01"), date("2026-04-01")).unwrap()
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// One project, two batches: 一期 with 1-1-101 … 1-1-105, 二期 with 2-1-201 … 2-1-203; one
/// builder 城安防水. The clock starts on Thursday 2026-03-05 09:00 (local).
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(Mutex::new(Utc.with_ymd_and_hms(2026, 3, 5, 1, 0, 0).unwrap()));
    let c = clock.clone();
    let mut desk = Desk::open_with_clock(dir.path(), Box::new(move || *c.lock().unwrap())).unwrap();
    let director = desk.create_first_director("张主任", "2468").unwrap();
    let add = |desk: &mut Desk, name: &str, role| {
        desk.save_staff(&director, StaffInput { id: None, name: name.into(), role, phone: String::new(), active: true, pin: Some("1234".into()) }).unwrap()
    };
    let clerk = Session { staff_id: add(&mut desk, "前台小李", Role::FrontDesk), name: "前台小李".into(), role: Role::FrontDesk };
    let p = desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    for (batch, building, rooms) in [("一期", 1, 101..=105), ("二期", 2, 201..=203)] {
        let b =
            desk.save_batch(&director, BatchInput { id: None, project_id: p, name: batch.into(), delivered_on: None, completion_accepted_on: None }).unwrap();
        for room in rooms {
            let owners = vec![OwnerInput { id: None, name: format!("业主{room}"), phones: vec![format!("13800135{room}")], note: String::new() }];
            desk.save_unit(&clerk, UnitInput { id: None, project_id: p, batch_id: b, address: format!("{building}-1-{room}"), area_m2: None, owners }).unwrap();
        }
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
    World { desk, clock, director, clerk, contractor, dir }
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

fn after_photo(w: &mut World, no: &str) {
    use base64::Engine;
    let f = w.dir.path().join("after.png");
    std::fs::write(&f, base64::engine::general_purpose::STANDARD.decode(signature()).unwrap()).unwrap();
    w.desk.add_photos(&w.clerk, no, "After", &[f.display().to_string()]).unwrap();
}

fn finish() -> FinishInput {
    FinishInput {
        person_in_charge: "赵师傅".into(),
        materials_used: String::new(),
        promised_at: None,
        completed_at: None,
        cause: "防水层破损".into(),
        measures: "重做防水".into(),
        reliability: "闭水试验无渗漏".into(),
    }
}

/// The month told in the module doc: returns the stepping world at Friday 2026-03-06 14:00.
fn march() -> World {
    let mut w = world();
    // February (outside the period): the place 1-1-101 卫生间 was repaired before.
    w.report("1-1-101", "卫生间", Category::Leak, Some("2026-02-10 10:00"));
    // Thursday 09:00: two reports.
    let t1 = w.report("1-1-101", "卫生间", Category::Leak, None);
    let t2 = w.report("1-1-102", "主卧窗户", Category::DoorWindow, None);
    // 1 h 59 m: T1 reached and dispatched at once; 2 h 01 m: T2 reached (late, §5.1.1).
    w.at("2026-03-05 10:59");
    w.contact(&t1);
    let d1 = w.dispatch(&t1, "2026-03-05 14:00");
    w.at("2026-03-05 11:01");
    w.contact(&t2);
    // The builder arrives 20 minutes late and finishes at 14:40; the steward's re-check fails
    // (§5.1.3.6), so the next slip is rework; on time the next day.
    w.at("2026-03-05 14:20");
    w.desk.record_arrival(&w.clerk, &d1, None).unwrap();
    w.at("2026-03-05 14:40");
    after_photo(&mut w, &t1);
    w.desk.finish_repair(&w.clerk, &t1, finish()).unwrap();
    w.at("2026-03-05 14:50");
    w.desk.recheck(&w.clerk, &t1, false, "仍有渗水").unwrap();
    w.at("2026-03-05 15:00");
    let d2 = w.dispatch_as(&t1, "2026-03-06 09:00", Some(DispatchReason::Rework));
    w.at("2026-03-06 09:05");
    w.desk.record_arrival(&w.clerk, &d2, None).unwrap();
    // Finished 20 h after the rework slip; accepted, the owner told, visited: satisfied.
    w.at("2026-03-06 11:00");
    after_photo(&mut w, &t1);
    w.desk.finish_repair(&w.clerk, &t1, finish()).unwrap();
    w.desk.recheck(&w.clerk, &t1, true, "合格").unwrap();
    w.desk.accept_repair(&w.clerk, &t1, AcceptInput::OwnerOnScreen { signature_png_base64: signature(), opinion: "好".into() }).unwrap();
    w.at("2026-03-06 11:30");
    let t = w.desk.completion_notice(&w.clerk, &t1, NoticeInput { reached: true, channel: Channel::Phone, note: String::new(), new_phone: None }).unwrap();
    assert_eq!(t.status, TicketStatus::Closed);
    w.at("2026-03-06 14:00");
    let t = w
        .desk
        .return_visit(
            &w.clerk,
            &t1,
            ReturnVisitInput {
                reached: true,
                satisfaction: Some(Satisfaction::Satisfied),
                comments: String::new(),
                out_of_scope: String::new(),
                meets_code_reason: String::new(),
            },
        )
        .unwrap();
    assert_eq!(t.status, TicketStatus::Visited);
    // Friday 14:00: two more (one at the same place, typed with spaces), and one cancelled.
    w.report("2-1-201", "厨房", Category::WaterElectric, None);
    w.report("1-1-101", " 卫生间 ", Category::Leak, None);
    let dup = w.report("1-1-103", "客厅墙面", Category::Crack, None);
    w.desk.change_status(&w.director, &dup, TicketStatus::Cancelled, "重复登记").unwrap();
    w
}

fn counts(rows: &[desk_service::stats::CountRow]) -> Vec<(String, i64)> {
    rows.iter().map(|r| (r.label.clone(), r.count)).collect()
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn a_month_of_tickets_gives_exact_counts_and_leaves_out_other_periods_and_cancelled_tickets() {
    let mut w = march();
    let st = w.stats();
    assert_eq!(st.total, 4, "the February ticket and the cancelled one are not counted");
    assert_eq!(counts(&st.by_category), vec![(s("渗漏"), 2), (s("门窗"), 1), (s("水电"), 1)]);
    assert_eq!(st.by_category[0].percent, Some(50.0));
    assert_eq!(counts(&st.by_part), vec![(s("卫生间"), 2), (s("主卧窗户"), 1), (s("厨房"), 1)]);
    assert_eq!(counts(&st.by_building), vec![(s("1号楼"), 3), (s("2号楼"), 1)]);
    assert_eq!(counts(&st.by_batch), vec![(s("一期"), 3), (s("二期"), 1)]);
    assert_eq!(counts(&st.by_contractor), vec![(s("城安防水"), 1)]);
    assert_eq!(counts(&st.by_month), vec![(s("2026-03"), 4)]);
    assert_eq!((st.satisfaction.visited, st.satisfaction.satisfied, st.satisfaction.satisfied_percent), (1, 1, Some(100.0)));

    // Repeats: both March tickets at 1-1-101 卫生间 follow an earlier one there (February's).
    assert_eq!(st.repeats.repeat_tickets, 2);
    assert_eq!(st.repeats.percent, Some(50.0));
    let p = &st.repeats.places[0];
    assert_eq!((p.unit.as_str(), p.part.as_str(), p.in_period, p.before, p.repeats), ("1-1-101", "卫生间", 2, 1, 2));

    // Recurring: 渗漏 × 卫生间 went from 1 (the month before) to 2 — rising.
    assert_eq!(st.previous_from, date("2026-01-29"));
    let r = &st.recurring[0];
    assert_eq!((r.category, r.part.as_str(), r.count, r.previous, r.rising), (Category::Leak, "卫生间", 2, 1, true));
    assert!(st.recurring.iter().filter(|r| r.part != "卫生间").all(|r| !r.rising), "one ticket is no trend");

    // February alone: only the first ticket; a period ending where March starts excludes March.
    let feb = w.desk.statistics(date("2026-02-01"), date("2026-03-01")).unwrap();
    assert_eq!((feb.total, counts(&feb.by_month)), (1, vec![(s("2026-02"), 1)]));
    assert_eq!(feb.repeats.repeat_tickets, 0);
    // A period with no tickets at all: zeros and no rates, not errors.
    let empty = w.desk.statistics(date("2025-01-01"), date("2025-04-01")).unwrap();
    assert_eq!(empty.total, 0);
    assert_eq!(counts(&empty.by_month), vec![(s("2025-01"), 0), (s("2025-02"), 0), (s("2025-03"), 0)]);
    assert!(empty.on_time.iter().all(|r| r.percent.is_none()));
    assert!(w.desk.statistics(date("2026-03-01"), date("2026-03-01")).is_err(), "an empty period is refused");

    // A ticket in April changes nothing in March.
    w.at("2026-04-02 10:00");
    w.report("2-1-202", "阳台", Category::Leak, None);
    assert_eq!(w.stats().total, 4);
}

#[test]
fn on_time_rates_follow_the_procedure_clocks() {
    let mut w = march();
    let st = w.stats();
    let rate = |k: DutyKind| st.on_time.iter().find(|r| r.duty == Some(k)).map(|r| (r.on_time, r.late, r.pending, r.percent)).unwrap();
    // §5.1.1: 10:59 on time, 11:01 late; the two Friday 14:00 reports are not yet due.
    assert_eq!(rate(DutyKind::Contact), (1, 1, 2, Some(50.0)));
    let contact = st.on_time.iter().find(|r| r.duty == Some(DutyKind::Contact)).unwrap();
    assert!(contact.below_target && contact.section == "§5.1.1");
    // §5.1.3.1: T1 dispatched at 10:59 (due 11:00); T2 never dispatched and past due.
    assert_eq!(rate(DutyKind::Dispatch), (1, 1, 2, Some(50.0)));
    // §5.1.3.3: 20 min late, then 5 min late (within ±15).
    assert_eq!(rate(DutyKind::Arrival), (1, 1, 0, Some(50.0)));
    // Repair under 48 h: no feedback was owed.
    assert_eq!(rate(DutyKind::Feedback), (0, 0, 0, None));
    // Told the same day; visited within 3 working days of closing.
    assert_eq!(rate(DutyKind::CompletionNotice), (1, 0, 0, Some(100.0)));
    assert_eq!(rate(DutyKind::ReturnVisit), (1, 0, 0, Some(100.0)));
    // No site visit was owed (started and finished before the next day's closing), no promise
    // was written, no notice failed.
    assert_eq!(rate(DutyKind::SiteVisit), (0, 0, 0, None));
    assert_eq!(rate(DutyKind::PromisedCompletion), (0, 0, 0, None));
    assert_eq!(rate(DutyKind::UnreachableRetry), (0, 0, 0, None));
    assert_eq!(
        st.on_time.iter().filter_map(|r| r.duty).collect::<Vec<_>>(),
        vec![
            DutyKind::Contact,
            DutyKind::Dispatch,
            DutyKind::Arrival,
            DutyKind::SiteVisit,
            DutyKind::Feedback,
            DutyKind::PromisedCompletion,
            DutyKind::CompletionNotice,
            DutyKind::UnreachableRetry,
            DutyKind::ReturnVisit
        ]
    );
}

#[test]
fn the_contractor_scorecard_has_exact_figures() {
    let mut w = march();
    let st = w.stats();
    assert_eq!(st.scorecard.len(), 1);
    let c = &st.scorecard[0];
    assert_eq!((c.name.as_str(), c.kind_label.as_str()), ("城安防水", "施工单位"));
    assert_eq!((c.dispatches, c.arrivals, c.on_time_arrivals, c.on_time_arrival_percent), (2, 2, 1, Some(50.0)));
    assert_eq!((c.reworks, c.rework_percent), (1, Some(50.0)));
    // The first slip: issued 03-05 10:59, finished 14:40 = 221 min; the rework slip: issued
    // 03-05 15:00, finished 03-06 11:00 = 1,200 min. Mean 710.5 min.
    assert_eq!(c.completed, 2);
    assert!((c.avg_days_to_complete.unwrap() - 710.5 / 1440.0).abs() < 1e-9);
    assert_eq!((c.visited, c.satisfied, c.satisfied_percent), (1, 1, Some(100.0)));
}

#[test]
fn the_exported_workbook_has_one_sheet_per_table_with_the_same_numbers() {
    let mut w = march();
    let st = w.stats();
    let path = w.dir.path().join("统计.xlsx");
    let res = w.desk.export_statistics(date("2026-03-01"), date("2026-04-01"), &path).unwrap();
    assert!(res.rows > 0);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), SHEETS.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let sheet = |book: &mut Xlsx<_>, name: &str| -> Vec<Vec<Data>> { book.worksheet_range(name).unwrap().rows().map(|r| r.to_vec()).collect() };
    let num = |d: &Data| match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    };
    let text = |d: &Data| d.to_string();

    // Row 1 title, row 2 header, data from row 3.
    let cat = sheet(&mut book, "按类别");
    assert_eq!(text(&cat[1][0]), "类别");
    let data: Vec<(String, f64, f64)> = cat[2..].iter().map(|r| (text(&r[0]), num(&r[1]), num(&r[2]))).collect();
    assert_eq!(data, st.by_category.iter().map(|r| (r.label.clone(), r.count as f64, r.percent.unwrap() / 100.0)).collect::<Vec<_>>());
    assert_eq!(data[0], (s("渗漏"), 2.0, 0.5));

    let months = sheet(&mut book, "按月份");
    assert_eq!((text(&months[2][0]), num(&months[2][1])), (s("2026-03"), 4.0));
    let buildings = sheet(&mut book, "按楼栋");
    assert_eq!(buildings[2..].iter().map(|r| (text(&r[0]), num(&r[1]))).collect::<Vec<_>>(), vec![(s("1号楼"), 3.0), (s("2号楼"), 1.0)]);

    let on_time = sheet(&mut book, "及时率");
    let contact = on_time.iter().find(|r| text(&r[0]) == "联系业主").unwrap();
    assert_eq!((num(&contact[2]), num(&contact[3]), num(&contact[4]), num(&contact[5])), (1.0, 1.0, 2.0, 0.5));

    let cards = sheet(&mut book, "单位评分");
    let c = &cards[2];
    assert_eq!(text(&c[0]), "城安防水");
    let figures: Vec<f64> = (2..=12).map(|i| num(&c[i])).collect();
    assert_eq!(&figures[..8], &[2.0, 2.0, 1.0, 0.5, 1.0, 0.5, 2.0, 710.5 / 1440.0]);
    assert_eq!(&figures[8..], &[1.0, 1.0, 1.0]);

    let repeats = sheet(&mut book, "重复维修");
    assert_eq!((text(&repeats[2][0]), text(&repeats[2][1]), num(&repeats[2][4])), (s("1-1-101"), s("卫生间"), 2.0));
    let recurring = sheet(&mut book, "高发问题");
    assert_eq!((text(&recurring[2][0]), num(&recurring[2][2]), num(&recurring[2][3]), text(&recurring[2][4])), (s("渗漏"), 2.0, 1.0, s("上升")));
    let sat = sheet(&mut book, "满意度");
    assert_eq!((text(&sat[2][0]), num(&sat[2][1]), num(&sat[2][2])), (s("满意"), 1.0, 1.0));
}

/// The kept days (issue 16: a past day's figures are kept so that a year's page adds up 365 rows
/// instead of replaying every event) answer exactly as a fresh look, and every change to what a
/// kept day counts reaches it: a ticket backdated into it, an event on one of its tickets, a
/// project's deadlines changed, a unit moved to another batch.
#[test]
fn kept_days_answer_as_a_fresh_look_and_every_change_reaches_them() {
    let mut w = march();
    // May: March is long past. Its open tickets owe duties already late (not pending), so its
    // days can be kept.
    w.at("2026-05-11 10:00");
    let db = w.desk.data_dir().join(desk_service::desk::DB_FILE);
    let kept = || -> i64 { desk_store::raw::open(&db).unwrap().query_row("SELECT count(*) FROM stats_day", [], |r| r.get(0)).unwrap() };
    let fresh = |w: &mut World| {
        w.desk.forget_statistics_days().unwrap();
        w.stats()
    };
    let first = w.stats();
    assert_eq!(first.total, 4);
    assert!(kept() >= 31, "March's days and the month before are kept: {}", kept());
    assert_eq!(w.stats(), first, "a second look reads the kept days and answers the same");
    assert_eq!(fresh(&mut w), first);

    // A ticket backdated into a kept (empty) day of March.
    let no = w.report("1-1-104", "书房", Category::Crack, Some("2026-03-10 10:00"));
    let st = w.stats();
    assert_eq!(st.total, 5, "the backdated ticket is counted");
    assert_eq!(st, fresh(&mut w));
    let rate = |st: &Statistics, k: DutyKind| st.on_time.iter().find(|r| r.duty == Some(k)).map(|r| (r.on_time, r.late, r.pending)).unwrap();
    let late_contacts = rate(&st, DutyKind::Contact).1;

    // An event on that ticket, two months late: one more late contact.
    w.stats();
    w.contact(&no);
    let st = w.stats();
    assert_eq!(rate(&st, DutyKind::Contact).1, late_contacts, "the late contact stays late once made");
    assert_eq!(st, fresh(&mut w));
    // Dispatched now, to arrive tomorrow: its arrival is pending, so its day is not kept.
    w.stats();
    w.dispatch(&no, "2026-05-12 09:00");
    let st = w.stats();
    assert_eq!(rate(&st, DutyKind::Arrival).2, 1, "the arrival is pending");
    assert_eq!(counts(&st.by_contractor), vec![(s("城安防水"), 2)]);
    assert_eq!(st, fresh(&mut w));

    // A rule changed: the contact deadline of the project goes from 2 to 3 working hours, and
    // the 11:01 contact of March is on time under it.
    w.stats();
    let project = w.desk.projects().unwrap()[0].id;
    let mut d = w.desk.deadline_settings(project).unwrap();
    d.contact.minutes = 180;
    w.desk.set_deadline_settings(&w.director, project, &d).unwrap();
    let st = w.stats();
    assert_ne!(rate(&st, DutyKind::Contact), rate(&first, DutyKind::Contact), "judged by the new deadline");
    assert_eq!(st, fresh(&mut w));

    // A unit moved to the other batch, from outside the program.
    w.stats();
    let raw = desk_store::raw::open(&db).unwrap();
    let moved = raw
        .execute("UPDATE unit SET batch_id = (SELECT id FROM batch WHERE name = '二期') WHERE building = '1' AND entrance = '1' AND room = '101'", [])
        .unwrap();
    assert_eq!(moved, 1);
    drop(raw);
    let st = w.stats();
    assert_eq!(counts(&st.by_batch), vec![(s("二期"), 3), (s("一期"), 2)], "1-1-101's two March tickets count for 二期 now");
    assert_eq!(st, fresh(&mut w));
}
