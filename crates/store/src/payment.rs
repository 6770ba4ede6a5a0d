//! Commissioned repairs and their payment requests (fund flow 4.2, C5 → C6 → A7 → 会签 → D8;
//! tables of migration 0006). The service decides whether a step is allowed; this module only
//! reads and writes rows. A request's lines keep the firm's quantity and price next to the
//! reviewed ones, so what was asked is never lost.

use crate::Db;
use crate::{code, from_unix, tickets, Result, StoreError};
use chrono::NaiveDate;
use desk_domain::fund::payment::{format_quantity, request_no};
use desk_domain::fund::{CommissionRecord, CountersignRecord, LineKind, PaymentLineRecord, PaymentRequestRecord, PaymentRequestSummary, PaymentStatus};
use desk_domain::staff::Role;
use rusqlite::{params, OptionalExtension};

// ---- commissions (4.2, C5) --------------------------------------------------------------------

pub struct NewCommission<'a> {
    pub ticket_id: i64,
    pub ledger_id: i64,
    pub firm_id: i64,
    pub reason: &'a str,
    pub exception_reason: &'a str,
    pub at: i64,
    pub by: i64,
}

pub fn insert_commission(c: &Db, x: &NewCommission) -> Result<i64> {
    c.execute(
        "INSERT INTO commission(ticket_id, ledger_id, firm_id, reason, commissioned_at, commissioned_by, exception_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![x.ticket_id, x.ledger_id, x.firm_id, x.reason, x.at, x.by, x.exception_reason],
    )?;
    Ok(c.last_insert_rowid())
}

/// C5: the center confirms the commissioned repair passed. Only an unconfirmed commission is
/// changed; returns whether it was.
pub fn confirm_commission(c: &Db, id: i64, at: i64, by: i64, note: &str) -> Result<bool> {
    let n = c.execute(
        "UPDATE commission SET confirmed_at = ?2, confirmed_by = ?3, confirm_note = ?4 WHERE id = ?1 AND confirmed_at IS NULL",
        params![id, at, by, note],
    )?;
    Ok(n == 1)
}

const COMMISSION_SELECT: &str = "SELECT m.id, m.ticket_id, t.no, u.building || '-' || u.entrance || '-' || u.room, t.description, l.project_id, m.ledger_id,
        b.name, l.contract_no, m.firm_id, f.name, m.reason, m.commissioned_at, cs.name, m.confirmed_at, fs.name,
        m.confirm_note, p.no, p.status, m.exception_reason, p.id
     FROM commission m JOIN ticket t ON t.id = m.ticket_id JOIN unit u ON u.id = t.unit_id
     JOIN fund_ledger l ON l.id = m.ledger_id JOIN contractor b ON b.id = l.contractor_id
     JOIN contractor f ON f.id = m.firm_id JOIN staff cs ON cs.id = m.commissioned_by
     LEFT JOIN staff fs ON fs.id = m.confirmed_by LEFT JOIN payment_request p ON p.commission_id = m.id";

fn row_to_commission(r: &rusqlite::Row) -> rusqlite::Result<CommissionRecord> {
    let request_id: Option<i64> = r.get(20)?;
    Ok(CommissionRecord {
        id: r.get(0)?,
        ticket_id: r.get(1)?,
        ticket_no: r.get(2)?,
        unit: r.get(3)?,
        defect: r.get(4)?,
        project_id: r.get(5)?,
        ledger_id: r.get(6)?,
        builder: r.get(7)?,
        contract_no: r.get(8)?,
        firm_id: r.get(9)?,
        firm: r.get(10)?,
        reason: r.get(11)?,
        exception_reason: r.get(19)?,
        commissioned_at: from_unix(r.get(12)?),
        commissioned_by: r.get(13)?,
        confirmed_at: r.get::<_, Option<i64>>(14)?.map(from_unix),
        confirmed_by: r.get(15)?,
        confirm_note: r.get(16)?,
        request_no: r.get(17)?,
        request_status: match request_id {
            Some(id) => Some(code::get(r, 18, "payment_request", "status", id)?),
            None => None,
        },
    })
}

pub fn commission(c: &Db, id: i64) -> Result<CommissionRecord> {
    c.query_row(&format!("{COMMISSION_SELECT} WHERE m.id = ?1"), [id], row_to_commission).optional()?.ok_or_else(|| StoreError::not_found("委托维修记录"))
}

/// The commissions of one ticket, oldest first.
pub fn commissions_of_ticket(c: &Db, ticket_id: i64) -> Result<Vec<CommissionRecord>> {
    let mut st = c.prepare(&format!("{COMMISSION_SELECT} WHERE m.ticket_id = ?1 ORDER BY m.id"))?;
    let rows = st.query_map([ticket_id], row_to_commission)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The commissions of a project, newest first; `pending` keeps those without a payment request
/// (the board's first columns: awaiting C5, awaiting C6).
pub fn commissions_of_project(c: &Db, project_id: i64, pending: bool) -> Result<Vec<CommissionRecord>> {
    let filter = if pending { " AND p.id IS NULL" } else { "" };
    let mut st = c.prepare(&format!("{COMMISSION_SELECT} WHERE l.project_id = ?1{filter} ORDER BY m.id DESC"))?;
    let rows = st.query_map([project_id], row_to_commission)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- payment requests (C6) --------------------------------------------------------------------

/// The next request number of the year: `FK-2026-0001` (the shared number series).
pub fn next_request_no(c: &Db, year: i32) -> Result<String> {
    Ok(request_no(year, tickets::next_seq(c, "FK", year)?))
}

pub struct NewLine<'a> {
    pub kind: LineKind,
    pub item: &'a str,
    pub unit: &'a str,
    pub quantity_milli: i64,
    pub unit_price_fen: i64,
    pub amount_fen: i64,
}

pub struct NewRequest<'a> {
    pub no: &'a str,
    pub commission_id: i64,
    pub requested_fen: i64,
    pub at: i64,
    pub by: i64,
    pub lines: &'a [NewLine<'a>],
}

/// Inserts a request (status 待审核) with its lines numbered from 1. A second request for the
/// same commission is a conflict (the UNIQUE column is the last guard against paying twice).
pub fn insert_request(c: &Db, x: &NewRequest) -> Result<i64> {
    c.execute(
        "INSERT INTO payment_request(no, commission_id, status, requested_fen, submitted_at, submitted_by) VALUES (?1, ?2, 'Submitted', ?3, ?4, ?5)",
        params![x.no, x.commission_id, x.requested_fen, x.at, x.by],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::Conflict("付款申请已存在：每项委托维修只能提出一次付款申请".into())
        }
        other => other.into(),
    })?;
    let id = c.last_insert_rowid();
    let mut st = c.prepare_cached(
        "INSERT INTO payment_line(request_id, seq, kind, item, unit, quantity_milli, unit_price_fen, amount_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, l) in x.lines.iter().enumerate() {
        st.execute(params![id, i as i64 + 1, l.kind.code(), l.item, l.unit, l.quantity_milli, l.unit_price_fen, l.amount_fen])?;
    }
    Ok(id)
}

/// The request of a commission, if one was made: `(id, no)`.
pub fn request_of_commission(c: &Db, commission_id: i64) -> Result<Option<(i64, String)>> {
    Ok(c.query_row("SELECT id, no FROM payment_request WHERE commission_id = ?1", [commission_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
}

pub fn request_id_by_no(c: &Db, no: &str) -> Result<i64> {
    c.query_row("SELECT id FROM payment_request WHERE no = ?1", [no.trim()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::not_found(format!("付款申请 {}", no.trim())))
}

pub fn status_of(c: &Db, id: i64) -> Result<PaymentStatus> {
    c.query_row("SELECT status FROM payment_request WHERE id = ?1", [id], |r| code::get(r, 0, "payment_request", "status", id))
        .optional()?
        .ok_or_else(|| StoreError::not_found("付款申请"))
}

/// The ids of every request in one status, oldest first.
pub fn ids_with_status(c: &Db, status: PaymentStatus) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM payment_request WHERE status = ?1 ORDER BY id")?;
    let rows = st.query_map([status.code()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_status(c: &Db, id: i64, status: PaymentStatus) -> Result<()> {
    c.execute("UPDATE payment_request SET status = ?2 WHERE id = ?1", params![id, status.code()])?;
    Ok(())
}

// ---- A7 review ---------------------------------------------------------------------------------

/// The reviewed values of one line (by its seq).
pub struct ReviewedLine<'a> {
    pub seq: i64,
    pub quantity_milli: i64,
    pub unit_price_fen: i64,
    pub amount_fen: i64,
    pub reason: &'a str,
}

/// Stores the review: each line's reviewed values and reason (the requested ones stay), the
/// approved total and the reviewer; the request becomes 待会签.
pub fn set_review(c: &Db, id: i64, lines: &[ReviewedLine], approved_fen: i64, at: i64, by: i64, note: &str) -> Result<()> {
    let mut st = c.prepare_cached(
        "UPDATE payment_line SET reviewed_quantity_milli = ?3, reviewed_unit_price_fen = ?4, reviewed_amount_fen = ?5, review_reason = ?6
         WHERE request_id = ?1 AND seq = ?2",
    )?;
    for l in lines {
        if st.execute(params![id, l.seq, l.quantity_milli, l.unit_price_fen, l.amount_fen, l.reason])? != 1 {
            return Err(StoreError::not_found(format!("付款申请第 {} 行", l.seq)));
        }
    }
    c.execute(
        "UPDATE payment_request SET status = 'Reviewed', approved_fen = ?2, reviewed_at = ?3, reviewed_by = ?4, review_note = ?5 WHERE id = ?1",
        params![id, approved_fen, at, by, note],
    )?;
    Ok(())
}

// ---- 会签 ---------------------------------------------------------------------------------------

/// One countersignature; a second one of the same role is a conflict (UNIQUE).
pub fn insert_countersign(c: &Db, request_id: i64, role: Role, staff_id: i64, opinion: &str, at: i64) -> Result<()> {
    c.execute(
        "INSERT INTO countersign(request_id, role, staff_id, opinion, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![request_id, role.code(), staff_id, opinion, at],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::Conflict(format!("{}已会签，同一角色不能重复会签", role.label()))
        }
        other => other.into(),
    })?;
    Ok(())
}

pub fn countersigns(c: &Db, request_id: i64) -> Result<Vec<CountersignRecord>> {
    let mut st = c.prepare_cached(
        "SELECT k.role, k.staff_id, s.name, k.opinion, k.at, k.id FROM countersign k JOIN staff s ON s.id = k.staff_id
         WHERE k.request_id = ?1 ORDER BY k.id",
    )?;
    let rows = st.query_map([request_id], |r| {
        Ok(CountersignRecord {
            // An unknown role is an error, never a guess: a wrong role here would let a
            // request pass 会签 without the person the rules ask for.
            role: code::get(r, 0, "countersign", "role", r.get(5)?)?,
            staff_id: r.get(1)?,
            name: r.get(2)?,
            opinion: r.get(3)?,
            at: from_unix(r.get(4)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- D8 ----------------------------------------------------------------------------------------

/// Records the payment and the deduction entry it produced. Only a request not yet paid is
/// changed (the UNIQUE entry_id and this guard keep it to one payment); returns whether it was.
pub fn mark_paid(c: &Db, id: i64, paid_on: NaiveDate, voucher: &str, at: i64, by: i64, entry_id: i64) -> Result<bool> {
    let n = c.execute(
        "UPDATE payment_request SET status = 'Paid', paid_on = ?2, paid_voucher = ?3, paid_at = ?4, paid_by = ?5, entry_id = ?6
         WHERE id = ?1 AND status <> 'Paid' AND entry_id IS NULL",
        params![id, paid_on.to_string(), voucher, at, by, entry_id],
    )?;
    Ok(n == 1)
}

// ---- reading -----------------------------------------------------------------------------------

pub fn lines(c: &Db, request_id: i64) -> Result<Vec<PaymentLineRecord>> {
    let mut st = c.prepare_cached(
        "SELECT id, seq, kind, item, unit, quantity_milli, unit_price_fen, amount_fen, reviewed_quantity_milli,
                reviewed_unit_price_fen, reviewed_amount_fen, review_reason
         FROM payment_line WHERE request_id = ?1 ORDER BY seq",
    )?;
    let rows = st.query_map([request_id], |r| {
        let id: i64 = r.get(0)?;
        let q: i64 = r.get(5)?;
        let p: i64 = r.get(6)?;
        let rq: Option<i64> = r.get(8)?;
        let rp: Option<i64> = r.get(9)?;
        Ok(PaymentLineRecord {
            id,
            seq: r.get(1)?,
            kind: code::get(r, 2, "payment_line", "kind", id)?,
            item: r.get(3)?,
            unit: r.get(4)?,
            quantity_milli: q,
            quantity: format_quantity(q),
            unit_price_fen: p,
            amount_fen: r.get(7)?,
            reviewed_quantity_milli: rq,
            reviewed_quantity: rq.map(format_quantity),
            reviewed_unit_price_fen: rp,
            reviewed_amount_fen: r.get(10)?,
            review_reason: r.get(11)?,
            changed: rq.is_some_and(|x| x != q) || rp.is_some_and(|x| x != p),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const REQUEST_SELECT: &str = "SELECT r.id, r.no, r.status, r.commission_id, l.project_id, pj.name, m.ticket_id, t.no,
        u.building || '-' || u.entrance || '-' || u.room, t.description, m.ledger_id, b.name, l.contract_no, f.name,
        m.reason || CASE WHEN m.exception_reason <> '' THEN '。不按保修判定扣款：' || m.exception_reason ELSE '' END, r.requested_fen, r.approved_fen,
        r.submitted_at, ss.name, r.reviewed_at, rs.name, r.review_note, r.paid_on, coalesce(r.paid_voucher, ''),
        r.paid_at, ps.name, r.entry_id
     FROM payment_request r JOIN commission m ON m.id = r.commission_id JOIN ticket t ON t.id = m.ticket_id
     JOIN unit u ON u.id = t.unit_id JOIN fund_ledger l ON l.id = m.ledger_id JOIN project pj ON pj.id = l.project_id
     JOIN contractor b ON b.id = l.contractor_id JOIN contractor f ON f.id = m.firm_id
     JOIN staff ss ON ss.id = r.submitted_by LEFT JOIN staff rs ON rs.id = r.reviewed_by LEFT JOIN staff ps ON ps.id = r.paid_by";

/// One request with its lines and countersignatures (`required_roles` is left empty: the
/// roles come from the settings, which the service reads).
pub fn request(c: &Db, id: i64) -> Result<PaymentRequestRecord> {
    let mut rec = c
        .query_row(&format!("{REQUEST_SELECT} WHERE r.id = ?1"), [id], |r| {
            let status = code::get(r, 2, "payment_request", "status", id)?;
            let paid_on: Option<String> = r.get(22)?;
            Ok(PaymentRequestRecord {
                id: r.get(0)?,
                no: r.get(1)?,
                status,
                next_node: status.next_node().to_string(),
                commission_id: r.get(3)?,
                project_id: r.get(4)?,
                project: r.get(5)?,
                ticket_id: r.get(6)?,
                ticket_no: r.get(7)?,
                unit: r.get(8)?,
                defect: r.get(9)?,
                ledger_id: r.get(10)?,
                builder: r.get(11)?,
                contract_no: r.get(12)?,
                firm: r.get(13)?,
                reason: r.get(14)?,
                requested_fen: r.get(15)?,
                approved_fen: r.get(16)?,
                submitted_at: from_unix(r.get(17)?),
                submitted_by: r.get(18)?,
                reviewed_at: r.get::<_, Option<i64>>(19)?.map(from_unix),
                reviewed_by: r.get(20)?,
                review_note: r.get(21)?,
                lines: Vec::new(),
                required_roles: Vec::new(),
                countersigns: Vec::new(),
                paid_on: paid_on.and_then(|d| d.parse().ok()),
                paid_voucher: r.get(23)?,
                paid_at: r.get::<_, Option<i64>>(24)?.map(from_unix),
                paid_by: r.get(25)?,
                entry_id: r.get(26)?,
            })
        })
        .optional()?
        .ok_or_else(|| StoreError::not_found("付款申请"))?;
    rec.lines = lines(c, id)?;
    rec.countersigns = countersigns(c, id)?;
    Ok(rec)
}

/// The requests of a project for the board, newest first, optionally of one status.
pub fn list_requests(c: &Db, project_id: i64, status: Option<PaymentStatus>) -> Result<Vec<PaymentRequestSummary>> {
    let mut st = c.prepare(
        "SELECT r.id, r.no, r.status, t.no, u.building || '-' || u.entrance || '-' || u.room, b.name, f.name, r.requested_fen, r.approved_fen, r.submitted_at,
                (SELECT count(*) FROM countersign k WHERE k.request_id = r.id), r.paid_on
         FROM payment_request r JOIN commission m ON m.id = r.commission_id JOIN ticket t ON t.id = m.ticket_id
         JOIN unit u ON u.id = t.unit_id JOIN fund_ledger l ON l.id = m.ledger_id
         JOIN contractor b ON b.id = l.contractor_id JOIN contractor f ON f.id = m.firm_id
         WHERE l.project_id = ?1 AND (?2 IS NULL OR r.status = ?2) ORDER BY r.id DESC",
    )?;
    let rows = st.query_map(params![project_id, status.map(|s| s.code())], |r| {
        let status = code::get(r, 2, "payment_request", "status", r.get(0)?)?;
        let paid_on: Option<String> = r.get(11)?;
        Ok(PaymentRequestSummary {
            id: r.get(0)?,
            no: r.get(1)?,
            status,
            next_node: status.next_node().to_string(),
            ticket_no: r.get(3)?,
            unit: r.get(4)?,
            builder: r.get(5)?,
            firm: r.get(6)?,
            requested_fen: r.get(7)?,
            approved_fen: r.get(8)?,
            submitted_at: from_unix(r.get(9)?),
            countersigns: r.get(10)?,
            paid_on: paid_on.and_then(|d| d.parse().ok()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fund::{insert_entry, upsert_ledger, LedgerHeader, NewEntry};
    use crate::Store;

    /// A project, a builder with a ledger, a hired firm, a staff member, a unit and a ticket.
    fn world(store: &mut Store) -> (i64, i64) {
        store
            .with_tx(|tx| -> Result<(i64, i64)> {
                tx.execute_batch(
                    "INSERT INTO project(id, name, code, created_at) VALUES (1, '测试项目', 'T', 0);
                     INSERT INTO batch(id, project_id, name) VALUES (1, 1, '一期');
                     INSERT INTO unit(id, project_id, batch_id, building, entrance, room) VALUES (1, 1, 1, '3', '2', '1502');
                     INSERT INTO contractor(id, name, kind) VALUES (1, '中建三局', 'Builder'), (2, '城安维修', 'Maintenance');
                     INSERT INTO staff(id, name, role, pin_hash) VALUES (1, '张主任', 'Director', 'x'), (2, '王总', 'ProjectGm', 'x');
                     INSERT INTO report(id, channel, reported_at, receptionist_id) VALUES (1, 'Phone', 0, 1);
                     INSERT INTO ticket(id, no, report_id, project_id, unit_id, building, owner_name, phone, phone_suffix, channel,
                        description, part, category, status, reported_at, receptionist_id, updated_at)
                     VALUES (1, 'BX-2026-000001', 1, 1, 1, '3', '王芳', '13800135678', '5678', 'Phone', '卫生间渗水', '卫生间', 'Leak', 'Accepted', 0, 1, 0);",
                )?;
                let l = upsert_ledger(tx, &LedgerHeader { project_id: 1, contractor_id: 1, contract_no: "HT-1".into(), ..Default::default() }, 0)?;
                let m = insert_commission(
                    tx,
                    &NewCommission { ticket_id: 1, ledger_id: l, firm_id: 2, reason: "施工单位三次未到场", exception_reason: "", at: 10, by: 1 },
                )?;
                Ok((l, m))
            })
            .unwrap()
    }

    #[test]
    fn a_request_keeps_what_was_asked_beside_what_was_approved_and_is_paid_once() {
        let mut store = Store::open_in_memory().unwrap();
        let (l, m) = world(&mut store);
        assert!(store.with_tx(|tx| confirm_commission(tx, m, 20, 1, "验收合格")).unwrap());
        assert!(!store.with_tx(|tx| confirm_commission(tx, m, 21, 1, "again")).unwrap());
        let lines = [
            NewLine { kind: LineKind::Material, item: "防水涂料", unit: "m²", quantity_milli: 2500, unit_price_fen: 3_333, amount_fen: 8_333 },
            NewLine { kind: LineKind::Labour, item: "人工", unit: "工日", quantity_milli: 1000, unit_price_fen: 30_000, amount_fen: 30_000 },
        ];
        let no = store.with_tx(|tx| next_request_no(tx, 2026)).unwrap();
        assert_eq!(no, "FK-2026-0001");
        let id =
            store.with_tx(|tx| insert_request(tx, &NewRequest { no: &no, commission_id: m, requested_fen: 38_333, at: 30, by: 1, lines: &lines })).unwrap();
        let again = store.with_tx(|tx| insert_request(tx, &NewRequest { no: "FK-2026-0002", commission_id: m, requested_fen: 1, at: 31, by: 1, lines: &[] }));
        assert!(matches!(again, Err(StoreError::Conflict(_))));
        let reviewed = [
            ReviewedLine { seq: 1, quantity_milli: 2000, unit_price_fen: 3_333, amount_fen: 6_666, reason: "实测 2 m²" },
            ReviewedLine { seq: 2, quantity_milli: 1000, unit_price_fen: 30_000, amount_fen: 30_000, reason: "" },
        ];
        store.with_tx(|tx| set_review(tx, id, &reviewed, 36_666, 40, 1, "")).unwrap();
        store.with_tx(|tx| insert_countersign(tx, id, Role::Director, 1, "同意", 50)).unwrap();
        let twice = store.with_tx(|tx| insert_countersign(tx, id, Role::Director, 1, "同意", 51));
        assert!(matches!(twice, Err(StoreError::Conflict(_))));
        let r = store.with_tx(|tx| request(tx, id)).unwrap();
        assert_eq!((r.status, r.requested_fen, r.approved_fen), (PaymentStatus::Reviewed, 38_333, Some(36_666)));
        assert_eq!((r.lines[0].quantity_milli, r.lines[0].reviewed_quantity_milli, r.lines[0].changed), (2500, Some(2000), true));
        assert!(!r.lines[1].changed);
        assert_eq!((r.unit.as_str(), r.builder.as_str(), r.firm.as_str()), ("3-2-1502", "中建三局", "城安维修"));
        assert_eq!(r.countersigns.len(), 1);

        let date = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let e = store
            .with_tx(|tx| insert_entry(tx, &NewEntry { ledger_id: l, date, debit_fen: 36_666, payment_request_id: Some(id), ..Default::default() }))
            .unwrap();
        assert!(store.with_tx(|tx| mark_paid(tx, id, date, "记-7", 60, 1, e)).unwrap());
        assert!(!store.with_tx(|tx| mark_paid(tx, id, date, "记-8", 61, 1, e)).unwrap());
        let board = store.with_tx(|tx| list_requests(tx, 1, Some(PaymentStatus::Paid))).unwrap();
        assert_eq!((board.len(), board[0].countersigns, board[0].paid_on), (1, 1, Some(date)));
        assert!(store.with_tx(|tx| list_requests(tx, 1, Some(PaymentStatus::Submitted))).unwrap().is_empty());
        let c = store.with_tx(|tx| commissions_of_ticket(tx, 1)).unwrap();
        assert_eq!((c[0].request_no.as_deref(), c[0].request_status), (Some("FK-2026-0001"), Some(PaymentStatus::Paid)));
        assert!(store.with_tx(|tx| commissions_of_project(tx, 1, true)).unwrap().is_empty());
    }
}
