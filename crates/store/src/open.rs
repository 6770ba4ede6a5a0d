//! Opening the database file: checks, PRAGMAs, migrations.

use crate::{migrate, Result, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// The desk's database: one connection (the desk has one writer).
pub struct Store {
    pub(crate) conn: Connection,
    path: Option<PathBuf>,
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

impl Store {
    /// Opens (or creates) the database file and migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::ReadOnly(format!("{}（{e}）", dir.display())))?;
            }
        }
        check_header(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify_open_error(e, &shown))?;
        let mut store = Store { conn, path: Some(path.to_path_buf()) };
        store.configure().map_err(|e| classify_open_error_store(e, &shown))?;
        migrate::run(&mut store.conn).map_err(|e| classify_open_error_store(e, &shown))?;
        Ok(store)
    }

    /// A throw-away database for tests.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store { conn, path: None };
        store.configure()?;
        migrate::run(&mut store.conn)?;
        Ok(store)
    }

    fn configure(&self) -> Result<()> {
        // WAL + synchronous=FULL: a save the clerk saw confirmed survives a power cut.
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.conn.pragma_update(None, "busy_timeout", 5000)?;
        self.conn.set_prepared_statement_cache_capacity(64);
        Ok(())
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `f` in one transaction: committed when it returns Ok, rolled back otherwise.
    pub fn with_tx<T, E>(&mut self, f: impl FnOnce(&rusqlite::Transaction) -> std::result::Result<T, E>) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        // IMMEDIATE: the write lock is taken at BEGIN, where the busy timeout makes a second
        // writer (another wdesk, a script) wait its turn. A deferred transaction that read first
        // would fail at its first write without waiting when the other one committed meanwhile.
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Read-only access outside a write transaction (one statement is its own snapshot).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Caps the database at `pages` pages (`PRAGMA max_page_count`; never below its current
    /// size; this connection only, until it closes) and returns the cap in effect. A write
    /// beyond it fails exactly like a full disk (SQLITE_FULL): how the tests fill the "disk"
    /// without one. `u32::MAX` lifts the cap.
    pub fn set_max_pages(&self, pages: u32) -> Result<u64> {
        Ok(self.conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// `PRAGMA integrity_check` — slow on big files; for `check` and after backups, never at start-up.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }
}

/// A non-empty file that does not start with SQLite's magic is junk or damaged: refuse it before
/// SQLite gets to treat it as something it could write to.
fn check_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let Ok(mut f) = std::fs::File::open(path) else { return Ok(()) };
    let mut head = [0u8; 16];
    match f.read(&mut head) {
        Ok(0) => Ok(()),
        Ok(n) if n == 16 && &head == SQLITE_MAGIC => Ok(()),
        _ => Err(StoreError::NotADatabase(path.display().to_string())),
    }
}

fn classify_open_error(e: rusqlite::Error, shown: &str) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied) => {
            StoreError::ReadOnly(shown.to_string())
        }
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::NotADatabase(shown.to_string()),
        _ => StoreError::Sqlite(e),
    }
}

fn classify_open_error_store(e: StoreError, shown: &str) -> StoreError {
    match e {
        StoreError::Sqlite(inner) => classify_open_error(inner, shown),
        other => other,
    }
}
