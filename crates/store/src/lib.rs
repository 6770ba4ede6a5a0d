//! desk-store — the SQLite store of the warranty desk. The only crate that knows SQL.
//!
//! One file, opened by [`Store::open`] with the PRAGMAs every connection needs (WAL,
//! `synchronous=FULL`, foreign keys, busy timeout), brought up to date by the numbered
//! migrations in `migrations/` ([`migrate`]). A database made by a newer version is refused.
//!
//! Each module covers one table or aggregate with uniform verbs (`insert_`, `get_`, `list_`,
//! `update_`). Use cases run inside [`Store::with_tx`]: one transaction each, all or nothing.
//!
//! ```
//! let store = desk_store::Store::open_in_memory().unwrap();
//! let n: i64 = store.with_tx(|tx| desk_store::tickets::count_all(tx)).unwrap();
//! assert_eq!(n, 0);
//! ```

pub mod audit;
pub mod backup;
// The bench's bulk writes and bare-SQL baselines: dev tools (desk-service's `devtools` turns them on).
#[cfg(feature = "devtools")]
pub mod bench_bare;
#[cfg(feature = "devtools")]
pub mod bench_fill;
pub mod clocks;
pub mod code;
pub mod compensation;
mod constraint;
pub mod contacts;
mod db;
pub mod desk_duties;
pub mod developer_cost;
pub mod durable;
mod error;
pub mod fund;
pub mod fund_import;
pub mod imports;
pub mod liability;
pub mod master;
pub mod matters;
pub mod migrate;
pub mod not_ours;
mod open;
pub mod paths;
pub mod payment;
pub mod privacy;
#[cfg(any(test, feature = "raw-sql"))]
pub mod raw;
pub mod reconcile;
pub mod release;
pub mod repair;
pub mod report;
pub mod settings;
pub mod staff;
pub mod stats;
pub mod survey;
pub mod tickets;

pub use db::Db;
pub use error::StoreError;
pub use open::{Reader, Store};

pub type Result<T> = std::result::Result<T, StoreError>;

/// A stored business date (`YYYY-MM-DD`, written by us); anything else is an error naming the
/// row, never 1970-01-01.
pub(crate) fn stored_date(s: &str, table: &'static str, column: &'static str, row: i64) -> rusqlite::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(code::BadDate { table, row, column, value: s.to_string() }))
    })
}

/// Unix seconds → UTC instant (stored instants are always written by us, so they are valid).
pub fn from_unix(s: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(s, 0).unwrap_or_default()
}
