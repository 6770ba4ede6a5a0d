//! Look-ups the A3 ledger import and the fund deadlines need, beside [`crate::fund`] (builder
//! aliases live in [`crate::reconcile`]): ticket / payment-request numbers, vouchers already booked, the import's own row.
//! Each is one query for the whole import (or a cached statement per distinct number), so an
//! import of 100,000 rows does no SELECT per row.

use crate::Db;
use crate::Result;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// The id of ticket `no` of the project, if it is one of ours.
pub fn ticket_id(c: &Db, project_id: i64, no: &str) -> Result<Option<i64>> {
    Ok(c.prepare_cached("SELECT id FROM ticket WHERE no = ?1 AND project_id = ?2")?.query_row(params![no, project_id], |r| r.get(0)).optional()?)
}

/// The id of payment request `no`, if the desk has it.
pub fn payment_request_id(c: &Db, no: &str) -> Result<Option<i64>> {
    Ok(c.prepare_cached("SELECT id FROM payment_request WHERE no = ?1")?.query_row([no], |r| r.get(0)).optional()?)
}

/// Vouchers already booked in the project's ledgers: `(ledger_id, voucher_no, entry_date)`.
pub fn vouchers(c: &Db, project_id: i64) -> Result<Vec<(i64, String, String)>> {
    let mut st = c.prepare(
        "SELECT e.ledger_id, e.voucher_no, e.entry_date FROM ledger_entry e JOIN fund_ledger l ON l.id = e.ledger_id
         WHERE l.project_id = ?1 AND e.voucher_no <> ''",
    )?;
    let rows = st.query_map([project_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether ledger `ledger_id` already has an entry with this voucher number.
pub fn voucher_in_ledger(c: &Db, ledger_id: i64, voucher_no: &str) -> Result<bool> {
    Ok(c.query_row("SELECT EXISTS (SELECT 1 FROM ledger_entry WHERE ledger_id = ?1 AND voucher_no = ?2)", params![ledger_id, voucher_no], |r| r.get(0))?)
}

/// The id of the recorded import of this file content.
pub fn import_id(c: &Db, kind: &str, sha256: &str) -> Result<Option<i64>> {
    Ok(c.query_row("SELECT id FROM import_file WHERE kind = ?1 AND sha256 = ?2", params![kind, sha256], |r| r.get(0)).optional()?)
}

/// When the project's ledger was first received (its first import that wrote entries), as
/// unix seconds: the A3 deadline is met by that day.
pub fn first_ledger_import_at(c: &Db, project_id: i64) -> Result<Option<i64>> {
    Ok(c.query_row(
        "SELECT min(i.at) FROM import_file i WHERE i.kind = 'ledger' AND EXISTS (
            SELECT 1 FROM fund_ledger l WHERE l.project_id = ?1 AND EXISTS (
                SELECT 1 FROM ledger_entry e WHERE e.ledger_id = l.id AND e.import_id = i.id))",
        [project_id],
        |r| r.get(0),
    )?)
}

/// Batches of the project with a delivery date: `(name, delivered_on)`.
pub fn delivered_batches(c: &Db, project_id: i64) -> Result<Vec<(String, NaiveDate)>> {
    let mut st = c.prepare("SELECT name, delivered_on FROM batch WHERE project_id = ?1 AND delivered_on IS NOT NULL ORDER BY delivered_on, id")?;
    let rows = st.query_map([project_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (name, d) = row?;
        // Written by us as YYYY-MM-DD; a row that is not is skipped rather than guessed.
        if let Ok(d) = d.parse() {
            out.push((name, d));
        }
    }
    Ok(out)
}

/// Each ledger's balance from the entries dated before `date` (the quarter's opening balance),
/// by ledger id; ledgers without such entries are absent.
pub fn balances_before(c: &Db, project_id: i64, date: NaiveDate) -> Result<std::collections::HashMap<i64, i64>> {
    let mut st = c.prepare(
        "SELECT e.ledger_id, sum(e.credit_fen) - sum(e.debit_fen) FROM ledger_entry e JOIN fund_ledger l ON l.id = e.ledger_id
         WHERE l.project_id = ?1 AND e.entry_date < ?2 GROUP BY e.ledger_id",
    )?;
    let rows = st.query_map(params![project_id, date.to_string()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets the connection's page cache to `kib` KiB and returns the previous setting (SQLite's
/// `cache_size` value) so the caller can put it back. A 100,000-row import touches tens of MB
/// of table and index pages; with the default 2 MB cache SQLite spills dirty pages to the WAL
/// mid-transaction and reads them back.
pub fn set_cache_kib(c: &Db, kib: i64) -> Result<i64> {
    let before: i64 = c.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    c.pragma_update(None, "cache_size", -kib.abs())?;
    Ok(before)
}

/// Reads the database file through a memory map of up to `bytes` for a big import's planning
/// (its duplicate checks scan every entry of the project: through `pread` each page was copied
/// out of the OS cache again, most of a second 100,000-row import's time). Returns the previous
/// size for [`restore_mmap`].
pub fn set_mmap(c: &Db, bytes: i64) -> Result<i64> {
    let before: i64 = c.query_row("PRAGMA mmap_size", [], |r| r.get(0))?;
    let _: i64 = c.query_row(&format!("PRAGMA mmap_size = {}", bytes.max(0)), [], |r| r.get(0))?;
    Ok(before)
}

/// Puts back a `mmap_size` returned by [`set_mmap`].
pub fn restore_mmap(c: &Db, before: i64) -> Result<()> {
    let _: i64 = c.query_row(&format!("PRAGMA mmap_size = {}", before.max(0)), [], |r| r.get(0))?;
    Ok(())
}

/// Puts back a `cache_size` value returned by [`set_cache_kib`].
pub fn restore_cache(c: &Db, before: i64) -> Result<()> {
    c.pragma_update(None, "cache_size", before)?;
    Ok(())
}
