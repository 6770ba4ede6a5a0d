//! 统计分析 (§4.3.3 "因保修产生的投诉进行最终数据分析，对维修隐患作出预警"; §8 维修工作统计与分析):
//! what the center learns from a period's tickets — where the defects are, whether the desk kept
//! the procedure's deadlines, and how each builder / contractor performs (the center's leverage).
//!
//! **The period** is `[from, to)` of local dates (China Standard Time): a ticket belongs to it when
//! it was *reported* in it. Every figure is about that cohort of tickets — the dispatches, visits
//! and return visits of those tickets, even when they happened after `to` — so one period's page
//! is consistent with itself and a later look at the same period only adds what has since happened.
//!
//! **Defect tickets**: tickets not 已取消 and not 非保修范围 (see `desk_store::stats`).
//!
//! On-time rates run the same pure rules as 今日待办 (`desk_domain::clock::duties`): for each duty
//! the facts are cut back to the moment just before it was discharged, the rule gives the due
//! time, and the event is on time when it came no later than that. A duty not yet discharged
//! counts late once its due time has passed, and pending (in no rate) until then.

use crate::desk::Desk;
use crate::error::{DeskError, DeskResult};
use crate::export::ExportResult;
use crate::job::Progress;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use desk_documents::excel_out::{write_workbook, ColumnKind, OutCell, OutColumn, SheetTable};
use desk_domain::clock::calendar::WorkCalendar;
use desk_domain::clock::rules::{arrival_verdict, duties, ArrivalVerdict, DeadlineSettings, DutyKind, TicketFacts};
use desk_domain::records::ContractorKind;
use desk_domain::repair::Satisfaction;
use desk_domain::ticket::{Category, TicketStatus};
use desk_domain::time::{fmt_local, local_day_start};
use desk_store::{clocks, stats as q, from_unix};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The parts chart shows the most frequent parts only.
pub const TOP_PARTS: u32 = 20;
/// Places with repeat repairs listed (the count covers them all).
pub const TOP_REPEAT_PLACES: usize = 50;
/// Category × part pairs listed as recurring problems.
pub const TOP_RECURRING: usize = 30;
/// The on-time target a rate is coloured against. The seed sets deadlines, not a target share;
/// 90 % is the desk's default: one miss in ten is already a pattern worth a word at the weekly
/// meeting.
pub const ON_TIME_TARGET_PERCENT: f64 = 90.0;

/// `hits` of `total` as a percentage, none when there is nothing to count.
fn percent(hits: i64, total: i64) -> Option<f64> {
    (total > 0).then(|| hits as f64 * 100.0 / total as f64)
}

/// One group of a breakdown (a category, a part, a building, a batch, a contractor, a month).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CountRow {
    /// The stable key: a category code, the part / building / batch / contractor name, `YYYY-MM`.
    pub key: String,
    /// What the chart shows (the Chinese label of a category; otherwise the key).
    pub label: String,
    /// Defect tickets reported in the period in this group. For a contractor: tickets with at
    /// least one dispatch notice to it (a ticket re-dispatched to another firm counts for both).
    pub count: i64,
    /// `count` as a percentage of all defect tickets of the period.
    pub percent: Option<f64>,
}

/// 满意度 of the return visits (§5.1.5) of the period's tickets: per ticket, its latest return
/// visit that reached the owner.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SatisfactionStats {
    pub satisfied: i64,
    pub basic: i64,
    pub dissatisfied: i64,
    /// Tickets with a return visit that reached the owner and recorded a satisfaction.
    pub visited: i64,
    /// Tickets whose return visits so far all failed to reach the owner.
    pub not_reached: i64,
    /// (满意 + 基本满意) / visited.
    pub satisfied_percent: Option<f64>,
}

/// A place (unit + part) repaired more than once.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RepeatRow {
    /// `3-2-1502`.
    pub unit: String,
    /// As reported, trimmed.
    pub part: String,
    /// Tickets at this place reported in the period.
    pub in_period: i64,
    /// Tickets at this place reported before the period.
    pub before: i64,
    /// Tickets of the period that had an earlier ticket at the same place.
    pub repeats: i64,
}

/// 重复维修 (§5.2.2.2 "同一户内对同一位置进行第二次维修"): a ticket of the period at a unit + part
/// (trimmed; an empty part is no place) that had an earlier defect ticket at the same unit + part,
/// whenever that one was reported.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RepeatStats {
    /// Tickets of the period that are repeats.
    pub repeat_tickets: i64,
    /// `repeat_tickets` / defect tickets of the period.
    pub percent: Option<f64>,
    /// The places with the most repeats (at most [`TOP_REPEAT_PLACES`]).
    pub places: Vec<RepeatRow>,
}

/// 高发问题: a category × part pair of the period, with the same pair in the period before.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RecurringRow {
    pub category: Category,
    pub category_label: String,
    pub part: String,
    /// Defect tickets of the period with this category and part.
    pub count: i64,
    /// The same, in the previous period of equal length (`previous_from` .. `from`).
    pub previous: i64,
    /// Early warning (§4.3.3 "对维修隐患作出预警"): at least 2 tickets and more than in the
    /// previous period.
    pub rising: bool,
}

/// How often one deadline of the procedure was kept, for the tickets of the period.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OnTimeRate {
    pub duty: DutyKind,
    pub label: String,
    /// The section of BJ-BX-C01 that sets the deadline.
    pub section: String,
    /// What is measured, in Chinese (shown beside the rate and in the export).
    pub definition: String,
    pub on_time: i64,
    /// Discharged after the due time, or not discharged and past due.
    pub late: i64,
    /// Not discharged, not yet due: in no rate.
    pub pending: i64,
    /// on_time / (on_time + late).
    pub percent: Option<f64>,
    pub target_percent: f64,
    pub below_target: bool,
}

/// 施工/维保单位评分: one builder or contractor over the dispatch notices of the period's tickets.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ContractorScore {
    pub contractor_id: i64,
    pub name: String,
    pub kind: Option<ContractorKind>,
    pub kind_label: String,
    /// Dispatch notices (F02) issued to it for tickets of the period.
    pub dispatches: i64,
    /// Of those, the ones with an arrival recorded.
    pub arrivals: i64,
    /// Arrivals within ±15 min of the appointment (the project's tolerance, §5.1.3.3).
    pub on_time_arrivals: i64,
    /// on_time_arrivals / arrivals.
    pub on_time_arrival_percent: Option<f64>,
    /// Dispatch notices that were rework (返修: re-dispatched after a failed repair).
    pub reworks: i64,
    /// reworks / dispatches.
    pub rework_percent: Option<f64>,
    /// Dispatch notices with a completion recorded.
    pub completed: i64,
    /// Mean of (completed_at − issued_at) in days over the completed dispatch notices.
    pub avg_days_to_complete: Option<f64>,
    /// Tickets whose last dispatch notice was to it and whose return visit recorded a satisfaction.
    pub visited: i64,
    /// Of those, 满意 or 基本满意.
    pub satisfied: i64,
    /// satisfied / visited.
    pub satisfied_percent: Option<f64>,
}

/// Everything the statistics page shows, for one period.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Statistics {
    /// First day of the period (local date).
    pub from: NaiveDate,
    /// The day after the last day of the period.
    pub to: NaiveDate,
    /// Start of the previous period of equal length (the recurring problems compare with it).
    pub previous_from: NaiveDate,
    pub computed_at: DateTime<Utc>,
    /// Defect tickets reported in the period.
    pub total: i64,
    pub by_category: Vec<CountRow>,
    /// The [`TOP_PARTS`] most frequent parts (trimmed; empty shown as 未填部位).
    pub by_part: Vec<CountRow>,
    pub by_building: Vec<CountRow>,
    pub by_batch: Vec<CountRow>,
    pub by_contractor: Vec<CountRow>,
    /// Every local month of the period, months without tickets included.
    pub by_month: Vec<CountRow>,
    pub satisfaction: SatisfactionStats,
    pub repeats: RepeatStats,
    /// The [`TOP_RECURRING`] most frequent category × part pairs.
    pub recurring: Vec<RecurringRow>,
    /// Contact, dispatch, arrival, feedback, completion notice, return visit — in procedure order.
    pub on_time: Vec<OnTimeRate>,
    /// Every contractor with a dispatch notice for the period's tickets, most dispatches first.
    pub scorecard: Vec<ContractorScore>,
}

// ---- on-time rates -----------------------------------------------------------------------------

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    on_time: i64,
    late: i64,
    pending: i64,
}

impl Tally {
    /// A duty discharged at `done` against its due time.
    fn judge(&mut self, done: DateTime<Utc>, due: Option<DateTime<Utc>>) {
        match due {
            Some(due) if done <= due => self.on_time += 1,
            Some(_) => self.late += 1,
            None => {}
        }
    }
    /// A duty still owed at `now`.
    fn owed(&mut self, due: Option<DateTime<Utc>>, now: DateTime<Utc>) {
        match due {
            Some(due) if due < now => self.late += 1,
            Some(_) => self.pending += 1,
            None => {}
        }
    }
}

/// The on-time rates' duties, in procedure order, with what each measures.
const MEASURED: [(DutyKind, &str); 6] = [
    (DutyKind::Contact, "首次联系上业主的时间不晚于报修后的联系时限（默认 2 个工作小时）"),
    (DutyKind::Dispatch, "首张调度单签发不晚于派工时限（一般/未分类 2 个工作小时，复杂 12 个工作小时）"),
    (DutyKind::Arrival, "维修人员到场时间与预约时间相差不超过 ±15 分钟（每张调度单计一次）"),
    (DutyKind::Feedback, "维修期间每次向业主反馈进度不晚于反馈时限（2 日一次，长周期每周 3 次，或约定时间）；完工前漏掉的一次计为超时"),
    (DutyKind::CompletionNotice, "验收后首次完工通知（联系上或未联系上均算已通知）不晚于当日下班（下班后验收则次一工作日）"),
    (DutyKind::ReturnVisit, "关闭后首次联系上业主的回访不晚于回访时限（默认 3 个工作日）"),
];

struct Rules<'a> {
    s: &'a DeadlineSettings,
    cal: &'a WorkCalendar,
}

impl Rules<'_> {
    /// The due time of `kind` for the facts `f` as they stood at `at`.
    fn due(&self, kind: DutyKind, f: &TicketFacts, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
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
fn tally_ticket(t: &mut [Tally; 6], f: &TicketFacts, reached_visits: &[DateTime<Utc>], r: &Rules, now: DateTime<Utc>) {
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

// ---- the period ----------------------------------------------------------------------------------

fn month_keys(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let Some(last) = to.pred_opt() else { return out };
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (last.year(), last.month()) && out.len() < 1200 {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

fn rows(counts: Vec<q::Count>, total: i64, label: impl Fn(&str) -> String) -> Vec<CountRow> {
    counts.into_iter().map(|c| CountRow { label: label(&c.key), percent: percent(c.n, total), key: c.key, count: c.n }).collect()
}

fn part_label(p: &str) -> String {
    if p.trim().is_empty() {
        "未填部位".to_string()
    } else {
        p.to_string()
    }
}

fn kind_label(k: Option<ContractorKind>) -> String {
    match k {
        Some(ContractorKind::Builder) => "施工单位".into(),
        Some(ContractorKind::Maintenance) => "维保单位".into(),
        None => String::new(),
    }
}

impl Desk {
    /// The statistics of the tickets reported from `from` (inclusive) to `to` (exclusive), local
    /// dates. Read-only.
    pub fn statistics(&self, from: NaiveDate, to: NaiveDate) -> DeskResult<Statistics> {
        self.statistics_with(from, to, &Progress::none())
    }

    /// [`Desk::statistics`] reporting each of its queries and the tickets judged on time to
    /// `p`; stops (nothing is written anyway) when the user cancels.
    pub fn statistics_with(&self, from: NaiveDate, to: NaiveDate, p: &Progress) -> DeskResult<Statistics> {
        if to <= from {
            return Err(DeskError::invalid("to", "统计截止日期应晚于开始日期"));
        }
        let now = self.now();
        let (a, b) = (local_day_start(from).timestamp(), local_day_start(to).timestamp());
        let span = to.signed_duration_since(from);
        let previous_from = from.checked_sub_signed(span).unwrap_or(from);
        let pa = local_day_start(previous_from).timestamp();
        let cal = self.work_calendar()?;
        struct Raw {
            total: i64,
            cat: Vec<q::Count>,
            part: Vec<q::Count>,
            bld: Vec<q::Count>,
            batch: Vec<q::Count>,
            month: Vec<q::Count>,
            contractor: Vec<q::ContractorCount>,
            cp: Vec<q::CategoryPart>,
            cp_prev: Vec<q::CategoryPart>,
            repeats: Vec<q::RepeatPlace>,
            visits: Vec<q::VisitRow>,
            dispatches: Vec<q::DispatchRow>,
            facts: Vec<clocks::OpenTicket>,
        }
        // Thirteen queries on one snapshot, then the on-time judging: one step each, and a
        // step per query so a year at a million tickets shows it moving.
        const STEPS: u64 = 14;
        let step = |i: u64, label: &str| -> DeskResult<()> {
            p.check()?;
            p.step(i, STEPS, label);
            Ok(())
        };
        let raw = self.store.read(|tx| -> DeskResult<Raw> {
            step(0, "统计报修总数")?;
            let total = q::total(tx, a, b)?;
            step(1, "按类别统计")?;
            let cat = q::by_category(tx, a, b)?;
            step(2, "按部位统计")?;
            let part = q::by_part(tx, a, b, TOP_PARTS)?;
            step(3, "按楼栋统计")?;
            let bld = q::by_building(tx, a, b)?;
            step(4, "按批次统计")?;
            let batch = q::by_batch(tx, a, b)?;
            step(5, "按月份统计")?;
            let month = q::by_month(tx, a, b)?;
            step(6, "按施工单位统计")?;
            let contractor = q::by_contractor(tx, a, b)?;
            step(7, "统计高发问题")?;
            let cp = q::by_category_part(tx, a, b)?;
            let cp_prev = q::by_category_part(tx, pa, a)?;
            step(8, "统计重复维修")?;
            let repeats = q::repeat_places(tx, a, b)?;
            step(9, "读取回访")?;
            let visits = q::return_visits(tx, a, b)?;
            step(10, "读取派工")?;
            let dispatches = q::dispatches(tx, a, b)?;
            step(11, "读取报修单的各项时间")?;
            let facts = clocks::reported_between(tx, a, b)?;
            Ok(Raw { total, cat, part, bld, batch, month, contractor, cp, cp_prev, repeats, visits, dispatches, facts })
        })?;
        step(12, "计算及时率")?;
        let total = raw.total;
        let mut settings: HashMap<i64, DeadlineSettings> = HashMap::new();
        let mut project_ids: Vec<i64> = raw.facts.iter().map(|t| t.project_id).chain(raw.dispatches.iter().map(|d| d.project_id)).collect();
        project_ids.sort_unstable();
        project_ids.dedup();
        for p in project_ids {
            settings.insert(p, self.deadline_settings(p)?);
        }
        let default_settings = DeadlineSettings::default();
        let settings_of = |p: i64| settings.get(&p).unwrap_or(&default_settings);

        // Return visits: per ticket, the reached ones (times) and the latest satisfaction.
        let mut reached: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
        let mut latest: BTreeMap<i64, Option<Satisfaction>> = BTreeMap::new();
        for v in &raw.visits {
            let e = latest.entry(v.ticket_id).or_insert(None);
            if v.reached {
                reached.entry(v.ticket_id).or_default().push(from_unix(v.at));
                if let Some(s) = v.satisfaction.as_deref().and_then(Satisfaction::parse) {
                    *e = Some(s);
                }
            }
        }
        let mut sat = SatisfactionStats { satisfied: 0, basic: 0, dissatisfied: 0, visited: 0, not_reached: 0, satisfied_percent: None };
        for s in latest.values() {
            match s {
                Some(Satisfaction::Satisfied) => sat.satisfied += 1,
                Some(Satisfaction::Basic) => sat.basic += 1,
                Some(Satisfaction::Dissatisfied) => sat.dissatisfied += 1,
                None => sat.not_reached += 1,
            }
        }
        sat.visited = sat.satisfied + sat.basic + sat.dissatisfied;
        sat.satisfied_percent = percent(sat.satisfied + sat.basic, sat.visited);

        // On-time rates.
        let mut tallies = [Tally::default(); 6];
        let none: Vec<DateTime<Utc>> = Vec::new();
        for t in &raw.facts {
            if matches!(t.facts.status, TicketStatus::Cancelled | TicketStatus::OutOfScope) {
                continue;
            }
            let r = Rules { s: settings_of(t.project_id), cal: &cal };
            tally_ticket(&mut tallies, &t.facts, reached.get(&t.id).unwrap_or(&none), &r, now);
        }
        let on_time = MEASURED
            .iter()
            .zip(tallies)
            .map(|(&(duty, definition), t)| {
                let pct = percent(t.on_time, t.on_time + t.late);
                let section = match duty {
                    DutyKind::Contact => "§5.1.1",
                    DutyKind::Dispatch => "§5.1.3.1–2",
                    DutyKind::Arrival => "§5.1.3.3",
                    DutyKind::Feedback => "§5.1.3.5",
                    DutyKind::CompletionNotice => "§5.1.4.1",
                    _ => "§5.1.5",
                };
                OnTimeRate {
                    duty,
                    label: duty.label().to_string(),
                    section: section.to_string(),
                    definition: definition.to_string(),
                    on_time: t.on_time,
                    late: t.late,
                    pending: t.pending,
                    percent: pct,
                    target_percent: ON_TIME_TARGET_PERCENT,
                    below_target: pct.is_some_and(|p| p < ON_TIME_TARGET_PERCENT),
                }
            })
            .collect();

        step(13, "计算单位评分")?;
        // Scorecard.
        let mut cards: BTreeMap<i64, ContractorScore> = BTreeMap::new();
        let mut days: HashMap<i64, f64> = HashMap::new();
        let mut last_contractor: HashMap<i64, i64> = HashMap::new();
        for d in &raw.dispatches {
            let kind = ContractorKind::parse(&d.contractor_kind);
            let c = cards.entry(d.contractor_id).or_insert_with(|| ContractorScore {
                contractor_id: d.contractor_id,
                name: d.contractor.clone(),
                kind,
                kind_label: kind_label(kind),
                dispatches: 0,
                arrivals: 0,
                on_time_arrivals: 0,
                on_time_arrival_percent: None,
                reworks: 0,
                rework_percent: None,
                completed: 0,
                avg_days_to_complete: None,
                visited: 0,
                satisfied: 0,
                satisfied_percent: None,
            });
            c.dispatches += 1;
            c.reworks += i64::from(d.rework);
            if let Some(at) = d.arrived_at {
                c.arrivals += 1;
                let tol = settings_of(d.project_id).arrival_tolerance.minutes;
                if arrival_verdict(from_unix(d.appointment_at), from_unix(at), tol) == ArrivalVerdict::OnTime {
                    c.on_time_arrivals += 1;
                }
            }
            if let Some(done) = d.completed_at {
                c.completed += 1;
                *days.entry(d.contractor_id).or_default() += (done - d.issued_at) as f64 / 86_400.0;
            }
            last_contractor.insert(d.ticket_id, d.contractor_id); // rows come in issue order
        }
        for (ticket, s) in &latest {
            let (Some(s), Some(c)) = (s, last_contractor.get(ticket)) else { continue };
            if let Some(card) = cards.get_mut(c) {
                card.visited += 1;
                card.satisfied += i64::from(matches!(s, Satisfaction::Satisfied | Satisfaction::Basic));
            }
        }
        let mut scorecard: Vec<ContractorScore> = cards
            .into_values()
            .map(|mut c| {
                c.on_time_arrival_percent = percent(c.on_time_arrivals, c.arrivals);
                c.rework_percent = percent(c.reworks, c.dispatches);
                c.avg_days_to_complete = (c.completed > 0).then(|| days.get(&c.contractor_id).copied().unwrap_or(0.0) / c.completed as f64);
                c.satisfied_percent = percent(c.satisfied, c.visited);
                c
            })
            .collect();
        scorecard.sort_by(|x, y| y.dispatches.cmp(&x.dispatches).then_with(|| x.name.cmp(&y.name)));

        // Repeats and recurring problems.
        let mut places: Vec<RepeatRow> = raw
            .repeats
            .iter()
            .map(|p| RepeatRow { unit: p.unit.clone(), part: p.part.clone(), in_period: p.in_period, before: p.before, repeats: p.repeats() })
            .filter(|p| p.repeats > 0)
            .collect();
        let repeat_tickets: i64 = places.iter().map(|p| p.repeats).sum();
        places.sort_by(|x, y| y.repeats.cmp(&x.repeats).then_with(|| y.before.cmp(&x.before)).then_with(|| x.unit.cmp(&y.unit)).then_with(|| x.part.cmp(&y.part)));
        places.truncate(TOP_REPEAT_PLACES);
        let prev: HashMap<(&str, &str), i64> = raw.cp_prev.iter().map(|c| ((c.category.as_str(), c.part.as_str()), c.n)).collect();
        let recurring = raw
            .cp
            .iter()
            .take(TOP_RECURRING)
            .map(|c| {
                let category = Category::parse(&c.category).unwrap_or(Category::Other);
                let previous = prev.get(&(c.category.as_str(), c.part.as_str())).copied().unwrap_or(0);
                RecurringRow { category, category_label: category.label().to_string(), part: c.part.clone(), count: c.n, previous, rising: c.n >= 2 && c.n > previous }
            })
            .collect();

        let months: HashMap<String, i64> = raw.month.into_iter().map(|c| (c.key, c.n)).collect();
        let by_month = month_keys(from, to)
            .into_iter()
            .map(|m| {
                let n = months.get(&m).copied().unwrap_or(0);
                CountRow { label: m.clone(), key: m, count: n, percent: percent(n, total) }
            })
            .collect();
        p.step(STEPS, STEPS, "完成");
        Ok(Statistics {
            from,
            to,
            previous_from,
            computed_at: now,
            total,
            by_category: rows(raw.cat, total, |k| Category::parse(k).map(|c| c.label().to_string()).unwrap_or_else(|| k.to_string())),
            by_part: rows(raw.part, total, part_label),
            by_building: rows(raw.bld, total, |k| format!("{k}号楼")),
            by_batch: rows(raw.batch, total, str::to_string),
            by_contractor: raw
                .contractor
                .into_iter()
                .map(|c| CountRow { key: c.name.clone(), label: c.name, count: c.tickets, percent: percent(c.tickets, total) })
                .collect(),
            by_month,
            satisfaction: sat,
            repeats: RepeatStats { repeat_tickets, percent: percent(repeat_tickets, total), places },
            recurring,
            on_time,
            scorecard,
        })
    }

    /// Writes every table behind the statistics page to one .xlsx, one sheet per table.
    pub fn export_statistics(&self, from: NaiveDate, to: NaiveDate, path: &Path) -> DeskResult<ExportResult> {
        self.export_statistics_with(from, to, path, &Progress::none())
    }

    /// [`Desk::export_statistics`] with progress; a cancel before the file is written leaves none.
    pub fn export_statistics_with(&self, from: NaiveDate, to: NaiveDate, path: &Path, p: &Progress) -> DeskResult<ExportResult> {
        let st = self.statistics_with(from, to, p)?;
        p.check()?;
        p.step(0, 0, "写入 Excel 文件");
        let tables = statistics_tables(&st);
        let rows = tables.iter().map(|t| t.rows.len()).sum::<usize>();
        write_workbook(path, &tables).map_err(|e| DeskError::storage(format!("导出失败：{e}")))?;
        Ok(ExportResult { path: path.display().to_string(), rows: u32::try_from(rows).unwrap_or(u32::MAX) })
    }
}

/// The sheet names of the statistics workbook, in order.
pub const SHEETS: [&str; 11] = ["按类别", "按部位", "按楼栋", "按批次", "按施工单位", "按月份", "满意度", "及时率", "单位评分", "重复维修", "高发问题"];

fn pct_cell(p: Option<f64>) -> OutCell {
    p.map_or(OutCell::Empty, |p| OutCell::Percent(p / 100.0))
}

fn col(h: &str, k: ColumnKind) -> OutColumn {
    OutColumn::new(h, k)
}

/// The workbook of a statistics page: every chart's and every table's numbers.
pub fn statistics_tables(st: &Statistics) -> Vec<SheetTable> {
    let last = st.to.pred_opt().unwrap_or(st.to);
    let period = format!("{} 至 {}", st.from, last);
    let title = |what: &str| format!("{what}（报修日期 {period}，统计于 {}）", fmt_local(st.computed_at));
    let counts = |sheet: &str, what: &str, head: &str, rs: &[CountRow]| SheetTable {
        title: title(what),
        sheet_name: sheet.into(),
        columns: vec![col(head, ColumnKind::Text), col("报修单数", ColumnKind::Int), col("占比", ColumnKind::Percent)],
        rows: rs.iter().map(|r| vec![OutCell::Text(r.label.clone()), OutCell::Int(r.count), pct_cell(r.percent)]).collect(),
        total_row: false,
    };
    let s = &st.satisfaction;
    let sat_rows = [("满意", s.satisfied), ("基本满意", s.basic), ("不满意", s.dissatisfied), ("未联系上", s.not_reached)]
        .iter()
        .map(|(k, n)| vec![OutCell::Text((*k).into()), OutCell::Int(*n), if *k == "未联系上" { OutCell::Empty } else { pct_cell(percent(*n, s.visited)) }])
        .collect();
    vec![
        counts(SHEETS[0], "缺陷类别分布", "类别", &st.by_category),
        counts(SHEETS[1], "高发部位（前 20）", "部位", &st.by_part),
        counts(SHEETS[2], "各楼栋报修", "楼栋", &st.by_building),
        counts(SHEETS[3], "各交付批次报修", "批次", &st.by_batch),
        counts(SHEETS[4], "各施工/维保单位承修报修单", "单位", &st.by_contractor),
        counts(SHEETS[5], "月度报修趋势", "月份", &st.by_month),
        SheetTable {
            title: title("回访满意度（占已回访）"),
            sheet_name: SHEETS[6].into(),
            columns: vec![col("满意度", ColumnKind::Text), col("报修单数", ColumnKind::Int), col("占比", ColumnKind::Percent)],
            rows: sat_rows,
            total_row: false,
        },
        SheetTable {
            title: title(&format!("各项时限及时率（目标 {ON_TIME_TARGET_PERCENT}%）")),
            sheet_name: SHEETS[7].into(),
            columns: vec![
                col("环节", ColumnKind::Text), col("依据", ColumnKind::Text), col("及时", ColumnKind::Int), col("超时", ColumnKind::Int),
                col("未到期", ColumnKind::Int), col("及时率", ColumnKind::Percent), col("口径", ColumnKind::Text),
            ],
            rows: st
                .on_time
                .iter()
                .map(|r| {
                    vec![
                        OutCell::Text(r.label.clone()), OutCell::Text(r.section.clone()), OutCell::Int(r.on_time), OutCell::Int(r.late),
                        OutCell::Int(r.pending), pct_cell(r.percent), OutCell::Text(r.definition.clone()),
                    ]
                })
                .collect(),
            total_row: false,
        },
        SheetTable {
            title: title("施工/维保单位评分"),
            sheet_name: SHEETS[8].into(),
            columns: vec![
                col("单位", ColumnKind::Text), col("类型", ColumnKind::Text), col("调度单数", ColumnKind::Int), col("已到场", ColumnKind::Int),
                col("准时到场", ColumnKind::Int), col("准时到场率", ColumnKind::Percent), col("返修单数", ColumnKind::Int), col("返修率", ColumnKind::Percent),
                col("已完工", ColumnKind::Int), col("平均完工天数", ColumnKind::Decimal), col("已回访", ColumnKind::Int), col("满意+基本满意", ColumnKind::Int),
                col("满意率", ColumnKind::Percent),
            ],
            rows: st
                .scorecard
                .iter()
                .map(|c| {
                    vec![
                        OutCell::Text(c.name.clone()), OutCell::Text(c.kind_label.clone()), OutCell::Int(c.dispatches), OutCell::Int(c.arrivals),
                        OutCell::Int(c.on_time_arrivals), pct_cell(c.on_time_arrival_percent), OutCell::Int(c.reworks), pct_cell(c.rework_percent),
                        OutCell::Int(c.completed), c.avg_days_to_complete.map_or(OutCell::Empty, OutCell::Decimal), OutCell::Int(c.visited),
                        OutCell::Int(c.satisfied), pct_cell(c.satisfied_percent),
                    ]
                })
                .collect(),
            total_row: false,
        },
        SheetTable {
            title: title(&format!("重复维修（同户同部位，共 {} 单）", st.repeats.repeat_tickets)),
            sheet_name: SHEETS[9].into(),
            columns: vec![
                col("房号", ColumnKind::Text), col("部位", ColumnKind::Text), col("本期报修", ColumnKind::Int), col("本期前报修", ColumnKind::Int),
                col("重复维修单数", ColumnKind::Int),
            ],
            rows: st
                .repeats
                .places
                .iter()
                .map(|p| vec![OutCell::Text(p.unit.clone()), OutCell::Text(p.part.clone()), OutCell::Int(p.in_period), OutCell::Int(p.before), OutCell::Int(p.repeats)])
                .collect(),
            total_row: false,
        },
        SheetTable {
            title: title(&format!("高发问题（与 {} 起的上一期比较）", st.previous_from)),
            sheet_name: SHEETS[10].into(),
            columns: vec![
                col("类别", ColumnKind::Text), col("部位", ColumnKind::Text), col("本期", ColumnKind::Int), col("上期", ColumnKind::Int),
                col("预警", ColumnKind::Text),
            ],
            rows: st
                .recurring
                .iter()
                .map(|r| {
                    vec![
                        OutCell::Text(r.category_label.clone()), OutCell::Text(r.part.clone()), OutCell::Int(r.count), OutCell::Int(r.previous),
                        OutCell::Text(if r.rising { "上升".into() } else { String::new() }),
                    ]
                })
                .collect(),
            total_row: false,
        },
    ]
}

/// `YYYY-MM-DD` → date, with a Chinese error naming the field.
pub fn parse_date(raw: &str, field: &str, label: &str) -> DeskResult<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| DeskError::invalid(field, format!("{label}「{}」不是有效日期，应为 YYYY-MM-DD", raw.trim())))
}

