//! Node A3: the project department's deposit ledger comes in as Excel and becomes the desk's
//! ledgers (one per builder contract) and their append-only entries; plus the ledger's own
//! use cases — balances per builder, entries by hand, reversals, and the fund's deadlines.
//!
//! The import follows the roster's pattern: [`Desk::preview_ledger_import`] reads and checks
//! everything and writes nothing; [`Desk::import_ledger`] runs the same plan and writes it in ONE
//! transaction — or nothing at all when any cell was rejected, unless the user explicitly chose
//! to import the valid rows only. The rows go to the desk's active project whatever the file's
//! title says (a title naming another project is shown as a note, not obeyed), because the
//! department's template is copied from project to project and its title is often stale.
//!
//! The files: [`import`] the A3 use cases (preview, import, mapping remembered per header
//! shape), [`plan`] deciding every row before anything is written and writing the plan,
//! [`book`] the ledger's own use cases (balances, hand entries, reversals, deadlines).

mod book;
mod import;
mod plan;
pub(crate) use plan::needs_mapping_of;

use crate::fund::workbook::{ColumnMatch, FieldOption, NoHeader};
use chrono::NaiveDate;
use desk_documents::excel_in::CellError;
use desk_domain::fund::EntryKind;
use serde::{Deserialize, Serialize};

/// `import_file.kind` of a ledger workbook.
pub const IMPORT_KIND: &str = "ledger";
/// How many rows the preview shows.
const SAMPLE_ROWS: usize = 200;
/// A 保修金金额 within one yuan of settled × rate is taken as agreed (people round to the yuan).
const DEPOSIT_TOLERANCE_FEN: i64 = 100;
/// Deposits whose period ends within this many days are listed ahead of time.
pub const DEFAULT_EXPIRY_WINDOW_DAYS: u32 = 60;

/// One builder's totals (the `wdesk ledger import/show` JSON contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BuilderBalance {
    pub name: String,
    pub credit_fen: i64,
    pub debit_fen: i64,
    pub balance_fen: i64,
}

/// A builder name of the file that looks like a known builder spelled differently. Offered,
/// never used on its own: confirm it with [`Desk::confirm_ledger_builder`] before importing,
/// otherwise the file's spelling is created as a new builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct NearMatch {
    /// As written in the file.
    pub name: String,
    /// The desk's builder it resembles.
    pub known: String,
    pub contractor_id: i64,
}

/// One movement as it will be written.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LedgerImportRow {
    pub sheet: String,
    pub row: u32,
    pub date: NaiveDate,
    pub builder: String,
    pub contract_no: String,
    pub voucher_no: String,
    pub summary: String,
    pub kind: EntryKind,
    pub credit_fen: i64,
    pub debit_fen: i64,
    pub ticket_no: String,
    /// The 报修单号 is one of the desk's tickets (the entry will point at it).
    pub ticket_linked: bool,
}

/// What an A3 import would do (preview) or did (commit).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LedgerImportPreview {
    pub file_name: String,
    /// The desk's project the rows go to.
    pub project: String,
    /// Title lines of the file (a merged title, a subtitle).
    pub titles: Vec<String>,
    /// Worth saying, not a problem: e.g. the title names another project.
    pub notes: Vec<String>,
    /// 汇总 rows (builder contracts) read.
    pub contracts: u32,
    /// 明细 rows that are (or would be) written.
    pub movements: u32,
    pub credit_fen: i64,
    pub debit_fen: i64,
    /// Per builder: the file's credit and debit, and the balance after the import (the desk's
    /// balance of the builder's ledgers in this project plus the file's movements).
    pub builders: Vec<BuilderBalance>,
    /// Builders the desk does not know: created (kind 施工单位) with the import.
    pub new_builders: Vec<String>,
    /// Spellings close to a known builder (see [`NearMatch`]).
    pub near_matches: Vec<NearMatch>,
    /// Ledgers (builder × contract) created by the import.
    pub new_ledgers: u32,
    /// Movements whose 报修单号 is one of the desk's tickets.
    pub linked_tickets: u32,
    /// Every rejected cell; when any, nothing is written unless valid rows only are chosen.
    pub errors: Vec<CellError>,
    /// Checks people do by hand (3 % cap, deposit = settled × rate, period end, 余额).
    pub warnings: Vec<CellError>,
    /// Rows left out because of an error (imported only with "valid rows only").
    pub skipped_rows: u32,
    pub sample: Vec<LedgerImportRow>,
    /// When the same file (by SHA-256) was imported before: a re-import is refused.
    pub already_imported_at: Option<String>,
    pub written: bool,
    /// The 明细 columns and what each was matched to, with sample values (字段对应).
    pub columns: Vec<ColumnMatch>,
    /// What a column can be matched to.
    pub fields: Vec<FieldOption>,
    /// A column the import needs (日期, 施工单位, an amount) was recognised only by the meaning
    /// of its header words: the wizard shows the mapping step before importing.
    pub needs_mapping: bool,
    /// The user's mapping in effect (`H=credit,I=debit`), given now or remembered for files with
    /// this header shape; empty when none.
    pub mapping: String,
    /// The mapping in effect was remembered from an earlier import of a file shaped the same.
    pub mapping_remembered: bool,
    /// The project the file's title or 汇总 names when it is not the one imported into: the
    /// wizard asks for an explicit confirmation. Empty when the file names no other project.
    pub other_project: String,
    /// No header was found by its words: what the desk looked for and the file's first rows, for
    /// the user to point at the header row (`表头=3` in the mapping) and map the columns. Nothing
    /// can be imported until then.
    pub no_header: Option<NoHeader>,
}

/// Entries count and per-builder balances of the active project (`wdesk ledger show`).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LedgerOverview {
    pub project: String,
    pub ledgers: u32,
    pub entries: i64,
    pub builders: Vec<BuilderBalance>,
}

/// A retention, refund, opening balance or adjustment booked by hand. Deductions come from
/// paid payment requests (D8) and reversals from [`Desk::reverse_entry`], never from here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LedgerEntryInput {
    pub ledger_id: i64,
    pub date: NaiveDate,
    pub kind: EntryKind,
    pub voucher_no: String,
    pub summary: String,
    pub credit_fen: i64,
    pub debit_fen: i64,
    #[serde(default)]
    pub handler: String,
    #[serde(default)]
    pub note: String,
    /// The user saw that this debit takes the balance below zero and books it anyway.
    #[serde(default)]
    pub acknowledge_overdraw: bool,
}

/// Fund flow 4.1: the ledger is due within one month of a batch's delivery.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct A3Deadline {
    pub batch: String,
    pub delivered_on: NaiveDate,
    pub due_on: NaiveDate,
    /// The day the project's ledger was first imported, if it was.
    pub received_on: Option<NaiveDate>,
    /// Days from today to `due_on` (negative: past).
    pub days_left: i64,
    /// Not received and past due.
    pub overdue: bool,
    /// Received after the due day.
    pub received_late: bool,
}

/// A deposit whose defect-liability period ends soon (or has ended with money still held).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ExpiringDeposit {
    pub ledger_id: i64,
    pub builder: String,
    pub contract_no: String,
    pub period_end: NaiveDate,
    pub days_left: i64,
    pub balance_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct FundDeadlines {
    pub today: NaiveDate,
    pub within_days: u32,
    pub a3: Vec<A3Deadline>,
    pub expiring: Vec<ExpiringDeposit>,
}
