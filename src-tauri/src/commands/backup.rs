//! 数据备份与恢复: back up now, the list of backups, where they go, restore with a preview; and
//! when the database cannot be opened at all, putting the latest good backup in its place.

use crate::state::AppState;
use desk_service::backup::{self, BackupFile, BackupSettings, RestorePreview};
use desk_service::{DeskError, DeskResult};
use std::path::PathBuf;
use tauri::State;

#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> DeskResult<BackupFile> {
    state.signed_in(|d, s| d.backup_by(Some(s), None))
}

#[tauri::command]
pub async fn backups(state: State<'_, AppState>) -> DeskResult<Vec<BackupFile>> {
    state.signed_in(|d, _| d.backups())
}

#[tauri::command]
pub async fn backup_settings(state: State<'_, AppState>) -> DeskResult<BackupSettings> {
    state.signed_in(|d, _| d.backup_settings())
}

/// Settings whose stored value cannot be read (each settings page shows its own).
#[tauri::command]
pub async fn damaged_settings(state: State<'_, AppState>) -> DeskResult<Vec<desk_service::settings::DamagedSetting>> {
    state.signed_in(|d, _| d.damaged_settings())
}

#[tauri::command]
pub async fn set_backup_settings(state: State<'_, AppState>, dir: String, interval_hours: u32) -> DeskResult<BackupSettings> {
    state.signed_in(|d, s| d.set_backup_settings(s, &dir, interval_hours))
}

#[tauri::command]
pub async fn restore_preview(state: State<'_, AppState>, file: PathBuf) -> DeskResult<RestorePreview> {
    state.signed_in(|d, _| d.restore_preview(&file))
}

#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, file: PathBuf) -> DeskResult<RestorePreview> {
    state.signed_in(|d, s| d.restore(Some(s), &file))
}

/// The newest sound backup in the default backups folder, for the "cannot open" screen.
#[tauri::command]
pub async fn latest_good_backup(state: State<'_, AppState>) -> DeskResult<Option<BackupFile>> {
    Ok(backup::latest_good_backup(&state.data_dir.join("backups")))
}

/// Only when the database could not be opened: the damaged file is put aside (renamed) and the
/// backup copied in its place; then the desk opens again.
#[tauri::command]
pub async fn restore_damaged(state: State<'_, AppState>, file: PathBuf) -> DeskResult<String> {
    if state.open_error().is_none() {
        return Err(DeskError::denied("数据库可以正常打开；请在「数据备份」页面从备份恢复"));
    }
    let aside = backup::replace_damaged_database(&state.data_dir, &file, backup::wall_clock())?;
    state.reopen()?;
    Ok(aside.display().to_string())
}
