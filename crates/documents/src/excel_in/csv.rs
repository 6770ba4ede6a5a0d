//! CSV and TXT exports (用友/金蝶 style, or "save as CSV" from Excel/WPS) as one sheet of text
//! cells, so they go through the same header recognition, parsers and errors as a workbook.
//!
//! The encoding is sniffed: a UTF-8 BOM or valid UTF-8 is UTF-8, anything else is GB18030 (a
//! superset of GBK, which is what Chinese Excel writes for "CSV"). The delimiter is the one of
//! comma, tab and semicolon that splits the first lines most consistently. Fields may be quoted
//! with `"` (doubled inside). Every cell stays text: the cell parsers read text dates and amounts.
//! The caps on rows, columns and cells are those of a workbook.

use super::source::SheetCells;
use super::{CellValue, ImportError, Limits};

/// The one sheet of a text table; `name` is what errors call it (the file name).
pub fn read_text_table(bytes: &[u8], name: &str, limits: &Limits) -> Result<SheetCells, ImportError> {
    let text = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut cells = Vec::new();
    let over = |what: String| ImportError::TooLarge(format!("「{name}」{what}"));
    let mut row: u32 = 0;
    let mut fields = Fields::new(&text, delimiter);
    while let Some(record) = fields.next_record() {
        if row >= limits.max_rows {
            return Err(over(format!("超过 {} 行的上限", limits.max_rows)));
        }
        for (col, field) in record.into_iter().enumerate() {
            let value = field.trim();
            if value.is_empty() {
                continue;
            }
            let col = u32::try_from(col).unwrap_or(u32::MAX);
            if col >= limits.max_cols {
                return Err(over(format!("超过 {} 列的上限", limits.max_cols)));
            }
            if cells.len() as u64 >= limits.max_cells {
                return Err(over(format!("超过 {} 个单元格的上限", limits.max_cells)));
            }
            // A finance system's `="00123"` keeps leading zeros in Excel: the text is inside.
            let inner = value.strip_prefix("=\"").and_then(|v| v.strip_suffix('"')).unwrap_or(value);
            // Most fields need no trimming: the field's own buffer becomes the cell.
            let text = if inner.len() == field.len() { field } else { inner.to_string() };
            cells.push((row, col, CellValue::Text(text)));
        }
        row += 1;
    }
    Ok(SheetCells { name: name.to_string(), cells })
}

/// UTF-8 (with or without BOM) when the bytes are valid UTF-8, GB18030 otherwise.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            text.into_owned()
        }
    }
}

/// The delimiter splitting the first non-empty lines into the most fields (ties: comma).
fn sniff_delimiter(text: &str) -> char {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (',', 0usize);
    for d in [',', '\t', ';'] {
        // Count the lines with the most common field count > 1: a title line has one field.
        let counts: Vec<usize> = lines.iter().map(|l| Fields::new(l, d).next_record().map_or(0, |r| r.len())).collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        let score = if max > 1 { counts.iter().filter(|c| **c == max).count() * max } else { 0 };
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// A small RFC 4180 reader: quoted fields may hold delimiters, quotes (doubled) and line breaks.
struct Fields<'a> {
    rest: std::iter::Peekable<std::str::Chars<'a>>,
    delimiter: char,
}

impl<'a> Fields<'a> {
    fn new(text: &'a str, delimiter: char) -> Self {
        Fields { rest: text.chars().peekable(), delimiter }
    }

    fn next_record(&mut self) -> Option<Vec<String>> {
        self.rest.peek()?;
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut at_start = true;
        while let Some(c) = self.rest.next() {
            if quoted {
                if c == '"' {
                    if self.rest.peek() == Some(&'"') {
                        self.rest.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    field.push(c);
                }
                continue;
            }
            match c {
                '"' if at_start => {
                    quoted = true;
                    at_start = false;
                }
                c if c == self.delimiter => {
                    record.push(std::mem::take(&mut field));
                    at_start = true;
                }
                '\r' => {}
                '\n' => {
                    record.push(field);
                    return Some(record);
                }
                c => {
                    field.push(c);
                    at_start = false;
                }
            }
        }
        record.push(field);
        Some(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_tab_and_quotes() {
        let (gbk, _, _) = encoding_rs::GBK.encode("日期\t施工单位\t金额\n2024-01-02\t\"甲,公司\"\t\"1,200.00\"\n");
        let s = read_text_table(&gbk, "x.csv", &Limits::default()).expect("read");
        assert_eq!(s.cells[4], (1, 1, CellValue::Text("甲,公司".into())));
        assert_eq!(s.cells[5], (1, 2, CellValue::Text("1,200.00".into())));
        let bom = "\u{feff}日期;单位\r\n2024-01-02;乙\r\n";
        let s = read_text_table(bom.as_bytes(), "x.csv", &Limits::default()).expect("read");
        assert_eq!(s.cells[0], (0, 0, CellValue::Text("日期".into())));
        assert_eq!(s.cells[3], (1, 1, CellValue::Text("乙".into())));
    }
}
