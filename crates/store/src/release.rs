//! 保修金退还 (migration 0015): the applications on a ledger and their steps, the builder's open
//! tickets and the ledger's open commissions the inspection lists.

use crate::Db;
use crate::{code, from_unix, Result, StoreError};
use chrono::NaiveDate;
use desk_domain::fund::release::{inspection_due, payment_due, DepositRelease, ReleaseDecision, ReleaseStep};
use desk_domain::ticket::{Category, TicketStatus};
use rusqlite::{params, OptionalExtension};

const SELECT: &str = "SELECT r.id, r.ledger_id, c.name, l.contract_no, r.applied_on, r.applicant, a.name,
        r.inspected_at, i.name, r.open_tickets, r.open_ticket_nos, r.open_deductions_fen, r.inspection_note,
        r.decision, r.decided_on, d.name, r.reason, r.amount_fen, r.paid_on, r.voucher_no, r.entry_id, r.paid_at
     FROM deposit_release r JOIN fund_ledger l ON l.id = r.ledger_id JOIN contractor c ON c.id = l.contractor_id
     JOIN staff a ON a.id = r.applied_by LEFT JOIN staff i ON i.id = r.inspected_by LEFT JOIN staff d ON d.id = r.decided_by";

fn date(s: Option<String>, column: &'static str, id: i64) -> rusqlite::Result<Option<NaiveDate>> {
    s.map(|s| crate::stored_date(&s, "deposit_release", column, id)).transpose()
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<DepositRelease> {
    let id: i64 = r.get(0)?;
    let applied: String = r.get(4)?;
    let applied_on = crate::stored_date(&applied, "deposit_release", "applied_on", id)?;
    let inspected_at: Option<i64> = r.get(7)?;
    let decision: Option<ReleaseDecision> = code::get_opt(r, 13, "deposit_release", "decision", id)?;
    let decided_on = date(r.get(14)?, "decided_on", id)?;
    let paid_at: Option<i64> = r.get(21)?;
    let step = match (inspected_at, decision, paid_at) {
        (_, _, Some(_)) => ReleaseStep::Paid,
        (_, Some(ReleaseDecision::Refuse), _) => ReleaseStep::Refused,
        (_, Some(_), None) => ReleaseStep::Decided,
        (Some(_), None, None) => ReleaseStep::Inspected,
        (None, None, None) => ReleaseStep::Applied,
    };
    Ok(DepositRelease {
        id,
        ledger_id: r.get(1)?,
        builder: r.get(2)?,
        contract_no: r.get(3)?,
        step,
        applied_on,
        applicant: r.get(5)?,
        applied_by: r.get(6)?,
        inspection_due: inspection_due(applied_on),
        inspected_at: inspected_at.map(from_unix),
        inspected_by: r.get(8)?,
        open_tickets: r.get(9)?,
        open_ticket_nos: r.get(10)?,
        open_deductions_fen: r.get(11)?,
        inspection_note: r.get(12)?,
        decision,
        decided_on,
        decided_by: r.get(15)?,
        reason: r.get(16)?,
        amount_fen: r.get(17)?,
        payment_due: match decision {
            Some(ReleaseDecision::Refuse) | None => None,
            Some(_) => decided_on.map(payment_due),
        },
        paid_on: date(r.get(18)?, "paid_on", id)?,
        voucher_no: r.get(19)?,
        entry_id: r.get(20)?,
    })
}

pub fn insert(c: &Db, ledger_id: i64, applied_on: NaiveDate, applicant: &str, at: i64, by: i64) -> Result<i64> {
    c.execute(
        "INSERT INTO deposit_release(ledger_id, applied_on, applicant, applied_at, applied_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![ledger_id, applied_on.to_string(), applicant, at, by],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn get(c: &Db, id: i64) -> Result<DepositRelease> {
    c.query_row(&format!("{SELECT} WHERE r.id = ?1"), [id], row).optional()?.ok_or_else(|| StoreError::not_found("保修金退还申请"))
}

/// A ledger's applications, oldest first.
pub fn of_ledger(c: &Db, ledger_id: i64) -> Result<Vec<DepositRelease>> {
    let mut st = c.prepare(&format!("{SELECT} WHERE r.ledger_id = ?1 ORDER BY r.id"))?;
    let rows = st.query_map([ledger_id], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The running applications of every project (for 今日待办, like the other desk duties).
pub fn open_releases(c: &Db) -> Result<Vec<DepositRelease>> {
    let mut st = c.prepare(&format!("{SELECT} WHERE r.paid_at IS NULL AND (r.decision IS NULL OR r.decision <> 'Refuse') ORDER BY r.id"))?;
    let rows = st.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[allow(clippy::too_many_arguments)]
pub fn set_inspected(c: &Db, id: i64, at: i64, by: i64, open_tickets: u32, nos: &str, deductions_fen: i64, note: &str) -> Result<()> {
    c.execute(
        "UPDATE deposit_release SET inspected_at = ?2, inspected_by = ?3, open_tickets = ?4, open_ticket_nos = ?5,
         open_deductions_fen = ?6, inspection_note = ?7 WHERE id = ?1 AND inspected_at IS NULL",
        params![id, at, by, open_tickets, nos, deductions_fen, note],
    )?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn set_decided(c: &Db, id: i64, decision: ReleaseDecision, on: NaiveDate, at: i64, by: i64, reason: &str, amount_fen: i64) -> Result<()> {
    c.execute(
        "UPDATE deposit_release SET decision = ?2, decided_on = ?3, decided_at = ?4, decided_by = ?5, reason = ?6, amount_fen = ?7
         WHERE id = ?1 AND decided_at IS NULL",
        params![id, decision.code(), on.to_string(), at, by, reason, amount_fen],
    )?;
    Ok(())
}

pub fn set_paid(c: &Db, id: i64, on: NaiveDate, voucher: &str, at: i64, by: i64, entry_id: i64) -> Result<()> {
    c.execute(
        "UPDATE deposit_release SET paid_on = ?2, voucher_no = ?3, paid_at = ?4, paid_by = ?5, entry_id = ?6 WHERE id = ?1 AND paid_at IS NULL",
        params![id, on.to_string(), voucher, at, by, entry_id],
    )?;
    Ok(())
}

/// An open ticket of a project with what the liability look-up needs.
pub struct OpenTicket {
    pub id: i64,
    pub no: String,
    pub unit_id: i64,
    pub unit: String,
    pub category: Category,
    pub part: String,
    pub description: String,
    pub status: TicketStatus,
}

/// The project's open tickets (not closed, visited, out of scope or cancelled).
pub fn open_tickets(c: &Db, project_id: i64) -> Result<Vec<OpenTicket>> {
    let mut st = c.prepare(
        "SELECT t.id, t.no, t.unit_id, u.building || '-' || u.entrance || '-' || u.room, t.category, t.part, t.description, t.status
         FROM ticket t JOIN unit u ON u.id = t.unit_id
         WHERE t.project_id = ?1 AND t.status NOT IN ('Closed', 'Visited', 'OutOfScope', 'Cancelled') ORDER BY t.id",
    )?;
    let rows = st.query_map([project_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?, r.get(5)?, r.get(6)?, r.get::<_, String>(7)?))
    })?;
    let mut out = Vec::new();
    for x in rows {
        let (id, no, unit_id, unit, cat, part, description, status) = x?;
        out.push(OpenTicket {
            id,
            no,
            unit_id,
            unit,
            category: code::known(&cat, "ticket", "category", id)?,
            part,
            description,
            status: code::known(&status, "ticket", "status", id)?,
        });
    }
    Ok(out)
}

/// Commissions on the ledger whose payment is not yet booked: their count and the amounts
/// requested or approved so far (fen).
pub fn open_deductions(c: &Db, ledger_id: i64) -> Result<(u32, i64)> {
    Ok(c.query_row(
        "SELECT count(*), coalesce(sum(coalesce(p.approved_fen, p.requested_fen, 0)), 0)
         FROM commission m LEFT JOIN payment_request p ON p.commission_id = m.id
         WHERE m.ledger_id = ?1 AND (p.id IS NULL OR p.status <> 'Paid')",
        [ledger_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}
