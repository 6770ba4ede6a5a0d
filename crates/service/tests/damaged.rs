//! Damaged surroundings (issue 7 §3): the database file replaced by junk or damaged in the
//! middle, the disk full during a ledger import, the data folder read-only at start. In each
//! case the user gets a clear Chinese message, nothing is half-written, and a damaged file can
//! be replaced by the newest good backup with the damaged one kept aside.
//!
//! The full disk is simulated with `Desk::set_max_pages` (SQLite's `max_page_count`: the write
//! fails with SQLITE_FULL exactly as on a full disk); when the tests run as root and may mount,
//! a real full disk (a 2 MB tmpfs) and a really read-only folder (a tmpfs remounted read-only)
//! are tested too. As a normal user, `chmod 0555` makes the folder read-only instead.
//!
//! Run: `cargo test -p desk-service --test damaged`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel};
use desk_service::backup::{latest_good_backup, replace_damaged_database, BackupReason};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::{Desk, ErrorKind, Session};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DB: &str = desk_service::desk::DB_FILE;

fn wdesk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wdesk")).arg("--data").arg(data).args(args).output().unwrap()
}

/// A small desk with `reports` reports of three defects each; returns the clerk's session.
fn small_desk(dir: &Path, reports: usize) -> (Desk, Session, Session) {
    let desk = Desk::open(dir).unwrap();
    let director = desk.create_first_director("张主任", "2468").unwrap();
    let id = desk
        .save_staff(
            &director,
            StaffInput { id: None, name: "前台小李".into(), role: Role::FrontDesk, phone: String::new(), active: true, pin: Some("1234".into()) },
        )
        .unwrap();
    let clerk = Session { staff_id: id, name: "前台小李".into(), role: Role::FrontDesk };
    let project = desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    let batch = desk
        .save_batch(&director, BatchInput { id: None, project_id: project, name: "一期".into(), delivered_on: None, completion_accepted_on: None })
        .unwrap();
    desk.save_unit(
        &clerk,
        UnitInput {
            id: None,
            project_id: project,
            batch_id: batch,
            address: "3-2-1502".into(),
            area_m2: None,
            owners: vec![OwnerInput { id: None, name: "王芳".into(), phones: vec!["13800135678".into()], note: String::new() }],
        },
    )
    .unwrap();
    for i in 0..reports {
        let defects = ["卫生间", "客厅", "门窗"]
            .iter()
            .map(|part| DefectInput {
                description: format!("第 {i} 次报修：{part}墙角渗水，楼下顶棚有水渍，瓷砖缝发黑，业主要求尽快上门查看"),
                part: (*part).into(),
                category: Category::Leak,
                nature: None,
                classification: None,
                steward_id: None,
                required_by: None,
                expected_visit: String::new(),
                link_to: None,
                previous: None,
                photos: Vec::new(),
            })
            .collect();
        let r = ReportInput {
            channel: Channel::Phone,
            reported_at: None,
            unit: "3-2-1502".into(),
            owner_id: None,
            owner_name: String::new(),
            phone: "13800135678".into(),
            caller_name: String::new(),
            caller_relation: String::new(),
            defects,
        };
        desk.record_report(&clerk, r).unwrap();
    }
    (desk, director, clerk)
}

fn tickets(desk: &Desk) -> i64 {
    let c = desk_store::raw::open_read_only(&desk.data_dir().join(DB)).unwrap();
    c.query_row("SELECT count(*) FROM ticket", [], |r| r.get(0)).unwrap()
}

/// After a damaged file: the newest good backup comes back, the damaged file is kept aside, and
/// the desk opens with the backup's data and passes its check.
fn restore_from_latest_backup(data: &Path, expect_tickets: i64, damaged_bytes: &[u8]) {
    let b = latest_good_backup(&data.join("backups")).expect("a good backup is offered");
    let aside = replace_damaged_database(data, Path::new(&b.path), chrono::Utc::now()).unwrap();
    assert!(aside.file_name().unwrap().to_string_lossy().contains(".damaged-"), "{}", aside.display());
    assert_eq!(std::fs::read(&aside).unwrap(), damaged_bytes, "the damaged file is kept as it was, never deleted");
    let desk = Desk::open(data).unwrap();
    assert!(desk.check().unwrap().ok);
    assert_eq!(tickets(&desk), expect_tickets);
    drop(desk);
    let o = wdesk(data, &["check"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn junk_in_place_of_the_database_is_refused_and_the_last_good_backup_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (desk, ..) = small_desk(&data, 3);
    desk.backup(BackupReason::Manual, None).unwrap();
    let n = tickets(&desk);
    drop(desk);

    // Another program's file (a spreadsheet saved over it), and a file cut short to 10 bytes.
    for junk in [b"PK\x03\x04 this was a spreadsheet, not a database".repeat(200), b"SQLite for".to_vec()] {
        std::fs::write(data.join(DB), &junk).unwrap();
        let e = Desk::open(&data).err().expect("junk is refused");
        assert_eq!(e.kind, ErrorKind::Storage);
        assert!(e.message.contains("不是本系统的数据库") && e.message.contains("请从备份恢复"), "{}", e.message);
        assert!(e.message.contains(&data.join(DB).display().to_string()), "the message names the file: {}", e.message);
        assert_eq!(std::fs::read(data.join(DB)).unwrap(), junk, "the junk file is left untouched");
        let o = wdesk(&data, &["check"]);
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("请从备份恢复"), "{err}");
    }
    let junk = std::fs::read(data.join(DB)).unwrap();
    restore_from_latest_backup(&data, n, &junk);
}

/// Overwrites `pages` pages in the middle of the file with garbage, leaving the header intact.
fn scribble_in_the_middle(file: &Path, pages: u64) -> Vec<u8> {
    let len = std::fs::metadata(file).unwrap().len();
    let page = 4096;
    assert!(len > page * (pages + 4), "the file is big enough to damage in the middle ({len} bytes)");
    let mut f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
    let start = (len / page / 2) * page;
    f.seek(SeekFrom::Start(start)).unwrap();
    let mut x: u32 = 0x9E37_79B9;
    let garbage: Vec<u8> = (0..page * pages)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    f.write_all(&garbage).unwrap();
    f.sync_all().unwrap();
    drop(f);
    std::fs::read(file).unwrap()
}

#[test]
fn a_database_damaged_in_the_middle_is_reported_and_replaced_by_the_last_good_backup() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (desk, ..) = small_desk(&data, 60);
    desk.backup(BackupReason::Manual, None).unwrap();
    let n = tickets(&desk);
    drop(desk);
    assert!(!data.join(format!("{DB}-wal")).exists(), "closed cleanly: everything is in the main file");
    let damaged = scribble_in_the_middle(&data.join(DB), 8);

    // The header is intact, so SQLite may open the file; then the check must find the damage.
    // Either way the user is told, in Chinese, and pointed at the backup.
    match Desk::open(&data) {
        Err(e) => {
            eprintln!("打开时即拒绝：{}", e.message);
            assert!(e.message.contains("请从备份恢复"), "{}", e.message);
        }
        Ok(desk) => match desk.check() {
            Ok(r) => {
                eprintln!("检查发现：{:?}", r.problems);
                assert!(!r.ok, "the damage is found");
                assert!(r.problems.iter().any(|p| p.contains("数据库完整性")), "{:?}", r.problems);
            }
            Err(e) => {
                eprintln!("检查时报错：{}", e.message);
                assert!(e.message.contains("已损坏") && e.message.contains("请从备份恢复"), "{}", e.message);
            }
        },
    }
    let o = wdesk(&data, &["check"]);
    assert_eq!(o.status.code(), Some(1), "wdesk check fails on a damaged file: {}", String::from_utf8_lossy(&o.stdout));
    let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(said.contains("问题") || said.contains("损坏"), "{said}");
    // What `wdesk check` read it did not repair or rewrite.
    let damaged_now = std::fs::read(data.join(DB)).unwrap();
    assert_eq!(damaged_now.len(), damaged.len());
    restore_from_latest_backup(&data, n, &damaged_now);
}

#[test]
fn a_damaged_table_is_found_by_the_check_and_wdesk_check_fails() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (desk, ..) = small_desk(&data, 60);
    desk.backup(BackupReason::Manual, None).unwrap();
    let n = tickets(&desk);
    drop(desk);
    // The audit log's first page, damaged: the schema is intact, so the desk opens.
    let root: i64 = {
        let c = desk_store::raw::open_read_only(&data.join(DB)).unwrap();
        c.query_row("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'", [], |r| r.get(0)).unwrap()
    };
    {
        let mut f = std::fs::OpenOptions::new().write(true).open(data.join(DB)).unwrap();
        f.seek(SeekFrom::Start((root as u64 - 1) * 4096)).unwrap();
        f.write_all(&[0xA5; 4096]).unwrap();
        f.sync_all().unwrap();
    }
    let damaged = std::fs::read(data.join(DB)).unwrap();
    let desk = Desk::open(&data).unwrap();
    let r = desk.check().unwrap();
    assert!(!r.ok);
    assert!(r.problems.iter().any(|p| p.starts_with("数据库完整性")), "{:?}", r.problems);
    drop(desk);
    let o = wdesk(&data, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("问题：数据库完整性"), "{out}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("发现"), "{}", String::from_utf8_lossy(&o.stderr));
    // Reading the damaged table gives the clerk words, not SQLite's.
    let desk = Desk::open(&data).unwrap();
    let boss = desk.session_for(Some("张主任")).unwrap();
    let e = desk.audit_log(&boss, &Default::default()).expect_err("the damaged audit log cannot be read");
    assert_eq!(e.kind, ErrorKind::Storage);
    assert!(e.message.contains("已损坏") && e.message.contains("请从备份恢复"), "{}", e.message);
    drop(desk);
    restore_from_latest_backup(&data, n, &damaged);
}

fn entries_and_imports(data: &Path) -> (i64, i64, i64) {
    let c = desk_store::raw::open_read_only(&data.join(DB)).unwrap();
    let q = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (q("SELECT count(*) FROM ledger_entry"), q("SELECT count(*) FROM import_file"), q("SELECT count(*) FROM audit_log"))
}

#[test]
fn a_full_disk_during_an_import_writes_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (desk, director, _) = small_desk(&data, 1);
    let file = dir.path().join("项目部保修金明细账.xlsx");
    let today = desk_domain::time::local_date(desk.now());
    desk_service::stress::write_import_workbook(&file, 1, 1, today).unwrap();
    let before = entries_and_imports(&data);

    // No room beyond what the file holds now.
    desk.set_max_pages(1).unwrap();
    let e = desk.import_ledger(&director, &file, false).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Storage, "{e:?}");
    assert!(e.message.contains("磁盘空间不足") && e.message.contains("没有写入任何数据"), "{}", e.message);
    assert_eq!(entries_and_imports(&data), before, "no entry, no import record, no audit line");
    assert!(desk.check().unwrap().ok);

    // Space again: the same file imports in full (it was not recorded as imported).
    desk.set_max_pages(u32::MAX).unwrap();
    let done = desk.import_ledger(&director, &file, false).unwrap();
    assert_eq!(done.movements as usize, desk_service::stress::IMPORT_ROWS);
    let after = entries_and_imports(&data);
    assert_eq!((after.0, after.1), (before.0 + desk_service::stress::IMPORT_ROWS as i64, before.1 + 1));
    assert!(desk.check().unwrap().ok);
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(at).output().is_ok_and(|o| o.status.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }

    fn remount_read_only(&self) -> bool {
        Command::new("mount").args(["-o", "remount,ro"]).arg(&self.0).output().is_ok_and(|o| o.status.success())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).output();
    }
}

/// A real full disk: the data folder on a 2 MB tmpfs, filled up but for a little room.
#[test]
fn a_really_full_disk_during_an_import_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&dir.path().join("small-disk"), "2m") else {
        // Mounting needs root with the mount capability (a container may lack it); the same
        // refusal is proven on every machine by the max_page_count test above.
        eprintln!("跳过真实磁盘已满的测试：此环境无法挂载 tmpfs；max_page_count 的测试仍然运行");
        return;
    };
    let data = fs.0.join("data");
    let (desk, director, _) = small_desk(&data, 1);
    let file = dir.path().join("项目部保修金明细账.xlsx");
    desk_service::stress::write_import_workbook(&file, 2, 1, desk_domain::time::local_date(desk.now())).unwrap();
    let before = entries_and_imports(&data);
    // Fill the disk, leaving ~64 KB.
    let filler = fs.0.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let chunk = vec![0x5Au8; 16 * 1024];
    while f.write_all(&chunk).and_then(|()| f.sync_all()).is_ok() {}
    drop(f);
    let full = std::fs::metadata(&filler).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&filler).unwrap().set_len(full.saturating_sub(64 * 1024)).unwrap();

    let e = desk.import_ledger(&director, &file, false).unwrap_err();
    eprintln!("tmpfs 已满时导入：{}", e.message);
    assert_eq!(e.kind, ErrorKind::Storage, "{e:?}");
    assert!(e.message.contains("磁盘空间不足"), "{}", e.message);
    drop(desk);
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(entries_and_imports(&data), before, "nothing half-written");
    let desk = Desk::open(&data).unwrap();
    assert!(desk.check().unwrap().ok);
    let done = desk.import_ledger(&director, &file, false).unwrap();
    assert_eq!(done.movements as usize, desk_service::stress::IMPORT_ROWS);
    assert!(desk.check().unwrap().ok);
    drop(desk);
    drop(fs);
}

#[test]
fn a_read_only_data_folder_is_named_at_start() {
    let dir = tempfile::tempdir().unwrap();
    // As root, chmod does not stop writes: a tmpfs remounted read-only does. Otherwise chmod 0555.
    let mounted = if is_root() { Tmpfs::mount(&dir.path().join("ro-disk"), "8m") } else { None };
    let (data, _guard) = if let Some(fs) = mounted {
        let data = fs.0.join("保修数据");
        drop(small_desk(&data, 1));
        assert!(fs.remount_read_only());
        (data, Some(fs))
    } else if is_root() {
        // Root without the mount capability: chmod would not stop root's writes, so only the
        // folder that cannot be created (below) is checked here.
        eprintln!("此环境无法挂载 tmpfs：只读文件夹的测试只检查无法创建的数据文件夹");
        let file = dir.path().join("not-a-folder");
        std::fs::write(&file, b"x").unwrap();
        let e = Desk::open(&file.join("data")).err().unwrap();
        assert!(e.message.contains("无法创建数据文件夹"), "{}", e.message);
        return;
    } else {
        use std::os::unix::fs::PermissionsExt;
        let data = dir.path().join("保修数据");
        drop(small_desk(&data, 1));
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
        (data, None)
    };
    let e = Desk::open(&data).err().expect("a read-only folder is refused at start");
    assert_eq!(e.kind, ErrorKind::Storage);
    assert!(e.message.contains(&format!("数据文件夹「{}」不可写入", data.display())), "{}", e.message);
    assert!(e.message.contains("--data"), "says what to do: {}", e.message);
    let o = wdesk(&data, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("不可写入"), "{}", String::from_utf8_lossy(&o.stderr));

    // A data folder that cannot even be created (its parent is a file) is named too.
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let e = Desk::open(&file.join("data")).err().unwrap();
    assert!(e.message.contains("无法创建数据文件夹") && e.message.contains("a-file"), "{}", e.message);
    if _guard.is_none() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
