//! The audit log screen (director only) and an owner's personal-data export (PIPL).

use crate::state::AppState;
use desk_service::audit_view::{AuditAction, AuditFilter, AuditPage};
use desk_service::owner_export::OwnerExport;
use desk_service::DeskResult;
use std::path::PathBuf;

pub fn audit_log(state: &AppState, filter: AuditFilter) -> DeskResult<AuditPage> {
    state.signed_in(|d, s| d.audit_log(s, &filter))
}

pub fn audit_actions(state: &AppState) -> DeskResult<Vec<AuditAction>> {
    state.signed_in(|d, s| d.audit_actions(s))
}

pub fn export_owner_data(state: &AppState, owner_id: i64, reason: String, path: String) -> DeskResult<OwnerExport> {
    state.signed_in(|d, s| d.export_owner_data(s, owner_id, &reason, &PathBuf::from(path)))
}
