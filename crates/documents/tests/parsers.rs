//! The pure cell parsers, case by case (named like rstest cases: one fn per behaviour).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

use chrono::NaiveDate;
use desk_documents::excel_in::parse::excel_serial_to_date;
use desk_documents::excel_in::{column_letter, parse_date, parse_fen, parse_int, parse_phone_list, parse_text, CellError, CellValue};
use desk_domain::money::Fen;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}
fn t(s: &str) -> CellValue {
    CellValue::Text(s.into())
}

#[test]
fn date_serials_follow_excel_1900_system() {
    assert_eq!(excel_serial_to_date(1), Some(ymd(1900, 1, 1)));
    assert_eq!(excel_serial_to_date(59), Some(ymd(1900, 2, 28)));
    assert_eq!(excel_serial_to_date(60), None, "Excel's phantom 1900-02-29");
    assert_eq!(excel_serial_to_date(61), Some(ymd(1900, 3, 1)));
    assert_eq!(excel_serial_to_date(45356), Some(ymd(2024, 3, 5)));
    assert_eq!(excel_serial_to_date(2_958_465), Some(ymd(9999, 12, 31)));
    assert_eq!(excel_serial_to_date(2_958_466), None);
    assert_eq!(parse_date(&CellValue::Number(45356.75)), Ok(ymd(2024, 3, 5)), "time part dropped");
    assert_eq!(parse_date(&CellValue::Int(45356)), Ok(ymd(2024, 3, 5)));
    assert_eq!(parse_date(&CellValue::Int(20240305)), Ok(ymd(2024, 3, 5)));
}

#[test]
fn date_numbers_that_are_not_dates_are_refused() {
    assert!(parse_date(&CellValue::Number(2024.0)).expect_err("year").contains("不像日期"));
    assert!(parse_date(&CellValue::Number(-1.0)).is_err());
    assert!(parse_date(&CellValue::Number(f64::NAN)).is_err());
    assert!(parse_date(&CellValue::Int(20241345)).is_err());
}

#[test]
fn date_text_spellings() {
    for s in [
        "2024-03-05",
        "2024/3/5",
        "2024.3.5",
        "2024年3月5日",
        "2024年03月05号",
        "20240305",
        " 2024-03-05 ",
        "2024-03-05 10:30:00",
        "2024-03-05T10:30",
        "２０２４－０３－０５",
        "2024/03/05_x000D_",
    ] {
        assert_eq!(parse_date(&t(s)), Ok(ymd(2024, 3, 5)), "{s:?}");
    }
}

#[test]
fn date_text_refusals() {
    assert_eq!(parse_date(&t("2026-13-45")), Err("无法识别的日期「2026-13-45」".into()));
    for s in ["2023-02-29", "5/3/2024", "24-3-5", "2024-3", "三月五日", "abc", "2024-3-5-1"] {
        assert!(parse_date(&t(s)).is_err(), "{s:?} accepted");
    }
    assert_eq!(parse_date(&CellValue::Empty), Err("不能为空".into()));
    assert!(parse_date(&CellValue::Error("#N/A".into())).is_err());
}

#[test]
fn date_cell_from_calamine() {
    let dt = ymd(2024, 3, 5).and_hms_opt(8, 0, 0).expect("time");
    assert_eq!(parse_date(&CellValue::DateTime(dt)), Ok(ymd(2024, 3, 5)));
}

#[test]
fn fen_from_cells() {
    assert_eq!(parse_fen(&CellValue::Number(0.29)), Ok(Fen(29)));
    assert_eq!(parse_fen(&CellValue::Int(12)), Ok(Fen(1200)));
    assert_eq!(parse_fen(&t("¥1,234.56")), Ok(Fen(123_456)));
    assert_eq!(parse_fen(&t("（１００）")), Ok(Fen(-10_000)));
    assert_eq!(parse_fen(&t("12.345")), Err("金额最多两位小数「12.345」".into()));
    assert_eq!(parse_fen(&t("十二元")), Err("金额请用阿拉伯数字填写「十二元」".into()));
    assert_eq!(parse_fen(&t("abc")), Err("无法识别的金额「abc」".into()));
    assert_eq!(parse_fen(&CellValue::Empty), Err("不能为空".into()));
    assert!(parse_fen(&CellValue::Number(f64::INFINITY)).is_err());
    assert!(parse_fen(&CellValue::Int(i64::MAX)).is_err());
}

#[test]
fn text_cleanup() {
    assert_eq!(parse_text(&t("  中建三局_x000D_\r\n")), Ok("中建三局".into()));
    assert_eq!(parse_text(&CellValue::Number(12345.0)), Ok("12345".into()));
    assert_eq!(parse_text(&CellValue::Number(1.5)), Ok("1.5".into()));
    assert_eq!(parse_text(&t("   ")), Err("不能为空".into()));
    assert!(parse_text(&CellValue::Error("#REF!".into())).expect_err("error cell").contains("#REF!"));
}

#[test]
fn ints() {
    assert_eq!(parse_int(&CellValue::Number(12.0)), Ok(12));
    assert_eq!(parse_int(&t(" １,２３４ ")), Ok(1234));
    assert!(parse_int(&CellValue::Number(12.5)).is_err());
    assert!(parse_int(&t("12a")).is_err());
}

#[test]
fn phone_lists() {
    let p = |s: &str| parse_phone_list(&t(s));
    let v = |xs: &[&str]| Ok(xs.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    assert_eq!(p("13812345678"), v(&["13812345678"]));
    assert_eq!(parse_phone_list(&CellValue::Number(13812345678.0)), v(&["13812345678"]));
    assert_eq!(p("13812345678、13987654321"), v(&["13812345678", "13987654321"]));
    assert_eq!(p("13812345678，13987654321/010-12345678"), v(&["13812345678", "13987654321", "010-12345678"]));
    assert_eq!(p("138 1234 5678 13987654321"), v(&["13812345678", "13987654321"]));
    assert_eq!(p("138 1234"), Err("无法识别的电话号码「1381234」".into()));
    assert_eq!(p("138-1234-5678; +86 13987654321"), v(&["13812345678", "13987654321"]));
    assert_eq!(p("0571 87654321"), v(&["0571-87654321"]));
    assert_eq!(p("(010)12345678"), v(&["010-12345678"]));
    assert_eq!(p("01012345678"), v(&["010-12345678"]));
    assert_eq!(p("0571-87654321-808"), v(&["0571-87654321-808"]));
    assert_eq!(p("87654321"), v(&["87654321"]));
    assert_eq!(p("１３８１２３４５６７８"), v(&["13812345678"]));
    for bad in ["1381234567", "23812345678", "138123456789", "电话", "010-123", "138abc45678"] {
        assert!(p(bad).is_err(), "{bad:?} accepted");
    }
    assert_eq!(parse_phone_list(&CellValue::Empty), Err("不能为空".into()));
}

#[test]
fn column_letters() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(2), "C");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(16383), "XFD");
}

#[test]
fn cell_error_display_and_json() {
    let e = CellError { sheet: "明细".into(), row: 12, column: "C".into(), label: "日期".into(), message: "无法识别的日期「2026-13-45」".into() };
    assert_eq!(e.to_string(), "工作表「明细」第 12 行 C 列（日期）：无法识别的日期「2026-13-45」");
    let json = serde_json::to_value(&e).expect("json");
    assert_eq!(json["row"], 12);
    assert_eq!(json["column"], "C");
    let row_only = CellError { column: String::new(), label: String::new(), ..e };
    assert_eq!(row_only.to_string(), "工作表「明细」第 12 行：无法识别的日期「2026-13-45」");
    assert_eq!(serde_json::to_string(&Fen(123)).expect("json"), "123", "Fen is a plain integer");
}
