//! Developer-paid repair costs (migration 0015): lines on a ticket, totals per month (with the
//! developer-paid compensation of migration 0018).

use crate::Db;
use crate::{code, from_unix, Result};
use chrono::NaiveDate;
use desk_domain::developer_cost::{DeveloperCostLine, DeveloperCostMonth};
use desk_domain::fund::payment::LineKind;
use rusqlite::params;

pub struct NewCost<'a> {
    pub ticket_id: i64,
    pub incurred_on: NaiveDate,
    pub kind: LineKind,
    pub item: &'a str,
    pub unit: &'a str,
    pub quantity_milli: i64,
    pub unit_price_fen: i64,
    pub amount_fen: i64,
    pub reason: &'a str,
    pub at: i64,
    pub actor_id: i64,
}

pub fn insert(c: &Db, x: &NewCost) -> Result<i64> {
    c.execute(
        "INSERT INTO developer_cost(ticket_id, incurred_on, kind, item, unit, quantity_milli, unit_price_fen, amount_fen, reason, at, actor_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            x.ticket_id,
            x.incurred_on.to_string(),
            x.kind.code(),
            x.item,
            x.unit,
            x.quantity_milli,
            x.unit_price_fen,
            x.amount_fen,
            x.reason,
            x.at,
            x.actor_id
        ],
    )?;
    Ok(c.last_insert_rowid())
}

/// A ticket's cost lines in entry order.
pub fn of_ticket(c: &Db, ticket_id: i64) -> Result<Vec<DeveloperCostLine>> {
    let mut st = c.prepare(
        "SELECT d.id, d.ticket_id, t.no, d.incurred_on, d.kind, d.item, d.unit, d.quantity_milli, d.unit_price_fen, d.amount_fen, d.reason, d.at, s.name
         FROM developer_cost d JOIN ticket t ON t.id = d.ticket_id JOIN staff s ON s.id = d.actor_id
         WHERE d.ticket_id = ?1 ORDER BY d.id",
    )?;
    let rows = st.query_map([ticket_id], |r| {
        let id: i64 = r.get(0)?;
        let on: String = r.get(3)?;
        Ok(DeveloperCostLine {
            id,
            ticket_id: r.get(1)?,
            ticket_no: r.get(2)?,
            incurred_on: crate::stored_date(&on, "developer_cost", "incurred_on", id)?,
            kind: code::get(r, 4, "developer_cost", "kind", id)?,
            item: r.get(5)?,
            unit: r.get(6)?,
            quantity_milli: r.get(7)?,
            unit_price_fen: r.get(8)?,
            amount_fen: r.get(9)?,
            reason: r.get(10)?,
            at: from_unix(r.get(11)?),
            actor: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The costs per project and month of the lines dated `from..=to`, by project then month, with
/// the developer-paid compensation agreed in those days (§6.3) in its own column.
pub fn per_month(c: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<DeveloperCostMonth>> {
    let mut st = c.prepare(
        "SELECT p.name, x.month, count(DISTINCT x.ticket_id), sum(x.material), sum(x.labour), sum(x.other), sum(x.comp), sum(x.amount)
         FROM (SELECT d.ticket_id, substr(d.incurred_on, 1, 7) AS month,
                      CASE WHEN d.kind = 'Material' THEN d.amount_fen ELSE 0 END AS material,
                      CASE WHEN d.kind = 'Labour' THEN d.amount_fen ELSE 0 END AS labour,
                      CASE WHEN d.kind = 'Other' THEN d.amount_fen ELSE 0 END AS other,
                      0 AS comp, d.amount_fen AS amount
               FROM developer_cost d WHERE d.incurred_on BETWEEN ?1 AND ?2
               UNION ALL
               SELECT k.ticket_id, substr(k.concluded_on, 1, 7), 0, 0, 0, k.agreed_fen, k.agreed_fen
               FROM compensation k WHERE k.payer = 'Developer' AND k.agreed_fen > 0 AND k.concluded_on BETWEEN ?1 AND ?2) x
         JOIN ticket t ON t.id = x.ticket_id JOIN project p ON p.id = t.project_id
         GROUP BY t.project_id, x.month ORDER BY p.name, t.project_id, x.month",
    )?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok(DeveloperCostMonth {
            project: r.get(0)?,
            month: r.get(1)?,
            tickets: r.get(2)?,
            material_fen: r.get(3)?,
            labour_fen: r.get(4)?,
            other_fen: r.get(5)?,
            compensation_fen: r.get(6)?,
            total_fen: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
