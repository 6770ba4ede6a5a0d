//! On-time judging for the statistics (§8): did each §5.1 duty of a ticket happen by its due
//! time? The same pure rules as 今日待办 ([`duties`]) judge it: for each duty the facts are cut
//! back to the moment just before it was discharged, the rule gives the due time, and the event
//! is on time when it came no later than that. A duty not yet discharged counts late once its
//! due time has passed, and pending (in no rate) until then.

use super::calendar::{ClockMode, WorkCalendar};
use super::rules::{arrival_verdict, duties, ArrivalVerdict, DeadlineSettings, DispatchFact, DutyKind, TicketFacts};
use crate::ticket::TicketStatus;
use crate::time::local_date;
use chrono::{DateTime, Duration, Utc};

/// On time, late and still pending, for one measured duty.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub on_time: i64,
    pub late: i64,
    pub pending: i64,
}

impl Tally {
    /// Adds another tally's counts.
    pub fn add(&mut self, o: Tally) {
        self.on_time += o.on_time;
        self.late += o.late;
        self.pending += o.pending;
    }
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

/// How many duties the on-time rates measure per ticket ([`MEASURED`]).
pub const N: usize = 9;

/// The on-time rates' duties, in procedure order, with the section that sets each rule and what
/// is measured.
pub const MEASURED: [(DutyKind, &str, &str); N] = [
    (DutyKind::Contact, "§5.1.1", "首次联系上业主的时间不晚于报修后的联系时限（默认 2 个工作小时）"),
    (DutyKind::Dispatch, "§5.1.3.1–2", "首张调度单签发不晚于派工时限（一般/未分类 2 个工作小时，复杂 12 个工作小时）"),
    (DutyKind::Arrival, "§5.1.3.3", "维修人员到场时间与预约时间相差不超过 ±15 分钟（每张调度单计一次）"),
    (
        DutyKind::SiteVisit,
        "§5.1.3.4",
        "维修期间按工作日计：有巡查的每一天（同一天多次只计一次）按上次巡查起的巡查时限（次一工作日下班前）判断；漏掉的每个工作日计一次超时；开工当天不要求",
    ),
    (DutyKind::Feedback, "§5.1.3.5", "维修期间每次向业主反馈进度不晚于反馈时限（2 日一次，长周期每周 3 次，或约定时间）；完工前漏掉的一次计为超时"),
    (DutyKind::PromisedCompletion, "§8.2.1", "填写了承诺完成时间的调度单，完工时间不晚于承诺时间（未填承诺时间的不计入）"),
    (DutyKind::CompletionNotice, "§5.1.4.1", "验收后首次完工通知（联系上或未联系上均算已通知）不晚于当日下班（下班后验收则次一工作日）"),
    (DutyKind::UnreachableRetry, "§5.1.4.2", "完工通知未联系上业主后，每次再通知不晚于隔日下班（第 5 次未联系上后转主任复查，不再计入）"),
    (DutyKind::ReturnVisit, "§5.1.5", "关闭后首次联系上业主的回访不晚于回访时限（默认 3 个工作日）"),
];

/// What an on-time rate measures, with the numbers of the settings it is judged by — the
/// statistics page says ±30 分钟 when the director set 30, not the seed's 15. `None` (projects
/// with different settings in one report) gives [`MEASURED`]'s general wording.
pub fn definition(kind: DutyKind, s: Option<&DeadlineSettings>) -> String {
    let general = MEASURED.iter().find(|(k, _, _)| *k == kind).map(|(_, _, d)| d.to_string()).unwrap_or_default();
    let Some(s) = s else { return general };
    let days = |r: super::rules::DayRule| match r.mode {
        ClockMode::Working => format!("{} 个工作日", r.days),
        ClockMode::Continuous => format!("{} 天", r.days),
    };
    match kind {
        DutyKind::Contact => format!("首次联系上业主的时间不晚于报修后 {}", s.contact.text()),
        DutyKind::Dispatch => format!(
            "首张调度单签发不晚于派工时限（简单 {}，一般/未分类 {}，复杂 {}）",
            s.dispatch_simple.text(),
            s.dispatch_general.text(),
            s.dispatch_complex.text()
        ),
        DutyKind::Arrival => format!("维修人员到场时间与预约时间相差不超过 ±{} 分钟（每张调度单计一次）", s.arrival_tolerance.minutes),
        DutyKind::Feedback => format!(
            "维修期间每次向业主反馈进度不晚于反馈时限（每 {} 一次；维修超过 {} 天的每 {} 一次；或与业主约定的时间）；完工前漏掉的一次计为超时",
            s.feedback.text(),
            s.long_job_after_days,
            s.feedback_long.text()
        ),
        DutyKind::UnreachableRetry => format!(
            "完工通知未联系上业主后，每次再通知不晚于第 {} 下班（第 {} 次未联系上后转主任复查，不再计入）",
            days(s.unreachable_retry),
            s.max_failed_notices
        ),
        DutyKind::ReturnVisit => format!("关闭后首次联系上业主的回访不晚于关闭后第 {} 下班", days(s.return_visit)),
        _ => general,
    }
}

/// The index of `kind` in [`MEASURED`] (None for a duty that is not measured).
pub fn index_of(kind: DutyKind) -> Option<usize> {
    MEASURED.iter().position(|(k, _, _)| *k == kind)
}

/// The duties a ticket's steward (保修管家, `ticket.steward_id`) answers for (§5.1.3.1 the F02,
/// §5.1.3.4 the site visits, §5.1.3.5 the feedback): the per-steward figures of §4.1.3.
pub const STEWARD_DUTIES: [DutyKind; 3] = [DutyKind::Dispatch, DutyKind::SiteVisit, DutyKind::Feedback];

/// The duties of the front desk (前台客服: §5.1.1 the first contact, §5.1.4 the completion notice
/// and its retries, §5.1.5 the return visit): the per-clerk figures of §4.1.3, counted for the
/// clerk who took the report (`ticket.receptionist_id`). A missed call has nobody who made it, so
/// the one who took the report answers for the ticket's front-desk duties.
pub const CLERK_DUTIES: [DutyKind; 4] = [DutyKind::Contact, DutyKind::CompletionNotice, DutyKind::UnreachableRetry, DutyKind::ReturnVisit];

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

const FEEDBACK: usize = 4;
const SITE_VISIT: usize = 3;
const PROMISED: usize = 5;
const NOTICE: usize = 6;
const RETRY: usize = 7;
const RETURN: usize = 8;

/// Adds one ticket's deadlines to the tallies (indexed as [`MEASURED`]).
pub fn tally_ticket(t: &mut [Tally; N], f: &TicketFacts, reached_visits: &[DateTime<Utc>], r: &Rules, now: DateTime<Utc>) {
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
            t[FEEDBACK].judge(fb.at, r.due(DutyKind::Feedback, &as_of(fb.at), fb.at));
        }
        if let Some(end) = end {
            let mut g = as_of(end);
            g.feedbacks = f.feedbacks.iter().filter(|x| x.at <= end).cloned().collect();
            if r.due(DutyKind::Feedback, &g, end).is_some_and(|due| due < end) {
                t[FEEDBACK].late += 1;
            }
            site_visits(&mut t[SITE_VISIT], f, &as_of(end), start, end, r, now);
        }
    }
    // §8.2.1 promised completion: each slip with a promise, completed by it; a slip without a
    // promise is not counted; the latest one still open is owed.
    let latest = f.dispatches.iter().enumerate().max_by_key(|(_, d)| d.issued_at).map(|(i, _)| i);
    for (i, d) in f.dispatches.iter().enumerate() {
        if d.promised_at.is_none() {
            continue;
        }
        match d.completed_at {
            Some(done) => {
                let mut g = bare(f, InRepair);
                g.dispatches = vec![DispatchFact { completed_at: None, ..d.clone() }];
                t[PROMISED].judge(done, r.due(DutyKind::PromisedCompletion, &g, done));
            }
            None if Some(i) == latest && matches!(f.status, Dispatched | InRepair) => t[PROMISED].owed(r.due(DutyKind::PromisedCompletion, f, now), now),
            None => {}
        }
    }
    // §5.1.4.1 completion notice: the first notice after acceptance, reached or not.
    if let Some(accepted) = f.accepted_at {
        match f.completion_notices.iter().map(|n| n.at).min() {
            Some(at) => {
                let mut g = bare(f, Accepted);
                g.accepted_at = Some(accepted);
                t[NOTICE].judge(at, r.due(DutyKind::CompletionNotice, &g, at));
            }
            None if f.status == Accepted => t[NOTICE].owed(r.due(DutyKind::CompletionNotice, f, now), now),
            None => {}
        }
        // §5.1.4.2 retries: after each failed notice, the next notice (reached or not) by the
        // retry's due time, until the owner is reached or the failures reach the limit (then
        // the director's re-check is due, not a retry).
        let notices = &f.completion_notices;
        for i in 1..notices.len() {
            if notices[..i].iter().any(|n| n.reached) || i64::try_from(i).unwrap_or(i64::MAX) >= r.s.max_failed_notices {
                break;
            }
            let mut g = bare(f, Accepted);
            g.accepted_at = Some(accepted);
            g.completion_notices = notices[..i].to_vec();
            t[RETRY].judge(notices[i].at, r.due(DutyKind::UnreachableRetry, &g, notices[i].at));
        }
        if f.status == Accepted && !notices.is_empty() && !notices.iter().any(|n| n.reached) {
            t[RETRY].owed(r.due(DutyKind::UnreachableRetry, f, now), now);
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
        Some(&at) => t[RETURN].judge(at, r.due(DutyKind::ReturnVisit, &closed_facts(at), at)),
        None if f.status == Closed => t[RETURN].owed(r.due(DutyKind::ReturnVisit, f, now), now),
        None => {}
    }
}

/// §5.1.3.4 "保修管家每日至少一次的维修现场巡视", counted by day: starting from the repair's
/// start, the rule gives the due time of the next visit (by closing of the next working day after
/// the last one — the start day itself needs none: the steward led the worker in, §7.2). The first
/// visit after the last counted one, on a later local day (more visits the same day count once),
/// is on time when it came by that due time. When none came by it, that day counts late once and
/// the clock runs on as if the steward had come just before the missed deadline, so every missed
/// working day is one late. At the end of the repair (its completion, or `now` while it runs) a
/// visit not yet due is pending.
fn site_visits(t: &mut Tally, f: &TicketFacts, base: &TicketFacts, start: DateTime<Utc>, end: DateTime<Utc>, r: &Rules, now: DateTime<Utc>) {
    let mut visits: Vec<DateTime<Utc>> = f.site_visits.iter().copied().filter(|v| *v >= start && *v <= end).collect();
    visits.sort_unstable();
    let mut g = base.clone();
    g.feedbacks.clear();
    g.site_visits.clear();
    let mut after = start;
    let mut last_day = None;
    // A repair of ten years has about 2,500 working days: the bound only stops a broken calendar.
    for _ in 0..10_000 {
        let Some(due) = r.due(DutyKind::SiteVisit, &g, end) else { return };
        let next = visits.iter().copied().find(|v| *v > after && Some(local_date(*v)) != last_day);
        match next {
            Some(v) if v <= due => {
                t.on_time += 1;
                g.site_visits.push(v);
                after = v;
                last_day = Some(local_date(v));
            }
            _ if due < end => {
                t.late += 1;
                let stand_in = due - Duration::seconds(1);
                g.site_visits.push(stand_in);
                after = after.max(stand_in);
            }
            _ => {
                if f.status == TicketStatus::InRepair && end == now {
                    t.pending += 1;
                }
                return;
            }
        }
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

    // ---- the rules added for issue 13: hand-checked on the default settings and calendar -----
    // Local times (UTC+8); 2026-03-02 is a Monday, 03-07/08 a weekend. Office 08:30–17:30.

    use super::super::calendar::WorkCalendar;
    use super::super::rules::{DispatchFact, HoldFact, NoticeFact};
    use crate::time::parse_local;

    fn t(s: &str) -> DateTime<Utc> {
        parse_local(s, "t").expect("a test time")
    }

    fn tally(f: &TicketFacts, now: &str) -> [Tally; N] {
        let (s, cal) = (DeadlineSettings::default(), WorkCalendar::default());
        let mut out = [Tally::default(); N];
        tally_ticket(&mut out, f, &[], &Rules { s: &s, cal: &cal }, t(now));
        out
    }

    fn rate(all: &[Tally; N], kind: DutyKind) -> Tally {
        all[index_of(kind).expect("a measured duty")]
    }

    fn slip(issued: &str, arrived: Option<&str>, promised: Option<&str>, completed: Option<&str>) -> DispatchFact {
        DispatchFact {
            issued_at: t(issued),
            appointment_at: t(issued),
            arrived_at: arrived.map(t),
            completed_at: completed.map(t),
            promised_at: promised.map(t),
        }
    }

    /// A repair whose contractor arrived Monday 09:00, with the steward's visits.
    fn repair(status: TicketStatus, completed: Option<&str>, visits: &[&str]) -> TicketFacts {
        let mut f = TicketFacts::new(t("2026-03-02 08:40"), status);
        f.dispatches.push(slip("2026-03-02 08:50", Some("2026-03-02 09:00"), None, completed));
        f.site_visits = visits.iter().map(|v| t(v)).collect();
        f
    }

    #[test]
    fn site_visits_are_counted_per_day_of_the_repair_and_a_missed_day_is_late() {
        // §5.1.3.4. Start Mon 09:00 → first visit due Tue 17:30: Tue 10:00 on time (Tue 15:00 is
        // the same day: counted once). Next due Wed 17:30: no visit Wed → late; the clock runs on
        // from Wed 17:29:59 → due Thu 17:30: Thu 11:00 on time. Next due Fri 17:30, after the
        // completion (Fri 16:00): nothing owed. 2 on time, 1 late.
        let visits = ["2026-03-03 10:00", "2026-03-03 15:00", "2026-03-05 11:00"];
        let f = repair(TicketStatus::AwaitingAcceptance, Some("2026-03-06 16:00"), &visits);
        assert_eq!(rate(&tally(&f, "2026-03-20 10:00"), DutyKind::SiteVisit), Tally { on_time: 2, late: 1, pending: 0 });
        // Still in repair on Mon 03-09 10:00: Friday's visit (due Fri 17:30) was missed → late;
        // from Fri 17:29:59 the next is due Mon 17:30 (the weekend does not count) → pending.
        let f = repair(TicketStatus::InRepair, None, &visits);
        assert_eq!(rate(&tally(&f, "2026-03-09 10:00"), DutyKind::SiteVisit), Tally { on_time: 2, late: 2, pending: 1 });
        // No visit at all in a repair finished Wed 12:00: Tuesday missed (due Tue 17:30) → 1 late;
        // the next due, Wed 17:30, is after the completion.
        let f = repair(TicketStatus::AwaitingAcceptance, Some("2026-03-04 12:00"), &[]);
        assert_eq!(rate(&tally(&f, "2026-03-20 10:00"), DutyKind::SiteVisit), Tally { on_time: 0, late: 1, pending: 0 });
    }

    fn accepted(status: TicketStatus, notices: &[(&str, bool)]) -> TicketFacts {
        let mut f = TicketFacts::new(t("2026-03-01 09:00"), status);
        f.accepted_at = Some(t("2026-03-02 10:00"));
        f.completion_notices = notices.iter().map(|(at, reached)| NoticeFact { at: t(at), reached: *reached }).collect();
        f
    }

    #[test]
    fn each_retry_after_a_failed_notice_is_judged_against_the_every_other_day_rule() {
        // §5.1.4.2 "每隔一天再次通知" = by closing of the 2nd working day after the failed notice.
        // Mon 11:00 failed → retry due Wed 17:30: Wed 16:00 on time (failed) → due Fri 17:30:
        // Mon 03-09 10:00 late (failed) → due Wed 03-11 17:30: Tue 03-10 reached, on time.
        let f = accepted(
            TicketStatus::Closed,
            &[("2026-03-02 11:00", false), ("2026-03-04 16:00", false), ("2026-03-09 10:00", false), ("2026-03-10 10:00", true)],
        );
        let all = tally(&f, "2026-03-20 10:00");
        assert_eq!(rate(&all, DutyKind::UnreachableRetry), Tally { on_time: 2, late: 1, pending: 0 });
        assert_eq!(rate(&all, DutyKind::CompletionNotice), Tally { on_time: 1, late: 0, pending: 0 }, "the first notice is the §5.1.4.1 duty");
        // Still unreachable: the retry after Mon 11:00 is due Wed 17:30 — late on Thu, pending on Tue.
        let f = accepted(TicketStatus::Accepted, &[("2026-03-02 11:00", false)]);
        assert_eq!(rate(&tally(&f, "2026-03-05 09:00"), DutyKind::UnreachableRetry), Tally { on_time: 0, late: 1, pending: 0 });
        assert_eq!(rate(&tally(&f, "2026-03-03 09:00"), DutyKind::UnreachableRetry), Tally { on_time: 0, late: 0, pending: 1 });
    }

    #[test]
    fn after_five_failed_notices_the_next_step_is_the_directors_close_not_a_retry() {
        // §5.1.4.2 "连续通知5次仍无法取得联系": notices 2–5 are retries (each two working days
        // apart: on time); the 6th comes after the 5th failure and is not counted; nothing is owed
        // as a retry (the director's re-check is due instead).
        let days = ["2026-03-02 11:00", "2026-03-04 11:00", "2026-03-06 11:00", "2026-03-10 11:00", "2026-03-12 11:00", "2026-03-20 11:00"];
        let notices: Vec<(&str, bool)> = days.iter().map(|d| (*d, false)).collect();
        let f = accepted(TicketStatus::Accepted, &notices);
        assert_eq!(rate(&tally(&f, "2026-03-25 10:00"), DutyKind::UnreachableRetry), Tally { on_time: 4, late: 0, pending: 0 });
    }

    #[test]
    fn a_promised_completion_time_is_kept_or_not_and_slips_without_one_are_not_counted() {
        // §8.2.1 承诺完成时间. Slip 1 promised Wed 17:00, done Wed 16:00: on time. Slip 2 (rework)
        // promised Fri 12:00, done Fri 12:01: late. Slip 3 has no promise: not counted.
        let mut f = TicketFacts::new(t("2026-03-02 08:00"), TicketStatus::AwaitingAcceptance);
        f.dispatches = vec![
            slip("2026-03-02 09:00", Some("2026-03-02 10:00"), Some("2026-03-04 17:00"), Some("2026-03-04 16:00")),
            slip("2026-03-05 09:00", Some("2026-03-05 10:00"), Some("2026-03-06 12:00"), Some("2026-03-06 12:01")),
            slip("2026-03-09 09:00", Some("2026-03-09 10:00"), None, Some("2026-03-09 12:00")),
        ];
        assert_eq!(rate(&tally(&f, "2026-03-20 10:00"), DutyKind::PromisedCompletion), Tally { on_time: 1, late: 1, pending: 0 });
        // Still in repair with a promise for Wed 17:00: pending on Wed 09:00, late on Thu.
        let mut f = TicketFacts::new(t("2026-03-02 08:00"), TicketStatus::InRepair);
        f.dispatches = vec![slip("2026-03-02 09:00", Some("2026-03-02 10:00"), Some("2026-03-04 17:00"), None)];
        assert_eq!(rate(&tally(&f, "2026-03-04 09:00"), DutyKind::PromisedCompletion), Tally { on_time: 0, late: 0, pending: 1 });
        assert_eq!(rate(&tally(&f, "2026-03-05 09:00"), DutyKind::PromisedCompletion), Tally { on_time: 0, late: 1, pending: 0 });
        // A 12-hour hold (Tue 09:00–21:00) pushes the promise to Thu 05:00: done Wed 20:00 is on time.
        f.status = TicketStatus::AwaitingAcceptance;
        f.dispatches[0].completed_at = Some(t("2026-03-04 20:00"));
        f.holds = vec![HoldFact { from: t("2026-03-03 09:00"), until: Some(t("2026-03-03 21:00")), reason: "业主出差".into() }];
        assert_eq!(rate(&tally(&f, "2026-03-20 10:00"), DutyKind::PromisedCompletion), Tally { on_time: 1, late: 0, pending: 0 });
    }

    #[test]
    fn the_steward_and_clerk_duties_are_measured_duties() {
        for k in STEWARD_DUTIES.iter().chain(CLERK_DUTIES.iter()) {
            assert!(index_of(*k).is_some(), "{k:?}");
        }
    }
}
