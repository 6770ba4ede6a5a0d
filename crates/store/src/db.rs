//! [`Db`]: the handle a use case holds while it reads or writes — inside a write transaction
//! ([`Store::with_tx`](crate::Store::with_tx)) or a read snapshot ([`Store::read`](crate::Store::read)).
//!
//! It is the store's own type so that SQL stays in this crate: the methods that run SQL are
//! `pub(crate)`, so `desk-service` can hand a `&Db` to the store's typed functions and do
//! nothing else with it. A second SQL engine would give `Db` another inside (see
//! ARCHITECTURE.md, "A second storage engine"); the typed functions' signatures stay.

use rusqlite::{CachedStatement, Connection, Params, Row, Statement, ToSql};

/// A borrowed connection: within one transaction or one read snapshot.
pub struct Db<'a> {
    c: &'a Connection,
}

impl<'a> Db<'a> {
    pub(crate) fn new(c: &'a Connection) -> Db<'a> {
        Db { c }
    }

    pub(crate) fn prepare_cached(&self, sql: &str) -> rusqlite::Result<CachedStatement<'a>> {
        self.c.prepare_cached(sql)
    }

    pub(crate) fn prepare(&self, sql: &str) -> rusqlite::Result<Statement<'a>> {
        self.c.prepare(sql)
    }

    pub(crate) fn execute<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.c.execute(sql, params)
    }

    #[cfg(test)]
    pub(crate) fn execute_batch(&self, sql: &str) -> rusqlite::Result<()> {
        self.c.execute_batch(sql)
    }

    pub(crate) fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        self.c.query_row(sql, params, f)
    }

    /// Only the bench's bulk writes (`bench_fill`, a dev tool) need a bigger statement cache.
    #[cfg(feature = "devtools")]
    pub(crate) fn set_prepared_statement_cache_capacity(&self, n: usize) {
        self.c.set_prepared_statement_cache_capacity(n)
    }

    pub(crate) fn last_insert_rowid(&self) -> i64 {
        self.c.last_insert_rowid()
    }

    pub(crate) fn pragma_update<V: ToSql>(&self, schema: Option<&str>, name: &str, value: V) -> rusqlite::Result<()> {
        self.c.pragma_update(schema, name, value)
    }
}
