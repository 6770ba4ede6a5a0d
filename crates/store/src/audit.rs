//! The audit log: who changed what, when. Append-only (SQL triggers refuse UPDATE/DELETE).

use crate::{from_unix, Result};
use chrono::{DateTime, Utc};
use desk_domain::records::AuditEntry;
use rusqlite::{params, Connection};

/// Appends one line. `detail` is a short Chinese sentence shown in the timeline as is.
pub fn append(c: &Connection, at: DateTime<Utc>, actor_id: Option<i64>, action: &str, entity: &str, entity_id: i64, detail: &str) -> Result<()> {
    c.execute(
        "INSERT INTO audit_log(at, actor_id, action, entity, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![at.timestamp(), actor_id, action, entity, entity_id, detail],
    )?;
    Ok(())
}

/// The history of one entity, oldest first.
pub fn list_for(c: &Connection, entity: &str, entity_id: i64) -> Result<Vec<AuditEntry>> {
    let mut stmt = c.prepare_cached(
        "SELECT a.id, a.at, s.name, a.action, a.entity, a.entity_id, a.detail
         FROM audit_log a LEFT JOIN staff s ON s.id = a.actor_id
         WHERE a.entity = ?1 AND a.entity_id = ?2 ORDER BY a.id",
    )?;
    let rows = stmt.query_map(params![entity, entity_id], row_to_entry)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The newest lines of the whole log (the audit screen), newest first, keyset by id.
pub fn list_recent(c: &Connection, before_id: Option<i64>, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut stmt = c.prepare_cached(
        "SELECT a.id, a.at, s.name, a.action, a.entity, a.entity_id, a.detail
         FROM audit_log a LEFT JOIN staff s ON s.id = a.actor_id
         WHERE a.id < ?1 ORDER BY a.id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![before_id.unwrap_or(i64::MAX), limit], row_to_entry)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

fn row_to_entry(r: &rusqlite::Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: from_unix(r.get(1)?),
        actor: r.get(2)?,
        action: r.get(3)?,
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        detail: r.get(6)?,
    })
}

/// Tickets that have no intake line in the audit log (should be none: intake writes both in
/// one transaction). For `wdesk check`.
pub fn tickets_without_intake(c: &Connection, limit: u32) -> Result<Vec<String>> {
    let mut stmt = c.prepare(
        "SELECT no FROM ticket t WHERE NOT EXISTS
           (SELECT 1 FROM audit_log a WHERE a.entity = 'ticket' AND a.entity_id = t.id AND a.action = 'intake') LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Rows that point at rows that do not exist (`PRAGMA foreign_key_check`).
pub fn foreign_key_problems(c: &Connection) -> Result<i64> {
    Ok(c.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?)
}
