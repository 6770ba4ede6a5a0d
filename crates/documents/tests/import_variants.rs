//! Import of workbooks shaped like the ones project departments really send (LEDGER-EXCEL.md):
//! merged title, subtitle, header synonyms with full-width brackets and line breaks, columns out
//! of order, extra columns, dates and amounts in every spelling, blank rows, a 合计 row, notes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use chrono::NaiveDate;
use common::*;
use desk_documents::excel_in::{parse_date, parse_fen, parse_text, read_table, CellValue, ImportError, Limits};
use desk_domain::money::Fen;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

/// Builds the realistic ledger: returns nothing, writes to `path`.
fn build_ledger(path: &std::path::Path) {
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("2026Q3").expect("name");
    ws.merge_range(0, 0, 0, 5, "XX项目保修金明细账", &Format::new()).expect("merge");
    ws.write(1, 0, "编制日期：2026年10月").expect("w");
    // Row 4 (index 3): header, out of order, with an extra 序号 and 摘要 column.
    let headers = ["金　额\n（元）", "序号", "单位\n名称", "发生日期", "凭证编号", "摘要"];
    for (c, h) in headers.iter().enumerate() {
        ws.write(3, c as u16, *h).expect("header");
    }
    // (amount, date) variants; date column is D (index 3).
    let mut r = 4;
    ws.write(r, 0, 1234.56).expect("w");
    ws.write(r, 3, 45356).expect("w"); // bare serial number = 2024-03-05
    ws.write(r, 2, "中建三局").expect("w");
    ws.write(r, 4, "记-001").expect("w");
    r += 1;
    ws.write(r, 0, "¥1,234.5").expect("w");
    let dt = ExcelDateTime::from_ymd(2024, 3, 6).expect("date");
    ws.write_datetime_with_format(r, 3, &dt, &date_fmt).expect("w");
    ws.write(r, 2, " 华润建筑 ").expect("w");
    r += 2; // one blank row
    ws.write(r, 0, "１２３４．５６元").expect("w");
    ws.write(r, 3, "2024年3月7日").expect("w");
    ws.write(r, 2, "中建三局").expect("w");
    ws.write(r, 5, "计提").expect("w");
    r += 1;
    ws.write(r, 0, "(100)").expect("w");
    ws.write(r, 3, "2024/3/8").expect("w");
    ws.write(r, 2, "B").expect("w");
    r += 1;
    ws.write(r, 0, "-200").expect("w");
    ws.write(r, 3, "2024.3.9").expect("w");
    ws.write(r, 2, "C").expect("w");
    r += 1;
    ws.write(r, 0, 300).expect("w");
    ws.write(r, 3, "20240310").expect("w");
    ws.write(r, 2, "D").expect("w");
    r += 1;
    ws.write(r, 0, "1,000元").expect("w");
    ws.write(r, 3, "2026-13-45").expect("w"); // bad date, reported by the caller
    ws.write(r, 2, "E").expect("w");
    r += 1;
    ws.write(r, 1, "合  计").expect("w");
    ws.write_formula(r, 0, Formula::new("=SUM(A5:A12)").set_result("4703.62")).expect("w");
    r += 2;
    ws.write(r, 0, "注：本表由项目部编制").expect("w");
    // A second sheet without the table, and one with only some headers: both ignored.
    let other = wb.add_worksheet();
    other.write(0, 0, "说明").expect("w");
    let partial = wb.add_worksheet();
    partial.write(0, 0, "日期").expect("w");
    partial.write(0, 1, "金额").expect("w");
    wb.save(path).expect("save");
}

#[test]
fn realistic_ledger_is_read_by_header_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("明细账.xlsx");
    build_ledger(&path);
    let tables = read_table(&path, &LEDGER, &Limits::default()).expect("read");
    assert_eq!(tables.len(), 1);
    let t = &tables[0];
    assert_eq!(t.sheet, "2026Q3");
    assert_eq!(t.header_row, 4);
    assert_eq!(t.title, vec!["XX项目保修金明细账", "编制日期：2026年10月"]);
    assert_eq!(t.columns, vec![Some("D".into()), Some("E".into()), Some("C".into()), Some("A".into()), None]);
    assert_eq!(t.rows.len(), 7, "blank row skipped, total and notes not data");
    assert_eq!(t.rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![5, 6, 8, 9, 10, 11, 12]);

    let amounts: Vec<Fen> = t.rows.iter().map(|r| parse_fen(r.cell(AMOUNT)).expect("amount")).collect();
    assert_eq!(amounts, vec![Fen(123_456), Fen(123_450), Fen(123_456), Fen(-10_000), Fen(-20_000), Fen(30_000), Fen(100_000)]);
    let dates: Vec<Result<NaiveDate, String>> = t.rows.iter().map(|r| parse_date(r.cell(DATE))).collect();
    assert_eq!(dates[0], Ok(ymd(2024, 3, 5)));
    assert_eq!(dates[1], Ok(ymd(2024, 3, 6)));
    assert!(matches!(t.rows[1].cell(DATE), CellValue::DateTime(_)), "formatted date cell");
    assert_eq!(dates[2], Ok(ymd(2024, 3, 7)));
    assert_eq!(dates[3], Ok(ymd(2024, 3, 8)));
    assert_eq!(dates[4], Ok(ymd(2024, 3, 9)));
    assert_eq!(dates[5], Ok(ymd(2024, 3, 10)));
    let bad = dates[6].clone().expect_err("2026-13-45 refused");
    let err = t.cell_error(t.rows[6].row, DATE, bad);
    assert_eq!(err.to_string(), "工作表「2026Q3」第 12 行 D 列（日期）：无法识别的日期「2026-13-45」");

    assert_eq!(parse_text(t.rows[1].cell(BUILDER)), Ok("华润建筑".into()));
    assert_eq!(parse_text(t.rows[0].cell(VOUCHER)), Ok("记-001".into()));
    assert!(t.rows[1].cell(VOUCHER).is_empty());
    assert!(t.rows[0].cell(NOTE).is_empty(), "missing optional column reads as empty");

    assert_eq!(t.total_rows.len(), 1);
    assert_eq!(t.total_rows[0].row, 13);
    assert_eq!(parse_fen(t.total_rows[0].cell(AMOUNT)), Ok(Fen(470_362)));
    let sum = Fen::checked_sum(amounts).expect("no overflow");
    assert_eq!(sum, Fen(470_362), "合计 checks against the rows");
    assert_eq!(t.notes, vec!["注：本表由项目部编制"]);
}

#[test]
fn no_matching_header_lists_required_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("other.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "姓名").expect("w");
    ws.write(0, 1, "电话").expect("w");
    wb.save(&path).expect("save");
    let err = read_table(&path, &LEDGER, &Limits::default()).expect_err("no table");
    assert!(matches!(err, ImportError::NoTable { .. }));
    assert_eq!(err.to_string(), "没有找到「保修金明细」的表头：表头一行须包含 日期、施工单位、金额");
}

#[test]
fn tables_on_several_sheets_and_repeated_header_and_subtotals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("two.xlsx");
    let mut wb = Workbook::new();
    for name in ["一季度", "二季度", "旧版（隐藏）"] {
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("name");
        if name.contains("隐藏") {
            ws.set_hidden(true); // a stale hidden copy must not be imported twice
        }
        let rows: [[&str; 3]; 6] = [
            ["日期", "施工单位", "金额(元)"],
            ["2024-01-02", "甲", "10"],
            ["小计", "", "10"],
            ["日期", "施工单位", "金额(元)"], // repeated header (printed page)
            ["2024-01-03", "乙", "20"],
            ["总计", "", "30"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write(r as u32, c as u16, *v).expect("w");
                }
            }
        }
    }
    wb.save(&path).expect("save");
    let tables = read_table(&path, &LEDGER, &Limits::default()).expect("read");
    assert_eq!(tables.iter().map(|t| t.sheet.as_str()).collect::<Vec<_>>(), vec!["一季度", "二季度"]);
    for t in &tables {
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.total_rows.len(), 2, "小计 and 总计 both set apart");
        assert_eq!(t.rows[1].row, 5);
    }
}

#[test]
fn xls_fixture_is_read() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger.xls");
    let tables = read_table(&path, &LEDGER, &Limits::default()).expect("read .xls");
    assert_eq!(tables.len(), 1);
    let t = &tables[0];
    assert_eq!(t.sheet, "明细账");
    assert_eq!(t.header_row, 3);
    assert_eq!(t.title, vec!["XX项目保修金明细账", "单位：元"]);
    assert_eq!(t.rows.len(), 3);
    let dates: Vec<_> = t.rows.iter().map(|r| parse_date(r.cell(DATE))).collect();
    assert_eq!(dates, vec![Ok(ymd(2024, 3, 5)), Ok(ymd(2024, 3, 6)), Ok(ymd(2024, 3, 7))]);
    let amounts: Vec<_> = t.rows.iter().map(|r| parse_fen(r.cell(AMOUNT))).collect();
    assert_eq!(amounts, vec![Ok(Fen(123_456)), Ok(Fen(-20_050)), Ok(Fen(10_000))]);
    assert_eq!(parse_text(t.rows[1].cell(VOUCHER)), Ok("2".into()));
    assert_eq!(t.total_rows.len(), 1);
    assert_eq!(t.notes, vec!["注：以上金额含税"]);
}
