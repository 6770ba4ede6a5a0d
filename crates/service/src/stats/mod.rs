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
//!
//! The files: [`period`] computes a period's figures (the `Desk::statistics` use case),
//! [`workbook`] lays them out as the export. On-time judging is pure and lives in
//! `desk_domain::clock::on_time`.

mod days;
mod period;
mod workbook;

pub use workbook::{statistics_tables, SHEETS};

use crate::error::{DeskError, DeskResult};
use chrono::{DateTime, NaiveDate, Utc};
use desk_domain::clock::rules::DutyKind;
use desk_domain::records::ContractorKind;
use desk_domain::ticket::Category;
use serde::Serialize;

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

/// How often one deadline of the procedure was kept: a ticket's duty, for the tickets of the
/// period; a desk duty (F03, A3, B4), for the days, batches and quarters of the period.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OnTimeRate {
    /// The stable code: a `DutyKind` or a `DeskDutyKind` code.
    pub key: String,
    /// The ticket duty; `None` for a desk duty.
    pub duty: Option<DutyKind>,
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

/// One duty's figures for one person.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct StaffDutyRate {
    pub duty: DutyKind,
    pub label: String,
    pub on_time: i64,
    pub late: i64,
    pub pending: i64,
    /// on_time / (on_time + late).
    pub percent: Option<f64>,
}

/// 人员考核 (§4.1.3 "负责保修中心人员的配置、考核工作"): one steward's or clerk's on-time figures
/// over the period's tickets. A steward answers for the tickets where they are `steward_id`
/// (`desk_domain::clock::on_time::STEWARD_DUTIES`); a clerk for the tickets they took
/// (`receptionist_id`, `CLERK_DUTIES`). A person who is both appears once per role.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct StaffOnTime {
    pub staff_id: i64,
    pub name: String,
    /// `保修管家` or `前台接待`.
    pub role_label: String,
    /// Tickets of the period they answer for in this role.
    pub tickets: i64,
    /// Their role's duties, in procedure order.
    pub duties: Vec<StaffDutyRate>,
    /// Over all their duties.
    pub on_time: i64,
    pub late: i64,
    pub pending: i64,
    pub percent: Option<f64>,
    pub below_target: bool,
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
    /// The ticket duties of `desk_domain::clock::on_time::MEASURED` in procedure order, then the
    /// desk duties (daily report, ledger, reconciliation).
    pub on_time: Vec<OnTimeRate>,
    /// Every contractor with a dispatch notice for the period's tickets, most dispatches first.
    pub scorecard: Vec<ContractorScore>,
    /// Per steward, then per clerk, by name (§4.1.3).
    pub by_staff: Vec<StaffOnTime>,
    /// What developer-paid repairs cost, per project and month of the period (the cost lines'
    /// dates, not the report dates).
    pub developer_costs: Vec<desk_domain::developer_cost::DeveloperCostMonth>,
}

/// `YYYY-MM-DD` → date, with a Chinese error naming the field.
pub fn parse_date(raw: &str, field: &str, label: &str) -> DeskResult<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| DeskError::invalid(field, format!("{label}「{}」不是有效日期，应为 YYYY-MM-DD", raw.trim())))
}
