//! The regression guard of `wdesk bench`: the whole bench at 10,000 tickets with their
//! histories, in a temp folder, on every test run. It checks what does not depend on the
//! machine — every result agrees with its bare-SQL baseline (the bench fails otherwise) and each
//! list and search stays within a generous multiple of the same query as bare SQL — never an
//! absolute time. A 10× slowdown of our layers fails; scheduling noise does not.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

use desk_service::bench::{run_with, Options};

/// Desk / bare SQL, median over median. In a debug build lists and searches run at 1–3× and a
/// search for an absent word at ~5× (its bare query costs 20 µs); these limits leave 3–5× room.
fn limit(name: &str) -> f64 {
    if name.contains("absent") {
        25.0
    } else {
        10.0
    }
}

#[test]
fn bench_at_10k_checks_every_result_and_keeps_lists_and_searches_near_bare_sql() {
    let dir = tempfile::tempdir().expect("temp folder");
    let o = Options { tickets: 10_000, runs: 20, ledger_rows: None };
    let figures = match run_with(&dir.path().join("bench"), &o, &mut |_| {}) {
        Ok(f) => f,
        Err(e) => panic!("the bench failed: {}", e.message),
    };
    for name in ["today_list", "today_counters", "stats_year", "report_daily_500_events", "record_ticket_sync_full", "backup_full", "print_f02_warm"] {
        let f = figures.get(name).unwrap_or_else(|| panic!("{name} is missing"));
        assert_eq!(f.check, "passed", "{name}");
        assert!(f.n > 0, "{name}");
    }
    let compared: Vec<&String> = figures.keys().filter(|k| (k.starts_with("list_") || k.starts_with("search_")) && !k.ends_with("_bare_sql")).collect();
    assert!(compared.len() >= 9, "lists and searches measured: {compared:?}");
    for name in compared {
        let f = &figures[name];
        assert!(figures.contains_key(&format!("{name}_bare_sql")), "{name} has no bare-SQL baseline");
        let ratio = f.ratio.unwrap_or_else(|| panic!("{name} has no ratio"));
        assert!(ratio <= limit(name), "{name}: {ratio}× bare SQL (limit {}×)", limit(name));
        assert_eq!(f.check, "passed", "{name}");
    }
}
