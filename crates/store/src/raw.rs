//! The file as another program sees it, for tests only (feature `raw-sql`, which only test
//! builds turn on): open the database file with a plain connection and run any SQL. The
//! product's crates cannot reach this module, so "SQL only in the store" stays a rule the
//! crate graph keeps — `desk-service` needs no `rusqlite`, not even for its tests.

pub use rusqlite::{params, Connection, Error, OpenFlags, OptionalExtension, Row};
use std::path::Path;

/// The database file opened for reading and writing, as a foreign writer would.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open(path)
}

/// The database file opened read-only (checks that must not change what they look at).
pub fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
}
