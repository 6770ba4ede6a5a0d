//! Three paths of the procedure (issue 14): an upset owner's hold and who was told (§6.5), a
//! closed ticket reopened or followed by a new one, a changed number asked of the CS department
//! (§5.1.4.2).

use crate::{from_unix, Db, Result};
use desk_domain::records::{HoldView, PhoneInquiry, ReopenRecord};
use rusqlite::{params, OptionalExtension};

// ---- upset owner (§6.5) -----------------------------------------------------------------------

/// Starts an upset-owner hold: the CS assistant `cs_assistant_id` told at `at`; the CS department
/// too when `department` is given.
pub fn start_upset_hold(c: &Db, ticket_id: i64, at: i64, reason: &str, actor_id: i64, cs_assistant_id: i64, department: Option<&str>) -> Result<i64> {
    c.execute(
        "INSERT INTO ticket_hold(ticket_id, from_at, reason, actor_id, upset_owner, cs_assistant_id, cs_told_at, cs_department_at, cs_department_note)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?2, ?6, ?7)",
        params![ticket_id, at, reason, actor_id, cs_assistant_id, department.map(|_| at), department.unwrap_or("")],
    )?;
    Ok(c.last_insert_rowid())
}

/// Records that the CS department was told about a running upset-owner hold.
pub fn tell_cs_department(c: &Db, hold_id: i64, at: i64, note: &str) -> Result<()> {
    c.execute("UPDATE ticket_hold SET cs_department_at = ?2, cs_department_note = ?3 WHERE id = ?1", params![hold_id, at, note])?;
    Ok(())
}

/// The ticket's running hold, as the ticket shows it.
pub fn running_hold_view(c: &Db, ticket_id: i64) -> Result<Option<HoldView>> {
    Ok(c.query_row(
        "SELECT h.id, h.from_at, h.reason, a.name, h.upset_owner, cs.name, h.cs_told_at, h.cs_department_at, h.cs_department_note
         FROM ticket_hold h JOIN staff a ON a.id = h.actor_id LEFT JOIN staff cs ON cs.id = h.cs_assistant_id
         WHERE h.ticket_id = ?1 AND h.until_at IS NULL",
        [ticket_id],
        |r| {
            let upset: bool = r.get(4)?;
            Ok(HoldView {
                id: r.get(0)?,
                from_at: from_unix(r.get(1)?),
                reason: r.get(2)?,
                actor: r.get(3)?,
                upset_owner: upset,
                must_act: if upset { desk_domain::paths::UPSET_OWNER_MUST_ACT.to_string() } else { String::new() },
                cs_assistant: r.get(5)?,
                cs_told_at: r.get::<_, Option<i64>>(6)?.map(from_unix),
                cs_department_at: r.get::<_, Option<i64>>(7)?.map(from_unix),
                cs_department_note: r.get(8)?,
            })
        },
    )
    .optional()?)
}

// ---- reopen -----------------------------------------------------------------------------------

/// When the ticket was last closed: the latest status line of its log that closed it (the
/// completion notice that reached the owner, or the director and CS assistant's close).
pub fn closed_at(c: &Db, ticket_id: i64) -> Result<Option<i64>> {
    Ok(c.query_row(
        "SELECT max(at) FROM audit_log WHERE entity = 'ticket' AND entity_id = ?1 AND action = 'status' AND detail LIKE '%关闭%'",
        [ticket_id],
        |r| r.get(0),
    )?)
}

/// The acceptance a reopening undoes, in words (kind code, time, who), or empty.
pub fn acceptance_summary(c: &Db, ticket_id: i64) -> Result<Option<(String, i64, String)>> {
    Ok(c.query_row("SELECT a.kind, a.at, s.name FROM acceptance a JOIN staff s ON s.id = a.actor_id WHERE a.ticket_id = ?1", [ticket_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .optional()?)
}

/// Reopens: the reopening is kept with the earlier acceptance in words, and the acceptance row
/// moves whole to `acceptance_undone` so the repair can be accepted again (one acceptance per
/// ticket, 0002).
pub fn insert_reopen(c: &Db, ticket_id: i64, at: i64, closed_at: i64, actor_id: i64, reason: &str, earlier_acceptance: &str) -> Result<i64> {
    c.execute(
        "INSERT INTO ticket_reopen(ticket_id, at, closed_at, actor_id, reason, earlier_acceptance) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![ticket_id, at, closed_at, actor_id, reason, earlier_acceptance],
    )?;
    let id = c.last_insert_rowid();
    // The signed acceptance is evidence: kept whole (signature file, opinion, proxies) before it
    // leaves the one-per-ticket table.
    c.execute(
        "INSERT INTO acceptance_undone(reopen_id, ticket_id, dispatch_id, kind, at, actor_id, owner_opinion, file, director_id, cs_assistant_id, notice_note)
         SELECT ?2, ticket_id, dispatch_id, kind, at, actor_id, owner_opinion, file, director_id, cs_assistant_id, notice_note FROM acceptance WHERE ticket_id = ?1",
        params![ticket_id, id],
    )?;
    c.execute("DELETE FROM acceptance WHERE ticket_id = ?1", [ticket_id])?;
    Ok(id)
}

pub fn reopens_of(c: &Db, ticket_id: i64) -> Result<Vec<ReopenRecord>> {
    let mut stmt = c.prepare_cached(
        "SELECT x.at, s.name, x.reason, x.earlier_acceptance FROM ticket_reopen x JOIN staff s ON s.id = x.actor_id WHERE x.ticket_id = ?1 ORDER BY x.at, x.id",
    )?;
    let rows =
        stmt.query_map([ticket_id], |r| Ok(ReopenRecord { at: from_unix(r.get(0)?), actor: r.get(1)?, reason: r.get(2)?, earlier_acceptance: r.get(3)? }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// A new ticket follows a closed one of the same failure (opened after the reopen window).
pub fn set_previous(c: &Db, ticket_id: i64, previous_id: i64) -> Result<()> {
    c.execute("UPDATE ticket SET previous_ticket = ?2 WHERE id = ?1", params![ticket_id, previous_id])?;
    Ok(())
}

pub fn previous_of(c: &Db, ticket_id: i64) -> Result<Option<String>> {
    Ok(c.query_row("SELECT p.no FROM ticket t JOIN ticket p ON p.id = t.previous_ticket WHERE t.id = ?1", [ticket_id], |r| r.get(0)).optional()?)
}

// ---- changed number (§5.1.4.2) ----------------------------------------------------------------

pub fn insert_phone_inquiry(c: &Db, ticket_id: i64, owner_id: i64, old_phone: &str, new_phone: &str, at: i64, actor_id: i64) -> Result<i64> {
    c.execute(
        "INSERT INTO phone_inquiry(ticket_id, owner_id, old_phone, new_phone, asked_at, asked_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![ticket_id, owner_id, old_phone, new_phone, at, actor_id],
    )?;
    Ok(c.last_insert_rowid())
}

/// The inquiry's ticket and whether it is answered.
pub fn phone_inquiry_state(c: &Db, id: i64) -> Result<Option<(i64, bool)>> {
    Ok(c.query_row("SELECT ticket_id, answered_at IS NOT NULL FROM phone_inquiry WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
}

pub fn answer_phone_inquiry(c: &Db, id: i64, answer: &str, at: i64, actor_id: i64) -> Result<()> {
    c.execute("UPDATE phone_inquiry SET answer = ?2, answered_at = ?3, answered_by = ?4 WHERE id = ?1", params![id, answer, at, actor_id])?;
    Ok(())
}

/// Open inquiries of a ticket (not answered yet).
pub fn open_phone_inquiries(c: &Db, ticket_id: i64) -> Result<i64> {
    Ok(c.query_row("SELECT count(*) FROM phone_inquiry WHERE ticket_id = ?1 AND answered_at IS NULL", [ticket_id], |r| r.get(0))?)
}

pub fn phone_inquiries_of(c: &Db, ticket_id: i64) -> Result<Vec<PhoneInquiry>> {
    let mut stmt = c.prepare_cached(
        "SELECT q.id, q.old_phone, q.new_phone, q.asked_at, a.name, q.answer, q.answered_at, b.name
         FROM phone_inquiry q JOIN staff a ON a.id = q.asked_by LEFT JOIN staff b ON b.id = q.answered_by
         WHERE q.ticket_id = ?1 ORDER BY q.id",
    )?;
    let rows = stmt.query_map([ticket_id], |r| {
        Ok(PhoneInquiry {
            id: r.get(0)?,
            old_phone: r.get(1)?,
            new_phone: r.get(2)?,
            asked_at: from_unix(r.get(3)?),
            asked_by: r.get(4)?,
            answer: r.get(5)?,
            answered_at: r.get::<_, Option<i64>>(6)?.map(from_unix),
            answered_by: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

// ---- 今日待办 and F03 -------------------------------------------------------------------------

/// Changed numbers still waiting for the CS department's answer (今日待办), oldest first, with
/// the ticket's number.
pub fn pending_phone_inquiries(c: &Db) -> Result<Vec<(String, PhoneInquiry)>> {
    let mut stmt = c.prepare_cached(
        "SELECT q.id, t.no, q.ticket_id FROM phone_inquiry q JOIN ticket t ON t.id = q.ticket_id WHERE q.answered_at IS NULL ORDER BY q.asked_at, q.id",
    )?;
    let ids: Vec<(i64, String, i64)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for (id, no, ticket) in ids {
        out.extend(phone_inquiries_of(c, ticket)?.into_iter().filter(|q| q.id == id).map(|q| (no.clone(), q)));
    }
    Ok(out)
}

/// What happened on one of the side paths (F03): reopened, a changed number asked of the CS
/// department, an upset owner's hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathEventKind {
    Reopen,
    PhoneChange,
    UpsetOwner,
}

/// One side-path event of a day, with the raw text the report words and masks.
#[derive(Debug, Clone)]
pub struct PathEvent {
    pub kind: PathEventKind,
    pub ticket_id: i64,
    pub ticket_no: String,
    pub at: i64,
    pub actor: String,
    /// The reason (reopen, upset owner) or the old and new number (changed phone).
    pub detail: String,
    pub second: String,
    /// The CS department's answer (changed phone) or note (upset owner), and when.
    pub answer: String,
    pub answered_at: Option<i64>,
}

/// The side-path events between two instants (F03), oldest first.
pub fn events_between(c: &Db, from: i64, to: i64) -> Result<Vec<PathEvent>> {
    // Each query selects: ticket, number, when, who, detail, second, answer, answered at.
    let queries: [(PathEventKind, &str); 3] = [
        (
            PathEventKind::Reopen,
            "SELECT x.ticket_id, t.no, x.at, s.name, x.reason, '', '', NULL
             FROM ticket_reopen x JOIN ticket t ON t.id = x.ticket_id JOIN staff s ON s.id = x.actor_id WHERE x.at >= ?1 AND x.at < ?2",
        ),
        (
            PathEventKind::PhoneChange,
            "SELECT q.ticket_id, t.no, q.asked_at, s.name, q.old_phone, q.new_phone, q.answer, q.answered_at
             FROM phone_inquiry q JOIN ticket t ON t.id = q.ticket_id JOIN staff s ON s.id = q.asked_by WHERE q.asked_at >= ?1 AND q.asked_at < ?2",
        ),
        (
            PathEventKind::UpsetOwner,
            "SELECT h.ticket_id, t.no, h.from_at, s.name, h.reason, coalesce(cs.name, ''), h.cs_department_note, h.cs_department_at
             FROM ticket_hold h JOIN ticket t ON t.id = h.ticket_id JOIN staff s ON s.id = h.actor_id LEFT JOIN staff cs ON cs.id = h.cs_assistant_id
             WHERE h.upset_owner = 1 AND h.from_at >= ?1 AND h.from_at < ?2",
        ),
    ];
    let mut out = Vec::new();
    for (kind, sql) in queries {
        let mut stmt = c.prepare_cached(sql)?;
        let rows = stmt.query_map([from, to], |r| {
            Ok(PathEvent {
                kind,
                ticket_id: r.get(0)?,
                ticket_no: r.get(1)?,
                at: r.get(2)?,
                actor: r.get(3)?,
                detail: r.get(4)?,
                second: r.get(5)?,
                answer: r.get(6)?,
                answered_at: r.get(7)?,
            })
        })?;
        out.extend(rows.collect::<std::result::Result<Vec<_>, _>>()?);
    }
    out.sort_by_key(|e| (e.at, e.ticket_id));
    Ok(out)
}
