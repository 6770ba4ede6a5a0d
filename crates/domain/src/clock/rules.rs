//! The deadlines of the §5.1 procedure: from the facts of one ticket, the duties it owes now.
//!
//! Every rule is a clock with an anchor (the event it runs from), a span, and a [`ClockMode`].
//! The numbers come from 《保修服务操作指引》 BJ-BX-C01 and are editable per project
//! ([`DeadlineSettings`]); where the seed gives no number, the default is chosen and said why.
//!
//! Holds (暂停, e.g. the owner is abroad) stop every clock: a due time whose span crosses a hold is
//! pushed later by the paused time. A hold still running pauses the clock up to `now`.
//!
//! Design rule, checked by a property test: **a later event never brings a due time forward.**
//! Recording a visit, a feedback, a failed call or a hold may discharge a duty or push it later,
//! never make it due sooner. Two rules needed care for that:
//! * a rule is due at the *latest* of the due times computed from every anchor it has had (every
//!   visit, feedback, failed notice; every candidate for "accepted" or "closed"). Without holds
//!   that is simply the latest anchor; with holds it keeps the hold's credit — a visit made right
//!   after a hold, or a re-check logged during one, does not shorten the time left;
//! * an agreed feedback time (§5.1.3.5 "与业主约定反馈时间") is a floor, not a replacement: the seed
//!   allows the agreement only when the owner finds the feedback too frequent, so it can only make
//!   the next feedback later.
//!
//! Not covered: a new dispatch slip. Its appointment is a new promise to the owner and may well
//! be earlier than the old one (another contractor can come sooner); that is a change of plan,
//! not an event on the old clock.

use super::calendar::{ClockMode, WorkCalendar};
use crate::ticket::{Classification, TicketStatus};
use crate::time::{fmt_local, local_date, local_day_start};
use crate::DomainError;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

// ---- settings ----------------------------------------------------------------------------------

/// "Within so many minutes", counted on a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ClockSpan {
    pub minutes: i64,
    pub mode: ClockMode,
}

impl ClockSpan {
    pub const fn new(minutes: i64, mode: ClockMode) -> Self {
        ClockSpan { minutes, mode }
    }

    /// The span as a duration; a negative setting counts as zero, an absurd one saturates.
    pub fn duration(self) -> Duration {
        Duration::try_minutes(self.minutes.max(0)).unwrap_or(Duration::MAX)
    }

    /// `2 小时`, `90 分钟`, `2 天`, with `（工作时间）` on the working clock.
    pub fn text(self) -> String {
        let m = self.minutes.max(0);
        let n = if m > 0 && m % (24 * 60) == 0 && self.mode == ClockMode::Continuous {
            format!("{} 天", m / (24 * 60))
        } else if m % 60 == 0 {
            format!("{} 小时", m / 60)
        } else {
            format!("{m} 分钟")
        };
        match self.mode {
            ClockMode::Continuous => n,
            ClockMode::Working => format!("{n}（工作时间）"),
        }
    }
}

/// "By closing time of the n-th day": the daily duties of the desk. Day 0 is the anchor's day if
/// the office is still open then (see [`WorkCalendar::close_of_day`]); on the working clock only
/// working days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DayRule {
    pub days: u32,
    pub mode: ClockMode,
}

impl DayRule {
    pub const fn new(days: u32, mode: ClockMode) -> Self {
        DayRule { days, mode }
    }
}

/// The deadline rules of one project. `Default` is the seed procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct DeadlineSettings {
    /// §5.1.1 "保修中心应在2小时内与业主取得直接联系". Working clock by default: the desk keeps office
    /// hours, and a report sent from the web at 22:00 cannot be answered before the morning —
    /// counted around the clock, every evening report would be late before anyone could read it.
    /// A site with a 24-hour hotline sets `Continuous`.
    pub contact: ClockSpan,
    /// §5.1.3 Simple job: the seed names no limit ("约定好上门维修时间…通知维修人员准时上门").
    /// Default as General, 2 h: a simple job needs no survey, so it cannot need more time.
    pub dispatch_simple: ClockSpan,
    /// §5.1.3.1 General job: contact, survey appointment, plan and F02 "需要在2小时内完成".
    /// Also used while a ticket is not yet classified (the common and the stricter case).
    pub dispatch_general: ClockSpan,
    /// §5.1.3.2 Complex job: "需要在12小时内完成" — 12 office hours, i.e. by the next afternoon.
    pub dispatch_complex: ClockSpan,
    /// §5.1.3.3 "时间误差不能超过15分钟": the contractor is late 15 min after the appointment.
    /// Continuous: an appointment is a wall-clock time agreed with the owner.
    pub arrival_tolerance: ClockSpan,
    /// §5.1.3.4 "保修管家每日至少一次的维修现场巡视": by closing time of the next working day after
    /// the last visit (or the start of the repair — on the first day the steward leads the worker
    /// in, §7.2).
    pub site_visit: DayRule,
    /// §5.1.3.5 "一般以2日内联系、反馈业主一次": 48 h after the last feedback (or the start of the
    /// repair). Continuous: the promise is made to the owner in days, not in office hours.
    pub feedback: ClockSpan,
    /// §5.1.3.5 "如维修时间较长则3次/每周反馈业主": 7 days / 3 = 56 h.
    pub feedback_long: ClockSpan,
    /// When a repair counts as long for §5.1.3.5 (the seed gives no figure): it has been going on,
    /// or is promised to take, more than this many days. 7, the span after which §5.2.2.1 treats
    /// an order as abnormal.
    pub long_job_after_days: i64,
    /// §5.1.4.1 "保修中心前台每天将已按期完成的通知业主": the owner is told on the day of acceptance
    /// (by the next working day's closing when accepted after hours).
    pub completion_notice: DayRule,
    /// §5.1.4.2 "每隔一天再次通知": after a failed notice, try again on the day after next. Working
    /// days, because the front desk makes the call.
    pub unreachable_retry: DayRule,
    /// §5.1.4.2 "连续通知5次仍无法取得联系": failed notices before the director and the CS
    /// supervisor assistant re-check and close. The close action, the ticket screen and 今日待办
    /// all ask this number.
    pub max_failed_notices: i64,
    /// §5.1.4.2 The seed gives no time for the director's re-check; default: the slot the next
    /// retry would have had.
    pub unreachable_close: DayRule,
    /// §5.1.5 "根据完成情况进行维修回访": the seed gives no figure. Default: within 3 working days
    /// of closing, while the repair is fresh in the owner's mind and before the weekly meeting.
    pub return_visit: DayRule,
    /// §5.2.2.1 "同一单维修超过7天仍未完成": calendar days, held time excluded.
    pub open_too_long_days: i64,
    /// §5.2.2.3 "持续二个月各类维修不断": two months, counted as 60 days.
    pub continuous_repair_days: i64,
    /// §5.2.2.3 "各类维修不断": repairs at a unit are one continuous run while no more than this
    /// many days pass between one ticket's closing and the next report. The seed gives no figure;
    /// a week: shorter, and an owner who waits for the weekend to call would break the run;
    /// longer, and separate incidents would merge.
    pub continuous_repair_gap_days: i64,
    /// §5.2.2.4 "超过总户数的20%均出现同一类质量问题": the share of a batch's units, in percent.
    pub batch_wide_percent: u32,
    /// Issue 14 (reopen): a closed ticket whose repair fails again within this many days is
    /// reopened; after it a new ticket is opened and linked to the closed one. Default 90.
    pub reopen_window_days: i64,
    /// §5.2.1 a complaint above the center "专人跟进直至关闭": the seed names no interval. Default
    /// 1 working day: a complaint that already reached the region or the group is watched from
    /// above, so the supervisor reports on it every working day; the director may widen it (up
    /// to 10) for a slow matter such as a group complaint waiting on a repair plan.
    pub complaint_follow_up_days: i64,
    /// Issue 14 "not ours" (§4.4.1, §4.5.6): a matter handed over to the property company or the
    /// developer's CS department is followed up until the owner has had an answer. The seed names
    /// no interval. Default 2 working days: the other party needs a day to look at it, and an
    /// owner sent elsewhere should not wait a week to hear that nobody came (1 to 10).
    pub not_ours_follow_up_days: i64,
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        use ClockMode::*;
        DeadlineSettings {
            contact: ClockSpan::new(2 * 60, Working),
            dispatch_simple: ClockSpan::new(2 * 60, Working),
            dispatch_general: ClockSpan::new(2 * 60, Working),
            dispatch_complex: ClockSpan::new(12 * 60, Working),
            // §5.1.3.3 "时间误差不能超过15分钟".
            arrival_tolerance: ClockSpan::new(15, Continuous),
            site_visit: DayRule::new(1, Working),
            feedback: ClockSpan::new(48 * 60, Continuous),
            feedback_long: ClockSpan::new(56 * 60, Continuous),
            long_job_after_days: 7,
            completion_notice: DayRule::new(0, Working),
            unreachable_retry: DayRule::new(2, Working),
            // §5.1.4.2 "连续通知5次仍无法取得联系".
            max_failed_notices: 5,
            unreachable_close: DayRule::new(2, Working),
            return_visit: DayRule::new(3, Working),
            open_too_long_days: 7,
            continuous_repair_days: 60,
            continuous_repair_gap_days: 7,
            batch_wide_percent: 20,
            reopen_window_days: 90,
            complaint_follow_up_days: 1,
            not_ours_follow_up_days: 2,
        }
    }
}

impl DeadlineSettings {
    /// Refuses a setting outside its legal or sensible range, naming the field: a limit of zero
    /// would make every ticket late at once, a negative tolerance would make every arrival late,
    /// and a procedure written in hours and days has no use for a limit of years.
    pub fn check(&self) -> Result<(), DomainError> {
        const DAY: i64 = 24 * 60;
        let spans: [(&'static str, &str, ClockSpan, i64, i64); 7] = [
            ("contact", "联系业主时限", self.contact, 1, 7 * DAY),
            ("dispatch_simple", "简单维修派工时限", self.dispatch_simple, 1, 7 * DAY),
            ("dispatch_general", "一般维修派工时限", self.dispatch_general, 1, 7 * DAY),
            ("dispatch_complex", "复杂维修派工时限", self.dispatch_complex, 1, 14 * DAY),
            ("arrival_tolerance", "到场时间误差", self.arrival_tolerance, 0, 240),
            ("feedback", "进度反馈间隔", self.feedback, 60, 14 * DAY),
            ("feedback_long", "长周期维修反馈间隔", self.feedback_long, 60, 14 * DAY),
        ];
        for (field, name, span, min, max) in spans {
            if span.minutes < min || span.minutes > max {
                let unit = |m: i64| if m >= DAY && m % DAY == 0 { format!("{} 天", m / DAY) } else { format!("{m} 分钟") };
                return Err(DomainError::field(field, format!("{name}应在 {} 到 {} 之间（现为 {} 分钟）", unit(min), unit(max), span.minutes)));
            }
        }
        let days: [(&'static str, &str, DayRule); 5] = [
            ("site_visit", "现场巡查", self.site_visit),
            ("completion_notice", "完工告知", self.completion_notice),
            ("unreachable_retry", "失联重试间隔", self.unreachable_retry),
            ("unreachable_close", "失联关闭时限", self.unreachable_close),
            ("return_visit", "回访时限", self.return_visit),
        ];
        for (field, name, rule) in days {
            if rule.days > 30 {
                return Err(DomainError::field(field, format!("{name}应在 0 到 30 天之间（现为 {} 天）", rule.days)));
            }
        }
        let counts: [(&'static str, &str, i64, i64, i64, &str); 8] = [
            ("max_failed_notices", "失联通知最多次数", self.max_failed_notices, 1, 20, "次"),
            ("long_job_after_days", "长周期维修天数", self.long_job_after_days, 1, 365, "天"),
            ("open_too_long_days", "维修超时上报天数", self.open_too_long_days, 1, 365, "天"),
            ("continuous_repair_days", "持续维修上报天数", self.continuous_repair_days, 1, 730, "天"),
            ("continuous_repair_gap_days", "持续维修间隔天数", self.continuous_repair_gap_days, 0, 90, "天"),
            ("reopen_window_days", "重新打开期限", self.reopen_window_days, 1, 730, "天"),
            ("complaint_follow_up_days", "越级投诉跟进间隔", self.complaint_follow_up_days, 1, 10, "个工作日"),
            ("not_ours_follow_up_days", "移交事项跟进间隔", self.not_ours_follow_up_days, 1, 10, "个工作日"),
        ];
        for (field, name, v, min, max, unit) in counts {
            if v < min || v > max {
                return Err(DomainError::field(field, format!("{name}应在 {min} 到 {max} {unit}之间（现为 {v}）")));
            }
        }
        if !(1..=100).contains(&self.batch_wide_percent) {
            return Err(DomainError::field("batch_wide_percent", format!("同类问题户数比例应在 1% 到 100% 之间（现为 {}%）", self.batch_wide_percent)));
        }
        Ok(())
    }

    /// The dispatch limit of a classification, and the section that sets it.
    pub fn dispatch_for(&self, c: Option<Classification>) -> (ClockSpan, &'static str) {
        match c {
            Some(Classification::Simple) => (self.dispatch_simple, "§5.1.3"),
            Some(Classification::Complex) => (self.dispatch_complex, "§5.1.3.2"),
            Some(Classification::General) | None => (self.dispatch_general, "§5.1.3.1"),
        }
    }
}

// ---- facts ---------------------------------------------------------------------------------------

/// One contact attempt (§5.1.1): reached the owner or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFact {
    pub at: DateTime<Utc>,
    pub reached: bool,
}

/// One dispatch notice F02 (§5.1.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchFact {
    pub issued_at: DateTime<Utc>,
    pub appointment_at: DateTime<Utc>,
    pub arrived_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// 承诺完成时间 (§8.2).
    pub promised_at: Option<DateTime<Utc>>,
}

/// One progress feedback to the owner (§5.1.3.5), with the next time agreed with the owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackFact {
    pub at: DateTime<Utc>,
    pub next_due_at: Option<DateTime<Utc>>,
}

/// One completion notice (§5.1.4): the owner was told, or could not be reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeFact {
    pub at: DateTime<Utc>,
    pub reached: bool,
}

/// A pause of all clocks of a ticket, `from ≤ t < until`; `until: None` = still running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldFact {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
    pub reason: String,
}

/// Everything the clocks of one ticket run on, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketFacts {
    pub reported_at: DateTime<Utc>,
    pub status: TicketStatus,
    pub classification: Option<Classification>,
    pub contacts: Vec<ContactFact>,
    pub dispatches: Vec<DispatchFact>,
    pub site_visits: Vec<DateTime<Utc>>,
    pub feedbacks: Vec<FeedbackFact>,
    /// Steward's re-checks (§5.1.3.6). The seed sets no time for them, so they run no clock.
    pub rechecks: Vec<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub completion_notices: Vec<NoticeFact>,
    pub return_visits: Vec<DateTime<Utc>>,
    pub holds: Vec<HoldFact>,
}

impl TicketFacts {
    /// A ticket with no events yet.
    pub fn new(reported_at: DateTime<Utc>, status: TicketStatus) -> Self {
        TicketFacts {
            reported_at,
            status,
            classification: None,
            contacts: Vec::new(),
            dispatches: Vec::new(),
            site_visits: Vec::new(),
            feedbacks: Vec::new(),
            rechecks: Vec::new(),
            accepted_at: None,
            completion_notices: Vec::new(),
            return_visits: Vec::new(),
            holds: Vec::new(),
        }
    }
}

// ---- duties --------------------------------------------------------------------------------------

/// What the desk owes an owner, in the order of the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum DutyKind {
    Contact,
    Dispatch,
    Arrival,
    SiteVisit,
    Feedback,
    CompletionNotice,
    UnreachableRetry,
    UnreachableClose,
    ReturnVisit,
    /// §8.2.1 承诺完成时间: the repair of the latest slip is done by the time promised on it.
    PromisedCompletion,
}

impl DutyKind {
    pub const ALL: &'static [DutyKind] = &[
        DutyKind::Contact,
        DutyKind::Dispatch,
        DutyKind::Arrival,
        DutyKind::SiteVisit,
        DutyKind::Feedback,
        DutyKind::CompletionNotice,
        DutyKind::UnreachableRetry,
        DutyKind::UnreachableClose,
        DutyKind::ReturnVisit,
        DutyKind::PromisedCompletion,
    ];

    /// The Chinese label the UI shows.
    pub fn label(self) -> &'static str {
        match self {
            DutyKind::Contact => "联系业主",
            DutyKind::Dispatch => "派工",
            DutyKind::Arrival => "到场",
            DutyKind::SiteVisit => "现场巡查",
            DutyKind::Feedback => "进度反馈",
            DutyKind::CompletionNotice => "完工告知",
            DutyKind::UnreachableRetry => "失联重试",
            DutyKind::UnreachableClose => "失联关闭（主任与客服主管助理）",
            DutyKind::ReturnVisit => "回访",
            DutyKind::PromisedCompletion => "按承诺完工",
        }
    }

    /// The label of a tag in a list (今日待办, the ticket's clock panel): who acts is said by
    /// the duty's note and section there.
    pub fn short_label(self) -> &'static str {
        match self {
            DutyKind::UnreachableClose => "失联关闭",
            other => other.label(),
        }
    }

    /// The stable code (the variant name).
    pub fn code(self) -> &'static str {
        match self {
            DutyKind::Contact => "Contact",
            DutyKind::Dispatch => "Dispatch",
            DutyKind::Arrival => "Arrival",
            DutyKind::SiteVisit => "SiteVisit",
            DutyKind::Feedback => "Feedback",
            DutyKind::CompletionNotice => "CompletionNotice",
            DutyKind::UnreachableRetry => "UnreachableRetry",
            DutyKind::UnreachableClose => "UnreachableClose",
            DutyKind::ReturnVisit => "ReturnVisit",
            DutyKind::PromisedCompletion => "PromisedCompletion",
        }
    }
}

/// One outstanding duty of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Duty {
    pub kind: DutyKind,
    pub due_at: DateTime<Utc>,
    /// The section of BJ-BX-C01 that sets the rule, e.g. `§5.1.1`.
    pub section: &'static str,
    /// Wall-clock minutes past `due_at` at `now`, rounded up; 0 when not late or while on hold.
    pub late_by_minutes: i64,
    /// Short Chinese note, e.g. `第 3 次未联系上，隔日再试`; starts with `暂停中（理由）` on hold.
    pub note: String,
}

/// §5.1.3.3: how an arrival compares with the appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum ArrivalVerdict {
    OnTime,
    /// Minutes early (rounded up), beyond the tolerance.
    Early(i64),
    /// Minutes late (rounded up), beyond the tolerance.
    Late(i64),
}

impl ArrivalVerdict {
    /// What the ticket, the timeline and the F03 say about an arrival, with the tolerance it was
    /// judged by: `准时`, `迟到 16 分钟，超出 ±15 分钟（§5.1.3.3）`.
    pub fn text(self, tolerance_min: i64) -> String {
        match self {
            ArrivalVerdict::OnTime => "准时".to_string(),
            ArrivalVerdict::Late(m) => format!("迟到 {m} 分钟，超出 ±{tolerance_min} 分钟（§5.1.3.3）"),
            ArrivalVerdict::Early(m) => format!("早到 {m} 分钟，超出 ±{tolerance_min} 分钟（§5.1.3.3）"),
        }
    }

    pub fn on_time(self) -> bool {
        self == ArrivalVerdict::OnTime
    }
}

/// §5.1.3.3 "时间误差不能超过15分钟", to the second: 15:00 late is on time, 15:01 is not. The
/// tolerance is the project's `DeadlineSettings::arrival_tolerance`: the arrival action, the
/// ticket screen, 今日待办 and the statistics all judge by this function.
pub fn arrival_verdict(appointment: DateTime<Utc>, arrived: DateTime<Utc>, tolerance_min: i64) -> ArrivalVerdict {
    let secs = arrived.signed_duration_since(appointment).num_seconds();
    let tol = tolerance_min.max(0).saturating_mul(60);
    let ceil_min = |s: i64| s.saturating_add(59) / 60;
    if secs > tol {
        ArrivalVerdict::Late(ceil_min(secs))
    } else if secs < -tol {
        ArrivalVerdict::Early(ceil_min(secs.saturating_neg()))
    } else {
        ArrivalVerdict::OnTime
    }
}

/// §5.1.4.2 "连续通知5次仍无法取得联系": the director and the CS supervisor assistant may re-check
/// and close once this many completion notices failed. The close action, the ticket screen and
/// 今日待办's UnreachableClose duty (in [`duties`]) all count against `s.max_failed_notices`.
pub fn unreachable_close_ready(failed_notices: i64, s: &DeadlineSettings) -> bool {
    failed_notices >= s.max_failed_notices
}

/// Due within the local calendar day of `now`, or already past: what goes on today's list.
pub fn due_today(d: &Duty, now: DateTime<Utc>) -> bool {
    match local_date(now).succ_opt() {
        Some(tomorrow) => d.due_at < local_day_start(tomorrow),
        None => true,
    }
}

// ---- holds ---------------------------------------------------------------------------------------

/// The holds of a ticket as sorted, disjoint `[from, until)` intervals; a running hold lasts
/// until `now` (so far as anyone knows).
pub struct Pauses {
    spans: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    active_reason: Option<String>,
}

impl Pauses {
    pub fn new(holds: &[HoldFact], now: DateTime<Utc>) -> Self {
        let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> =
            holds.iter().map(|h| (h.from, h.until.unwrap_or(now.max(h.from)))).filter(|(a, b)| b > a).collect();
        spans.sort();
        let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(spans.len());
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        // The hold that pauses the ticket now: the latest-started one still running.
        let active_reason =
            holds.iter().filter(|h| h.from <= now && h.until.is_none_or(|u| now < u)).max_by_key(|h| h.from).map(|h| h.reason.trim().to_string());
        Pauses { spans: merged, active_reason }
    }

    /// Whether a hold is running at `now`, and why.
    pub fn active_reason(&self) -> Option<&str> {
        self.active_reason.as_deref()
    }

    /// Held time between two instants, on the continuous clock.
    pub fn held_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        self.spans.iter().map(|&(a, b)| (a.max(from), b.min(to))).filter(|(a, b)| b > a).fold(Duration::zero(), |acc, (a, b)| acc + (b - a))
    }

    /// `anchor + dur` on the clock `mode`, with the clock stopped during holds.
    pub fn add(&self, cal: &WorkCalendar, anchor: DateTime<Utc>, dur: Duration, mode: ClockMode) -> DateTime<Utc> {
        let mut cur = anchor;
        let mut left = dur;
        for &(hs, he) in &self.spans {
            if he <= cur {
                continue;
            }
            if hs > cur {
                let t = cal.add(cur, left, mode);
                if t <= hs {
                    return t;
                }
                left -= cal.elapsed(cur, hs, mode);
            }
            cur = he;
        }
        cal.add(cur, left, mode)
    }

    /// The due time of a daily rule from `anchor`, pushed by holds.
    pub fn day_due(&self, cal: &WorkCalendar, anchor: DateTime<Utc>, rule: DayRule) -> DateTime<Utc> {
        let nominal = cal.close_of_day(anchor, rule.days, rule.mode);
        if self.spans.is_empty() {
            return nominal;
        }
        self.add(cal, anchor, cal.elapsed(anchor, nominal, rule.mode), rule.mode)
    }

    /// The due time of a span rule from `anchor`, pushed by holds.
    pub fn span_due(&self, cal: &WorkCalendar, anchor: DateTime<Utc>, span: ClockSpan) -> DateTime<Utc> {
        self.add(cal, anchor, span.duration(), span.mode)
    }
}

/// `anchor + dur` on a clock, paused by the holds (a running hold counts up to `now`).
pub fn due_with_holds(cal: &WorkCalendar, anchor: DateTime<Utc>, dur: Duration, mode: ClockMode, holds: &[HoldFact], now: DateTime<Utc>) -> DateTime<Utc> {
    Pauses::new(holds, now).add(cal, anchor, dur, mode)
}

// ---- the rules -----------------------------------------------------------------------------------

struct Ctx<'a> {
    f: &'a TicketFacts,
    s: &'a DeadlineSettings,
    cal: &'a WorkCalendar,
    p: Pauses,
    now: DateTime<Utc>,
    out: Vec<Duty>,
}

impl Ctx<'_> {
    fn push(&mut self, kind: DutyKind, due_at: DateTime<Utc>, section: &'static str, note: String) {
        self.out.push(Duty { kind, due_at, section, late_by_minutes: 0, note });
    }

    /// The repair started when the first contractor arrived (re-work keeps the first start: the
    /// owner's wait does not restart); lacking an arrival, when the first slip was issued.
    fn repair_start(&self) -> DateTime<Utc> {
        let f = self.f;
        f.dispatches.iter().filter_map(|d| d.arrived_at).min().or_else(|| f.dispatches.iter().map(|d| d.issued_at).min()).unwrap_or(f.reported_at)
    }

    /// §5.1.1: first direct contact within 2 h of the report.
    fn contact(&mut self) {
        let f = self.f;
        if f.status != TicketStatus::Reported || f.contacts.iter().any(|c| c.reached) {
            return;
        }
        let due = self.p.span_due(self.cal, f.reported_at, self.s.contact);
        let failed = f.contacts.len();
        let note = if failed == 0 {
            format!("报修后 {} 内与业主直接联系", self.s.contact.text())
        } else {
            format!("已尝试 {failed} 次未联系上，继续联系")
        };
        self.push(DutyKind::Contact, due, "§5.1.1", note);
    }

    /// §5.1.3.1–2: the F02 is issued within 2 h (General) / 12 h (Complex) of the report.
    fn dispatch(&mut self) {
        let f = self.f;
        if !matches!(f.status, TicketStatus::Reported | TicketStatus::Contacted) || !f.dispatches.is_empty() {
            return;
        }
        let (span, section) = self.s.dispatch_for(f.classification);
        let due = self.p.span_due(self.cal, f.reported_at, span);
        let note = match f.classification {
            Some(c) => format!("{}维修：报修后 {} 内派工", c.label(), span.text()),
            None => format!("尚未分类，按一般维修 {} 内派工", span.text()),
        };
        self.push(DutyKind::Dispatch, due, section, note);
    }

    /// §5.1.3.3: the contractor of the latest slip arrives within 15 min of the appointment.
    fn arrival(&mut self) {
        let Some(d) = self.f.dispatches.iter().max_by_key(|d| d.issued_at) else { return };
        if d.arrived_at.is_some() || d.completed_at.is_some() {
            return;
        }
        let due = self.p.span_due(self.cal, d.appointment_at, self.s.arrival_tolerance);
        let note = format!("预约 {}，误差不超过 {} 分钟", fmt_local(d.appointment_at), self.s.arrival_tolerance.minutes);
        self.push(DutyKind::Arrival, due, "§5.1.3.3", note);
    }

    /// §5.1.3.4: the steward visits the site at least once a day while the repair runs.
    fn site_visit(&mut self) {
        let start = self.repair_start();
        let anchors = std::iter::once(start).chain(self.f.site_visits.iter().copied().filter(|v| *v >= start));
        let due = anchors.map(|a| self.p.day_due(self.cal, a, self.s.site_visit)).max().unwrap_or(start);
        let last = self.f.site_visits.iter().copied().filter(|v| *v >= start).max();
        let note = match last {
            Some(v) => format!("管家每日至少巡查一次（上次 {}）", fmt_local(v)),
            None => "管家每日至少巡查一次（尚无巡查记录）".to_string(),
        };
        self.push(DutyKind::SiteVisit, due, "§5.1.3.4", note);
    }

    /// §5.1.3.5: progress feedback every 2 days, 3 times a week for long repairs, or as agreed.
    fn feedback(&mut self) {
        let (f, s) = (self.f, self.s);
        let start = self.repair_start();
        let long_after = Duration::try_days(s.long_job_after_days.max(0)).unwrap_or(Duration::MAX);
        let promised_long = f.dispatches.iter().filter_map(|d| d.promised_at).max().is_some_and(|p| p.signed_duration_since(start) > long_after);
        let long = promised_long || self.now.signed_duration_since(start) > long_after;
        let cadence = if long { s.feedback_long } else { s.feedback };
        let anchors = std::iter::once(start).chain(f.feedbacks.iter().map(|x| x.at));
        let by_cadence = anchors.map(|a| self.p.span_due(self.cal, a, cadence)).max().unwrap_or(start);
        let agreed = f
            .feedbacks
            .iter()
            .filter_map(|x| {
                let next = x.next_due_at?;
                (next > x.at).then(|| self.p.add(self.cal, x.at, next - x.at, ClockMode::Continuous))
            })
            .max();
        let (due, note) = match agreed {
            Some(a) if a > by_cadence => (a, "按与业主约定的时间反馈".to_string()),
            _ if long => (by_cadence, "维修周期较长，每周反馈 3 次".to_string()),
            _ => (by_cadence, format!("每 {}向业主反馈一次进度", cadence.text())),
        };
        self.push(DutyKind::Feedback, due, "§5.1.3.5", note);
    }

    /// §8.2.1 "承诺完成时间": the latest slip, while not completed, is due at the completion time
    /// promised on it (a wall-clock promise to the owner; a hold after the slip was issued pushes
    /// it by the held time, as it pushes an agreed feedback time). A slip without a promise owes
    /// nothing here.
    fn promised_completion(&mut self) {
        let Some(d) = self.f.dispatches.iter().max_by_key(|d| d.issued_at) else { return };
        let (Some(promised), None) = (d.promised_at, d.completed_at) else { return };
        let due = if promised > d.issued_at { self.p.add(self.cal, d.issued_at, promised - d.issued_at, ClockMode::Continuous) } else { promised };
        self.push(DutyKind::PromisedCompletion, due, "§8.2.1", format!("调度单承诺 {} 前完成维修", fmt_local(promised)));
    }

    /// When the repair was accepted — or, if that record is missing, every event that could have
    /// been the last one before it (the rule takes the latest due time of these).
    fn acceptance_anchors(&self) -> Vec<DateTime<Utc>> {
        let f = self.f;
        match f.accepted_at {
            Some(a) => vec![a],
            None => {
                let done = f.dispatches.iter().filter_map(|d| d.completed_at);
                std::iter::once(f.reported_at).chain(done).chain(f.rechecks.iter().copied()).collect()
            }
        }
    }

    /// The latest due time of a daily rule over several anchors.
    fn latest_day_due(&self, anchors: &[DateTime<Utc>], rule: DayRule) -> DateTime<Utc> {
        anchors.iter().map(|a| self.p.day_due(self.cal, *a, rule)).max().unwrap_or(self.now)
    }

    /// §5.1.4.1–2: tell the owner the repair is done; unreachable: every other day, 5 tries, then
    /// the director and the CS supervisor assistant re-check and close.
    fn completion_notice(&mut self) {
        let (f, s) = (self.f, self.s);
        if f.completion_notices.iter().any(|n| n.reached) {
            return; // the owner has been told; closing is a status change, not a clock
        }
        let failed: Vec<DateTime<Utc>> = f.completion_notices.iter().map(|n| n.at).collect();
        let n = i64::try_from(failed.len()).unwrap_or(i64::MAX);
        if n == 0 {
            let due = self.latest_day_due(&self.acceptance_anchors(), s.completion_notice);
            self.push(DutyKind::CompletionNotice, due, "§5.1.4.1", "验收合格，告知业主维修已完成并请业主复查".to_string());
            return;
        }
        let (kind, rule) =
            if unreachable_close_ready(n, s) { (DutyKind::UnreachableClose, s.unreachable_close) } else { (DutyKind::UnreachableRetry, s.unreachable_retry) };
        let due = self.latest_day_due(&failed, rule);
        let note = if kind == DutyKind::UnreachableRetry {
            format!("第 {n} 次未联系上，隔日再试")
        } else {
            format!("连续 {n} 次未联系上，由保修主任与客服主管助理共同复查后关闭；如电话已变更须反馈客户服务部")
        };
        self.push(kind, due, "§5.1.4.2", note);
    }

    /// §5.1.5: the return visit after closing. Closed = when the owner was first told, or (never
    /// reached) the last failed notice, after which the director closed; not before acceptance.
    fn return_visit(&mut self) {
        let f = self.f;
        let told = f.completion_notices.iter().filter(|n| n.reached).map(|n| n.at).min();
        let mut anchors = self.acceptance_anchors();
        anchors.extend(f.completion_notices.iter().map(|n| n.at).filter(|at| told.is_none_or(|t| *at <= t)));
        let due = self.latest_day_due(&anchors, self.s.return_visit);
        let note = match f.return_visits.len() {
            0 => "维修完成后回访业主满意度".to_string(),
            n => format!("已回访 {n} 次未完成，继续回访"),
        };
        self.push(DutyKind::ReturnVisit, due, "§5.1.5", note);
    }
}

/// The duties a ticket owes at `now`, earliest first. Pure: the same facts and `now` always give
/// the same list.
pub fn duties(f: &TicketFacts, s: &DeadlineSettings, cal: &WorkCalendar, now: DateTime<Utc>) -> Vec<Duty> {
    let mut c = Ctx { f, s, cal, p: Pauses::new(&f.holds, now), now, out: Vec::new() };
    use TicketStatus::*;
    match f.status {
        Reported | Contacted => {
            c.contact();
            c.dispatch();
        }
        Dispatched => {
            c.arrival();
            c.promised_completion();
        }
        InRepair => {
            c.arrival();
            c.site_visit();
            c.feedback();
            c.promised_completion();
        }
        // §5.1.3.6 sets no time for the re-check and the owner's signature.
        AwaitingAcceptance => {}
        Accepted => c.completion_notice(),
        Closed => c.return_visit(),
        Visited | OutOfScope | Cancelled => {}
    }
    let paused = c.p.active_reason().map(|r| if r.is_empty() { "暂停中".to_string() } else { format!("暂停中（{r}）") });
    let mut out = c.out;
    for d in &mut out {
        match &paused {
            Some(p) => d.note = format!("{p}；{}", d.note),
            None => d.late_by_minutes = late_minutes(d.due_at, now),
        }
    }
    out.sort_by_key(|d| (d.due_at, d.kind));
    out
}

/// Wall-clock minutes past due, rounded up: one second late is late.
fn late_minutes(due: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let secs = now.signed_duration_since(due).num_seconds();
    if secs <= 0 {
        0
    } else {
        secs.saturating_add(59) / 60
    }
}
