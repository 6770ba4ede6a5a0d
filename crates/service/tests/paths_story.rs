//! Three paths of the procedure besides the main road (issue 14), walked through the `Desk` API
//! with a clock the test moves: an upset owner (§6.5), a closed ticket whose repair fails again
//! (reopened within the window, a new linked ticket after it), and an owner whose number changed
//! (§5.1.4.2). Each step is refused for every wrong role (nothing written) and out of order with
//! a Chinese message naming what must come first.
//!
//! The world: 翠湖澜庭, 一期 1-1-101…105, one builder; Thursday 2026-03-05.
//!
//! Run: `cargo test -p desk-service --test paths_story`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::world::{kind_of, world};

use chrono::Duration;
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::ticket::{Channel, TicketStatus};
use desk_service::acceptance::NoticeInput;
use desk_service::error::ErrorKind;
use desk_service::paths::UpsetOwnerInput;

#[test]
fn an_upset_owner_puts_the_repair_on_hold_and_the_cs_assistant_must_act() {
    let w = world();
    let no = w.in_repair("1-1-101", "13800135101");
    let input = |dept: Option<&str>| UpsetOwnerInput {
        reason: "业主对维修进度不满，拒绝工人进门".into(),
        cs_assistant_id: w.cs.staff_id,
        department_note: dept.map(str::to_string),
    };

    // Out of order: the department is told about an upset owner's hold only.
    let (k, m) = kind_of(w.desk.tell_cs_department(&w.clerk, &no, "业主要求更换维修单位"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先以「业主情绪激动」暂停"), "{m}");

    // Every wrong role is refused and nothing is written.
    let before = w.desk.ticket(&no).unwrap();
    for s in w.wrong(desk_roles::UPSET) {
        let (k, m) = kind_of(w.desk.hold_upset_owner(&s, &no, input(None)));
        assert_eq!(k, ErrorKind::Denied, "{:?}: {m}", s.role);
        assert!(m.contains("只有"), "{m}");
        assert_eq!(kind_of(w.desk.tell_cs_department(&s, &no, "x")).0, ErrorKind::Denied);
    }
    // The person told must be a CS assistant.
    let (k, _) = kind_of(w.desk.hold_upset_owner(&w.clerk, &no, UpsetOwnerInput { cs_assistant_id: w.steward.staff_id, ..input(None) }));
    assert_eq!(k, ErrorKind::Invalid);
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // The steward holds it; the CS assistant is told; the hold says who must act.
    w.advance(Duration::minutes(10));
    let t = w.desk.hold_upset_owner(&w.steward, &no, input(None)).unwrap();
    let h = t.running_hold.clone().unwrap();
    assert!(h.upset_owner);
    assert_eq!(h.must_act, "须客服主管助理处理");
    assert_eq!(h.cs_assistant.as_deref(), Some("客服助理孙丽"));
    assert!(h.cs_told_at.is_some() && h.cs_department_at.is_none());
    assert!(t.timeline.iter().any(|e| e.detail.contains("已告知客服主管助理客服助理孙丽")));
    // The day's F03 lists the upset owner (§6.5) with whom was told.
    let f03 = w.desk.daily_report(desk_domain::time::local_date(w.desk.now())).unwrap();
    let line = f03.matters.iter().find(|m| m.ticket_no == no && m.kind_label == "业主情绪激动").expect("in F03");
    assert!(line.state.contains("客服助理孙丽"), "{line:?}");
    // 今日待办 and the ticket's clocks show it.
    w.advance(Duration::days(2));
    let today = w.desk.today().unwrap();
    let item = today.items.iter().find(|i| i.ticket.no == no).expect("on 今日待办");
    assert!(item.on_hold.as_deref().unwrap().contains("须客服主管助理处理"), "{:?}", item.on_hold);
    assert_eq!(item.late_by_minutes, 0, "clocks paused");
    let (_, hold) = w.desk.ticket_duties(&no).unwrap();
    assert!(hold.unwrap().contains("须客服主管助理处理"));

    // A second hold is refused; the department is told once.
    assert_eq!(kind_of(w.desk.hold_upset_owner(&w.clerk, &no, input(None))).0, ErrorKind::Refused);
    let t = w.desk.tell_cs_department(&w.cs, &no, "业主要求更换维修单位，请客户服务部协调").unwrap();
    assert!(t.running_hold.unwrap().cs_department_at.is_some());
    let (k, m) = kind_of(w.desk.tell_cs_department(&w.cs, &no, "再报"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("已于"), "{m}");

    // Calmed down: released by the usual step, the repair goes on.
    let t = w.desk.release_hold(&w.cs, &no).unwrap();
    assert!(t.running_hold.is_none());

    // With the department told at once; a closed ticket cannot be held.
    let other = w.in_repair("1-1-102", "13800135102");
    let t = w.desk.hold_upset_owner(&w.clerk, &other, input(Some("业主情绪激烈，已报客户服务部"))).unwrap();
    assert!(t.running_hold.unwrap().cs_department_at.is_some());
    let closed = w.in_repair("1-1-103", "13800135103");
    w.closed(&closed);
    let (k, m) = kind_of(w.desk.hold_upset_owner(&w.clerk, &closed, input(None)));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("重新打开"), "{m}");
}

mod desk_roles {
    pub use desk_service::paths::{PHONE_ROLES as PHONE, REOPEN_ROLES as REOPEN, UPSET_OWNER_ROLES as UPSET};
}

#[test]
fn a_closed_ticket_is_reopened_within_the_window_and_followed_by_a_new_one_after_it() {
    let w = world();
    let no = w.in_repair("1-1-104", "13800135104");

    // Out of order: an open ticket is not reopened.
    let (k, m) = kind_of(w.desk.reopen_ticket(&w.clerk, &no, "又漏水"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先关闭"), "{m}");

    w.closed(&no);
    let closed_at = *w.clock.lock().unwrap();
    let t = w.desk.ticket(&no).unwrap();
    assert_eq!(t.reopen_until, Some(closed_at + Duration::days(90)));

    // Every wrong role is refused; nothing is written.
    for s in w.wrong(desk_roles::REOPEN) {
        let (k, m) = kind_of(w.desk.reopen_ticket(&s, &no, "又漏水"));
        assert_eq!(k, ErrorKind::Denied, "{:?}: {m}", s.role);
    }
    assert_eq!(kind_of(w.desk.reopen_ticket(&w.clerk, &no, "  ")).0, ErrorKind::Invalid);
    assert_eq!(w.desk.ticket(&no).unwrap(), t, "nothing half-written");

    // 60 days later the leak is back: reopened to 维修中, history kept, clocks run again.
    w.advance(Duration::days(60));
    let r = w.desk.reopen_ticket(&w.clerk, &no, "卫生间地面再次渗水").unwrap();
    assert_eq!(r.status, TicketStatus::InRepair);
    assert_eq!(r.reopens.len(), 1);
    let signed = t.acceptance.clone().expect("accepted before the reopening");
    assert!(r.reopens[0].earlier_acceptance.starts_with(signed.kind.label()), "{}", r.reopens[0].earlier_acceptance);
    assert!(r.acceptance.is_none(), "the repair can be accepted again");
    let f03 = w.desk.daily_report(desk_domain::time::local_date(w.desk.now())).unwrap();
    let line = f03.matters.iter().find(|m| m.ticket_no == no && m.kind_label == "重新打开").expect("the reopening is in F03");
    assert!(line.detail.contains("卫生间地面再次渗水"), "{line:?}");
    // The owner's signed acceptance is evidence: kept whole beside the reopening.
    let raw = desk_store::raw::open(&w.desk.data_dir().join(desk_service::desk::DB_FILE)).unwrap();
    let kept: (String, String, String) = raw
        .query_row("SELECT u.kind, u.file, u.owner_opinion FROM acceptance_undone u JOIN ticket t ON t.id = u.ticket_id WHERE t.no = ?1", [&no], |x| {
            Ok((x.get(0)?, x.get(1)?, x.get(2)?))
        })
        .unwrap();
    assert_eq!(kept, (signed.kind.code().to_string(), signed.file.clone(), signed.owner_opinion.clone()));
    assert!(!signed.file.is_empty() && w.desk.data_dir().join(&signed.file).exists(), "the signature file stays");
    assert_eq!(r.dispatches.len(), t.dispatches.len(), "history kept");
    assert!(r.followups.len() >= t.followups.len());
    assert!(r.timeline.iter().any(|e| e.action == "reopen" && e.detail.contains("已关闭 → 维修中")));
    let (duties, _) = w.desk.ticket_duties(&no).unwrap();
    assert!(!duties.is_empty(), "the clocks run again");
    // The closed span is a pause: the visits and feedback run from the reopening, not late by
    // the 60 days the ticket was closed.
    assert!(duties.iter().all(|d| d.late_by_minutes == 0), "{duties:?}");
    // Repaired again, accepted again, closed again.
    w.closed(&no);

    // After the window: refused, saying to open a new ticket.
    w.advance(Duration::days(91));
    let (k, m) = kind_of(w.desk.reopen_ticket(&w.clerk, &no, "又漏水"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("请登记新报修单"), "{m}");
    // A new ticket follows it — under another part name it still counts as a second repair at
    // that spot (§5.2.2.2).
    let new = w.report("1-1-104", "主卫地面", "13800135104", Some(&no)).unwrap();
    let n = w.desk.ticket(&new).unwrap();
    assert_eq!(n.previous_ticket.as_deref(), Some(no.as_str()));
    assert!(n.linked_to.is_none(), "not a duplicate");
    let esc = w.desk.escalations(Some(&new)).unwrap();
    assert!(esc.iter().any(|e| e.kind == EscalationKind::RepeatAtSamePart && e.detail.contains(&no)), "{esc:?}");

    // Within the window a previous ticket is refused (reopen it instead); an open one too.
    let other = w.in_repair("1-1-105", "13800135105");
    let (k, m) = kind_of(w.report("1-1-105", "卫生间", "13800135105", Some(&other)));
    assert_eq!(k, ErrorKind::Invalid);
    assert!(m.contains("重复报修"), "{m}");
    w.closed(&other);
    let (k, m) = kind_of(w.report("1-1-105", "卫生间", "13800135105", Some(&other)));
    assert_eq!(k, ErrorKind::Invalid);
    assert!(m.contains("重新打开"), "{m}");

    // The window is a setting with a range.
    let p = w.desk.active_project().unwrap().id;
    let mut s = w.desk.deadline_settings(p).unwrap();
    assert_eq!(s.reopen_window_days, 90);
    s.reopen_window_days = 0;
    let e = w.desk.set_deadline_settings(&w.director, p, &s).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reopen_window_days"));
    s.reopen_window_days = 10;
    w.desk.set_deadline_settings(&w.director, p, &s).unwrap();
    w.advance(Duration::days(11));
    assert!(kind_of(w.desk.reopen_ticket(&w.clerk, &other, "又漏水")).1.contains("超过 10 天"));
}

#[test]
fn a_changed_number_goes_on_the_owner_and_the_cs_department_answers() {
    let w = world();
    let no = w.in_repair("1-1-102", "13800135102");
    w.accepted(&no);

    // Out of order: a new number is recorded after a failed notice.
    let (k, m) = kind_of(w.desk.record_changed_phone(&w.clerk, &no, "13912345678"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先登记一次未联系上业主的完工通知"), "{m}");
    let (k, m) = kind_of(w.desk.answer_phone_inquiry(&w.clerk, &no, 999, "已核实"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先登记业主的新号码"), "{m}");

    // Wrong roles: a failed notice naming a new number is refused whole — nothing written.
    let failed =
        |p: Option<&str>| NoticeInput { reached: false, channel: Channel::Phone, note: "空号，业主已换号".into(), new_phone: p.map(str::to_string) };
    let before = w.desk.ticket(&no).unwrap();
    for s in w.wrong(desk_roles::PHONE) {
        let (k, m) = kind_of(w.desk.completion_notice(&s, &no, failed(Some("13912345678"))));
        assert_eq!(k, ErrorKind::Denied, "{:?}: {m}", s.role);
        assert_eq!(kind_of(w.desk.record_changed_phone(&s, &no, "13912345678")).0, ErrorKind::Denied);
        assert_eq!(kind_of(w.desk.answer_phone_inquiry(&s, &no, 1, "已核实")).0, ErrorKind::Denied);
    }
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");
    assert_eq!(w.desk.unit(before.unit_id).unwrap().owners[0].phones, ["13800135102"], "the owner untouched");

    // The notice fails: the number changed. New number first, the old one kept, marked old.
    w.advance(Duration::minutes(30));
    let t = w.desk.completion_notice(&w.clerk, &no, failed(Some("139 1234 5678"))).unwrap();
    let owner = &w.desk.unit(t.unit_id).unwrap().owners[0];
    assert_eq!(owner.phones, ["13912345678", "13800135102"]);
    assert_eq!(owner.old_phones, ["13800135102"]);
    let q = &t.phone_inquiries[0];
    assert_eq!((q.old_phone.as_str(), q.new_phone.as_str(), q.answered_at), ("13800135102", "13912345678", None));
    assert!(t.timeline.iter().any(|e| e.action == "change_phone"));
    // The owner is still found by the old number.
    assert!(!w.desk.lookup_caller("13800135102").unwrap().units.is_empty());
    // It waits for the CS department on 今日待办, and the day's F03 lists it with both numbers
    // masked.
    let waiting = w.desk.today().unwrap().matters.into_iter().find(|m| m.ticket_no == no && m.kind == "电话变更").expect("on 今日待办");
    assert!(waiting.text.contains("13912345678") && waiting.text.contains("待其答复"), "{waiting:?}");
    let day = desk_domain::time::local_date(w.desk.now());
    let line = w.desk.daily_report(day).unwrap().matters.into_iter().find(|m| m.ticket_no == no && m.kind_label == "电话变更").expect("in F03");
    assert!(!line.detail.contains("13912345678") && line.detail.contains("→"), "phones masked in F03: {line:?}");
    assert!(line.state.contains("待答复"), "{line:?}");

    // The CS department answers (once).
    let id = q.id;
    assert_eq!(kind_of(w.desk.answer_phone_inquiry(&w.cs, &no, id, " ")).0, ErrorKind::Invalid);
    let t = w.desk.answer_phone_inquiry(&w.cs, &no, id, "客户服务部已核实：业主本人新号码").unwrap();
    let q = &t.phone_inquiries[0];
    assert_eq!(q.answer, "客户服务部已核实：业主本人新号码");
    assert_eq!(q.answered_by.as_deref(), Some("客服助理孙丽"));
    let (k, m) = kind_of(w.desk.answer_phone_inquiry(&w.cs, &no, id, "再答"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("已答复"), "{m}");
    assert!(!w.desk.today().unwrap().matters.iter().any(|m| m.ticket_no == no && m.kind == "电话变更"), "answered: off 今日待办");
    let line = w.desk.daily_report(day).unwrap().matters.into_iter().find(|m| m.ticket_no == no && m.kind_label == "电话变更").expect("in F03");
    assert!(line.state.contains("客户服务部已答复"), "{line:?}");

    // Learned later, after another failed notice: the second number changes too; both old kept.
    w.advance(Duration::days(2));
    w.desk.completion_notice(&w.clerk, &no, failed(None)).unwrap();
    let t = w.desk.record_changed_phone(&w.director, &no, "13700001111").unwrap();
    let owner = &w.desk.unit(t.unit_id).unwrap().owners[0];
    assert_eq!(owner.phones[0], "13700001111");
    assert_eq!(owner.phones.len(), 3);
    assert_eq!(t.phone_inquiries.len(), 2);
    assert_eq!(kind_of(w.desk.record_changed_phone(&w.clerk, &no, "13700001111")).0, ErrorKind::Invalid);
    // Reached at the new number: closed.
    let t =
        w.desk.completion_notice(&w.clerk, &no, NoticeInput { reached: true, channel: Channel::Phone, note: "新号码联系上".into(), new_phone: None }).unwrap();
    assert_eq!(t.status, TicketStatus::Closed);
}
