//! Backups and restore as the operator runs them (`wdesk backup|restore`) and as the window
//! calls them: a verified copy, thinned folder, restore preview, restore with a safety copy.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::process::{Command, Output};

fn wdesk(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wdesk")).arg("--data").arg(data).args(args).output().unwrap()
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn total_tickets(data: &std::path::Path) -> i64 {
    json(&wdesk(data, &["ticket", "list", "--json", "--limit", "1"]))["total"].as_i64().unwrap()
}

#[test]
fn a_backup_restores_the_data_as_it_was_and_keeps_a_safety_copy() {
    let dir = tempfile::tempdir().unwrap();
    // A folder with a space and Chinese characters, like a USB drive's 备份 folder.
    let usb = dir.path().join("U盘 备份");
    let data = dir.path().join("data");
    assert!(wdesk(&data, &["demo"]).status.success());
    let b = json(&wdesk(&data, &["backup", "--to", usb.to_str().unwrap(), "--json"]));
    let file = b["path"].as_str().unwrap().to_string();
    assert!(file.contains("U盘 备份") && file.ends_with("-manual.sqlite"), "{file}");
    assert!(b["bytes"].as_u64().unwrap() > 10_000);

    // Work done after the backup…
    let o = wdesk(&data, &["ticket", "new", "--unit", "3-2-1502", "--phone", "13912345678", "--desc", "备份后登记的报修", "--part", "卫生间", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(total_tickets(&data), 201);

    // …the preview changes nothing and says what the backup holds.
    let p = json(&wdesk(&data, &["restore", &file, "--json"]));
    assert_eq!(p["backup"]["tickets"], 200);
    assert_eq!(p["current"]["tickets"], 201);
    assert_eq!(total_tickets(&data), 201);

    // Restoring brings back the backup's data; the replaced data is kept as a backup.
    let r = json(&wdesk(&data, &["restore", &file, "--yes", "--json"]));
    assert_eq!(r["current"]["tickets"], 200);
    assert_eq!(total_tickets(&data), 200);
    let safety: Vec<_> =
        std::fs::read_dir(data.join("backups")).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with("-before-restore.sqlite")).collect();
    assert_eq!(safety.len(), 1, "a safety copy of the replaced data");
    assert!(wdesk(&data, &["check"]).status.success());
}

#[test]
fn junk_is_refused_as_a_backup_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(wdesk(&data, &["demo"]).status.success());
    let junk = dir.path().join("warranty-desk-20261127-101500-manual.sqlite");
    std::fs::write(&junk, "这不是数据库".repeat(500)).unwrap();
    let o = wdesk(&data, &["restore", junk.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("不是本系统的数据库") || err.contains("损坏"), "{err}");
    assert_eq!(total_tickets(&data), 200);
}

#[test]
fn an_unwritable_backup_folder_is_named_in_the_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(wdesk(&data, &["demo"]).status.success());
    // A file where the folder should be: the folder cannot be created (as with a pulled USB drive).
    let blocked = dir.path().join("blocked");
    std::fs::write(&blocked, b"x").unwrap();
    let o = wdesk(&data, &["backup", "--to", blocked.join("sub").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("备份位置") && err.contains("不可写入"), "{err}");
}

/// The desk says when its safety net is thin: no backup yet, a last backup older than a day,
/// or backups on the same disk as the data.
#[test]
fn the_backup_settings_warn_about_no_stale_or_same_disk_backups() {
    use chrono::{Duration, TimeZone, Utc};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let start = Utc.with_ymd_and_hms(2026, 3, 4, 2, 0, 0).single().unwrap();
    let clock = std::sync::Arc::new(std::sync::Mutex::new(start));
    let c = clock.clone();
    let desk = desk_service::Desk::open_with_clock(&data, Box::new(move || *c.lock().unwrap())).unwrap();

    let s = desk.backup_settings().unwrap();
    assert!(s.on_data_disk, "the default folder is inside the data folder");
    assert_eq!(s.last_backup_at, None);
    assert!(s.warnings.iter().any(|w| w.contains("还没有任何备份")), "{:?}", s.warnings);
    assert!(s.warnings.iter().any(|w| w.contains("同一块磁盘")), "{:?}", s.warnings);

    desk.backup(desk_service::backup::BackupReason::Manual, None).unwrap();
    let s = desk.backup_settings().unwrap();
    assert_eq!(s.last_backup_age_hours, Some(0));
    assert!(!s.warnings.iter().any(|w| w.contains("备份是") || w.contains("还没有")), "a fresh backup: {:?}", s.warnings);

    *clock.lock().unwrap() = start + Duration::hours(30);
    let s = desk.backup_settings().unwrap();
    assert_eq!(s.last_backup_age_hours, Some(30));
    assert!(s.warnings.iter().any(|w| w.contains("30 小时") && w.contains("已超过一天")), "{:?}", s.warnings);
}
