//! 保修金退还 (REGULATION.md §3): when a builder contract's defect-liability period has ended the
//! builder applies for its deposit; within 14 days the centre inspects (the builder's open
//! tickets, the open commissions on the ledger), the director decides (release all, release the
//! balance after deductions, refuse with a reason), and within 14 days of the decision the money
//! is paid and the refund booked on the ledger. The steps' order and clocks live here (pure).

use crate::money::Fen;
use crate::ticket::labelled_enum;
use crate::DomainError;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Days the centre has to inspect after the application, and to pay after the decision.
pub const INSPECTION_DAYS: i64 = 14;
pub const PAYMENT_DAYS: i64 = 14;

labelled_enum! {
    /// The director's decision on an application.
    ReleaseDecision {
        /// The whole balance is returned.
        ReleaseAll => "全部退还",
        /// The balance less the open commissions' amounts is returned.
        ReleaseBalance => "扣除后退还余额",
        /// Nothing is returned now (a reason is required).
        Refuse => "不予退还",
    }
}

labelled_enum! {
    /// Where an application stands.
    ReleaseStep {
        Applied => "待检查",
        Inspected => "待决定",
        Decided => "待付款",
        Paid => "已退还",
        Refused => "不予退还",
    }
}

impl ReleaseStep {
    /// Refuses a step taken out of order, naming what must happen first.
    pub fn expect(self, wanted: ReleaseStep, step: &str) -> Result<(), DomainError> {
        if self == wanted {
            return Ok(());
        }
        let first = match self {
            ReleaseStep::Applied => "14 日检查（列出未结报修单与未结扣款）",
            ReleaseStep::Inspected => "保修主任的决定",
            ReleaseStep::Decided => "付款",
            ReleaseStep::Paid => return Err(DomainError::rule(format!("该退还申请已付款退还，不能再{step}"))),
            ReleaseStep::Refused => return Err(DomainError::rule(format!("该退还申请已决定不予退还，不能再{step}"))),
        };
        Err(DomainError::rule(format!("退还申请当前为「{}」，应先完成{first}，才能{step}", self.label())))
    }

    /// Still running: a second application on the ledger waits for it.
    pub fn is_open(self) -> bool {
        matches!(self, ReleaseStep::Applied | ReleaseStep::Inspected | ReleaseStep::Decided)
    }
}

/// An application may be made once the liability period has ended (on or after its end date).
pub fn check_apply(period_end: Option<NaiveDate>, applied_on: NaiveDate) -> Result<(), DomainError> {
    match period_end {
        None => Err(DomainError::rule("该台账未登记缺陷责任期到期日，请先在台账中补充到期日，才能申请退还保修金")),
        Some(end) if applied_on < end => Err(DomainError::rule(format!("缺陷责任期到 {end} 才届满，应先到期，才能申请退还保修金（申请日 {applied_on}）"))),
        Some(_) => Ok(()),
    }
}

/// Inspection due: 14 days after the application.
pub fn inspection_due(applied_on: NaiveDate) -> NaiveDate {
    applied_on + Duration::days(INSPECTION_DAYS)
}

/// Payment due: 14 days after the decision.
pub fn payment_due(decided_on: NaiveDate) -> NaiveDate {
    decided_on + Duration::days(PAYMENT_DAYS)
}

/// The amount a decision returns from `balance` with `open_deductions` still owed; never
/// below zero. Refuse returns nothing.
pub fn release_amount(decision: ReleaseDecision, balance: Fen, open_deductions: Fen) -> Fen {
    let amount = match decision {
        ReleaseDecision::ReleaseAll => balance.0,
        ReleaseDecision::ReleaseBalance => balance.0.saturating_sub(open_deductions.0),
        ReleaseDecision::Refuse => 0,
    };
    Fen(amount.max(0))
}

/// An open ticket of the builder listed at the inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReleaseOpenTicket {
    pub ticket_id: i64,
    pub no: String,
    pub unit: String,
    pub part: String,
    pub status_label: String,
}

/// One application and its steps, as the fund page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DepositRelease {
    pub id: i64,
    pub ledger_id: i64,
    pub builder: String,
    pub contract_no: String,
    pub step: ReleaseStep,
    pub applied_on: NaiveDate,
    pub applicant: String,
    pub applied_by: String,
    pub inspection_due: NaiveDate,
    pub inspected_at: Option<DateTime<Utc>>,
    pub inspected_by: Option<String>,
    /// The open tickets counted at the inspection (their numbers in `open_ticket_nos`).
    pub open_tickets: u32,
    pub open_ticket_nos: String,
    /// Open commissions on the ledger (not yet paid) summed at the inspection, fen.
    pub open_deductions_fen: i64,
    pub inspection_note: String,
    pub decision: Option<ReleaseDecision>,
    pub decided_on: Option<NaiveDate>,
    pub decided_by: Option<String>,
    pub reason: String,
    pub amount_fen: Option<i64>,
    pub payment_due: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    pub voucher_no: String,
    pub entry_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("a valid test date")
    }

    #[test]
    fn apply_only_after_the_period_end() {
        assert!(check_apply(Some(d("2026-01-01")), d("2025-12-31")).unwrap_err().to_string().contains("2026-01-01"));
        assert!(check_apply(Some(d("2026-01-01")), d("2026-01-01")).is_ok());
        assert!(check_apply(None, d("2026-01-01")).is_err());
    }

    #[test]
    fn clocks_and_amounts() {
        assert_eq!(inspection_due(d("2026-03-05")), d("2026-03-19"));
        assert_eq!(payment_due(d("2026-03-10")), d("2026-03-24"));
        assert_eq!(release_amount(ReleaseDecision::ReleaseAll, Fen(500_000), Fen(12_000)), Fen(500_000));
        assert_eq!(release_amount(ReleaseDecision::ReleaseBalance, Fen(500_000), Fen(12_000)), Fen(488_000));
        assert_eq!(release_amount(ReleaseDecision::ReleaseBalance, Fen(5_000), Fen(12_000)), Fen(0));
        assert_eq!(release_amount(ReleaseDecision::Refuse, Fen(500_000), Fen(0)), Fen(0));
    }

    #[test]
    fn out_of_order_names_what_comes_first() {
        let e = ReleaseStep::Applied.expect(ReleaseStep::Inspected, "决定").unwrap_err().to_string();
        assert!(e.contains("14 日检查"), "{e}");
        let e = ReleaseStep::Inspected.expect(ReleaseStep::Decided, "付款").unwrap_err().to_string();
        assert!(e.contains("决定"), "{e}");
    }
}
