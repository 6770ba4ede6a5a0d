//! 保修中心工作日报 F03 (§5.1.6): what happened on one local day (UTC+8) — tickets reported,
//! repairs accepted, owners told of completion (reached or not), return visits with their
//! satisfaction, out-of-scope matters raised (§5.1.5.3, sorted into classes), escalations the
//! GM has not acknowledged — and the progress of every ticket still in hand, with its duties
//! and what is late. Sent by e-mail to a fixed list of recipients (§5.1.6.2).
//!
//! Phones are masked everywhere in the report (it leaves the desk: PIPL), including mobile
//! numbers typed into free text. The report is exported as PDF, Excel or an e-mail draft
//! (`.eml` with both files attached, opened by Outlook as a new message); each export is also
//! kept under `reports/` in the data folder.
//!
//! The files: [`day`] gathers the day (the `Desk::daily_report` use case), [`document`] lays
//! it out for the PDF and the workbook, [`export`] writes the files and the mail draft,
//! [`recipients`] keeps the fixed list. The text rules are pure and live in
//! `desk_domain::report_text`.

mod day;
mod document;
mod export;
mod recipients;

use crate::error::{DeskError, DeskResult};
use chrono::{DateTime, NaiveDate, Utc};
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::repair::Satisfaction;
use desk_domain::ticket::TicketStatus;
use serde::{Deserialize, Serialize};

pub use desk_domain::report_text::{classify_out_of_scope, is_email, mask_phones_in_text};

/// The setting that holds the recipients (JSON of [`ReportRecipients`]).
pub const RECIPIENTS_KEY: &str = crate::settings::REPORT_RECIPIENTS;
/// Most addresses in each of To and Cc.
const MAX_RECIPIENTS: usize = 100;

/// Who the daily report is mailed to (§5.1.6.2): 保修中心全体、项目部全体… in To; the project GM
/// and department heads in Cc.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReportRecipients {
    pub to: Vec<String>,
    pub cc: Vec<String>,
}

/// The day's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DailyFigures {
    pub new_reports: i64,
    pub completions: i64,
    pub notices: i64,
    pub notices_reached: i64,
    pub notices_unreached: i64,
    pub return_visits: i64,
    pub visits_satisfied: i64,
    pub visits_basic: i64,
    pub visits_dissatisfied: i64,
    pub visits_unreached: i64,
    pub out_of_scope: i64,
    /// Escalations not acknowledged by the end of the day.
    pub escalations_open: i64,
    /// Escalations raised that day.
    pub escalations_raised: i64,
    pub open_tickets: i64,
    pub overdue_tickets: i64,
    pub on_hold: i64,
}

/// 一、报修情况: a ticket reported that day.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct NewReportRow {
    pub no: String,
    pub reported_at: DateTime<Utc>,
    pub unit: String,
    pub owner: String,
    /// Masked.
    pub phone: String,
    pub channel: String,
    pub category: String,
    pub part: String,
    pub description: String,
    pub classification: String,
    pub status: TicketStatus,
    pub steward: String,
    pub receptionist: String,
}

/// 二、完成情况: a repair accepted that day.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CompletionRow {
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub part: String,
    pub description: String,
    pub dispatch_no: String,
    pub contractor: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub accepted_at: DateTime<Utc>,
    /// How it was accepted (owner's signature, paper, director + CS assistant).
    pub acceptance: String,
    pub opinion: String,
    pub steward: String,
}

/// 三、通知业主: a completion notice that day (§5.1.4), reached or not.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct NoticeRow {
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub at: DateTime<Utc>,
    /// The n-th notice of the ticket.
    pub attempt: i64,
    pub reached: bool,
    pub note: String,
    /// A changed phone number reported by the notice, masked.
    pub new_phone: String,
    pub by: String,
}

/// 四、回访情况: a return visit that day (§5.1.5).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct VisitRow {
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub at: DateTime<Utc>,
    pub attempt: i64,
    pub reached: bool,
    pub satisfaction: Option<Satisfaction>,
    pub comments: String,
    pub out_of_scope: String,
    pub by: String,
}

/// 五、非保修范围事项 (§5.1.5.3): a matter outside the warranty an owner raised, classified.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OutOfScopeRow {
    pub class: String,
    pub matter: String,
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// 六、上报项目总经理事项 (§5.2.2).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ReportEscalation {
    pub kind: EscalationKind,
    pub kind_label: String,
    pub section: String,
    pub ticket_no: Option<String>,
    pub unit: Option<String>,
    pub detail: String,
    pub raised_at: DateTime<Utc>,
    /// 系统发现 when the desk detected it.
    pub raised_by: String,
    pub raised_that_day: bool,
    /// Not acknowledged by the end of the day.
    pub open: bool,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<String>,
    pub ack_note: String,
}

/// 七、在办报修单进展: every ticket still in hand, with its duties.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ProgressRow {
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub part: String,
    pub description: String,
    pub status: TicketStatus,
    pub steward: String,
    pub reported_at: DateTime<Utc>,
    /// Whole days since the report.
    pub days_open: i64,
    pub contractor: String,
    /// The latest step recorded, e.g. `03-05 14:05 维修人员到场`.
    pub latest: String,
    /// The duties outstanding, e.g. `联系业主：超时 2 小时 5 分（§5.1.1）`.
    pub duties: Vec<String>,
    pub late_by_minutes: i64,
    /// The reason of the running hold, when the clocks are paused.
    pub on_hold: Option<String>,
}

/// The daily report F03 of one local day.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DailyReport {
    pub date: NaiveDate,
    pub project: String,
    /// When the report was made; the progress section is the state at this moment.
    pub generated_at: DateTime<Utc>,
    pub figures: DailyFigures,
    pub new_reports: Vec<NewReportRow>,
    pub completions: Vec<CompletionRow>,
    pub notices: Vec<NoticeRow>,
    pub return_visits: Vec<VisitRow>,
    pub out_of_scope: Vec<OutOfScopeRow>,
    pub escalations: Vec<ReportEscalation>,
    /// The day's new major matters (§5.1.4.3) and complaints above the center (§5.2.1), listed
    /// with the reports to the GM (section 六).
    pub matters: Vec<ReportMatter>,
    pub progress: Vec<ProgressRow>,
    pub recipients: ReportRecipients,
}

/// A major matter marked, a complaint above the center recorded, or a compensation case (§6.3)
/// opened or concluded on the report's day.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ReportMatter {
    /// 重大事项, the complaint's level, or 赔偿协商.
    pub kind_label: String,
    pub section: String,
    pub ticket_no: String,
    /// The ticket's unit, or the complaint's units.
    pub units: String,
    pub detail: String,
    pub reported_at: DateTime<Utc>,
    pub reported_by: String,
    /// To whom it was reported, and the opinion / supervisor / result as of the report.
    pub state: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ReportExport {
    /// The file asked for.
    pub path: String,
    /// The copy kept under `reports/` in the data folder.
    pub saved: String,
    /// `pdf`, `xlsx` or `eml`.
    pub format: String,
    pub bytes: u32,
    /// Addresses in To and Cc (an .eml draft only).
    pub recipients: u32,
}

/// A report date as the window sends it (`YYYY-MM-DD`).
pub fn parse_date(s: &str) -> DeskResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| DeskError::invalid("date", format!("日期「{s}」无法识别，请写成 2026-03-05")))
}
