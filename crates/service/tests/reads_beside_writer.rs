//! The window never waits behind a long job: while a ledger import holds its write transaction
//! open, what the window reads (the ledgers, the ticket list, the statistics, the settings)
//! answers from the committed data, on a read-only connection beside the writer. And a long job
//! reports real progress and can be cancelled with nothing written.
//!
//! No timing here: the import is held inside its transaction (its progress callback waits) until
//! the reads are done, so a read that waited for the writer would never finish (the test fails
//! on a timeout instead of hanging).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use desk_service::fund::bench::generate_csv;
use desk_service::job::{JobStep, Progress};
use desk_service::tickets::TicketFilter;
use desk_service::ErrorKind;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WRITING: &str = "正在写入分录";

#[test]
fn reads_answer_while_an_import_holds_its_write_transaction() {
    let (desk, me, dir) = common::ledger_desk();
    let desk = Arc::new(desk);
    let csv = dir.path().join("big.csv");
    generate_csv(&csv, 5_000).unwrap();

    // The import's progress callback, on its first row written (inside the transaction), says so
    // and then waits until the reads are done.
    let (inside_tx, inside_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let once = Mutex::new(Some((inside_tx, release_rx)));
    let sink = Box::new(move |s: &JobStep| {
        if s.label == WRITING {
            if let Some((inside, release)) = once.lock().unwrap().take() {
                inside.send(()).unwrap();
                release.recv_timeout(Duration::from_secs(60)).expect("the reads finished");
            }
        }
    });
    let progress = Progress::new(sink, Arc::new(AtomicBool::new(false)));
    let importer = {
        let desk = Arc::clone(&desk);
        let me = me.clone();
        let csv = csv.clone();
        std::thread::spawn(move || desk.import_ledger_with(&me, None, &csv, false, None, &progress))
    };
    inside_rx.recv_timeout(Duration::from_secs(120)).expect("the import reached its write transaction");

    // The writer is inside its transaction now. Each read answers — from the data as committed.
    assert!(desk.ledgers().unwrap().is_empty(), "the uncommitted import is not visible");
    assert_eq!(desk.list_tickets(&TicketFilter::default(), 100).unwrap().total, 0);
    let from = "2026-01-01".parse().unwrap();
    let to = "2027-01-01".parse().unwrap();
    assert_eq!(desk.statistics(from, to).unwrap().total, 0);
    desk.work_calendar().unwrap();
    desk.today_counters().unwrap();
    desk.active_project().unwrap();
    desk.report_recipients().unwrap();
    // A preview of another file writes nothing: it too reads beside the writer.
    let other = dir.path().join("other.csv");
    generate_csv(&other, 10).unwrap();
    assert_eq!(desk.preview_ledger_import(&other).unwrap().movements, 10);

    release_tx.send(()).unwrap();
    let done = importer.join().unwrap().unwrap();
    assert!(done.written);
    assert_eq!(desk.ledger_show().unwrap().entries, 5_000, "after the commit the reads see it");
}

#[test]
fn an_import_reports_rows_written_of_the_total_and_a_cancel_writes_nothing() {
    let (desk, me, dir) = common::ledger_desk();
    let csv = dir.path().join("big.csv");
    generate_csv(&csv, 3_000).unwrap();

    // Cancelled by the user while rows are being written: an error that says so, nothing stored.
    let cancel = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Vec::<JobStep>::new()));
    let sink = {
        let (cancel, seen) = (Arc::clone(&cancel), Arc::clone(&seen));
        Box::new(move |s: &JobStep| {
            seen.lock().unwrap().push(s.clone());
            // As soon as writing is reported (reports are at most one per 50 ms, so waiting for
            // a given row count would depend on the machine's speed).
            if s.label == WRITING {
                cancel.store(true, Ordering::Relaxed);
            }
        })
    };
    let e = desk.import_ledger_with(&me, None, &csv, false, None, &Progress::new(sink, Arc::clone(&cancel))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Cancelled, "{e:?}");
    assert!(e.message.contains("未写入"), "{}", e.message);
    assert_eq!(desk.ledger_show().unwrap().entries, 0, "a cancelled import leaves no entry");
    assert!(desk.ledgers().unwrap().is_empty(), "nor a ledger");
    assert!(desk.preview_ledger_import(&csv).unwrap().already_imported_at.is_none(), "nor the record of the file");
    let steps = seen.lock().unwrap().clone();
    let writing: Vec<&JobStep> = steps.iter().filter(|s| s.label == WRITING).collect();
    assert!(!writing.is_empty(), "rows written were reported: {steps:?}");
    assert!(writing.iter().all(|s| s.total == 3_000 && s.done <= s.total), "done of the file's rows: {writing:?}");
    assert!(writing.windows(2).all(|w| w[0].done <= w[1].done), "progress only goes forward: {writing:?}");

    // The same file imported without cancelling: all of it.
    let done = desk.import_ledger_with(&me, None, &csv, false, None, &Progress::none()).unwrap();
    assert!(done.written);
    assert_eq!(desk.ledger_show().unwrap().entries, 3_000);
}

#[test]
fn statistics_report_each_step_and_a_backup_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(common::demo_template(chrono::Utc::now), dir.path());
    let desk = desk_service::Desk::open(dir.path()).unwrap();
    let seen = Arc::new(Mutex::new(Vec::<JobStep>::new()));
    let record = || {
        let seen = Arc::clone(&seen);
        Progress::new(Box::new(move |s: &JobStep| seen.lock().unwrap().push(s.clone())), Arc::new(AtomicBool::new(false)))
    };
    let today = chrono::Utc::now().date_naive();
    desk.statistics_with(today - chrono::Duration::days(365), today + chrono::Duration::days(1), &record()).unwrap();
    let steps = std::mem::take(&mut *seen.lock().unwrap());
    assert!(steps.len() >= 10, "one report per query: {steps:?}");
    assert_eq!(steps.last().map(|s| (s.done, s.total)), Some((14, 14)), "{steps:?}");

    let b = desk.backup_with(desk_service::backup::BackupReason::Manual, Some(&dir.path().join("bk")), &record()).unwrap();
    let steps = std::mem::take(&mut *seen.lock().unwrap());
    let last = steps.last().unwrap();
    assert!(last.total > 0 && last.done == last.total, "pages copied of the total: {steps:?}");
    assert!(std::path::Path::new(&b.path).exists());

    // A backup cancelled leaves no file named like a backup (and no .part).
    let cancelled = Progress::new(Box::new(|_: &JobStep| {}), Arc::new(AtomicBool::new(true)));
    let e = desk.backup_with(desk_service::backup::BackupReason::Manual, Some(&dir.path().join("bk2")), &cancelled).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Cancelled);
    let left: Vec<_> = std::fs::read_dir(dir.path().join("bk2")).map(|d| d.filter_map(Result::ok).collect()).unwrap_or_default();
    assert!(left.iter().all(|e| !e.file_name().to_string_lossy().ends_with(".sqlite") && !e.file_name().to_string_lossy().ends_with(".part")), "{left:?}");
}
