//! Owner roster import (preview, then commit) and list exports.

use crate::state::AppState;
use desk_service::export::ExportResult;
use desk_service::roster::RosterPreview;
use desk_service::tickets::TicketFilter;
use desk_service::DeskResult;
use std::path::PathBuf;

pub fn preview_roster(state: &AppState, job: String, path: PathBuf, map: Option<String>) -> DeskResult<RosterPreview> {
    // `map`: the 字段对应 (`表头=2,C=room`), `None` for the one remembered for this header shape.
    state.desk(|d| state.job(&job, |p| d.preview_roster_mapped_with(&path, map.as_deref(), p)))
}

pub fn commit_roster(state: &AppState, job: String, path: PathBuf, map: Option<String>) -> DeskResult<RosterPreview> {
    state.signed_in(|d, s| state.job(&job, |p| d.commit_roster_mapped_with(s, &path, map.as_deref(), p)))
}

pub fn export_tickets(state: &AppState, filter: TicketFilter, path: PathBuf, full_phone: bool) -> DeskResult<ExportResult> {
    state.signed_in(|d, s| d.export_tickets(s, &filter, &path, full_phone))
}
