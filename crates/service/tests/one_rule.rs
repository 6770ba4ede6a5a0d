//! One rule, one place (issue 13): every number the director can set governs the action, the
//! ticket screen, 今日待办 and the statistics alike, from the moment it is saved; a setting out of
//! range is refused naming the field; a duplicate report runs no clocks and follows its original;
//! only a slip after a failed re-check is rework.
//!
//! The world: 翠湖澜庭, 一期 1-1-101…105 and 二期 2-1-201…203, one builder; Thursday 2026-03-05.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use desk_domain::clock::rules::{ClockSpan, DeadlineSettings, DutyKind};
use desk_domain::clock::ClockMode;
use desk_domain::clock::EscalationKind;
use desk_domain::records::ContractorKind;
use desk_domain::repair::DispatchReason;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, TicketStatus};
use desk_service::acceptance::{AcceptInput, NoticeInput};
use desk_service::error::ErrorKind;
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, ContractorInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::repair::{DispatchInput, FinishInput};
use desk_service::stats::Statistics;
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
        self.report_linked(unit, part, category, reported_at, None)
    }
    fn report_linked(&mut self, unit: &str, part: &str, category: Category, reported_at: Option<&str>, link_to: Option<&str>) -> String {
        let d = DefectInput {
            description: format!("{}有问题", part.trim()),
            part: part.into(),
            category,
            nature: None,
            classification: Some(desk_domain::ticket::Classification::General),
            steward_id: Some(1),
            required_by: None,
            expected_visit: String::new(),
            link_to: link_to.map(str::to_string),
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

fn project(w: &World) -> i64 {
    w.desk.active_project().unwrap().id
}

fn set(w: &World, change: impl FnOnce(&mut DeadlineSettings)) {
    let p = project(w);
    let mut s = w.desk.deadline_settings(p).unwrap();
    change(&mut s);
    w.desk.set_deadline_settings(&w.director, p, &s).unwrap();
}

fn arrival_rate(st: &Statistics) -> (i64, i64) {
    let r = st.on_time.iter().find(|r| r.duty == Some(DutyKind::Arrival)).unwrap();
    (r.on_time, r.late)
}

/// A ticket reported 09:00, reached and dispatched at 10:00 for 14:00; the contractor arrives
/// 20 min 30 s late.
fn late_arrival(w: &mut World) -> String {
    let no = w.report("1-1-101", "卫生间", Category::Leak, None);
    w.at("2026-03-05 10:00");
    w.contact(&no);
    let d = w.dispatch(&no, "2026-03-05 14:00");
    *w.clock.lock().unwrap() = desk_domain::time::parse_local("2026-03-05 14:20", "t").unwrap() + chrono::Duration::seconds(30);
    w.desk.record_arrival(&w.clerk, &d, None).unwrap();
    no
}

#[test]
fn the_arrival_tolerance_judges_the_action_the_ticket_and_the_statistics_alike() {
    // §5.1.3.3 with the seed's ±15 min: 20 min 30 s late is late everywhere.
    let mut w = world();
    let no = late_arrival(&mut w);
    let t = w.desk.ticket(&no).unwrap();
    let arrival = t.dispatches[0].arrival.clone().unwrap();
    assert_eq!((arrival.on_time, arrival.text.as_str()), (false, "迟到 21 分钟，超出 ±15 分钟（§5.1.3.3）"));
    assert!(t.timeline.iter().any(|e| e.detail.contains("迟到 21 分钟，超出 ±15 分钟")), "the action wrote the same verdict");
    assert_eq!(arrival_rate(&w.stats()), (0, 1));
    assert_eq!(t.arrival_tolerance_min, 15);

    // The director allows ±30 min: from the moment it is saved, the ticket and the statistics
    // say on time — the same function judges both.
    set(&w, |s| s.arrival_tolerance = ClockSpan::new(30, ClockMode::Continuous));
    let t = w.desk.ticket(&no).unwrap();
    let arrival = t.dispatches[0].arrival.clone().unwrap();
    assert_eq!((arrival.on_time, arrival.text.as_str()), (true, "准时"));
    let st = w.stats();
    assert_eq!(arrival_rate(&st), (1, 0));
    assert_eq!(t.arrival_tolerance_min, 30);
    // The statistics page says what it judged by.
    let def = &st.on_time.iter().find(|r| r.duty == Some(DutyKind::Arrival)).unwrap().definition;
    assert!(def.contains("±30 分钟"), "{def}");
    // And a new arrival is written as judged by the new number.
    let no2 = w.report("1-1-102", "厨房", Category::Leak, None);
    w.contact(&no2);
    let d2 = w.dispatch(&no2, "2026-03-06 09:00");
    w.at("2026-03-06 09:25");
    let t2 = w.desk.record_arrival(&w.clerk, &d2, None).unwrap();
    assert!(t2.timeline.iter().any(|e| e.detail.contains("维修人员到场") && e.detail.ends_with("准时")), "{:?}", t2.timeline);
}

#[test]
fn the_failed_notice_limit_governs_the_close_the_ticket_and_todays_list() {
    // §5.1.4.2 with the director's 2 instead of the seed's 5.
    let mut w = world();
    let cs = w
        .desk
        .save_staff(
            &w.director,
            StaffInput { id: None, name: "客服助理小周".into(), role: Role::CsAssistant, phone: String::new(), active: true, pin: Some("1357".into()) },
        )
        .unwrap();
    let no = w.report("1-1-103", "卫生间", Category::Leak, None);
    w.at("2026-03-05 10:00");
    w.contact(&no);
    let d = w.dispatch(&no, "2026-03-05 14:00");
    w.at("2026-03-05 14:00");
    w.desk.record_arrival(&w.clerk, &d, None).unwrap();
    w.at("2026-03-05 16:00");
    after_photo(&mut w, &no);
    w.desk.finish_repair(&w.clerk, &no, finish()).unwrap();
    w.desk.recheck(&w.clerk, &no, true, "合格").unwrap();
    w.desk.accept_repair(&w.clerk, &no, AcceptInput::OwnerOnScreen { signature_png_base64: signature(), opinion: "好".into() }).unwrap();
    let notice = || NoticeInput { reached: false, channel: Channel::Phone, note: "无人接听".into(), new_phone: None };
    w.at("2026-03-05 16:30");
    w.desk.completion_notice(&w.clerk, &no, notice()).unwrap();
    w.at("2026-03-09 10:00");
    let t = w.desk.completion_notice(&w.clerk, &no, notice()).unwrap();

    // Seed: 2 failures are not enough — ticket, list and action agree.
    assert!(!t.unreachable_close_ready);
    let duty_of = |w: &World| {
        let today = w.desk.today().unwrap();
        today.items.iter().find(|i| i.ticket.no == no).map(|i| i.duties.iter().map(|d| d.kind).collect::<Vec<_>>()).unwrap_or_default()
    };
    w.at("2026-03-11 17:00");
    assert_eq!(duty_of(&w), vec![DutyKind::UnreachableRetry]);
    let e = w.desk.close_unreachable(&w.director, &no, (w.director.staff_id, "2468"), (cs, "1357"), "复查合格").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert!(e.message.contains("连续 5 次"), "{}", e.message);

    // The director sets 2: the same two failures now make it ready, everywhere at once.
    set(&w, |s| s.max_failed_notices = 2);
    let t = w.desk.ticket(&no).unwrap();
    assert!(t.unreachable_close_ready);
    assert_eq!(t.max_failed_notices, 2);
    assert_eq!(duty_of(&w), vec![DutyKind::UnreachableClose]);
    let t = w.desk.close_unreachable(&w.director, &no, (w.director.staff_id, "2468"), (cs, "1357"), "复查合格").unwrap();
    assert_eq!(t.status, TicketStatus::Closed);
}

#[test]
fn the_open_too_long_days_and_the_batch_share_are_the_directors_numbers() {
    let mut w = world();
    // §5.2.2.1 at 3 days instead of 7: a ticket open 3 days and a minute goes to the GM, saying 3.
    set(&w, |s| s.open_too_long_days = 3);
    let no = w.report("1-1-104", "外墙", Category::Crack, None);
    w.at("2026-03-08 09:00");
    let open_too_long = |w: &World| w.desk.today().unwrap().escalations.into_iter().filter(|e| e.kind == EscalationKind::OpenTooLong).collect::<Vec<_>>();
    assert!(open_too_long(&w).is_empty(), "exactly 3 days: not yet more than 3 days");
    w.at("2026-03-08 09:01");
    let esc = open_too_long(&w);
    let e = &esc[0];
    assert_eq!(e.ticket_no.as_deref(), Some(no.as_str()));
    assert!(e.detail.contains("超过 3 天"), "{}", e.detail);

    // §5.2.2.4 at 40 % instead of 20 %: 二期 has 3 units; 1 with a door defect is 33 % (the
    // seed would raise), 2 are 67 %.
    set(&w, |s| s.batch_wide_percent = 40);
    w.report("2-1-201", "入户门", Category::DoorWindow, None);
    let batch = |w: &World| {
        w.desk.escalations(None).unwrap().into_iter().filter(|e| e.kind == EscalationKind::BatchWideDefect && e.detail.starts_with("二期")).collect::<Vec<_>>()
    };
    assert!(batch(&w).is_empty(), "1/3 is below 40 %");
    w.report("2-1-202", "入户门", Category::DoorWindow, None);
    let raised = batch(&w);
    assert_eq!(raised.len(), 1);
    assert!(raised[0].detail.contains("2/3 户") && raised[0].detail.contains("达到 40%"), "{}", raised[0].detail);
}

#[test]
fn a_setting_out_of_range_is_refused_naming_the_field_and_nothing_changes() {
    let w = world();
    let p = project(&w);
    let before = w.desk.deadline_settings(p).unwrap();
    let cases: Vec<(DeadlineSettings, &str)> = vec![
        (DeadlineSettings { arrival_tolerance: ClockSpan::new(-5, ClockMode::Continuous), ..before.clone() }, "arrival_tolerance"),
        (DeadlineSettings { max_failed_notices: 0, ..before.clone() }, "max_failed_notices"),
        (DeadlineSettings { batch_wide_percent: 0, ..before.clone() }, "batch_wide_percent"),
        (DeadlineSettings { continuous_repair_days: 0, ..before.clone() }, "continuous_repair_days"),
    ];
    for (s, field) in cases {
        let e = w.desk.set_deadline_settings(&w.director, p, &s).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
        assert_eq!(w.desk.deadline_settings(p).unwrap(), before, "{field}: nothing saved");
    }
    // Only the director sets them.
    let e = w.desk.set_deadline_settings(&w.clerk, p, &before).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Denied);
}

#[test]
fn a_duplicate_runs_no_clocks_raises_nothing_and_closes_with_its_original() {
    let mut w = world();
    let orig = w.report("1-1-105", "卫生间", Category::Leak, None);
    w.at("2026-03-05 09:30");
    // The owner's wife calls about the same leak: linked as a duplicate.
    let dup = w.report_linked("1-1-105", "卫生间", Category::Leak, None, Some(&orig));
    // No §5.2.2.2 "second repair at the same spot": it is the same repair.
    assert!(w.desk.escalations(None).unwrap().iter().all(|e| e.kind != EscalationKind::RepeatAtSamePart));
    // No clocks: late for contact at 12:00, only the original is on 今日待办.
    w.at("2026-03-05 12:00");
    let today = w.desk.today().unwrap();
    let nos: Vec<&str> = today.items.iter().map(|i| i.ticket.no.as_str()).collect();
    assert!(nos.contains(&orig.as_str()) && !nos.contains(&dup.as_str()), "{nos:?}");
    assert!(w.desk.ticket_duties(&dup).unwrap().0.is_empty());
    // Contacts and dispatches go on the original.
    let e = w.desk.add_contact_attempt(&w.clerk, &dup, ContactInput { channel: Channel::Phone, reached: true, note: String::new(), at: None }).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert!(e.message.contains(&orig), "{}", e.message);
    // The original is walked to its end; the duplicate closes with it, saying why.
    w.contact(&orig);
    let d = w.dispatch(&orig, "2026-03-05 15:00");
    w.at("2026-03-05 15:00");
    w.desk.record_arrival(&w.clerk, &d, None).unwrap();
    w.at("2026-03-05 17:00");
    after_photo(&mut w, &orig);
    w.desk.finish_repair(&w.clerk, &orig, finish()).unwrap();
    w.desk.recheck(&w.clerk, &orig, true, "合格").unwrap();
    w.desk.accept_repair(&w.clerk, &orig, AcceptInput::OwnerOnScreen { signature_png_base64: signature(), opinion: "好".into() }).unwrap();
    w.desk.completion_notice(&w.clerk, &orig, NoticeInput { reached: true, channel: Channel::Phone, note: String::new(), new_phone: None }).unwrap();
    let t = w.desk.ticket(&dup).unwrap();
    assert_eq!(t.status, TicketStatus::Closed);
    assert!(t.timeline.iter().any(|e| e.detail.contains(&format!("随原单 {orig}"))), "{:?}", t.timeline);
    // A later report at the spot, after both closed, is the second repair there (§5.2.2.2) —
    // counted once, not as the third.
    w.at("2026-03-06 10:00");
    let again = w.report("1-1-105", "卫生间", Category::Leak, None);
    let repeat = w.desk.escalations(Some(&again)).unwrap().into_iter().find(|e| e.kind == EscalationKind::RepeatAtSamePart).unwrap();
    assert!(repeat.detail.contains(&orig) && !repeat.detail.contains(&dup), "{}", repeat.detail);
    // Linking to a closed ticket is refused: that is a new repair.
    let e = w.desk.record_report(&w.clerk, linked_input("1-1-105", &orig)).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("link_to"), "{}", e.message);
}

fn linked_input(unit: &str, to: &str) -> ReportInput {
    ReportInput {
        channel: Channel::Phone,
        reported_at: None,
        unit: unit.into(),
        owner_id: None,
        owner_name: String::new(),
        phone: "13800135678".into(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects: vec![DefectInput {
            description: "又漏了".into(),
            part: "卫生间".into(),
            category: Category::Leak,
            nature: None,
            classification: None,
            steward_id: None,
            required_by: None,
            expected_visit: String::new(),
            link_to: Some(to.into()),
            previous: None,
            photos: Vec::new(),
        }],
    }
}

#[test]
fn only_a_slip_after_a_failed_recheck_is_rework() {
    let mut w = world();
    let no = w.report("1-1-101", "卫生间", Category::Leak, None);
    w.at("2026-03-05 10:00");
    w.contact(&no);
    w.dispatch(&no, "2026-03-05 14:00");
    // The contractor does not come: a re-issue for the next morning is not rework.
    w.at("2026-03-05 15:00");
    let e = w.desk.issue_dispatch(&w.clerk, &no, input(&w, "2026-03-06 09:00", None)).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reason"), "a later slip says why: {}", e.message);
    let e = w.desk.issue_dispatch(&w.clerk, &no, input(&w, "2026-03-06 09:00", Some(DispatchReason::Rework))).unwrap_err();
    assert!(e.message.contains("复检不合格之后"), "{}", e.message);
    let second = w.desk.issue_dispatch(&w.clerk, &no, input(&w, "2026-03-06 09:00", Some(DispatchReason::Reissue))).unwrap();
    assert_eq!((second.reason, second.rework), (DispatchReason::Reissue, false));
    w.at("2026-03-06 09:00");
    w.desk.record_arrival(&w.clerk, &second.no, None).unwrap();
    w.at("2026-03-06 12:00");
    after_photo(&mut w, &no);
    w.desk.finish_repair(&w.clerk, &no, finish()).unwrap();
    // The re-check fails (§5.1.3.6): now the next slip is rework.
    w.desk.recheck(&w.clerk, &no, false, "仍渗水").unwrap();
    let third = w.desk.issue_dispatch(&w.clerk, &no, input(&w, "2026-03-07 09:00", Some(DispatchReason::Rework))).unwrap();
    assert!(third.rework);
    let card = w.stats().scorecard.into_iter().next().unwrap();
    assert_eq!((card.dispatches, card.reworks), (3, 1), "the no-show re-issue is not counted as rework");
}

fn input(w: &World, appointment: &str, reason: Option<DispatchReason>) -> DispatchInput {
    DispatchInput {
        no_contact_reason: String::new(),
        reason,
        contractor_id: Some(w.contractor),
        appointment_at: appointment.into(),
        plan: "重做防水".into(),
        materials: String::new(),
        site_contact: "赵师傅".into(),
    }
}
