//! The warranty-deposit fund (保修金使用管理工作流程): the ledger per project × builder contract
//! (nodes A3/B4), the commissioned repair and its payment (4.2, C5 → C6 → A7 → 会签 → D8).
//!
//! Rules kept here, without IO:
//! * [`ledger`]: entry kinds, the contract's arithmetic (deposit = settled × rate, the 3 % cap of
//!   the 2017 rules, period end = start + months − 1 day), quarters, balances;
//! * [`names`]: builder names as the project department spells them, normalised for matching;
//! * [`payment`]: the payment request's steps and its exact line arithmetic;
//! * [`reconcile`]: the quarterly reconciliation (B4) of the department's rows with ours.

pub mod ledger;
pub mod names;
pub mod payment;
pub mod reconcile;
pub mod records;
pub mod release;

pub use ledger::{EntryKind, Quarter};
pub use payment::{CommissionRecord, CountersignRecord, LineKind, PaymentLineRecord, PaymentRequestRecord, PaymentRequestSummary, PaymentStatus};
pub use records::{LedgerEntryRecord, LedgerSummary};
