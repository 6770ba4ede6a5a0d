//! Issue 14 path 6, "not ours" (§4.4.1, §4.5.6, §5.1.5.3), walked through the `Desk` API with a
//! clock the test moves: a report outside the warranty is handed over to the property company
//! (paid service) — the ticket becomes 非保修范围 in the same step — followed up on its own clock
//! on 今日待办 until the owner has had an answer, listed in that day's F03 with the owner's other
//! non-warranty matters, and found again on the ticket. Each step is refused for every wrong role
//! and out of order with a Chinese message naming what must come first, writing nothing.
//!
//! The world (as `major_story`): 翠湖澜庭, 一期 1-1-101…105, one builder; Thursday 2026-03-05.
//!
//! Run: `cargo test -p desk-service --test not_ours_story`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::world::{kind_of, world, World};

use chrono::{DateTime, Duration, Utc};
use desk_domain::clock::rules::DeadlineSettings;
use desk_domain::not_ours::HandOverTo;
use desk_domain::ticket::{Channel, TicketStatus};
use desk_domain::time::fmt_local;
use desk_service::acceptance::NoticeInput;
use desk_service::error::ErrorKind;
use desk_service::not_ours::{HandOverInput, FOLLOW_UP_ROLES, HAND_OVER_ROLES};
use desk_service::tickets::TicketFilter;

fn now(w: &World) -> DateTime<Utc> {
    *w.clock.lock().unwrap()
}

fn input(to: HandOverTo, reason: &str) -> HandOverInput {
    HandOverInput { to, reason: reason.into() }
}

#[test]
fn a_matter_not_ours_is_handed_to_the_property_company_and_followed_up_until_the_owner_is_answered() {
    let w = world();
    // The follow-up clock is a setting with a range.
    assert_eq!(DeadlineSettings::default().not_ours_follow_up_days, 2);
    for bad in [0, 11] {
        let s = DeadlineSettings { not_ours_follow_up_days: bad, ..Default::default() };
        let e = s.check().unwrap_err();
        assert_eq!(e.field, Some("not_ours_follow_up_days"));
        assert!(e.message.contains("移交事项跟进间隔"), "{}", e.message);
    }

    // Thursday 09:00: the owner of 1-1-101 reports a leak at the sun-room he added himself.
    let no = w.report("1-1-101", "自建阳光房", "13800135101", None).unwrap();
    assert_eq!(w.desk.ticket(&no).unwrap().status, TicketStatus::Reported);

    // Out of order: nothing to follow up or answer before a hand-over.
    let before = w.desk.ticket(&no).unwrap();
    let (k, m) = kind_of(w.desk.follow_up_hand_over(&w.clerk, 1, "物业已上门"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先将报修单移交物业公司或地产客服部"), "{m}");
    let (k, m) = kind_of(w.desk.answer_hand_over(&w.clerk, 1, "已修好"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先将报修单移交物业公司或地产客服部，才能登记答复"), "{m}");

    // Every wrong role is refused; a hand-over needs its reason; nothing is written.
    for s in w.wrong(HAND_OVER_ROLES) {
        let (k, m) = kind_of(w.desk.hand_over(&s, &no, input(HandOverTo::PropertyCompany, "业主自建阳光房，不属保修")));
        assert_eq!(k, ErrorKind::Denied, "{:?}: {m}", s.role);
        assert!(m.contains("移交物业公司或地产客服部"), "{m}");
    }
    let e = w.desk.hand_over(&w.clerk, &no, input(HandOverTo::PropertyCompany, "  ")).unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("reason")));
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // The front desk hands it over to the property company: the ticket becomes 非保修范围 with
    // the reason in the same step; to whom, why, who and when are recorded.
    w.advance(Duration::minutes(10));
    let t = w.desk.hand_over(&w.clerk, &no, input(HandOverTo::PropertyCompany, "业主自建阳光房渗漏，不属保修范围，转物业有偿维修")).unwrap();
    assert_eq!(t.status, TicketStatus::OutOfScope);
    let h = t.hand_overs[0].clone();
    assert_eq!(t.hand_overs.len(), 1);
    assert_eq!(h.to, HandOverTo::PropertyCompany);
    assert_eq!(h.ticket_no, no);
    assert_eq!(h.handed_by, "前台小李");
    assert_eq!(h.handed_at, now(&w));
    assert!(h.answer.is_none() && h.follow_ups.is_empty());
    assert_eq!(fmt_local(h.next_follow_up_due.unwrap()), "2026-03-09 17:30", "two working days after Thursday: Monday's close");
    assert!(t.timeline.iter().any(|e| e.detail.contains("已报修 → 非保修范围") && e.detail.contains("业主自建阳光房渗漏")), "{:?}", t.timeline);
    assert!(t.timeline.iter().any(|e| e.detail.starts_with("移交物业公司（有偿服务）")), "{:?}", t.timeline);

    // Found again: the ticket list's 已移交（非保修） filter lists it, not the other tickets.
    let other = w.report("1-1-105", "厨房", "13800135105", None).unwrap();
    let found = w.desk.list_tickets(&TicketFilter { handed_over: true, ..Default::default() }, 100).unwrap();
    assert_eq!(found.items.iter().map(|t| t.no.as_str()).collect::<Vec<_>>(), vec![no.as_str()]);
    assert!(w.desk.list_tickets(&TicketFilter::default(), 100).unwrap().items.iter().any(|t| t.no == other));
    let both = TicketFilter { handed_over: true, due: Some(desk_service::clocks::DueFilter::DueToday), ..Default::default() };
    assert!(w.desk.list_tickets(&both, 100).unwrap().items.is_empty(), "an out-of-scope ticket has no repair duty");

    // A second hand-over waits for the first's answer.
    let before = w.desk.ticket(&no).unwrap();
    let (k, m) = kind_of(w.desk.hand_over(&w.steward, &no, input(HandOverTo::CsDepartment, "再转地产客服")));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("请先登记该移交的答复"), "{m}");
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // That day's F03 lists it with the owner's other non-warranty matters (§5.1.5.3).
    let day = desk_domain::time::local_date(now(&w));
    let f03 = w.desk.daily_report(day).unwrap();
    let row = f03.out_of_scope.iter().find(|r| r.no == no).expect("in F03 五、非保修范围事项");
    assert_eq!(row.class, "移交物业公司（有偿服务）");
    assert_eq!((row.unit.as_str(), row.owner.as_str(), row.by.as_str()), ("1-1-101", "业主101", "前台小李"));
    assert!(row.matter.contains("业主自建阳光房渗漏") && row.matter.contains("跟进中"), "{}", row.matter);
    assert!(!row.phone.contains("13800135101"), "the phone is masked: {}", row.phone);
    assert_eq!(f03.figures.out_of_scope, f03.out_of_scope.len() as i64);
    // The F03 PDF holds the row in 五、非保修范围事项.
    let pdf = w.dir.path().join("日报.pdf");
    w.desk.export_daily_report(day, &pdf).unwrap();
    let o = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    let text = String::from_utf8_lossy(&o.stdout).replace(['\n', ' '], "");
    for needle in ["五、非保修范围事项（1项，§5.1.5.3）", "移交物业公司（有偿服务）", "业主自建阳光房渗漏", &no] {
        assert!(text.contains(needle), "the PDF lacks «{needle}»:\n{text}");
    }

    // Not due on Thursday nor Friday; due on Monday on 今日待办.
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    w.advance(Duration::days(1));
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    w.advance(Duration::days(3));
    let today = w.desk.today().unwrap();
    let d = today.matters.iter().find(|d| d.ticket_no == no).expect("follow-up due Monday");
    assert_eq!(d.kind, "转物业");
    assert!(d.text.contains("物业公司（有偿服务）") && d.text.contains("业主尚未获得答复"), "{}", d.text);
    assert_eq!(fmt_local(d.due_at.unwrap()), "2026-03-09 17:30");
    assert!(!d.late);

    // Only the center's people follow it up; nothing written by a refused call.
    let before = w.desk.ticket(&no).unwrap();
    for s in w.wrong(FOLLOW_UP_ROLES) {
        assert_eq!(kind_of(w.desk.follow_up_hand_over(&s, h.id, "x")).0, ErrorKind::Denied, "{:?}", s.role);
        assert_eq!(kind_of(w.desk.answer_hand_over(&s, h.id, "x")).0, ErrorKind::Denied, "{:?}", s.role);
    }
    assert_eq!(kind_of(w.desk.follow_up_hand_over(&w.steward, h.id, " ")).0, ErrorKind::Invalid);
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");
    let t = w.desk.follow_up_hand_over(&w.steward, h.id, "物业已上门查看，报价300元，业主考虑中").unwrap();
    let h2 = t.hand_overs[0].clone();
    assert_eq!(h2.follow_ups.len(), 1);
    assert_eq!(h2.follow_ups[0].actor, "管家王磊");
    assert_eq!(fmt_local(h2.next_follow_up_due.unwrap()), "2026-03-11 17:30", "Monday's follow-up: next by Wednesday");
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    // Missed Wednesday: late on Thursday.
    w.advance(Duration::days(3));
    assert!(w.desk.today().unwrap().matters.iter().find(|d| d.ticket_no == no).expect("late").late);

    // The owner has had an answer: recorded once; the hand-over leaves 今日待办.
    let t = w.desk.answer_hand_over(&w.director, h.id, "业主同意物业有偿维修，物业已修好，业主认可").unwrap();
    let h3 = t.hand_overs[0].clone();
    assert_eq!(h3.answer.as_deref(), Some("业主同意物业有偿维修，物业已修好，业主认可"));
    assert_eq!(h3.answered_by.as_deref(), Some("张主任"));
    assert_eq!(h3.answered_at, Some(now(&w)));
    assert!(h3.next_follow_up_due.is_none());
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    let before = w.desk.ticket(&no).unwrap();
    let (k, m) = kind_of(w.desk.answer_hand_over(&w.clerk, h.id, "再登记"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("已登记业主获得的答复"), "{m}");
    assert!(kind_of(w.desk.follow_up_hand_over(&w.clerk, h.id, "x")).1.contains("已登记业主获得的答复"));
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // Found again: the ticket keeps it with its follow-up and answer; the first day's F03 too.
    let t = w.desk.ticket(&no).unwrap();
    assert_eq!(t.hand_overs.len(), 1);
    let f03 = w.desk.daily_report(day).unwrap();
    assert!(f03.out_of_scope.iter().any(|r| r.no == no && r.matter.contains("业主已获答复")));

    // Once answered, another matter of the same ticket may go to the CS department; the ticket
    // stays 非保修范围.
    let t = w.desk.hand_over(&w.cs, &no, input(HandOverTo::CsDepartment, "业主要求开发商兑现销售承诺的赠送花园")).unwrap();
    assert_eq!(t.status, TicketStatus::OutOfScope);
    assert_eq!(t.hand_overs.len(), 2);
    assert_eq!(t.hand_overs[1].to, HandOverTo::CsDepartment);
    w.advance(Duration::days(4));
    let today = w.desk.today().unwrap();
    assert_eq!(today.matters.iter().find(|d| d.ticket_no == no).expect("due").kind, "转地产客服");
}

#[test]
fn a_ticket_in_warranty_work_or_cancelled_is_not_handed_over_but_one_out_of_scope_or_closed_is() {
    let w = world();
    let no = w.in_repair("1-1-102", "13800135102");
    let before = w.desk.ticket(&no).unwrap();
    let (k, m) = kind_of(w.desk.hand_over(&w.director, &no, input(HandOverTo::PropertyCompany, "其实是业主装修问题")));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("报修单已维修中") && m.contains("派工前"), "{m}");
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // A cancelled ticket neither.
    let other = w.report("1-1-103", "厨房", "13800135103", None).unwrap();
    w.desk.change_status(&w.steward, &other, TicketStatus::Cancelled, "业主自行修好").unwrap();
    let (k, m) = kind_of(w.desk.hand_over(&w.clerk, &other, input(HandOverTo::CsDepartment, "x")));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("已取消"), "{m}");

    // A ticket already 非保修范围 is handed over as it is.
    let third = w.report("1-1-104", "车库", "13800135104", None).unwrap();
    w.desk.change_status(&w.steward, &third, TicketStatus::OutOfScope, "车库属物业管理范围").unwrap();
    let t = w.desk.hand_over(&w.steward, &third, input(HandOverTo::PropertyCompany, "车库渗水属物业维修范围")).unwrap();
    assert_eq!(t.status, TicketStatus::OutOfScope);
    assert_eq!(t.hand_overs.len(), 1);

    // An accepted ticket is still warranty work: refused.
    w.accepted(&no);
    assert_eq!(kind_of(w.desk.hand_over(&w.clerk, &no, input(HandOverTo::PropertyCompany, "x"))).0, ErrorKind::Refused);

    // Closed, the owner raises another matter that is not the warranty's: handed over, the
    // ticket stays closed (§5.1.5.3).
    let notice = NoticeInput { reached: true, channel: Channel::Phone, note: "已告知".into(), new_phone: None };
    assert_eq!(w.desk.completion_notice(&w.clerk, &no, notice).unwrap().status, TicketStatus::Closed);
    let t = w.desk.hand_over(&w.clerk, &no, input(HandOverTo::PropertyCompany, "业主另提小区道闸故障，属物业管理")).unwrap();
    assert_eq!(t.status, TicketStatus::Closed);
    assert_eq!(t.hand_overs.len(), 1);
}
