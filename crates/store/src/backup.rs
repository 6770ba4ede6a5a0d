//! Copies of the database made while the desk is open, with SQLite's online backup API (a
//! consistent snapshot page by page, writers are not blocked for long), verified with
//! `integrity_check` before they count; and reading what a backup holds before a restore.

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
    /// `dest` + `.part`, checked with `integrity_check`, flushed to disk, then renamed — so a
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
        {
            let mut out = Connection::open(&part).map_err(|e| StoreError::Conflict(format!("无法创建备份「{}」：{e}", part.display())))?;
            {
                let conn = self.writer()?;
                let b = Backup::new(&conn, &mut out)?;
                // 256 pages (1 MB) a step, no pause: a backup of a big file does not hold the
                // write lock for its whole length, yet finishes quickly on an idle desk.
                let copied = copy_pages(&b, step).map_err(|e| backup_error(e, dest));
                match copied {
                    Ok(true) => {}
                    Ok(false) => {
                        drop(b);
                        drop(out);
                        let _ = std::fs::remove_file(&part);
                        return Err(StoreError::Conflict("备份已取消，未保存".into()));
                    }
                    Err(e) => {
                        drop(b);
                        drop(out);
                        let _ = std::fs::remove_file(&part);
                        return Err(e);
                    }
                }
            }
            let problems = integrity(&Db::new(&out))?;
            if !problems.is_empty() {
                drop(out);
                let _ = std::fs::remove_file(&part);
                return Err(StoreError::Conflict(format!("备份校验未通过（{}），未保存", problems.join("；"))));
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

/// Runs a backup to the end, 256 pages a step, telling `step` how far it is; false when `step`
/// asked to stop.
fn copy_pages(b: &Backup<'_, '_>, step: &mut dyn FnMut(u64, u64) -> bool) -> rusqlite::Result<bool> {
    use rusqlite::backup::StepResult;
    loop {
        let r = b.step(256)?;
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

    #[test]
    fn junk_is_not_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.sqlite");
        std::fs::write(&junk, b"this is not a database at all, just text").unwrap();
        assert!(matches!(inspect(&junk), Err(StoreError::NotADatabase(_))));
    }
}
