//! Start-up status and signing in and out.

use crate::state::AppState;
use desk_domain::records::StaffMember;
use desk_service::{DeskError, DeskResult, Session};
use serde::Serialize;

/// What the window needs to know before it shows anything.
#[derive(Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AppStatus {
    pub version: String,
    pub data_dir: String,
    /// Why the database could not be opened (not a database, read-only folder…), if so.
    pub open_error: Option<DeskError>,
    pub session: Option<Session>,
    pub demo: bool,
    /// When the window starts its page afresh to give back the web engine's memory.
    pub window_renew: crate::web_engine::WindowRenew,
}

pub fn app_status(state: &AppState) -> DeskResult<AppStatus> {
    Ok(AppStatus {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.data_dir.display().to_string(),
        open_error: state.open_error(),
        session: state.session()?,
        demo: state.desk(|d| d.is_demo()).unwrap_or(false),
        window_renew: crate::web_engine::WindowRenew::from_env(),
    })
}

pub fn sign_in_choices(state: &AppState) -> DeskResult<Vec<StaffMember>> {
    state.desk(|d| d.sign_in_choices())
}

pub fn sign_in(state: &AppState, staff_id: i64, pin: String) -> DeskResult<Session> {
    let s = state.desk(|d| d.sign_in(staff_id, &pin))?;
    state.set_session(Some(s.clone()))?;
    Ok(s)
}

pub fn sign_out(state: &AppState) -> DeskResult<()> {
    state.set_session(None)
}

/// First start: creates the director's account and signs in as it.
pub fn create_first_director(state: &AppState, name: String, pin: String) -> DeskResult<Session> {
    let s = state.desk(|d| d.create_first_director(&name, &pin))?;
    state.set_session(Some(s.clone()))?;
    Ok(s)
}
