//! The survey visit (勘查, migration 0019): bookings, the visit's findings and plan, a complex
//! plan's report to the project head or engineer and their answer. See `desk_domain::survey`.

use crate::{from_unix, Db, Result};
use desk_domain::survey::SurveyView;
use rusqlite::params;

pub fn book(c: &Db, ticket_id: i64, actor_id: i64, at: i64, appointment_at: i64, note: &str) -> Result<i64> {
    // A booking replaced before its visit is kept, marked superseded.
    c.execute("UPDATE survey_visit SET superseded_at = ?2 WHERE ticket_id = ?1 AND done_at IS NULL AND superseded_at IS NULL", params![ticket_id, at])?;
    c.execute(
        "INSERT INTO survey_visit(ticket_id, booked_by, booked_at, appointment_at, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![ticket_id, actor_id, at, appointment_at, note],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn record(c: &Db, id: i64, actor_id: i64, at: i64, findings: &str, plan: &str) -> Result<()> {
    c.execute("UPDATE survey_visit SET done_at = ?2, done_by = ?3, findings = ?4, plan = ?5 WHERE id = ?1", params![id, at, actor_id, findings, plan])?;
    Ok(())
}

pub fn report(c: &Db, id: i64, to: i64, at: i64) -> Result<()> {
    c.execute("UPDATE survey_visit SET reported_to = ?2, reported_at = ?3 WHERE id = ?1", params![id, to, at])?;
    Ok(())
}

pub fn answer(c: &Db, id: i64, actor_id: i64, at: i64, answer: &str) -> Result<()> {
    c.execute("UPDATE survey_visit SET answer = ?2, answered_by = ?3, answered_at = ?4 WHERE id = ?1", params![id, answer, actor_id, at])?;
    Ok(())
}

/// The columns of a [`SurveyView`], then any extra columns a query adds.
const COLUMNS: &str = "v.id, b.name, v.booked_at, v.appointment_at, v.note, v.superseded_at, v.done_at, d.name, v.findings, v.plan,
    r.name, v.reported_at, v.answer, a.name, v.answered_at";
const JOINS: &str = "survey_visit v JOIN staff b ON b.id = v.booked_by LEFT JOIN staff d ON d.id = v.done_by
    LEFT JOIN staff r ON r.id = v.reported_to LEFT JOIN staff a ON a.id = v.answered_by";

/// A ticket's surveys, oldest first.
pub fn surveys_of(c: &Db, ticket_id: i64) -> Result<Vec<SurveyView>> {
    let mut stmt = c.prepare_cached(&format!("SELECT {COLUMNS} FROM {JOINS} WHERE v.ticket_id = ?1 ORDER BY v.id"))?;
    let rows = stmt.query_map([ticket_id], view)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The open ends of the open tickets' survey chains, with the ticket's number and whether it is
/// complex: bookings not yet visited, and complex plans not yet reported or answered.
pub fn open_ends(c: &Db) -> Result<Vec<(String, bool, SurveyView)>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {COLUMNS}, t.no, t.classification = 'Complex' FROM {JOINS} JOIN ticket t ON t.id = v.ticket_id
         WHERE v.superseded_at IS NULL AND t.status NOT IN ('Cancelled', 'OutOfScope', 'Closed', 'Visited')
           AND (v.done_at IS NULL OR (t.classification = 'Complex' AND v.answered_at IS NULL))
         ORDER BY v.appointment_at, v.id"
    ))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(15)?, r.get::<_, Option<bool>>(16)?.unwrap_or(false), view(r)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Surveys visited, or complex plans reported, between two instants (F03), with the ticket no.
pub fn done_between(c: &Db, from: i64, to: i64) -> Result<Vec<(String, SurveyView)>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {COLUMNS}, t.no FROM {JOINS} JOIN ticket t ON t.id = v.ticket_id
         WHERE (v.done_at >= ?1 AND v.done_at < ?2) OR (v.reported_at >= ?1 AND v.reported_at < ?2) OR (v.answered_at >= ?1 AND v.answered_at < ?2)
         ORDER BY v.done_at, v.id"
    ))?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get::<_, String>(15)?, view(r)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

fn view(r: &rusqlite::Row) -> rusqlite::Result<SurveyView> {
    let t = |i: usize| -> rusqlite::Result<Option<chrono::DateTime<chrono::Utc>>> { Ok(r.get::<_, Option<i64>>(i)?.map(from_unix)) };
    Ok(SurveyView {
        id: r.get(0)?,
        booked_by: r.get(1)?,
        booked_at: from_unix(r.get(2)?),
        appointment_at: from_unix(r.get(3)?),
        note: r.get(4)?,
        superseded_at: t(5)?,
        done_at: t(6)?,
        done_by: r.get(7)?,
        findings: r.get(8)?,
        plan: r.get(9)?,
        reported_to: r.get(10)?,
        reported_at: t(11)?,
        answer: r.get(12)?,
        answered_by: r.get(13)?,
        answered_at: t(14)?,
    })
}
