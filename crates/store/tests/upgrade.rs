//! Upgrading a database made by the first release: `tests/fixtures/first-release.sqlite` was
//! written by that release's own `wdesk demo` (commit e45c5ca, migrations 0001–0006; how it was
//! made: `tests/fixtures/README.md`). Today's code opens a copy, runs the later migrations, and
//! every row of every table must still be there with the values it had.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use desk_store::{migrate, Store};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/first-release.sqlite");

/// The first release shipped migrations 0001–0006.
const FIRST_RELEASE_VERSION: i64 = 6;

/// A private copy of the fixture (opening migrates it in place; the committed file stays as made).
fn copy_fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("warranty-desk.sqlite");
    std::fs::copy(FIXTURE, &path).unwrap();
    (dir, path)
}

fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn version(conn: &Connection) -> i64 {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

/// The ordinary tables and their columns. Virtual tables and their shadow tables (the FTS
/// index) are left out: the index is rebuilt as the search needs, the rows it indexes are not.
fn tables(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let all: Vec<(String, String)> = conn
        .prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let virtual_tables: Vec<&str> = all.iter().filter(|(_, sql)| sql.starts_with("CREATE VIRTUAL TABLE")).map(|(n, _)| n.as_str()).collect();
    all.iter()
        .filter(|(name, _)| !virtual_tables.iter().any(|v| name == v || name.starts_with(&format!("{v}_"))))
        .map(|(name, _)| {
            let cols = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{name}')"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (name.clone(), cols)
        })
        .collect()
}

/// Every row of `table`, only the columns `cols`, ordered by all of them: a table that a later
/// migration rebuilds (new rowids) still compares equal when its rows are the same.
fn rows(conn: &Connection, table: &str, cols: &[String]) -> Vec<Vec<Value>> {
    let list = cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let order = (1..=cols.len()).map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
    let mut st = conn.prepare(&format!("SELECT {list} FROM \"{table}\" ORDER BY {order}")).unwrap();
    st.query_map([], |r| (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect()).unwrap().map(Result::unwrap).collect()
}

#[test]
fn every_row_of_the_first_release_survives_the_upgrade() {
    let (_dir, path) = copy_fixture();
    let before_conn = read_only(&path);
    assert_eq!(version(&before_conn), FIRST_RELEASE_VERSION, "the fixture is not the first release's schema");
    let before: BTreeMap<String, (Vec<String>, Vec<Vec<Value>>)> = tables(&before_conn)
        .into_iter()
        .map(|(t, cols)| {
            let r = rows(&before_conn, &t, &cols);
            (t, (cols, r))
        })
        .collect();
    drop(before_conn);
    assert!(before.len() >= 25, "the first release had {} ordinary tables?", before.len());

    drop(Store::open(&path).expect("today's code opens the first release's database"));

    let after = read_only(&path);
    assert_eq!(version(&after), migrate::latest());
    let now_tables = tables(&after);
    for (table, (cols, old_rows)) in &before {
        let Some(now_cols) = now_tables.get(table) else { panic!("table {table} is gone after the upgrade") };
        for c in cols {
            assert!(now_cols.contains(c), "column {table}.{c} is gone after the upgrade");
        }
        let new_rows = rows(&after, table, cols);
        assert_eq!(new_rows.len(), old_rows.len(), "table {table}: {} rows before the upgrade, {} after", old_rows.len(), new_rows.len());
        if let Some(i) = (0..old_rows.len()).find(|&i| old_rows[i] != new_rows[i]) {
            panic!("table {table}, row {}: before the upgrade {:?}\nafter {:?}\n(columns {cols:?})", i + 1, old_rows[i], new_rows[i]);
        }
    }
    let integrity: String = after.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let broken_references: i64 = after.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(broken_references, 0);
}

/// The fixture holds what the first release's demo wrote, and those values read the same after
/// the upgrade: ticket numbers, owners' names, ledger amounts in fen, audit lines, staff.
#[test]
fn the_first_release_values_read_the_same_after_the_upgrade() {
    let (_dir, path) = copy_fixture();
    drop(Store::open(&path).unwrap());
    let c = read_only(&path);
    let count = |t: &str| c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get::<_, i64>(0)).unwrap();
    let counts: Vec<(&str, i64)> = [
        "project",
        "batch",
        "unit",
        "owner",
        "owner_phone",
        "staff",
        "contractor",
        "report",
        "ticket",
        "dispatch_notice",
        "followup",
        "acceptance",
        "photo",
        "fund_ledger",
        "ledger_entry",
        "payment_request",
        "payment_line",
        "audit_log",
    ]
    .into_iter()
    .map(|t| (t, count(t)))
    .collect();
    assert_eq!(
        counts,
        vec![
            ("project", 1),
            ("batch", 2),
            ("unit", 648),
            ("owner", 744),
            ("owner_phone", 813),
            ("staff", 9),
            ("contractor", 7),
            ("report", 200),
            ("ticket", 200),
            ("dispatch_notice", 166),
            ("followup", 478),
            ("acceptance", 123),
            ("photo", 134),
            ("fund_ledger", 5),
            ("ledger_entry", 6),
            ("payment_request", 2),
            ("payment_line", 6),
            ("audit_log", 2577),
        ]
    );

    let ticket = |id: i64| -> (String, String, String, String) {
        c.query_row("SELECT no, status, owner_name, phone FROM ticket WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap()
    };
    assert_eq!(ticket(1), ("BX-2026-000001".into(), "Closed".into(), "孙强".into(), "17751208779".into()));
    assert_eq!(ticket(2), ("BX-2026-000002".into(), "Visited".into(), "黄思远".into(), "15906178856".into()));
    assert_eq!(ticket(200).0, "BX-2026-000200");

    let owner = |id: i64| -> String { c.query_row("SELECT name FROM owner WHERE id = ?1", [id], |r| r.get(0)).unwrap() };
    assert_eq!([owner(1), owner(2), owner(3), owner(744)], ["郭洋", "黄秀英", "韩超", "董思远"]);

    let ledgers: Vec<(String, i64, i64)> = c
        .prepare("SELECT contract_no, deposit_fen, balance_fen FROM fund_ledger ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        ledgers,
        vec![
            ("CHLT-SG-001".into(), 559_350_000, 559_350_000),
            ("CHLT-FS-003".into(), 24_300_000, 24_060_100),
            ("CHLT-MC-004".into(), 36_900_000, 36_900_000),
            ("CHLT-JD-005".into(), 29_250_000, 29_250_000),
            ("CHLT-ZS-006".into(), 64_800_000, 64_800_000),
        ]
    );
    let deduction: (String, i64, i64, String) = c
        .query_row("SELECT kind, credit_fen, debit_fen, voucher_no FROM ledger_entry WHERE id = 6", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap();
    assert_eq!(deduction, ("Deduction".into(), 0, 239_900, "付-1107".into()));

    let audit = |id: i64| -> (i64, Option<i64>, String, String, i64, String) {
        c.query_row("SELECT at, actor_id, action, entity, entity_id, detail FROM audit_log WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .unwrap()
    };
    assert_eq!(audit(1), (1_761_838_442, Some(1), "save_staff".into(), "staff".into(), 2, "员工「李静」（前台客服）".into()));
    assert_eq!(
        audit(2577),
        (
            1_793_979_242,
            Some(2),
            "payment_submit".into(),
            "payment_request".into(),
            2,
            "付款申请 FK-2026-0002（C6）：匠心防水维修服务有限公司 申请 ¥2,399.00，3 行；报修单 BX-2026-000141".into()
        )
    );

    let staff: Vec<(String, String)> =
        c.prepare("SELECT name, role FROM staff ORDER BY id").unwrap().query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    assert_eq!(staff[0], ("张建国".into(), "Director".into()));
    assert_eq!(staff[1], ("李静".into(), "FrontDesk".into()));
    assert_eq!(staff.len(), 9);
}
