//! Opening the database file: checks, PRAGMAs, migrations.

use crate::Db;
use crate::{migrate, Result, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The desk's database: one writer connection and a small pool of read-only ones.
///
/// WAL lets the readers run beside the writer, so opening a ticket or typing in the search
/// box never waits for an import or a year of statistics. `Store` is `Sync`: the window's
/// commands share one `Store` from several threads; writes queue on the writer's lock (and,
/// across processes, on SQLite's busy timeout).
pub struct Store {
    /// Idle read connections (file databases only; an in-memory database has one connection,
    /// so its reads go through the writer). Declared before `writer` so they close first: the
    /// last connection to close checkpoints the WAL into the main file and removes it, and a
    /// read-only connection cannot — the writer must be the last.
    readers: Mutex<Readers>,
    /// Signalled when a read connection comes back (or its opening failed).
    returned: Condvar,
    writer: Mutex<Connection>,
    path: Option<PathBuf>,
}

/// The read connections: those idle in the pool, and how many are lent out.
#[derive(Default)]
struct Readers {
    idle: Vec<Connection>,
    lent: usize,
}

/// At most this many idle read connections are kept.
const IDLE_READERS: usize = 4;

/// At most this many read connections are open at once; a read beyond them waits for one to come
/// back. Each connection keeps its own page cache and parsed schema (a few MB): a burst of the
/// window's commands — measured, 500 counters asked at once by a storm of page changes — opened a
/// connection each and left the app process 300 MB bigger for the rest of the day.
const MAX_READERS: usize = 8;

/// How long a read waits for a lent connection before opening one more anyway: a use case that
/// holds a reader and reads again (or eight long exports at once) is slowed, never stuck.
const READER_WAIT: Duration = Duration::from_secs(1);

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

impl Store {
    /// Opens (or creates) the database file and migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::ReadOnly(format!("{}（{e}）", dir.display())))?;
            }
        }
        check_header(path)?;
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| classify_open_error(e, &shown))?;
        let mut conn = conn;
        configure(&conn).map_err(|e| classify_open_error_store(e, &shown))?;
        migrate::run(&mut conn).map_err(|e| classify_open_error_store(e, &shown))?;
        Ok(Store { writer: Mutex::new(conn), readers: Mutex::default(), returned: Condvar::new(), path: Some(path.to_path_buf()) })
    }

    /// A throw-away database for tests.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate::run(&mut conn)?;
        Ok(Store { writer: Mutex::new(conn), readers: Mutex::default(), returned: Condvar::new(), path: None })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `f` in one transaction: committed when it returns Ok, rolled back otherwise.
    pub fn with_tx<T, E>(&self, f: impl FnOnce(&Db) -> std::result::Result<T, E>) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.writer()?;
        // IMMEDIATE: the write lock is taken at BEGIN, where the busy timeout makes a second
        // writer (another wdesk, a script) wait its turn. A deferred transaction that read first
        // would fail at its first write without waiting when the other one committed meanwhile.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let out = f(&Db::new(&tx))?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// [`Store::with_tx`] when the writer is free right now, `None` without waiting when a save
    /// (an import, a backup's start) holds it: for work that can just as well be left for later,
    /// like keeping the statistics' computed days.
    pub fn try_with_tx<T, E>(&self, f: impl FnOnce(&Db) -> std::result::Result<T, E>) -> Option<std::result::Result<T, E>>
    where
        E: From<StoreError>,
    {
        let mut conn = match self.writer.try_lock() {
            Ok(c) => c,
            Err(std::sync::TryLockError::WouldBlock) => return None,
            Err(std::sync::TryLockError::Poisoned(_)) => return Some(Err(poisoned().into())),
        };
        let out = (|| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
            let out = f(&Db::new(&tx))?;
            tx.commit().map_err(StoreError::from)?;
            Ok(out)
        })();
        Some(out)
    }

    /// Runs `f` on one consistent snapshot of the committed data, on a read-only connection
    /// that does not wait for the writer (the writer does not wait for it either). Writes
    /// through it are refused by SQLite.
    pub fn read<T, E>(&self, f: impl FnOnce(&Db) -> std::result::Result<T, E>) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        let Some(path) = &self.path else {
            // In memory: the one connection is the writer's.
            let conn = self.writer()?;
            return f(&Db::new(&conn));
        };
        // DEFERRED: a read transaction, so several statements see the same snapshot. Nothing is
        // written; ending it cannot lose anything.
        one_snapshot(self.pooled_reader(path)?, f)
    }

    /// An idle read connection from the pool, or a new one.
    fn pooled_reader(&self, path: &Path) -> Result<Lent<'_>> {
        let mut taken = self.pooled_readers(path, 1)?;
        // `pooled_readers(_, 1)` answers exactly one connection or an error.
        taken.pop().ok_or_else(poisoned)
    }

    /// `n` read connections at once (idle ones first, new ones up to [`MAX_READERS`]), waiting up
    /// to [`READER_WAIT`] while all are lent. Taken together, so two reads that each need a pair
    /// cannot each hold one and wait for the other's.
    fn pooled_readers(&self, path: &Path, n: usize) -> Result<Vec<Lent<'_>>> {
        let deadline = Instant::now() + READER_WAIT;
        let mut pool = self.readers.lock().map_err(|_| poisoned())?;
        loop {
            let now = Instant::now();
            if pool.idle.len() + MAX_READERS.saturating_sub(pool.lent + pool.idle.len()) >= n || now >= deadline {
                break;
            }
            pool = self.returned.wait_timeout(pool, deadline - now).map_err(|_| poisoned())?.0;
        }
        let mut taken = Vec::with_capacity(n);
        while taken.len() < n {
            match pool.idle.pop() {
                Some(c) => taken.push(Lent { store: self, conn: Some(c) }),
                None => break,
            }
        }
        let to_open = n - taken.len();
        pool.lent += n;
        // Opening touches the file: done outside the lock, so other reads are not held up by it.
        drop(pool);
        for _ in 0..to_open {
            match open_reader(path) {
                Ok(c) => taken.push(Lent { store: self, conn: Some(c) }),
                Err(e) => {
                    // Those taken go back as they drop; the ones never opened are not lent.
                    self.forget_lent(n - taken.len());
                    return Err(e);
                }
            }
        }
        Ok(taken)
    }

    /// Puts a read connection back in the pool (closed instead when the pool is full).
    fn give_back(&self, conn: Connection) {
        if !conn.is_autocommit() {
            // A snapshot left open (an error between BEGIN and its end): nothing was written.
            let _ = conn.execute_batch("ROLLBACK");
        }
        // A connection still inside a transaction (a ROLLBACK that failed) would hand its old
        // snapshot to the next reader, who would not see what was saved since: close it instead.
        let keep = conn.is_autocommit();
        let closing = match self.readers.lock() {
            Ok(mut pool) => {
                pool.lent = pool.lent.saturating_sub(1);
                if keep && pool.idle.len() < IDLE_READERS {
                    pool.idle.push(conn);
                    None
                } else {
                    Some(conn)
                }
            }
            Err(_) => Some(conn),
        };
        self.returned.notify_all();
        // Closing touches the file: after the lock.
        drop(closing);
    }

    /// `k` lent connections that were never opened after all.
    fn forget_lent(&self, k: usize) {
        if let Ok(mut pool) = self.readers.lock() {
            pool.lent = pool.lent.saturating_sub(k);
        }
        self.returned.notify_all();
    }

    /// Two reads side by side, each on a read connection and a thread of its own (a year's
    /// statistics: the breakdowns beside the tickets' events, on an office PC's two cores).
    /// Both see one state of the database: their snapshots begin while the writer's lock is
    /// held, so no save of this program lands between them. While a save is under way they run
    /// one after the other in a single snapshot instead — the same answer, later.
    pub fn read_pair<A, B, E>(
        &self,
        f: impl FnOnce(&Db) -> std::result::Result<A, E> + Send,
        g: impl FnOnce(&Db) -> std::result::Result<B, E> + Send,
    ) -> std::result::Result<(A, B), E>
    where
        A: Send,
        B: Send,
        E: From<StoreError> + Send,
    {
        let Some(path) = self.path.as_deref() else { return self.read(|db| Ok((f(db)?, g(db)?))) };
        // The pair first, then the writer's lock: a save never waits while the pair is gathered.
        let mut pair = self.pooled_readers(path, 2)?;
        let (Some(c2), Some(c1)) = (pair.pop(), pair.pop()) else { return Err(poisoned().into()) };
        let Ok(held) = self.writer.try_lock() else {
            drop(c2);
            return one_snapshot(c1, |db| Ok((f(db)?, g(db)?)));
        };
        let begin = |c: &Connection| -> Result<()> {
            c.execute_batch("BEGIN")?;
            c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
            Ok(())
        };
        begin(&c1)?;
        begin(&c2)?;
        drop(held);
        let (a, b) = std::thread::scope(|s| {
            let other = s.spawn(move || {
                let b = g(&Db::new(&c2));
                (b, c2)
            });
            let a = f(&Db::new(&c1));
            (a, other.join())
        });
        // Both snapshots end when their connections go back (`Lent::drop` rolls back).
        drop(c1);
        let (b, c2) = b.map_err(|_| StoreError::Conflict("程序内部错误（并行读取），请重试".into()))?;
        drop(c2);
        Ok((a?, b?))
    }

    /// A read-only connection for a few statements, each its own snapshot (use [`Store::read`]
    /// when several must agree). It goes back to the pool when dropped.
    pub fn reader(&self) -> Result<Reader<'_>> {
        let Some(path) = &self.path else {
            return Ok(Reader { conn: ReaderConn::Writer(self.writer()?) });
        };
        Ok(Reader { conn: ReaderConn::Pooled(self.pooled_reader(path)?) })
    }

    /// The writer connection itself, for tests that look at the file as another program would
    /// (feature `raw-sql`, enabled only by test builds: the product's crates cannot use it).
    #[cfg(any(test, feature = "raw-sql"))]
    pub fn raw_sql(&self) -> Result<MutexGuard<'_, Connection>> {
        self.writer()
    }

    /// The writer connection, waiting for the use case that holds it.
    pub(crate) fn writer(&self) -> Result<MutexGuard<'_, Connection>> {
        self.writer.lock().map_err(|_| poisoned())
    }

    /// Caps the database at `pages` pages (`PRAGMA max_page_count`; never below its current
    /// size; this connection only, until it closes) and returns the cap in effect. A write
    /// beyond it fails exactly like a full disk (SQLITE_FULL): how the tests fill the "disk"
    /// without one. `u32::MAX` lifts the cap.
    pub fn set_max_pages(&self, pages: u32) -> Result<u64> {
        Ok(self.writer()?.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// `PRAGMA integrity_check` — slow on big files; for `check` and after backups, never at start-up.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        // On the writer, as always: run on a pooled read-only connection, FTS5's part of the
        // check once reported corruption of `ticket_fts` in the ledger property test that the
        // writer's check (and every search) did not see.
        let conn = self.writer()?;
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }
}

/// A read connection lent by [`Store::reader`].
pub struct Reader<'s> {
    conn: ReaderConn<'s>,
}

enum ReaderConn<'s> {
    Pooled(Lent<'s>),
    Writer(MutexGuard<'s, Connection>),
}

impl Reader<'_> {
    pub fn db(&self) -> Db<'_> {
        match &self.conn {
            ReaderConn::Pooled(c) => Db::new(c),
            ReaderConn::Writer(g) => Db::new(g),
        }
    }
}

/// A read connection out of the pool; it goes back (or is closed) when dropped, whatever path
/// the use case left by, so the pool's count of lent connections stays true.
struct Lent<'s> {
    store: &'s Store,
    /// `Some` until dropped.
    conn: Option<Connection>,
}

impl std::ops::Deref for Lent<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        // Only `drop` takes the connection out.
        self.conn.as_ref().unwrap_or_else(|| unreachable!("read connection used after drop"))
    }
}

impl std::ops::DerefMut for Lent<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().unwrap_or_else(|| unreachable!("read connection used after drop"))
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            self.store.give_back(c);
        }
    }
}

/// `f` in one read snapshot on `conn`.
fn one_snapshot<T, E: From<StoreError>>(mut conn: Lent<'_>, f: impl FnOnce(&Db) -> std::result::Result<T, E>) -> std::result::Result<T, E> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred).map_err(StoreError::from)?;
    let out = f(&Db::new(&tx));
    let _ = tx.rollback();
    out
}

fn configure(conn: &Connection) -> Result<()> {
    // WAL + synchronous=FULL: a save the clerk saw confirmed survives a power cut.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// A read-only connection to the (already migrated) file.
pub(crate) fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| classify_open_error(e, &path.display().to_string()))?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn poisoned() -> StoreError {
    StoreError::Conflict("程序内部错误（数据库连接锁），请重启程序".into())
}

/// A non-empty file that does not start with SQLite's magic is junk or damaged: refuse it before
/// SQLite gets to treat it as something it could write to.
fn check_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let Ok(mut f) = std::fs::File::open(path) else { return Ok(()) };
    let mut head = [0u8; 16];
    match f.read(&mut head) {
        Ok(0) => Ok(()),
        Ok(n) if n == 16 && &head == SQLITE_MAGIC => Ok(()),
        _ => Err(StoreError::NotADatabase(path.display().to_string())),
    }
}

fn classify_open_error(e: rusqlite::Error, shown: &str) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied) => {
            StoreError::ReadOnly(shown.to_string())
        }
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::NotADatabase(shown.to_string()),
        _ => e.into(),
    }
}

fn classify_open_error_store(e: StoreError, shown: &str) -> StoreError {
    match e {
        StoreError::Sqlite(inner) => classify_open_error(inner, shown),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn projects(db: &Db) -> Result<i64> {
        Ok(db.query_row("SELECT count(*) FROM project", [], |r| r.get(0))?)
    }

    fn add(store: &Store, code: &str) {
        store
            .with_tx(|tx| -> Result<()> {
                tx.execute("INSERT INTO project(name, code, created_at) VALUES (?1, ?1, 1)", [code])?;
                Ok(())
            })
            .unwrap();
    }

    /// The statistics read in two halves side by side: both halves see the same saved state,
    /// also while a save is under way (then one after the other), and never a save not yet made.
    #[test]
    fn two_reads_side_by_side_see_one_state() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        add(&store, "A");
        let (x, y) = store.read_pair(projects, projects).unwrap();
        assert_eq!((x, y), (1, 1));
        store
            .with_tx(|tx| -> Result<()> {
                tx.execute("INSERT INTO project(name, code, created_at) VALUES ('B', 'B', 1)", [])?;
                // The writer is busy with this save: the pair still answers, with what is saved.
                assert_eq!(store.read_pair(projects, projects)?, (1, 1));
                Ok(())
            })
            .unwrap();
        assert_eq!(store.read_pair(projects, projects).unwrap(), (2, 2));
        // An error of either half is the answer.
        let failed = store.read_pair(projects, |db: &Db| -> Result<i64> { Ok(db.query_row("SELECT count(*) FROM no_such_table", [], |r| r.get(0))?) });
        assert!(failed.is_err());
    }

    /// A burst of the window's reads (a storm of page changes asked for the counters 500 times at
    /// once) is answered in full, on at most [`MAX_READERS`] connections: each connection is a
    /// page cache and a parsed schema the app process would keep for the rest of the day.
    #[test]
    fn a_burst_of_reads_all_answer_on_a_bounded_number_of_connections() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        add(&store, "A");
        let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let answers: Vec<i64> = std::thread::scope(|s| {
            let reads: Vec<_> = (0..60)
                .map(|i| {
                    let (store, now, most) = (&store, &now, &most);
                    s.spawn(move || {
                        let count = |db: &Db| -> Result<i64> {
                            most.fetch_max(now.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(15));
                            now.fetch_sub(1, Ordering::SeqCst);
                            projects(db)
                        };
                        // Every third read is a pair, as the counters and the statistics ask.
                        if i % 3 == 0 {
                            let (a, b) = store.read_pair(count, count).unwrap();
                            a + b - 1
                        } else {
                            store.read(count).unwrap()
                        }
                    })
                })
                .collect();
            reads.into_iter().map(|r| r.join().unwrap()).collect()
        });
        assert_eq!(answers, vec![1; 60]);
        let most = most.load(Ordering::SeqCst);
        assert!(most <= MAX_READERS, "{most} reads ran at once on their own connections");
        assert!(most >= 2, "reads still run side by side");
        let pool = store.readers.lock().unwrap();
        assert_eq!(pool.lent, 0, "every connection came back");
        assert!(pool.idle.len() <= IDLE_READERS);
    }

    /// A use case that holds every connection and reads once more is slowed, not stuck.
    #[test]
    fn a_read_while_every_connection_is_lent_still_answers() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        add(&store, "A");
        let held: Vec<Reader> = (0..MAX_READERS).map(|_| store.reader().unwrap()).collect();
        let started = Instant::now();
        assert_eq!(store.read(projects).unwrap(), 1);
        assert!(started.elapsed() >= READER_WAIT, "it waited for a connection to come back first");
        drop(held);
        let pool = store.readers.lock().unwrap();
        assert_eq!(pool.lent, 0);
    }
}
