//! Files imported (kind + SHA-256), recorded in the import's own transaction so a re-import
//! after a crash can be recognised.

use crate::Db;
use crate::{from_unix, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

/// When a file with this content was imported before, if it was.
pub fn find(c: &Db, kind: &str, sha256: &str) -> Result<Option<DateTime<Utc>>> {
    Ok(c.query_row("SELECT at FROM import_file WHERE kind = ?1 AND sha256 = ?2", params![kind, sha256], |r| r.get::<_, i64>(0)).optional()?.map(from_unix))
}

pub fn record(c: &Db, kind: &str, sha256: &str, file_name: &str, rows: i64, at: DateTime<Utc>, actor_id: i64) -> Result<()> {
    c.execute(
        "INSERT INTO import_file(kind, sha256, file_name, rows, at, actor_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(kind, sha256) DO UPDATE SET at = excluded.at, rows = excluded.rows, actor_id = excluded.actor_id",
        params![kind, sha256, file_name, rows, at.timestamp(), actor_id],
    )?;
    Ok(())
}
