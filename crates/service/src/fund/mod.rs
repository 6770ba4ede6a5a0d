//! The warranty-deposit fund (保修金使用管理工作流程): reading the department's ledger workbook
//! ([`workbook`]), and the use cases on [`crate::Desk`] built on it.

#[cfg(feature = "devtools")]
pub mod bench;
pub mod commission;
pub mod export;
pub mod ledger;
pub mod payment;
pub mod reconcile;
#[cfg(feature = "devtools")]
pub mod reconcile_bench;
pub mod release;
pub mod workbook;
