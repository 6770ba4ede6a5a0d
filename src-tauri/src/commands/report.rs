//! 保修中心工作日报 F03 (§5.1.6): the day's report, its export (PDF / Excel / e-mail draft) and
//! the fixed recipient list the director keeps.

use crate::state::AppState;
use desk_service::report::{parse_date, DailyReport, ReportExport, ReportRecipients};
use desk_service::DeskResult;

pub fn daily_report(state: &AppState, date: String) -> DeskResult<DailyReport> {
    let day = parse_date(&date)?;
    state.desk(|d| d.daily_report(day))
}

/// Writes the report to `path`; the format follows the extension (.pdf, .xlsx, .eml).
pub fn export_daily_report(state: &AppState, job: String, date: String, path: String) -> DeskResult<ReportExport> {
    let day = parse_date(&date)?;
    state.signed_in(|d, s| state.job(&job, |p| d.export_daily_report_with(Some(s), day, std::path::Path::new(&path), p)))
}

pub fn report_recipients(state: &AppState) -> DeskResult<ReportRecipients> {
    state.desk(|d| d.report_recipients())
}

pub fn set_report_recipients(state: &AppState, to: Vec<String>, cc: Vec<String>) -> DeskResult<ReportRecipients> {
    state.signed_in(|d, s| d.set_report_recipients(s, to, cc))
}
