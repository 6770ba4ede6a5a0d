//! Bulk writes for `wdesk bench`: units, owners and every event of a ticket's history, each with
//! one cached prepared statement, inside the caller's (big) transaction.
//!
//! The bench builds a million tickets with their events in minutes; going through the use cases
//! (one transaction, audit line and rule check each) would take hours. The rows are the same the
//! use cases write — the tables, columns and codes of the migrations — so every read the desk
//! does sees a history it could have recorded. Tickets themselves go through [`crate::tickets::insert`]
//! (the search index included).

use crate::Db;
use crate::Result;
use desk_domain::repair::{AcceptanceKind, FollowUpKind, Satisfaction};
use rusqlite::params;

/// Enough room in the statement cache for the bench's statements next to the desk's own.
pub fn prepare(c: &Db) {
    c.set_prepared_statement_cache_capacity(64);
}

pub fn unit(c: &Db, project_id: i64, batch_id: i64, building: &str, entrance: &str, room: &str) -> Result<i64> {
    c.prepare_cached("INSERT INTO unit(project_id, batch_id, building, entrance, room) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![project_id, batch_id, building, entrance, room])?;
    Ok(c.last_insert_rowid())
}

/// An owner with one phone (suffix indexed for the search box).
pub fn owner(c: &Db, unit_id: i64, name: &str, phone: &str) -> Result<i64> {
    c.prepare_cached("INSERT INTO owner(unit_id, name) VALUES (?1, ?2)")?.execute(params![unit_id, name])?;
    let id = c.last_insert_rowid();
    let suffix = phone.get(phone.len().saturating_sub(4)..).unwrap_or("");
    c.prepare_cached("INSERT INTO owner_phone(owner_id, phone, suffix4) VALUES (?1, ?2, ?3)")?.execute(params![id, phone, suffix])?;
    Ok(id)
}

pub fn contact(c: &Db, ticket_id: i64, at: i64, reached: bool, actor_id: i64) -> Result<()> {
    c.prepare_cached("INSERT INTO contact_attempt(ticket_id, at, channel, reached, note, actor_id) VALUES (?1, ?2, 'Phone', ?3, ?4, ?5)")?.execute(params![
        ticket_id,
        at,
        reached,
        if reached { "已约定上门时间" } else { "无人接听" },
        actor_id
    ])?;
    Ok(())
}

pub fn classify(c: &Db, ticket_id: i64, classification: &str) -> Result<()> {
    c.prepare_cached("UPDATE ticket SET classification = ?2 WHERE id = ?1")?.execute(params![ticket_id, classification])?;
    Ok(())
}

/// A dispatch slip (F02) with what happened to it: the arrival and the §8.2 record when done.
pub struct Dispatch<'a> {
    pub no: &'a str,
    pub ticket_id: i64,
    pub contractor_id: i64,
    pub appointment_at: i64,
    pub rework: bool,
    pub issued_by: i64,
    pub issued_at: i64,
    pub arrived_at: Option<i64>,
    pub promised_at: Option<i64>,
    pub completed_at: Option<i64>,
}

pub fn dispatch(c: &Db, d: &Dispatch) -> Result<i64> {
    let done = d.completed_at.is_some();
    c.prepare_cached(
        "INSERT INTO dispatch_notice(no, ticket_id, contractor_id, site_contact, appointment_at, plan, materials, rework, issued_by, issued_at,
            arrived_at, person_in_charge, materials_used, promised_at, completed_at, cause, measures, reliability, reason)
         VALUES (?1, ?2, ?3, '管家', ?4, '按规范维修', '', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
            CASE WHEN ?5 THEN 'Rework' ELSE 'First' END)",
    )?
    .execute(params![
        d.no,
        d.ticket_id,
        d.contractor_id,
        d.appointment_at,
        d.rework,
        d.issued_by,
        d.issued_at,
        d.arrived_at,
        if d.arrived_at.is_some() { "施工负责人" } else { "" },
        if done { "防水涂料 2kg" } else { "" },
        d.promised_at,
        d.completed_at,
        if done { "防水层破损" } else { "" },
        if done { "凿除后重做防水，闭水试验 48 小时" } else { "" },
        if done { "可靠" } else { "" },
    ])?;
    Ok(c.last_insert_rowid())
}

/// One follow-up (site visit, feedback, re-check, completion notice, return visit).
// The columns of one row, written in bulk by the bench: a struct per call would only rename them.
#[allow(clippy::too_many_arguments)]
pub fn followup(
    c: &Db,
    ticket_id: i64,
    kind: FollowUpKind,
    at: i64,
    actor_id: i64,
    ok: bool,
    next_due_at: Option<i64>,
    satisfaction: Option<Satisfaction>,
) -> Result<()> {
    let note = match (kind, ok) {
        (FollowUpKind::CompletionNotice | FollowUpKind::ReturnVisit, false) => "业主电话无人接听",
        (FollowUpKind::ReturnVisit, true) => "业主对维修结果表示认可",
        _ => "已处理",
    };
    c.prepare_cached("INSERT INTO followup(ticket_id, kind, at, actor_id, ok, note, next_due_at, satisfaction) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?
        .execute(params![ticket_id, kind.code(), at, actor_id, ok, note, next_due_at, satisfaction.map(|s| s.code())])?;
    Ok(())
}

/// The acceptance: the owner's signature, a scanned paper, or the director + CS assistant (proxy).
pub fn acceptance(c: &Db, ticket_id: i64, dispatch_id: i64, kind: AcceptanceKind, at: i64, actor_id: i64, proxies: Option<(i64, i64)>) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO acceptance(ticket_id, dispatch_id, kind, at, actor_id, owner_opinion, director_id, cs_assistant_id, notice_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        ticket_id,
        dispatch_id,
        kind.code(),
        at,
        actor_id,
        if proxies.is_some() { "" } else { "满意" },
        proxies.map(|p| p.0),
        proxies.map(|p| p.1),
        if proxies.is_some() { "业主五次未能联系，已书面告知" } else { "" },
    ])?;
    Ok(())
}

/// A hold; `until_at: None` while it lasts.
pub fn hold(c: &Db, ticket_id: i64, from_at: i64, until_at: Option<i64>, actor_id: i64) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO ticket_hold(ticket_id, from_at, until_at, reason, actor_id, released_by) VALUES (?1, ?2, ?3, '业主外出，约定回来后维修', ?4, ?5)",
    )?
    .execute(params![ticket_id, from_at, until_at, actor_id, until_at.map(|_| actor_id)])?;
    Ok(())
}

/// An escalation to the GM, acknowledged or not.
pub fn escalation(
    c: &Db,
    kind: desk_domain::clock::escalation::EscalationKind,
    ticket_id: i64,
    raised_at: i64,
    acknowledged: Option<(i64, i64)>,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO escalation(kind, key, ticket_id, detail, raised_at, acknowledged_at, acknowledged_by, ack_note)
         VALUES (?1, ?1 || ':ticket:' || ?2, ?2, '业主强烈投诉', ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        kind.code(),
        ticket_id,
        raised_at,
        acknowledged.map(|a| a.0),
        acknowledged.map(|a| a.1),
        if acknowledged.is_some() { "已安排专人跟进" } else { "" }
    ])?;
    Ok(())
}
