//! 保修中心工作日报 F03 (§5.1.6): the day's report, its export (PDF / Excel / e-mail draft) and
//! the fixed recipient list the director keeps.

use crate::state::AppState;
use desk_service::report::{parse_date, DailyReport, ReportExport, ReportRecipients};
use desk_service::DeskResult;
use tauri::State;

#[tauri::command]
pub async fn daily_report(state: State<'_, AppState>, date: String) -> DeskResult<DailyReport> {
    let day = parse_date(&date)?;
    state.desk(|d| d.daily_report(day))
}

/// Writes the report to `path`; the format follows the extension (.pdf, .xlsx, .eml).
#[tauri::command]
pub async fn export_daily_report(state: State<'_, AppState>, date: String, path: String) -> DeskResult<ReportExport> {
    let day = parse_date(&date)?;
    state.signed_in(|d, s| d.export_daily_report_by(Some(s), day, std::path::Path::new(&path)))
}

#[tauri::command]
pub fn report_recipients(state: State<AppState>) -> DeskResult<ReportRecipients> {
    state.desk(|d| d.report_recipients())
}

#[tauri::command]
pub fn set_report_recipients(state: State<AppState>, to: Vec<String>, cc: Vec<String>) -> DeskResult<ReportRecipients> {
    state.signed_in(|d, s| d.set_report_recipients(s, to, cc))
}
