//! The ledger's own use cases: balances per builder, the entries, entries by hand, reversals, and the fund's deadlines.

use super::*;
use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use chrono::NaiveDate;
use desk_domain::audit::AuditAction;
use desk_domain::fund::{EntryKind, LedgerEntryRecord, LedgerSummary};
use desk_domain::money::Fen;
use desk_domain::time::local_date;
use desk_store::fund::NewEntry;
use desk_store::{audit, fund, fund_import};

impl Desk {
    /// The active project's ledgers (builder × contract) with totals.
    pub fn ledgers(&self) -> DeskResult<Vec<LedgerSummary>> {
        let project = self.active_project()?;
        Ok(fund::ledgers(&self.store.reader()?.db(), project.id)?)
    }

    /// One ledger's entries in ledger order, each with the balance after it.
    pub fn ledger_entries(&self, ledger_id: i64) -> DeskResult<Vec<LedgerEntryRecord>> {
        fund::ledger(&self.store.reader()?.db(), ledger_id)?;
        Ok(fund::entries(&self.store.reader()?.db(), ledger_id)?)
    }

    /// Entries count and per-builder totals of the active project (`wdesk ledger show`).
    pub fn ledger_show(&self) -> DeskResult<LedgerOverview> {
        let project = self.active_project()?;
        let ledgers = fund::ledgers(&self.store.reader()?.db(), project.id)?;
        let mut builders: Vec<BuilderBalance> = Vec::new();
        for l in &ledgers {
            match builders.iter_mut().find(|b| b.name == l.builder) {
                Some(b) => {
                    b.credit_fen += l.credit_fen;
                    b.debit_fen += l.debit_fen;
                    b.balance_fen += l.balance_fen;
                }
                None => builders.push(BuilderBalance { name: l.builder.clone(), credit_fen: l.credit_fen, debit_fen: l.debit_fen, balance_fen: l.balance_fen }),
            }
        }
        Ok(LedgerOverview { project: project.name, ledgers: ledgers.len() as u32, entries: ledgers.iter().map(|l| l.entries).sum(), builders })
    }

    /// Cancels an entry by a reversing one (红字冲销: the negated amounts, pointing at it).
    /// Director only. An entry is reversed at most once, and a reversal is never reversed: a
    /// wrong reversal is corrected by booking the right entry again.
    pub fn reverse_entry(&self, s: &Session, entry_id: i64, reason: &str) -> DeskResult<LedgerEntryRecord> {
        require_role(s, &[desk_domain::staff::Role::Director], "冲销保修金分录")?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DeskError::invalid("reason", "请填写冲销原因"));
        }
        let now = self.now();
        let today = local_date(now);
        self.store.with_tx(|tx| {
            let e = fund::entry(tx, entry_id)?;
            if e.kind == EntryKind::Reversal || e.reverses_id.is_some() {
                return Err(DeskError::new(ErrorKind::Refused, "这是一笔冲销分录，不能再冲销；如冲销有误，请按正确金额重新记一笔分录"));
            }
            if let Some(by) = e.reversed_by {
                return Err(DeskError::new(ErrorKind::Conflict, format!("该分录已被冲销（冲销分录 #{by}），不能重复冲销")));
            }
            let neg = |x: i64| x.checked_neg().ok_or_else(|| DeskError::invalid("entry", "金额超出范围"));
            let id = fund::insert_entry(
                tx,
                &NewEntry {
                    ledger_id: e.ledger_id,
                    date: today,
                    kind: Some(EntryKind::Reversal),
                    voucher_no: String::new(),
                    summary: format!("冲销 {} {}：{reason}", e.date, e.summary).trim().to_string(),
                    ticket_id: e.ticket_id,
                    ticket_no: e.ticket_no.clone(),
                    payment_request_id: e.payment_request_id,
                    payment_request_no: e.payment_request_no.clone(),
                    credit_fen: neg(e.credit_fen)?,
                    debit_fen: neg(e.debit_fen)?,
                    reverses_id: Some(e.id),
                    handler: s.name.clone(),
                    note: String::new(),
                    import_id: None,
                    source_row: None,
                    at: now.timestamp(),
                    actor_id: Some(s.staff_id),
                },
            )?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::ReverseLedgerEntry,
                "ledger_entry",
                e.id,
                &format!("冲销{}「{}」{} 的分录（贷 {}，借 {}）：{reason}", e.builder, e.contract_no, e.date, Fen(e.credit_fen), Fen(e.debit_fen)),
            )?;
            Ok(fund::entry(tx, id)?)
        })
    }

    /// Books a retention, refund, opening balance or adjustment by hand. Director only. Amounts
    /// are never negative here (negatives are reversals); a debit that takes the balance below
    /// zero is refused until the user acknowledges it.
    pub fn add_ledger_entry(&self, s: &Session, input: LedgerEntryInput) -> DeskResult<LedgerEntryRecord> {
        require_role(s, &[desk_domain::staff::Role::Director], "手工记保修金分录")?;
        let i = input;
        if !i.kind.booked_by_hand() {
            let why = if i.kind == EntryKind::Deduction {
                "扣款由付款申请付款（D8）时自动记账，不能手工记"
            } else {
                "冲销请在要冲销的分录上操作"
            };
            return Err(DeskError::invalid("kind", why));
        }
        if i.credit_fen < 0 || i.debit_fen < 0 {
            return Err(DeskError::invalid("amount", "金额不能为负数；冲销请在原分录上操作"));
        }
        if i.credit_fen == 0 && i.debit_fen == 0 {
            return Err(DeskError::invalid("amount", "请填写金额"));
        }
        if i.credit_fen > 0 && i.debit_fen > 0 {
            return Err(DeskError::invalid("amount", "一笔分录只记贷方或借方之一"));
        }
        match i.kind {
            EntryKind::Retention | EntryKind::Opening if i.debit_fen > 0 => {
                return Err(DeskError::invalid("amount", format!("「{}」记在贷方（计提/收取）", i.kind.label())));
            }
            EntryKind::Refund if i.credit_fen > 0 => return Err(DeskError::invalid("amount", "「退还」记在借方")),
            _ => {}
        }
        let summary = i.summary.trim().to_string();
        if summary.is_empty() {
            return Err(DeskError::invalid("summary", "请填写摘要"));
        }
        let voucher = i.voucher_no.trim().to_string();
        let now = self.now();
        self.store.with_tx(|tx| {
            let l = fund::ledger(tx, i.ledger_id)?;
            if !voucher.is_empty() && fund_import::voucher_in_ledger(tx, l.id, &voucher)? {
                return Err(DeskError::invalid("voucher_no", format!("凭证号「{voucher}」已在该台账中记过账")));
            }
            let after = l.balance_fen.saturating_add(i.credit_fen).saturating_sub(i.debit_fen);
            if after < 0 && !i.acknowledge_overdraw {
                // Asked, like a payment that overdraws (the window confirms and sends it again).
                return Err(DeskError {
                    kind: ErrorKind::NeedsConfirmation,
                    message: format!("保修金余额不足：记账后{}的保修金余额将为 {}（低于零），仍要记账吗？", l.builder, Fen(after)),
                    field: Some("acknowledge_overdraw".into()),
                });
            }
            let id = fund::insert_entry(
                tx,
                &NewEntry {
                    ledger_id: l.id,
                    date: i.date,
                    kind: Some(i.kind),
                    voucher_no: voucher.clone(),
                    summary: summary.clone(),
                    credit_fen: i.credit_fen,
                    debit_fen: i.debit_fen,
                    handler: if i.handler.trim().is_empty() { s.name.clone() } else { i.handler.trim().to_string() },
                    note: i.note.trim().to_string(),
                    at: now.timestamp(),
                    actor_id: Some(s.staff_id),
                    ..Default::default()
                },
            )?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::AddLedgerEntry,
                "fund_ledger",
                l.id,
                &format!(
                    "{}「{}」手工记{}：{} 贷 {} 借 {}{}",
                    l.builder,
                    l.contract_no,
                    i.kind.label(),
                    i.date,
                    Fen(i.credit_fen),
                    Fen(i.debit_fen),
                    if after < 0 { format!("（确认余额为负 {}）", Fen(after)) } else { String::new() }
                ),
            )?;
            Ok(fund::entry(tx, id)?)
        })
    }

    /// The fund's deadlines for the active project on `today`: A3 (the ledger within one month
    /// of each batch's delivery, fund flow 4.1) and deposits whose period ends within
    /// `within_days` (default 60) — or has ended with money still held — listed ahead of time.
    pub fn fund_deadlines(&self, today: NaiveDate, within_days: Option<u32>) -> DeskResult<FundDeadlines> {
        let project = self.active_project()?;
        let within = within_days.unwrap_or(DEFAULT_EXPIRY_WINDOW_DAYS);
        let reader = self.store.reader()?;
        let c = &reader.db();
        let received_on = fund_import::first_ledger_import_at(c, project.id)?.map(|t| local_date(desk_store::from_unix(t)));
        let a3 = fund_import::delivered_batches(c, project.id)?
            .into_iter()
            .filter_map(|(batch, delivered_on)| {
                let due_on = delivered_on.checked_add_months(chrono::Months::new(1))?;
                Some(A3Deadline {
                    batch,
                    delivered_on,
                    due_on,
                    received_on,
                    days_left: (due_on - today).num_days(),
                    overdue: received_on.is_none() && today > due_on,
                    received_late: received_on.is_some_and(|r| r > due_on),
                })
            })
            .collect();
        let until = today + chrono::Duration::days(i64::from(within));
        let mut expiring: Vec<ExpiringDeposit> = fund::ledgers(c, project.id)?
            .into_iter()
            .filter_map(|l| {
                let end = l.period_end?;
                (end <= until && (end >= today || l.balance_fen > 0)).then(|| ExpiringDeposit {
                    ledger_id: l.id,
                    builder: l.builder,
                    contract_no: l.contract_no,
                    period_end: end,
                    days_left: (end - today).num_days(),
                    balance_fen: l.balance_fen,
                })
            })
            .collect();
        expiring.sort_by_key(|e| (e.period_end, e.ledger_id));
        Ok(FundDeadlines { today, within_days: within, a3, expiring })
    }
}
