//! The desk over a database made by the first release (the store's fixture
//! `crates/store/tests/fixtures/first-release.sqlite`, written by that release's `wdesk demo`):
//! after the upgrade the clerk signs in, lists and searches the tickets, reads 今日待办, and
//! `check` finds nothing wrong. That every row survives is `crates/store/tests/upgrade.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use desk_service::tickets::TicketFilter;
use desk_service::Desk;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../store/tests/fixtures/first-release.sqlite");

/// Monday 2026-12-07 10:00 CST, three days after the fixture was made: its open tickets have
/// duties due and late.
fn monday_morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap()
}

#[test]
fn the_desk_works_on_a_first_release_database() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(FIXTURE, dir.path().join("warranty-desk.sqlite")).unwrap();
    let desk = Desk::open_with_clock(dir.path(), Box::new(monday_morning)).expect("today's desk opens the first release's database");

    assert!(desk.is_demo().unwrap(), "the first release's demo marker is kept");
    let clerk = desk.session_for(Some(desk_service::demo::DEMO_USER)).unwrap();
    assert_eq!(clerk.name, "李静");

    let all = desk.list_tickets(&TicketFilter::default(), 1_000).unwrap();
    assert_eq!(all.total, 200);
    assert_eq!(all.items[0].no, "BX-2026-000200", "newest first");

    // The search index written by the first release still answers: an owner's name, a number.
    let by_owner = desk.list_tickets(&TicketFilter { query: Some("孙强".into()), ..Default::default() }, 1_000).unwrap();
    assert!(by_owner.items.iter().any(|t| t.no == "BX-2026-000001"), "{:?}", by_owner.items.iter().map(|t| &t.no).collect::<Vec<_>>());
    let by_no = desk.list_tickets(&TicketFilter { query: Some("BX-2026-000002".into()), ..Default::default() }, 1_000).unwrap();
    assert_eq!(by_no.items.iter().map(|t| t.owner.as_str()).collect::<Vec<_>>(), ["黄思远"]);

    let today = desk.today().unwrap();
    assert!(!today.items.is_empty(), "今日待办 is empty on a database with open tickets");
    assert!(today.counters.overdue > 0);
    for item in &today.items {
        assert!(item.ticket.no.starts_with("BX-2026-"), "{}", item.ticket.no);
        assert!(!item.duties.is_empty(), "{} is listed without a duty", item.ticket.no);
    }

    let report = desk.check().unwrap();
    assert!(report.ok, "{:?}", report.problems);
}
