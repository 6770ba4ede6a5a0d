//! The events of one day for the daily report F03 (§5.1.6): tickets reported, repairs accepted,
//! completion notices, return visits, out-of-scope matters raised, and the escalations the GM
//! still has to see. Every query takes a half-open range of unix seconds `[from, to)` (a local
//! day, computed by the caller) and walks an index on the event's time (migration 0004).
//!
//! Phones are returned as stored: masking is the caller's duty (everything here leaves the desk).

use crate::Db;
use crate::{code, Result};
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::repair::{AcceptanceKind, FollowUpKind, Satisfaction};
use desk_domain::ticket::{Category, Channel, Classification, TicketStatus};
use rusqlite::params;

/// A ticket reported in the range.
#[derive(Debug, Clone)]
pub struct ReportedRow {
    pub ticket_id: i64,
    pub no: String,
    pub reported_at: i64,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub channel: Channel,
    pub category: Category,
    pub part: String,
    pub description: String,
    pub classification: Option<Classification>,
    pub status: TicketStatus,
    pub steward: Option<String>,
    pub receptionist: String,
}

pub fn reported(c: &Db, from: i64, to: i64) -> Result<Vec<ReportedRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT t.id, t.no, t.reported_at, u.building || '-' || u.entrance || '-' || u.room, t.owner_name, t.phone, t.channel,
                t.category, t.part, t.description, t.classification, t.status, s.name, r.name
         FROM ticket t JOIN unit u ON u.id = t.unit_id LEFT JOIN staff s ON s.id = t.steward_id JOIN staff r ON r.id = t.receptionist_id
         WHERE t.reported_at >= ?1 AND t.reported_at < ?2 ORDER BY t.reported_at, t.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        let id: i64 = r.get(0)?;
        Ok(ReportedRow {
            ticket_id: id,
            no: r.get(1)?,
            reported_at: r.get(2)?,
            unit: r.get(3)?,
            owner: r.get(4)?,
            phone: r.get(5)?,
            channel: code::get(r, 6, "ticket", "channel", id)?,
            category: code::get(r, 7, "ticket", "category", id)?,
            part: r.get(8)?,
            description: r.get(9)?,
            classification: code::get_opt(r, 10, "ticket", "classification", id)?,
            status: code::get(r, 11, "ticket", "status", id)?,
            steward: r.get(12)?,
            receptionist: r.get(13)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// A repair accepted in the range (§5.1.3.6), with the dispatch it closed.
#[derive(Debug, Clone)]
pub struct AcceptedRow {
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub part: String,
    pub description: String,
    pub kind: AcceptanceKind,
    pub at: i64,
    pub owner_opinion: String,
    pub director: Option<String>,
    pub cs_assistant: Option<String>,
    pub dispatch_no: Option<String>,
    pub contractor: Option<String>,
    pub completed_at: Option<i64>,
    pub steward: Option<String>,
}

pub fn accepted(c: &Db, from: i64, to: i64) -> Result<Vec<AcceptedRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT t.no, u.building || '-' || u.entrance || '-' || u.room, t.owner_name, t.phone, t.part, t.description,
                a.kind, a.at, a.owner_opinion, dr.name, cs.name, d.no, k.name, d.completed_at, s.name, a.id
         FROM acceptance a JOIN ticket t ON t.id = a.ticket_id JOIN unit u ON u.id = t.unit_id
         LEFT JOIN dispatch_notice d ON d.id = a.dispatch_id LEFT JOIN contractor k ON k.id = d.contractor_id
         LEFT JOIN staff dr ON dr.id = a.director_id LEFT JOIN staff cs ON cs.id = a.cs_assistant_id
         LEFT JOIN staff s ON s.id = t.steward_id
         WHERE a.at >= ?1 AND a.at < ?2 ORDER BY a.at, a.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(AcceptedRow {
            no: r.get(0)?,
            unit: r.get(1)?,
            owner: r.get(2)?,
            phone: r.get(3)?,
            part: r.get(4)?,
            description: r.get(5)?,
            kind: code::get(r, 6, "acceptance", "kind", r.get(15)?)?,
            at: r.get(7)?,
            owner_opinion: r.get(8)?,
            director: r.get(9)?,
            cs_assistant: r.get(10)?,
            dispatch_no: r.get(11)?,
            contractor: r.get(12)?,
            completed_at: r.get(13)?,
            steward: r.get(14)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// A follow-up record in the range (completion notice, return visit …).
#[derive(Debug, Clone)]
pub struct FollowUpRow {
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub part: String,
    pub kind: FollowUpKind,
    pub at: i64,
    pub actor: String,
    pub ok: bool,
    pub note: String,
    pub satisfaction: Option<Satisfaction>,
    pub new_phone: String,
    pub out_of_scope: String,
    /// Which attempt of its kind for the ticket this is (1-based).
    pub attempt: i64,
    pub status: TicketStatus,
}

const FOLLOWUP_SELECT: &str = "SELECT t.no, u.building || '-' || u.entrance || '-' || u.room, t.owner_name, t.phone, t.part,
        f.kind, f.at, s.name, f.ok, f.note, f.satisfaction, f.new_phone, f.out_of_scope,
        (SELECT count(*) FROM followup g WHERE g.ticket_id = f.ticket_id AND g.kind = f.kind AND g.id <= f.id), t.status, f.id, t.id
     FROM followup f JOIN ticket t ON t.id = f.ticket_id JOIN unit u ON u.id = t.unit_id JOIN staff s ON s.id = f.actor_id";

fn followup_row(r: &rusqlite::Row) -> rusqlite::Result<FollowUpRow> {
    let (id, ticket_id): (i64, i64) = (r.get(15)?, r.get(16)?);
    Ok(FollowUpRow {
        no: r.get(0)?,
        unit: r.get(1)?,
        owner: r.get(2)?,
        phone: r.get(3)?,
        part: r.get(4)?,
        kind: code::get(r, 5, "followup", "kind", id)?,
        at: r.get(6)?,
        actor: r.get(7)?,
        ok: r.get(8)?,
        note: r.get(9)?,
        satisfaction: code::get_opt(r, 10, "followup", "satisfaction", id)?,
        new_phone: r.get(11)?,
        out_of_scope: r.get(12)?,
        attempt: r.get(13)?,
        status: code::get(r, 14, "ticket", "status", ticket_id)?,
    })
}

/// Follow-ups of one kind recorded in the range, oldest first.
pub fn followups(c: &Db, kind: FollowUpKind, from: i64, to: i64) -> Result<Vec<FollowUpRow>> {
    let mut stmt = c.prepare_cached(&format!("{FOLLOWUP_SELECT} WHERE f.at >= ?1 AND f.at < ?2 AND f.kind = ?3 ORDER BY f.at, f.id"))?;
    let rows = stmt.query_map(params![from, to, kind.code()], followup_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Follow-ups in the range in which the owner raised matters outside the warranty (§5.1.5.3).
pub fn out_of_scope(c: &Db, from: i64, to: i64) -> Result<Vec<FollowUpRow>> {
    let mut stmt = c.prepare_cached(&format!("{FOLLOWUP_SELECT} WHERE f.at >= ?1 AND f.at < ?2 AND f.out_of_scope <> '' ORDER BY f.at, f.id"))?;
    let rows = stmt.query_map(params![from, to], followup_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// An escalation for the report.
#[derive(Debug, Clone)]
pub struct EscalationRow {
    pub kind: EscalationKind,
    pub ticket_no: Option<String>,
    pub unit: Option<String>,
    pub detail: String,
    pub raised_at: i64,
    pub raised_by: Option<String>,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub ack_note: String,
}

/// Escalations the GM had not acknowledged by the end of the range, plus those raised in the
/// range (acknowledged or not); unacknowledged first, then newest first.
pub fn escalations(c: &Db, from: i64, to: i64) -> Result<Vec<EscalationRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT e.kind, t.no, COALESCE(u.building || '-' || u.entrance || '-' || u.room, ut.building || '-' || ut.entrance || '-' || ut.room),
                e.detail, e.raised_at, rb.name, e.acknowledged_at, ab.name, e.ack_note, e.id
         FROM escalation e
         LEFT JOIN ticket t ON t.id = e.ticket_id
         LEFT JOIN unit u ON u.id = e.unit_id
         LEFT JOIN unit ut ON ut.id = t.unit_id
         LEFT JOIN staff rb ON rb.id = e.raised_by
         LEFT JOIN staff ab ON ab.id = e.acknowledged_by
         WHERE e.raised_at < ?2 AND (e.acknowledged_at IS NULL OR e.acknowledged_at >= ?2 OR e.raised_at >= ?1)
         ORDER BY (e.acknowledged_at IS NOT NULL AND e.acknowledged_at < ?2), e.raised_at DESC, e.id DESC",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(EscalationRow {
            kind: code::get(r, 0, "escalation", "kind", r.get(9)?)?,
            ticket_no: r.get(1)?,
            unit: r.get(2)?,
            detail: r.get(3)?,
            raised_at: r.get(4)?,
            raised_by: r.get(5)?,
            acknowledged_at: r.get(6)?,
            acknowledged_by: r.get(7)?,
            ack_note: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// What the progress section shows of each open ticket besides its clocks.
#[derive(Debug, Clone)]
pub struct OpenRow {
    pub id: i64,
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub part: String,
    pub description: String,
    pub status: TicketStatus,
    pub steward: Option<String>,
    pub reported_at: i64,
    /// The latest dispatch notice's number and contractor.
    pub dispatch_no: Option<String>,
    pub contractor: Option<String>,
}

/// The particulars of the given tickets, in id order.
pub fn open_rows(c: &Db, ids: &[i64]) -> Result<Vec<OpenRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = c.prepare_cached(
        "SELECT t.id, t.no, u.building || '-' || u.entrance || '-' || u.room, t.owner_name, t.phone, t.part, t.description, t.status,
                s.name, t.reported_at, d.no, k.name
         FROM ticket t JOIN unit u ON u.id = t.unit_id LEFT JOIN staff s ON s.id = t.steward_id
         LEFT JOIN dispatch_notice d ON d.id = (SELECT max(x.id) FROM dispatch_notice x WHERE x.ticket_id = t.id)
         LEFT JOIN contractor k ON k.id = d.contractor_id
         WHERE t.id IN (SELECT value FROM json_each(?1)) ORDER BY t.id",
    )?;
    let rows = stmt.query_map([crate::tickets::ids_json(ids)], |r| {
        let id: i64 = r.get(0)?;
        Ok(OpenRow {
            id,
            no: r.get(1)?,
            unit: r.get(2)?,
            owner: r.get(3)?,
            phone: r.get(4)?,
            part: r.get(5)?,
            description: r.get(6)?,
            status: code::get(r, 7, "ticket", "status", id)?,
            steward: r.get(8)?,
            reported_at: r.get(9)?,
            dispatch_no: r.get(10)?,
            contractor: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn day_queries_use_the_time_indexes() {
        let store = crate::Store::open_in_memory().unwrap();
        let plans: Vec<String> = store
            .with_tx(|tx| {
                let mut out = Vec::new();
                for sql in [
                    "EXPLAIN QUERY PLAN SELECT id FROM ticket WHERE reported_at >= 0 AND reported_at < 10",
                    "EXPLAIN QUERY PLAN SELECT id FROM acceptance WHERE at >= 0 AND at < 10",
                    "EXPLAIN QUERY PLAN SELECT id FROM followup WHERE at >= 0 AND at < 10 AND kind = 'ReturnVisit'",
                ] {
                    let mut stmt = tx.prepare(sql)?;
                    let rows: Vec<String> = stmt.query_map([], |r| r.get::<_, String>(3))?.collect::<std::result::Result<_, _>>()?;
                    out.push(rows.join(" "));
                }
                Ok::<_, crate::StoreError>(out)
            })
            .unwrap();
        for p in plans {
            assert!(p.contains("USING INDEX") || p.contains("USING COVERING INDEX"), "{p}");
        }
    }

    #[test]
    fn an_empty_database_has_an_empty_day() {
        let store = crate::Store::open_in_memory().unwrap();
        store
            .with_tx(|tx| {
                assert!(reported(tx, 0, i64::MAX)?.is_empty());
                assert!(accepted(tx, 0, i64::MAX)?.is_empty());
                assert!(followups(tx, FollowUpKind::ReturnVisit, 0, i64::MAX)?.is_empty());
                assert!(out_of_scope(tx, 0, i64::MAX)?.is_empty());
                assert!(escalations(tx, 0, i64::MAX)?.is_empty());
                assert!(open_rows(tx, &[])?.is_empty());
                Ok::<_, crate::StoreError>(())
            })
            .unwrap();
    }
}
