//! The procedure's clocks through the Desk API with a stepping clock: 今日待办 shows a ticket
//! that became overdue, the "overdue" filter finds it, a hold pauses it, escalations are raised
//! once and only the project GM acknowledges them, and the warranty verdict at intake uses the
//! batch's dates.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::clock::rules::DutyKind;
use desk_domain::coverage::Payer;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel};
use desk_service::clocks::DueFilter;
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::tickets::{ContactInput, TicketFilter};
use desk_service::{Desk, ErrorKind, Session};
use std::sync::{Arc, Mutex};

struct World {
    desk: Desk,
    clock: Arc<Mutex<DateTime<Utc>>>,
    director: Session,
    clerk: Session,
    gm: Session,
    _dir: tempfile::TempDir,
}

impl World {
    fn at(&self, local: &str) {
        *self.clock.lock().unwrap() = desk_domain::time::parse_local(local, "t").unwrap();
    }
    fn report(&mut self, unit: &str, part: &str, category: Category) -> String {
        let d = DefectInput {
            description: format!("{part}有问题"),
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
            defects: vec![d],
        };
        self.desk.record_report(&self.clerk, r).unwrap().remove(0).no
    }
}

/// A project of one batch with 10 units (1-1-101 … 1-1-110), completed 2023-06-30 and
/// delivered 2024-01-10. The clock starts on Thursday 2026-03-05 09:00 (local).
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
    let gm = Session { staff_id: add(&mut desk, "周总", Role::ProjectGm), name: "周总".into(), role: Role::ProjectGm };
    let p = desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    let b = desk
        .save_batch(
            &director,
            BatchInput {
                id: None,
                project_id: p,
                name: "一期".into(),
                delivered_on: NaiveDate::from_ymd_opt(2024, 1, 10),
                completion_accepted_on: NaiveDate::from_ymd_opt(2023, 6, 30),
            },
        )
        .unwrap();
    for room in 101..=110 {
        desk.save_unit(
            &clerk,
            UnitInput {
                id: None,
                project_id: p,
                batch_id: b,
                address: format!("1-1-{room}"),
                area_m2: None,
                owners: vec![OwnerInput { id: None, name: format!("业主{room}"), phones: vec![format!("13800135{room}")], note: String::new() }],
            },
        )
        .unwrap();
    }
    World { desk, clock, director, clerk, gm, _dir: dir }
}

fn duty_kinds(w: &mut World, no: &str) -> Vec<(DutyKind, i64)> {
    w.desk.ticket_duties(no).unwrap().0.into_iter().map(|d| (d.kind, d.late_by_minutes)).collect()
}

#[test]
fn an_unanswered_report_becomes_overdue_on_todays_list_and_leaves_it_once_the_owner_is_reached() {
    let mut w = world();
    let no = w.report("1-1-101", "卫生间", Category::Leak);
    // 1 h 59 m later: due today, not late (§5.1.1: contact within 2 working hours).
    w.at("2026-03-05 10:59");
    let today = w.desk.today().unwrap();
    let item = today.items.iter().find(|i| i.ticket.no == no).unwrap();
    assert!(item.duties.iter().any(|d| d.kind == DutyKind::Contact && d.late_by_minutes == 0 && d.section == "§5.1.1"));
    assert_eq!(today.counters.overdue, 0);
    assert!(w.desk.list_tickets(&TicketFilter { due: Some(DueFilter::Overdue), ..Default::default() }, 1000).unwrap().items.is_empty());

    // 2 h 01 m later: late by a minute, first on the list, counted, found by the filter.
    w.at("2026-03-05 11:01");
    let today = w.desk.today().unwrap();
    assert_eq!(today.items[0].ticket.no, no);
    assert!(today.items[0].duties.iter().any(|d| d.kind == DutyKind::Contact && d.late_by_minutes == 1));
    assert_eq!(today.counters.overdue, 1);
    assert_eq!(today.counters.due_today, 1);
    let contact = today.counters.by_kind.iter().find(|k| k.kind == DutyKind::Contact).unwrap();
    assert_eq!((contact.label.as_str(), contact.overdue), ("联系业主", 1));
    // The header's counters (read in two halves on two connections) are the list's.
    let header = serde_json::to_value(w.desk.today_counters().unwrap()).unwrap();
    assert_eq!(header, serde_json::to_value(&today.counters).unwrap());
    let page = w.desk.list_tickets(&TicketFilter { due: Some(DueFilter::Overdue), ..Default::default() }, 1000).unwrap();
    assert_eq!(page.items.iter().map(|t| t.no.clone()).collect::<Vec<_>>(), vec![no.clone()]);
    assert_eq!(page.total, 1);

    // The owner is reached: the contact duty is gone (the dispatch clock now runs).
    w.desk.add_contact_attempt(&w.clerk, &no, ContactInput { channel: Channel::Phone, reached: true, note: "约好明天上门".into(), at: None }).unwrap();
    let kinds = duty_kinds(&mut w, &no);
    assert!(!kinds.iter().any(|(k, _)| *k == DutyKind::Contact), "{kinds:?}");
}

#[test]
fn a_hold_pauses_the_clock_and_shows_in_the_timeline() {
    let mut w = world();
    let no = w.report("1-1-102", "主卧窗户", Category::DoorWindow);
    w.at("2026-03-05 10:00");
    w.desk.hold_ticket(&w.clerk, &no, "业主出差，3 月 9 日回来").unwrap();
    // Refused: a second hold, and an empty reason.
    assert_eq!(w.desk.hold_ticket(&w.clerk, &no, "再次暂停").unwrap_err().kind, ErrorKind::Refused);
    w.at("2026-03-05 16:00");
    let (duties, hold) = w.desk.ticket_duties(&no).unwrap();
    assert_eq!(hold.as_deref(), Some("业主出差，3 月 9 日回来"));
    assert!(duties.iter().all(|d| d.late_by_minutes == 0), "paused clocks are never late");
    assert_eq!(w.desk.today().unwrap().counters.overdue, 0);

    // Released at 16:00 after 6 h on hold: the 2 h contact clock had 1 h left, so it is due
    // at 17:00 — not late at 16:30, late at 17:01.
    let d = w.desk.release_hold(&w.clerk, &no).unwrap();
    assert!(d.timeline.iter().any(|e| e.detail.contains("暂停计时：业主出差")));
    assert!(d.timeline.iter().any(|e| e.detail.contains("恢复计时")));
    w.at("2026-03-05 16:30");
    assert!(duty_kinds(&mut w, &no).iter().all(|(_, late)| *late == 0));
    w.at("2026-03-05 17:01");
    assert!(duty_kinds(&mut w, &no).contains(&(DutyKind::Contact, 1)));
}

#[test]
fn escalations_are_raised_once_and_only_the_project_gm_acknowledges_them() {
    let mut w = world();
    let first = w.report("1-1-103", "卫生间", Category::Leak);
    // §5.2.2.2: a second repair at the same part of the same unit (spacing ignored).
    w.at("2026-03-06 09:00");
    let second = w.report("1-1-103", "卫生间 ", Category::Leak);
    let esc = w.desk.escalations(Some(&second)).unwrap();
    assert_eq!(esc.len(), 1);
    assert_eq!(esc[0].kind, EscalationKind::RepeatAtSamePart);
    assert!(esc[0].detail.contains(&first), "{}", esc[0].detail);
    assert!(w.desk.escalations(Some(&first)).unwrap().is_empty());

    // §5.2.2.1: open after 7 days — raised when the list is read, once.
    w.at("2026-03-12 09:30");
    w.desk.today().unwrap();
    w.desk.today().unwrap();
    let open_too_long: Vec<_> = w.desk.escalations(None).unwrap().into_iter().filter(|e| e.kind == EscalationKind::OpenTooLong).collect();
    assert_eq!(open_too_long.len(), 1, "only the first ticket is over 7 days");
    assert_eq!(open_too_long[0].ticket_no.as_deref(), Some(first.as_str()));

    // By hand (§5.2.2.6), once per ticket and kind; not for kinds the desk detects itself.
    w.desk.raise_escalation(&w.clerk, &first, EscalationKind::Compensation, "业主要求赔偿地板").unwrap();
    assert_eq!(w.desk.raise_escalation(&w.clerk, &first, EscalationKind::Compensation, "再报").unwrap_err().kind, ErrorKind::Refused);
    assert_eq!(w.desk.raise_escalation(&w.clerk, &first, EscalationKind::OpenTooLong, "x").unwrap_err().field.as_deref(), Some("kind"));

    // Only the project GM acknowledges; the escalation stays visible, marked.
    let id = open_too_long[0].id;
    assert_eq!(w.desk.acknowledge_escalation(&w.clerk, id, "").unwrap_err().kind, ErrorKind::Denied);
    assert_eq!(w.desk.acknowledge_escalation(&w.director, id, "").unwrap_err().kind, ErrorKind::Denied);
    let gm = w.gm.clone();
    let acked = w.desk.acknowledge_escalation(&gm, id, "已安排工程部").unwrap();
    assert_eq!(acked.acknowledged_by.as_deref(), Some("周总"));
    assert_eq!(w.desk.acknowledge_escalation(&gm, id, "").unwrap_err().kind, ErrorKind::Refused);
    let all = w.desk.escalations(None).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(w.desk.today().unwrap().counters.escalations, 2);
}

#[test]
fn a_defect_in_a_fifth_of_the_batch_is_escalated_with_the_units() {
    let mut w = world();
    w.report("1-1-104", "外墙", Category::Leak);
    assert!(w.desk.escalations(None).unwrap().iter().all(|e| e.kind != EscalationKind::BatchWideDefect), "1 of 10 units is 10 %");
    w.report("1-1-105", "客厅外墙", Category::Leak);
    let batch: Vec<_> = w.desk.escalations(None).unwrap().into_iter().filter(|e| e.kind == EscalationKind::BatchWideDefect).collect();
    assert_eq!(batch.len(), 1, "2 of 10 units is 20 %");
    assert!(batch[0].detail.contains("1-1-104") && batch[0].detail.contains("1-1-105"), "{}", batch[0].detail);
    w.report("1-1-106", "阳台", Category::Leak);
    assert_eq!(w.desk.escalations(None).unwrap().iter().filter(|e| e.kind == EscalationKind::BatchWideDefect).count(), 1, "raised once");
}

#[test]
fn the_warranty_verdict_at_intake_uses_the_batch_dates_and_says_who_pays() {
    let w = world();
    // Reported 2026-03-05: a bathroom leak (builder 5 years from 2023-06-30) → builder repairs free.
    let v = w.desk.coverage_at_intake("1-1-107", Category::Leak, "卫生间", "卫生间地面渗水到楼下", None).unwrap();
    assert_eq!(v.verdict.payer, Payer::BuilderFree);
    assert_eq!(v.verdict.builder_end, NaiveDate::from_ymd_opt(2028, 6, 30));
    assert!(v.verdict.explanation.iter().any(|l| l.contains("2023-06-30")));
    // A lamp switch: builder 2 years (ended 2025-06-30), owner 6 months from delivery but not
    // shorter than the builder's remainder → ended too → the owner pays.
    let v = w.desk.coverage_at_intake("1-1-107", Category::WaterElectric, "客厅", "开关面板松动", None).unwrap();
    assert_eq!(v.verdict.payer, Payer::OwnerPaid, "{:?}", v.verdict.explanation);
    // The same switch reported back in 2025-03 was still the builder's.
    let v = w.desk.coverage_at_intake("1-1-107", Category::WaterElectric, "客厅", "开关面板松动", Some("2025-03-01 10:00")).unwrap();
    assert_eq!(v.verdict.payer, Payer::BuilderFree);
    // An unknown unit is named.
    assert_eq!(w.desk.coverage_at_intake("9-9-999", Category::Leak, "卫生间", "", None).unwrap_err().field.as_deref(), Some("unit"));
    let _ = &w.director;
    let _ = &w.clock;
}

#[test]
fn only_the_director_changes_the_calendar_and_the_deadlines_and_the_clocks_follow() {
    let mut w = world();
    let project = w.desk.active_project().unwrap().id;
    let mut d = w.desk.deadline_settings(project).unwrap();
    assert_eq!(d.contact.minutes, 120, "the procedure's 2 hours by default");
    d.contact.minutes = 60;
    assert_eq!(w.desk.set_deadline_settings(&w.clerk, project, &d).unwrap_err().kind, ErrorKind::Denied);
    let director = w.director.clone();
    w.desk.set_deadline_settings(&director, project, &d).unwrap();
    let no = w.report("1-1-108", "厨房", Category::WaterElectric);
    w.at("2026-03-05 10:01");
    assert!(duty_kinds(&mut w, &no).contains(&(DutyKind::Contact, 1)), "a 1-hour contact rule is late at 1 h 01 m");

    // Friday 2026-03-06 declared a holiday: a Thursday 17:00 report with 2 working hours left
    // runs on Monday.
    let mut cal = w.desk.work_calendar().unwrap();
    cal.holidays.insert(NaiveDate::from_ymd_opt(2026, 3, 6).unwrap());
    assert_eq!(w.desk.set_work_calendar(&w.clerk, &cal).unwrap_err().kind, ErrorKind::Denied);
    w.desk.set_work_calendar(&director, &cal).unwrap();
    d.contact.minutes = 120;
    w.desk.set_deadline_settings(&director, project, &d).unwrap();
    w.at("2026-03-05 17:00");
    let late = w.report("1-1-109", "阳台", Category::DoorWindow);
    let due = w.desk.ticket_duties(&late).unwrap().0.into_iter().find(|d| d.kind == DutyKind::Contact).unwrap().due_at;
    assert_eq!(desk_domain::time::fmt_local(due), "2026-03-09 10:00");
}

/// The State Council's notice for the coming year as a director pastes it (shortened).
const NOTICE_2027: &str = "国务院办公厅关于2027年部分节假日安排的通知\n\
    一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n\
    二、春节：2月6日（周六）至12日（周五）放假调休，共7天。2月14日（周日）上班。\n";

#[test]
fn next_years_holidays_are_asked_for_in_december_and_move_the_clocks_once_recorded() {
    let mut w = world();
    w.at("2026-12-04 09:00");
    let warning = w.desk.calendar_warning().unwrap().expect("December without 2027 is warned about");
    assert!(warning.contains("2027 年"), "{warning}");

    // Only the director records the calendar; a refused import changes nothing.
    let before = w.desk.work_calendar().unwrap();
    let e = w.desk.import_holiday_notice(&w.clerk, NOTICE_2027, 2027).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Denied);
    assert_eq!(w.desk.work_calendar().unwrap(), before);
    // A line the desk cannot read is named, nothing saved.
    let bad = format!("{NOTICE_2027}三、清明节：4月31日放假。");
    let e = w.desk.import_holiday_notice(&w.director, &bad, 2027).unwrap_err();
    assert!(e.message.contains("第 4 行") && e.message.contains("日期不存在"), "{}", e.message);
    assert_eq!(w.desk.work_calendar().unwrap(), before);

    let preview = w.desk.preview_holiday_notice(NOTICE_2027, 2027).unwrap();
    assert_eq!(preview.breaks.len(), 2);
    w.desk.import_holiday_notice(&w.director, NOTICE_2027, 2027).unwrap();
    assert_eq!(w.desk.calendar_warning().unwrap(), None);

    // A report on the Friday before the Spring Festival: the 2-hour call-back (§5.1.1, office
    // hours) runs 30 minutes that day and the rest on the make-up Sunday, not on the holiday.
    w.at("2027-02-05 17:00");
    let no = w.report("1-1-101", "卫生间", Category::Leak);
    w.at("2027-02-14 09:00");
    let (duties, _) = w.desk.ticket_duties(&no).unwrap();
    let contact = duties.iter().find(|d| d.kind == DutyKind::Contact).expect("call-back duty");
    assert_eq!(desk_domain::time::fmt_local(contact.due_at), "2027-02-14 10:00");
}
