//! 今日待办, holds and escalations to the project GM.

use crate::state::AppState;
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::clock::rules::Duty;
use desk_domain::records::TicketDetail;
use desk_service::clocks::{EscalationView, TodayCounters, TodayList};
use desk_service::DeskResult;
use tauri::State;

#[tauri::command]
pub fn today(state: State<AppState>) -> DeskResult<TodayList> {
    state.desk(|d| d.today())
}

#[tauri::command]
pub fn today_counters(state: State<AppState>) -> DeskResult<TodayCounters> {
    state.desk(|d| d.today_counters())
}

#[tauri::command]
pub fn ticket_duties(state: State<AppState>, no: String) -> DeskResult<(Vec<Duty>, Option<String>)> {
    state.desk(|d| d.ticket_duties(&no))
}

#[tauri::command]
pub fn hold_ticket(state: State<AppState>, no: String, reason: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.hold_ticket(s, &no, &reason))
}

#[tauri::command]
pub fn release_hold(state: State<AppState>, no: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.release_hold(s, &no))
}

#[tauri::command]
pub fn escalations(state: State<AppState>, no: Option<String>) -> DeskResult<Vec<EscalationView>> {
    state.desk(|d| d.escalations(no.as_deref()))
}

#[tauri::command]
pub fn raise_escalation(state: State<AppState>, no: String, kind: EscalationKind, detail: String) -> DeskResult<EscalationView> {
    state.signed_in(|d, s| d.raise_escalation(s, &no, kind, &detail))
}

#[tauri::command]
pub fn acknowledge_escalation(state: State<AppState>, id: i64, note: String) -> DeskResult<EscalationView> {
    state.signed_in(|d, s| d.acknowledge_escalation(s, id, &note))
}

#[tauri::command]
pub fn coverage_at_intake(
    state: State<AppState>,
    unit: String,
    category: desk_domain::ticket::Category,
    part: String,
    description: String,
    at: Option<String>,
) -> DeskResult<desk_service::coverage::CoverageView> {
    state.desk(|d| d.coverage_at_intake(&unit, category, &part, &description, at.as_deref()))
}

#[tauri::command]
pub fn coverage_of_ticket(state: State<AppState>, no: String) -> DeskResult<desk_service::coverage::CoverageView> {
    state.desk(|d| d.coverage_of_ticket(&no))
}

#[tauri::command]
pub fn work_calendar(state: State<AppState>) -> DeskResult<desk_domain::clock::calendar::WorkCalendar> {
    state.desk(|d| d.work_calendar())
}

#[tauri::command]
pub fn set_work_calendar(state: State<AppState>, calendar: desk_domain::clock::calendar::WorkCalendar) -> DeskResult<desk_domain::clock::calendar::WorkCalendar> {
    state.signed_in(|d, s| d.set_work_calendar(s, &calendar))
}

#[tauri::command]
pub fn preview_holiday_notice(state: State<AppState>, text: String, year: i32) -> DeskResult<desk_domain::clock::holiday_notice::HolidayNotice> {
    state.desk(|d| d.preview_holiday_notice(&text, year))
}

#[tauri::command]
pub fn import_holiday_notice(state: State<AppState>, text: String, year: i32) -> DeskResult<desk_domain::clock::calendar::WorkCalendar> {
    state.signed_in(|d, s| d.import_holiday_notice(s, &text, year))
}

#[tauri::command]
pub fn calendar_warning(state: State<AppState>) -> DeskResult<Option<String>> {
    state.desk(|d| d.calendar_warning())
}

#[tauri::command]
pub fn deadline_settings(state: State<AppState>, project_id: i64) -> DeskResult<desk_domain::clock::rules::DeadlineSettings> {
    state.desk(|d| d.deadline_settings(project_id))
}

#[tauri::command]
pub fn set_deadline_settings(state: State<AppState>, project_id: i64, settings: desk_domain::clock::rules::DeadlineSettings) -> DeskResult<desk_domain::clock::rules::DeadlineSettings> {
    state.signed_in(|d, s| d.set_deadline_settings(s, project_id, &settings))
}

#[tauri::command]
pub fn coverage_settings(state: State<AppState>, project_id: i64) -> DeskResult<desk_domain::coverage::CoverageSettings> {
    state.desk(|d| d.coverage_settings(project_id))
}

#[tauri::command]
pub fn set_coverage_settings(state: State<AppState>, project_id: i64, settings: desk_domain::coverage::CoverageSettings) -> DeskResult<desk_domain::coverage::CoverageSettings> {
    state.signed_in(|d, s| d.set_coverage_settings(s, project_id, &settings))
}

#[tauri::command]
pub fn liabilities(state: State<AppState>, project_id: i64) -> DeskResult<Vec<desk_service::coverage::LiabilityRow>> {
    state.desk(|d| d.liabilities(project_id))
}

#[tauri::command]
pub fn add_liability(state: State<AppState>, batch_id: i64, part_class: Option<desk_domain::coverage::PartClass>, ledger_id: i64) -> DeskResult<i64> {
    state.signed_in(|d, s| d.add_liability(s, batch_id, part_class, ledger_id))
}

#[tauri::command]
pub fn remove_liability(state: State<AppState>, id: i64) -> DeskResult<()> {
    state.signed_in(|d, s| d.remove_liability(s, id))
}
