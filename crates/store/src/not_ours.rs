//! Issue 14 path 6 (migration 0021): hand-overs of matters that are not the warranty center's to
//! the property company or the developer's CS department, their follow-ups and the answer the
//! owner had.

use crate::{code, from_unix, Db, Result};
use desk_domain::not_ours::{HandOverFollowUp, HandOverTo, HandOverView};
use rusqlite::{params, OptionalExtension};

pub fn insert(c: &Db, ticket_id: i64, to: HandOverTo, reason: &str, actor_id: i64, at: i64) -> Result<i64> {
    c.execute(
        "INSERT INTO hand_over(ticket_id, to_party, reason, handed_by, handed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![ticket_id, to.code(), reason, actor_id, at],
    )?;
    Ok(c.last_insert_rowid())
}

/// The hand-over's ticket and whether the owner's answer is recorded.
pub fn state(c: &Db, id: i64) -> Result<Option<(i64, bool)>> {
    Ok(c.query_row("SELECT ticket_id, answered_at IS NOT NULL FROM hand_over WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
}

pub fn add_follow_up(c: &Db, hand_over_id: i64, at: i64, actor_id: i64, note: &str) -> Result<()> {
    c.execute("INSERT INTO hand_over_follow_up(hand_over_id, at, actor_id, note) VALUES (?1, ?2, ?3, ?4)", params![hand_over_id, at, actor_id, note])?;
    Ok(())
}

pub fn record_answer(c: &Db, id: i64, answer: &str, actor_id: i64, at: i64) -> Result<()> {
    c.execute("UPDATE hand_over SET answer = ?2, answered_by = ?3, answered_at = ?4 WHERE id = ?1", params![id, answer, actor_id, at])?;
    Ok(())
}

pub fn hand_overs_of(c: &Db, ticket_id: i64) -> Result<Vec<HandOverView>> {
    list(c, "h.ticket_id = ?1", ticket_id)
}

/// Every hand-over still waiting for the owner's answer (今日待办), oldest first.
pub fn open(c: &Db) -> Result<Vec<HandOverView>> {
    list(c, "h.answered_at IS NULL AND ?1 = ?1", 0)
}

/// Hand-overs made between `from` and `to` (unix seconds; F03), oldest first.
pub fn handed_between(c: &Db, from: i64, to: i64) -> Result<Vec<HandOverView>> {
    let mut stmt = c.prepare_cached("SELECT id FROM hand_over WHERE handed_at >= ?1 AND handed_at < ?2 ORDER BY handed_at, id")?;
    let ids: Vec<i64> = stmt.query_map([from, to], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        out.extend(list(c, "h.id = ?1", id)?);
    }
    Ok(out)
}

/// The tickets with a hand-over, ascending (the ticket list's 已移交 filter).
pub fn ticket_ids(c: &Db) -> Result<Vec<i64>> {
    let mut stmt = c.prepare_cached("SELECT DISTINCT ticket_id FROM hand_over ORDER BY ticket_id")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    Ok(ids)
}

fn list(c: &Db, filter: &str, key: i64) -> Result<Vec<HandOverView>> {
    // `filter` is one of the constants of this module, never input.
    let sql = format!(
        "SELECT h.id, t.no, h.to_party, h.reason, a.name, h.handed_at, h.answer, b.name, h.answered_at
         FROM hand_over h JOIN ticket t ON t.id = h.ticket_id JOIN staff a ON a.id = h.handed_by LEFT JOIN staff b ON b.id = h.answered_by
         WHERE {filter} ORDER BY h.handed_at, h.id"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map([key], |r| {
        let id: i64 = r.get(0)?;
        Ok(HandOverView {
            id,
            ticket_no: r.get(1)?,
            to: code::get::<HandOverTo>(r, 2, "hand_over", "to_party", id)?,
            reason: r.get(3)?,
            handed_by: r.get(4)?,
            handed_at: from_unix(r.get(5)?),
            follow_ups: Vec::new(),
            next_follow_up_due: None,
            answer: r.get(6)?,
            answered_by: r.get(7)?,
            answered_at: r.get::<_, Option<i64>>(8)?.map(from_unix),
        })
    })?;
    let mut out: Vec<HandOverView> = rows.collect::<std::result::Result<_, _>>()?;
    let mut f = c.prepare_cached(
        "SELECT f.at, s.name, f.note FROM hand_over_follow_up f JOIN staff s ON s.id = f.actor_id WHERE f.hand_over_id = ?1 ORDER BY f.at, f.id",
    )?;
    for h in &mut out {
        h.follow_ups = f
            .query_map([h.id], |r| Ok(HandOverFollowUp { at: from_unix(r.get(0)?), actor: r.get(1)?, note: r.get(2)? }))?
            .collect::<std::result::Result<_, _>>()?;
    }
    Ok(out)
}
