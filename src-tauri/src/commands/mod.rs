//! Tauri commands, one module per feature. Each command is a few lines: call `Desk`, return
//! its result; errors cross as `DeskError {kind, message, field}`.

pub mod app;
pub mod audit;
pub mod backup;
pub mod clocks;
pub mod fund_ledger;
pub mod fund_payment;
pub mod import;
pub mod master;
pub mod print;
pub mod repair;
pub mod report;
pub mod stats;
pub mod tickets;
