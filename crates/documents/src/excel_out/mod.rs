//! Excel out: the writer behind every list export of the desk (finance ledger, 对账单, lists).
//!
//! One [`SheetTable`] becomes one worksheet laid out the way finance expects:
//! row 1 a merged title, row 2 a frozen header with an autofilter, the data, and optionally a
//! 合计 row with a `SUM` formula under every money column (its cached result is computed from the
//! fen, so readers that do not recalculate still see the right total).
//!
//! Values keep their type: money is a number cell in yuan with the format `¥#,##0.00` (the
//! `f64` exists only as the cell value — the amount itself is [`Fen`]), dates are real Excel
//! dates, integers are numbers. Column widths are estimated from the content with CJK characters
//! counted double, since Excel's default width cuts Chinese text off. Tables above
//! [`CONSTANT_MEMORY_ROWS`] rows are written in rust_xlsxwriter's constant-memory mode
//! (rows stream to a temp file; 100k rows stay under ~5 MB).

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use desk_domain::money::Fen;
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// From this many rows on, a sheet is written in constant-memory mode.
pub const CONSTANT_MEMORY_ROWS: usize = 5_000;
/// Excel's own limit (1,048,576) minus the title, header and total rows.
const MAX_DATA_ROWS: usize = 1_048_576 - 3;

const MONEY_FORMAT: &str = "¥#,##0.00";
const DATE_FORMAT: &str = "yyyy-mm-dd";
const DATETIME_FORMAT: &str = "yyyy-mm-dd hh:mm";

/// What a column holds; decides its cell format and the total row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Date,
    DateTime,
    /// Summed in the 合计 row.
    Money,
    /// Money shown like [`ColumnKind::Money`] but left out of the 合计 row: a running balance
    /// (余额) summed down the rows would be a meaningless figure on finance's sheet.
    Balance,
    Int,
    /// A share written as a fraction (0.5) and shown as a percentage (`50.0%`).
    Percent,
    /// A measured quantity with one decimal (e.g. average days).
    Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutColumn {
    pub header: String,
    pub kind: ColumnKind,
    /// Width in Excel character units; `None` = estimate from the content.
    pub width_hint: Option<f64>,
}

impl OutColumn {
    pub fn new(header: impl Into<String>, kind: ColumnKind) -> Self {
        OutColumn { header: header.into(), kind, width_hint: None }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum OutCell {
    Empty,
    Text(String),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Money(Fen),
    Int(i64),
    /// A fraction, 0.5 = 50 %; a real number in the cell, formatted `0.0%`.
    Percent(f64),
    /// A real number formatted `0.0`.
    Decimal(f64),
}

/// One worksheet of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetTable {
    /// Merged across the columns in row 1, e.g. "XX项目保修金明细账（2026年第3季度）".
    pub title: String,
    pub sheet_name: String,
    pub columns: Vec<OutColumn>,
    pub rows: Vec<Vec<OutCell>>,
    /// Append a 合计 row summing every Money column.
    pub total_row: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("写入 Excel 失败：{0}")]
    Write(String),
    #[error("无法保存文件（可能正被 Excel 或 WPS 打开，或没有写入权限）：{0}")]
    Save(String),
    #[error("第 {row} 行「{column}」的值无法写入 Excel：{reason}")]
    Value { row: usize, column: String, reason: String },
    #[error("导出内容过大：{0}")]
    TooLarge(String),
}

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        match e {
            XlsxError::IoError(io) => ExportError::Save(io.to_string()),
            e => ExportError::Write(e.to_string()),
        }
    }
}

/// Write one table as a one-sheet workbook at `path`.
pub fn write_table(path: &Path, table: &SheetTable) -> Result<(), ExportError> {
    write_workbook(path, std::slice::from_ref(table))
}

/// Write several tables, one sheet each (e.g. 汇总 + 明细), at `path`.
pub fn write_workbook(path: &Path, tables: &[SheetTable]) -> Result<(), ExportError> {
    let mut workbook = Workbook::new();
    let mut used_names: Vec<String> = Vec::new();
    for table in tables {
        if table.columns.is_empty() {
            return Err(ExportError::Write(format!("「{}」没有列", table.title)));
        }
        if table.columns.len() > 16_384 {
            return Err(ExportError::TooLarge(format!("列数 {} 超过 Excel 上限", table.columns.len())));
        }
        if table.rows.len() > MAX_DATA_ROWS {
            return Err(ExportError::TooLarge(format!("{} 行超过 Excel 的 1,048,576 行上限", table.rows.len())));
        }
        let sheet = if table.rows.len() >= CONSTANT_MEMORY_ROWS { workbook.add_worksheet_with_constant_memory()? } else { workbook.add_worksheet() };
        let name = unique_sheet_name(&table.sheet_name, &used_names);
        sheet.set_name(&name)?;
        used_names.push(name);
        write_sheet(sheet, table)?;
    }
    workbook.save(path)?;
    Ok(())
}

/// How every export prints: A4 landscape, scaled to one page wide (a quarter used to print on
/// 9 narrow pages), the title and header rows on every page, the title and page numbers in the
/// footer. `&` starts a code in Excel's header language, so the title's own `&` is doubled.
fn print_setup(sheet: &mut Worksheet, table: &SheetTable) -> Result<(), ExportError> {
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 1)?;
    // Excel limits a header/footer to 255 characters including codes.
    let title: String = table.title.replace('&', "&&").chars().take(180).collect();
    sheet.set_footer(format!("&L{title}&R第 &P 页，共 &N 页"));
    Ok(())
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    money: Format,
    date: Format,
    datetime: Format,
    int: Format,
    percent: Format,
    decimal: Format,
    total_label: Format,
    total_money: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xDDEBF7)),
            text: cell.clone(),
            money: cell.clone().set_num_format(MONEY_FORMAT),
            date: cell.clone().set_num_format(DATE_FORMAT),
            datetime: cell.clone().set_num_format(DATETIME_FORMAT),
            int: cell.clone().set_num_format("0"),
            percent: cell.clone().set_num_format("0.0%"),
            decimal: cell.clone().set_num_format("0.0"),
            total_label: cell.clone().set_bold().set_align(FormatAlign::Center),
            total_money: cell.set_bold().set_num_format(MONEY_FORMAT),
        }
    }
}

fn write_sheet(sheet: &mut Worksheet, table: &SheetTable) -> Result<(), ExportError> {
    let f = Formats::new();
    // ≤ 16,384 checked by the caller, so the column index fits u16.
    let last_col = u16::try_from(table.columns.len() - 1).unwrap_or(u16::MAX);
    for (i, w) in column_widths(table).into_iter().enumerate() {
        sheet.set_column_width(i as u16, w)?;
    }
    // Row 1: title. merge_range refuses a single cell, so a one-column table writes it plainly.
    sheet.set_row_height(0, 28)?;
    if last_col > 0 {
        sheet.merge_range(0, 0, 0, last_col, &table.title, &f.title)?;
    } else {
        sheet.write_string_with_format(0, 0, &table.title, &f.title)?;
    }
    // Row 2: header.
    for (c, col) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, &col.header, &f.header)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    print_setup(sheet, table)?;

    let mut totals: Vec<Option<Fen>> = table.columns.iter().map(|c| (c.kind == ColumnKind::Money).then_some(Fen::ZERO)).collect();
    for (i, row) in table.rows.iter().enumerate() {
        // Data rows start at Excel row 3; MAX_DATA_ROWS keeps this within u32.
        let r = (i + 2) as u32;
        for (c, cell) in row.iter().enumerate().take(table.columns.len()) {
            let col = c as u16;
            let value_err = |reason: String| ExportError::Value { row: i + 1, column: table.columns[c].header.clone(), reason };
            match cell {
                OutCell::Empty => {}
                OutCell::Text(s) => {
                    sheet.write_string_with_format(r, col, fit_excel_cell(s).as_ref(), &f.text)?;
                }
                OutCell::Int(n) => {
                    sheet.write_number_with_format(r, col, *n as f64, &f.int)?;
                }
                OutCell::Percent(x) if x.is_finite() => {
                    sheet.write_number_with_format(r, col, *x, &f.percent)?;
                }
                OutCell::Decimal(x) if x.is_finite() => {
                    sheet.write_number_with_format(r, col, *x, &f.decimal)?;
                }
                OutCell::Percent(_) | OutCell::Decimal(_) => {}
                OutCell::Money(m) => {
                    sheet.write_number_with_format(r, col, m.as_yuan_f64(), &f.money)?;
                    if let Some(Some(t)) = totals.get_mut(c) {
                        *t = t.checked_add(*m).ok_or_else(|| value_err("合计金额溢出".into()))?;
                    }
                }
                OutCell::Date(d) => {
                    let x = excel_date(*d).map_err(|e| value_err(e.to_string()))?;
                    sheet.write_datetime_with_format(r, col, x, &f.date)?;
                }
                OutCell::DateTime(dt) => {
                    let x = excel_date(dt.date())
                        .and_then(|d| d.and_hms(dt.hour() as u16, dt.minute() as u8, dt.second()))
                        .map_err(|e| value_err(e.to_string()))?;
                    sheet.write_datetime_with_format(r, col, x, &f.datetime)?;
                }
            }
        }
    }
    let last_data_row = table.rows.len() as u32 + 1;
    sheet.autofilter(1, 0, last_data_row, last_col)?;

    if table.total_row {
        let r = last_data_row + 1;
        let label_col = table.columns.iter().position(|c| !matches!(c.kind, ColumnKind::Money | ColumnKind::Balance));
        for (c, total) in totals.iter().enumerate() {
            let col = c as u16;
            match total {
                Some(sum) if !table.rows.is_empty() => {
                    let letter = crate::excel_in::column_letter(u32::from(col));
                    let formula = Formula::new(format!("=SUM({letter}3:{letter}{})", last_data_row + 1)).set_result(sum.to_plain());
                    sheet.write_formula_with_format(r, col, formula, &f.total_money)?;
                }
                Some(_) => {
                    sheet.write_number_with_format(r, col, 0.0, &f.total_money)?;
                }
                None if Some(c) == label_col => {
                    sheet.write_string_with_format(r, col, "合计", &f.total_label)?;
                }
                None => {
                    sheet.write_blank(r, col, &f.text)?;
                }
            }
        }
    }
    Ok(())
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    // Excel dates run from 1900 to 9999; from_ymd refuses anything outside.
    let year = u16::try_from(d.year()).unwrap_or(0);
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// Display width of text in Excel character units: CJK and full-width characters take two.
pub fn display_width(s: &str) -> usize {
    s.lines().map(|line| line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum::<usize>()).max().unwrap_or(0)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Whether `a` prints wider than `b` (more digits, or as many with a minus sign).
fn wider(a: i64, b: i64) -> bool {
    let (da, db) = (digits(a.unsigned_abs()), digits(b.unsigned_abs()));
    da > db || (da == db && a < 0 && b >= 0)
}

fn digits(x: u64) -> u32 {
    x.checked_ilog10().map_or(1, |d| d + 1)
}

fn column_widths(table: &SheetTable) -> Vec<f64> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            if let Some(w) = col.width_hint {
                return w;
            }
            // Numbers are measured once, at the widest value (formatting every one of 100,000
            // amounts only to take the longest was a good part of a big export's time).
            let (mut widest_money, mut widest_int) = (None::<Fen>, None::<i64>);
            let mut content = 0;
            for cell in table.rows.iter().filter_map(|row| row.get(c)) {
                let w = match cell {
                    OutCell::Empty => 0,
                    OutCell::Text(s) => display_width(s),
                    OutCell::Money(m) => {
                        if widest_money.is_none_or(|w| wider(m.0, w.0)) {
                            widest_money = Some(*m);
                        }
                        0
                    }
                    OutCell::Int(n) => {
                        if widest_int.is_none_or(|w| wider(*n, w)) {
                            widest_int = Some(*n);
                        }
                        0
                    }
                    OutCell::Percent(_) => 6,
                    OutCell::Decimal(x) => format!("{x:.1}").len(),
                    OutCell::Date(_) => 10,
                    OutCell::DateTime(_) => 16,
                };
                content = content.max(w);
            }
            if let Some(m) = widest_money {
                content = content.max(m.to_string().len());
            }
            if let Some(n) = widest_int {
                content = content.max(n.to_string().len());
            }
            // Headers wrap, so a long header needs less than its full width.
            let header = display_width(&col.header).min(24);
            (content.max(header) + 2).clamp(6, 60) as f64
        })
        .collect()
}

/// Excel sheet names: ≤ 31 characters, none of `[]:*?/\`, unique in the workbook.
fn unique_sheet_name(wanted: &str, used: &[String]) -> String {
    let clean: String = wanted.chars().filter(|c| !"[]:*?/\\".contains(*c)).collect::<String>().trim_matches('\'').chars().take(31).collect();
    let base = if clean.trim().is_empty() { "Sheet".to_string() } else { clean };
    let taken = |n: &str| used.iter().any(|u| u.to_lowercase() == n.to_lowercase());
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|i| {
            let suffix = format!("({i})");
            let head: String = base.chars().take(31 - suffix.chars().count()).collect();
            format!("{head}{suffix}")
        })
        .find(|n| !taken(n))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("施工单位"), 8);
        assert_eq!(display_width("（元）"), 6);
    }

    #[test]
    fn sheet_names_are_made_valid() {
        assert_eq!(unique_sheet_name("明细/2026", &[]), "明细2026");
        assert_eq!(unique_sheet_name("明细", &["明细".into()]), "明细(2)");
        assert_eq!(unique_sheet_name("", &[]), "Sheet");
        assert_eq!(unique_sheet_name(&"长".repeat(40), &[]).chars().count(), 31);
    }
}

/// Excel holds at most 32,767 characters in a cell (UTF-16 units); a longer text (e.g. the list
/// of units of a batch-wide defect) is cut there with a visible mark instead of failing the
/// whole export.
pub fn fit_excel_cell(s: &str) -> std::borrow::Cow<'_, str> {
    const LIMIT: usize = 32_767;
    const MARK: &str = "…（超出 Excel 单元格长度，已截断）";
    if s.encode_utf16().count() <= LIMIT {
        return std::borrow::Cow::Borrowed(s);
    }
    let budget = LIMIT - MARK.encode_utf16().count();
    let mut used = 0;
    let mut out = String::new();
    for ch in s.chars() {
        used += ch.len_utf16();
        if used > budget {
            break;
        }
        out.push(ch);
    }
    out.push_str(MARK);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod cell_limit_tests {
    use super::fit_excel_cell;

    #[test]
    fn a_text_longer_than_an_excel_cell_is_cut_with_a_mark_and_short_text_is_untouched() {
        assert_eq!(fit_excel_cell("1-1-101"), "1-1-101");
        let long = "1-1-101、".repeat(5_000);
        let cut = fit_excel_cell(&long);
        assert_eq!(cut.encode_utf16().count(), 32_767);
        assert!(cut.ends_with("已截断）"));
        assert!(cut.starts_with("1-1-101、1-1-101"));
    }
}
