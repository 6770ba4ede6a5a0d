//! Intake, the ticket list and the ticket detail screen.

use crate::state::AppState;
use desk_domain::records::{TicketDetail, TicketSummary};
use desk_domain::ticket::{Classification, TicketStatus};
use desk_service::intake::{CallerLookup, ReportInput};
use desk_service::tickets::{ContactInput, TicketFilter, TicketPage, UI_COUNT_CAP};
use desk_service::DeskResult;

pub fn lookup_caller(state: &AppState, query: String) -> DeskResult<CallerLookup> {
    state.desk(|d| d.lookup_caller(&query))
}

pub fn open_tickets_at(state: &AppState, unit: String, part: String) -> DeskResult<Vec<TicketSummary>> {
    state.desk(|d| d.open_tickets_at(&unit, &part))
}

pub fn record_report(state: &AppState, input: ReportInput) -> DeskResult<Vec<TicketSummary>> {
    state.signed_in(|d, s| d.record_report(s, input))
}

pub fn list_tickets(state: &AppState, filter: TicketFilter) -> DeskResult<TicketPage> {
    state.desk(|d| d.list_tickets(&filter, UI_COUNT_CAP))
}

pub fn ticket_detail(state: &AppState, no: String) -> DeskResult<TicketDetail> {
    state.desk(|d| d.ticket(&no))
}

pub fn add_contact_attempt(state: &AppState, no: String, input: ContactInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.add_contact_attempt(s, &no, input))
}

pub fn classify_ticket(state: &AppState, no: String, classification: Classification) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.classify_ticket(s, &no, classification))
}

pub fn assign_steward(state: &AppState, no: String, steward_id: i64) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.assign_steward(s, &no, steward_id))
}

pub fn change_status(state: &AppState, no: String, to: TicketStatus, reason: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.change_status(s, &no, to, &reason))
}

pub fn add_photos(state: &AppState, no: String, kind: String, files: Vec<String>) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.add_photos(s, &no, &kind, &files))
}

/// A photo as a data URL, so the webview shows it without access to the file system.
pub fn photo_data_url(state: &AppState, file: String) -> DeskResult<String> {
    state.desk(|d| d.photo_data_url(&file))
}

pub fn progress_message(state: &AppState, no: String) -> DeskResult<String> {
    state.desk(|d| d.progress_message(&no))
}
