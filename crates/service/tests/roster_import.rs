//! Owner roster import: a real .xlsx with a merged title, synonyms for headers, text and serial
//! dates; every bad cell named; nothing written unless the whole file is good.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use desk_service::master::ProjectInput;
use desk_service::Desk;
use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};

fn roster(dir: &Path, name: &str, rows: &[[&str; 7]]) -> PathBuf {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("花名册").unwrap();
    ws.merge_range(0, 0, 0, 6, "翠湖澜庭业主花名册（2026年3月）", &Format::new().set_bold()).unwrap();
    // Headers in another order than the desk's, with synonyms and a line break.
    for (c, h) in ["期数", "楼号", "单元", "房间号", "业主", "手机\n号码", "交房日期"].iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(3 + r as u32, c as u16, *v).unwrap();
        }
    }
    ws.write_number(3, 7, 1.0).unwrap(); // an extra unnamed column nobody asked for
    let path = dir.join(name);
    wb.save(&path).unwrap();
    path
}

fn desk() -> (Desk, desk_service::Session, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let me = desk.create_first_director("张主任", "2468").unwrap();
    desk.save_project(&me, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    (desk, me, dir)
}

#[test]
fn a_good_roster_previews_then_imports_in_one_go_and_a_reimport_changes_nothing() {
    let (desk, me, dir) = desk();
    let path = roster(
        dir.path(),
        "good.xlsx",
        &[
            ["一期", "3", "2", "1502", "王芳", "13800135678、010-62345678", "2025年12月20日"],
            ["一期", "3", "2", "1502", "李强", "139 0013 9000", "2025/12/20"],
            ["二期", "5", "1", "301", "赵敏", "", "2026-06-28"],
        ],
    );
    let p = desk.preview_roster(&path).unwrap();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!((p.sheet.as_str(), p.header_row, p.rows), ("花名册", 3, 3));
    assert_eq!(p.new_batches, vec!["一期", "二期"]);
    assert_eq!((p.new_units, p.new_owners, p.written), (2, 3, false));
    assert!(desk.lookup_caller("3-2-1502").unwrap().units.is_empty(), "a preview writes nothing");

    let done = desk.commit_roster(&me, &path).unwrap();
    assert!(done.written);
    let unit = desk.lookup_caller("5678").unwrap().units.remove(0);
    assert_eq!(unit.address, "3-2-1502");
    assert_eq!(unit.batch_name, "一期");
    assert_eq!(unit.delivered_on.map(|d| d.to_string()).as_deref(), Some("2025-12-20"));
    let names: Vec<&str> = unit.owners.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, vec!["王芳", "李强"]);
    assert_eq!(unit.owners[0].phones, vec!["13800135678", "010-62345678"]);

    let again = desk.preview_roster(&path).unwrap();
    assert!(again.already_imported_at.is_some());
    assert_eq!((again.new_units, again.new_owners, again.updated_owners), (0, 0, 0));
}

#[test]
fn every_bad_cell_is_named_and_nothing_is_written() {
    let (desk, me, dir) = desk();
    let path = roster(
        dir.path(),
        "bad.xlsx",
        &[
            ["一期", "3", "2", "1502", "王芳", "13800135678", "2026-13-45"],
            ["一期", "3", "2", "1503", "李强", "12345", "2025-12-20"],
            ["一期", "3", "2", "1504", "", "13800135679", "2025-12-20"],
        ],
    );
    let p = desk.preview_roster(&path).unwrap();
    let where_: Vec<(u32, &str)> = p.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(where_, vec![(4, "G"), (5, "F"), (6, "E")], "{:?}", p.errors);
    assert!(p.errors.iter().all(|e| e.sheet == "花名册" && !e.message.is_empty()));
    let e = desk.commit_roster(&me, &path).unwrap_err();
    assert!(e.message.contains("未导入任何数据"), "{}", e.message);
    assert!(desk.lookup_caller("3-2-1503").unwrap().units.is_empty());
    let project = desk.active_project().unwrap().id;
    assert!(desk.batches(project).unwrap().is_empty(), "not even the batch was created");
}

#[test]
fn a_file_that_is_not_a_workbook_gets_a_clear_message() {
    let (desk, _me, dir) = desk();
    let path = dir.path().join("roster.xlsx");
    std::fs::write(&path, "姓名,电话\n王芳,13800135678\n").unwrap();
    let e = desk.preview_roster(&path).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("path"));
    assert!(!e.message.is_empty());
}

/// 字段对应 for the roster: headers in other words are recognised by their meaning and the page
/// is asked to show the mapping; a file with no header says what was looked for and shows its
/// first rows; mapped by the user (表头=0 and each column), it imports, and the mapping given is
/// remembered for the next file with the same header.
#[test]
fn the_roster_takes_a_column_mapping_and_remembers_it() {
    let (desk, me, dir) = desk();
    let words = dir.path().join("花名册-别的写法.csv");
    std::fs::write(&words, "所属分期,楼栋,单元,户号,产权人,移动电话\r\n一期,3,2,1502,王业主,13812345678\r\n").unwrap();
    let p = desk.preview_roster(&words).unwrap();
    assert!(p.errors.is_empty() && p.needs_mapping && p.rows == 1, "{:#?}", p.errors);
    let room = p.columns.iter().find(|c| c.column == "D").unwrap();
    assert_eq!((room.field.as_str(), room.samples[0].as_str()), ("room", "1502"));
    // The user leaves the phone column out; the next file with this header reads alike.
    assert!(desk.commit_roster_mapped(&me, &words, Some("F=-")).unwrap().written);
    let next = dir.path().join("花名册-别的写法2.csv");
    std::fs::write(&next, "所属分期,楼栋,单元,户号,产权人,移动电话\r\n一期,3,2,1503,周业主,13812345679\r\n").unwrap();
    let p = desk.preview_roster(&next).unwrap();
    assert!(p.mapping_remembered && p.mapping == "F=-", "{}", p.mapping);
    assert!(p.sample[0].phones.is_empty(), "the phone column is left out as confirmed");

    let bare = dir.path().join("花名册-无表头.csv");
    std::fs::write(&bare, "一期,5,1,0801,李业主\r\n一期,5,1,0802,赵业主\r\n").unwrap();
    let p = desk.preview_roster(&bare).unwrap();
    let n = p.no_header.as_ref().unwrap();
    assert!(n.looked_for.contains("「批次」「房号」「业主姓名」") && n.rows.len() == 2, "{}", n.looked_for);
    assert!(desk.commit_roster(&me, &bare).unwrap_err().message.contains("未导入任何数据"));
    let map = "表头=0,A=batch,B=building,C=entrance,D=room,E=owner";
    let p = desk.preview_roster_mapped(&bare, Some(map)).unwrap();
    assert!(p.errors.is_empty() && p.no_header.is_none(), "{:#?}", p.errors);
    assert_eq!((p.rows, p.new_owners, p.mapping.as_str()), (2, 2, map));
    assert!(desk.commit_roster_mapped(&me, &bare, Some(map)).unwrap().written);
}
