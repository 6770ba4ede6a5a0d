//! The demo a new user opens: a realistic working day on 今日待办 — some things due now, a
//! few late, most on time — and a daily report that already knows its recipients (§5.1.6.2).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use desk_domain::clock::urgency::Urgency;
use desk_domain::ticket::TicketStatus;
use desk_service::Desk;

/// At night the same holds: the newest tickets are still there to work on.
#[test]
fn the_demo_made_at_night_still_has_tickets_waiting_for_their_slip() {
    let dir = tempfile::tempdir().unwrap();
    // 23:40 China time.
    let now = Utc.with_ymd_and_hms(2026, 3, 4, 15, 40, 0).single().unwrap();
    desk_service::demo::create(dir.path(), false, now).unwrap();
    let mut desk = Desk::open(dir.path()).unwrap();
    desk.set_clock(Box::new(move || now));
    let waiting = |status| desk.list_tickets(&desk_service::tickets::TicketFilter { status: Some(status), ..Default::default() }, 100).unwrap().total;
    assert!(waiting(TicketStatus::Contacted) >= 2);
    assert!(waiting(TicketStatus::Dispatched) >= 1);
}

#[test]
fn the_demo_shows_a_working_day_with_a_few_late_items_not_a_wall_of_red() {
    let dir = tempfile::tempdir().unwrap();
    // Wednesday 2026-03-04, 10:30 China time: the middle of a working morning.
    let now = Utc.with_ymd_and_hms(2026, 3, 4, 2, 30, 0).single().unwrap();
    desk_service::demo::create(dir.path(), false, now).unwrap();
    let mut desk = Desk::open(dir.path()).unwrap();
    desk.set_clock(Box::new(move || now));

    let open = desk
        .list_tickets(&desk_service::tickets::TicketFilter { limit: Some(500), ..Default::default() }, 1000)
        .unwrap()
        .items
        .iter()
        .filter(|t| !matches!(t.status, TicketStatus::Visited | TicketStatus::Cancelled | TicketStatus::OutOfScope))
        .count();
    let today = desk.today().unwrap();
    let late = today.items.iter().filter(|i| i.late_by_minutes > 0).count();
    let due_not_late = today.items.iter().filter(|i| i.late_by_minutes == 0).count();
    let live = today.items.iter().filter(|i| matches!(i.urgency, Urgency::DueSoon | Urgency::LateToday)).count();
    println!("open {open}, on the list {}, late {late}, due later today {due_not_late}, live {live}", today.items.len());
    assert!(open >= 20, "a centre has work in hand: {open} open tickets");
    assert!(late >= 1, "a few late items show what the list is for");
    assert!(late * 5 <= open, "most open tickets are on time: {late} late of {open} open");
    assert!(due_not_late >= 1, "some duties are due later today, not late yet");
    assert!(live >= 1, "something is due now");

    // Whatever the hour, a new user finds tickets waiting for their slip and one with its slip out.
    let waiting = |status| desk.list_tickets(&desk_service::tickets::TicketFilter { status: Some(status), ..Default::default() }, 100).unwrap().total;
    assert!(waiting(TicketStatus::Contacted) >= 2);
    assert!(waiting(TicketStatus::Dispatched) >= 1);

    let r = desk.report_recipients().unwrap();
    assert!(!r.to.is_empty() && !r.cc.is_empty(), "F03 goes to the centre and the project department, the GM in copy: {r:?}");
}

/// Issue 13: the demo shows the warranty verdict with every payer — the builder repairs free, a
/// hired firm paid from the builder's deposit, the developer, the owner — so a new user sees
/// what each looks like on a ticket.
#[test]
fn the_demo_has_tickets_for_every_payer() {
    use desk_domain::coverage::Payer;
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 4, 2, 30, 0).single().unwrap();
    desk_service::demo::create(dir.path(), false, now).unwrap();
    let mut desk = Desk::open(dir.path()).unwrap();
    desk.set_clock(Box::new(move || now));
    let all = desk.list_tickets(&desk_service::tickets::TicketFilter { limit: Some(500), ..Default::default() }, 1000).unwrap().items;
    let mut seen = std::collections::BTreeMap::new();
    for t in &all {
        let c = desk.coverage_of_ticket(&t.no).unwrap();
        *seen.entry(format!("{:?}", c.verdict.payer)).or_insert(0) += 1;
        if c.verdict.payer == Payer::HiredFirmFromDeposit || c.verdict.payer == Payer::BuilderFree {
            let b = c.builder.expect("a builder-paid verdict names the liable builder");
            assert!(!b.builder.is_empty() && b.liability_end.is_some(), "{b:?}");
        }
    }
    for p in [Payer::BuilderFree, Payer::HiredFirmFromDeposit, Payer::Developer, Payer::OwnerPaid] {
        assert!(seen.get(&format!("{p:?}")).copied().unwrap_or(0) > 0, "no demo ticket where {p:?} pays: {seen:?}");
    }
}
