//! 责任施工单位: which deposit ledger (builder contract) answers for which part class of a
//! delivery batch (`liability`, migration 0007). A class without its own row falls to the
//! batch's general contractor (part_class '').

use crate::Db;
use crate::{code, Result, StoreError};
use desk_domain::coverage::PartClass;
use desk_domain::fund::LedgerSummary;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// One mapping row, with the names the settings screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LiabilityRow {
    pub id: i64,
    pub batch_id: i64,
    pub batch: String,
    /// `None`: the general contractor (every class without a row of its own).
    pub part_class: Option<PartClass>,
    pub ledger_id: i64,
    pub builder: String,
    pub contract_no: String,
}

fn class_code(p: Option<PartClass>) -> &'static str {
    p.map_or("", PartClass::code)
}

/// Adds a mapping; a second one for the same batch and class is an overlap, refused in words.
pub fn insert(c: &Db, batch_id: i64, part_class: Option<PartClass>, ledger_id: i64) -> Result<i64> {
    let taken: Option<String> = c
        .query_row(
            "SELECT b.name || ' / ' || k.name FROM liability m JOIN fund_ledger l ON l.id = m.ledger_id
             JOIN contractor k ON k.id = l.contractor_id JOIN batch b ON b.id = m.batch_id
             WHERE m.batch_id = ?1 AND m.part_class = ?2",
            params![batch_id, class_code(part_class)],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(who) = taken {
        let class = part_class.map_or("总包（其余各类部位）", PartClass::label);
        return Err(StoreError::Conflict(format!("「{class}」已由「{who}」负责：同一批次的同一类部位只能有一个责任施工单位，请先删除原设置")));
    }
    c.execute("INSERT INTO liability(batch_id, part_class, ledger_id) VALUES (?1, ?2, ?3)", params![batch_id, class_code(part_class), ledger_id])?;
    Ok(c.last_insert_rowid())
}

pub fn delete(c: &Db, id: i64) -> Result<()> {
    if c.execute("DELETE FROM liability WHERE id = ?1", [id])? == 0 {
        return Err(StoreError::not_found("责任施工单位设置"));
    }
    Ok(())
}

/// The mappings of a project's batches, batch by batch, the general contractor first.
pub fn list(c: &Db, project_id: i64) -> Result<Vec<LiabilityRow>> {
    let mut st = c.prepare(
        "SELECT m.id, m.batch_id, b.name, m.part_class, m.ledger_id, k.name, l.contract_no
         FROM liability m JOIN batch b ON b.id = m.batch_id JOIN fund_ledger l ON l.id = m.ledger_id
         JOIN contractor k ON k.id = l.contractor_id
         WHERE b.project_id = ?1 ORDER BY b.id, m.part_class <> '', m.part_class",
    )?;
    let rows = st.query_map([project_id], |r| {
        let code: String = r.get(3)?;
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, code, r.get(4)?, r.get(5)?, r.get(6)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, batch_id, batch, code, ledger_id, builder, contract_no): (i64, i64, String, String, i64, String, String) = row?;
        let part_class = if code.is_empty() { None } else { Some(code::known::<PartClass>(&code, "liability", "part_class", id)?) };
        out.push(LiabilityRow { id, batch_id, batch, part_class, ledger_id, builder, contract_no });
    }
    Ok(out)
}

/// The ledger liable for `part_class` at the unit's batch: the class's own row, else the
/// batch's general contractor; `None` when neither is set.
pub fn liable_ledger(c: &Db, unit_id: i64, part_class: PartClass) -> Result<Option<LedgerSummary>> {
    let id: Option<i64> = c
        .query_row(
            "SELECT m.ledger_id FROM unit u JOIN liability m ON m.batch_id = u.batch_id
             WHERE u.id = ?1 AND m.part_class IN (?2, '') ORDER BY m.part_class = '' LIMIT 1",
            params![unit_id, part_class.code()],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| crate::fund::ledger(c, id)).transpose()
}
