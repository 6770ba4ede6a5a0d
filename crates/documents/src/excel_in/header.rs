//! Finding the header row by its names and cutting the table out of a sheet.
//!
//! Real ledgers put a merged title and a subtitle above the header, spell headers
//! `金额(元)`, `金额（元）`, `金 额` or `发生\n日期`, order columns as they like and add
//! columns nobody asked for. So a header cell is compared after [`normalize_header`]
//! (half-width, no whitespace, lower case) with the unit suffix optional, and a row is
//! the header when every required column of the spec is found in it. Only the first
//! [`HEADER_SCAN_ROWS`] non-blank rows are looked at.
//!
//! Below the header: blank rows are skipped, a repeated header (printed page headers) is
//! skipped, a 合计/总计 row ends the data (text below it is notes), a 小计 row is kept apart
//! but data continues after it (group subtotals).

use super::parse::column_letter;
use super::source::SheetCells;
use super::{CellValue, ImportedRow, ImportedTable, TableSpec};
use std::collections::BTreeMap;

/// How many non-blank rows from the top may precede the header.
pub const HEADER_SCAN_ROWS: usize = 30;

/// Units people append to a header in brackets; `金额(元)` means the column `金额`.
const UNIT_SUFFIXES: &[&str] = &[
    "元",
    "万元",
    "人民币",
    "人民币元",
    "rmb",
    "cny",
    "%",
    "天",
    "个月",
    "月",
    "年",
    "yuan",
];

/// Header text → comparable form: full-width → half-width, whitespace (incl. line breaks
/// and Excel's `_x000D_`) removed, ASCII lower case.
pub fn normalize_header(s: &str) -> String {
    s.replace("_x000D_", "")
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Full-width ASCII forms and the ideographic space → half-width.
pub fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FFE5}' => '¥',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The forms a normalised header may be matched by: itself, and without a unit suffix.
fn header_forms(norm: &str) -> [Option<&str>; 2] {
    let stripped = norm.strip_suffix(')').and_then(|rest| {
        let open = rest.rfind('(')?;
        UNIT_SUFFIXES
            .contains(&&rest[open + 1..])
            .then(|| &rest[..open])
    });
    [Some(norm), stripped.filter(|s| !s.is_empty())]
}

/// Does header cell text `cell` name the spec column with `label`/`synonyms`?
pub fn header_matches(cell: &str, label: &str, synonyms: &[&str]) -> bool {
    let cell_n = normalize_header(cell);
    std::iter::once(label)
        .chain(synonyms.iter().copied())
        .any(|name| {
            let name_n = normalize_header(name);
            let name_forms = header_forms(&name_n);
            header_forms(&cell_n)
                .iter()
                .flatten()
                .any(|c| name_forms.iter().flatten().any(|n| c == n))
        })
}

/// Is this cell text a total-row marker? Short text that is, or starts/ends with, 合计/总计/小计.
fn total_kind(s: &str) -> Option<TotalKind> {
    let n: String = normalize_header(s)
        .chars()
        .filter(|c| !":：".contains(*c))
        .collect();
    if n.chars().count() > 8 {
        return None;
    }
    let has = |w: &str| n.starts_with(w) || n.ends_with(w);
    if has("小计") {
        Some(TotalKind::Subtotal)
    } else if has("合计") || has("总计") {
        Some(TotalKind::Total)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TotalKind {
    Subtotal,
    Total,
}

type Row = (u32, BTreeMap<u32, CellValue>);

/// Map spec column index → sheet column, if `row` is a header row for `spec`.
fn match_header(row: &BTreeMap<u32, CellValue>, spec: &TableSpec) -> Option<Vec<Option<u32>>> {
    let mut used = Vec::new();
    let mut found = Vec::with_capacity(spec.columns.len());
    for col in spec.columns {
        // Each sheet column serves one spec column; the first match from the left wins.
        let hit = row.iter().find_map(|(c, v)| {
            let t = v.as_text()?;
            (!used.contains(c) && header_matches(t, col.label, col.synonyms)).then_some(*c)
        });
        if let Some(c) = hit {
            used.push(c);
        } else if col.required {
            return None;
        }
        found.push(hit);
    }
    found.iter().any(Option::is_some).then_some(found)
}

fn row_text(row: &BTreeMap<u32, CellValue>) -> String {
    row.values()
        .filter_map(|v| match v {
            CellValue::Text(s) => Some(s.trim().replace("_x000D_", "")),
            CellValue::Number(x) => Some(x.to_string()),
            CellValue::Int(i) => Some(i.to_string()),
            CellValue::DateTime(d) => Some(d.date().to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Is `row` the header again (printed page headers)? It names the spec's columns at the places
/// the header row did. Only those cells are compared, and the first one that is not header
/// text (a date, an amount) answers: a 100,000-row ledger must not normalise every text cell of
/// every row against every synonym (that was most of the import's time).
fn repeats_header(row: &BTreeMap<u32, CellValue>, mapping: &[Option<u32>], spec: &TableSpec) -> bool {
    mapping
        .iter()
        .zip(spec.columns)
        .filter_map(|(c, col)| c.map(|c| (c, col)))
        .all(|(c, col)| {
            row.get(&c)
                .and_then(CellValue::as_text)
                .is_some_and(|t| header_matches(t, col.label, col.synonyms))
        })
}

/// Cut the table described by `spec` out of one sheet; `None` when no header row matches.
pub fn build_table(sheet: SheetCells, spec: &TableSpec) -> Option<ImportedTable> {
    let mut rows: Vec<Row> = Vec::new();
    for (r, c, v) in sheet.cells {
        match rows.last_mut() {
            Some((lr, map)) if *lr == r => {
                map.insert(c, v);
            }
            _ => rows.push((r, BTreeMap::from([(c, v)]))),
        }
    }
    let (header_idx, mapping) = rows
        .iter()
        .take(HEADER_SCAN_ROWS)
        .enumerate()
        .find_map(|(i, (_, row))| match_header(row, spec).map(|m| (i, m)))?;

    let mut table = ImportedTable {
        sheet: sheet.name,
        header_row: rows[header_idx].0 + 1,
        columns: mapping.iter().map(|c| c.map(column_letter)).collect(),
        labels: spec.columns.iter().map(|c| c.label.to_string()).collect(),
        title: rows[..header_idx]
            .iter()
            .map(|(_, r)| row_text(r))
            .collect(),
        rows: Vec::new(),
        total_rows: Vec::new(),
        notes: Vec::new(),
    };
    let mut ended = false;
    for (r, row) in rows.into_iter().skip(header_idx + 1) {
        if ended {
            let t = row_text(&row);
            if !t.is_empty() {
                table.notes.push(t);
            }
            continue;
        }
        let cells: Vec<CellValue> = mapping
            .iter()
            .map(|c| c.and_then(|c| row.get(&c).cloned()).unwrap_or_default())
            .collect();
        let total = row
            .values()
            .filter_map(CellValue::as_text)
            .find_map(total_kind);
        let imported = ImportedRow { row: r + 1, cells };
        match total {
            Some(kind) => {
                table.total_rows.push(imported);
                ended = kind == TotalKind::Total;
            }
            None if imported.cells.iter().all(CellValue::is_empty) => {}
            None if repeats_header(&row, &mapping, spec) => {}
            None => table.rows.push(imported),
        }
    }
    Some(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_variants_match() {
        assert!(header_matches("金额（元）", "金额", &[]));
        assert!(header_matches("金 额\n(元)", "金额", &[]));
        assert!(header_matches("金额(元)", "金额(元)", &[]));
        assert!(header_matches("发生\r\n日期", "日期", &["发生日期"]));
        assert!(header_matches("ＲＭＢ", "rmb", &[]));
        assert!(!header_matches("计提/收取(贷方)", "计提/收取(借方)", &[]));
        assert!(!header_matches("金额合计", "金额", &[]));
    }

    #[test]
    fn total_markers() {
        assert_eq!(total_kind("合计"), Some(TotalKind::Total));
        assert_eq!(total_kind("合 计："), Some(TotalKind::Total));
        assert_eq!(total_kind("本页小计"), Some(TotalKind::Subtotal));
        assert_eq!(total_kind("总计"), Some(TotalKind::Total));
        assert_eq!(total_kind("退还上月多扣款项的合计差额说明"), None);
        assert_eq!(total_kind("张三"), None);
    }
}
