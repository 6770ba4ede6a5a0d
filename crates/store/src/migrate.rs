//! Numbered migrations, embedded in the binary. A shipped migration is never edited, only
//! followed by a new one. The schema version lives in `PRAGMA user_version`.

use crate::{Result, StoreError};
use rusqlite::Connection;

/// Every migration in order; the version after applying `MIGRATIONS[i]` is `i + 1`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_foundation", include_str!("../migrations/0001_foundation.sql")),
    ("0002_repair", include_str!("../migrations/0002_repair.sql")),
    ("0003_clocks", include_str!("../migrations/0003_clocks.sql")),
    ("0004_report_day_indexes", include_str!("../migrations/0004_report_day_indexes.sql")),
    ("0005_stats", include_str!("../migrations/0005_stats.sql")),
    ("0006_fund", include_str!("../migrations/0006_fund.sql")),
    ("0007_liability", include_str!("../migrations/0007_liability.sql")),
    ("0008_unit_room", include_str!("../migrations/0008_unit_room.sql")),
    ("0009_unit_address", include_str!("../migrations/0009_unit_address.sql")),
    ("0010_codes", include_str!("../migrations/0010_codes.sql")),
];

/// The schema version this program writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies the missing migrations, each in its own transaction; refuses a newer database.
pub fn run(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(StoreError::TooNew { found: current, supported: latest() });
    }
    for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
