//! desk-documents — the files the warranty desk reads and writes.
//!
//! * [`excel_in`] — reading untrusted workbooks (.xlsx/.xlsm/.xlsb/.xls): content-based type
//!   detection, zip-bomb and size caps, streamed cells (never a dense range), header row found by
//!   its names, 合计 rows set apart, and pure cell parsers (dates, fen, phones) with Chinese
//!   reasons. Every spreadsheet import (owner roster, deposit ledger A3/B4) is built on
//!   [`excel_in::read_table`].
//! * [`excel_out`] — writing list exports: merged title, frozen header, autofilter, `¥#,##0.00`
//!   money, real dates, SUM total row, widths that fit Chinese ([`excel_out::write_table`]).
//!
//! Architecture: depends on `desk-domain` only (for [`desk_domain::money::Fen`]); no SQL, no Tauri.
//! A bad file never panics the desk: every failure is an error value with a Chinese message.

pub mod eml;
pub mod excel_in;
pub mod excel_out;
pub mod f03;
pub mod pdf;
pub mod scan;
pub mod statement;
