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

use super::workbook::{format_column_map, movement_fields, parse_column_map, read_ledger_workbook_with, ColumnMatch, ContractRow, FieldOption, LedgerWorkbook};
use desk_documents::excel_in::Confidence;
use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use crate::job::Progress;
use chrono::NaiveDate;
use desk_documents::excel_in::{CellError, Limits};
use desk_domain::fund::ledger::{deposit_for, format_rate, over_cap, period_end, RETENTION_CAP_BP};
use desk_domain::fund::{names, EntryKind, LedgerEntryRecord, LedgerSummary};
use desk_domain::money::Fen;
use desk_domain::records::{ContractorKind, Project};
use desk_domain::time::{fmt_local, local_date};
use desk_store::fund::{LedgerHeader, NewEntry};
use desk_store::{audit, fund, fund_import, imports, master, settings};
use desk_store::Db;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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

/// Who a builder name of the file is.
#[derive(Debug, Clone)]
enum Who {
    Known(i64),
    /// Index into the plan's new builders.
    New(usize),
}

/// The desk's builders by normalised name (contractors and remembered aliases).
struct Builders {
    by_norm: HashMap<String, i64>,
    names: Vec<(i64, String)>,
}

impl Builders {
    fn load(c: &Db) -> DeskResult<Builders> {
        let names: Vec<(i64, String)> = master::list_contractors(c)?.into_iter().map(|x| (x.id, x.name)).collect();
        let mut by_norm: HashMap<String, i64> = names.iter().map(|(id, n)| (names::normalize(n), *id)).collect();
        for (alias, id) in desk_store::reconcile::aliases(c)?.into_iter().map(|a| (a.alias_norm, a.contractor_id)) {
            by_norm.entry(alias).or_insert(id);
        }
        Ok(Builders { by_norm, names })
    }

    fn name_of(&self, id: i64) -> &str {
        self.names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.as_str()).unwrap_or_default()
    }

    fn near(&self, spelling: &str) -> Option<(i64, &str)> {
        self.names.iter().find(|(_, n)| names::near(spelling, n)).map(|(id, n)| (*id, n.as_str()))
    }
}

/// A ledger (builder × contract) the import touches.
struct LedgerPlan {
    who: Who,
    contract_no: String,
    contract: Option<ContractRow>,
    existing: Option<i64>,
}

/// Everything decided before writing.
struct Plan {
    preview: LedgerImportPreview,
    new_builders: Vec<(String, String)>, // (spelling, trade)
    ledgers: Vec<LedgerPlan>,
    movements: Vec<PlannedEntry>,
}

/// An accepted movement: its ledger (index into [`Plan::ledgers`]), its row (index into the
/// workbook's movements) and what its numbers point at.
struct PlannedEntry {
    ledger: usize,
    movement: usize,
    ticket_id: Option<i64>,
    request_id: Option<i64>,
}

impl Desk {
    /// Reads and checks a ledger workbook for the active project; writes nothing.
    pub fn preview_ledger_import(&self, path: &Path) -> DeskResult<LedgerImportPreview> {
        let project = self.active_project()?;
        self.ledger_import(&project, None, path, false, None, &Progress::none())
    }

    /// [`Desk::preview_ledger_import`] with the user's column mapping (`H=credit,I=debit`, see
    /// [`parse_column_map`]); `None` uses the mapping remembered for this header shape, if any.
    /// `project_id` `None` is the active project.
    pub fn preview_ledger_import_mapped(&self, project_id: Option<i64>, path: &Path, map: Option<&str>) -> DeskResult<LedgerImportPreview> {
        self.preview_ledger_import_with(project_id, path, map, &Progress::none())
    }

    /// [`Desk::preview_ledger_import_mapped`] reporting to `p`; may be cancelled at any point.
    pub fn preview_ledger_import_with(&self, project_id: Option<i64>, path: &Path, map: Option<&str>, p: &Progress) -> DeskResult<LedgerImportPreview> {
        let project = match project_id {
            Some(id) => self.project_by_id(id)?,
            None => self.active_project()?,
        };
        self.ledger_import(&project, None, path, false, map, p)
    }

    /// [`Desk::import_ledger`] with the user's column mapping; a mapping given here is remembered
    /// for later files whose header has the same shape.
    pub fn import_ledger_mapped(&self, s: &Session, project_id: Option<i64>, path: &Path, valid_rows_only: bool, map: Option<&str>) -> DeskResult<LedgerImportPreview> {
        self.import_ledger_with(s, project_id, path, valid_rows_only, map, &Progress::none())
    }

    /// [`Desk::import_ledger_mapped`] reporting rows written to `p`. A cancel before the commit
    /// rolls the one transaction back: nothing of the file is written.
    pub fn import_ledger_with(&self, s: &Session, project_id: Option<i64>, path: &Path, valid_rows_only: bool, map: Option<&str>, p: &Progress) -> DeskResult<LedgerImportPreview> {
        let project = match project_id {
            Some(id) => self.project_by_id(id)?,
            None => self.active_project()?,
        };
        self.ledger_import(&project, Some(s), path, valid_rows_only, map, p)
    }

    /// Imports a ledger workbook into the active project in one transaction. Refused, writing
    /// nothing, when any cell is rejected (unless `valid_rows_only`) or when the same file was
    /// imported before.
    pub fn import_ledger(&self, s: &Session, path: &Path, valid_rows_only: bool) -> DeskResult<LedgerImportPreview> {
        let project = self.active_project()?;
        self.ledger_import(&project, Some(s), path, valid_rows_only, None, &Progress::none())
    }

    /// [`Desk::preview_ledger_import`] for a named project (the CLI's `--project`).
    pub fn preview_ledger_import_into(&self, project_id: i64, path: &Path) -> DeskResult<LedgerImportPreview> {
        let project = self.project_by_id(project_id)?;
        self.ledger_import(&project, None, path, false, None, &Progress::none())
    }

    /// [`Desk::import_ledger`] for a named project (the CLI's `--project`).
    pub fn import_ledger_into(&self, s: &Session, project_id: i64, path: &Path, valid_rows_only: bool) -> DeskResult<LedgerImportPreview> {
        let project = self.project_by_id(project_id)?;
        self.ledger_import(&project, Some(s), path, valid_rows_only, None, &Progress::none())
    }

    fn project_by_id(&self, id: i64) -> DeskResult<Project> {
        self.projects()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| DeskError::new(ErrorKind::NotFound, format!("没有编号为 {id} 的项目")))
    }

    /// Remembers that the file's spelling `spelling` means builder `contractor_id` (a near match
    /// the user confirmed); later imports and reconciliations match it directly.
    pub fn confirm_ledger_builder(&self, s: &Session, spelling: &str, contractor_id: i64) -> DeskResult<()> {
        // One remembered mapping serves A3 and B4 alike (see `confirm_builder_alias`).
        self.confirm_builder_alias(s, spelling, contractor_id).map(|_| ())
    }

    fn ledger_import(&self, project: &Project, actor: Option<&Session>, path: &Path, valid_rows_only: bool, map: Option<&str>, progress: &Progress) -> DeskResult<LedgerImportPreview> {
        let given = map.map(parse_column_map).transpose()?;
        let mut overrides = given.clone().unwrap_or_default();
        progress.step(0, 0, "正在读取文件");
        let mut wb = read_workbook(path, actor.is_some(), &overrides)?;
        progress.check()?;
        // No mapping given: the one confirmed for a file shaped like this one, if any.
        let mut remembered = false;
        if given.is_none() && !wb.shape.is_empty() {
            let saved = self.store.read(|tx| Ok::<_, DeskError>(settings::get(tx, &mapping_key(&wb.shape))?))?;
            if let Some(saved) = saved.filter(|m| !m.is_empty()) {
                if let Ok(o) = parse_column_map(&saved) {
                    overrides = o;
                    wb = read_workbook(path, actor.is_some(), &overrides)?;
                    remembered = true;
                }
            }
        }
        let now = self.now();
        let rows = wb.movements.len() as u64;
        progress.step(0, rows, "正在核对");
        let check_and_write = |tx: &Db| -> DeskResult<LedgerImportPreview> {
            let already = imports::find(tx, IMPORT_KIND, &wb.sha256)?;
            if let (Some(_), Some(at)) = (actor, already) {
                return Err(DeskError::new(
                    ErrorKind::Conflict,
                    format!("文件「{}」已于 {} 导入过（内容完全相同），未重复导入", wb.file_name, fmt_local(at)),
                ));
            }
            let mut plan = plan_import(tx, project, &wb)?;
            progress.check()?;
            progress.step(rows, rows, "正在核对");
            plan.preview.already_imported_at = already.map(fmt_local);
            plan.preview.mapping = format_column_map(&overrides);
            plan.preview.mapping_remembered = remembered;
            if remembered {
                plan.preview.notes.insert(0, format!("已按上次确认的字段对应读取：{}", plan.preview.mapping));
            }
            let Some(s) = actor else { return Ok(plan.preview) };
            if !plan.preview.errors.is_empty() && !valid_rows_only {
                let p = &plan.preview;
                return Err(DeskError::new(
                    ErrorKind::Invalid,
                    format!("保修金明细账有 {} 处错误，未导入任何数据。第一处：{}", p.errors.len(), p.errors[0]),
                ));
            }
            let big = plan.movements.len() > 10_000;
            let before = if big { Some(fund_import::set_cache_kib(tx, 128 * 1024)?) } else { None };
            let written = write_plan(tx, project, s, &wb, &mut plan, now, progress);
            if let Some(b) = before {
                fund_import::restore_cache(tx, b)?;
            }
            written?;
            // A mapping the user gave is remembered for files with the same header.
            if let (Some(g), false) = (&given, wb.shape.is_empty()) {
                settings::set(tx, &mapping_key(&wb.shape), &format_column_map(g))?;
            }
            // The last moment a cancel still rolls everything back.
            progress.check()?;
            Ok(plan.preview)
        };
        // A preview writes nothing: it reads beside the writer instead of waiting for it.
        match actor {
            Some(_) => self.store.with_tx(check_and_write),
            None => self.store.read(check_and_write),
        }
    }
}

/// The workbook a preview read last, by path and content hash. The commit that follows a
/// preview hashes the file again (it may have been edited since) and, when the content is the
/// same, does not parse it a second time: on a 100,000-row ledger that halves the import.
/// Keyed by content, so any desk may share it; emptied by the commit.
static LAST_READ: Mutex<Option<(PathBuf, String, Arc<LedgerWorkbook>)>> = Mutex::new(None);

/// The setting holding the mapping confirmed for a 明细 header shape.
fn mapping_key(shape: &str) -> String {
    format!("ledger_column_map:{shape}")
}

fn read_workbook(path: &Path, commit: bool, overrides: &[(u32, Option<String>)]) -> DeskResult<Arc<LedgerWorkbook>> {
    let bytes = std::fs::read(path).map_err(|e| DeskError::invalid("path", format!("无法读取文件「{}」：{e}", path.display())))?;
    let sha = format!("{:x}", Sha256::digest(&bytes));
    drop(bytes);
    // A poisoned lock only means another thread panicked mid-read: start afresh.
    let mut last = LAST_READ.lock().unwrap_or_else(|p| p.into_inner());
    // The same file read with another column mapping is another reading.
    let key = format!("{sha}|{}", format_column_map(overrides));
    let cached = match last.take() {
        Some((p, h, wb)) if p == path && h == key => Some(wb),
        _ => None,
    };
    let wb = match cached {
        Some(wb) => wb,
        None => Arc::new(read_ledger_workbook_with(path, &Limits::default(), overrides)?),
    };
    if !commit && wb.sha256 == sha {
        *last = Some((path.to_path_buf(), key, Arc::clone(&wb)));
    }
    Ok(wb)
}

/// Reads the desk's builders, ledgers, vouchers and tickets once and decides every row. Builders
/// are numbered once per distinct spelling, so the per-row work is integer and borrowed-string
/// look-ups (100,000 rows in well under a second).
fn plan_import(c: &Db, project: &Project, wb: &LedgerWorkbook) -> DeskResult<Plan> {
    let builders = Builders::load(c)?;
    let mut errors = wb.errors.clone();
    let mut warnings = wb.warnings.clone();
    let notes = project_notes(project, wb);

    // Builders of the file, numbered in order of appearance: spelling → builder index.
    struct FileBuilder {
        spelling: String,
        who: Who,
    }
    let mut file_builders: Vec<FileBuilder> = Vec::new();
    let mut by_norm: HashMap<String, usize> = HashMap::new();
    let mut by_spelling: HashMap<&str, usize> = HashMap::new();
    let mut new_builders: Vec<(String, String)> = Vec::new();
    let mut near_matches = Vec::new();
    // The 汇总's 专业 becomes a new builder's trade.
    let spellings = wb.contracts.iter().map(|k| (k.builder.as_str(), k.trade.as_str())).chain(wb.movements.iter().map(|m| (m.builder.as_str(), "")));
    for (spelling, trade) in spellings {
        if by_spelling.contains_key(spelling) {
            continue;
        }
        let norm = names::normalize(spelling);
        let b = match by_norm.get(&norm) {
            Some(b) => *b,
            None => {
                let who = match builders.by_norm.get(&norm) {
                    Some(id) => Who::Known(*id),
                    None => {
                        if let Some((id, known)) = builders.near(spelling) {
                            near_matches.push(NearMatch { name: spelling.to_string(), known: known.to_string(), contractor_id: id });
                        }
                        new_builders.push((spelling.to_string(), trade.to_string()));
                        Who::New(new_builders.len() - 1)
                    }
                };
                file_builders.push(FileBuilder { spelling: spelling.to_string(), who });
                by_norm.insert(norm, file_builders.len() - 1);
                file_builders.len() - 1
            }
        };
        by_spelling.insert(spelling, b);
    }
    // Every spelling was numbered above, so the look-up cannot miss.
    let builder_of = |spelling: &str| by_spelling.get(spelling).copied().unwrap_or(0);

    // Existing ledgers of the project by (contractor, contract number).
    let existing: Vec<LedgerSummary> = fund::ledgers(c, project.id)?;
    let existing_by: HashMap<(i64, &str), i64> = existing.iter().map(|l| ((l.contractor_id, l.contract_no.as_str()), l.id)).collect();
    let mut ledgers: Vec<LedgerPlan> = Vec::new();
    let mut ledger_ix: HashMap<(usize, String), usize> = HashMap::new();
    let mut open_ledger = |b: usize, contract_no: &str, ledgers: &mut Vec<LedgerPlan>| -> usize {
        if let Some(i) = ledger_ix.get(&(b, contract_no.to_string())) {
            return *i;
        }
        let who = file_builders.get(b).map(|f| f.who.clone()).unwrap_or(Who::New(usize::MAX));
        let existing = match who {
            Who::Known(id) => existing_by.get(&(id, contract_no)).copied(),
            Who::New(_) => None,
        };
        ledgers.push(LedgerPlan { who, contract_no: contract_no.to_string(), contract: None, existing });
        ledger_ix.insert((b, contract_no.to_string()), ledgers.len() - 1);
        ledgers.len() - 1
    };

    // 汇总: one row per contract; the same contract twice is an error on the second.
    for k in &wb.contracts {
        let i = open_ledger(builder_of(&k.builder), &k.contract_no, &mut ledgers);
        if let Some(first) = &ledgers[i].contract {
            errors.push(wb.cell_error(&k.sheet, k.row, "contract_no", format!("施工单位「{}」合同「{}」在第 {} 行已出现过", k.builder, k.contract_no, first.row)));
            continue;
        }
        check_contract(wb, k, &mut warnings);
        ledgers[i].contract = Some(k.clone());
    }

    // Contracts per builder (file and desk), for movements that name none: the builder's only
    // contract, if it has exactly one.
    let mut contracts_of: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); file_builders.len()];
    let named = wb.contracts.iter().map(|k| (&k.builder, &k.contract_no)).chain(wb.movements.iter().map(|m| (&m.builder, &m.contract_no)));
    for (builder, no) in named.filter(|(_, no)| !no.is_empty()) {
        contracts_of[builder_of(builder)].insert(no.as_str());
    }
    for (b, f) in file_builders.iter().enumerate() {
        if let Who::Known(id) = f.who {
            contracts_of[b].extend(existing.iter().filter(|l| l.contractor_id == id).map(|l| l.contract_no.as_str()));
        }
    }

    // Vouchers already booked, by ledger.
    let mut booked: HashMap<(i64, String), String> = HashMap::new();
    for (ledger_id, voucher, date) in fund_import::vouchers(c, project.id)? {
        booked.entry((ledger_id, voucher)).or_insert(date);
    }
    let mut movement_ledger: HashMap<(usize, &str), usize> = HashMap::new();
    let mut seen_voucher: HashMap<(usize, &str), u32> = HashMap::new();
    let mut tickets: HashMap<&str, Option<i64>> = HashMap::new();
    let mut requests: HashMap<&str, Option<i64>> = HashMap::new();
    let mut movements = Vec::with_capacity(wb.movements.len());
    let mut bad_rows: BTreeSet<(String, u32)> = errors.iter().map(|e| (e.sheet.clone(), e.row)).collect();

    for (mi, m) in wb.movements.iter().enumerate() {
        let b = builder_of(&m.builder);
        let li = match movement_ledger.get(&(b, m.contract_no.as_str())) {
            Some(li) => *li,
            None => {
                let resolved = match (m.contract_no.is_empty(), contracts_of.get(b)) {
                    (true, Some(set)) if set.len() == 1 => set.iter().next().copied().unwrap_or_default(),
                    _ => m.contract_no.as_str(),
                };
                let li = open_ledger(b, resolved, &mut ledgers);
                movement_ledger.insert((b, m.contract_no.as_str()), li);
                li
            }
        };
        let mut ok = true;
        if !matches!(m.kind(), EntryKind::Reversal | EntryKind::Adjustment) {
            let (debit, refund) = if m.refund { (Fen(0), m.debit) } else { (m.debit, Fen(0)) };
            for (key, amount) in [("credit", m.credit), ("debit", debit), ("refund", refund)] {
                if amount.is_negative() {
                    errors.push(wb.cell_error(&m.sheet, m.row, key, format!("负数金额 {amount} 只用于冲销：请在摘要中写明「冲销」，或把金额以正数记在另一方")));
                    ok = false;
                }
            }
        }
        if !m.voucher_no.is_empty() {
            match seen_voucher.get(&(li, m.voucher_no.as_str())) {
                Some(first) => {
                    errors.push(wb.cell_error(&m.sheet, m.row, "voucher", format!("凭证号「{}」在第 {first} 行已用过（同一施工单位同一合同）", m.voucher_no)));
                    ok = false;
                }
                None => {
                    seen_voucher.insert((li, m.voucher_no.as_str()), m.row);
                }
            }
            if let Some(date) = ledgers[li].existing.and_then(|id| booked.get(&(id, m.voucher_no.clone()))) {
                errors.push(wb.cell_error(&m.sheet, m.row, "voucher", format!("凭证号「{}」已记入台账（{date} 的分录），不能重复记账", m.voucher_no)));
                ok = false;
            }
        }
        if !ok {
            bad_rows.insert((m.sheet.clone(), m.row));
            continue;
        }
        let ticket_id = match m.ticket_no.as_str() {
            "" => None,
            no => match tickets.get(no) {
                Some(t) => *t,
                None => {
                    let t = fund_import::ticket_id(c, project.id, no)?;
                    tickets.insert(no, t);
                    t
                }
            },
        };
        let request_id = match m.payment_request_no.as_str() {
            "" => None,
            no => match requests.get(no) {
                Some(t) => *t,
                None => {
                    let t = fund_import::payment_request_id(c, no)?;
                    requests.insert(no, t);
                    t
                }
            },
        };
        movements.push(PlannedEntry { ledger: li, movement: mi, ticket_id, request_id });
    }

    // Totals per builder: the file's movements, and the balance after the import.
    let mut totals: Vec<Option<BuilderBalance>> = vec![None; file_builders.len()];
    let mut order: Vec<usize> = Vec::new();
    let mut start_total = |b: usize, totals: &mut Vec<Option<BuilderBalance>>| {
        if totals[b].is_none() {
            let f = &file_builders[b];
            let (name, before) = match f.who {
                Who::Known(id) => (builders.name_of(id).to_string(), existing.iter().filter(|l| l.contractor_id == id).map(|l| l.balance_fen).sum()),
                Who::New(_) => (f.spelling.clone(), 0),
            };
            totals[b] = Some(BuilderBalance { name, credit_fen: 0, debit_fen: 0, balance_fen: before });
            order.push(b);
        }
    };
    for k in &wb.contracts {
        start_total(builder_of(&k.builder), &mut totals);
    }
    let (mut credit, mut debit, mut linked) = (0i64, 0i64, 0u32);
    let mut sample = Vec::new();
    for p in &movements {
        let m = &wb.movements[p.movement];
        let b = builder_of(&m.builder);
        start_total(b, &mut totals);
        if let Some(t) = totals[b].as_mut() {
            t.credit_fen = t.credit_fen.saturating_add(m.credit.0);
            t.debit_fen = t.debit_fen.saturating_add(m.debit.0);
            t.balance_fen = t.balance_fen.saturating_add(m.credit.0).saturating_sub(m.debit.0);
        }
        credit = credit.saturating_add(m.credit.0);
        debit = debit.saturating_add(m.debit.0);
        linked += u32::from(p.ticket_id.is_some());
        if sample.len() < SAMPLE_ROWS {
            sample.push(LedgerImportRow {
                sheet: m.sheet.clone(),
                row: m.row,
                date: m.date,
                builder: totals[b].as_ref().map(|t| t.name.clone()).unwrap_or_default(),
                contract_no: ledgers[p.ledger].contract_no.clone(),
                voucher_no: m.voucher_no.clone(),
                summary: m.summary.clone(),
                kind: m.kind(),
                credit_fen: m.credit.0,
                debit_fen: m.debit.0,
                ticket_no: m.ticket_no.clone(),
                ticket_linked: p.ticket_id.is_some(),
            });
        }
    }
    let builders_out = order.iter().filter_map(|b| totals[*b].clone()).collect();
    // Errors of 合计 rows are not rows to skip; every other errored row is.
    let total_rows: BTreeSet<(String, u32)> = errors.iter().filter(|e| e.message.starts_with("合计")).map(|e| (e.sheet.clone(), e.row)).collect();
    let skipped = bad_rows.difference(&total_rows).count() as u32;
    let preview = LedgerImportPreview {
        file_name: wb.file_name.clone(),
        project: project.name.clone(),
        titles: wb.titles.clone(),
        notes,
        contracts: wb.contracts.len() as u32,
        movements: movements.len() as u32,
        credit_fen: credit,
        debit_fen: debit,
        builders: builders_out,
        new_builders: new_builders.iter().map(|(n, _)| n.clone()).collect(),
        near_matches,
        new_ledgers: ledgers.iter().filter(|l| l.existing.is_none()).count() as u32,
        linked_tickets: linked,
        errors,
        warnings,
        skipped_rows: skipped,
        sample,
        already_imported_at: None,
        written: false,
        columns: wb.mapping.clone(),
        fields: movement_fields(),
        needs_mapping: needs_mapping(wb),
        mapping: String::new(),
        mapping_remembered: false,
        other_project: other_project_named(project, wb).unwrap_or_default(),
    };
    Ok(Plan { preview, new_builders, ledgers, movements })
}

/// A column the import cannot do without (日期, 施工单位, an amount or its direction) matched by
/// the meaning of its words only: worth the user's look before importing.
fn needs_mapping(wb: &LedgerWorkbook) -> bool {
    const NEEDED: &[&str] = &["date", "builder", "credit", "debit", "refund", "amount", "direction"];
    wb.mapping.iter().any(|c| c.confidence == Confidence::Meaning && NEEDED.contains(&c.field.as_str()))
}

/// The other project a file names: a 项目名称 of its 汇总, or `XX项目` in a ledger title.
fn other_project_named(project: &Project, wb: &LedgerWorkbook) -> Option<String> {
    if let Some(k) = wb.contracts.iter().find(|k| !k.project.is_empty() && k.project != project.name) {
        return Some(k.project.clone());
    }
    wb.titles.iter().find_map(|t| {
        if t.contains(&project.name) || !["保修金", "质保金", "明细账", "汇总表"].iter().any(|w| t.contains(w)) {
            return None;
        }
        let before = &t[..t.find("项目")?];
        // The name right before 项目: the last run of CJK characters (a title may start with
        // a company or a year).
        let name: String = before.chars().rev().take_while(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).collect::<Vec<_>>().into_iter().rev().collect();
        (name.chars().count() >= 2 && name != project.name).then_some(name)
    })
}

/// A title or a 项目名称 naming another project is said, not obeyed.
fn project_notes(project: &Project, wb: &LedgerWorkbook) -> Vec<String> {
    let mut notes = wb.notes.clone();
    for t in &wb.titles {
        // The title line is the one naming the ledger (XX项目保修金明细账); a subtitle such as
        // 编制单位：项目工程部 names no project.
        if !t.contains(&project.name) && ["保修金", "质保金", "明细账", "汇总表"].iter().any(|w| t.contains(w)) {
            notes.push(format!("文件标题为「{t}」，数据将导入当前项目「{}」（标题中的项目名不作依据）", project.name));
        }
    }
    let others: BTreeSet<&str> = wb.contracts.iter().map(|k| k.project.as_str()).filter(|p| !p.is_empty() && *p != project.name).collect();
    for p in others {
        notes.push(format!("汇总表的项目名称写的是「{p}」，数据将导入当前项目「{}」", project.name));
    }
    notes
}

/// The checks people do by hand on a 汇总 row: the 3 % cap, deposit = settled × rate, and
/// period end = start + whole months − 1 day. Warnings: the contract is what was signed.
fn check_contract(wb: &LedgerWorkbook, k: &ContractRow, warnings: &mut Vec<CellError>) {
    if let Some(bp) = k.rate_bp {
        if over_cap(bp) {
            warnings.push(wb.cell_error(&k.sheet, k.row, "rate", format!(
                "保修金比例 {} 超过 {} 上限（建质〔2017〕138号 第七条）", format_rate(bp), format_rate(RETENTION_CAP_BP))));
        }
        if let Some(expected) = k.settled.and_then(|s| deposit_for(s, bp)) {
            if (k.deposit.0 - expected.0).abs() > DEPOSIT_TOLERANCE_FEN {
                warnings.push(wb.cell_error(&k.sheet, k.row, "deposit", format!(
                    "保修金金额 {} 与 结算金额 × {} = {} 不符", k.deposit, format_rate(bp), expected)));
            }
        }
    }
    if let (Some(start), Some(end)) = (k.start, k.end) {
        if let Some((months, expected)) = nearest_period_end(start, end) {
            if expected != end {
                warnings.push(wb.cell_error(&k.sheet, k.row, "end", format!(
                    "保修期止 {end} 与保修期起 {start} 加 {months} 个月减一天（{expected}）不符")));
            }
        }
    }
}

/// The whole number of months whose period end (start + months − 1 day) is closest to `end`.
fn nearest_period_end(start: NaiveDate, end: NaiveDate) -> Option<(u32, NaiveDate)> {
    use chrono::Datelike;
    let approx = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32;
    [approx - 1, approx, approx + 1]
        .into_iter()
        .filter(|m| *m >= 1)
        .filter_map(|m| period_end(start, m as u32).map(|e| (m as u32, e)))
        .min_by_key(|(_, e)| (*e - end).num_days().abs())
}

/// The entry a 红字 row of a file cancels, so an exported reversal reads back as the reversal of
/// the same entry: in the same ledger (already in the desk or written earlier in this import),
/// not reversed yet, with exactly the negated amounts, on the date the desk's reversal summary
/// names (`冲销 2024-06-18 扣委托维修费：…`) when it names one; among several, the one whose
/// summary the reversal quotes. No such entry: the row stays an unlinked reversal, as before.
fn reversed_entry(c: &Db, ledger_id: i64, m: &super::workbook::MovementRow) -> DeskResult<Option<i64>> {
    let named_date = m.summary.split_whitespace().find_map(|w| w.get(..10).and_then(|d| d.parse::<NaiveDate>().ok()));
    let candidates: Vec<LedgerEntryRecord> = fund::entries(c, ledger_id)?
        .into_iter()
        .filter(|e| e.kind != EntryKind::Reversal && e.reverses_id.is_none() && e.reversed_by.is_none())
        .filter(|e| Some(e.credit_fen) == m.credit.0.checked_neg() && Some(e.debit_fen) == m.debit.0.checked_neg())
        .filter(|e| named_date.is_none_or(|d| e.date == d))
        .collect();
    let quoted = candidates.iter().find(|e| !e.summary.is_empty() && m.summary.contains(&e.summary));
    Ok(quoted.or(candidates.first()).map(|e| e.id))
}

/// Writes the plan: import record, new builders, ledgers, entries, audit — inside the caller's
/// transaction, with cached statements and no SELECT per row.
fn write_plan(c: &Db, project: &Project, s: &Session, wb: &LedgerWorkbook, plan: &mut Plan, now: chrono::DateTime<chrono::Utc>, progress: &Progress) -> DeskResult<()> {
    let at = now.timestamp();
    let rows = plan.movements.len() as i64;
    imports::record(c, IMPORT_KIND, &wb.sha256, &wb.file_name, rows, now, s.staff_id)?;
    let import_id = fund_import::import_id(c, IMPORT_KIND, &wb.sha256)?;
    let mut created: Vec<i64> = Vec::with_capacity(plan.new_builders.len());
    for (name, trade) in &plan.new_builders {
        created.push(master::insert_contractor(c, name, ContractorKind::Builder, trade, "", "")?);
    }
    let mut ledger_ids = Vec::with_capacity(plan.ledgers.len());
    for l in &plan.ledgers {
        let contractor_id = match l.who {
            Who::Known(id) => id,
            Who::New(i) => *created.get(i).ok_or_else(|| DeskError::storage("导入计划中的施工单位缺失"))?,
        };
        let header = match &l.contract {
            Some(k) => LedgerHeader {
                project_id: project.id,
                contractor_id,
                contract_no: l.contract_no.clone(),
                contract_name: k.contract_name.clone(),
                trade: k.trade.clone(),
                contract_fen: k.contract_amount.map(|f| f.0),
                settled_fen: k.settled.map(|f| f.0),
                retention_bp: k.rate_bp,
                // An empty 保修金金额 is read as 0: not stated, not a zero deposit.
                deposit_fen: (k.deposit.0 != 0).then_some(k.deposit.0),
                period_start: k.start,
                period_end: k.end,
                note: k.note.clone(),
            },
            None => LedgerHeader { project_id: project.id, contractor_id, contract_no: l.contract_no.clone(), ..Default::default() },
        };
        ledger_ids.push(match (l.existing, &l.contract) {
            (Some(id), None) => id,
            _ => fund::upsert_ledger(c, &header, at)?,
        });
    }
    let total = plan.movements.len() as u64;
    for (i, p) in plan.movements.iter().enumerate() {
        if i % 1000 == 0 {
            progress.check()?;
            progress.step(i as u64, total, "正在写入分录");
        }
        let m = &wb.movements[p.movement];
        let reverses_id = if m.kind() == EntryKind::Reversal { reversed_entry(c, ledger_ids[p.ledger], m)? } else { None };
        fund::insert_entry(c, &NewEntry {
            ledger_id: ledger_ids[p.ledger],
            date: m.date,
            kind: Some(m.kind()),
            voucher_no: m.voucher_no.clone(),
            summary: m.summary.clone(),
            ticket_id: p.ticket_id,
            ticket_no: m.ticket_no.clone(),
            payment_request_id: p.request_id,
            payment_request_no: m.payment_request_no.clone(),
            credit_fen: m.credit.0,
            debit_fen: m.debit.0,
            reverses_id,
            handler: m.handler.clone(),
            note: m.note.clone(),
            import_id,
            source_row: Some(m.row),
            at,
            actor_id: Some(s.staff_id),
        })?;
    }
    let p = &plan.preview;
    let mut detail = format!(
        "导入保修金明细账「{}」到项目「{}」：分录 {} 条（贷方 {}，借方 {}），合同 {} 个，新建施工单位 {} 家",
        wb.file_name, project.name, p.movements, Fen(p.credit_fen), Fen(p.debit_fen), p.contracts, p.new_builders.len()
    );
    if p.skipped_rows > 0 {
        detail.push_str(&format!("；按用户选择只导入有效行，跳过有错误的 {} 行", p.skipped_rows));
    }
    audit::append(c, now, Some(s.staff_id), "import_ledger", "project", project.id, &detail)?;
    plan.preview.written = true;
    Ok(())
}

impl Desk {
    /// The active project's ledgers (builder × contract) with totals.
    pub fn ledgers(&self) -> DeskResult<Vec<LedgerSummary>> {
        let project = self.active_project()?;
        Ok(fund::ledgers(&self.store.reader()?.db(), project.id)?)
    }

    /// One ledger's entries in ledger order, each with the balance after it.
    pub fn ledger_entries(&self, ledger_id: i64) -> DeskResult<Vec<LedgerEntryRecord>> {
        fund::ledger(&self.store.reader()?.db(), ledger_id)?;
        Ok(fund::entries(&self.store.reader()?.db(), ledger_id)?)
    }

    /// Entries count and per-builder totals of the active project (`wdesk ledger show`).
    pub fn ledger_show(&self) -> DeskResult<LedgerOverview> {
        let project = self.active_project()?;
        let ledgers = fund::ledgers(&self.store.reader()?.db(), project.id)?;
        let mut builders: Vec<BuilderBalance> = Vec::new();
        for l in &ledgers {
            match builders.iter_mut().find(|b| b.name == l.builder) {
                Some(b) => {
                    b.credit_fen += l.credit_fen;
                    b.debit_fen += l.debit_fen;
                    b.balance_fen += l.balance_fen;
                }
                None => builders.push(BuilderBalance { name: l.builder.clone(), credit_fen: l.credit_fen, debit_fen: l.debit_fen, balance_fen: l.balance_fen }),
            }
        }
        Ok(LedgerOverview { project: project.name, ledgers: ledgers.len() as u32, entries: ledgers.iter().map(|l| l.entries).sum(), builders })
    }

    /// Cancels an entry by a reversing one (红字冲销: the negated amounts, pointing at it).
    /// Director only. An entry is reversed at most once, and a reversal is never reversed: a
    /// wrong reversal is corrected by booking the right entry again.
    pub fn reverse_entry(&self, s: &Session, entry_id: i64, reason: &str) -> DeskResult<LedgerEntryRecord> {
        require_role(s, &[desk_domain::staff::Role::Director], "冲销保修金分录")?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DeskError::invalid("reason", "请填写冲销原因"));
        }
        let now = self.now();
        let today = local_date(now);
        self.store.with_tx(|tx| {
            let e = fund::entry(tx, entry_id)?;
            if e.kind == EntryKind::Reversal || e.reverses_id.is_some() {
                return Err(DeskError::new(ErrorKind::Refused, "这是一笔冲销分录，不能再冲销；如冲销有误，请按正确金额重新记一笔分录"));
            }
            if let Some(by) = e.reversed_by {
                return Err(DeskError::new(ErrorKind::Conflict, format!("该分录已被冲销（冲销分录 #{by}），不能重复冲销")));
            }
            let neg = |x: i64| x.checked_neg().ok_or_else(|| DeskError::invalid("entry", "金额超出范围"));
            let id = fund::insert_entry(tx, &NewEntry {
                ledger_id: e.ledger_id,
                date: today,
                kind: Some(EntryKind::Reversal),
                voucher_no: String::new(),
                summary: format!("冲销 {} {}：{reason}", e.date, e.summary).trim().to_string(),
                ticket_id: e.ticket_id,
                ticket_no: e.ticket_no.clone(),
                payment_request_id: e.payment_request_id,
                payment_request_no: e.payment_request_no.clone(),
                credit_fen: neg(e.credit_fen)?,
                debit_fen: neg(e.debit_fen)?,
                reverses_id: Some(e.id),
                handler: s.name.clone(),
                note: String::new(),
                import_id: None,
                source_row: None,
                at: now.timestamp(),
                actor_id: Some(s.staff_id),
            })?;
            audit::append(tx, now, Some(s.staff_id), "reverse_ledger_entry", "ledger_entry", e.id, &format!(
                "冲销{}「{}」{} 的分录（贷 {}，借 {}）：{reason}", e.builder, e.contract_no, e.date, Fen(e.credit_fen), Fen(e.debit_fen)))?;
            Ok(fund::entry(tx, id)?)
        })
    }

    /// Books a retention, refund, opening balance or adjustment by hand. Director only. Amounts
    /// are never negative here (negatives are reversals); a debit that takes the balance below
    /// zero is refused until the user acknowledges it.
    pub fn add_ledger_entry(&self, s: &Session, input: LedgerEntryInput) -> DeskResult<LedgerEntryRecord> {
        require_role(s, &[desk_domain::staff::Role::Director], "手工记保修金分录")?;
        let i = input;
        match i.kind {
            EntryKind::Deduction => return Err(DeskError::invalid("kind", "扣款由付款申请付款（D8）时自动记账，不能手工记")),
            EntryKind::Reversal => return Err(DeskError::invalid("kind", "冲销请在要冲销的分录上操作")),
            _ => {}
        }
        if i.credit_fen < 0 || i.debit_fen < 0 {
            return Err(DeskError::invalid("amount", "金额不能为负数；冲销请在原分录上操作"));
        }
        if i.credit_fen == 0 && i.debit_fen == 0 {
            return Err(DeskError::invalid("amount", "请填写金额"));
        }
        if i.credit_fen > 0 && i.debit_fen > 0 {
            return Err(DeskError::invalid("amount", "一笔分录只记贷方或借方之一"));
        }
        match i.kind {
            EntryKind::Retention | EntryKind::Opening if i.debit_fen > 0 => {
                return Err(DeskError::invalid("amount", format!("「{}」记在贷方（计提/收取）", i.kind.label())));
            }
            EntryKind::Refund if i.credit_fen > 0 => return Err(DeskError::invalid("amount", "「退还」记在借方")),
            _ => {}
        }
        let summary = i.summary.trim().to_string();
        if summary.is_empty() {
            return Err(DeskError::invalid("summary", "请填写摘要"));
        }
        let voucher = i.voucher_no.trim().to_string();
        let now = self.now();
        self.store.with_tx(|tx| {
            let l = fund::ledger(tx, i.ledger_id)?;
            if !voucher.is_empty() && fund_import::voucher_in_ledger(tx, l.id, &voucher)? {
                return Err(DeskError::invalid("voucher_no", format!("凭证号「{voucher}」已在该台账中记过账")));
            }
            let after = l.balance_fen.saturating_add(i.credit_fen).saturating_sub(i.debit_fen);
            if after < 0 && !i.acknowledge_overdraw {
                // Asked, like a payment that overdraws (the window confirms and sends it again).
                return Err(DeskError {
                    kind: ErrorKind::NeedsConfirmation,
                    message: format!("保修金余额不足：记账后{}的保修金余额将为 {}（低于零），仍要记账吗？", l.builder, Fen(after)),
                    field: Some("acknowledge_overdraw".into()),
                });
            }
            let id = fund::insert_entry(tx, &NewEntry {
                ledger_id: l.id,
                date: i.date,
                kind: Some(i.kind),
                voucher_no: voucher.clone(),
                summary: summary.clone(),
                credit_fen: i.credit_fen,
                debit_fen: i.debit_fen,
                handler: if i.handler.trim().is_empty() { s.name.clone() } else { i.handler.trim().to_string() },
                note: i.note.trim().to_string(),
                at: now.timestamp(),
                actor_id: Some(s.staff_id),
                ..Default::default()
            })?;
            audit::append(tx, now, Some(s.staff_id), "add_ledger_entry", "fund_ledger", l.id, &format!(
                "{}「{}」手工记{}：{} 贷 {} 借 {}{}", l.builder, l.contract_no, i.kind.label(), i.date, Fen(i.credit_fen), Fen(i.debit_fen),
                if after < 0 { format!("（确认余额为负 {}）", Fen(after)) } else { String::new() }))?;
            Ok(fund::entry(tx, id)?)
        })
    }

    /// The fund's deadlines for the active project on `today`: A3 (the ledger within one month
    /// of each batch's delivery, fund flow 4.1) and deposits whose period ends within
    /// `within_days` (default 60) — or has ended with money still held — listed ahead of time.
    pub fn fund_deadlines(&self, today: NaiveDate, within_days: Option<u32>) -> DeskResult<FundDeadlines> {
        let project = self.active_project()?;
        let within = within_days.unwrap_or(DEFAULT_EXPIRY_WINDOW_DAYS);
        let reader = self.store.reader()?;
        let c = &reader.db();
        let received_on = fund_import::first_ledger_import_at(c, project.id)?.map(|t| local_date(desk_store::from_unix(t)));
        let a3 = fund_import::delivered_batches(c, project.id)?
            .into_iter()
            .filter_map(|(batch, delivered_on)| {
                let due_on = delivered_on.checked_add_months(chrono::Months::new(1))?;
                Some(A3Deadline {
                    batch,
                    delivered_on,
                    due_on,
                    received_on,
                    days_left: (due_on - today).num_days(),
                    overdue: received_on.is_none() && today > due_on,
                    received_late: received_on.is_some_and(|r| r > due_on),
                })
            })
            .collect();
        let until = today + chrono::Duration::days(i64::from(within));
        let mut expiring: Vec<ExpiringDeposit> = fund::ledgers(c, project.id)?
            .into_iter()
            .filter_map(|l| {
                let end = l.period_end?;
                (end <= until && (end >= today || l.balance_fen > 0)).then(|| ExpiringDeposit {
                    ledger_id: l.id,
                    builder: l.builder,
                    contract_no: l.contract_no,
                    period_end: end,
                    days_left: (end - today).num_days(),
                    balance_fen: l.balance_fen,
                })
            })
            .collect();
        expiring.sort_by_key(|e| (e.period_end, e.ledger_id));
        Ok(FundDeadlines { today, within_days: within, a3, expiring })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("a test date")
    }

    #[test]
    fn the_period_is_matched_to_whole_months() {
        assert_eq!(nearest_period_end(d("2024-03-05"), d("2026-03-04")), Some((24, d("2026-03-04"))));
        // A day too long is flagged with the expected end.
        assert_eq!(nearest_period_end(d("2024-03-05"), d("2026-03-05")), Some((24, d("2026-03-04"))));
    }
}
