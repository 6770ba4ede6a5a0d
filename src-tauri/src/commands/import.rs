//! Owner roster import (preview, then commit) and list exports.

use crate::state::AppState;
use desk_service::export::ExportResult;
use desk_service::roster::RosterPreview;
use desk_service::tickets::TicketFilter;
use desk_service::DeskResult;
use std::path::PathBuf;
use tauri::State;

#[tauri::command]
pub async fn preview_roster(state: State<'_, AppState>, path: PathBuf) -> DeskResult<RosterPreview> {
    state.desk(|d| d.preview_roster(&path))
}

#[tauri::command]
pub async fn commit_roster(state: State<'_, AppState>, path: PathBuf) -> DeskResult<RosterPreview> {
    state.signed_in(|d, s| d.commit_roster(s, &path))
}

#[tauri::command]
pub async fn export_tickets(state: State<'_, AppState>, filter: TicketFilter, path: PathBuf, full_phone: bool) -> DeskResult<ExportResult> {
    state.signed_in(|d, s| d.export_tickets(s, &filter, &path, full_phone))
}
