//! What several test stories share: the demo database built once per test binary (hashing nine
//! PINs and walking ~200 tickets takes a while in a debug build) and copied for each test.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure here should stop the test loudly

use chrono::{DateTime, Utc};

pub mod world;
use std::path::Path;

/// A folder holding the demo database made at `now`, built on first use and kept for the whole
/// test binary. Copy it with [`copy_dir`] before writing.
pub fn demo_template(now: fn() -> DateTime<Utc>) -> &'static Path {
    static TEMPLATE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            desk_service::demo::create(dir.path(), false, now()).unwrap();
            dir
        })
        .path()
}

/// Copies a data folder (database and photos) to `to`, replacing what is there.
pub fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A fresh desk with one project 翠湖澜庭, signed in as its director 张主任, on 2026-10-10
/// 10:00 CST — where the ledger stories import their workbooks.
pub fn ledger_desk() -> (desk_service::Desk, desk_service::Session, tempfile::TempDir) {
    use chrono::TimeZone;
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 10, 10, 2, 0, 0).unwrap();
    let desk = desk_service::Desk::open_with_clock(dir.path(), Box::new(move || now)).unwrap();
    let me = desk.create_first_director("张主任", "2468").unwrap();
    let project = desk_service::master::ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() };
    desk.save_project(&me, project).unwrap();
    (desk, me, dir)
}
