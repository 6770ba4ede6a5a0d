//! Crash safety, tested by killing (issue 7 §2). Each trial starts `wdesk stress --kind K`
//! (real writes in a loop through the Desk API: ticket intake, ledger imports of ~2,000 rows,
//! the commissioned-repair payment flow C5 → D8), waits a random time, SIGKILLs it, and then
//! reopens the database and checks what a user relies on:
//!
//! * the desk opens (`Desk::open`, which recovers the WAL the killed process left);
//! * SQLite's `integrity_check` is ok and `Desk::check()` finds nothing (every ledger balance
//!   equals its entries, every ticket has its intake audit record, reversals are sound);
//! * no partial import: every ledger import has exactly the entries its `import_file.rows` says;
//! * every paid payment request has exactly one deduction entry and every D8 deduction belongs
//!   to exactly one paid request;
//! * nothing reported done is lost, and nothing is half there: the units of work the database
//!   holds are the ones the stress loop reported done, plus at most the one it had started.
//!
//! Kinds rotate trial by trial; each kind keeps its data folder for 20 trials (so recovery runs
//! on a file that was itself recovered many times), then starts again from the demo database.
//! Trials: `WDESK_KILL_TRIALS` (default 24, the CI run); the documented long run is
//! `scripts/kill-test.sh` (240 trials). The kill delays come from `WDESK_KILL_SEED` (default 7).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::copy_dir;
use desk_service::stress::{StressKind, DEFECTS_PER_REPORT};
use desk_service::Desk;
use desk_store::raw::Connection;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Trials of one kind on the same data folder before it is replaced by a fresh copy.
const TRIALS_PER_FOLDER: usize = 20;
/// The kill lands this long after the start (milliseconds), uniformly.
const MIN_WAIT_MS: u64 = 50;
const MAX_WAIT_MS: u64 = 1_500;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

fn db_path(dir: &Path) -> PathBuf {
    dir.join(desk_service::desk::DB_FILE)
}

fn count(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The units of work of `kind` the database holds (one unit = one transaction of the loop).
fn units(c: &Connection, kind: StressKind) -> i64 {
    match kind {
        StressKind::Tickets => count(c, "SELECT count(*) FROM ticket"),
        StressKind::Import => count(c, "SELECT count(*) FROM import_file WHERE kind = 'ledger'"),
        // Each step of the payment flow adds exactly one of these.
        StressKind::Payment => count(
            c,
            "SELECT (SELECT count(*) FROM ticket) + (SELECT count(*) FROM commission)
                  + (SELECT count(*) FROM commission WHERE confirmed_at IS NOT NULL)
                  + (SELECT count(*) FROM payment_request)
                  + (SELECT count(*) FROM payment_request WHERE reviewed_at IS NOT NULL)
                  + (SELECT count(*) FROM countersign)
                  + (SELECT count(*) FROM payment_request WHERE status = 'Paid')",
        ),
    }
}

/// The invariants read straight from the file (read-only), beyond `Desk::check()`.
fn file_problems(c: &Connection) -> Vec<String> {
    let mut problems = Vec::new();
    let integrity: Vec<String> = c.prepare("PRAGMA integrity_check").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    if integrity != ["ok"] {
        problems.push(format!("integrity_check: {integrity:?}"));
    }
    // No partial import: an import's entries are all there or none (and then no import_file row).
    let mut stmt = c
        .prepare(
            "SELECT f.id, f.file_name, f.rows, (SELECT count(*) FROM ledger_entry e WHERE e.import_id = f.id)
             FROM import_file f WHERE f.kind = 'ledger'",
        )
        .unwrap();
    let partial: Vec<(i64, String, i64, i64)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().collect::<Result<_, _>>().unwrap();
    for (id, name, rows, entries) in partial.into_iter().filter(|p| p.2 != p.3) {
        problems.push(format!("partial import #{id} «{name}»: import_file.rows = {rows}, entries = {entries}"));
    }
    let orphans = count(c, "SELECT count(*) FROM ledger_entry WHERE import_id IS NOT NULL AND import_id NOT IN (SELECT id FROM import_file)");
    if orphans > 0 {
        problems.push(format!("{orphans} imported entries without their import record"));
    }
    // Every paid request: exactly one deduction, the one it points at; and vice versa.
    let bad_paid = count(
        c,
        "SELECT count(*) FROM payment_request r WHERE r.status = 'Paid' AND (r.entry_id IS NULL
            OR (SELECT count(*) FROM ledger_entry e WHERE e.payment_request_id = r.id AND e.kind = 'Deduction' AND e.import_id IS NULL) != 1
            OR NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e.id = r.entry_id AND e.payment_request_id = r.id AND e.kind = 'Deduction'
                           AND e.debit_fen = r.approved_fen))",
    );
    if bad_paid > 0 {
        problems.push(format!("{bad_paid} paid payment requests without exactly one matching deduction"));
    }
    let bad_unpaid = count(c, "SELECT count(*) FROM payment_request WHERE status != 'Paid' AND (entry_id IS NOT NULL OR paid_at IS NOT NULL)");
    if bad_unpaid > 0 {
        problems.push(format!("{bad_unpaid} unpaid payment requests with a payment recorded"));
    }
    let stray = count(
        c,
        "SELECT count(*) FROM ledger_entry e WHERE e.kind = 'Deduction' AND e.import_id IS NULL AND NOT EXISTS
            (SELECT 1 FROM payment_request r WHERE r.entry_id = e.id AND r.status = 'Paid')",
    );
    if stray > 0 {
        problems.push(format!("{stray} deductions that belong to no paid payment request"));
    }
    let incomplete_sign = count(
        c,
        "SELECT count(*) FROM payment_request r WHERE r.status IN ('Countersigned', 'Paid') AND
            (SELECT count(*) FROM countersign k WHERE k.request_id = r.id) = 0",
    );
    if incomplete_sign > 0 {
        problems.push(format!("{incomplete_sign} requests past 会签 without any countersignature"));
    }
    problems
}

/// How one kill landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Landing {
    /// Killed before the loop started its first unit (start-up, opening, reading the demo).
    BeforeFirstWrite,
    /// Between two units: the last line said a unit was done.
    BetweenUnits,
    /// Inside a unit (started, not reported done) and the database does not have it: rolled back.
    MidUnitRolledBack,
    /// Inside a unit and the database has it: committed, killed before it said so.
    MidUnitCommitted,
}

#[derive(Default)]
struct KindStats {
    trials: usize,
    units_done: i64,
    landings: BTreeMap<Landing, usize>,
    wal_left: usize,
    check_ms: Vec<u128>,
}

/// The last `完成 #n` and whether a later `开始` was printed.
fn progress(lines: &[String]) -> (i64, bool, bool) {
    let num = |l: &str| l.split_whitespace().nth(1).and_then(|t| t.trim_start_matches('#').parse::<i64>().ok());
    let done = lines.iter().rev().find(|l| l.starts_with("完成")).and_then(|l| num(l)).unwrap_or(0);
    let started_any = lines.iter().any(|l| l.starts_with("开始"));
    let in_flight = lines.last().is_some_and(|l| l.starts_with("开始"));
    (done, started_any, in_flight)
}

#[test]
fn killed_at_any_moment_the_database_stays_sound() {
    let trials = env_or("WDESK_KILL_TRIALS", 24) as usize;
    let mut rng = StdRng::seed_from_u64(env_or("WDESK_KILL_SEED", 7));
    let bin = env!("CARGO_BIN_EXE_wdesk");
    let root = tempfile::tempdir().unwrap();
    let template = root.path().join("template");
    let started = Instant::now();
    desk_service::demo::create(&template, false, chrono::Utc::now()).unwrap();
    println!("演示数据库模板：{:.1} s", started.elapsed().as_secs_f64());

    let mut stats: BTreeMap<&str, KindStats> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    for trial in 0..trials {
        let kind = StressKind::ALL[trial % StressKind::ALL.len()];
        let st = stats.entry(kind.code()).or_default();
        let dir = root.path().join(kind.code());
        if st.trials.is_multiple_of(TRIALS_PER_FOLDER) {
            copy_dir(&template, &dir);
        }
        st.trials += 1;
        let before = {
            let c = desk_store::raw::open_read_only(&db_path(&dir)).unwrap();
            units(&c, kind)
        };

        let mut child = Command::new(bin)
            .arg("--data")
            .arg(&dir)
            .args(["stress", "--kind", kind.code()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<String>>());
        let wait = rng.gen_range(MIN_WAIT_MS..=MAX_WAIT_MS);
        std::thread::sleep(Duration::from_millis(wait));
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            failures.push(format!("trial {trial} ({}): the stress loop stopped by itself ({status}): {err}", kind.code()));
            continue;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let lines = reader.join().unwrap();
        let wal = dir.join(format!("{}-wal", desk_service::desk::DB_FILE));
        if wal.metadata().is_ok_and(|m| m.len() > 0) {
            st.wal_left += 1;
        }

        let t = Instant::now();
        let desk = match Desk::open(&dir) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("trial {trial} ({}), killed after {wait} ms: the desk does not open: {}", kind.code(), e.message));
                continue;
            }
        };
        let report = desk.check().unwrap();
        if !report.ok {
            failures.push(format!("trial {trial} ({}), killed after {wait} ms: check: {:?}", kind.code(), report.problems));
        }
        let c = desk_store::raw::open_read_only(&db_path(&dir)).unwrap();
        for p in file_problems(&c) {
            failures.push(format!("trial {trial} ({}), killed after {wait} ms: {p}", kind.code()));
        }
        let after = units(&c, kind);
        drop(c);
        drop(desk);
        st.check_ms.push(t.elapsed().as_millis());

        // Nothing reported done is lost; nothing is half there.
        let mut delta = after - before;
        if kind == StressKind::Tickets {
            if delta % DEFECTS_PER_REPORT as i64 != 0 {
                failures.push(format!("trial {trial} (tickets): {delta} new tickets, not whole reports of {DEFECTS_PER_REPORT}"));
            }
            delta /= DEFECTS_PER_REPORT as i64;
        }
        let (done, started_any, in_flight) = progress(&lines);
        let landing = if !started_any {
            Landing::BeforeFirstWrite
        } else if !in_flight {
            Landing::BetweenUnits
        } else if delta == done {
            Landing::MidUnitRolledBack
        } else {
            Landing::MidUnitCommitted
        };
        let expected_ok = delta == done || (in_flight && delta == done + 1);
        if !expected_ok {
            failures.push(format!(
                "trial {trial} ({}), killed after {wait} ms: the loop reported {done} units done{}, the database holds {delta}; last line: {:?}",
                kind.code(),
                if in_flight { " and one started" } else { "" },
                lines.last()
            ));
        }
        st.units_done += delta;
        *st.landings.entry(landing).or_default() += 1;
    }

    println!("\n崩溃测试：{trials} 次 SIGKILL，用时 {:.0} s（随机等待 {MIN_WAIT_MS}–{MAX_WAIT_MS} ms）", started.elapsed().as_secs_f64());
    println!(
        "{:<8} {:>5} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>10}",
        "kind", "次数", "启动中", "单元之间", "写入中回滚", "写入中已提交", "单元总数", "留下WAL", "复查ms中位"
    );
    for (k, s) in &stats {
        let mut ms = s.check_ms.clone();
        ms.sort_unstable();
        let l = |x| s.landings.get(&x).copied().unwrap_or(0);
        println!(
            "{k:<8} {:>5} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>10}",
            s.trials,
            l(Landing::BeforeFirstWrite),
            l(Landing::BetweenUnits),
            l(Landing::MidUnitRolledBack),
            l(Landing::MidUnitCommitted),
            s.units_done,
            s.wal_left,
            ms.get(ms.len() / 2).copied().unwrap_or(0)
        );
    }
    println!("失败：{}", failures.len());
    for f in &failures {
        println!("  {f}");
    }
    assert!(failures.is_empty(), "{} of {trials} trials broke an invariant:\n{}", failures.len(), failures.join("\n"));
    // The trials must actually have killed work in progress, not only idle start-ups.
    if trials >= 12 {
        let mid: usize = stats
            .values()
            .map(|s| s.landings.get(&Landing::MidUnitRolledBack).copied().unwrap_or(0) + s.landings.get(&Landing::MidUnitCommitted).copied().unwrap_or(0))
            .sum();
        assert!(mid > 0, "no kill landed inside a unit of work");
    }
}
