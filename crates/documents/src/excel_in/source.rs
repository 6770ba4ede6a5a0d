//! Streaming the cells of each sheet out of calamine, with caps.
//!
//! Never `worksheet_range` on xlsx/xlsb: calamine sizes that range from the sheet's declared
//! dimension, and a tiny hostile file declaring `A1:XFD1048576` makes it allocate hundreds of
//! GiB and abort the process (an abort cannot be caught). Instead the cell readers hand us one
//! cell at a time and we keep only non-empty cells, refusing past [`Limits`].
//!
//! `.xls` (BIFF) has no streaming reader in calamine; it parses the whole file on open. That is
//! acceptable because the file size is capped before ([`super::detect`]) and BIFF itself bounds a
//! sheet at 65,536 rows × 256 columns. The same caps are then applied to its cells.
//!
//! Everything runs under `catch_unwind` as the last line of defence: a calamine panic on some
//! damaged file becomes an [`ImportError::Corrupt`], not a crashed desk.

use super::detect::Kind;
use super::{CellValue, ImportError, Limits};
use calamine::{Data, DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The non-empty cells of one sheet, sorted by (row, column), both 0-based.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetCells {
    pub name: String,
    pub cells: Vec<(u32, u32, CellValue)>,
}

/// Read the sheets of a checked workbook one at a time and hand each to `on_sheet`
/// (one sheet in memory at a time).
pub fn for_each_sheet(kind: Kind, bytes: Vec<u8>, limits: &Limits, on_sheet: &mut dyn FnMut(SheetCells)) -> Result<(), ImportError> {
    let result = catch_unwind(AssertUnwindSafe(|| match kind {
        Kind::Xlsx => read_xlsx(bytes, limits, on_sheet),
        Kind::Xlsb => read_xlsb(bytes, limits, on_sheet),
        Kind::Xls => read_xls(bytes, limits, on_sheet),
        Kind::Csv => {
            on_sheet(super::csv::read_text_table(&bytes, "CSV", limits)?);
            Ok(())
        }
    }));
    match result {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| payload.downcast_ref::<String>().cloned()).unwrap_or_default();
            Err(ImportError::Corrupt(format!("读取时内部错误 {msg}")))
        }
    }
}

fn read_xlsx(bytes: Vec<u8>, limits: &Limits, on_sheet: &mut dyn FnMut(SheetCells)) -> Result<(), ImportError> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_err)?;
    for name in worksheet_names(wb.sheets_metadata()) {
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // Chart sheets and dialog sheets hold no cells: not an error, just not a table.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(sheet_err(&name, e)),
        };
        let mut sink = Collector::new(&name, limits);
        while let Some(cell) = reader.next_cell().map_err(|e| sheet_err(&name, e))? {
            let (row, col) = cell.get_position();
            sink.push(row, col, from_ref(cell.get_value()))?;
        }
        on_sheet(sink.finish());
    }
    Ok(())
}

fn read_xlsb(bytes: Vec<u8>, limits: &Limits, on_sheet: &mut dyn FnMut(SheetCells)) -> Result<(), ImportError> {
    let mut wb: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(|e| ImportError::Corrupt(e.to_string()))?;
    for name in worksheet_names(wb.sheets_metadata()) {
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| sheet_err(&name, e))?;
        let mut sink = Collector::new(&name, limits);
        while let Some(cell) = reader.next_cell().map_err(|e| sheet_err(&name, e))? {
            let (row, col) = cell.get_position();
            sink.push(row, col, from_ref(cell.get_value()))?;
        }
        on_sheet(sink.finish());
    }
    Ok(())
}

fn read_xls(bytes: Vec<u8>, limits: &Limits, on_sheet: &mut dyn FnMut(SheetCells)) -> Result<(), ImportError> {
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => ImportError::PasswordProtected,
        e => ImportError::Corrupt(e.to_string()),
    })?;
    for name in worksheet_names(wb.sheets_metadata()) {
        // Already parsed on open and bounded by BIFF (see module docs).
        let range = wb.worksheet_range(&name).map_err(|e| sheet_err(&name, e))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut sink = Collector::new(&name, limits);
        for (r, c, v) in range.used_cells() {
            // Offsets inside a BIFF range are < 65,536, so u32 conversion cannot fail.
            let row = r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
            let col = c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
            sink.push(row, col, from_data(v))?;
        }
        on_sheet(sink.finish());
    }
    Ok(())
}

/// The sheets worth reading: visible worksheets. Chart/macro/dialog sheets hold no table (and
/// calamine's readers error on some of them); hidden sheets are often stale copies of the
/// ledger, and importing a row nobody can see would double it.
fn worksheet_names(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets.iter().filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible).map(|s| s.name.clone()).collect()
}

/// Keeps the non-empty cells of one sheet and enforces the caps.
struct Collector<'a> {
    sheet: &'a str,
    limits: &'a Limits,
    cells: Vec<(u32, u32, CellValue)>,
}

impl<'a> Collector<'a> {
    fn new(sheet: &'a str, limits: &'a Limits) -> Self {
        Collector { sheet, limits, cells: Vec::new() }
    }

    fn push(&mut self, row: u32, col: u32, value: CellValue) -> Result<(), ImportError> {
        // Empty (formatted-only) cells far out are common in real files and cost nothing
        // to skip; only a value out there is refused.
        if value.is_empty() {
            return Ok(());
        }
        let over = |what: String| ImportError::TooLarge(format!("工作表「{}」{what}", self.sheet));
        if row >= self.limits.max_rows {
            return Err(over(format!("超过 {} 行的上限", self.limits.max_rows)));
        }
        if col >= self.limits.max_cols {
            return Err(over(format!("超过 {} 列的上限", self.limits.max_cols)));
        }
        if self.cells.len() as u64 >= self.limits.max_cells {
            return Err(over(format!("超过 {} 个单元格的上限", self.limits.max_cells)));
        }
        self.cells.push((row, col, value));
        Ok(())
    }

    fn finish(mut self) -> SheetCells {
        // XML order is row-major in practice but not guaranteed; sort so rows group.
        self.cells.sort_by_key(|&(r, c, _)| (r, c));
        SheetCells { name: self.sheet.to_string(), cells: self.cells }
    }
}

fn xlsx_err(e: calamine::XlsxError) -> ImportError {
    match e {
        calamine::XlsxError::Password => ImportError::PasswordProtected,
        e => ImportError::Corrupt(e.to_string()),
    }
}

fn sheet_err(sheet: &str, e: impl std::fmt::Display) -> ImportError {
    ImportError::Corrupt(format!("工作表「{sheet}」：{e}"))
}

fn text(s: &str) -> CellValue {
    if s.trim().is_empty() {
        CellValue::Empty
    } else {
        CellValue::Text(s.to_string())
    }
}

fn from_ref(v: &DataRef<'_>) -> CellValue {
    match v {
        DataRef::Empty => CellValue::Empty,
        DataRef::Int(i) => CellValue::Int(*i),
        DataRef::Float(f) => CellValue::Number(*f),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::DateTime(dt) => from_excel_datetime(dt),
        DataRef::DateTimeIso(s) => from_iso(s),
        DataRef::DurationIso(s) => text(s),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
    }
}

fn from_data(v: &Data) -> CellValue {
    match v {
        Data::Empty => CellValue::Empty,
        Data::Int(i) => CellValue::Int(*i),
        Data::Float(f) => CellValue::Number(*f),
        Data::String(s) => text(s),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => from_excel_datetime(dt),
        Data::DateTimeIso(s) => from_iso(s),
        Data::DurationIso(s) => text(s),
        Data::Error(e) => CellValue::Error(e.to_string()),
    }
}

/// Largest Excel serial date (9999-12-31) + 1.
const EXCEL_SERIAL_END: f64 = 2_958_466.0;

fn from_excel_datetime(dt: &ExcelDateTime) -> CellValue {
    let x = dt.as_f64();
    if dt.is_duration() {
        return CellValue::Number(x);
    }
    // calamine clamps out-of-range serials to the epoch or 9999-12-31; we'd rather say so.
    if !x.is_finite() || !(0.0..EXCEL_SERIAL_END).contains(&x) {
        return CellValue::Error(format!("超出 Excel 日期范围的日期值 {x}"));
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d))
        .and_then(|date| date.and_hms_milli_opt(u32::from(h), u32::from(mi), u32::from(s), u32::from(ms)))
        .map(CellValue::DateTime)
        // 1900-02-29 (Excel's leap-year bug) lands here.
        .unwrap_or_else(|| CellValue::Error(format!("不存在的日期 {y}-{mo:02}-{d:02}")))
}

fn from_iso(s: &str) -> CellValue {
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return CellValue::DateTime(dt);
        }
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => CellValue::DateTime(d.and_time(chrono::NaiveTime::MIN)),
        Err(_) => text(s),
    }
}
