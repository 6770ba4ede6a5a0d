//! 保修中心工作日报 F03 (§5.1.6): the day's report, its export (PDF / Excel / e-mail draft) and
//! the fixed recipient list the director keeps.

use crate::state::AppState;
use desk_service::desk_duties::DailyReportSent;
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

/// §5.1.6: records that the report of `date` was mailed (who: the signed-in clerk; to whom: the
/// recipients set now).
pub fn mark_daily_report_sent(state: &AppState, date: String, note: String) -> DeskResult<DailyReportSent> {
    let day = parse_date(&date)?;
    state.signed_in(|d, s| d.mark_daily_report_sent(s, day, &note))
}

/// The send record of the report of `date`, if it was marked sent.
pub fn daily_report_sent(state: &AppState, date: String) -> DeskResult<Option<DailyReportSent>> {
    let day = parse_date(&date)?;
    state.desk(|d| d.daily_report_sent(day))
}
