//! Two paths of issue 14 above the steward's reach, walked through the `Desk` API with a clock the
//! test moves: a major matter the director reports to the project GM, on which the ticket closes
//! only after the GM's opinion (§5.1.4.3, §6.4), and a complaint that reached the group, recorded
//! with its units, reported, supervised by a named person on its own follow-up clock and closed
//! with a result (§5.2.1). Each step is refused for every wrong role (nothing written) and out of
//! order with a Chinese message naming what must come first.
//!
//! The world (as `paths_story`): 翠湖澜庭, 一期 1-1-101…105, one builder; Thursday 2026-03-05.
//!
//! Run: `cargo test -p desk-service --test major_story`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::world::{kind_of, world};

use chrono::Duration;
use desk_domain::clock::rules::DeadlineSettings;
use desk_domain::matters::ComplaintLevel;
use desk_domain::staff::Role;
use desk_domain::ticket::{Channel, TicketStatus};
use desk_service::acceptance::NoticeInput;
use desk_service::error::ErrorKind;
use desk_service::matters::{ComplaintInput, MajorInput};

mod desk_roles {
    pub use desk_service::matters::{COMPLAINT_ROLES as COMPLAINT, MAJOR_MARK_ROLES as MARK, MAJOR_OPINION_ROLES as OPINION, SUPERVISOR_ROLES as SUPERVISE};
}

#[test]
fn a_major_matter_closes_only_on_the_gms_recorded_opinion() {
    let w = world();
    let no = w.in_repair("1-1-101", "13800135101");
    let input = |to: i64| MajorInput { description: "外墙大面积渗水，需总包返工".into(), reported_to_id: to };

    // Out of order: no opinion before the matter is marked.
    let (k, m) = kind_of(w.desk.record_major_opinion(&w.gm, &no, 1, "由总包返工"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先由保修主任标记重大事项"), "{m}");

    // Every wrong role is refused and nothing is written; it is reported to a GM or an engineer.
    let before = w.desk.ticket(&no).unwrap();
    for s in w.wrong(desk_roles::MARK) {
        let (k, m) = kind_of(w.desk.mark_major_matter(&s, &no, input(w.gm.staff_id)));
        assert_eq!(k, ErrorKind::Denied, "{:?}: {m}", s.role);
        assert!(m.contains("只有保修主任"), "{m}");
    }
    let (k, _) = kind_of(w.desk.mark_major_matter(&w.director, &no, input(w.steward.staff_id)));
    assert_eq!(k, ErrorKind::Invalid);
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // The director marks it and reports it to the GM: to whom and when are recorded.
    w.advance(Duration::minutes(5));
    let t = w.desk.mark_major_matter(&w.director, &no, input(w.gm.staff_id)).unwrap();
    let m = t.major_matters[0].clone();
    assert_eq!(m.reported_to, "总经理吴国栋");
    assert_eq!(m.reported_to_role, Role::ProjectGm);
    assert_eq!(m.reported_at, *w.clock.lock().unwrap());
    assert!(m.opinion.is_none());
    assert!(t.timeline.iter().any(|e| e.detail.contains("上报项目总经理总经理吴国栋")));
    // A second one waits for the first's opinion.
    let (k, m2) = kind_of(w.desk.mark_major_matter(&w.director, &no, input(w.gm.staff_id)));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m2.contains("请先登记其处理意见"), "{m2}");

    // The steward cannot answer or promise: the owner's message says it was reported, no date.
    let msg = w.desk.progress_message(&no).unwrap();
    assert!(msg.contains("重大事项") && !msg.contains("预计") && !msg.contains("前完成") && !msg.contains("前再次"), "{msg}");
    // 今日待办 shows it, waiting for the GM.
    let today = w.desk.today().unwrap();
    let d = today.matters.iter().find(|d| d.ticket_no == no).expect("on 今日待办");
    assert_eq!(d.kind, "重大事项");
    assert!(d.text.contains("保修管家不得自行答复或承诺业主"), "{}", d.text);
    // F03 lists the day's new major matter with the reports to the GM.
    let day = desk_domain::time::local_date(*w.clock.lock().unwrap());
    let f03 = w.desk.daily_report(day).unwrap();
    let row = f03.matters.iter().find(|r| r.ticket_no == no).expect("in F03");
    assert_eq!((row.kind_label.as_str(), row.units.as_str()), ("重大事项", "1-1-101"));
    assert!(row.state.contains("待出具意见"), "{}", row.state);

    // The ticket cannot close before the opinion: the notice that reaches the owner is refused,
    // naming what comes first; nothing is written.
    w.accepted(&no);
    let before = w.desk.ticket(&no).unwrap();
    let notice = NoticeInput { reached: true, channel: Channel::Phone, note: "已告知".into(), new_phone: None };
    let (k, msg) = kind_of(w.desk.completion_notice(&w.clerk, &no, notice.clone()));
    assert_eq!(k, ErrorKind::Refused);
    assert!(msg.contains("须先由其登记处理意见") && msg.contains("总经理吴国栋"), "{msg}");
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // Only the GM or the engineer it was reported to records the opinion.
    for s in w.wrong(desk_roles::OPINION) {
        assert_eq!(kind_of(w.desk.record_major_opinion(&s, &no, m.id, "x")).0, ErrorKind::Denied, "{:?}", s.role);
    }
    let (k, msg) = kind_of(w.desk.record_major_opinion(&w.engineer, &no, m.id, "x"));
    assert_eq!(k, ErrorKind::Denied, "not reported to this engineer: {msg}");
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");
    w.advance(Duration::hours(1));
    let t = w.desk.record_major_opinion(&w.gm, &no, m.id, "由总包返工，费用从保修金扣除").unwrap();
    let m = t.major_matters[0].clone();
    assert_eq!(m.opinion.as_deref(), Some("由总包返工，费用从保修金扣除"));
    assert_eq!(m.opinion_by.as_deref(), Some("总经理吴国栋"));
    assert_eq!(kind_of(w.desk.record_major_opinion(&w.gm, &no, m.id, "再登记")).0, ErrorKind::Refused);
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));

    // Now the notice closes it.
    let t = w.desk.completion_notice(&w.clerk, &no, notice).unwrap();
    assert_eq!(t.status, TicketStatus::Closed);
    // A closed ticket is not marked.
    let (k, msg) = kind_of(w.desk.mark_major_matter(&w.director, &no, input(w.engineer.staff_id)));
    assert_eq!(k, ErrorKind::Refused);
    assert!(msg.contains("重新打开"), "{msg}");

    // Reported to an engineer: that engineer records the opinion.
    let other = w.in_repair("1-1-102", "13800135102");
    let t = w.desk.mark_major_matter(&w.director, &other, input(w.engineer.staff_id)).unwrap();
    let t = w.desk.record_major_opinion(&w.engineer, &other, t.major_matters[0].id, "更换防水卷材").unwrap();
    assert_eq!(t.major_matters[0].opinion_by.as_deref(), Some("工程师周强"));
}

#[test]
fn a_complaint_above_the_center_is_supervised_on_its_own_clock_until_closed() {
    let w = world();
    let no = w.in_repair("1-1-101", "13800135101");
    let input = |level, units: &[&str]| ComplaintInput {
        level,
        units: units.iter().map(|u| u.to_string()).collect(),
        description: "多户业主就外墙渗水投诉至集团".into(),
        reported_to_id: w.gm.staff_id,
        supervisor_id: w.steward.staff_id,
    };

    // The follow-up clock is a setting with a range.
    assert_eq!(DeadlineSettings::default().complaint_follow_up_days, 1);
    let bad = DeadlineSettings { complaint_follow_up_days: 0, ..Default::default() };
    assert_eq!(bad.check().unwrap_err().field, Some("complaint_follow_up_days"));

    // Out of order: nothing to follow up or close before it is recorded.
    let (k, m) = kind_of(w.desk.follow_up_complaint(&w.steward, 1, "已联系"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先由保修主任登记越级投诉"), "{m}");
    assert!(kind_of(w.desk.close_complaint(&w.director, 1, "已解决")).1.contains("须先由保修主任登记越级投诉"));

    // Every wrong role is refused; a foreseeable group complaint names several units; the
    // supervisor must be someone who can follow it; nothing is written.
    let before = w.desk.ticket(&no).unwrap();
    for s in w.wrong(desk_roles::COMPLAINT) {
        let (k, m) = kind_of(w.desk.record_complaint(&s, &no, input(ComplaintLevel::Group, &["1-1-101"])));
        assert_eq!(k, ErrorKind::Denied, "{:?}: {m}", s.role);
    }
    assert_eq!(kind_of(w.desk.record_complaint(&w.director, &no, input(ComplaintLevel::ForeseeableGroup, &["1-1-101"]))).0, ErrorKind::Invalid);
    let x = ComplaintInput { supervisor_id: w.clerk.staff_id, ..input(ComplaintLevel::Group, &[]) };
    assert_eq!(kind_of(w.desk.record_complaint(&w.director, &no, x)).0, ErrorKind::Invalid);
    let x = ComplaintInput { reported_to_id: w.cs.staff_id, ..input(ComplaintLevel::Group, &[]) };
    assert_eq!(kind_of(w.desk.record_complaint(&w.director, &no, x)).0, ErrorKind::Invalid);
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // Recorded Thursday 09:xx: level, units, reported to the GM, supervised by the steward.
    let t = w.desk.record_complaint(&w.director, &no, input(ComplaintLevel::ForeseeableGroup, &["1-1-101、1-1-102", "1-1-103"])).unwrap();
    let c = t.complaints[0].clone();
    assert_eq!(c.level, ComplaintLevel::ForeseeableGroup);
    assert_eq!(c.units, vec!["1-1-101", "1-1-102", "1-1-103"]);
    assert_eq!(c.reported_to, "总经理吴国栋");
    assert_eq!(c.supervisor, "管家王磊");
    let due = c.next_follow_up_due.unwrap();
    assert_eq!(desk_domain::time::fmt_local(due), "2026-03-06 17:30", "one working day: Friday's close");
    assert_eq!(kind_of(w.desk.record_complaint(&w.director, &no, input(ComplaintLevel::Group, &[]))).0, ErrorKind::Refused);
    let day = desk_domain::time::local_date(*w.clock.lock().unwrap());
    let f03 = w.desk.daily_report(day).unwrap();
    let row = f03.matters.iter().find(|r| r.ticket_no == no).expect("in F03");
    assert_eq!((row.kind_label.as_str(), row.units.as_str()), ("可预见群诉", "1-1-101、1-1-102、1-1-103"));
    assert!(row.state.contains("由管家王磊跟进至关闭"), "{}", row.state);
    // Not due on Thursday; due on Friday on 今日待办.
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    w.advance(Duration::days(1));
    let today = w.desk.today().unwrap();
    let d = today.matters.iter().find(|d| d.ticket_no == no).expect("follow-up due Friday");
    assert_eq!(d.kind, "可预见群诉");
    assert!(d.text.contains("管家王磊") && !d.late, "{d:?}");

    // Only its supervisor or the director follows it up.
    let before = w.desk.ticket(&no).unwrap();
    for s in w.wrong(desk_roles::SUPERVISE) {
        assert_eq!(kind_of(w.desk.follow_up_complaint(&s, c.id, "x")).0, ErrorKind::Denied, "{:?}", s.role);
        assert_eq!(kind_of(w.desk.close_complaint(&s, c.id, "x")).0, ErrorKind::Denied, "{:?}", s.role);
    }
    assert_eq!(kind_of(w.desk.follow_up_complaint(&w.cs, c.id, "x")).0, ErrorKind::Denied, "not the supervisor");
    assert_eq!(kind_of(w.desk.close_complaint(&w.engineer, c.id, "x")).0, ErrorKind::Denied, "not the supervisor");
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");
    let t = w.desk.follow_up_complaint(&w.steward, c.id, "已向三户说明返工方案，业主同意下周施工").unwrap();
    let c2 = t.complaints[0].clone();
    assert_eq!(c2.follow_ups.len(), 1);
    assert_eq!(desk_domain::time::fmt_local(c2.next_follow_up_due.unwrap()), "2026-03-09 17:30", "Friday's follow-up: next by Monday");
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    // Missed Monday: late on Tuesday.
    w.advance(Duration::days(4));
    let today = w.desk.today().unwrap();
    assert!(today.matters.iter().find(|d| d.ticket_no == no).unwrap().late);

    // Closed with a result by the director; then nothing more.
    let t = w.desk.close_complaint(&w.director, c.id, "返工完成，三户业主均已确认满意").unwrap();
    let c3 = t.complaints[0].clone();
    assert_eq!(c3.result.as_deref(), Some("返工完成，三户业主均已确认满意"));
    assert_eq!(c3.closed_by.as_deref(), Some("张主任"));
    assert!(c3.next_follow_up_due.is_none());
    let (k, m) = kind_of(w.desk.follow_up_complaint(&w.steward, c.id, "x"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("已关闭"), "{m}");
    assert_eq!(kind_of(w.desk.close_complaint(&w.steward, c.id, "x")).0, ErrorKind::Refused);
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    // A complaint without units names the ticket's own unit.
    let t = w.desk.record_complaint(&w.director, &no, input(ComplaintLevel::Region, &[])).unwrap();
    assert_eq!(t.complaints[1].units, vec!["1-1-101"]);
}
