//! The audit log: who changed what, when. Append-only (SQL triggers refuse UPDATE/DELETE).

use crate::Db;
use crate::{from_unix, Result};
use chrono::{DateTime, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::records::AuditEntry;
use rusqlite::params;

/// Appends one line. `detail` is a short Chinese sentence shown in the timeline as is.
pub fn append(c: &Db, at: DateTime<Utc>, actor_id: Option<i64>, action: AuditAction, entity: &str, entity_id: i64, detail: &str) -> Result<()> {
    c.execute(
        "INSERT INTO audit_log(at, actor_id, action, entity, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![at.timestamp(), actor_id, action.code(), entity, entity_id, detail],
    )?;
    Ok(())
}

/// What a person calls the thing a line is about (the ticket's number, the staff member's name,
/// the unit's address…), so the log reads without ids; None for kinds without a name.
pub fn entity_name(c: &Db, entity: &str, id: i64) -> Result<Option<String>> {
    let sql = match entity {
        "ticket" => "SELECT no FROM ticket WHERE id = ?1",
        "staff" => "SELECT name FROM staff WHERE id = ?1",
        "unit" => "SELECT building || '-' || entrance || '-' || room FROM unit WHERE id = ?1",
        "owner" => "SELECT name FROM owner WHERE id = ?1",
        "project" => "SELECT name FROM project WHERE id = ?1",
        "batch" => "SELECT name FROM batch WHERE id = ?1",
        "contractor" => "SELECT name FROM contractor WHERE id = ?1",
        "payment_request" => "SELECT no FROM payment_request WHERE id = ?1",
        _ => return Ok(None),
    };
    use rusqlite::OptionalExtension;
    Ok(c.prepare_cached(sql)?.query_row([id], |r| r.get::<_, String>(0)).optional()?)
}

/// The history of one entity, oldest first.
pub fn list_for(c: &Db, entity: &str, entity_id: i64) -> Result<Vec<AuditEntry>> {
    let mut stmt = c.prepare_cached(
        "SELECT a.id, a.at, s.name, a.action, a.entity, a.entity_id, a.detail
         FROM audit_log a LEFT JOIN staff s ON s.id = a.actor_id
         WHERE a.entity = ?1 AND a.entity_id = ?2 ORDER BY a.id",
    )?;
    let rows = stmt.query_map(params![entity, entity_id], row_to_entry)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The newest lines of the whole log (the audit screen), newest first, keyset by id.
pub fn list_recent(c: &Db, before_id: Option<i64>, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut stmt = c.prepare_cached(
        "SELECT a.id, a.at, s.name, a.action, a.entity, a.entity_id, a.detail
         FROM audit_log a LEFT JOIN staff s ON s.id = a.actor_id
         WHERE a.id < ?1 ORDER BY a.id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![before_id.unwrap_or(i64::MAX), limit], row_to_entry)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

fn row_to_entry(r: &rusqlite::Row) -> rusqlite::Result<AuditEntry> {
    let id: i64 = r.get(0)?;
    let action: AuditAction = crate::code::get(r, 3, "audit_log", "action", id)?;
    Ok(AuditEntry {
        id,
        at: from_unix(r.get(1)?),
        actor: r.get(2)?,
        action: action.code().to_string(),
        action_label: action.label().to_string(),
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        detail: r.get(6)?,
    })
}

/// Tickets that have no intake line in the audit log (should be none: intake writes both in
/// one transaction). For `wdesk check`.
pub fn tickets_without_intake(c: &Db, limit: u32) -> Result<Vec<String>> {
    let mut stmt = c.prepare(
        "SELECT no FROM ticket t WHERE NOT EXISTS
           (SELECT 1 FROM audit_log a WHERE a.entity = 'ticket' AND a.entity_id = t.id AND a.action = 'intake') LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Rows that point at rows that do not exist (`PRAGMA foreign_key_check`).
pub fn foreign_key_problems(c: &Db) -> Result<i64> {
    Ok(c.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?)
}

/// What the audit screen filters on. Every part is optional; `text` matches the detail, the
/// entity or the action as a plain substring (LIKE with the wildcards escaped).
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub before_id: Option<i64>,
    pub limit: u32,
    pub action: Option<String>,
    pub actor_id: Option<i64>,
    pub text: Option<String>,
}

/// The audit screen's page: newest first, keyset by id, filtered. The id index carries the
/// order; filters are checked row by row, which stays fast because a page stops at `limit`.
pub fn list_filtered(c: &Db, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
    let like = q.text.as_deref().map(|t| format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    let mut stmt = c.prepare_cached(
        "SELECT a.id, a.at, s.name, a.action, a.entity, a.entity_id, a.detail
         FROM audit_log a LEFT JOIN staff s ON s.id = a.actor_id
         WHERE a.id < ?1
           AND (?2 IS NULL OR a.action = ?2)
           AND (?3 IS NULL OR a.actor_id = ?3)
           AND (?4 IS NULL OR a.detail LIKE ?4 ESCAPE '\\' OR a.entity LIKE ?4 ESCAPE '\\' OR s.name LIKE ?4 ESCAPE '\\')
         ORDER BY a.id DESC LIMIT ?5",
    )?;
    let rows = stmt.query_map(params![q.before_id.unwrap_or(i64::MAX), q.action, q.actor_id, like, q.limit], row_to_entry)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The distinct actions in the log (the audit screen's action filter), most used first.
pub fn actions(c: &Db) -> Result<Vec<AuditAction>> {
    let mut stmt = c.prepare_cached("SELECT action, min(id) FROM audit_log GROUP BY action ORDER BY count(*) DESC")?;
    let rows = stmt.query_map([], |r| crate::code::get(r, 0, "audit_log", "action", r.get(1)?))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Lines about any of `entities` (`(entity, id)` pairs), oldest first: an owner's
/// access/export record for a PIPL request.
pub fn list_for_any(c: &Db, entities: &[(&str, i64)]) -> Result<Vec<AuditEntry>> {
    let mut out = Vec::new();
    for (entity, id) in entities {
        out.extend(list_for(c, entity, *id)?);
    }
    out.sort_by_key(|e| e.id);
    out.dedup_by_key(|e| e.id);
    Ok(out)
}

/// Number of lines in the log (tests and `wdesk check` compare it before and after).
pub fn count(c: &Db) -> Result<i64> {
    Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
}
