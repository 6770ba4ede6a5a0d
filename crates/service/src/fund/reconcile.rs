//! 对账 (node B4, fund-flow 3.2): every quarter the project department's deposit ledger
//! (their workbook, read by [`super::workbook`]) is reconciled with the desk's entries, and
//! both sides sign the statement (对账单).
//!
//! The flow the window follows:
//! 1. [`Desk::reconcile_preview`] reads the file and reconciles; builders the desk cannot place
//!    are listed with near spellings of known builders ([`names::near`]) — offered, never
//!    decided;
//! 2. [`Desk::confirm_builder_alias`] remembers a confirmed spelling once (audited), so the next
//!    preview and every later quarter place it without asking;
//! 3. [`Desk::save_reconciliation`] keeps the run (file name, SHA-256, counts, the whole result
//!    as JSON — audited) and [`Desk::export_reconciliation`] writes the statement as Excel and PDF.
//!
//! The matching itself is pure ([`desk_domain::fund::reconcile`]); here are the IO around it and
//! the records the window shows. Rows of their file dated outside the quarter are left out (and
//! counted: the department's file usually holds the whole year).

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use crate::fund::workbook::{movement_fields, ColumnMatch, FieldOption, LedgerWorkbook, MovementRow, NoHeader};
use crate::job::Progress;
use chrono::NaiveDate;
use desk_documents::excel_in::CellError;
use desk_documents::statement::{self, Statement, StatementBuilder, StatementDifference};
use desk_domain::audit::AuditAction;
use desk_domain::fund::reconcile::{reconcile, BuilderAlias, BuilderKey, Line, MatchRule, Outcome, ReconciliationRun};
use desk_domain::fund::{names, Quarter};
use desk_domain::money::Fen;
use desk_store::reconcile::{self as store, QuarterEntry};
use desk_store::{audit, master, Db};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A row of the department's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TheirRow {
    pub sheet: String,
    /// Row number as Excel shows it.
    pub row: u32,
    pub date: NaiveDate,
    /// The builder as the department spells it.
    pub builder: String,
    /// The desk's contractor it was placed on (by name or a confirmed alias).
    pub contractor_id: Option<i64>,
    pub contract_no: String,
    pub voucher_no: String,
    pub ticket_no: String,
    pub payment_request_no: String,
    pub summary: String,
    pub credit_fen: i64,
    pub debit_fen: i64,
}

/// One of the desk's ledger entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct OurRow {
    pub entry_id: i64,
    pub date: NaiveDate,
    pub builder: String,
    pub contractor_id: i64,
    pub contract_no: String,
    pub voucher_no: String,
    pub ticket_no: String,
    pub payment_request_no: String,
    pub summary: String,
    pub credit_fen: i64,
    pub debit_fen: i64,
}

/// A matched pair, kept short (a quarter may have many): where each side is and what matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct MatchedRow {
    pub sheet: String,
    pub row: u32,
    pub entry_id: i64,
    pub their_date: NaiveDate,
    pub our_date: NaiveDate,
    /// The desk's name of the builder.
    pub builder: String,
    pub voucher_no: String,
    pub credit_fen: i64,
    pub debit_fen: i64,
    /// `Voucher` · `PaymentRequest` · `Ticket` · `SameDate` · `NearDate`.
    pub rule: String,
    /// e.g. 凭证号相同.
    pub rule_label: String,
}

/// The same booking (same builder and reference) written with different amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DifferingRow {
    pub theirs: TheirRow,
    pub ours: OurRow,
    /// Which reference paired them: `Voucher` · `PaymentRequest` · `Ticket`.
    pub rule: String,
    pub rule_label: String,
    /// Their net − our net (credit − debit).
    pub difference_fen: i64,
}

/// A known contractor offered for an unknown spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BuilderCandidate {
    pub contractor_id: i64,
    pub name: String,
}

/// A builder of their file the desk cannot place: the user picks a candidate (or another
/// contractor) and [`Desk::confirm_builder_alias`] remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct UnknownBuilder {
    /// As first spelled in the file.
    pub spelling: String,
    /// Rows of the quarter with this spelling (they are in `only_theirs` until confirmed).
    pub rows: u32,
    /// Known contractors whose names are near this spelling (may be empty).
    pub candidates: Vec<BuilderCandidate>,
}

/// One builder's sums of the quarter on both sides, fen (net = credit − debit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BuilderTotal {
    /// The desk's name, or the department's spelling when unknown.
    pub name: String,
    pub contractor_id: Option<i64>,
    pub theirs_fen: i64,
    pub ours_fen: i64,
    pub theirs_credit_fen: i64,
    pub theirs_debit_fen: i64,
    pub ours_credit_fen: i64,
    pub ours_debit_fen: i64,
    /// theirs − ours.
    pub difference_fen: i64,
}

/// What a reconciliation found; also the JSON kept with a saved run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReconcilePreview {
    pub project_id: i64,
    pub project: String,
    /// `2026Q3`.
    pub quarter: String,
    /// 2026年第3季度.
    pub quarter_label: String,
    pub file_name: String,
    pub sha256: String,
    /// Rows of their file in the quarter, and our entries of the quarter.
    pub their_rows: u32,
    pub our_entries: u32,
    /// Rows of their file dated outside the quarter: left out of the reconciliation.
    pub outside_quarter: u32,
    /// Spellings to confirm; empty when every builder is placed.
    pub unknown_builders: Vec<UnknownBuilder>,
    pub matched: Vec<MatchedRow>,
    pub only_theirs: Vec<TheirRow>,
    pub only_ours: Vec<OurRow>,
    pub amount_differs: Vec<DifferingRow>,
    pub builders: Vec<BuilderTotal>,
    /// Cells of their file that could not be read (those rows are not reconciled).
    pub errors: Vec<FileProblem>,
    pub warnings: Vec<FileProblem>,
    /// Plain sentences for the window and the statement (rows left out, file problems).
    pub notes: Vec<String>,
    /// 字段对应, as in the A3 wizard: the 明细 columns with samples and their match (runs saved
    /// before it have none).
    #[serde(default)]
    pub columns: Vec<ColumnMatch>,
    #[serde(default)]
    pub fields: Vec<FieldOption>,
    /// A needed column was matched by its words only, or its values doubt it, or no header was
    /// found: the page opens the mapping step.
    #[serde(default)]
    pub needs_mapping: bool,
    /// The mapping in effect (`表头=2,H=credit`), empty when none.
    #[serde(default)]
    pub mapping: String,
    #[serde(default)]
    pub mapping_remembered: bool,
    /// No header was found: what was looked for and the first rows (nothing is reconciled).
    #[serde(default)]
    pub no_header: Option<NoHeader>,
}

impl ReconcilePreview {
    /// Whether both sides agree row by row (and every builder is placed, the file is clean).
    pub fn balanced(&self) -> bool {
        self.only_theirs.is_empty() && self.only_ours.is_empty() && self.amount_differs.is_empty() && self.unknown_builders.is_empty() && self.errors.is_empty()
    }
}

/// A cell of their file that could not be read (or is worth a look), as the ledger import
/// reports it: sheet, the row Excel shows, the column letter, its label and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FileProblem {
    pub sheet: String,
    pub row: u32,
    pub column: String,
    pub label: String,
    pub message: String,
}

impl From<CellError> for FileProblem {
    fn from(e: CellError) -> Self {
        FileProblem { sheet: e.sheet, row: e.row, column: e.column, label: e.label, message: e.message }
    }
}

/// The statement files written by [`Desk::export_reconciliation`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReconcileExport {
    pub xlsx: String,
    pub pdf: String,
    pub matched: u32,
    pub differences: u32,
}

/// How their spellings map to the desk's contractors: by normalised name, then by alias.
#[derive(Default)]
struct NameMap {
    by_norm: HashMap<String, i64>,
    names: HashMap<i64, String>,
    contractors: Vec<(i64, String)>,
}

impl NameMap {
    fn load(c: &Db) -> DeskResult<NameMap> {
        let contractors: Vec<(i64, String)> = master::list_contractors(c)?.into_iter().map(|x| (x.id, x.name)).collect();
        let mut by_norm: HashMap<String, i64> = contractors.iter().map(|(id, n)| (names::normalize(n), *id)).collect();
        for a in store::aliases(c)? {
            by_norm.entry(a.alias_norm).or_insert(a.contractor_id);
        }
        let names = contractors.iter().cloned().collect();
        Ok(NameMap { by_norm, names, contractors })
    }

    fn name(&self, id: i64) -> String {
        self.names.get(&id).cloned().unwrap_or_default()
    }
}

fn rule_code(r: MatchRule) -> (String, String) {
    (r.code().to_string(), r.label().to_string())
}

fn their_row(m: &MovementRow, contractor_id: Option<i64>) -> TheirRow {
    TheirRow {
        sheet: m.sheet.clone(),
        row: m.row,
        date: m.date,
        builder: m.builder.clone(),
        contractor_id,
        contract_no: m.contract_no.clone(),
        voucher_no: m.voucher_no.clone(),
        ticket_no: m.ticket_no.clone(),
        payment_request_no: m.payment_request_no.clone(),
        summary: m.summary.clone(),
        credit_fen: m.credit.0,
        debit_fen: m.debit.0,
    }
}

fn our_row(e: &QuarterEntry, map: &NameMap) -> OurRow {
    OurRow {
        entry_id: e.id,
        date: e.date,
        builder: map.name(e.contractor_id),
        contractor_id: e.contractor_id,
        contract_no: e.contract_no.clone(),
        voucher_no: e.voucher_no.clone(),
        ticket_no: e.ticket_no.clone(),
        payment_request_no: e.payment_request_no.clone(),
        summary: e.summary.clone(),
        credit_fen: e.credit_fen,
        debit_fen: e.debit_fen,
    }
}

/// Builds the preview from what was read (their rows already cut to the quarter).
fn build_preview(
    wb: LedgerWorkbook,
    theirs: Vec<MovementRow>,
    outside_quarter: u32,
    ours: Vec<QuarterEntry>,
    map: &NameMap,
    (project_id, project, quarter): (i64, String, Quarter),
) -> ReconcilePreview {
    // Place each distinct spelling once (a file has a few dozen builders, not 100k).
    let mut placed: HashMap<String, BuilderKey> = HashMap::new();
    let mut unknown: Vec<UnknownBuilder> = Vec::new();
    let mut unknown_ix: HashMap<String, usize> = HashMap::new();
    let mut their_keys: Vec<BuilderKey> = Vec::with_capacity(theirs.len());
    for m in &theirs {
        let norm = names::normalize(&m.builder);
        let key = placed
            .entry(norm.clone())
            .or_insert_with(|| match map.by_norm.get(&norm) {
                Some(id) => BuilderKey::Known(*id),
                None => BuilderKey::Unknown(norm.clone()),
            })
            .clone();
        if let BuilderKey::Unknown(_) = key {
            let i = *unknown_ix.entry(norm).or_insert_with(|| {
                let candidates = map
                    .contractors
                    .iter()
                    .filter(|(_, n)| names::near(&m.builder, n))
                    .map(|(id, n)| BuilderCandidate { contractor_id: *id, name: n.clone() })
                    .collect();
                unknown.push(UnknownBuilder { spelling: m.builder.clone(), rows: 0, candidates });
                unknown.len() - 1
            });
            unknown[i].rows += 1;
        }
        their_keys.push(key);
    }

    let their_lines: Vec<Line> = theirs
        .iter()
        .zip(&their_keys)
        .map(|(m, k)| Line {
            builder: k.clone(),
            date: m.date,
            credit: m.credit.0,
            debit: m.debit.0,
            voucher: m.voucher_no.clone(),
            request_no: m.payment_request_no.clone(),
            ticket_no: m.ticket_no.clone(),
        })
        .collect();
    let our_lines: Vec<Line> = ours
        .iter()
        .map(|e| Line {
            builder: BuilderKey::Known(e.contractor_id),
            date: e.date,
            credit: e.credit_fen,
            debit: e.debit_fen,
            voucher: e.voucher_no.clone(),
            request_no: e.payment_request_no.clone(),
            ticket_no: e.ticket_no.clone(),
        })
        .collect();
    let Outcome { matched, amount_differs, only_theirs, only_ours, totals } = reconcile(&their_lines, &our_lines);
    drop((their_lines, our_lines));

    let cid = |k: &BuilderKey| match k {
        BuilderKey::Known(id) => Some(*id),
        BuilderKey::Unknown(_) => None,
    };
    let matched = matched
        .iter()
        .map(|p| {
            let (m, e) = (&theirs[p.theirs], &ours[p.ours]);
            let (rule, rule_label) = rule_code(p.rule);
            MatchedRow {
                sheet: m.sheet.clone(),
                row: m.row,
                entry_id: e.id,
                their_date: m.date,
                our_date: e.date,
                builder: map.name(e.contractor_id),
                voucher_no: if e.voucher_no.is_empty() { m.voucher_no.clone() } else { e.voucher_no.clone() },
                credit_fen: e.credit_fen,
                debit_fen: e.debit_fen,
                rule,
                rule_label,
            }
        })
        .collect();
    let amount_differs = amount_differs
        .iter()
        .map(|p| {
            let (t, o) = (their_row(&theirs[p.theirs], cid(&their_keys[p.theirs])), our_row(&ours[p.ours], map));
            let (rule, rule_label) = rule_code(p.rule);
            let difference_fen = (t.credit_fen - t.debit_fen).saturating_sub(o.credit_fen - o.debit_fen);
            DifferingRow { theirs: t, ours: o, rule, rule_label, difference_fen }
        })
        .collect();
    let only_theirs = only_theirs.iter().map(|&i| their_row(&theirs[i], cid(&their_keys[i]))).collect();
    let only_ours = only_ours.iter().map(|&i| our_row(&ours[i], map)).collect();

    let unknown_name =
        |norm: &str| unknown.iter().find(|u| names::normalize(&u.spelling) == norm).map(|u| u.spelling.clone()).unwrap_or_else(|| norm.to_string());
    let mut builders: Vec<BuilderTotal> = totals
        .iter()
        .map(|(k, t)| BuilderTotal {
            name: match k {
                BuilderKey::Known(id) => map.name(*id),
                BuilderKey::Unknown(norm) => unknown_name(norm),
            },
            contractor_id: cid(k),
            theirs_fen: t.theirs_net(),
            ours_fen: t.ours_net(),
            theirs_credit_fen: t.theirs_credit,
            theirs_debit_fen: t.theirs_debit,
            ours_credit_fen: t.ours_credit,
            ours_debit_fen: t.ours_debit,
            difference_fen: t.theirs_net().saturating_sub(t.ours_net()),
        })
        .collect();
    builders.sort_by(|a, b| (a.contractor_id.is_none(), &a.name).cmp(&(b.contractor_id.is_none(), &b.name)));

    let mut notes = Vec::new();
    if outside_quarter > 0 {
        notes.push(format!("文件中有 {outside_quarter} 行的日期不在{}，未参与本次对账", quarter.label()));
    }
    if !wb.errors.is_empty() {
        notes.push(format!("文件中有 {} 个单元格无法识别，所在行未参与对账（见文件问题）", wb.errors.len()));
    }
    if !unknown.is_empty() {
        notes.push(format!("有 {} 个施工单位名称尚未对应到本系统的单位，其各行暂列为「仅项目部有」", unknown.len()));
    }
    ReconcilePreview {
        project_id,
        project,
        quarter: quarter.to_string(),
        quarter_label: quarter.label(),
        file_name: wb.file_name,
        sha256: wb.sha256,
        their_rows: theirs.len() as u32,
        our_entries: ours.len() as u32,
        outside_quarter,
        unknown_builders: unknown,
        matched,
        only_theirs,
        only_ours,
        amount_differs,
        builders,
        errors: wb.errors.into_iter().map(FileProblem::from).collect(),
        warnings: wb.warnings.into_iter().map(FileProblem::from).collect(),
        notes,
        // Filled in by the caller, which knows how the file was read.
        columns: Vec::new(),
        fields: Vec::new(),
        needs_mapping: false,
        mapping: String::new(),
        mapping_remembered: false,
        no_header: None,
    }
}

/// Characters Windows refuses in a file name.
impl Desk {
    /// Reads the department's ledger file at `path` and reconciles its rows of `quarter` with
    /// the active project's entries of that quarter. Writes nothing.
    pub fn reconcile_preview(&self, path: &Path, quarter: Quarter) -> DeskResult<ReconcilePreview> {
        self.reconcile_preview_mapped_with(path, quarter, None, &Progress::none())
    }

    /// [`Desk::reconcile_preview`] in two steps reported to `p`; writes nothing (but a mapping
    /// given), so it may be cancelled at any point.
    pub fn reconcile_preview_with(&self, path: &Path, quarter: Quarter, p: &Progress) -> DeskResult<ReconcilePreview> {
        self.reconcile_preview_mapped_with(path, quarter, None, p)
    }

    /// [`Desk::reconcile_preview`] with the user's column mapping (`H=credit,I=debit`, `表头=2`);
    /// `None` uses the one remembered for files of this header shape. A mapping given is
    /// remembered at once, so saving and exporting the run read the file the same way.
    pub fn reconcile_preview_mapped(&self, path: &Path, quarter: Quarter, map: Option<&str>) -> DeskResult<ReconcilePreview> {
        self.reconcile_preview_mapped_with(path, quarter, map, &Progress::none())
    }

    /// [`Desk::reconcile_preview_mapped`] in two steps reported to `p`.
    pub fn reconcile_preview_mapped_with(&self, path: &Path, quarter: Quarter, map: Option<&str>, p: &Progress) -> DeskResult<ReconcilePreview> {
        let project = self.active_project()?;
        p.step(0, 2, "读取财务部的明细账");
        let (mut wb, mapping, remembered) = self.ledger_workbook_mapped(path, map)?;
        p.check()?;
        p.step(1, 2, "逐笔核对");
        let columns = std::mem::take(&mut wb.mapping);
        let needs = crate::fund::ledger::needs_mapping_of(&wb, &columns);
        let finish = |mut r: ReconcilePreview, no_header: Option<NoHeader>| {
            if remembered {
                r.notes.insert(0, format!("已按上次确认的字段对应读取：{mapping}"));
            }
            ReconcilePreview {
                columns: columns.clone(),
                fields: movement_fields(),
                needs_mapping: needs,
                mapping: mapping.clone(),
                mapping_remembered: remembered,
                no_header,
                ..r
            }
        };
        if let Some(n) = wb.no_header.take() {
            let r = build_preview(wb, Vec::new(), 0, Vec::new(), &NameMap::default(), (project.id, project.name, quarter));
            return Ok(finish(r, Some(n)));
        }
        if wb.movements.is_empty() && wb.errors.is_empty() {
            return Err(DeskError::invalid("path", format!("「{}」中没有保修金明细行（需要含「日期」「施工单位」和金额列的明细表）", wb.file_name)));
        }
        let movements = std::mem::take(&mut wb.movements);
        let total = movements.len();
        let theirs: Vec<MovementRow> = movements.into_iter().filter(|m| quarter.contains(m.date)).collect();
        let outside = (total - theirs.len()) as u32;
        let reader = self.store.reader()?;
        let c = &reader.db();
        let ours = store::quarter_entries(c, project.id, quarter.first_day(), quarter.last_day())?;
        let map = NameMap::load(c)?;
        Ok(finish(build_preview(wb, theirs, outside, ours, &map, (project.id, project.name, quarter)), None))
    }

    /// Remembers that the department's `their_spelling` means contractor `contractor_id`
    /// (audited). Confirming the same mapping again changes nothing; a spelling already mapped
    /// to another contractor is refused.
    pub fn confirm_builder_alias(&self, s: &Session, their_spelling: &str, contractor_id: i64) -> DeskResult<BuilderAlias> {
        let alias = their_spelling.trim();
        let norm = names::normalize(alias);
        if norm.is_empty() {
            return Err(DeskError::invalid("spelling", "施工单位名称不能为空"));
        }
        let at = self.now();
        self.store.with_tx(|tx| {
            let contractor =
                master::list_contractors(tx)?.into_iter().find(|x| x.id == contractor_id).ok_or_else(|| DeskError::new(ErrorKind::NotFound, "没有这个单位"))?;
            let existing = store::aliases(tx)?.into_iter().find(|a| a.alias_norm == norm);
            if let Some(a) = existing {
                if a.contractor_id == contractor_id {
                    return Ok(a);
                }
                return Err(DeskError::new(ErrorKind::Conflict, format!("「{alias}」已确认为「{}」，不能再对应到「{}」", a.contractor, contractor.name)));
            }
            if names::normalize(&contractor.name) == norm {
                return Err(DeskError::invalid("spelling", format!("「{alias}」与单位名称「{}」相同，无需确认", contractor.name)));
            }
            let id = store::save_alias(tx, alias, &norm, contractor_id, at.timestamp(), Some(s.staff_id))?;
            audit::append(
                tx,
                at,
                Some(s.staff_id),
                AuditAction::ConfirmBuilderAlias,
                "contractor",
                contractor_id,
                &format!("确认项目部台账中的「{alias}」即「{}」", contractor.name),
            )?;
            Ok(BuilderAlias {
                id,
                alias: alias.to_string(),
                alias_norm: norm.clone(),
                contractor_id,
                contractor: contractor.name,
                at: at.timestamp(),
                actor: s.name.clone(),
            })
        })
    }

    /// The confirmed spellings, for the settings page.
    pub fn builder_aliases(&self) -> DeskResult<Vec<BuilderAlias>> {
        Ok(store::aliases(&self.store.reader()?.db())?)
    }

    /// Reconciles again and keeps the run: who, when, which file (name and SHA-256), the counts
    /// and the whole result as JSON (audited). Returns the run's id.
    pub fn save_reconciliation(&self, s: &Session, path: &Path, quarter: Quarter) -> DeskResult<i64> {
        let p = self.reconcile_preview(path, quarter)?;
        if let Some(n) = &p.no_header {
            return Err(DeskError::invalid("path", n.looked_for.clone()));
        }
        let json = serde_json::to_string(&p).map_err(|e| DeskError::storage(format!("对账结果无法保存：{e}")))?;
        let at = self.now();
        self.store.with_tx(|tx| {
            let run = store::NewRun {
                project_id: p.project_id,
                quarter: &p.quarter,
                file_name: &p.file_name,
                sha256: &p.sha256,
                matched: p.matched.len() as i64,
                only_theirs: p.only_theirs.len() as i64,
                only_ours: p.only_ours.len() as i64,
                amount_differs: p.amount_differs.len() as i64,
                result_json: &json,
                at: at.timestamp(),
                actor_id: Some(s.staff_id),
            };
            let id = store::insert_run(tx, &run)?;
            let detail = format!(
                "保存{}对账结果（文件「{}」）：相符 {} 笔，仅项目部有 {} 笔，仅保修中心有 {} 笔，金额不符 {} 笔",
                p.quarter_label, p.file_name, run.matched, run.only_theirs, run.only_ours, run.amount_differs
            );
            audit::append(tx, at, Some(s.staff_id), AuditAction::SaveReconciliation, "reconciliation", id, &detail)?;
            Ok(id)
        })
    }

    /// The saved runs of the active project, newest first.
    pub fn reconciliations(&self) -> DeskResult<Vec<ReconciliationRun>> {
        let project = self.active_project()?;
        Ok(store::runs(&self.store.reader()?.db(), project.id)?)
    }

    /// A saved run with its result as it was when saved.
    pub fn reconciliation(&self, id: i64) -> DeskResult<(ReconciliationRun, ReconcilePreview)> {
        let (run, json) = store::run(&self.store.reader()?.db(), id)?;
        let p = serde_json::from_str(&json).map_err(|e| DeskError::storage(format!("对账记录 #{id} 的结果无法读取：{e}")))?;
        Ok((run, p))
    }

    /// Writes the 对账单 into `out_dir` as `<项目>保修金对账单-2026Q3.xlsx` and `.pdf`.
    pub fn export_reconciliation(&self, quarter: Quarter, path: &Path, out_dir: &Path) -> DeskResult<ReconcileExport> {
        let project = self.active_project()?;
        std::fs::create_dir_all(out_dir).map_err(|e| DeskError::storage(format!("无法创建文件夹「{}」：{e}", out_dir.display())))?;
        let xlsx = out_dir.join(desk_domain::file_name::safe_file_name(&format!("{}保修金对账单-{quarter}.xlsx", project.name)));
        self.export_reconciliation_to(quarter, path, &xlsx)
    }

    /// Writes the 对账单 workbook at `xlsx` and the PDF beside it (same name, `.pdf`).
    pub fn export_reconciliation_to(&self, quarter: Quarter, path: &Path, xlsx: &Path) -> DeskResult<ReconcileExport> {
        let p = self.reconcile_preview(path, quarter)?;
        self.write_reconciliation_statement(&p, xlsx)
    }

    /// Writes the 对账单 of a preview already made (the wizard's, or a saved run's) at `xlsx`
    /// and the PDF beside it, without reading the file again.
    pub fn write_reconciliation_statement(&self, p: &ReconcilePreview, xlsx: &Path) -> DeskResult<ReconcileExport> {
        // A file whose header was not found was not read: there is nothing to state.
        if let Some(n) = &p.no_header {
            return Err(DeskError::invalid("path", n.looked_for.clone()));
        }
        let now = self.now();
        let s = statement_of(p, desk_domain::time::fmt_local(now));
        let pdf: PathBuf = xlsx.with_extension("pdf");
        statement::write_xlsx(xlsx, &s).map_err(|e| DeskError::storage(format!("生成对账单 Excel 失败：{e}")))?;
        let created = now.with_timezone(&desk_domain::time::desk_tz()).naive_local();
        let bytes = statement::render_pdf(&s, created).map_err(|e| DeskError::storage(format!("生成对账单 PDF 失败：{e}")))?;
        std::fs::write(&pdf, bytes).map_err(|e| DeskError::storage(format!("无法写入「{}」（可能正被其他程序打开，或没有写入权限）：{e}", pdf.display())))?;
        Ok(ReconcileExport {
            xlsx: xlsx.display().to_string(),
            pdf: pdf.display().to_string(),
            matched: p.matched.len() as u32,
            differences: s.differences.len() as u32,
        })
    }
}

/// The statement of a preview: totals per builder, then the differences (only theirs, only
/// ours, amounts differing), each with the department's sheet and row or our entry number.
pub fn statement_of(p: &ReconcilePreview, generated: String) -> Statement {
    let place = |sheet: &str, row: u32| format!("{sheet} 第{row}行");
    let net = |c: i64, d: i64| Fen(c.saturating_sub(d));
    let mut differences: Vec<StatementDifference> = Vec::new();
    differences.extend(p.only_theirs.iter().map(|t| StatementDifference {
        kind: statement::ONLY_THEIRS.into(),
        their_ref: place(&t.sheet, t.row),
        their_date: Some(t.date),
        builder: t.builder.clone(),
        voucher_no: t.voucher_no.clone(),
        ticket_no: t.ticket_no.clone(),
        payment_request_no: t.payment_request_no.clone(),
        summary: t.summary.clone(),
        theirs: Some(net(t.credit_fen, t.debit_fen)),
        ..Default::default()
    }));
    differences.extend(p.only_ours.iter().map(|o| StatementDifference {
        kind: statement::ONLY_OURS.into(),
        our_ref: format!("分录 #{}", o.entry_id),
        our_date: Some(o.date),
        builder: o.builder.clone(),
        voucher_no: o.voucher_no.clone(),
        ticket_no: o.ticket_no.clone(),
        payment_request_no: o.payment_request_no.clone(),
        summary: o.summary.clone(),
        ours: Some(net(o.credit_fen, o.debit_fen)),
        ..Default::default()
    }));
    differences.extend(p.amount_differs.iter().map(|d| StatementDifference {
        kind: statement::DIFFERS.into(),
        their_ref: place(&d.theirs.sheet, d.theirs.row),
        our_ref: format!("分录 #{}", d.ours.entry_id),
        their_date: Some(d.theirs.date),
        our_date: Some(d.ours.date),
        builder: d.ours.builder.clone(),
        voucher_no: d.theirs.voucher_no.clone(),
        ticket_no: d.theirs.ticket_no.clone(),
        payment_request_no: d.theirs.payment_request_no.clone(),
        summary: d.theirs.summary.clone(),
        theirs: Some(net(d.theirs.credit_fen, d.theirs.debit_fen)),
        ours: Some(net(d.ours.credit_fen, d.ours.debit_fen)),
    }));
    Statement {
        project: p.project.clone(),
        quarter_label: p.quarter_label.clone(),
        file_name: p.file_name.clone(),
        generated,
        matched: p.matched.len(),
        builders: p
            .builders
            .iter()
            .map(|b| StatementBuilder {
                name: b.name.clone(),
                theirs_credit: Fen(b.theirs_credit_fen),
                theirs_debit: Fen(b.theirs_debit_fen),
                ours_credit: Fen(b.ours_credit_fen),
                ours_debit: Fen(b.ours_debit_fen),
            })
            .collect(),
        differences,
        notes: p.notes.clone(),
    }
}
