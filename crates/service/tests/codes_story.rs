//! Typed codes and typed settings (issue 11 §4): a stored code no enum knows is an error naming
//! table, row and value — never a default — and `wdesk check` lists it; the database refuses
//! such a code on write, in Chinese; a damaged setting is used as its default and reported on
//! its page (`damaged_settings`) and by `check`.
//!
//! The file is changed from outside (`desk_store::raw`), as another program or a damaged disk
//! would; migration 0010's triggers are dropped where a test plays a file from before it.
//!
//! Run: `cargo test -p desk-service --test codes_story`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use desk_domain::staff::Role;
use desk_service::master::StaffInput;
use desk_service::ErrorKind;

const DB: &str = desk_service::desk::DB_FILE;

#[test]
fn an_unknown_role_is_an_error_naming_the_row_and_check_lists_it() {
    let (desk, me, _dir) = common::ledger_desk();
    let id = desk
        .save_staff(&me, StaffInput { id: None, name: "管家小赵".into(), role: Role::Steward, phone: String::new(), active: true, pin: Some("1357".into()) })
        .unwrap();
    let raw = desk_store::raw::open(&desk.data_dir().join(DB)).unwrap();
    raw.execute_batch("DROP TRIGGER code_staff_role_update").unwrap();
    raw.execute("UPDATE staff SET role = 'Janitor' WHERE id = ?1", [id]).unwrap();

    // Before: read as 保修主任 (the worst default of all); now the list says what is wrong.
    let e = desk.staff().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Storage);
    assert_eq!(e.message, format!("数据表 staff 第 {id} 行 role 的值「Janitor」不是已知代码"));

    let report = desk.check().unwrap();
    assert!(!report.ok);
    assert!(report.problems.iter().any(|p| p == &e.message), "{:?}", report.problems);
}

#[test]
fn the_database_refuses_an_unknown_code_in_chinese() {
    let (desk, _me, _dir) = common::ledger_desk();
    let raw = desk_store::raw::open(&desk.data_dir().join(DB)).unwrap();
    let e = raw.execute("UPDATE staff SET role = 'Janitor'", []).unwrap_err();
    assert_eq!(e.to_string(), "数据表 staff 的 role 只能取已知代码，本次操作未保存");
    assert!(desk.check().unwrap().ok);
}

#[test]
fn a_damaged_setting_is_used_as_its_default_and_reported_where_it_is_edited() {
    let (desk, _me, _dir) = common::ledger_desk();
    assert!(desk.damaged_settings().unwrap().is_empty());
    let raw = desk_store::raw::open(&desk.data_dir().join(DB)).unwrap();
    raw.execute("INSERT INTO setting(key, value) VALUES ('clock.calendar', '{\"open\": ')", []).unwrap();
    raw.execute("INSERT INTO setting(key, value) VALUES ('backup.interval_hours', 'vier')", []).unwrap();

    // The use cases go on with the defaults …
    assert_eq!(desk.work_calendar().unwrap(), desk_domain::clock::calendar::WorkCalendar::default());
    assert_eq!(desk.backup_settings().unwrap().interval_hours, desk_service::backup::DEFAULT_INTERVAL_HOURS);
    // … and say so, on the page where each is edited and in check.
    let damaged = desk.damaged_settings().unwrap();
    let names: Vec<(&str, &str)> = damaged.iter().map(|d| (d.name.as_str(), d.page.as_str())).collect();
    assert_eq!(names, vec![("自动备份间隔", "基础资料 → 数据备份"), ("工作日历", "基础资料 → 时限、日历与保修期")]);
    assert!(damaged[0].message.contains("已损坏") && damaged[0].message.contains("每 4 小时"), "{}", damaged[0].message);
    let report = desk.check().unwrap();
    for d in &damaged {
        assert!(report.problems.contains(&d.message), "{:?}", report.problems);
    }
}

#[test]
fn a_duplicate_is_a_conflict_in_chinese_not_sqlite_english() {
    let (desk, me, _dir) = common::ledger_desk();
    let project = desk.projects().unwrap()[0].id;
    let batch = desk_service::master::BatchInput { id: None, project_id: project, name: "一期".into(), delivered_on: None, completion_accepted_on: None };
    desk.save_batch(&me, batch.clone()).unwrap();
    let e = desk.save_batch(&me, batch).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    assert!(e.message.contains("已存在") && !e.message.contains("constraint"), "{}", e.message);
}
