//! Compensation cases (migration 0018, §6.3): the claim and to whom it was reported, the CS
//! department's notice, negotiation rounds, the agreement's files and the one conclusion.

use crate::{code, from_unix, Db, Result};
use chrono::NaiveDate;
use desk_domain::compensation::{CompensationPayer, CompensationRound, CompensationView};
use desk_domain::staff::Role;
use rusqlite::{params, OptionalExtension};

pub struct NewCase<'a> {
    pub ticket_id: i64,
    pub claim: &'a str,
    pub claimed_fen: Option<i64>,
    pub actor_id: i64,
    pub at: i64,
    pub reported_to: i64,
}

pub fn insert(c: &Db, x: &NewCase) -> Result<i64> {
    c.execute(
        "INSERT INTO compensation(ticket_id, claim, claimed_fen, opened_by, opened_at, reported_to, reported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
        params![x.ticket_id, x.claim, x.claimed_fen, x.actor_id, x.at, x.reported_to],
    )?;
    Ok(c.last_insert_rowid())
}

/// The state a step checks: the case's ticket (id and no), whether the CS department was told,
/// and whether it is concluded.
pub struct CaseState {
    pub ticket_id: i64,
    pub ticket_no: String,
    pub cs_notified: bool,
    pub concluded: bool,
}

pub fn state(c: &Db, id: i64) -> Result<Option<CaseState>> {
    Ok(c.query_row(
        "SELECT x.ticket_id, t.no, x.cs_notified_at IS NOT NULL, x.concluded_at IS NOT NULL FROM compensation x JOIN ticket t ON t.id = x.ticket_id WHERE x.id = ?1",
        [id],
        |r| Ok(CaseState { ticket_id: r.get(0)?, ticket_no: r.get(1)?, cs_notified: r.get(2)?, concluded: r.get(3)? }),
    )
    .optional()?)
}

/// The open case of a ticket, if any.
pub fn open_of(c: &Db, ticket_id: i64) -> Result<Option<i64>> {
    Ok(c.query_row("SELECT id FROM compensation WHERE ticket_id = ?1 AND concluded_at IS NULL", [ticket_id], |r| r.get(0)).optional()?)
}

pub fn notify_cs(c: &Db, id: i64, actor_id: i64, at: i64, note: &str) -> Result<()> {
    c.execute("UPDATE compensation SET cs_notified_by = ?2, cs_notified_at = ?3, cs_note = ?4 WHERE id = ?1", params![id, actor_id, at, note])?;
    Ok(())
}

pub fn add_round(c: &Db, id: i64, at: i64, actor_id: i64, note: &str) -> Result<()> {
    c.execute("INSERT INTO compensation_round(compensation_id, at, actor_id, note) VALUES (?1, ?2, ?3, ?4)", params![id, at, actor_id, note])?;
    Ok(())
}

pub fn add_file(c: &Db, id: i64, file: &str, at: i64, actor_id: i64) -> Result<()> {
    c.execute("INSERT INTO compensation_file(compensation_id, file, added_at, actor_id) VALUES (?1, ?2, ?3, ?4)", params![id, file, at, actor_id])?;
    Ok(())
}

/// The conclusion: an agreement (`Some((fen, payer))`) or a close without compensation (reason).
pub struct Conclusion<'a> {
    pub agreement: Option<(i64, CompensationPayer)>,
    pub payer_detail: &'a str,
    pub no_comp_reason: Option<&'a str>,
    pub note: &'a str,
    pub actor_id: i64,
    pub at: i64,
    pub on: NaiveDate,
}

pub fn conclude(c: &Db, id: i64, x: &Conclusion) -> Result<()> {
    c.execute(
        "UPDATE compensation SET agreed_fen = ?2, payer = ?3, payer_detail = ?4, no_comp_reason = ?5, note = ?6, concluded_by = ?7, concluded_at = ?8, concluded_on = ?9
         WHERE id = ?1",
        params![
            id,
            x.agreement.map(|a| a.0),
            x.agreement.map(|a| a.1.code()),
            x.payer_detail,
            x.no_comp_reason,
            x.note,
            x.actor_id,
            x.at,
            x.on.to_string()
        ],
    )?;
    Ok(())
}

pub fn of_ticket(c: &Db, ticket_id: i64) -> Result<Vec<CompensationView>> {
    cases(c, "x.ticket_id = ?1", ticket_id)
}

/// Every open case (今日待办), oldest first.
pub fn open_cases(c: &Db) -> Result<Vec<CompensationView>> {
    cases(c, "x.concluded_at IS NULL AND ?1 = ?1", 0)
}

/// Cases opened or concluded between `from` and `to` (unix seconds; F03), by opening.
pub fn opened_or_concluded_between(c: &Db, from: i64, to: i64) -> Result<Vec<CompensationView>> {
    let mut stmt = c.prepare_cached(
        "SELECT id FROM compensation WHERE (opened_at >= ?1 AND opened_at < ?2) OR (concluded_at >= ?1 AND concluded_at < ?2) ORDER BY opened_at, id",
    )?;
    let ids: Vec<i64> = stmt.query_map([from, to], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        out.extend(cases(c, "x.id = ?1", id)?);
    }
    Ok(out)
}

fn cases(c: &Db, filter: &str, key: i64) -> Result<Vec<CompensationView>> {
    // `filter` is one of the constants of this module, never input.
    let sql = format!(
        "SELECT x.id, t.no, x.claim, x.claimed_fen, a.name, x.opened_at, g.name, g.role, x.reported_at, n.name, x.cs_notified_at, x.cs_note,
                x.agreed_fen, x.payer, x.payer_detail, x.no_comp_reason, cl.name, x.concluded_at, x.concluded_on, x.note
         FROM compensation x JOIN ticket t ON t.id = x.ticket_id JOIN staff a ON a.id = x.opened_by JOIN staff g ON g.id = x.reported_to
         LEFT JOIN staff n ON n.id = x.cs_notified_by LEFT JOIN staff cl ON cl.id = x.concluded_by
         WHERE {filter} ORDER BY x.opened_at, x.id"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map([key], |r| {
        let id: i64 = r.get(0)?;
        let on: Option<String> = r.get(18)?;
        Ok(CompensationView {
            id,
            ticket_no: r.get(1)?,
            claim: r.get(2)?,
            claimed_fen: r.get(3)?,
            opened_by: r.get(4)?,
            opened_at: from_unix(r.get(5)?),
            reported_to: r.get(6)?,
            reported_to_role: code::get::<Role>(r, 7, "staff", "role", id)?,
            reported_at: from_unix(r.get(8)?),
            cs_notified_by: r.get(9)?,
            cs_notified_at: r.get::<_, Option<i64>>(10)?.map(from_unix),
            cs_note: r.get(11)?,
            rounds: Vec::new(),
            agreed_fen: r.get(12)?,
            payer: code::get_opt::<CompensationPayer>(r, 13, "compensation", "payer", id)?,
            payer_detail: r.get(14)?,
            agreement_files: Vec::new(),
            no_compensation_reason: r.get(15)?,
            concluded_by: r.get(16)?,
            concluded_at: r.get::<_, Option<i64>>(17)?.map(from_unix),
            concluded_on: on.map(|s| crate::stored_date(&s, "compensation", "concluded_on", id)).transpose()?,
            note: r.get(19)?,
        })
    })?;
    let mut out: Vec<CompensationView> = rows.collect::<std::result::Result<_, _>>()?;
    let mut rounds = c.prepare_cached(
        "SELECT f.at, s.name, f.note FROM compensation_round f JOIN staff s ON s.id = f.actor_id WHERE f.compensation_id = ?1 ORDER BY f.at, f.id",
    )?;
    let mut files = c.prepare_cached("SELECT file FROM compensation_file WHERE compensation_id = ?1 ORDER BY id")?;
    for x in &mut out {
        x.rounds = rounds
            .query_map([x.id], |r| Ok(CompensationRound { at: from_unix(r.get(0)?), actor: r.get(1)?, note: r.get(2)? }))?
            .collect::<std::result::Result<_, _>>()?;
        x.agreement_files = files.query_map([x.id], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    }
    Ok(out)
}
