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
use super::unit::{unit_in_text, Unit};
use super::values::{kind_label, Profile, ValueKind, PROFILE_ROWS};
use super::{header_row_of, CellValue, ColumnOverrides, Confidence, ImportedRow, ImportedTable, SourceColumn, TableSpec, HEADER_ROW_KEY};
use std::collections::BTreeMap;

/// How many non-blank rows from the top may precede the header.
pub const HEADER_SCAN_ROWS: usize = 30;

/// Units people append to a header in brackets; `金额(元)` means the column `金额`.
const UNIT_SUFFIXES: &[&str] = &["元", "万元", "千元", "人民币", "人民币元", "rmb", "cny", "%", "天", "个月", "月", "年", "yuan"];

/// Header text → comparable form: full-width → half-width, whitespace (incl. line breaks
/// and Excel's `_x000D_`) removed, ASCII lower case.
pub fn normalize_header(s: &str) -> String {
    s.replace("_x000D_", "").chars().map(half_width).filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
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
        UNIT_SUFFIXES.contains(&&rest[open + 1..]).then(|| &rest[..open])
    });
    [Some(norm), stripped.filter(|s| !s.is_empty())]
}

/// Does header cell text `cell` name the spec column with `label`/`synonyms`?
pub fn header_matches(cell: &str, label: &str, synonyms: &[&str]) -> bool {
    let cell_n = normalize_header(cell);
    std::iter::once(label).chain(synonyms.iter().copied()).any(|name| {
        let name_n = normalize_header(name);
        let name_forms = header_forms(&name_n);
        header_forms(&cell_n).iter().flatten().any(|c| name_forms.iter().flatten().any(|n| c == n))
    })
}

/// What a 合计-like row is. Only a plain 合计/总计 ends the data; period totals (本月合计,
/// 本季合计, 小计) and running totals (本年累计, 累计, 承前页, 过次页) sit between data rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalKind {
    /// 小计, 本月合计, 本季合计: the sum of the rows since the previous such row.
    Subtotal,
    /// 本年累计, 累计: the sum of all rows so far; 过次页 carries a page's running sums.
    Cumulative,
    /// 合计, 总计: the sum of the table; what follows is notes.
    Total,
}

/// Is this cell text a total-row marker? Short text that is, or starts/ends with, 合计/总计/小计,
/// or names a running total (累计, 承前页, 过次页).
pub fn total_kind(s: &str) -> Option<TotalKind> {
    // Every marker has 计 or 过次页: most cells (every cell of a CSV row is text) are answered
    // by this search without normalising them.
    if !s.contains('计') && !s.contains("过次") {
        return None;
    }
    let n: String = normalize_header(s).chars().filter(|c| !":：".contains(*c)).collect();
    if n.chars().count() > 8 {
        return None;
    }
    let has = |w: &str| n.starts_with(w) || n.ends_with(w);
    if has("小计") {
        Some(TotalKind::Subtotal)
    } else if has("累计") || n.contains("过次页") {
        Some(TotalKind::Cumulative)
    } else if n == "合计" || n == "总计" || n.starts_with("合计") || n.starts_with("总计") || n == "本表合计" || n == "全部合计" {
        Some(TotalKind::Total)
    } else if has("合计") || has("总计") {
        // 本月合计, 本季合计, 3月合计, 一季度合计: a period of the ledger, data continues.
        Some(TotalKind::Subtotal)
    } else {
        None
    }
}

type Row = (u32, BTreeMap<u32, CellValue>);

/// How a spec column was found in the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// Its label or a known synonym.
    Name,
    /// The words of the header (the spec's [`TableSpec::meaning`]).
    Meaning,
    /// Its header, but the values under it contradict the field (see [`Profile::contradicts`]).
    Doubt,
}

/// What the values of each column below a candidate header row look like.
type Profiles = BTreeMap<u32, Profile>;

/// The profiles of the columns of `rows` (the first [`PROFILE_ROWS`] data rows under a header);
/// empty when the spec does not say what its columns hold.
fn profiles(rows: &[Row], spec: &TableSpec) -> Profiles {
    let mut out = Profiles::new();
    if spec.values.is_none() {
        return out;
    }
    for (_, row) in rows.iter().take(PROFILE_ROWS) {
        // A subtotal or a repeated unit line is not a value of the columns.
        if row.values().filter_map(CellValue::as_text).any(|t| total_kind(t).is_some()) {
            continue;
        }
        for (c, v) in row {
            out.entry(*c).or_default().add(v);
        }
    }
    out
}

/// The kind of value spec column `i` holds, when the spec says.
fn expected(spec: &TableSpec, i: usize) -> Option<ValueKind> {
    spec.values.and_then(|f| f(spec.columns[i].key))
}

/// How well the values of sheet column `c` fit spec column `i` (1 when unknown).
fn fit(spec: &TableSpec, profiles: &Profiles, i: usize, c: u32) -> f64 {
    match (expected(spec, i), profiles.get(&c)) {
        (Some(k), Some(p)) => p.fit(k),
        _ => 1.0,
    }
}

/// Of `candidates` (sheet columns, left to right), the one whose values fit spec column `i`
/// best; the leftmost among equals.
fn best_fit(spec: &TableSpec, profiles: &Profiles, i: usize, candidates: &[u32]) -> Option<u32> {
    let mut best: Option<(u32, f64)> = None;
    for &c in candidates {
        let f = fit(spec, profiles, i, c);
        if best.is_none_or(|(_, bf)| f > bf) {
            best = Some((c, f));
        }
    }
    best.map(|(c, _)| c)
}

/// Map spec column index → sheet column, if `header` (column → header text) is a header row
/// for `spec`. Known spellings are matched first, then the columns still missing by the meaning
/// of their words; where several header cells name the same field, the one whose values fit it
/// wins (the leftmost among equals). A match whose values contradict its field is replaced by
/// another column of the same meaning whose values fit, or kept as [`Found::Doubt`].
fn match_header(header: &BTreeMap<u32, String>, spec: &TableSpec, profiles: &Profiles) -> Option<Vec<Option<(u32, Found)>>> {
    let mut used: Vec<u32> = Vec::new();
    let mut found: Vec<Option<(u32, Found)>> = vec![None; spec.columns.len()];
    for (i, col) in spec.columns.iter().enumerate() {
        let candidates: Vec<u32> = header.iter().filter(|(c, t)| !used.contains(c) && header_matches(t, col.label, col.synonyms)).map(|(c, _)| *c).collect();
        if let Some(c) = best_fit(spec, profiles, i, &candidates) {
            used.push(c);
            found[i] = Some((c, Found::Name));
        }
    }
    // The meaning of each header cell not matched by name: spec index → candidate columns.
    let mut meant: Vec<Vec<u32>> = vec![Vec::new(); spec.columns.len()];
    if let Some(meaning) = spec.meaning {
        for (c, t) in header {
            if used.contains(c) {
                continue;
            }
            let n = normalize_header(t);
            // Header words are short and carry no figures; a data cell is neither.
            if n.chars().count() > 16 || n.chars().any(|ch| ch.is_ascii_digit()) {
                continue;
            }
            if let Some(i) = meaning(&n).and_then(|key| spec.index_of(key)) {
                meant[i].push(*c);
            }
        }
        for (i, candidates) in meant.iter().enumerate() {
            if found[i].is_some() {
                continue;
            }
            if let Some(c) = best_fit(spec, profiles, i, candidates) {
                used.push(c);
                found[i] = Some((c, Found::Meaning));
            }
        }
    }
    for i in 0..spec.columns.len() {
        let (Some((c, _)), Some(kind)) = (found[i], expected(spec, i)) else { continue };
        if !profiles.get(&c).is_some_and(|p| p.contradicts(kind)) {
            continue;
        }
        let other = meant[i].iter().copied().find(|o| !used.contains(o) && profiles.get(o).is_some_and(|p| p.total() > 0 && p.fit(kind) >= 0.5));
        found[i] = Some(match other {
            Some(o) => {
                used.push(o);
                (o, Found::Meaning)
            }
            None => (c, Found::Doubt),
        });
    }
    let has = |key: &str| spec.index_of(key).is_some_and(|i| found[i].is_some());
    let required_ok = spec.columns.iter().zip(&found).all(|(col, f)| !col.required || f.is_some());
    let any_ok = spec.any_of.is_empty() || spec.any_of.iter().any(|k| has(k));
    let count = found.iter().flatten().count();
    (required_ok && any_ok && count >= 1 && (count >= 2 || spec.columns.len() == 1)).then_some(found)
}

/// The text cells of a row (column → text), for header matching.
fn texts(row: &BTreeMap<u32, CellValue>) -> BTreeMap<u32, String> {
    row.iter().filter_map(|(c, v)| v.as_text().map(|t| (*c, t.trim().to_string()))).filter(|(_, t)| !t.is_empty()).collect()
}

/// A second header row under a first (a merged group cell such as `金额（元）` over `计提 / 扣款
/// / 退还`): only text, no figures. Returns the combined header — the lower cell where there is
/// one, the upper cell elsewhere — and each column's group text (the upper cell, carried right
/// across the merged area), where units such as `（万元）` often stand.
fn combine_two_rows(upper: &BTreeMap<u32, CellValue>, lower: &BTreeMap<u32, CellValue>) -> Option<(BTreeMap<u32, String>, BTreeMap<u32, String>)> {
    if lower.len() < 2 || !is_header_words(lower) {
        return None;
    }
    let up = texts(upper);
    let low = texts(lower);
    let mut combined = up.clone();
    let mut groups = BTreeMap::new();
    for (c, t) in &low {
        combined.insert(*c, t.clone());
        // The group over column c: the upper cell at c, or the nearest one to its left when the
        // cells between are empty (a merged area stores its text in its first cell only).
        if let Some((_, g)) = up.range(..=*c).next_back() {
            groups.insert(*c, g.clone());
        }
    }
    Some((combined, groups))
}

/// Only text without figures: what a header row is made of.
fn is_header_words(row: &BTreeMap<u32, CellValue>) -> bool {
    row.values().all(|v| matches!(v, CellValue::Text(t) if !t.chars().any(|c| c.is_ascii_digit())))
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

/// Is `row` the header again (printed page headers)? It holds, at each found column, the text
/// the header row had there. Only those cells are compared, and the first one that is not header
/// text (a date, an amount) answers: a 100,000-row ledger must not normalise every text cell of
/// every row against every synonym (that was most of the import's time).
fn repeats_header(row: &BTreeMap<u32, CellValue>, header: &[(u32, String)]) -> bool {
    // No header words (a table without a header row): nothing can repeat them.
    !header.is_empty()
        && header.iter().all(|(c, norm)| {
            row.get(c)
                .and_then(CellValue::as_text)
                // A CSV's dates and amounts are text too: one with figures where the header has none
                // answers without normalising it.
                .filter(|t| t.bytes().any(|b| b.is_ascii_digit()) == norm.bytes().any(|b| b.is_ascii_digit()))
                .is_some_and(|t| normalize_header(t) == *norm)
        })
}

/// Cut the table described by `spec` out of one sheet; `None` when no header row matches.
pub fn build_table(sheet: SheetCells, spec: &TableSpec) -> Option<ImportedTable> {
    build_table_with(sheet, spec, &[])
}

/// [`build_table`] with the user's column mapping applied once the header row is found.
pub fn build_table_with(sheet: SheetCells, spec: &TableSpec, overrides: &ColumnOverrides) -> Option<ImportedTable> {
    let mut rows: Vec<Row> = Vec::new();
    for (r, c, v) in sheet.cells {
        match rows.last_mut() {
            Some((lr, map)) if *lr == r => {
                map.insert(c, v);
            }
            _ => rows.push((r, BTreeMap::from([(c, v)]))),
        }
    }
    // The header: the first of the top rows that names the spec's columns, alone or together
    // with the row under it (two-row headers); the pair wins when it finds more columns.
    let mut chosen = None;
    for i in 0..rows.len().min(HEADER_SCAN_ROWS) {
        let single_text = texts(&rows[i].1);
        let single = match_header(&single_text, spec, &profiles(&rows[i + 1..], spec));
        let n = |m: &Vec<Option<(u32, Found)>>| m.iter().flatten().count();
        // The upper row of a pair is header words too (no figures, no dates), and it must add
        // columns the lower row alone does not find: a subtitle above a header is not a pair.
        let pair = rows
            .get(i + 1)
            .filter(|next| next.0 == rows[i].0 + 1 && is_header_words(&rows[i].1))
            .and_then(|next| combine_two_rows(&rows[i].1, &next.1).map(|c| (next, c)))
            .and_then(|(next, (text, groups))| {
                let below = profiles(rows.get(i + 2..).unwrap_or_default(), spec);
                let lower_alone = match_header(&texts(&next.1), spec, &below).map_or(0, |m| n(&m));
                match_header(&text, spec, &below).filter(|m| n(m) > lower_alone).map(|m| (m, text, groups))
            });
        match (single, pair) {
            (s, Some((p, text, groups))) if s.as_ref().is_none_or(|s| n(&p) > n(s)) => {
                chosen = Some((i, 2, p, text, groups));
                break;
            }
            (Some(s), _) => {
                chosen = Some((i, 1, s, single_text, BTreeMap::new()));
                break;
            }
            _ => {}
        }
    }
    // The user pointed at the header row (or said there is none): it is the header, whatever
    // its words; the columns are what the user maps.
    let forced = header_row_of(overrides);
    if let Some(r) = forced {
        let (i, hr) = match r {
            0 if !rows.is_empty() => (0, 0),
            0 => return None,
            r => (rows.iter().position(|(rr, _)| rr + 1 == r)?, 1),
        };
        let mut text = if hr == 1 { texts(&rows[i].1) } else { BTreeMap::new() };
        let below = profiles(&rows[i + hr..], spec);
        let mapping = match_header(&text, spec, &below).unwrap_or_else(|| vec![None; spec.columns.len()]);
        // Every column holding values below, with or without a header word, can be mapped.
        for (_, row) in rows[i + hr..].iter().take(PROFILE_ROWS) {
            for c in row.keys() {
                text.entry(*c).or_default();
            }
        }
        chosen = Some((i, hr, mapping, text, BTreeMap::new()));
    }
    let (header_idx, header_rows, mut mapping, header_text, groups) = chosen?;
    let mut by_user = vec![false; spec.columns.len()];
    for (col, key) in overrides.iter().filter(|(_, k)| k.as_deref() != Some(HEADER_ROW_KEY)) {
        for m in mapping.iter_mut() {
            if m.is_some_and(|(c, _)| c == *col) {
                *m = None;
            }
        }
        if let Some(i) = key.as_deref().and_then(|k| spec.index_of(k)) {
            mapping[i] = Some((*col, Found::Name));
            by_user[i] = true;
        }
    }
    let title: Vec<String> = rows[..header_idx].iter().map(|(_, r)| row_text(r)).collect();
    let col_of = |i: usize| mapping[i].map(|(c, _)| c);
    let headers: Vec<Option<String>> = (0..spec.columns.len()).map(|i| col_of(i).and_then(|c| header_text.get(&c).cloned())).collect();
    let units = (0..spec.columns.len())
        .map(|i| {
            let c = col_of(i)?;
            header_text.get(&c).and_then(|t| unit_in_header(t)).or_else(|| groups.get(&c).and_then(|g| unit_in_header(g)))
        })
        .collect();
    // Every header column with three values from the first data rows, for the mapping step.
    let samples_from = &rows[(header_idx + header_rows).min(rows.len())..];
    let source_columns: Vec<SourceColumn> = header_text
        .iter()
        .map(|(c, h)| {
            let i = mapping.iter().position(|m| m.is_some_and(|(mc, _)| mc == *c));
            let header = match groups.get(c) {
                Some(g) if g != h => format!("{g}/{h}"),
                _ => h.clone(),
            };
            SourceColumn {
                index: *c,
                letter: column_letter(*c),
                header,
                samples: samples_from.iter().filter_map(|(_, r)| r.get(c).map(sample_text)).filter(|t| !t.is_empty()).take(3).collect(),
                key: i.map(|i| spec.columns[i].key),
                confidence: match i {
                    Some(i) if by_user[i] => Confidence::User,
                    Some(i) if matches!(mapping[i], Some((_, Found::Meaning))) => Confidence::Meaning,
                    Some(i) if matches!(mapping[i], Some((_, Found::Doubt))) => Confidence::Doubt,
                    Some(_) => Confidence::Name,
                    None => Confidence::None,
                },
            }
        })
        .collect();
    let below = profiles(samples_from, spec);
    let doubts = source_columns
        .iter()
        .filter(|c: &&SourceColumn| c.confidence == Confidence::Doubt)
        .map(|c| {
            let field = c.key.and_then(|k| spec.columns.iter().find(|x| x.key == k)).map_or("", |x| x.label);
            let looks = below.get(&c.index).and_then(Profile::dominant).map_or("别的内容", kind_label);
            format!("{} 列「{}」的值像{looks}（{}），不像{field}：请在字段对应中核对这一列", c.letter, c.header, c.samples.join("、"))
        })
        .collect();
    let repeat: Vec<(u32, String)> = (0..spec.columns.len())
        .filter_map(|i| col_of(i).and_then(|c| header_text.get(&c).filter(|t| !t.is_empty()).map(|t| (c, normalize_header(t)))))
        .collect();

    let mut table = ImportedTable {
        sheet: sheet.name,
        header_row: forced.unwrap_or(rows[header_idx].0 + 1),
        columns: (0..spec.columns.len()).map(|i| col_of(i).map(column_letter)).collect(),
        labels: spec.columns.iter().map(|c| c.label.to_string()).collect(),
        unit: title.iter().find_map(|t| unit_in_text(t)),
        title,
        headers,
        units,
        by_meaning: mapping.iter().map(|m| matches!(m, Some((_, Found::Meaning | Found::Doubt)))).collect(),
        source_columns,
        rows: Vec::new(),
        total_rows: Vec::new(),
        total_kinds: Vec::new(),
        notes: Vec::new(),
        doubts,
    };
    let mut ended = false;
    for (r, row) in rows.into_iter().skip(header_idx + header_rows) {
        if ended {
            let t = row_text(&row);
            if !t.is_empty() {
                table.notes.push(t);
            }
            continue;
        }
        let cells: Vec<CellValue> = (0..spec.columns.len()).map(|i| col_of(i).and_then(|c| row.get(&c).cloned()).unwrap_or_default()).collect();
        let total = row.values().filter_map(CellValue::as_text).find_map(total_kind);
        let imported = ImportedRow { row: r + 1, cells };
        match total {
            Some(kind) => {
                table.total_rows.push(imported);
                table.total_kinds.push(kind);
                ended = kind == TotalKind::Total;
            }
            None if imported.cells.iter().all(CellValue::is_empty) => {}
            None if repeats_header(&row, &repeat) => {}
            None => table.rows.push(imported),
        }
    }
    Some(table)
}

/// A cell as a short sample for the mapping step.
pub fn sample_text(v: &CellValue) -> String {
    let s = match v {
        CellValue::Empty => String::new(),
        CellValue::Text(t) => t.trim().to_string(),
        CellValue::Number(x) => x.to_string(),
        CellValue::Int(i) => i.to_string(),
        CellValue::Bool(b) => b.to_string(),
        CellValue::DateTime(d) if d.time() == chrono::NaiveTime::MIN => d.date().to_string(),
        CellValue::DateTime(d) => d.to_string(),
        CellValue::Error(e) => e.clone(),
    };
    s.chars().take(24).collect()
}

/// The unit a header cell names in brackets or after 单位 (`金额(万元)`, `贷方（千元）`).
fn unit_in_header(t: &str) -> Option<Unit> {
    unit_in_text(t)
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
        // Period and running totals sit between data rows: they must not end the table.
        assert_eq!(total_kind("本季合计"), Some(TotalKind::Subtotal));
        assert_eq!(total_kind("本月合计"), Some(TotalKind::Subtotal));
        assert_eq!(total_kind("本年累计"), Some(TotalKind::Cumulative));
        assert_eq!(total_kind("累计"), Some(TotalKind::Cumulative));
        assert_eq!(total_kind("退还上月多扣款项的合计差额说明"), None);
        assert_eq!(total_kind("张三"), None);
    }

    const VCOLS: &[super::super::ColumnSpec] = &[
        super::super::ColumnSpec { key: "date", label: "日期", synonyms: &[], required: true },
        super::super::ColumnSpec { key: "amount", label: "金额", synonyms: &[], required: false },
        super::super::ColumnSpec { key: "ticket_no", label: "报修单号", synonyms: &[], required: false },
    ];

    fn vmeaning(n: &str) -> Option<&'static str> {
        if n.contains("日期") {
            Some("date")
        } else if n.contains("金额") || n.contains("发生额") {
            Some("amount")
        } else if n.contains("单号") {
            Some("ticket_no")
        } else {
            None
        }
    }

    fn vkind(key: &str) -> Option<ValueKind> {
        match key {
            "date" => Some(ValueKind::Date),
            "amount" => Some(ValueKind::Money),
            "ticket_no" => Some(ValueKind::Ticket),
            _ => None,
        }
    }

    const VSPEC: TableSpec = TableSpec { name: "测试", columns: VCOLS, meaning: Some(vmeaning), any_of: &[], values: Some(vkind) };

    /// A sheet of text cells, row by row.
    fn sheet(rows: &[&[&str]]) -> SheetCells {
        let cells = rows
            .iter()
            .enumerate()
            .flat_map(|(r, row)| {
                row.iter().enumerate().filter(|(_, t)| !t.is_empty()).map(move |(c, t)| (r as u32, c as u32, CellValue::Text((*t).to_string())))
            })
            .collect();
        SheetCells { name: "明细".into(), cells }
    }

    fn matched(t: &ImportedTable) -> Vec<(Option<&'static str>, Confidence)> {
        t.source_columns.iter().map(|c| (c.key, c.confidence)).collect()
    }

    #[test]
    fn values_break_a_tie_between_header_cells_of_the_same_meaning() {
        // 登记日期 holds text notes, 发生日期 the dates: the dates win though they stand right.
        let t = build_table(sheet(&[&["登记日期", "发生日期", "发生金额"], &["见附件", "2026-07-03", "1,200.00"], &["同上", "2026-07-04", "300.00"]]), &VSPEC)
            .expect("table");
        assert_eq!(t.columns[0].as_deref(), Some("B"));
        assert_eq!(matched(&t), vec![(None, Confidence::None), (Some("date"), Confidence::Meaning), (Some("amount"), Confidence::Meaning)]);
        assert!(t.doubts.is_empty());
    }

    #[test]
    fn values_that_contradict_a_named_column_put_it_in_doubt() {
        // A column named 金额 whose values are dates: kept, but in doubt and said in words.
        let t = build_table(sheet(&[&["日期", "金额"], &["2026-07-03", "2026-07-05"], &["2026-07-04", "7月6日"]]), &VSPEC).expect("table");
        assert_eq!(matched(&t), vec![(Some("date"), Confidence::Name), (Some("amount"), Confidence::Doubt)]);
        assert_eq!(t.doubts.len(), 1);
        assert!(t.doubts[0].starts_with("B 列「金额」的值像日期"), "{}", t.doubts[0]);
    }

    #[test]
    fn a_contradicted_match_moves_to_a_column_of_the_same_meaning_whose_values_fit() {
        // 金额 (by name) holds ticket numbers, 发生额 (by meaning) the money: 发生额 serves.
        let t =
            build_table(sheet(&[&["日期", "金额", "发生额"], &["2026-07-03", "BX-2026-000123", "1,200.00"], &["2026-07-04", "BX-2026-000124", "50"]]), &VSPEC)
                .expect("table");
        assert_eq!(t.columns[1].as_deref(), Some("C"));
        assert!(t.doubts.is_empty());
    }

    #[test]
    fn values_fitting_their_field_change_nothing() {
        let t = build_table(sheet(&[&["日期", "金额", "报修单号"], &["2026-07-03", "1,200.00", "BX-2026-000123"], &["2026-07-04", "—", ""]]), &VSPEC)
            .expect("table");
        assert_eq!(matched(&t), vec![(Some("date"), Confidence::Name), (Some("amount"), Confidence::Name), (Some("ticket_no"), Confidence::Name)]);
        assert!(t.doubts.is_empty());
    }

    fn overrides(pairs: &[(u32, &str)]) -> Vec<(u32, Option<String>)> {
        pairs.iter().map(|(c, k)| (*c, Some((*k).to_string()))).collect()
    }

    #[test]
    fn a_header_row_the_user_picks_is_the_header_whatever_its_words() {
        let s = sheet(&[&["流水账"], &["时间", "款项", "说明"], &["2026-07-03", "1,200.00", "计提"], &["2026-07-04", "300.00", "扣款"]]);
        assert!(build_table(s.clone(), &VSPEC).is_none(), "no header by its words");
        let t = build_table_with(s, &VSPEC, &overrides(&[(2, HEADER_ROW_KEY), (0, "date"), (1, "amount")])).expect("table");
        assert_eq!((t.header_row, t.rows.len(), t.title.clone()), (2, 2, vec!["流水账".to_string()]));
        assert_eq!(t.columns, vec![Some("A".to_string()), Some("B".to_string()), None]);
        assert_eq!(t.source_columns.len(), 3);
        assert_eq!(t.source_columns[1].samples, vec!["1,200.00", "300.00"]);
    }

    #[test]
    fn a_table_without_a_header_row_is_read_from_its_first_row_once_mapped() {
        let s = sheet(&[&["2026-07-03", "1,200.00"], &["2026-07-04", "300.00"]]);
        let t = build_table_with(s, &VSPEC, &overrides(&[(0, HEADER_ROW_KEY), (0, "date"), (1, "amount")])).expect("table");
        assert_eq!((t.header_row, t.rows.len()), (0, 2));
        assert_eq!(t.rows[0].cells[0], CellValue::Text("2026-07-03".into()));
        assert_eq!(t.source_columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>(), vec!["", ""]);
        // A row number beyond the sheet finds nothing rather than guessing.
        let s = sheet(&[&["2026-07-03", "1,200.00"]]);
        assert!(build_table_with(s, &VSPEC, &overrides(&[(9, HEADER_ROW_KEY)])).is_none());
    }
}
