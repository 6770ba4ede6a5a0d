//! 保修金明细账 (A3) and 季度对账 (B4): the ledgers with their entries, the department's workbook
//! imported with a preview, entries by hand and reversals, the quarter's export for finance,
//! and the reconciliation wizard. Quarters cross as `2026Q3`, dates as `YYYY-MM-DD`.

use crate::state::AppState;
use desk_domain::fund::reconcile::{BuilderAlias, ReconciliationRun};
use desk_domain::fund::release::{DepositRelease, ReleaseDecision};
use desk_domain::fund::{LedgerEntryRecord, LedgerSummary, Quarter};
use desk_service::export::ExportResult;
use desk_service::fund::ledger::{FundDeadlines, LedgerEntryInput, LedgerImportPreview};
use desk_service::fund::reconcile::{ReconcileExport, ReconcilePreview};
use desk_service::fund::release::ReleaseInspection;
use desk_service::report::parse_date;
use desk_service::{DeskError, DeskResult};
use std::path::PathBuf;

fn quarter(q: &str) -> DeskResult<Quarter> {
    q.parse().map_err(|m: String| DeskError::invalid("quarter", m))
}

pub fn ledgers(state: &AppState) -> DeskResult<Vec<LedgerSummary>> {
    state.signed_in(|d, _| d.ledgers())
}

pub fn ledger_entries(state: &AppState, ledger_id: i64) -> DeskResult<Vec<LedgerEntryRecord>> {
    state.signed_in(|d, _| d.ledger_entries(ledger_id))
}

pub fn preview_ledger_import(state: &AppState, job: String, path: PathBuf, map: Option<String>) -> DeskResult<LedgerImportPreview> {
    state.signed_in(|d, _| state.job(&job, |p| d.preview_ledger_import_with(None, &path, map.as_deref(), p)))
}

pub fn import_ledger(state: &AppState, job: String, path: PathBuf, valid_rows_only: bool, map: Option<String>) -> DeskResult<LedgerImportPreview> {
    state.signed_in(|d, s| state.job(&job, |p| d.import_ledger_with(s, None, &path, valid_rows_only, map.as_deref(), p)))
}

pub fn confirm_ledger_builder(state: &AppState, spelling: String, contractor_id: i64) -> DeskResult<()> {
    state.signed_in(|d, s| d.confirm_ledger_builder(s, &spelling, contractor_id))
}

pub fn add_ledger_entry(state: &AppState, input: LedgerEntryInput) -> DeskResult<LedgerEntryRecord> {
    state.signed_in(|d, s| d.add_ledger_entry(s, input))
}

pub fn reverse_entry(state: &AppState, entry_id: i64, reason: String) -> DeskResult<LedgerEntryRecord> {
    state.signed_in(|d, s| d.reverse_entry(s, entry_id, &reason))
}

pub fn fund_deadlines(state: &AppState) -> DeskResult<FundDeadlines> {
    state.signed_in(|d, _| {
        let today = desk_domain::time::local_date(d.now());
        d.fund_deadlines(today, None)
    })
}

pub fn export_ledger_quarter(state: &AppState, job: String, quarter_text: String, path: PathBuf) -> DeskResult<ExportResult> {
    let q = quarter(&quarter_text)?;
    state.signed_in(|d, s| state.job(&job, |p| d.export_ledger_quarter_with(s, q, &path, p)))
}

pub fn reconcile_preview(state: &AppState, job: String, path: PathBuf, quarter_text: String, map: Option<String>) -> DeskResult<ReconcilePreview> {
    let q = quarter(&quarter_text)?;
    // `map`: the 字段对应 (`表头=2,H=credit`), `None` for the one remembered for this header shape.
    state.signed_in(|d, _| state.job(&job, |p| d.reconcile_preview_mapped_with(&path, q, map.as_deref(), p)))
}

pub fn confirm_builder_alias(state: &AppState, spelling: String, contractor_id: i64) -> DeskResult<BuilderAlias> {
    state.signed_in(|d, s| d.confirm_builder_alias(s, &spelling, contractor_id))
}

pub fn save_reconciliation(state: &AppState, path: PathBuf, quarter_text: String) -> DeskResult<i64> {
    let q = quarter(&quarter_text)?;
    state.signed_in(|d, s| d.save_reconciliation(s, &path, q))
}

pub fn reconciliations(state: &AppState) -> DeskResult<Vec<ReconciliationRun>> {
    state.signed_in(|d, _| d.reconciliations())
}

pub fn export_reconciliation(state: &AppState, path: PathBuf, quarter_text: String, xlsx: PathBuf) -> DeskResult<ReconcileExport> {
    let q = quarter(&quarter_text)?;
    state.signed_in(|d, _| d.export_reconciliation_to(q, &path, &xlsx))
}

// ---- 保修金退还 (REGULATION.md §3) -------------------------------------------------------------

pub fn deposit_releases(state: &AppState, ledger_id: i64) -> DeskResult<Vec<DepositRelease>> {
    state.desk(|d| d.deposit_releases(ledger_id))
}

pub fn release_inspection(state: &AppState, ledger_id: i64) -> DeskResult<ReleaseInspection> {
    state.desk(|d| d.release_inspection(ledger_id))
}

pub fn apply_deposit_release(state: &AppState, ledger_id: i64, applied_on: String, applicant: String) -> DeskResult<DepositRelease> {
    let on = parse_date(&applied_on)?;
    state.signed_in(|d, s| d.apply_deposit_release(s, ledger_id, on, &applicant))
}

pub fn inspect_deposit_release(state: &AppState, release_id: i64, note: String) -> DeskResult<DepositRelease> {
    state.signed_in(|d, s| d.inspect_deposit_release(s, release_id, &note))
}

pub fn decide_deposit_release(state: &AppState, release_id: i64, decision: ReleaseDecision, reason: String) -> DeskResult<DepositRelease> {
    state.signed_in(|d, s| d.decide_deposit_release(s, release_id, decision, &reason))
}

pub fn pay_deposit_release(state: &AppState, release_id: i64, paid_on: String, voucher_no: String) -> DeskResult<DepositRelease> {
    let on = parse_date(&paid_on)?;
    state.signed_in(|d, s| d.pay_deposit_release(s, release_id, on, &voucher_no))
}
