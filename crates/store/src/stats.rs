//! Statistics (§4.3.3 "因保修产生的投诉进行最终数据分析，对维修隐患作出预警", §8 维修工作统计与分析):
//! the rows of the tickets reported in a period `[from, to)` (unix seconds) that the service adds
//! up per day, and the table of past days kept (`stats_day`, migration 0022).
//!
//! Every count here is of **defect tickets**: tickets reported in the period whose status is not
//! 已取消 (a mistaken or duplicate entry) and not 非保修范围 (not a defect of the house) — the same
//! rule the §5.2.2 detectors use. Parts are compared trimmed; an empty part is "unknown", not a place.
//!
//! Nothing here computes a rate or a deadline: the service does, from these rows.

use crate::Db;
use crate::{code, Result};
use desk_domain::records::ContractorKind;
use desk_domain::repair::Satisfaction;
use desk_domain::ticket::Category;
use rusqlite::params;
use std::collections::HashMap;

/// The statuses that are not defects, excluded from every count.
const COUNTED: &str = "t.status NOT IN ('Cancelled', 'OutOfScope')";
/// The period condition on `ticket t`; `?1` = from, `?2` = to.
const IN_PERIOD: &str = "t.reported_at >= ?1 AND t.reported_at < ?2";

/// One defect ticket of the period with what the breakdowns group it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodTicket {
    pub id: i64,
    pub reported_at: i64,
    pub project_id: i64,
    pub category: Category,
    /// Trimmed as SQLite's `trim` does (spaces only), `''` when empty.
    pub part: String,
    /// 楼栋, as copied onto the ticket.
    pub building: String,
    /// The unit's delivery batch.
    pub batch_id: i64,
    pub steward_id: Option<i64>,
    pub receptionist_id: i64,
    /// A duplicate linked to another ticket: counted, but it has no clocks of its own.
    pub linked: bool,
}

/// Every defect ticket reported in the period, in id order: one pass that every breakdown of
/// the period is counted from.
pub fn period_tickets(c: &Db, from: i64, to: i64) -> Result<Vec<PeriodTicket>> {
    let mut stmt = c.prepare(&format!(
        "SELECT t.id, t.reported_at, t.project_id, t.category, trim(t.part), t.building, u.batch_id, t.steward_id, t.receptionist_id,
                t.linked_to IS NOT NULL
         FROM ticket t JOIN unit u ON u.id = t.unit_id WHERE {IN_PERIOD} AND {COUNTED} ORDER BY t.id"
    ))?;
    let rows = stmt.query_map(params![from, to], |r| {
        let id: i64 = r.get(0)?;
        Ok(PeriodTicket {
            id,
            reported_at: r.get(1)?,
            project_id: r.get(2)?,
            category: code::get(r, 3, "ticket", "category", id)?,
            part: r.get(4)?,
            building: r.get(5)?,
            batch_id: r.get(6)?,
            steward_id: r.get(7)?,
            receptionist_id: r.get(8)?,
            linked: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The names the statistics show for the ids they count by.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Names {
    pub staff: HashMap<i64, String>,
    pub contractors: HashMap<i64, (String, ContractorKind)>,
    pub batches: HashMap<i64, String>,
}

pub fn names(c: &Db) -> Result<Names> {
    let mut out = Names::default();
    let mut stmt = c.prepare("SELECT id, name FROM staff")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.staff.insert(r.get(0)?, r.get(1)?);
    }
    let mut stmt = c.prepare("SELECT id, name, kind FROM contractor")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        out.contractors.insert(id, (r.get(1)?, code::get(r, 2, "contractor", "kind", id)?));
    }
    let mut stmt = c.prepare("SELECT id, name FROM batch")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.batches.insert(r.get(0)?, r.get(1)?);
    }
    Ok(out)
}

/// How many changes the kept days' triggers have seen (migration 0022): figures computed on a
/// snapshot are kept only while this is what it was in that snapshot.
pub fn epoch(c: &Db) -> Result<i64> {
    Ok(c.query_row("SELECT n FROM stats_epoch WHERE id = 1", [], |r| r.get(0))?)
}

/// The kept figures (JSON) of the days `[from_day, to_day)` judged by `fingerprint`.
pub fn kept_days(c: &Db, from_day: i64, to_day: i64, fingerprint: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = c.prepare("SELECT day, figures FROM stats_day WHERE day >= ?1 AND day < ?2 AND fingerprint = ?3")?;
    let rows = stmt.query_map(params![from_day, to_day, fingerprint], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Keeps days' figures, unless a save has changed anything since `epoch` was read (then the
/// figures may be out of date already, and the next look computes them again). Answers whether
/// they were kept.
pub fn keep_days(c: &Db, epoch_seen: i64, fingerprint: &str, days: &[(i64, String)]) -> Result<bool> {
    if epoch(c)? != epoch_seen {
        return Ok(false);
    }
    let mut stmt = c.prepare("INSERT OR REPLACE INTO stats_day (day, fingerprint, figures) VALUES (?1, ?2, ?3)")?;
    for (day, figures) in days {
        stmt.execute(params![day, fingerprint, figures])?;
    }
    Ok(true)
}

/// Forgets every kept day (they are computed again on the next look).
pub fn forget_days(c: &Db) -> Result<()> {
    c.execute("DELETE FROM stats_day", [])?;
    Ok(())
}

/// A place (unit + trimmed part) with more than one defect ticket: `in_period` of them reported
/// in the period, `before` reported at the same place before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatPlace {
    pub unit: String,
    pub part: String,
    pub in_period: i64,
    pub before: i64,
}

impl RepeatPlace {
    /// Tickets of the period that had an earlier ticket at the same place: all of them when the
    /// place had one before the period, all but the first otherwise.
    pub fn repeats(&self) -> i64 {
        if self.before > 0 {
            self.in_period
        } else {
            self.in_period - 1
        }
    }
}

/// Every place with a repeat in the period (§5.2.2.2 "同一位置进行第二次维修").
pub fn repeat_places(c: &Db, from: i64, to: i64) -> Result<Vec<RepeatPlace>> {
    let mut stmt = c.prepare(&format!(
        "WITH p AS (
             SELECT t.unit_id, trim(t.part) AS part, count(*) AS n FROM ticket t
             WHERE {IN_PERIOD} AND {COUNTED} AND trim(t.part) <> '' GROUP BY t.unit_id, trim(t.part)
         ), q AS (
             SELECT p.unit_id, p.part, p.n,
                    (SELECT count(*) FROM ticket t WHERE t.unit_id = p.unit_id AND trim(t.part) = p.part
                         AND t.reported_at < ?1 AND {COUNTED}) AS before
             FROM p
         )
         SELECT u.building || '-' || u.entrance || '-' || u.room, q.part, q.n, q.before FROM q JOIN unit u ON u.id = q.unit_id
         WHERE q.n > 1 OR q.before > 0"
    ))?;
    let rows = stmt.query_map(params![from, to], |r| Ok(RepeatPlace { unit: r.get(0)?, part: r.get(1)?, in_period: r.get(2)?, before: r.get(3)? }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// One return visit (§5.1.5) of a ticket reported in the period, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRow {
    pub ticket_id: i64,
    pub at: i64,
    /// The owner was reached.
    pub reached: bool,
    /// When reached.
    pub satisfaction: Option<Satisfaction>,
}

pub fn return_visits(c: &Db, from: i64, to: i64) -> Result<Vec<VisitRow>> {
    let mut stmt = c.prepare(&format!(
        "SELECT f.ticket_id, f.at, f.ok, f.satisfaction, f.id FROM ticket t JOIN followup f ON f.ticket_id = t.id
         WHERE {IN_PERIOD} AND {COUNTED} AND f.kind = 'ReturnVisit' ORDER BY f.ticket_id, f.at, f.id"
    ))?;
    let rows = stmt.query_map(params![from, to], |r| {
        let satisfaction = code::get_opt(r, 3, "followup", "satisfaction", r.get(4)?)?;
        Ok(VisitRow { ticket_id: r.get(0)?, at: r.get(1)?, reached: r.get(2)?, satisfaction })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// One dispatch notice (F02) of a ticket reported in the period, by ticket then issue order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchRow {
    pub ticket_id: i64,
    pub project_id: i64,
    pub contractor_id: i64,
    pub contractor: String,
    pub contractor_kind: ContractorKind,
    pub issued_at: i64,
    pub appointment_at: i64,
    pub arrived_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub rework: bool,
}

pub fn dispatches(c: &Db, from: i64, to: i64) -> Result<Vec<DispatchRow>> {
    let mut stmt = c.prepare(&format!(
        "SELECT t.id, t.project_id, k.id, k.name, k.kind, d.issued_at, d.appointment_at, d.arrived_at, d.completed_at, d.rework
         FROM ticket t JOIN dispatch_notice d ON d.ticket_id = t.id JOIN contractor k ON k.id = d.contractor_id
         WHERE {IN_PERIOD} AND {COUNTED} ORDER BY t.id, d.issued_at, d.id"
    ))?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(DispatchRow {
            ticket_id: r.get(0)?,
            project_id: r.get(1)?,
            contractor_id: r.get(2)?,
            contractor: r.get(3)?,
            contractor_kind: code::get(r, 4, "contractor", "kind", r.get(2)?)?,
            issued_at: r.get(5)?,
            appointment_at: r.get(6)?,
            arrived_at: r.get(7)?,
            completed_at: r.get(8)?,
            rework: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
