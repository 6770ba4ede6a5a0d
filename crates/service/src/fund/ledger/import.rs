//! A3: reading the department's ledger workbook, previewing it and importing it in one transaction; the confirmed column mapping is remembered per header shape.

use super::plan::{plan_import, write_plan};
use super::*;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use crate::fund::workbook::{format_column_map, parse_column_map, read_ledger_workbook_or_rows, LedgerWorkbook};
use crate::job::Progress;
use desk_documents::excel_in::Limits;
use desk_domain::records::Project;
use desk_domain::time::fmt_local;
use desk_store::{fund_import, imports, settings};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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
    pub fn import_ledger_mapped(
        &self,
        s: &Session,
        project_id: Option<i64>,
        path: &Path,
        valid_rows_only: bool,
        map: Option<&str>,
    ) -> DeskResult<LedgerImportPreview> {
        self.import_ledger_with(s, project_id, path, valid_rows_only, map, &Progress::none())
    }

    /// [`Desk::import_ledger_mapped`] reporting rows written to `p`. A cancel before the commit
    /// rolls the one transaction back: nothing of the file is written.
    pub fn import_ledger_with(
        &self,
        s: &Session,
        project_id: Option<i64>,
        path: &Path,
        valid_rows_only: bool,
        map: Option<&str>,
        p: &Progress,
    ) -> DeskResult<LedgerImportPreview> {
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
        self.projects()?.into_iter().find(|p| p.id == id).ok_or_else(|| DeskError::new(ErrorKind::NotFound, format!("没有编号为 {id} 的项目")))
    }

    /// Remembers that the file's spelling `spelling` means builder `contractor_id` (a near match
    /// the user confirmed); later imports and reconciliations match it directly.
    pub fn confirm_ledger_builder(&self, s: &Session, spelling: &str, contractor_id: i64) -> DeskResult<()> {
        // One remembered mapping serves A3 and B4 alike (see `confirm_builder_alias`).
        self.confirm_builder_alias(s, spelling, contractor_id).map(|_| ())
    }

    fn ledger_import(
        &self,
        project: &Project,
        actor: Option<&Session>,
        path: &Path,
        valid_rows_only: bool,
        map: Option<&str>,
        progress: &Progress,
    ) -> DeskResult<LedgerImportPreview> {
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
        let check_and_write = |tx: &desk_store::Db| -> DeskResult<LedgerImportPreview> {
            let already = imports::find(tx, IMPORT_KIND, &wb.sha256)?;
            if let (Some(_), Some(at)) = (actor, already) {
                return Err(DeskError::new(ErrorKind::Conflict, format!("文件「{}」已于 {} 导入过（内容完全相同），未重复导入", wb.file_name, fmt_local(at))));
            }
            // A big file's plan scans every entry of the project (duplicate vouchers): read
            // through a memory map rather than copying each page out of the OS cache.
            let mapped = if wb.movements.len() > 10_000 { Some(fund_import::set_mmap(tx, 1 << 30)?) } else { None };
            let plan = plan_import(tx, project, &wb);
            if let Some(m) = mapped {
                fund_import::restore_mmap(tx, m)?;
            }
            let mut plan = plan?;
            progress.check()?;
            progress.step(rows, rows, "正在核对");
            plan.preview.already_imported_at = already.map(fmt_local);
            plan.preview.mapping = format_column_map(&overrides);
            plan.preview.mapping_remembered = remembered;
            if remembered {
                plan.preview.notes.insert(0, format!("已按上次确认的字段对应读取：{}", plan.preview.mapping));
            }
            let Some(s) = actor else { return Ok(plan.preview) };
            if let Some(n) = &wb.no_header {
                return Err(DeskError::invalid("path", format!("未导入任何数据。{}", n.looked_for)));
            }
            if !plan.preview.errors.is_empty() && !valid_rows_only {
                let p = &plan.preview;
                return Err(DeskError::new(ErrorKind::Invalid, format!("保修金明细账有 {} 处错误，未导入任何数据。第一处：{}", p.errors.len(), p.errors[0])));
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

impl Desk {
    /// The ledger file at `path` read for B4 with the user's column mapping: the one given (then
    /// remembered for files of this header shape at once — a reconciliation writes no rows, and
    /// saving or exporting it reads the file again), else the one remembered, else none. Returns
    /// the workbook (possibly with [`LedgerWorkbook::no_header`]), the mapping in effect as text
    /// and whether it was remembered.
    pub(crate) fn ledger_workbook_mapped(&self, path: &Path, map: Option<&str>) -> DeskResult<(LedgerWorkbook, String, bool)> {
        let given = map.map(parse_column_map).transpose()?;
        let mut overrides = given.clone().unwrap_or_default();
        let mut wb = read_ledger_workbook_or_rows(path, &Limits::default(), &overrides)?;
        let key = mapping_key(&wb.shape);
        let mut remembered = false;
        if wb.shape.is_empty() {
            // Nothing to remember a mapping by.
        } else if let Some(g) = &given {
            self.store.with_tx(|tx| Ok::<_, DeskError>(settings::set(tx, &key, &format_column_map(g))?))?;
        } else if let Some(saved) = self.store.with_tx(|tx| Ok::<_, DeskError>(settings::get(tx, &key)?))?.filter(|m| !m.is_empty()) {
            if let Ok(o) = parse_column_map(&saved) {
                overrides = o;
                wb = read_ledger_workbook_or_rows(path, &Limits::default(), &overrides)?;
                remembered = true;
            }
        }
        Ok((wb, format_column_map(&overrides), remembered))
    }
}

/// The setting holding the mapping confirmed for a 明细 header shape (A3 and B4 alike: one
/// reader, one meaning of a column).
fn mapping_key(shape: &str) -> String {
    format!("{}{shape}", crate::settings::LEDGER_COLUMN_MAP)
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
        None => Arc::new(read_ledger_workbook_or_rows(path, &Limits::default(), overrides)?),
    };
    if !commit && wb.sha256 == sha {
        *last = Some((path.to_path_buf(), key, Arc::clone(&wb)));
    }
    Ok(wb)
}
