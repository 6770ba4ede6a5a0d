//! The bare-SQL baselines of `wdesk bench`: each list and search as one hand-written query
//! through rusqlite, doing the work the desk does — the page of 50 with the same columns and
//! joins, and the match count capped like the list header's — so that the ratio desk / bare
//! measures our layers, and the rows they return can be compared.

use crate::Db;
use crate::Result;
use rusqlite::params;
use rusqlite::types::ToSql;

/// A page (ids, newest first) and the capped count (`None` for a later page: the desk skips it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub ids: Vec<i64>,
    pub total: Option<i64>,
}

/// What a bare list or search filters on.
pub enum Filter<'a> {
    StatusSteward {
        status: &'a str,
        steward_id: i64,
    },
    Newest,
    PhoneSuffix(&'a str),
    Unit {
        building: &'a str,
        entrance: &'a str,
        room: &'a str,
    },
    /// An FTS5 MATCH expression (from `desk_domain::search::fts_match`).
    Text(&'a str),
}

const COLUMNS: &str = "t.id, t.no, u.building || '-' || u.entrance || '-' || u.room, t.owner_name, t.phone, t.status,
    t.category, t.part, t.description, t.classification, s.name, t.reported_at";

/// One page of 50 (or `limit`) and, on a first page, the count up to `cap`.
pub fn page(c: &Db, f: &Filter, before_id: Option<i64>, limit: u32, cap: i64) -> Result<Page> {
    // (FROM, WHERE, the id column, the count's FROM): text drives from the index, newest first.
    let (from, cond, id, count_from, mut args): (&str, &str, &str, &str, Vec<&dyn ToSql>) = match f {
        Filter::StatusSteward { status, steward_id } => ("ticket t", "t.status = ?1 AND t.steward_id = ?2", "t.id", "ticket t", vec![status, steward_id]),
        Filter::Newest => ("ticket t", "1", "t.id", "ticket t", vec![]),
        Filter::PhoneSuffix(s) => ("ticket t", "t.phone_suffix = ?1", "t.id", "ticket t", vec![s]),
        Filter::Unit { building, entrance, room } => (
            "ticket t",
            "t.unit_id IN (SELECT id FROM unit WHERE building = ?1 AND entrance = ?2 AND room = ?3)",
            "t.id",
            "ticket t",
            vec![building, entrance, room],
        ),
        Filter::Text(m) => ("ticket_fts f CROSS JOIN ticket t ON t.id = f.rowid", "ticket_fts MATCH ?1", "f.rowid", "ticket_fts", vec![m]),
    };
    let n = args.len();
    let cursor = before_id.map(|_| format!(" AND {id} < ?{}", n + 1)).unwrap_or_default();
    let page_sql = format!(
        "SELECT {COLUMNS} FROM {from} JOIN unit u ON u.id = t.unit_id LEFT JOIN staff s ON s.id = t.steward_id
         WHERE {cond}{cursor} ORDER BY {id} DESC LIMIT {limit}"
    );
    let before = before_id.unwrap_or(0);
    if before_id.is_some() {
        args.push(&before);
    }
    let mut stmt = c.prepare_cached(&page_sql)?;
    let mut rows = stmt.query(args.as_slice())?;
    let mut ids = Vec::new();
    while let Some(r) = rows.next()? {
        // Read every column, as the desk does when it builds its summaries.
        for i in 1..12 {
            let _: rusqlite::types::Value = r.get(i)?;
        }
        ids.push(r.get(0)?);
    }
    let total = if before_id.is_some() {
        None
    } else {
        let count_sql = format!("SELECT count(*) FROM (SELECT 1 FROM {count_from} WHERE {cond} LIMIT {cap})");
        let args: Vec<&dyn ToSql> = args[..n].to_vec();
        Some(c.prepare_cached(&count_sql)?.query_row(args.as_slice(), |r| r.get(0))?)
    };
    Ok(Page { ids, total })
}

/// Defect tickets (not cancelled, not out of scope) reported in `[from, to)`: the statistics' total.
pub fn defect_total(c: &Db, from: i64, to: i64) -> Result<i64> {
    Ok(c.query_row(
        "SELECT count(*) FROM ticket WHERE reported_at >= ?1 AND reported_at < ?2 AND status NOT IN ('Cancelled', 'OutOfScope')",
        params![from, to],
        |r| r.get(0),
    )?)
}

/// Tickets that still owe a duty (the statuses 今日待办 reads).
pub fn with_duties(c: &Db) -> Result<i64> {
    Ok(c.query_row(&format!("SELECT count(*) FROM ticket WHERE status IN {}", crate::clocks::WITH_DUTIES), [], |r| r.get(0))?)
}
