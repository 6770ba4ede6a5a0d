//! Master data: project, batches, units and owners, contractors, staff.

use crate::state::AppState;
use desk_domain::records::{Batch, Contractor, Project, StaffMember, UnitRecord};
use desk_service::master::{BatchInput, ContractorInput, ProjectInput, StaffInput, UnitInput};
use desk_service::DeskResult;
use tauri::State;

#[tauri::command]
pub fn projects(state: State<AppState>) -> DeskResult<Vec<Project>> {
    state.desk(|d| d.projects())
}

#[tauri::command]
pub fn active_project(state: State<AppState>) -> DeskResult<Project> {
    state.desk(|d| d.active_project())
}

#[tauri::command]
pub fn choose_project(state: State<AppState>, project_id: i64) -> DeskResult<()> {
    state.signed_in(|d, s| d.choose_project(s, project_id))
}

#[tauri::command]
pub fn save_project(state: State<AppState>, input: ProjectInput) -> DeskResult<i64> {
    state.signed_in(|d, s| d.save_project(s, input))
}

#[tauri::command]
pub fn batches(state: State<AppState>, project_id: i64) -> DeskResult<Vec<Batch>> {
    state.desk(|d| d.batches(project_id))
}

#[tauri::command]
pub fn save_batch(state: State<AppState>, input: BatchInput) -> DeskResult<i64> {
    state.signed_in(|d, s| d.save_batch(s, input))
}

#[tauri::command]
pub fn buildings(state: State<AppState>, project_id: i64) -> DeskResult<Vec<String>> {
    state.desk(|d| d.buildings(project_id))
}

#[tauri::command]
pub fn units(state: State<AppState>, project_id: i64, building: Option<String>, after_id: Option<i64>) -> DeskResult<Vec<UnitRecord>> {
    state.desk(|d| d.units(project_id, building, after_id))
}

#[tauri::command]
pub fn save_unit(state: State<AppState>, input: UnitInput) -> DeskResult<i64> {
    state.signed_in(|d, s| d.save_unit(s, input))
}

#[tauri::command]
pub fn contractors(state: State<AppState>) -> DeskResult<Vec<Contractor>> {
    state.desk(|d| d.contractors())
}

#[tauri::command]
pub fn save_contractor(state: State<AppState>, input: ContractorInput) -> DeskResult<i64> {
    state.signed_in(|d, s| d.save_contractor(s, input))
}

#[tauri::command]
pub fn staff_list(state: State<AppState>) -> DeskResult<Vec<StaffMember>> {
    state.desk(|d| d.staff())
}

#[tauri::command]
pub fn save_staff(state: State<AppState>, input: StaffInput) -> DeskResult<i64> {
    state.signed_in(|d, s| d.save_staff(s, input))
}
