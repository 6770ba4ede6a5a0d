//! desk-domain — the plain types and rules of the warranty desk (保修中心).
//!
//! Architecture invariant: this crate does no IO, reads no clock (`now` is always passed in),
//! and knows neither SQL nor Tauri. Everything here is testable with plain values.
//!
//! Main types: [`ticket::TicketStatus`] (the §5.1 state machine), [`ticket::Classification`],
//! [`ticket::Channel`], [`ticket::Category`], [`unit::UnitAddress`] (`3-2-1502`),
//! [`phone::Phone`], [`staff::Role`], [`money::Fen`], and [`error::DomainError`] (Chinese messages
//! that name the field).
//!
//! ```
//! use desk_domain::unit::UnitAddress;
//! let a: UnitAddress = "3号楼2单元1502".parse().unwrap();
//! assert_eq!(a.to_string(), "3-2-1502");
//! ```

pub mod audit;
pub mod clock;
pub mod compensation;
pub mod coverage;
pub mod developer_cost;
pub mod error;
pub mod file_name;
pub mod fund;
pub mod matters;
pub mod money;
pub mod not_ours;
pub mod paths;
pub mod phone;
pub mod progress;
pub mod records;
pub mod repair;
pub mod report_text;
pub mod search;
pub mod staff;
pub mod survey;
pub mod ticket;
pub mod time;
pub mod unit;

pub use error::DomainError;
