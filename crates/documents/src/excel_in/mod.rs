//! Excel in: the import machinery every spreadsheet import of the desk reuses.
//!
//! A caller describes the table it wants ([`TableSpec`]: column keys, Chinese labels, synonyms,
//! which are required) and calls [`read_table`]. The reader
//! * checks the file by its content (magic bytes), not its extension ([`detect`]): `.xlsx`/`.xlsm`
//!   (also WPS `.et` saved as xlsx), `.xlsb`, `.xls` (BIFF); refuses `.ods`, password-protected
//!   files, HTML/CSV disguised as `.xls`, zip bombs;
//! * streams the cells of every sheet with caps ([`Limits`], [`source`]) — never a dense range of
//!   an untrusted sheet, because a 1.5 KB xlsx can declare `A1:XFD1048576` and calamine would try
//!   to allocate it;
//! * finds the header row of each sheet by its names ([`header`]), whatever the sheet is called
//!   and wherever the columns stand, and returns the rows below it ([`ImportedTable`]), with the
//!   合计 row apart so the caller can check it against the sum.
//!
//! Cell values are then turned into typed values by the pure parsers in [`parse`]
//! (`parse_date`, `parse_fen`, …), each returning a short Chinese reason on failure, which the
//! caller wraps into a [`CellError`] naming sheet, row and column letter.

pub mod csv;
pub mod detect;
pub mod header;
pub mod parse;
pub mod source;
pub mod unit;
pub mod values;

use serde::Serialize;
use std::fmt;
use std::path::Path;

pub use header::TotalKind;
pub use parse::{column_letter, parse_date, parse_fen, parse_int, parse_phone_list, parse_text};
pub use unit::{is_placeholder, parse_fen_in, unit_in_text, Unit};

/// The table an import expects.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// What the table is, for messages (e.g. "保修金明细").
    pub name: &'static str,
    pub columns: &'static [ColumnSpec],
    /// Recognising a header cell by its words when no known spelling matches: normalised header
    /// text (see [`header::normalize_header`]) → the key of the column it means. `None`: names only.
    pub meaning: Option<fn(&str) -> Option<&'static str>>,
    /// A header row must contain at least one of these keys (e.g. some amount column), besides
    /// the required ones. Empty: no such condition.
    pub any_of: &'static [&'static str],
    /// The kind of value each column key holds (`"date"` → [`values::ValueKind::Date`]): the
    /// values under a header cell then break ties between header cells of the same meaning and
    /// put a match they contradict in doubt. `None`: header words only.
    pub values: Option<fn(&str) -> Option<values::ValueKind>>,
}

/// One expected column, recognised by its header text.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// Stable key for the caller's code (`"date"`, `"amount"`).
    pub key: &'static str,
    /// The Chinese header shown in messages; also matched.
    pub label: &'static str,
    /// Other header texts meaning the same column (`单位名称`, `承包单位` …).
    pub synonyms: &'static [&'static str],
    /// A header row must contain every required column.
    pub required: bool,
}

impl TableSpec {
    /// Index of the column with this key in `columns` (and in [`ImportedRow::cells`]).
    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }
}

/// Caps on what an untrusted workbook may make us read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Highest row number (1-based) a non-empty cell may have.
    pub max_rows: u32,
    /// Highest column number (1-based) a non-empty cell may have.
    pub max_cols: u32,
    /// Non-empty cells per sheet.
    pub max_cells: u64,
    /// Sum of the uncompressed sizes of a zip-based workbook (also checked per entry).
    pub max_uncompressed_bytes: u64,
    /// Size of the file on disk.
    pub max_file_bytes: u64,
    /// Size of an `.xls` file: calamine parses BIFF whole and builds a dense range per sheet
    /// (bounded by the format at 65,536 rows × 256 columns), so keep these files small.
    pub max_xls_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: 200_000,
            max_cols: 200,
            max_cells: 5_000_000,
            max_uncompressed_bytes: 300 * 1024 * 1024,
            max_file_bytes: 50 * 1024 * 1024,
            max_xls_file_bytes: 20 * 1024 * 1024,
        }
    }
}

/// A cell as read from the workbook, before the caller's parsing.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CellValue {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    Int(i64),
    Bool(bool),
    /// A number cell whose format is a date format (Excel stores dates as serial numbers).
    DateTime(chrono::NaiveDateTime),
    /// An Excel error value (`#N/A`, `#REF!` …) or a date Excel itself cannot show.
    Error(String),
}

impl CellValue {
    pub fn is_empty(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The text of a text cell, if it is one.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            CellValue::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// One column of the sheet's header, as the column mapping step shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceColumn {
    /// 0-based column index.
    pub index: u32,
    /// Excel column letter.
    pub letter: String,
    /// The header text (two-row headers: group and sub-column joined by `/`).
    pub header: String,
    /// Up to three values from the first data rows, as text.
    pub samples: Vec<String>,
    /// The spec column it serves, if any.
    pub key: Option<&'static str>,
    /// Matched by the meaning of its words, or set by the user's mapping: see [`Confidence`].
    pub confidence: Confidence,
}

/// How sure the reader is of a column's match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Confidence {
    /// A known spelling of the column.
    Name,
    /// The words of the header: worth a look.
    Meaning,
    /// The user said so (字段对应).
    User,
    /// Matched by its header, but the values under it do not look like the field (a 金额
    /// column holding dates): the user must look.
    Doubt,
    /// Not used.
    None,
}

/// A user's correction of the matching: sheet column (0-based) → spec key, or `None` to leave
/// the column out. Applied after the header row is found; a key given to a column is taken
/// from whichever column had it.
pub type ColumnOverrides = [(u32, Option<String>)];

/// The key of a [`ColumnOverrides`] entry that names the header row instead of a column: its
/// number is the 1-based row of the header the user picked, or 0 for a table without one (data
/// from the first row). Used when no header can be found by its words (字段对应 from scratch).
pub const HEADER_ROW_KEY: &str = "@header_row";

/// The header row the user picked, if the overrides name one.
pub fn header_row_of(overrides: &ColumnOverrides) -> Option<u32> {
    overrides.iter().find(|(_, k)| k.as_deref() == Some(HEADER_ROW_KEY)).map(|(r, _)| *r)
}

/// One of the first rows of a sheet, for the user to point at the header row when none can be
/// found by its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TopRow {
    pub sheet: String,
    /// 1-based, as Excel shows it.
    pub row: u32,
    /// The non-empty cells: Excel column letter and the value as text.
    pub cells: Vec<(String, String)>,
    /// The kind of each cell's value (`日期`, `金额`, `文字` …), same order: what a headerless
    /// file's shape is remembered by.
    #[ts(skip)]
    #[serde(skip)]
    pub kinds: Vec<Option<values::ValueKind>>,
}

/// The first `n` non-blank rows of the first sheet holding any cells: what the mapping step shows
/// when no header was found.
pub fn top_rows(path: &Path, limits: &Limits, n: usize) -> Result<Vec<TopRow>, ImportError> {
    let (kind, bytes) = detect::load(path, limits)?;
    let name = text_sheet_name(path);
    let mut out: Vec<TopRow> = Vec::new();
    source::for_each_sheet(kind, bytes, limits, &mut |sheet| {
        if !out.is_empty() {
            return;
        }
        let sheet_name = if kind == detect::Kind::Csv { name.clone() } else { sheet.name.clone() };
        for (r, c, v) in sheet.cells {
            if v.is_empty() {
                continue;
            }
            if out.last().is_none_or(|t| t.row != r + 1) {
                if out.len() == n {
                    break;
                }
                out.push(TopRow { sheet: sheet_name.clone(), row: r + 1, cells: Vec::new(), kinds: Vec::new() });
            }
            if let Some(t) = out.last_mut() {
                t.kinds.push(values::value_kind(&v));
                t.cells.push((column_letter(c), header::sample_text(&v)));
            }
        }
    })?;
    Ok(out)
}

/// One data row of an imported table.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRow {
    /// Row number as Excel shows it (1-based).
    pub row: u32,
    /// One value per column of the spec, in the spec's order; `Empty` for a column the sheet lacks.
    pub cells: Vec<CellValue>,
}

impl ImportedRow {
    pub fn cell(&self, index: usize) -> &CellValue {
        static EMPTY: CellValue = CellValue::Empty;
        self.cells.get(index).unwrap_or(&EMPTY)
    }
}

/// A table found on one sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedTable {
    pub sheet: String,
    /// Row of the header, 1-based as Excel shows it.
    pub header_row: u32,
    /// Excel column letter of each spec column, `None` when the sheet has no such column.
    pub columns: Vec<Option<String>>,
    /// Column labels of the spec (copied so errors can be made from the table alone).
    pub labels: Vec<String>,
    /// Text of the rows above the header (merged title, subtitle/date line).
    pub title: Vec<String>,
    /// The unit a line above the header names (`单位：万元`), if any.
    pub unit: Option<Unit>,
    /// The sheet's header text of each spec column (two-row headers: the lower cell).
    pub headers: Vec<Option<String>>,
    /// The unit each spec column's header (or its group cell) names: `金额(万元)`.
    pub units: Vec<Option<Unit>>,
    /// Whether each spec column was recognised by the meaning of its words rather than a known
    /// spelling: worth showing to the user before importing.
    pub by_meaning: Vec<bool>,
    /// Every column of the header with a few values under it and the spec column it serves:
    /// what the column mapping step (字段对应) shows.
    pub source_columns: Vec<SourceColumn>,
    /// Data rows (blank rows, repeated header rows and total rows left out).
    pub rows: Vec<ImportedRow>,
    /// 合计/总计/小计/累计 rows, to be checked against the sum of the rows (never trusted).
    pub total_rows: Vec<ImportedRow>,
    /// What each of `total_rows` is (same order).
    pub total_kinds: Vec<TotalKind>,
    /// Text found below the 合计/总计 row (notes, signatures); not data.
    pub notes: Vec<String>,
    /// Matches the values under the column contradict, in words (`D 列「金额」的值像日期…`).
    pub doubts: Vec<String>,
}

impl ImportedTable {
    /// A [`CellError`] for the spec column `index` of `row` (row number 1-based).
    pub fn cell_error(&self, row: u32, index: usize, message: impl Into<String>) -> CellError {
        CellError {
            sheet: self.sheet.clone(),
            row,
            column: self.columns.get(index).cloned().flatten().unwrap_or_default(),
            label: self.labels.get(index).cloned().unwrap_or_default(),
            message: message.into(),
        }
    }

    /// A [`CellError`] about a whole row (no column).
    pub fn row_error(&self, row: u32, message: impl Into<String>) -> CellError {
        CellError { sheet: self.sheet.clone(), row, column: String::new(), label: String::new(), message: message.into() }
    }
}

/// A rejected cell, reported to the user with sheet, row and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CellError {
    pub sheet: String,
    /// 1-based, as Excel shows it.
    pub row: u32,
    /// Excel column letter (`A`, `AA`); empty when the error is about the whole row.
    pub column: String,
    /// The column's Chinese label (`日期`); empty when unknown.
    pub label: String,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "工作表「{}」第 {} 行", self.sheet, self.row)?;
        if !self.column.is_empty() {
            write!(f, " {} 列", self.column)?;
        }
        if !self.label.is_empty() {
            write!(f, "（{}）", self.label)?;
        }
        write!(f, "：{}", self.message)
    }
}

/// Why a workbook could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("无法打开文件：{0}")]
    Io(String),
    #[error("这不是 Excel 工作簿：{0}")]
    NotAWorkbook(String),
    #[error("文件有密码保护，请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再导入")]
    PasswordProtected,
    #[error("暂不支持 {0} 格式，请在 Excel 或 WPS 中另存为 .xlsx 后再导入")]
    Unsupported(String),
    /// `what` names the cap (and the sheet when there is one).
    #[error("文件过大，已拒绝读取：{0}")]
    TooLarge(String),
    #[error("没有找到「{table}」的表头：表头一行须包含 {required}")]
    NoTable { table: String, required: String },
    /// The detail (the zip or BIFF reader's own words, in English) is kept for the logs and
    /// tests, not shown: the user can act on the sentence, not on "Could not find EOCD".
    #[error("文件已损坏或不完整（可能没有下载或复制完整），无法读取：请在 Excel 或 WPS 中打开，确认内容无误后另存为 .xlsx 再导入")]
    Corrupt(String),
}

/// Read every sheet of the workbook at `path` whose header matches `spec`.
///
/// Returns at least one table, or an error saying why not (never panics on a bad file).
pub fn read_table(path: &Path, spec: &TableSpec, limits: &Limits) -> Result<Vec<ImportedTable>, ImportError> {
    let (kind, bytes) = detect::load(path, limits)?;
    let mut tables = Vec::new();
    let name = text_sheet_name(path);
    source::for_each_sheet(kind, bytes, limits, &mut |mut sheet| {
        if kind == detect::Kind::Csv {
            sheet.name.clone_from(&name);
        }
        if let Some(t) = header::build_table(sheet, spec) {
            tables.push(t);
        }
    })?;
    if tables.is_empty() {
        let required: Vec<&str> = spec.columns.iter().filter(|c| c.required).map(|c| c.label).collect();
        let required = if required.is_empty() { spec.columns.iter().map(|c| c.label).collect::<Vec<_>>().join("、") } else { required.join("、") };
        return Err(ImportError::NoTable { table: spec.name.to_string(), required });
    }
    Ok(tables)
}

/// Read every sheet once and cut out the table of the first spec whose header it has: a
/// workbook with a 汇总 sheet and a 明细 sheet is read in one pass. Returns one list of tables
/// per spec (possibly empty); an error only when the file itself cannot be read.
pub fn read_tables(path: &Path, specs: &[&TableSpec], limits: &Limits) -> Result<Vec<Vec<ImportedTable>>, ImportError> {
    read_tables_with(path, specs, limits, &[])
}

/// [`read_tables`] with the user's column mapping applied to the tables of the first spec.
pub fn read_tables_with(path: &Path, specs: &[&TableSpec], limits: &Limits, overrides: &ColumnOverrides) -> Result<Vec<Vec<ImportedTable>>, ImportError> {
    let (kind, bytes) = detect::load(path, limits)?;
    let mut found: Vec<Vec<ImportedTable>> = specs.iter().map(|_| Vec::new()).collect();
    let name = text_sheet_name(path);
    source::for_each_sheet(kind, bytes, limits, &mut |mut sheet| {
        if kind == detect::Kind::Csv {
            sheet.name.clone_from(&name);
        }
        let last = specs.len().saturating_sub(1);
        let mut sheet = Some(sheet);
        for (i, spec) in specs.iter().enumerate() {
            // The last attempt may consume the cells; earlier ones work on a copy.
            let cells = if i == last { sheet.take() } else { sheet.clone() };
            let Some(cells) = cells else { break };
            let mine: &ColumnOverrides = if i == 0 { overrides } else { &[] };
            if let Some(t) = header::build_table_with(cells, spec, mine) {
                found[i].push(t);
                break;
            }
        }
    })?;
    Ok(found)
}

/// A CSV file has no sheets: errors name the file instead.
fn text_sheet_name(path: &Path) -> String {
    path.file_name().map_or_else(|| "CSV".to_string(), |f| f.to_string_lossy().to_string())
}
