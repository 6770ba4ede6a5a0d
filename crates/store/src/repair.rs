//! Dispatch notices (F02) with their repair record, follow-ups, and acceptance.

use crate::Db;
use crate::{code, from_unix, Result, StoreError};
use desk_domain::records::{AcceptanceRecord, DispatchRecord, FollowUp};
use desk_domain::repair::{arrival_deviation_min, AcceptanceKind, DispatchReason, FollowUpKind, Satisfaction};
use rusqlite::{params, OptionalExtension};

pub struct NewDispatch<'a> {
    pub no: &'a str,
    pub ticket_id: i64,
    pub contractor_id: i64,
    pub site_contact: &'a str,
    pub appointment_at: i64,
    pub plan: &'a str,
    pub materials: &'a str,
    /// Why the slip is issued; only [`DispatchReason::Rework`] is written as `rework`.
    pub reason: DispatchReason,
    pub issued_by: i64,
    pub issued_at: i64,
}

pub fn insert_dispatch(c: &Db, d: &NewDispatch) -> Result<i64> {
    c.execute(
        "INSERT INTO dispatch_notice(no, ticket_id, contractor_id, site_contact, appointment_at, plan, materials, rework, issued_by, issued_at, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            d.no,
            d.ticket_id,
            d.contractor_id,
            d.site_contact,
            d.appointment_at,
            d.plan,
            d.materials,
            d.reason == DispatchReason::Rework,
            d.issued_by,
            d.issued_at,
            d.reason.code()
        ],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn set_arrival(c: &Db, dispatch_id: i64, at: i64) -> Result<()> {
    c.execute("UPDATE dispatch_notice SET arrived_at = ?2 WHERE id = ?1", params![dispatch_id, at])?;
    Ok(())
}

/// The §8.2 record and the contractor's report, written when the repair is finished.
pub struct RepairReport<'a> {
    pub person_in_charge: &'a str,
    pub materials_used: &'a str,
    pub promised_at: Option<i64>,
    pub completed_at: i64,
    pub cause: &'a str,
    pub measures: &'a str,
    pub reliability: &'a str,
}

pub fn set_report(c: &Db, dispatch_id: i64, r: &RepairReport) -> Result<()> {
    c.execute(
        "UPDATE dispatch_notice SET person_in_charge = ?2, materials_used = ?3, promised_at = coalesce(?4, promised_at), completed_at = ?5,
            cause = ?6, measures = ?7, reliability = ?8 WHERE id = ?1",
        params![dispatch_id, r.person_in_charge, r.materials_used, r.promised_at, r.completed_at, r.cause, r.measures, r.reliability],
    )?;
    Ok(())
}

/// §8.2.1 承诺完成时间 written before the finish (a finish without one keeps it: `set_report`).
pub fn set_promised(c: &Db, dispatch_id: i64, at: i64) -> Result<()> {
    c.execute("UPDATE dispatch_notice SET promised_at = ?2 WHERE id = ?1", params![dispatch_id, at])?;
    Ok(())
}

const DISPATCH_SELECT: &str = "SELECT d.id, d.no, d.contractor_id, c.name, d.site_contact, d.appointment_at, d.plan, d.materials, d.rework,
        s.name, d.issued_at, d.arrived_at, d.person_in_charge, d.materials_used, d.promised_at, d.completed_at, d.cause, d.measures, d.reliability, d.reason
     FROM dispatch_notice d JOIN contractor c ON c.id = d.contractor_id JOIN staff s ON s.id = d.issued_by";

fn row_to_dispatch(r: &rusqlite::Row) -> rusqlite::Result<DispatchRecord> {
    let appointment = from_unix(r.get(5)?);
    let arrived = r.get::<_, Option<i64>>(11)?.map(from_unix);
    Ok(DispatchRecord {
        id: r.get(0)?,
        no: r.get(1)?,
        contractor_id: r.get(2)?,
        contractor: r.get(3)?,
        site_contact: r.get(4)?,
        appointment_at: appointment,
        plan: r.get(6)?,
        materials: r.get(7)?,
        rework: r.get(8)?,
        reason: code::get(r, 19, "dispatch_notice", "reason", r.get(0)?)?,
        issued_by: r.get(9)?,
        issued_at: from_unix(r.get(10)?),
        arrived_at: arrived,
        arrival_deviation_min: arrived.map(|a| arrival_deviation_min(appointment, a)),
        // Judged by the service with the project's tolerance (`DeadlineSettings`), which the
        // store does not read.
        arrival: None,
        person_in_charge: r.get(12)?,
        materials_used: r.get(13)?,
        promised_at: r.get::<_, Option<i64>>(14)?.map(from_unix),
        completed_at: r.get::<_, Option<i64>>(15)?.map(from_unix),
        cause: r.get(16)?,
        measures: r.get(17)?,
        reliability: r.get(18)?,
    })
}

pub fn dispatches_of(c: &Db, ticket_id: i64) -> Result<Vec<DispatchRecord>> {
    let mut stmt = c.prepare_cached(&format!("{DISPATCH_SELECT} WHERE d.ticket_id = ?1 ORDER BY d.id"))?;
    let rows = stmt.query_map([ticket_id], row_to_dispatch)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// (ticket_id, dispatch) for a dispatch number.
pub fn dispatch_by_no(c: &Db, no: &str) -> Result<(i64, DispatchRecord)> {
    let ticket_id: i64 = c
        .query_row("SELECT ticket_id FROM dispatch_notice WHERE no = ?1", [no], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::not_found(format!("调度单「{no}」")))?;
    let d = c.query_row(&format!("{DISPATCH_SELECT} WHERE d.no = ?1"), [no], row_to_dispatch)?;
    Ok((ticket_id, d))
}

pub struct NewFollowUp<'a> {
    pub ticket_id: i64,
    pub kind: FollowUpKind,
    pub at: i64,
    pub actor_id: i64,
    pub ok: bool,
    pub note: &'a str,
    pub next_due_at: Option<i64>,
    pub satisfaction: Option<Satisfaction>,
    pub new_phone: &'a str,
    pub out_of_scope: &'a str,
}

pub fn insert_followup(c: &Db, f: &NewFollowUp) -> Result<i64> {
    c.execute(
        "INSERT INTO followup(ticket_id, kind, at, actor_id, ok, note, next_due_at, satisfaction, new_phone, out_of_scope)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![f.ticket_id, f.kind.code(), f.at, f.actor_id, f.ok, f.note, f.next_due_at, f.satisfaction.map(|s| s.code()), f.new_phone, f.out_of_scope],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn followups_of(c: &Db, ticket_id: i64) -> Result<Vec<FollowUp>> {
    let mut stmt = c.prepare_cached(
        "SELECT f.id, f.kind, f.at, s.name, f.ok, f.note, f.next_due_at, f.satisfaction, f.new_phone, f.out_of_scope
         FROM followup f JOIN staff s ON s.id = f.actor_id WHERE f.ticket_id = ?1 ORDER BY f.at, f.id",
    )?;
    let rows = stmt.query_map([ticket_id], |r| {
        let id: i64 = r.get(0)?;
        Ok(FollowUp {
            id,
            kind: code::get(r, 1, "followup", "kind", id)?,
            at: from_unix(r.get(2)?),
            actor: r.get(3)?,
            ok: r.get(4)?,
            note: r.get(5)?,
            next_due_at: r.get::<_, Option<i64>>(6)?.map(from_unix),
            satisfaction: code::get_opt(r, 7, "followup", "satisfaction", id)?,
            new_phone: r.get(8)?,
            out_of_scope: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

pub struct NewAcceptance<'a> {
    pub ticket_id: i64,
    pub dispatch_id: Option<i64>,
    pub kind: AcceptanceKind,
    pub at: i64,
    pub actor_id: i64,
    pub owner_opinion: &'a str,
    pub file: &'a str,
    pub director_id: Option<i64>,
    pub cs_assistant_id: Option<i64>,
    pub notice_note: &'a str,
}

/// One acceptance per ticket: a second one is refused by the UNIQUE constraint too.
pub fn insert_acceptance(c: &Db, a: &NewAcceptance) -> Result<()> {
    c.execute(
        "INSERT INTO acceptance(ticket_id, dispatch_id, kind, at, actor_id, owner_opinion, file, director_id, cs_assistant_id, notice_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![a.ticket_id, a.dispatch_id, a.kind.code(), a.at, a.actor_id, a.owner_opinion, a.file, a.director_id, a.cs_assistant_id, a.notice_note],
    )
    .map_err(|e| {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
            StoreError::Conflict("该报修单已经验收，不能重复验收".into())
        } else {
            e.into()
        }
    })?;
    Ok(())
}

pub fn acceptance_of(c: &Db, ticket_id: i64) -> Result<Option<AcceptanceRecord>> {
    Ok(c.query_row(
        "SELECT a.kind, a.at, s.name, a.owner_opinion, a.file, d.name, x.name, a.notice_note, a.id
             FROM acceptance a JOIN staff s ON s.id = a.actor_id
             LEFT JOIN staff d ON d.id = a.director_id LEFT JOIN staff x ON x.id = a.cs_assistant_id
             WHERE a.ticket_id = ?1",
        [ticket_id],
        |r| {
            Ok(AcceptanceRecord {
                kind: code::get(r, 0, "acceptance", "kind", r.get(8)?)?,
                at: from_unix(r.get(1)?),
                recorded_by: r.get(2)?,
                owner_opinion: r.get(3)?,
                file: r.get(4)?,
                director: r.get(5)?,
                cs_assistant: r.get(6)?,
                notice_note: r.get(7)?,
            })
        },
    )
    .optional()?)
}

/// Photos of a kind taken since an instant (e.g. an "after" photo for the current repair).
pub fn photos_since(c: &Db, ticket_id: i64, kind: &str, since: i64) -> Result<i64> {
    Ok(c.query_row("SELECT count(*) FROM photo WHERE ticket_id = ?1 AND kind = ?2 AND added_at >= ?3", params![ticket_id, kind, since], |r| r.get(0))?)
}

/// Tickets whose latest return visit found the owner dissatisfied (the director's list, §5.1.5.4).
pub fn latest_visit_dissatisfied(c: &Db) -> Result<Vec<desk_domain::records::TicketSummary>> {
    let mut ids_stmt = c.prepare_cached(
        "SELECT f.ticket_id FROM followup f
         WHERE f.kind = 'ReturnVisit' AND f.ok = 1 AND f.id = (SELECT max(g.id) FROM followup g WHERE g.ticket_id = f.ticket_id AND g.kind = 'ReturnVisit' AND g.ok = 1)
           AND f.satisfaction = 'Dissatisfied' ORDER BY f.ticket_id DESC LIMIT 200",
    )?;
    let ids: Vec<i64> = ids_stmt.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        let d = crate::tickets::get_detail(c, id)?;
        out.push(desk_domain::records::TicketSummary {
            id: d.id,
            no: d.no,
            unit: d.unit,
            owner: d.owner,
            phone: d.phone,
            status: d.status,
            category: d.category,
            part: d.part,
            description: d.description,
            classification: d.classification,
            steward: d.steward,
            reported_at: d.reported_at,
        });
    }
    Ok(out)
}
