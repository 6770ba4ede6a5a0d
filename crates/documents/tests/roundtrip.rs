//! Export then re-import: what the desk writes must read back with the same types and values
//! (dates as dates, money as the same fen, the SUM total as the sum).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use chrono::NaiveDate;
use desk_documents::excel_in::{parse_date, parse_fen, parse_int, parse_text, read_table, CellValue, ColumnSpec, Limits, TableSpec};
use desk_documents::excel_out::{write_table, ColumnKind, OutCell, OutColumn, SheetTable, CONSTANT_MEMORY_ROWS};
use desk_domain::money::Fen;

const SPEC: TableSpec = TableSpec {
    name: "导出表",
    columns: &[
        ColumnSpec { key: "date", label: "日期", synonyms: &[], required: true },
        ColumnSpec { key: "builder", label: "施工单位", synonyms: &[], required: true },
        ColumnSpec { key: "amount", label: "金额", synonyms: &[], required: true },
        ColumnSpec { key: "n", label: "序号", synonyms: &[], required: false },
        ColumnSpec { key: "at", label: "时间", synonyms: &[], required: false },
    ],
    meaning: None,
    any_of: &[],
    values: None,
};

fn table(rows: usize) -> SheetTable {
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    SheetTable {
        title: "XX项目保修金明细账（2026年第3季度）".into(),
        sheet_name: "明细".into(),
        columns: vec![
            OutColumn::new("日期", ColumnKind::Date),
            OutColumn::new("施工单位", ColumnKind::Text),
            OutColumn::new("金额(元)", ColumnKind::Money),
            OutColumn::new("序号", ColumnKind::Int),
            OutColumn::new("时间", ColumnKind::DateTime),
        ],
        rows: (0..rows)
            .map(|i| {
                let d = base + chrono::Days::new(i as u64 % 700);
                vec![
                    OutCell::Date(d),
                    OutCell::Text(format!("中建三局第{i}项目部")),
                    OutCell::Money(Fen(if i % 3 == 0 { -29 } else { 123_456 + i as i64 })),
                    OutCell::Int(i as i64 + 1),
                    if i == 1 { OutCell::Empty } else { OutCell::DateTime(d.and_hms_opt(9, 30, 0).expect("t")) },
                ]
            })
            .collect(),
        total_row: true,
    }
}

fn round_trip(rows: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.xlsx");
    let t = table(rows);
    write_table(&path, &t).expect("export");
    let back = read_table(&path, &SPEC, &Limits::default()).expect("re-import");
    assert_eq!(back.len(), 1);
    let b = &back[0];
    assert_eq!(b.sheet, "明细");
    assert_eq!(b.header_row, 2);
    assert_eq!(b.title, vec![t.title.clone()]);
    assert_eq!(b.rows.len(), rows);
    let mut sum = Fen::ZERO;
    for (orig, got) in t.rows.iter().zip(&b.rows) {
        let OutCell::Date(d) = orig[0] else { panic!("test data") };
        assert!(matches!(got.cells[0], CellValue::DateTime(_)), "date stored as a date");
        assert_eq!(parse_date(&got.cells[0]), Ok(d));
        let OutCell::Text(s) = &orig[1] else { panic!("test data") };
        assert_eq!(parse_text(&got.cells[1]).as_ref(), Ok(s));
        let OutCell::Money(m) = orig[2] else { panic!("test data") };
        assert!(matches!(got.cells[2], CellValue::Number(_)), "money stored as a number");
        assert_eq!(parse_fen(&got.cells[2]), Ok(m));
        sum = sum.checked_add(m).expect("sum");
        let OutCell::Int(n) = orig[3] else { panic!("test data") };
        assert_eq!(parse_int(&got.cells[3]), Ok(n));
        match &orig[4] {
            OutCell::DateTime(dt) => assert_eq!(got.cells[4], CellValue::DateTime(*dt)),
            _ => assert!(got.cells[4].is_empty()),
        }
    }
    assert_eq!(b.total_rows.len(), 1, "合计 row");
    assert_eq!(parse_fen(&b.total_rows[0].cells[2]), Ok(sum), "SUM cached result = fen sum");
}

#[test]
fn small_table_round_trips() {
    round_trip(5);
}

#[test]
fn constant_memory_table_round_trips() {
    round_trip(CONSTANT_MEMORY_ROWS + 10);
}

#[test]
fn empty_table_and_one_column_table_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = table(0);
    write_table(&dir.path().join("empty.xlsx"), &t).expect("empty export");
    t.columns.truncate(1);
    t.rows = vec![vec![OutCell::Date(NaiveDate::from_ymd_opt(2024, 5, 6).expect("d"))]];
    write_table(&dir.path().join("one.xlsx"), &t).expect("one-column export");
    let bad = SheetTable { rows: vec![vec![OutCell::Date(NaiveDate::from_ymd_opt(1800, 1, 1).expect("d"))]], ..t };
    let e = write_table(&dir.path().join("bad.xlsx"), &bad).expect_err("pre-1900 date");
    assert!(e.to_string().starts_with("第 1 行「日期」"), "{e}");
}

/// An export prints as finance wants it: A4 landscape, one page wide, the title and header rows
/// on every page, the title and "第 n 页，共 N 页" in the footer — in both writer modes.
#[test]
fn exports_print_landscape_one_page_wide_with_repeated_headers() {
    for rows in [20, CONSTANT_MEMORY_ROWS + 1] {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("print.xlsx");
        let mut t = table(rows);
        t.title = "翠湖澜庭 & 保修金明细账（2026年第3季度）".into();
        write_table(&path, &t).expect("export");
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).expect("open")).expect("zip");
        let mut read = |name: &str| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut s).expect("read");
            s
        };
        let sheet = read("xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{rows}: fit to page");
        assert!(sheet.contains(r#"paperSize="9""#) && sheet.contains(r#"orientation="landscape""#), "{rows}: A4 landscape");
        assert!(sheet.contains(r#"fitToHeight="0""#), "{rows}: one page wide, as many pages tall as needed");
        assert!(
            sheet.contains("<oddFooter>&amp;L翠湖澜庭 &amp;&amp; 保修金明细账（2026年第3季度）&amp;R第 &amp;P 页，共 &amp;N 页</oddFooter>"),
            "{rows}: footer"
        );
        let workbook = read("xl/workbook.xml");
        assert!(workbook.contains("_xlnm.Print_Titles") && workbook.contains("$1:$2"), "{rows}: title and header repeated");
    }
}
