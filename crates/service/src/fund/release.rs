//! 保修金退还 (REGULATION.md §3): the builder's application after the defect-liability period,
//! the 14-day inspection (the builder's open tickets, the ledger's open commissions), the
//! director's decision and the 14-day payment, which books the refund on the ledger. The order
//! and the clocks are `desk_domain::fund::release`; each step is one transaction with its audit
//! line, and a step out of order is refused naming what comes first.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use chrono::NaiveDate;
use desk_domain::audit::AuditAction;
use desk_domain::coverage::classify_part;
use desk_domain::fund::release::{check_apply, release_amount, DepositRelease, ReleaseDecision, ReleaseOpenTicket, ReleaseStep};
use desk_domain::fund::EntryKind;
use desk_domain::money::Fen;
use desk_domain::staff::Role;
use desk_domain::time::local_date;
use desk_store::fund::NewEntry;
use desk_store::{audit, fund, fund_import, liability, release, Db};
use serde::Serialize;

/// Who records an application and the inspection.
pub const RELEASE_DESK_ROLES: &[Role] = &[Role::FrontDesk, Role::Director];
/// Who decides and pays (books the refund).
pub const RELEASE_DIRECTOR_ROLES: &[Role] = &[Role::Director];

/// What the inspection finds on a ledger: the builder's open tickets and the open commissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ReleaseInspection {
    pub ledger_id: i64,
    pub balance_fen: i64,
    pub tickets: Vec<ReleaseOpenTicket>,
    pub open_commissions: u32,
    pub open_deductions_fen: i64,
}

/// The open tickets whose liable builder contract is `ledger_id`, and the ledger's commissions
/// not yet paid.
fn inspection_of(c: &Db, ledger_id: i64) -> DeskResult<ReleaseInspection> {
    let l = fund::ledger(c, ledger_id)?;
    let mut tickets = Vec::new();
    for t in release::open_tickets(c, l.project_id)? {
        let class = classify_part(t.category, &t.part, &t.description);
        if liability::liable_ledger(c, t.unit_id, class)?.is_some_and(|x| x.id == ledger_id) {
            tickets.push(ReleaseOpenTicket { ticket_id: t.id, no: t.no, unit: t.unit, part: t.part, status_label: t.status.label().to_string() });
        }
    }
    let (open_commissions, open_deductions_fen) = release::open_deductions(c, ledger_id)?;
    Ok(ReleaseInspection { ledger_id, balance_fen: l.balance_fen, tickets, open_commissions, open_deductions_fen })
}

impl Desk {
    /// A ledger's release applications, oldest first.
    pub fn deposit_releases(&self, ledger_id: i64) -> DeskResult<Vec<DepositRelease>> {
        let r = self.store.reader()?;
        fund::ledger(&r.db(), ledger_id)?;
        Ok(release::of_ledger(&r.db(), ledger_id)?)
    }

    /// What an inspection of the ledger would list now (shown before it is recorded).
    pub fn release_inspection(&self, ledger_id: i64) -> DeskResult<ReleaseInspection> {
        inspection_of(&self.store.reader()?.db(), ledger_id)
    }

    /// Records the builder's application (on `applied_on`, by `applicant`). Refused before the
    /// ledger's period end and while another application on the ledger runs.
    pub fn apply_deposit_release(&self, s: &Session, ledger_id: i64, applied_on: NaiveDate, applicant: &str) -> DeskResult<DepositRelease> {
        require_role(s, RELEASE_DESK_ROLES, "登记保修金退还申请")?;
        let applicant = applicant.trim();
        if applicant.is_empty() {
            return Err(DeskError::invalid("applicant", "请填写申请人（施工单位经办人）"));
        }
        let now = self.now();
        if applied_on > local_date(now) {
            return Err(DeskError::invalid("applied_on", "申请日期不能晚于今天"));
        }
        self.store.with_tx(|tx| {
            let l = fund::ledger(tx, ledger_id)?;
            check_apply(l.period_end, applied_on)?;
            if let Some(open) = release::of_ledger(tx, ledger_id)?.into_iter().find(|r| r.step.is_open()) {
                return Err(DeskError::new(
                    ErrorKind::Conflict,
                    format!("{} 已有一份退还申请（{} 申请，当前「{}」），应先办完该申请，才能再次申请", l.builder, open.applied_on, open.step.label()),
                ));
            }
            let id = release::insert(tx, ledger_id, applied_on, applicant, now.timestamp(), s.staff_id)?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::ReleaseApply,
                "fund_ledger",
                ledger_id,
                &format!("{}「{}」申请退还保修金：{applied_on}，申请人 {applicant}", l.builder, l.contract_no),
            )?;
            Ok(release::get(tx, id)?)
        })
    }

    /// Records the 14-day inspection: the builder's open tickets and the open commissions on the
    /// ledger as they are now, with a note.
    pub fn inspect_deposit_release(&self, s: &Session, release_id: i64, note: &str) -> DeskResult<DepositRelease> {
        require_role(s, RELEASE_DESK_ROLES, "登记保修金退还检查")?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let r = release::get(tx, release_id)?;
            r.step.expect(ReleaseStep::Applied, "登记检查")?;
            let found = inspection_of(tx, r.ledger_id)?;
            let nos: Vec<&str> = found.tickets.iter().map(|t| t.no.as_str()).collect();
            let count = u32::try_from(nos.len()).unwrap_or(u32::MAX);
            release::set_inspected(tx, r.id, now.timestamp(), s.staff_id, count, &nos.join("、"), found.open_deductions_fen, note.trim())?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::ReleaseInspect,
                "fund_ledger",
                r.ledger_id,
                &format!("{}「{}」退还检查：未结报修单 {} 件，未结扣款 {}", r.builder, r.contract_no, count, Fen(found.open_deductions_fen)),
            )?;
            Ok(release::get(tx, r.id)?)
        })
    }

    /// The director's decision: release all, release the balance after the open deductions, or
    /// refuse (a reason required).
    pub fn decide_deposit_release(&self, s: &Session, release_id: i64, decision: ReleaseDecision, reason: &str) -> DeskResult<DepositRelease> {
        require_role(s, RELEASE_DIRECTOR_ROLES, "决定保修金退还")?;
        let reason = reason.trim();
        if decision == ReleaseDecision::Refuse && reason.is_empty() {
            return Err(DeskError::invalid("reason", "不予退还须填写原因"));
        }
        let now = self.now();
        self.store.with_tx(|tx| {
            let r = release::get(tx, release_id)?;
            r.step.expect(ReleaseStep::Inspected, "决定")?;
            let l = fund::ledger(tx, r.ledger_id)?;
            let amount = release_amount(decision, Fen(l.balance_fen), Fen(r.open_deductions_fen));
            if decision != ReleaseDecision::Refuse && amount.0 == 0 {
                return Err(DeskError::new(
                    ErrorKind::Refused,
                    format!("{}的保修金余额扣除未结扣款后为 {}，没有可退还的金额；请选择不予退还并填写原因", l.builder, amount),
                ));
            }
            release::set_decided(tx, r.id, decision, local_date(now), now.timestamp(), s.staff_id, reason, amount.0)?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::ReleaseDecide,
                "fund_ledger",
                r.ledger_id,
                &format!(
                    "{}「{}」退还决定：{}{}{}",
                    r.builder,
                    r.contract_no,
                    decision.label(),
                    if decision == ReleaseDecision::Refuse { String::new() } else { format!(" {amount}") },
                    if reason.is_empty() { String::new() } else { format!("（{reason}）") }
                ),
            )?;
            Ok(release::get(tx, r.id)?)
        })
    }

    /// The payment: books the refund (`EntryKind::Refund`, debit of the decided amount) on the
    /// ledger and closes the application.
    pub fn pay_deposit_release(&self, s: &Session, release_id: i64, paid_on: NaiveDate, voucher_no: &str) -> DeskResult<DepositRelease> {
        require_role(s, RELEASE_DIRECTOR_ROLES, "登记保修金退还付款")?;
        let voucher = voucher_no.trim().to_string();
        let now = self.now();
        if paid_on > local_date(now) {
            return Err(DeskError::invalid("paid_on", "付款日期不能晚于今天"));
        }
        self.store.with_tx(|tx| {
            let r = release::get(tx, release_id)?;
            r.step.expect(ReleaseStep::Decided, "付款")?;
            let amount = r.amount_fen.unwrap_or(0);
            if let Some(decided) = r.decided_on.filter(|d| paid_on < *d) {
                return Err(DeskError::invalid("paid_on", format!("付款日期不能早于决定日期 {decided}")));
            }
            let l = fund::ledger(tx, r.ledger_id)?;
            if !voucher.is_empty() && fund_import::voucher_in_ledger(tx, l.id, &voucher)? {
                return Err(DeskError::invalid("voucher_no", format!("凭证号「{voucher}」已在该台账中记过账")));
            }
            if amount > l.balance_fen {
                return Err(DeskError::new(
                    ErrorKind::Refused,
                    format!("决定退还 {}，但{}的保修金余额现为 {}：余额已变动，请重新检查后再决定", Fen(amount), l.builder, Fen(l.balance_fen)),
                ));
            }
            let entry_id = fund::insert_entry(
                tx,
                &NewEntry {
                    ledger_id: l.id,
                    date: paid_on,
                    kind: Some(EntryKind::Refund),
                    voucher_no: voucher.clone(),
                    summary: format!("退还保修金（{} 申请，{}）", r.applied_on, r.decision.map_or("", ReleaseDecision::label)),
                    debit_fen: amount,
                    handler: s.name.clone(),
                    at: now.timestamp(),
                    actor_id: Some(s.staff_id),
                    ..Default::default()
                },
            )?;
            release::set_paid(tx, r.id, paid_on, &voucher, now.timestamp(), s.staff_id, entry_id)?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::ReleasePay,
                "fund_ledger",
                r.ledger_id,
                &format!("{}「{}」退还保修金 {}：{paid_on}", r.builder, r.contract_no, Fen(amount)),
            )?;
            Ok(release::get(tx, r.id)?)
        })
    }
}
