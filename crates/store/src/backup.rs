//! Copies of the database made while the desk is open, with SQLite's online backup API (the
//! database as of the backup's start, read through a connection of its own, so the window's
//! saves go on meanwhile), verified with
//! `quick_check` before they count; and reading what a backup holds before a restore.

use crate::Db;
use crate::{migrate, Result, Store, StoreError};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::Path;
use std::time::Duration;

/// What a database file holds, to show before restoring it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DbSummary {
    pub schema_version: i64,
    pub projects: i64,
    pub units: i64,
    pub owners: i64,
    pub tickets: i64,
    pub ledger_entries: i64,
    /// Latest ticket report / audit line, UTC unix seconds (0 when none).
    pub last_ticket_at: i64,
    pub last_activity_at: i64,
    /// `integrity_check` found nothing wrong.
    pub intact: bool,
}

impl Store {
    /// Writes a snapshot of the open database to `dest` (replaced if present): first into
    /// `dest` + `.part`, checked with `quick_check`, flushed to disk, then renamed — so a
    /// file named like a backup is always a whole, sound one, even after a power cut.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        self.backup_to_with(dest, &mut |_, _| true)
    }

    /// [`Store::backup_to`] telling `step(pages copied, pages in all)` after each megabyte; when
    /// `step` returns false the copy stops, the `.part` file is removed and nothing is saved.
    pub fn backup_to_with(&self, dest: &Path, step: &mut dyn FnMut(u64, u64) -> bool) -> Result<()> {
        let part = dest.with_extension("part");
        let _ = std::fs::remove_file(&part);
        let io = |e: std::io::Error| StoreError::Conflict(format!("无法写入备份「{}」：{e}", dest.display()));
        let removed = |e: StoreError| {
            let _ = std::fs::remove_file(&part);
            e
        };
        {
            let mut out = Connection::open(&part).map_err(|e| StoreError::Conflict(format!("无法创建备份「{}」：{e}", part.display())))?;
            // The `.part` file is scratch until it is checked, flushed and renamed below: no
            // journal and no flush per step (a commit with fsync for every step was most of a
            // big file's backup time). A crash midway leaves only a `.part`, never a backup.
            out.pragma_update(None, "journal_mode", "OFF")?;
            out.pragma_update(None, "synchronous", "OFF")?;
            let copied = match self.path() {
                // A read-only connection of its own, holding one read transaction for the whole
                // copy: the backup is the database as of its start (WAL keeps that snapshot),
                // and the window's saves go on meanwhile instead of waiting for the writer's lock.
                Some(path) => {
                    let src = crate::open::open_reader(path)?;
                    src.execute_batch("BEGIN")?;
                    src.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
                    let b = Backup::new(&src, &mut out)?;
                    copy_pages(&b, step)
                }
                // An in-memory database has only its writer.
                None => {
                    let conn = self.writer()?;
                    let b = Backup::new(&conn, &mut out)?;
                    copy_pages(&b, step)
                }
            };
            match copied.map_err(|e| backup_error(e, dest)) {
                Ok(true) => {}
                Ok(false) => {
                    drop(out);
                    return Err(removed(StoreError::Conflict("备份已取消，未保存".into())));
                }
                Err(e) => {
                    drop(out);
                    return Err(removed(e));
                }
            }
            let problems = quick_check(&Db::new(&out));
            match problems {
                Ok(p) if p.is_empty() => {}
                Ok(p) => {
                    drop(out);
                    return Err(removed(StoreError::Conflict(format!("备份校验未通过（{}），未保存", p.join("；")))));
                }
                Err(e) => {
                    drop(out);
                    return Err(removed(e));
                }
            }
        }
        crate::durable::flush_and_rename(&part, dest).map_err(io)?;
        Ok(())
    }

    /// Replaces the whole content of the open database with the backup at `src` (online backup
    /// API in the other direction: the connection stays open and valid), then brings the schema
    /// up to date. The caller makes a safety backup first.
    pub fn restore_from(&self, src: &Path) -> Result<()> {
        self.restore_from_with(src, &mut |_, _| {})
    }

    /// [`Store::restore_from`] telling `step(pages copied, pages in all)` as it goes. Not
    /// cancellable: the copy replaces the data page by page.
    pub fn restore_from_with(&self, src: &Path, step: &mut dyn FnMut(u64, u64)) -> Result<()> {
        let from = open_read_only(src)?;
        let mut conn = self.writer()?;
        {
            let b = Backup::new(&from, &mut conn)?;
            copy_pages(&b, &mut |done, total| {
                step(done, total);
                true
            })?;
        }
        migrate::run(&mut conn)?;
        Ok(())
    }

    /// What the open database holds.
    pub fn summary(&self, with_integrity: bool) -> Result<DbSummary> {
        self.read(|c| summarize(c, with_integrity))
    }
}

/// Pages a backup step copies (16 MB of 4 KB pages): progress and 取消 are looked at this often.
const STEP_PAGES: i32 = 4096;

/// Runs a backup to the end, [`STEP_PAGES`] a step, telling `step` how far it is; false when `step`
/// asked to stop.
fn copy_pages(b: &Backup<'_, '_>, step: &mut dyn FnMut(u64, u64) -> bool) -> rusqlite::Result<bool> {
    use rusqlite::backup::StepResult;
    loop {
        let r = b.step(STEP_PAGES)?;
        let p = b.progress();
        let total = u64::try_from(p.pagecount).unwrap_or(0);
        let done = total.saturating_sub(u64::try_from(p.remaining).unwrap_or(0));
        match r {
            StepResult::Done => {
                step(total, total);
                return Ok(true);
            }
            StepResult::More => {
                if !step(done, total) {
                    return Ok(false);
                }
            }
            // Another connection holds a lock: wait a moment, as run_to_completion does.
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn backup_error(e: rusqlite::Error, dest: &Path) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => StoreError::Conflict(format!("备份位置「{}」磁盘已满，备份未完成", dest.display())),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied) => {
            StoreError::Conflict(format!("备份位置「{}」不可写入", dest.display()))
        }
        _ => e.into(),
    }
}

/// `PRAGMA quick_check`: every page of the file read once — the b-trees well formed, every page
/// used exactly once, every record readable. What it leaves to [`integrity`] is comparing every
/// index entry with its row, which on a page-for-page copy of a sound database can only differ
/// where a page's bytes changed without breaking its form; at a million tickets that comparison
/// takes 17–23 s against quick_check's 3 s, and the backup must not hold the desk that long.
/// `wdesk check` and the restore preview (before a backup is used) still run the full check.
fn quick_check(c: &Db) -> Result<Vec<String>> {
    let mut st = c.prepare("PRAGMA quick_check")?;
    let rows: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

fn integrity(c: &Db) -> Result<Vec<String>> {
    let mut st = c.prepare("PRAGMA integrity_check")?;
    let rows: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

fn open_read_only(path: &Path) -> Result<Connection> {
    let shown = path.display().to_string();
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|_| StoreError::NotADatabase(shown.clone()))?;
    // Reading the schema fails on a file that is not a database.
    c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(|_| StoreError::NotADatabase(shown))?;
    Ok(c)
}

/// What the database file at `path` holds (opened read-only; never modified). Refuses junk and
/// files of a newer desk.
pub fn inspect(path: &Path) -> Result<DbSummary> {
    let c = open_read_only(path)?;
    let s = summarize(&Db::new(&c), true)?;
    let supported = migrate::MIGRATIONS.len() as i64;
    if s.schema_version > supported {
        return Err(StoreError::TooNew { found: s.schema_version, supported });
    }
    Ok(s)
}

fn summarize(c: &Db, with_integrity: bool) -> Result<DbSummary> {
    let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has = |table: &str| -> Result<bool> {
        Ok(c.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get::<_, i64>(0))? > 0)
    };
    let count = |sql: &str, table: &str| -> Result<i64> {
        if has(table)? {
            Ok(c.query_row(sql, [], |r| r.get(0))?)
        } else {
            Ok(0)
        }
    };
    if version == 0 || !has("ticket")? {
        return Err(StoreError::NotADatabase("备份文件不是保修中心工作台的数据库".into()));
    }
    Ok(DbSummary {
        schema_version: version,
        projects: count("SELECT count(*) FROM project", "project")?,
        units: count("SELECT count(*) FROM unit", "unit")?,
        owners: count("SELECT count(*) FROM owner", "owner")?,
        tickets: count("SELECT count(*) FROM ticket", "ticket")?,
        ledger_entries: count("SELECT count(*) FROM ledger_entry", "ledger_entry")?,
        last_ticket_at: count("SELECT coalesce(max(reported_at), 0) FROM ticket", "ticket")?,
        last_activity_at: count("SELECT coalesce(max(at), 0) FROM audit_log", "audit_log")?,
        intact: !with_integrity || integrity(c)?.is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_is_a_sound_copy_and_restores_over_later_changes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        store
            .with_tx(|tx| -> Result<()> {
                tx.execute("INSERT INTO project(name, code, created_at) VALUES ('甲', 'A', 1)", [])?;
                Ok(())
            })
            .unwrap();
        let b = dir.path().join("b.sqlite");
        store.backup_to(&b).unwrap();
        assert!(!dir.path().join("b.part").exists());
        let s = inspect(&b).unwrap();
        assert_eq!((s.projects, s.intact), (1, true));
        store
            .with_tx(|tx| -> Result<()> {
                tx.execute("INSERT INTO project(name, code, created_at) VALUES ('乙', 'B', 2)", [])?;
                Ok(())
            })
            .unwrap();
        store.restore_from(&b).unwrap();
        assert_eq!(store.summary(true).unwrap().projects, 1);
    }

    /// A backup of a big file takes a while: the clerk's saves meanwhile go through (they used
    /// to wait for the whole copy on the writer's lock), and the backup is the database as of
    /// its start, whole.
    #[test]
    fn saves_go_on_during_a_backup_which_keeps_the_state_of_its_start() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let add = |code: &str| {
            store.with_tx(|tx| -> Result<()> {
                tx.execute("INSERT INTO project(name, code, created_at) VALUES (?1, ?1, 1)", [code])?;
                Ok(())
            })
        };
        add("A").unwrap();
        let b = dir.path().join("b.sqlite");
        let mut saved_during = Vec::new();
        store
            .backup_to_with(&b, &mut |_, _| {
                saved_during.push(add(&format!("during-{}", saved_during.len())).is_ok());
                true
            })
            .unwrap();
        assert!(!saved_during.is_empty() && saved_during.iter().all(|ok| *ok), "saves during the backup: {saved_during:?}");
        let s = inspect(&b).unwrap();
        assert_eq!((s.projects, s.intact), (1, true), "the backup holds the database of its start");
        assert_eq!(store.summary(false).unwrap().projects, 1 + saved_during.len() as i64);
    }

    #[test]
    fn junk_is_not_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.sqlite");
        std::fs::write(&junk, b"this is not a database at all, just text").unwrap();
        assert!(matches!(inspect(&junk), Err(StoreError::NotADatabase(_))));
    }
}
