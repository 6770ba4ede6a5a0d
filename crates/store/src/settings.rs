//! Key/value settings of this desk (e.g. which project is active).

use crate::Db;
use crate::Result;
use rusqlite::OptionalExtension;

pub fn get(tx: &Db, key: &str) -> Result<Option<String>> {
    Ok(tx.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub fn set(tx: &Db, key: &str, value: &str) -> Result<()> {
    tx.execute("INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])?;
    Ok(())
}

/// Every stored setting, by key (for the check of damaged values).
pub fn all(tx: &Db) -> Result<Vec<(String, String)>> {
    let mut stmt = tx.prepare("SELECT key, value FROM setting ORDER BY key")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
