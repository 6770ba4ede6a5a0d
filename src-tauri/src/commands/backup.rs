//! 数据备份与恢复: back up now, the list of backups, where they go, restore with a preview; and
//! when the database cannot be opened at all, putting the latest good backup in its place.

use crate::state::AppState;
use desk_service::backup::{self, BackupFile, BackupSettings, RestorePreview};
use desk_service::{DeskError, DeskResult};
use std::path::PathBuf;

pub fn backup_now(state: &AppState, job: String) -> DeskResult<BackupFile> {
    state.signed_in(|d, s| state.job(&job, |p| d.backup_by_with(Some(s), None, p)))
}

pub fn backups(state: &AppState) -> DeskResult<Vec<BackupFile>> {
    state.signed_in(|d, _| d.backups())
}

pub fn backup_settings(state: &AppState) -> DeskResult<BackupSettings> {
    state.signed_in(|d, _| d.backup_settings())
}

/// Settings whose stored value cannot be read (each settings page shows its own).
pub fn damaged_settings(state: &AppState) -> DeskResult<Vec<desk_service::settings::DamagedSetting>> {
    state.signed_in(|d, _| d.damaged_settings())
}

pub fn set_backup_settings(state: &AppState, dir: String, interval_hours: u32) -> DeskResult<BackupSettings> {
    state.signed_in(|d, s| d.set_backup_settings(s, &dir, interval_hours))
}

pub fn restore_preview(state: &AppState, file: PathBuf) -> DeskResult<RestorePreview> {
    state.signed_in(|d, _| d.restore_preview(&file))
}

pub fn restore_backup(state: &AppState, job: String, file: PathBuf) -> DeskResult<RestorePreview> {
    state.signed_in(|d, s| state.job(&job, |p| d.restore_with(Some(s), &file, p)))
}

/// The newest sound backup in the default backups folder, for the "cannot open" screen.
pub fn latest_good_backup(state: &AppState) -> DeskResult<Option<BackupFile>> {
    Ok(backup::latest_good_backup(&state.data_dir.join("backups")))
}

/// Only when the database could not be opened: the damaged file is put aside (renamed) and the
/// backup copied in its place; then the desk opens again.
pub fn restore_damaged(state: &AppState, file: PathBuf) -> DeskResult<String> {
    if state.open_error().is_none() {
        return Err(DeskError::denied("数据库可以正常打开；请在「数据备份」页面从备份恢复"));
    }
    let aside = backup::replace_damaged_database(&state.data_dir, &file, backup::wall_clock())?;
    state.reopen()?;
    Ok(aside.display().to_string())
}
