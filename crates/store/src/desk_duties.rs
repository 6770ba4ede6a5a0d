//! What the desk's own duties are judged on (migration 0012 and the fund's tables): the daily
//! report's send records, the delivered batches with their liable builders' ledgers (A3), and the
//! saved reconciliations per project and quarter (B4). Nothing here computes a due time:
//! `desk_domain::clock::desk_duties` does.

use crate::Db;
use crate::Result;
use rusqlite::{params, OptionalExtension};

/// One report day marked sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRow {
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub at: i64,
    pub actor: String,
    pub to_list: String,
    pub cc_list: String,
    pub note: String,
}

fn sent_row(r: &rusqlite::Row) -> rusqlite::Result<SentRow> {
    Ok(SentRow { id: r.get(0)?, day: r.get(1)?, at: r.get(2)?, actor: r.get(3)?, to_list: r.get(4)?, cc_list: r.get(5)?, note: r.get(6)? })
}

const SENT_SELECT: &str =
    "SELECT d.id, d.day, d.at, coalesce(s.name, ''), d.to_list, d.cc_list, d.note FROM daily_report_sent d LEFT JOIN staff s ON s.id = d.actor_id";

/// The send record of a report day, if any.
pub fn sent_on(c: &Db, day: &str) -> Result<Option<SentRow>> {
    Ok(c.prepare_cached(&format!("{SENT_SELECT} WHERE d.day = ?1"))?.query_row([day], sent_row).optional()?)
}

/// Records that the report of `day` was sent. A day is recorded once (UNIQUE).
pub fn insert_sent(c: &Db, day: &str, at: i64, actor_id: Option<i64>, to_list: &str, cc_list: &str, note: &str) -> Result<i64> {
    c.execute(
        "INSERT INTO daily_report_sent(day, at, actor_id, to_list, cc_list, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![day, at, actor_id, to_list, cc_list, note],
    )?;
    Ok(c.last_insert_rowid())
}

/// The send records of the report days in `[from, to)` (`YYYY-MM-DD`), by day.
pub fn sent_between(c: &Db, from: &str, to: &str) -> Result<Vec<SentRow>> {
    let mut st = c.prepare_cached(&format!("{SENT_SELECT} WHERE d.day >= ?1 AND d.day < ?2 ORDER BY d.day"))?;
    let rows = st.query_map([from, to], sent_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the first ticket was reported (unix seconds): the desk owes no report before it was in use.
pub fn first_report_at(c: &Db) -> Result<Option<i64>> {
    Ok(c.query_row("SELECT min(reported_at) FROM ticket", [], |r| r.get(0))?)
}

/// A delivered batch with the liable builders' ledgers mapped to it (A3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchLedgerRow {
    pub project: String,
    pub batch: String,
    /// `YYYY-MM-DD` as stored.
    pub delivered_on: String,
    pub ledgers: i64,
    /// Creation time of the last of those ledgers.
    pub last_ledger_at: Option<i64>,
}

/// Every batch with a delivery date, with its distinct liable ledgers.
pub fn delivered_batches(c: &Db) -> Result<Vec<BatchLedgerRow>> {
    let mut st = c.prepare_cached(
        "SELECT p.name, b.name, b.delivered_on, count(DISTINCT l.ledger_id), max(f.created_at)
         FROM batch b JOIN project p ON p.id = b.project_id
         LEFT JOIN liability l ON l.batch_id = b.id LEFT JOIN fund_ledger f ON f.id = l.ledger_id
         WHERE b.delivered_on IS NOT NULL AND b.delivered_on <> ''
         GROUP BY b.id ORDER BY b.delivered_on, b.id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(BatchLedgerRow { project: r.get(0)?, batch: r.get(1)?, delivered_on: r.get(2)?, ledgers: r.get(3)?, last_ledger_at: r.get(4)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A project with deposit ledgers: when the first was created, and its saved reconciliations
/// (quarter text as saved, e.g. `2026Q3`, and the time of each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFundRow {
    pub project_id: i64,
    pub project: String,
    pub first_ledger_at: i64,
    pub saved: Vec<(String, i64)>,
}

pub fn fund_projects(c: &Db) -> Result<Vec<ProjectFundRow>> {
    let mut out: Vec<ProjectFundRow> = {
        let mut st =
            c.prepare_cached("SELECT p.id, p.name, min(f.created_at) FROM fund_ledger f JOIN project p ON p.id = f.project_id GROUP BY p.id ORDER BY p.id")?;
        let rows = st.query_map([], |r| Ok(ProjectFundRow { project_id: r.get(0)?, project: r.get(1)?, first_ledger_at: r.get(2)?, saved: Vec::new() }))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut st = c.prepare_cached("SELECT project_id, quarter, min(at) FROM reconciliation GROUP BY project_id, quarter")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
    for row in rows {
        let (p, q, at) = row?;
        if let Some(x) = out.iter_mut().find(|x| x.project_id == p) {
            x.saved.push((q, at));
        }
    }
    Ok(out)
}
