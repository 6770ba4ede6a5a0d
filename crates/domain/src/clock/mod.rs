//! Procedure clocks (时限): when each step of the §5.1 procedure is due, and when §5.2.2 asks for
//! an escalation — computed at read time from the recorded events, never stored, so a changed
//! setting or a corrected event date is reflected at once.
//!
//! * [`calendar`]: working days, office hours, and counting time on either clock ([`ClockMode`]);
//! * [`rules`]: the deadlines of one ticket ([`duties`]), with the numbers of the seed as defaults;
//! * [`escalation`]: the §5.2.2 detectors;
//! * [`urgency`]: the groups of 今日待办, live items before the backlog;
//! * [`on_time`]: judging each duty on time or late for the statistics;
//! * [`desk_duties`]: the center's own duties (daily report F03, ledger A3, reconciliation B4).
//!
//! Like the rest of the crate: no IO, no clock read — `now` is an argument.
//!
//! ```
//! use desk_domain::clock::{duties, DeadlineSettings, DutyKind, TicketFacts, WorkCalendar};
//! use desk_domain::ticket::TicketStatus;
//! use desk_domain::time::parse_local;
//! let reported = parse_local("2026-03-06 17:00", "t").unwrap(); // a Friday
//! let f = TicketFacts::new(reported, TicketStatus::Reported);
//! let now = parse_local("2026-03-09 09:00", "t").unwrap();
//! let d = duties(&f, &DeadlineSettings::default(), &WorkCalendar::default(), now);
//! assert_eq!(d[0].kind, DutyKind::Contact);
//! assert_eq!(desk_domain::time::fmt_local(d[0].due_at), "2026-03-09 10:00"); // office hours only
//! assert_eq!(d[0].late_by_minutes, 0);
//! ```

pub mod calendar;
pub mod desk_duties;
pub mod escalation;
pub mod holiday_notice;
pub mod on_time;
pub mod rules;
pub mod urgency;

pub use calendar::{ClockMode, WorkCalendar};
pub use escalation::{batch_wide, continuous_repairs, is_repeat_at_same_part, open_too_long, EscalationKind};
pub use rules::{
    arrival_verdict, due_today, duties, ArrivalVerdict, ClockSpan, ContactFact, DayRule, DeadlineSettings, DispatchFact, Duty, DutyKind, FeedbackFact,
    HoldFact, NoticeFact, TicketFacts,
};
