//! 保修金明细账 (A3) and 季度对账 (B4): the ledgers with their entries, the department's workbook
//! imported with a preview, entries by hand and reversals, the quarter's export for finance,
//! and the reconciliation wizard. Quarters cross as `2026Q3`, dates as `YYYY-MM-DD`.

use crate::state::AppState;
use desk_domain::fund::reconcile::{BuilderAlias, ReconciliationRun};
use desk_domain::fund::{LedgerEntryRecord, LedgerSummary, Quarter};
use desk_service::export::ExportResult;
use desk_service::fund::ledger::{FundDeadlines, LedgerEntryInput, LedgerImportPreview};
use desk_service::fund::reconcile::{ReconcileExport, ReconcilePreview};
use desk_service::{DeskError, DeskResult};
use std::path::PathBuf;
use tauri::State;

fn quarter(q: &str) -> DeskResult<Quarter> {
    q.parse().map_err(|m: String| DeskError::invalid("quarter", m))
}

#[tauri::command]
pub async fn ledgers(state: State<'_, AppState>) -> DeskResult<Vec<LedgerSummary>> {
    state.signed_in(|d, _| d.ledgers())
}

#[tauri::command]
pub async fn ledger_entries(state: State<'_, AppState>, ledger_id: i64) -> DeskResult<Vec<LedgerEntryRecord>> {
    state.signed_in(|d, _| d.ledger_entries(ledger_id))
}

#[tauri::command]
pub async fn preview_ledger_import(state: State<'_, AppState>, path: PathBuf, map: Option<String>) -> DeskResult<LedgerImportPreview> {
    state.signed_in(|d, _| d.preview_ledger_import_mapped(None, &path, map.as_deref()))
}

#[tauri::command]
pub async fn import_ledger(state: State<'_, AppState>, path: PathBuf, valid_rows_only: bool, map: Option<String>) -> DeskResult<LedgerImportPreview> {
    state.signed_in(|d, s| d.import_ledger_mapped(s, None, &path, valid_rows_only, map.as_deref()))
}

#[tauri::command]
pub async fn confirm_ledger_builder(state: State<'_, AppState>, spelling: String, contractor_id: i64) -> DeskResult<()> {
    state.signed_in(|d, s| d.confirm_ledger_builder(s, &spelling, contractor_id))
}

#[tauri::command]
pub async fn add_ledger_entry(state: State<'_, AppState>, input: LedgerEntryInput) -> DeskResult<LedgerEntryRecord> {
    state.signed_in(|d, s| d.add_ledger_entry(s, input))
}

#[tauri::command]
pub async fn reverse_entry(state: State<'_, AppState>, entry_id: i64, reason: String) -> DeskResult<LedgerEntryRecord> {
    state.signed_in(|d, s| d.reverse_entry(s, entry_id, &reason))
}

#[tauri::command]
pub async fn fund_deadlines(state: State<'_, AppState>) -> DeskResult<FundDeadlines> {
    state.signed_in(|d, _| {
        let today = desk_domain::time::local_date(d.now());
        d.fund_deadlines(today, None)
    })
}

#[tauri::command]
pub async fn export_ledger_quarter(state: State<'_, AppState>, quarter_text: String, path: PathBuf) -> DeskResult<ExportResult> {
    let q = quarter(&quarter_text)?;
    state.signed_in(|d, s| d.export_ledger_quarter(s, q, &path))
}

#[tauri::command]
pub async fn reconcile_preview(state: State<'_, AppState>, path: PathBuf, quarter_text: String) -> DeskResult<ReconcilePreview> {
    let q = quarter(&quarter_text)?;
    state.signed_in(|d, _| d.reconcile_preview(&path, q))
}

#[tauri::command]
pub async fn confirm_builder_alias(state: State<'_, AppState>, spelling: String, contractor_id: i64) -> DeskResult<BuilderAlias> {
    state.signed_in(|d, s| d.confirm_builder_alias(s, &spelling, contractor_id))
}

#[tauri::command]
pub async fn save_reconciliation(state: State<'_, AppState>, path: PathBuf, quarter_text: String) -> DeskResult<i64> {
    let q = quarter(&quarter_text)?;
    state.signed_in(|d, s| d.save_reconciliation(s, &path, q))
}

#[tauri::command]
pub async fn reconciliations(state: State<'_, AppState>) -> DeskResult<Vec<ReconciliationRun>> {
    state.signed_in(|d, _| d.reconciliations())
}

#[tauri::command]
pub async fn export_reconciliation(state: State<'_, AppState>, path: PathBuf, quarter_text: String, xlsx: PathBuf) -> DeskResult<ReconcileExport> {
    let q = quarter(&quarter_text)?;
    state.signed_in(|d, _| d.export_reconciliation_to(q, &path, &xlsx))
}
