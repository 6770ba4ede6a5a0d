//! Statistics (§4.3.3 "因保修产生的投诉进行最终数据分析，对维修隐患作出预警", §8 维修工作统计与分析):
//! aggregate queries over the tickets reported in a period `[from, to)` (unix seconds).
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

/// The statuses that are not defects, excluded from every count.
const COUNTED: &str = "t.status NOT IN ('Cancelled', 'OutOfScope')";
/// The period condition on `ticket t`; `?1` = from, `?2` = to.
const IN_PERIOD: &str = "t.reported_at >= ?1 AND t.reported_at < ?2";

/// One group of a breakdown: its key (a code, a name or `YYYY-MM`) and the number of tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub key: String,
    pub n: i64,
}

fn counts(c: &Db, sql: &str, from: i64, to: i64) -> Result<Vec<Count>> {
    let mut stmt = c.prepare(sql)?;
    let rows = stmt.query_map(params![from, to], |r| Ok(Count { key: r.get(0)?, n: r.get(1)? }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Defect tickets reported in the period.
pub fn total(c: &Db, from: i64, to: i64) -> Result<i64> {
    Ok(c.query_row(&format!("SELECT count(*) FROM ticket t WHERE {IN_PERIOD} AND {COUNTED}"), params![from, to], |r| r.get(0))?)
}

/// One category's number of tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryCount {
    pub category: Category,
    pub n: i64,
}

/// Per category, most first. An unknown category is an error naming one of its tickets.
pub fn by_category(c: &Db, from: i64, to: i64) -> Result<Vec<CategoryCount>> {
    let mut stmt = c.prepare(&format!(
        "SELECT t.category, count(*) AS n, min(t.id) FROM ticket t WHERE {IN_PERIOD} AND {COUNTED} GROUP BY t.category ORDER BY n DESC, t.category"
    ))?;
    let rows = stmt.query_map(params![from, to], |r| Ok(CategoryCount { category: code::get(r, 0, "ticket", "category", r.get(2)?)?, n: r.get(1)? }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Per part (trimmed; empty = `''`), the `limit` most frequent.
pub fn by_part(c: &Db, from: i64, to: i64, limit: u32) -> Result<Vec<Count>> {
    let mut stmt =
        c.prepare(&format!("SELECT trim(t.part) AS p, count(*) AS n FROM ticket t WHERE {IN_PERIOD} AND {COUNTED} GROUP BY p ORDER BY n DESC, p LIMIT ?3"))?;
    let rows = stmt.query_map(params![from, to, limit], |r| Ok(Count { key: r.get(0)?, n: r.get(1)? }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Per building (楼栋, as copied onto the ticket), most first.
pub fn by_building(c: &Db, from: i64, to: i64) -> Result<Vec<Count>> {
    counts(
        c,
        &format!("SELECT t.building, count(*) AS n FROM ticket t WHERE {IN_PERIOD} AND {COUNTED} GROUP BY t.building ORDER BY n DESC, t.building"),
        from,
        to,
    )
}

/// Per delivery batch (the unit's batch), keyed by the batch name, most first.
pub fn by_batch(c: &Db, from: i64, to: i64) -> Result<Vec<Count>> {
    counts(
        c,
        &format!(
            "SELECT b.name, count(*) AS n FROM ticket t JOIN unit u ON u.id = t.unit_id JOIN batch b ON b.id = u.batch_id
             WHERE {IN_PERIOD} AND {COUNTED} GROUP BY b.id ORDER BY n DESC, b.name"
        ),
        from,
        to,
    )
}

/// Per local month (China Standard Time, UTC+8) as `YYYY-MM`; months without tickets are absent.
pub fn by_month(c: &Db, from: i64, to: i64) -> Result<Vec<Count>> {
    counts(
        c,
        &format!(
            "SELECT strftime('%Y-%m', t.reported_at + 28800, 'unixepoch') AS m, count(*) AS n FROM ticket t
             WHERE {IN_PERIOD} AND {COUNTED} GROUP BY m ORDER BY m"
        ),
        from,
        to,
    )
}

/// Tickets per builder / contractor: a ticket counts once for every contractor it was dispatched
/// to (a rework by another firm counts for both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractorCount {
    pub contractor_id: i64,
    pub name: String,
    pub kind: ContractorKind,
    pub tickets: i64,
}

pub fn by_contractor(c: &Db, from: i64, to: i64) -> Result<Vec<ContractorCount>> {
    let mut stmt = c.prepare(&format!(
        "SELECT k.id, k.name, k.kind, count(DISTINCT t.id) AS n FROM ticket t
         JOIN dispatch_notice d ON d.ticket_id = t.id JOIN contractor k ON k.id = d.contractor_id
         WHERE {IN_PERIOD} AND {COUNTED} GROUP BY k.id ORDER BY n DESC, k.name"
    ))?;
    let rows = stmt.query_map(params![from, to], |r| {
        let id: i64 = r.get(0)?;
        Ok(ContractorCount { contractor_id: id, name: r.get(1)?, kind: code::get(r, 2, "contractor", "kind", id)?, tickets: r.get(3)? })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Per category × part (trimmed, non-empty), every pair with its count — for the recurring
/// problems table (called for the period and for the one before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryPart {
    pub category: Category,
    pub part: String,
    pub n: i64,
}

pub fn by_category_part(c: &Db, from: i64, to: i64) -> Result<Vec<CategoryPart>> {
    let mut stmt = c.prepare(&format!(
        "SELECT t.category, trim(t.part) AS p, count(*) AS n, min(t.id) FROM ticket t
         WHERE {IN_PERIOD} AND {COUNTED} AND trim(t.part) <> '' GROUP BY t.category, p ORDER BY n DESC, t.category, p"
    ))?;
    let rows =
        stmt.query_map(params![from, to], |r| Ok(CategoryPart { category: code::get(r, 0, "ticket", "category", r.get(3)?)?, part: r.get(1)?, n: r.get(2)? }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
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

/// Who answers for a ticket of the period (§4.1.3 the center assesses its staff): its steward
/// (保修管家, when assigned) and the clerk who took the report (接待人).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketStaff {
    pub ticket_id: i64,
    pub steward: Option<(i64, String)>,
    pub receptionist: (i64, String),
}

pub fn ticket_staff(c: &Db, from: i64, to: i64) -> Result<Vec<TicketStaff>> {
    let mut stmt = c.prepare(&format!(
        "SELECT t.id, t.steward_id, s.name, t.receptionist_id, coalesce(r.name, '') FROM ticket t
         LEFT JOIN staff s ON s.id = t.steward_id LEFT JOIN staff r ON r.id = t.receptionist_id
         WHERE {IN_PERIOD} AND {COUNTED}"
    ))?;
    let rows = stmt.query_map(params![from, to], |r| {
        let steward = match (r.get::<_, Option<i64>>(1)?, r.get::<_, Option<String>>(2)?) {
            (Some(id), Some(name)) => Some((id, name)),
            _ => None,
        };
        Ok(TicketStaff { ticket_id: r.get(0)?, steward, receptionist: (r.get(3)?, r.get(4)?) })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
