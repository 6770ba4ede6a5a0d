//! Master data: project, batches, units and owners, contractors, staff.

use crate::state::AppState;
use desk_domain::records::{Batch, Contractor, Project, StaffMember, UnitRecord};
use desk_service::master::{BatchInput, ContractorInput, ProjectInput, StaffInput, UnitInput};
use desk_service::DeskResult;

pub fn projects(state: &AppState) -> DeskResult<Vec<Project>> {
    state.desk(|d| d.projects())
}

pub fn active_project(state: &AppState) -> DeskResult<Project> {
    state.desk(|d| d.active_project())
}

pub fn choose_project(state: &AppState, project_id: i64) -> DeskResult<()> {
    state.signed_in(|d, s| d.choose_project(s, project_id))
}

pub fn save_project(state: &AppState, input: ProjectInput) -> DeskResult<i64> {
    state.signed_in(|d, s| d.save_project(s, input))
}

pub fn batches(state: &AppState, project_id: i64) -> DeskResult<Vec<Batch>> {
    state.desk(|d| d.batches(project_id))
}

pub fn save_batch(state: &AppState, input: BatchInput) -> DeskResult<i64> {
    state.signed_in(|d, s| d.save_batch(s, input))
}

pub fn buildings(state: &AppState, project_id: i64) -> DeskResult<Vec<String>> {
    state.desk(|d| d.buildings(project_id))
}

pub fn units(state: &AppState, project_id: i64, building: Option<String>, after_id: Option<i64>) -> DeskResult<Vec<UnitRecord>> {
    state.desk(|d| d.units(project_id, building, after_id))
}

pub fn save_unit(state: &AppState, input: UnitInput) -> DeskResult<i64> {
    state.signed_in(|d, s| d.save_unit(s, input))
}

pub fn contractors(state: &AppState) -> DeskResult<Vec<Contractor>> {
    state.desk(|d| d.contractors())
}

pub fn save_contractor(state: &AppState, input: ContractorInput) -> DeskResult<i64> {
    state.signed_in(|d, s| d.save_contractor(s, input))
}

pub fn staff_list(state: &AppState) -> DeskResult<Vec<StaffMember>> {
    state.desk(|d| d.staff())
}

pub fn save_staff(state: &AppState, input: StaffInput) -> DeskResult<i64> {
    state.signed_in(|d, s| d.save_staff(s, input))
}
