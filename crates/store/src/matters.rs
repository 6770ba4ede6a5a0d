//! Two paths of issue 14 (migration 0014): major matters reported to the GM or an engineer and
//! their opinion (§5.1.4.3), complaints above the center with their supervisor, follow-ups and
//! result (§5.2.1).

use crate::{code, from_unix, Db, Result};
use desk_domain::matters::{ComplaintFollowUp, ComplaintLevel, ComplaintView, MajorMatterView};
use desk_domain::staff::Role;
use rusqlite::{params, OptionalExtension};

// ---- major matters (§5.1.4.3) -----------------------------------------------------------------

pub fn insert_major(c: &Db, ticket_id: i64, description: &str, actor_id: i64, at: i64, reported_to: i64) -> Result<i64> {
    c.execute(
        "INSERT INTO major_matter(ticket_id, description, marked_by, marked_at, reported_to, reported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
        params![ticket_id, description, actor_id, at, reported_to],
    )?;
    Ok(c.last_insert_rowid())
}

/// The matter's ticket, to whom it was reported, and whether its opinion is recorded.
pub fn major_state(c: &Db, id: i64) -> Result<Option<(i64, i64, bool)>> {
    Ok(c.query_row("SELECT ticket_id, reported_to, opinion_at IS NOT NULL FROM major_matter WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

pub fn record_opinion(c: &Db, id: i64, opinion: &str, actor_id: i64, at: i64) -> Result<()> {
    c.execute("UPDATE major_matter SET opinion = ?2, opinion_by = ?3, opinion_at = ?4 WHERE id = ?1", params![id, opinion, actor_id, at])?;
    Ok(())
}

pub fn major_matters_of(c: &Db, ticket_id: i64) -> Result<Vec<MajorMatterView>> {
    majors(c, "m.ticket_id = ?1", ticket_id)
}

/// Every major matter still waiting for an opinion (今日待办), oldest first, with its ticket no.
pub fn pending_majors(c: &Db) -> Result<Vec<(String, MajorMatterView)>> {
    let mut stmt =
        c.prepare_cached("SELECT m.id, t.no FROM major_matter m JOIN ticket t ON t.id = m.ticket_id WHERE m.opinion_at IS NULL ORDER BY m.reported_at, m.id")?;
    let ids: Vec<(i64, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for (id, no) in ids {
        out.extend(majors(c, "m.id = ?1", id)?.into_iter().map(|m| (no.clone(), m)));
    }
    Ok(out)
}

fn majors(c: &Db, filter: &str, key: i64) -> Result<Vec<MajorMatterView>> {
    // `filter` is one of two constants of this module, never input.
    let sql = format!(
        "SELECT m.id, m.description, a.name, m.marked_at, g.name, g.role, m.reported_at, m.opinion, o.name, m.opinion_at
         FROM major_matter m JOIN staff a ON a.id = m.marked_by JOIN staff g ON g.id = m.reported_to LEFT JOIN staff o ON o.id = m.opinion_by
         WHERE {filter} ORDER BY m.id"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map([key], |r| {
        let id: i64 = r.get(0)?;
        Ok(MajorMatterView {
            id,
            description: r.get(1)?,
            marked_by: r.get(2)?,
            marked_at: from_unix(r.get(3)?),
            reported_to: r.get(4)?,
            reported_to_role: code::get::<Role>(r, 5, "staff", "role", id)?,
            reported_at: from_unix(r.get(6)?),
            opinion: r.get(7)?,
            opinion_by: r.get(8)?,
            opinion_at: r.get::<_, Option<i64>>(9)?.map(from_unix),
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Major matters marked between `from` and `to` (unix seconds), with their ticket no (F03).
pub fn majors_marked_between(c: &Db, from: i64, to: i64) -> Result<Vec<(String, MajorMatterView)>> {
    let mut stmt = c.prepare_cached(
        "SELECT m.id, t.no FROM major_matter m JOIN ticket t ON t.id = m.ticket_id WHERE m.marked_at >= ?1 AND m.marked_at < ?2 ORDER BY m.marked_at, m.id",
    )?;
    let ids: Vec<(i64, String)> = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for (id, no) in ids {
        out.extend(majors(c, "m.id = ?1", id)?.into_iter().map(|m| (no.clone(), m)));
    }
    Ok(out)
}

// ---- complaints above the center (§5.2.1) -----------------------------------------------------

pub struct NewComplaint<'a> {
    pub ticket_id: i64,
    pub level: ComplaintLevel,
    pub units: &'a [String],
    pub description: &'a str,
    pub actor_id: i64,
    pub at: i64,
    pub reported_to: i64,
    pub supervisor_id: i64,
}

pub fn insert_complaint(c: &Db, x: &NewComplaint) -> Result<i64> {
    c.execute(
        "INSERT INTO complaint(ticket_id, level, units, description, recorded_by, recorded_at, reported_to, reported_at, supervisor_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?8)",
        params![x.ticket_id, x.level.code(), x.units.join("、"), x.description, x.actor_id, x.at, x.reported_to, x.supervisor_id],
    )?;
    Ok(c.last_insert_rowid())
}

/// The complaint's ticket, supervisor and whether it is closed.
pub fn complaint_state(c: &Db, id: i64) -> Result<Option<(i64, i64, bool)>> {
    Ok(c.query_row("SELECT ticket_id, supervisor_id, closed_at IS NOT NULL FROM complaint WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

pub fn add_follow_up(c: &Db, complaint_id: i64, at: i64, actor_id: i64, note: &str) -> Result<()> {
    c.execute("INSERT INTO complaint_follow_up(complaint_id, at, actor_id, note) VALUES (?1, ?2, ?3, ?4)", params![complaint_id, at, actor_id, note])?;
    Ok(())
}

pub fn close_complaint(c: &Db, id: i64, result: &str, actor_id: i64, at: i64) -> Result<()> {
    c.execute("UPDATE complaint SET result = ?2, closed_by = ?3, closed_at = ?4 WHERE id = ?1", params![id, result, actor_id, at])?;
    Ok(())
}

pub fn complaints_of(c: &Db, ticket_id: i64) -> Result<Vec<ComplaintView>> {
    complaints(c, "x.ticket_id = ?1", ticket_id)
}

/// Every open complaint (今日待办), oldest first.
pub fn open_complaints(c: &Db) -> Result<Vec<ComplaintView>> {
    complaints(c, "x.closed_at IS NULL AND ?1 = ?1", 0)
}

/// Complaints recorded between `from` and `to` (F03).
pub fn complaints_recorded_between(c: &Db, from: i64, to: i64) -> Result<Vec<ComplaintView>> {
    let mut stmt = c.prepare_cached("SELECT id FROM complaint WHERE recorded_at >= ?1 AND recorded_at < ?2 ORDER BY recorded_at, id")?;
    let ids: Vec<i64> = stmt.query_map([from, to], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        out.extend(complaints(c, "x.id = ?1", id)?);
    }
    Ok(out)
}

fn complaints(c: &Db, filter: &str, key: i64) -> Result<Vec<ComplaintView>> {
    // `filter` is one of the constants of this module, never input.
    let sql = format!(
        "SELECT x.id, t.no, x.level, x.units, x.description, a.name, x.recorded_at, g.name, x.reported_at, x.supervisor_id, s.name, x.result, cl.name, x.closed_at
         FROM complaint x JOIN ticket t ON t.id = x.ticket_id JOIN staff a ON a.id = x.recorded_by JOIN staff g ON g.id = x.reported_to
         JOIN staff s ON s.id = x.supervisor_id LEFT JOIN staff cl ON cl.id = x.closed_by
         WHERE {filter} ORDER BY x.recorded_at, x.id"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map([key], |r| {
        let id: i64 = r.get(0)?;
        let units: String = r.get(3)?;
        Ok(ComplaintView {
            id,
            ticket_no: r.get(1)?,
            level: code::get::<ComplaintLevel>(r, 2, "complaint", "level", id)?,
            units: units.split('、').filter(|u| !u.is_empty()).map(str::to_string).collect(),
            description: r.get(4)?,
            recorded_by: r.get(5)?,
            recorded_at: from_unix(r.get(6)?),
            reported_to: r.get(7)?,
            reported_at: from_unix(r.get(8)?),
            supervisor_id: r.get(9)?,
            supervisor: r.get(10)?,
            follow_ups: Vec::new(),
            next_follow_up_due: None,
            result: r.get(11)?,
            closed_by: r.get(12)?,
            closed_at: r.get::<_, Option<i64>>(13)?.map(from_unix),
        })
    })?;
    let mut out: Vec<ComplaintView> = rows.collect::<std::result::Result<_, _>>()?;
    let mut f = c.prepare_cached(
        "SELECT f.at, s.name, f.note FROM complaint_follow_up f JOIN staff s ON s.id = f.actor_id WHERE f.complaint_id = ?1 ORDER BY f.at, f.id",
    )?;
    for x in &mut out {
        x.follow_ups = f
            .query_map([x.id], |r| Ok(ComplaintFollowUp { at: from_unix(r.get(0)?), actor: r.get(1)?, note: r.get(2)? }))?
            .collect::<std::result::Result<_, _>>()?;
    }
    Ok(out)
}
