//! On-time judging for the statistics (§8): did each §5.1 duty of a ticket happen by its due
//! time? The same pure rules as 今日待办 ([`duties`]) judge it: for each duty the facts are cut
//! back to the moment just before it was discharged, the rule gives the due time, and the event
//! is on time when it came no later than that. A duty not yet discharged counts late once its
//! due time has passed, and pending (in no rate) until then.

use super::calendar::WorkCalendar;
use super::rules::{arrival_verdict, duties, ArrivalVerdict, DeadlineSettings, DutyKind, TicketFacts};
use crate::ticket::TicketStatus;
use chrono::{DateTime, Utc};

/// On time, late and still pending, for one measured duty.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub on_time: i64,
    pub late: i64,
    pub pending: i64,
}

impl Tally {
    /// A duty discharged at `done` against its due time.
    pub fn judge(&mut self, done: DateTime<Utc>, due: Option<DateTime<Utc>>) {
        match due {
            Some(due) if done <= due => self.on_time += 1,
            Some(_) => self.late += 1,
            None => {}
        }
    }
    /// A duty still owed at `now`.
    pub fn owed(&mut self, due: Option<DateTime<Utc>>, now: DateTime<Utc>) {
        match due {
            Some(due) if due < now => self.late += 1,
            Some(_) => self.pending += 1,
            None => {}
        }
    }
}

/// The on-time rates' duties, in procedure order, with what each measures.
pub const MEASURED: [(DutyKind, &str); 6] = [
    (DutyKind::Contact, "首次联系上业主的时间不晚于报修后的联系时限（默认 2 个工作小时）"),
    (DutyKind::Dispatch, "首张调度单签发不晚于派工时限（一般/未分类 2 个工作小时，复杂 12 个工作小时）"),
    (DutyKind::Arrival, "维修人员到场时间与预约时间相差不超过 ±15 分钟（每张调度单计一次）"),
    (DutyKind::Feedback, "维修期间每次向业主反馈进度不晚于反馈时限（2 日一次，长周期每周 3 次，或约定时间）；完工前漏掉的一次计为超时"),
    (DutyKind::CompletionNotice, "验收后首次完工通知（联系上或未联系上均算已通知）不晚于当日下班（下班后验收则次一工作日）"),
    (DutyKind::ReturnVisit, "关闭后首次联系上业主的回访不晚于回访时限（默认 3 个工作日）"),
];

pub struct Rules<'a> {
    pub s: &'a DeadlineSettings,
    pub cal: &'a WorkCalendar,
}

impl Rules<'_> {
    /// The due time of `kind` for the facts `f` as they stood at `at`.
    pub fn due(&self, kind: DutyKind, f: &TicketFacts, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        duties(f, self.s, self.cal, at).into_iter().find(|d| d.kind == kind).map(|d| d.due_at)
    }
}

/// The ticket's facts with no events but its holds, in `status`.
fn bare(f: &TicketFacts, status: TicketStatus) -> TicketFacts {
    let mut g = TicketFacts::new(f.reported_at, status);
    g.classification = f.classification;
    g.holds = f.holds.clone();
    g
}

/// Adds one ticket's deadlines to the tallies (indexed as [`MEASURED`]).
pub fn tally_ticket(t: &mut [Tally; 6], f: &TicketFacts, reached_visits: &[DateTime<Utc>], r: &Rules, now: DateTime<Utc>) {
    use TicketStatus::*;
    // §5.1.1 contact: discharged by the first attempt that reached the owner.
    match f.contacts.iter().find(|c| c.reached) {
        Some(c) => {
            let mut g = bare(f, Reported);
            g.contacts = f.contacts.iter().filter(|x| x.at < c.at).cloned().collect();
            t[0].judge(c.at, r.due(DutyKind::Contact, &g, c.at));
        }
        None if f.status == Reported => t[0].owed(r.due(DutyKind::Contact, f, now), now),
        None => {}
    }
    // §5.1.3.1–2 dispatch: discharged by the first dispatch notice.
    match f.dispatches.iter().map(|d| d.issued_at).min() {
        Some(at) => t[1].judge(at, r.due(DutyKind::Dispatch, &bare(f, Contacted), at)),
        None if matches!(f.status, Reported | Contacted) => t[1].owed(r.due(DutyKind::Dispatch, f, now), now),
        None => {}
    }
    // §5.1.3.3 arrival: every dispatch notice with an arrival; the latest one still awaited.
    for d in &f.dispatches {
        if let Some(a) = d.arrived_at {
            match arrival_verdict(d.appointment_at, a, r.s.arrival_tolerance.minutes) {
                ArrivalVerdict::OnTime => t[2].on_time += 1,
                _ => t[2].late += 1,
            }
        }
    }
    if matches!(f.status, Dispatched | InRepair) {
        t[2].owed(r.due(DutyKind::Arrival, f, now), now);
    }
    // §5.1.3.5 feedback: each feedback during the repair against the due time left by the ones
    // before it; then, at the end of the repair (or now), one missed feedback if one was due.
    let start = f.dispatches.iter().filter_map(|d| d.arrived_at).min().or_else(|| f.dispatches.iter().map(|d| d.issued_at).min());
    if let Some(start) = start {
        let end = if f.status == InRepair { Some(now) } else { f.dispatches.iter().filter_map(|d| d.completed_at).max() };
        let as_of = |at: DateTime<Utc>| {
            let mut g = bare(f, InRepair);
            g.dispatches = f
                .dispatches
                .iter()
                .filter(|d| d.issued_at <= at)
                .map(|d| {
                    let mut d = d.clone();
                    d.arrived_at = d.arrived_at.filter(|x| *x <= at);
                    d.completed_at = None;
                    d
                })
                .collect();
            g.feedbacks = f.feedbacks.iter().filter(|x| x.at < at).cloned().collect();
            g
        };
        for fb in f.feedbacks.iter().filter(|x| x.at >= start && end.is_none_or(|e| x.at <= e)) {
            t[3].judge(fb.at, r.due(DutyKind::Feedback, &as_of(fb.at), fb.at));
        }
        if let Some(end) = end {
            let mut g = as_of(end);
            g.feedbacks = f.feedbacks.iter().filter(|x| x.at <= end).cloned().collect();
            if r.due(DutyKind::Feedback, &g, end).is_some_and(|due| due < end) {
                t[3].late += 1;
            }
        }
    }
    // §5.1.4.1 completion notice: the first notice after acceptance, reached or not.
    if let Some(accepted) = f.accepted_at {
        match f.completion_notices.iter().map(|n| n.at).min() {
            Some(at) => {
                let mut g = bare(f, Accepted);
                g.accepted_at = Some(accepted);
                t[4].judge(at, r.due(DutyKind::CompletionNotice, &g, at));
            }
            None if f.status == Accepted => t[4].owed(r.due(DutyKind::CompletionNotice, f, now), now),
            None => {}
        }
    }
    // §5.1.5 return visit: the first visit that reached the owner, after closing.
    let closed_facts = |at: DateTime<Utc>| {
        let mut g = bare(f, Closed);
        g.accepted_at = f.accepted_at;
        g.dispatches = f.dispatches.clone();
        g.rechecks = f.rechecks.clone();
        g.completion_notices = f.completion_notices.iter().filter(|n| n.at <= at).cloned().collect();
        g
    };
    match reached_visits.iter().min() {
        Some(&at) => t[5].judge(at, r.due(DutyKind::ReturnVisit, &closed_facts(at), at)),
        None if f.status == Closed => t[5].owed(r.due(DutyKind::ReturnVisit, f, now), now),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rstest::rstest;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        // 2026-03-02 (a Monday), UTC.
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).single().expect("a valid instant")
    }

    #[rstest]
    #[case::before_due(at(9, 0), Some(at(10, 0)), Tally { on_time: 1, late: 0, pending: 0 })]
    #[case::exactly_at_due(at(10, 0), Some(at(10, 0)), Tally { on_time: 1, late: 0, pending: 0 })]
    #[case::a_minute_late(at(10, 1), Some(at(10, 0)), Tally { on_time: 0, late: 1, pending: 0 })]
    #[case::no_due_time_is_not_counted(at(10, 1), None, Tally::default())]
    fn a_discharged_duty_is_judged_against_its_due_time(#[case] done: DateTime<Utc>, #[case] due: Option<DateTime<Utc>>, #[case] expected: Tally) {
        let mut t = Tally::default();
        t.judge(done, due);
        assert_eq!(t, expected);
    }

    #[rstest]
    #[case::not_yet_due(Some(at(12, 0)), Tally { on_time: 0, late: 0, pending: 1 })]
    #[case::past_due(Some(at(8, 0)), Tally { on_time: 0, late: 1, pending: 0 })]
    #[case::nothing_owed(None, Tally::default())]
    fn a_duty_still_owed_is_late_once_its_due_time_has_passed(#[case] due: Option<DateTime<Utc>>, #[case] expected: Tally) {
        let mut t = Tally::default();
        t.owed(due, at(10, 0));
        assert_eq!(t, expected);
    }
}
