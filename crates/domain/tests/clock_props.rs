//! Properties of the clocks, on random tickets.
//!
//! The main one: recording an event later than everything recorded so far (a failed call, a
//! visit, a feedback, a notice, a hold …) never makes any remaining duty due EARLIER.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

use chrono::{DateTime, Duration, Utc};
use desk_domain::clock::{
    duties, ClockMode, ContactFact, DeadlineSettings, DispatchFact, DutyKind, FeedbackFact, HoldFact, NoticeFact, TicketFacts, WorkCalendar,
};
use desk_domain::ticket::{Classification, TicketStatus};
use desk_domain::time::parse_local;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn base() -> DateTime<Utc> {
    // Mid-2026: the random spans below cross 劳动节, 端午 and ordinary weekends.
    parse_local("2026-04-27 08:00", "t").expect("valid")
}

fn at(min: i64) -> DateTime<Utc> {
    base() + Duration::minutes(min)
}

const SPAN: i64 = 60 * 24 * 40;

#[derive(Debug, Clone)]
enum Event {
    Contact(bool),
    SiteVisit,
    Feedback(Option<i64>),
    Recheck,
    Notice(bool),
    ReturnVisit,
    Hold(Option<i64>),
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        any::<bool>().prop_map(Event::Contact),
        Just(Event::SiteVisit),
        proptest::option::of(0..SPAN / 4).prop_map(Event::Feedback),
        Just(Event::Recheck),
        any::<bool>().prop_map(Event::Notice),
        Just(Event::ReturnVisit),
        proptest::option::of(1..SPAN / 8).prop_map(Event::Hold),
        (1..60 * 24 * 2i64).prop_map(|m| Event::Hold(Some(m))),
    ]
}

fn apply(f: &mut TicketFacts, e: &Event, t: DateTime<Utc>) {
    match e {
        Event::Contact(reached) => f.contacts.push(ContactFact { at: t, reached: *reached }),
        Event::SiteVisit => f.site_visits.push(t),
        Event::Feedback(next) => f.feedbacks.push(FeedbackFact { at: t, next_due_at: next.map(|m| t + Duration::minutes(m)) }),
        Event::Recheck => f.rechecks.push(t),
        Event::Notice(reached) => f.completion_notices.push(NoticeFact { at: t, reached: *reached }),
        Event::ReturnVisit => f.return_visits.push(t),
        Event::Hold(len) => f.holds.push(HoldFact { from: t, until: len.map(|m| t + Duration::minutes(m)), reason: "测试".into() }),
    }
}

/// The latest time at which something was recorded (not appointments or agreed dates, which are
/// promises about the future).
fn latest(f: &TicketFacts) -> DateTime<Utc> {
    let mut all = vec![f.reported_at];
    all.extend(f.contacts.iter().map(|c| c.at));
    all.extend(f.dispatches.iter().flat_map(|d| [Some(d.issued_at), d.arrived_at, d.completed_at]).flatten());
    all.extend(f.site_visits.iter().copied());
    all.extend(f.feedbacks.iter().map(|x| x.at));
    all.extend(f.rechecks.iter().copied());
    all.extend(f.accepted_at);
    all.extend(f.completion_notices.iter().map(|n| n.at));
    all.extend(f.return_visits.iter().copied());
    all.extend(f.holds.iter().map(|h| h.from));
    all.into_iter().max().unwrap_or(f.reported_at)
}

fn status() -> impl Strategy<Value = TicketStatus> {
    proptest::sample::select(TicketStatus::ALL.to_vec())
}

fn classification() -> impl Strategy<Value = Option<Classification>> {
    proptest::option::of(proptest::sample::select(Classification::ALL.to_vec()))
}

/// Times within `scale` minutes of the report: a few days (events crowd each other and the holds,
/// where the interesting cases are) or a few weeks.
fn scale() -> impl Strategy<Value = i64> {
    prop_oneof![Just(60 * 24 * 4), Just(SPAN / 2)]
}

prop_compose! {
    fn facts()(scale in scale())(
        status in status(),
        classification in classification(),
        dispatches in proptest::collection::vec((0..scale / 2, 0..3000i64, proptest::option::of(0..600i64), any::<bool>(), proptest::option::of(0..SPAN)), 0..3),
        events in proptest::collection::vec((0..scale, event()), 0..10),
        accepted in proptest::option::of(0..scale),
    ) -> TicketFacts {
        let mut f = TicketFacts::new(base(), status);
        f.classification = classification;
        for (issued, to_appt, arrive_after, completed, promised) in dispatches {
            let appt = at(issued + to_appt);
            f.dispatches.push(DispatchFact {
                issued_at: at(issued),
                appointment_at: appt,
                arrived_at: arrive_after.map(|m| appt + Duration::minutes(m - 30)),
                completed_at: completed.then(|| appt + Duration::hours(5)),
                promised_at: promised.map(at),
            });
        }
        f.accepted_at = accepted.map(at);
        for (m, e) in &events {
            apply(&mut f, e, at(*m));
        }
        f
    }
}

fn due_by_kind(f: &TicketFacts, s: &DeadlineSettings, cal: &WorkCalendar, now: DateTime<Utc>) -> BTreeMap<DutyKind, DateTime<Utc>> {
    let list = duties(f, s, cal, now);
    let map: BTreeMap<DutyKind, DateTime<Utc>> = list.iter().map(|d| (d.kind, d.due_at)).collect();
    assert_eq!(map.len(), list.len(), "one duty per kind: {list:?}");
    map
}

fn settings() -> impl Strategy<Value = DeadlineSettings> {
    prop_oneof![
        Just(DeadlineSettings::default()),
        Just({
            let mut s = DeadlineSettings::default();
            s.contact.mode = ClockMode::Continuous;
            s.dispatch_complex.mode = ClockMode::Continuous;
            s.site_visit.mode = ClockMode::Continuous;
            s.feedback.mode = ClockMode::Working;
            s.feedback_long.mode = ClockMode::Working;
            s.unreachable_retry.mode = ClockMode::Continuous;
            s.return_visit.mode = ClockMode::Continuous;
            s
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn a_later_event_never_brings_a_due_time_forward(
        f in facts(),
        s in settings(),
        e in event(),
        after in prop_oneof![0..60 * 24i64, 0..SPAN / 4],
        now_offset in 0..SPAN,
    ) {
        let cal = WorkCalendar::default();
        let now = at(now_offset);
        let before = due_by_kind(&f, &s, &cal, now);
        let mut g = f.clone();
        apply(&mut g, &e, latest(&f) + Duration::minutes(after));
        let after_map = due_by_kind(&g, &s, &cal, now);
        for (kind, due) in &after_map {
            if let Some(old) = before.get(kind) {
                prop_assert!(due >= old, "{kind:?}: {old} → {due} after {e:?}");
            }
        }
    }

    #[test]
    fn late_by_is_zero_until_due_and_counts_after(f in facts(), now_offset in 0..SPAN) {
        let cal = WorkCalendar::default();
        let now = at(now_offset);
        for d in duties(&f, &DeadlineSettings::default(), &cal, now) {
            prop_assert!(d.late_by_minutes >= 0);
            if now <= d.due_at {
                prop_assert_eq!(d.late_by_minutes, 0);
            }
        }
    }

    #[test]
    fn working_add_and_elapsed_are_inverse(start in 0..SPAN, minutes in 0..60 * 24 * 30i64, split in 0..60 * 24 * 30i64) {
        let cal = WorkCalendar::default();
        let s = at(start);
        let d = Duration::minutes(minutes);
        let end = cal.add(s, d, ClockMode::Working);
        prop_assert!(end >= s);
        prop_assert_eq!(cal.elapsed(s, end, ClockMode::Working), d);
        // Adding in two steps is adding once.
        let first = Duration::minutes(split.min(minutes));
        prop_assert_eq!(cal.add(cal.add(s, first, ClockMode::Working), d - first, ClockMode::Working), end);
        // A later start is never due earlier.
        prop_assert!(cal.add(s + Duration::minutes(17), d, ClockMode::Working) >= end);
    }
}
