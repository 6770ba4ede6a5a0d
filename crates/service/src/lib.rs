//! desk-service — the Desk API: every use case of the warranty desk, one transaction each,
//! every write tagged with its actor; and the `wdesk` CLI (`src/bin/wdesk.rs`) over the same API.
//!
//! The Tauri shell and the CLI are two faces of [`Desk`]; nothing is implemented twice.
//! Errors are [`DeskError`] `{kind, message, field}` with Chinese messages.
//!
//! The feature `devtools` (on by default; the installer builds without it) adds what writes
//! made-up data: the demo generator ([`demo`]), the benchmarks (`bench`, `fund::bench`,
//! `fund::reconcile_bench`) and the kill test's writer (`stress`), with their `wdesk` commands.
//!
//! ```no_run
//! use desk_service::Desk;
//! let mut desk = Desk::open(std::path::Path::new("/tmp/desk")).unwrap();
//! let me = desk.session_for(None).unwrap();
//! let page = desk.list_tickets(&Default::default(), 10_000).unwrap();
//! println!("{} tickets, signed in as {}", page.total, me.name);
//! ```

pub mod acceptance;
pub mod audit_view;
pub mod auth;
pub mod backup;
#[cfg(feature = "devtools")]
pub mod bench;
pub mod check;
pub mod clocks;
pub mod compensation;
pub mod coverage;
pub mod demo;
pub mod desk;
pub mod desk_duties;
pub mod developer_cost;
mod duplicates;
pub mod error;
pub mod export;
pub mod fund;
pub mod intake;
pub mod job;
pub mod master;
pub mod matters;
pub mod not_ours;
pub mod owner_export;
pub mod paths;
mod photos;
pub mod print;
pub mod promise;
pub mod repair;
pub mod report;
pub mod roster;
pub mod settings;
pub mod stats;
#[cfg(feature = "devtools")]
pub mod stress;
pub mod survey;
pub mod tickets;

pub use desk::{default_data_dir, Desk, Session};
pub use error::{DeskError, DeskResult, ErrorKind};
pub use job::Progress;
