//! Reading the project department's deposit-ledger workbook (保修金明细账, LEDGER-EXCEL.md):
//! the 汇总 sheet (one row per builder contract) and the 明细 sheet (one row per movement),
//! recognised by their header rows whatever the sheets are called. Used by the A3 import and
//! by the B4 reconciliation, and able to read back the desk's own finance export.
//!
//! Every rejected cell becomes a [`CellError`] naming sheet, row and column; a 合计 row is
//! checked against the sum of the rows above it; a 余额 column that disagrees with the running
//! balance is a warning (the movements are what the department booked; its balance formula may
//! be wrong).

use crate::error::{DeskError, DeskResult};
use chrono::NaiveDate;
use desk_documents::excel_in::values::ValueKind;
use desk_documents::excel_in::{self, CellError, CellValue, ColumnSpec, Confidence, ImportedRow, ImportedTable, Limits, TableSpec, TotalKind, Unit};
use desk_domain::fund::ledger::parse_rate_bp;
use desk_domain::fund::EntryKind;
use desk_domain::money::Fen;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

const MOVEMENT_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec { key: "date", label: "日期", synonyms: &["发生日期", "记账日期", "业务日期", "凭证日期"], required: true },
    ColumnSpec { key: "voucher", label: "凭证号", synonyms: &["凭证编号", "凭证字号", "记账凭证号", "凭证"], required: false },
    // Not required: a sheet per builder names it in the sheet name, title or 单位名称 line.
    ColumnSpec {
        key: "builder", label: "施工单位", synonyms: &["单位名称", "承包单位", "原施工单位", "施工单位名称", "承包人", "单位"], required: false
    },
    ColumnSpec { key: "contract_no", label: "合同编号", synonyms: &["合同号", "合同/标段", "标段", "合同编码"], required: false },
    ColumnSpec { key: "summary", label: "摘要", synonyms: &["事由", "内容", "业务摘要"], required: false },
    ColumnSpec { key: "ticket_no", label: "报修单号", synonyms: &["报修编号", "维修单号", "工单号", "报修单编号"], required: false },
    ColumnSpec { key: "request_no", label: "付款申请号", synonyms: &["付款申请单号", "申请单号", "付款单号"], required: false },
    ColumnSpec {
        key: "credit",
        label: "计提/收取(贷方)",
        synonyms: &["计提/收取", "贷方", "贷方金额", "计提", "收取", "收取金额", "计提金额", "增加", "本期增加"],
        required: false,
    },
    ColumnSpec {
        key: "debit",
        label: "扣款/支付(借方)",
        synonyms: &["扣款/支付", "借方", "借方金额", "扣款", "支付", "扣款金额", "支付金额", "减少", "本期减少"],
        required: false,
    },
    ColumnSpec { key: "refund", label: "退还", synonyms: &["退还金额", "返还", "返还金额"], required: false },
    ColumnSpec { key: "balance", label: "余额", synonyms: &["结余", "余额(贷)", "期末余额"], required: false },
    ColumnSpec { key: "handler", label: "经办人", synonyms: &["经手人", "办理人"], required: false },
    ColumnSpec { key: "note", label: "备注", synonyms: &["说明"], required: false },
    // A finance system's shape: one amount column and a direction column (借/贷, 收/付, +/−).
    ColumnSpec { key: "amount", label: "金额", synonyms: &["发生额", "发生金额"], required: false },
    ColumnSpec { key: "direction", label: "方向", synonyms: &["借贷方向", "借/贷", "借或贷", "收/付", "收支", "收付方向"], required: false },
];

/// A 明细 header cell by its words, when no known spelling matched (`借方(扣款)`, `贷方（计提）`,
/// `本期计提金额`): the meaning words (计提, 扣款 …) decide before the accounting side (借/贷),
/// because for the deposit the developer holds 贷方 = retained and 借方 = deducted or refunded.
fn movement_meaning(n: &str) -> Option<&'static str> {
    let has = |w: &str| n.contains(w);
    let any = |ws: &[&str]| ws.iter().any(|w| n.contains(w));
    if any(&["余额", "结余", "结存"]) {
        return Some("balance");
    }
    if any(&["方向", "借或贷", "借/贷", "收/付", "收支", "借贷"]) || n == "+/-" || n == "±" {
        return Some("direction");
    }
    if any(&["日期", "时间"]) || n == "日" || n == "记账日" {
        // 保修期起/止, 到期日期 belong to the 汇总 sheet, not to a movement.
        return (!any(&["起", "止", "到期", "截止", "保修期"])).then_some("date");
    }
    if has("凭证") {
        return Some("voucher");
    }
    if any(&["报修", "工单", "维修单"]) {
        return Some("ticket_no");
    }
    if has("申请") {
        return Some("request_no");
    }
    if any(&["合同", "标段"]) {
        return Some("contract_no");
    }
    if any(&["单位", "承包", "施工方", "往来", "客户", "供应商", "分包商", "乙方"]) {
        return Some("builder");
    }
    if any(&["摘要", "事由", "内容", "业务说明"]) {
        return Some("summary");
    }
    if any(&["经办", "经手", "制单"]) {
        return Some("handler");
    }
    if any(&["备注", "说明", "附注"]) {
        return Some("note");
    }
    if any(&["退还", "返还", "退回", "退款", "退保"]) {
        return Some("refund");
    }
    if any(&["计提", "收取", "收到", "扣留", "预留", "留存", "存入", "增加", "收入"]) {
        return Some("credit");
    }
    if any(&["扣款", "扣除", "扣减", "支付", "付款", "支出", "减少", "使用", "动用"]) {
        return Some("debit");
    }
    if has("贷") {
        return Some("credit");
    }
    if has("借") {
        return Some("debit");
    }
    if any(&["金额", "发生额"]) {
        return Some("amount");
    }
    None
}

/// The 明细 sheet.
pub const MOVEMENTS: TableSpec = TableSpec {
    name: "保修金明细",
    columns: MOVEMENT_COLUMNS,
    meaning: Some(movement_meaning),
    any_of: &["credit", "debit", "refund", "amount", "balance"],
    values: Some(movement_values),
};

/// What each 明细 column holds, so the values under a header confirm or doubt its words.
fn movement_values(key: &str) -> Option<ValueKind> {
    Some(match key {
        "date" => ValueKind::Date,
        "credit" | "debit" | "refund" | "balance" | "amount" => ValueKind::Money,
        "ticket_no" => ValueKind::Ticket,
        "voucher" => ValueKind::Voucher,
        "direction" => ValueKind::Direction,
        "builder" | "summary" => ValueKind::Text,
        _ => return None,
    })
}

const CONTRACT_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec { key: "builder", label: "施工单位", synonyms: &["单位名称", "承包单位", "施工单位名称", "承包人"], required: true },
    ColumnSpec {
        key: "deposit", label: "保修金金额", synonyms: &["保修金", "质保金金额", "质保金", "保修金额", "应留保修金"], required: true
    },
    ColumnSpec { key: "project", label: "项目名称", synonyms: &["项目"], required: false },
    ColumnSpec { key: "contract_no", label: "合同编号", synonyms: &["合同号", "合同编码"], required: false },
    ColumnSpec { key: "contract_name", label: "合同名称", synonyms: &["工程名称", "合同内容"], required: false },
    ColumnSpec { key: "trade", label: "专业/分包内容", synonyms: &["专业", "分包内容", "专业类别", "承包内容"], required: false },
    ColumnSpec { key: "contract_amount", label: "合同金额", synonyms: &["合同价", "合同价款"], required: false },
    ColumnSpec { key: "settled", label: "结算金额", synonyms: &["结算价", "结算价款", "决算金额"], required: false },
    ColumnSpec { key: "rate", label: "保修金比例", synonyms: &["比例", "保修金比率", "质保金比例", "扣留比例"], required: false },
    ColumnSpec { key: "start", label: "保修期起", synonyms: &["缺陷责任期起", "保修起始日", "起始日期"], required: false },
    ColumnSpec {
        key: "end", label: "保修期止", synonyms: &["缺陷责任期止", "保修到期日", "到期日期", "缺陷责任期满"], required: false
    },
    ColumnSpec { key: "deducted", label: "已扣款", synonyms: &["累计扣款", "已扣金额"], required: false },
    ColumnSpec { key: "refunded", label: "已退还", synonyms: &["累计退还", "已退金额"], required: false },
    ColumnSpec { key: "balance", label: "余额", synonyms: &["保修金余额", "结余"], required: false },
    ColumnSpec { key: "note", label: "备注", synonyms: &["说明"], required: false },
];

/// The 汇总 sheet.
pub const CONTRACTS: TableSpec = TableSpec { name: "保修金汇总", columns: CONTRACT_COLUMNS, meaning: None, any_of: &[], values: None };

/// One builder contract from the 汇总 sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractRow {
    pub sheet: String,
    pub row: u32,
    pub builder: String,
    pub project: String,
    pub contract_no: String,
    pub contract_name: String,
    pub trade: String,
    pub contract_amount: Option<Fen>,
    pub settled: Option<Fen>,
    pub rate_bp: Option<i64>,
    pub deposit: Fen,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub balance: Option<Fen>,
    pub note: String,
}

/// One movement from the 明细 sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct MovementRow {
    pub sheet: String,
    pub row: u32,
    pub date: NaiveDate,
    pub voucher_no: String,
    pub builder: String,
    pub contract_no: String,
    pub summary: String,
    pub ticket_no: String,
    pub payment_request_no: String,
    /// 计提/收取 (贷方)
    pub credit: Fen,
    /// 扣款/支付 (借方) plus 退还: both reduce the deposit.
    pub debit: Fen,
    /// Whether the debit was written in the 退还 column.
    pub refund: bool,
    pub balance: Option<Fen>,
    pub handler: String,
    pub note: String,
}

impl MovementRow {
    /// The entry kind: a refund when written in the 退还 column, unless the 摘要 says it is a
    /// reversal (a 红字 refund cancelled is a reversal, not a refund).
    pub fn kind(&self) -> EntryKind {
        let by_words = EntryKind::from_summary(&self.summary, self.credit, self.debit);
        if self.refund && by_words != EntryKind::Reversal {
            EntryKind::Refund
        } else {
            by_words
        }
    }
}

/// What a ledger workbook holds, with every problem found in it.
#[derive(Debug, Clone, Default)]
pub struct LedgerWorkbook {
    /// Set when no header could be found by its words: what was looked for and the first rows,
    /// for the user to point at the header row (see [`read_ledger_workbook_or_rows`]).
    pub no_header: Option<NoHeader>,
    pub file_name: String,
    pub sha256: String,
    /// Title lines above the headers (a title may name a project: shown, not obeyed).
    pub titles: Vec<String>,
    pub contracts: Vec<ContractRow>,
    pub movements: Vec<MovementRow>,
    /// Rejected cells: when any, an import writes nothing (unless valid rows only are chosen).
    pub errors: Vec<CellError>,
    /// The (sheet, row) of each 合计 row whose total disagrees with its rows: its errors are in
    /// `errors`, but it is not a movement to skip. Kept by type, not found again by the text.
    pub total_mismatches: std::collections::BTreeSet<(String, u32)>,
    /// Worth a look, not blocking: a 余额 that disagrees with the running balance.
    pub warnings: Vec<CellError>,
    /// What the reader understood and the user should know: a unit it scaled by, a builder taken
    /// from a title, columns recognised by their words.
    pub notes: Vec<String>,
    /// Each 明细 sheet's columns and what they were matched to (the 字段对应 step).
    pub mapping: Vec<ColumnMatch>,
    /// The first 明细 sheet's header, normalised: a remembered mapping applies to files whose
    /// header has the same shape. Empty when there is no 明细 sheet.
    pub shape: String,
    /// Excel column letter of each found column, by sheet and column key (`"voucher"` …), so a
    /// caller's own checks (duplicate vouchers) can name the cell too.
    pub columns: HashMap<String, HashMap<&'static str, String>>,
}

/// A file in which no header was found by its words: the mapping step starts from its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct NoHeader {
    /// What the desk looked for, in words.
    pub looked_for: String,
    /// The first rows of the file, for the user to pick the header row (or none).
    pub rows: Vec<excel_in::TopRow>,
}

/// What the desk looks for in a ledger's header row, said when it finds none.
pub const LOOKED_FOR: &str = "没有找到保修金明细账的表头：明细表的表头一行须有「日期」列和至少一列金额（计提/收取(贷方)、扣款/支付(借方)、退还、余额，或「金额」加「借/贷」方向列），汇总表的表头须有「施工单位」和「保修金金额」。可以在下面指出表头所在的行，再逐列选择对应的字段";

/// How many of the first rows the mapping step shows when no header was found.
const TOP_ROWS: usize = 12;

/// One source column of a 明细 sheet as the mapping step shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ColumnMatch {
    pub sheet: String,
    /// Excel column letter.
    pub column: String,
    pub header: String,
    /// Up to three values from the first rows.
    pub samples: Vec<String>,
    /// The field's key (`credit`), empty when the column is not used.
    pub field: String,
    pub field_label: String,
    pub confidence: Confidence,
}

/// A field a 明细 column can be mapped to, for the mapping step's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FieldOption {
    pub key: String,
    pub label: String,
}

/// The fields of the 明细 sheet, in the order the mapping step offers them.
pub fn movement_fields() -> Vec<FieldOption> {
    MOVEMENT_COLUMNS.iter().map(|c| FieldOption { key: c.key.to_string(), label: c.label.to_string() }).collect()
}

/// `H=credit,I=debit,J=-` (a key or its Chinese label; `-` or empty leaves the column out) →
/// the reader's overrides. Refused with a Chinese reason naming the bad part.
pub fn parse_column_map(text: &str) -> DeskResult<Vec<(u32, Option<String>)>> {
    parse_column_map_for(text, MOVEMENT_COLUMNS)
}

/// [`parse_column_map`] for the fields of another table (the owner roster).
pub fn parse_column_map_for(text: &str, columns: &[ColumnSpec]) -> DeskResult<Vec<(u32, Option<String>)>> {
    let mut out: Vec<(u32, Option<String>)> = Vec::new();
    for part in text.split([',', '，', ';', '；']).map(str::trim).filter(|p| !p.is_empty()) {
        let bad = |why: &str| {
            DeskError::invalid(
                "map",
                format!(
                    "字段对应「{part}」无效：{why}（应写成 H=credit 或 H=计提/收取(贷方)，H=- 表示不用这一列，表头=3 表示表头在第 3 行、表头=0 表示没有表头）"
                ),
            )
        };
        let (letter, field) = part.split_once(['=', '：', ':']).ok_or_else(|| bad("缺少等号"))?;
        // The header row the user points at: 表头=3 (header=3); 0 when the table has none.
        if matches!(letter.trim(), "表头" | "表头行" | "header") {
            let row: u32 = field.trim().parse().map_err(|_| bad("表头应为行号，如 表头=3"))?;
            if out.iter().any(|(_, k)| k.as_deref() == Some(excel_in::HEADER_ROW_KEY)) {
                return Err(bad("表头写了两次"));
            }
            out.push((row, Some(excel_in::HEADER_ROW_KEY.to_string())));
            continue;
        }
        let letter = letter.trim().to_ascii_uppercase();
        if letter.is_empty() || letter.len() > 3 || !letter.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(bad("列应为字母，如 H"));
        }
        let index = letter.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1;
        let field = field.trim();
        let key = if field.is_empty() || field == "-" || field == "无" {
            None
        } else {
            let c = columns
                .iter()
                .find(|c| c.key.eq_ignore_ascii_case(field) || c.label == field || c.synonyms.contains(&field))
                .ok_or_else(|| bad(&format!("没有名为「{field}」的字段，可用：{}", columns.iter().map(|c| c.key).collect::<Vec<_>>().join("、"))))?;
            Some(c.key.to_string())
        };
        if out.iter().any(|(i, k)| *i == index && k.as_deref() != Some(excel_in::HEADER_ROW_KEY)) {
            return Err(bad("同一列写了两次"));
        }
        out.push((index, key));
    }
    Ok(out)
}

/// The overrides back as text, in column order (what is remembered and printed).
pub fn format_column_map(map: &[(u32, Option<String>)]) -> String {
    let header = map.iter().find(|(_, k)| k.as_deref() == Some(excel_in::HEADER_ROW_KEY)).map(|(r, _)| format!("表头={r}"));
    let mut m: Vec<_> = map.iter().filter(|(_, k)| k.as_deref() != Some(excel_in::HEADER_ROW_KEY)).cloned().collect();
    m.sort_by_key(|(i, _)| *i);
    header.into_iter().chain(m.iter().map(|(i, k)| format!("{}={}", excel_in::column_letter(*i), k.as_deref().unwrap_or("-")))).collect::<Vec<_>>().join(",")
}

impl LedgerWorkbook {
    /// A [`CellError`] for column `key` of `row` on `sheet` (a 明细 or 汇总 key).
    pub fn cell_error(&self, sheet: &str, row: u32, key: &str, message: impl Into<String>) -> CellError {
        let label = MOVEMENT_COLUMNS.iter().chain(CONTRACT_COLUMNS).find(|c| c.key == key).map(|c| c.label.to_string()).unwrap_or_default();
        CellError {
            sheet: sheet.to_string(),
            row,
            column: self.columns.get(sheet).and_then(|m| m.get(key)).cloned().unwrap_or_default(),
            label,
            message: message.into(),
        }
    }
}

fn remember_columns(t: &ImportedTable, spec: &TableSpec, wb: &mut LedgerWorkbook) {
    let m = wb.columns.entry(t.sheet.clone()).or_default();
    for (c, letter) in spec.columns.iter().zip(&t.columns) {
        if let Some(l) = letter {
            m.insert(c.key, l.clone());
        }
    }
}

/// Reads the workbook at `path`. A file that cannot be read at all is an error; problems in
/// cells are collected in [`LedgerWorkbook::errors`].
pub fn read_ledger_workbook(path: &Path, limits: &Limits) -> DeskResult<LedgerWorkbook> {
    read_ledger_workbook_with(path, limits, &[])
}

/// [`read_ledger_workbook`] with the user's column mapping (字段对应) applied to the 明细 sheets.
pub fn read_ledger_workbook_with(path: &Path, limits: &Limits, overrides: &[(u32, Option<String>)]) -> DeskResult<LedgerWorkbook> {
    let wb = read_ledger_workbook_or_rows(path, limits, overrides)?;
    match wb.no_header {
        Some(n) => Err(DeskError::invalid("path", n.looked_for)),
        None => Ok(wb),
    }
}

/// [`read_ledger_workbook_with`], but a file in which no header is found is not an error: the
/// workbook comes back empty with [`LedgerWorkbook::no_header`] set (what was looked for, the first
/// rows), so the wizard can offer the mapping step from the header row on. Its
/// [`LedgerWorkbook::shape`] is then that of the first data-like row's value kinds (`A:日期|B:文字|…`),
/// so a mapping confirmed for a headerless file serves the next one shaped alike.
pub fn read_ledger_workbook_or_rows(path: &Path, limits: &Limits, overrides: &[(u32, Option<String>)]) -> DeskResult<LedgerWorkbook> {
    let mut wb = read_found(path, limits, overrides)?;
    let forced = excel_in::header_row_of(overrides).is_some();
    if wb.no_header.is_some() || forced {
        let rows = excel_in::top_rows(path, limits, TOP_ROWS).map_err(|e| DeskError::invalid("path", e.to_string()))?;
        // The shape of a headerless file: the kinds of the values of its first row of two or more
        // cells not all text (a title line is text).
        let shape = rows
            .iter()
            .find(|r| r.cells.len() >= 2 && r.kinds.iter().any(|k| k.is_some_and(|k| k != ValueKind::Text)))
            .map(|r| r.cells.iter().zip(&r.kinds).map(|((l, _), k)| format!("{l}:{k:?}")).collect::<Vec<_>>().join("|"));
        if let Some(shape) = shape {
            wb.shape = format!("{:x}", Sha256::digest(format!("rows|{shape}").as_bytes()));
        }
        if let Some(n) = wb.no_header.as_mut() {
            n.rows = rows;
        }
    }
    Ok(wb)
}

fn read_found(path: &Path, limits: &Limits, overrides: &[(u32, Option<String>)]) -> DeskResult<LedgerWorkbook> {
    let bytes = std::fs::read(path).map_err(|e| DeskError::invalid("path", format!("无法读取文件「{}」：{e}", path.display())))?;
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    drop(bytes);
    let mut tables = excel_in::read_tables_with(path, &[&MOVEMENTS, &CONTRACTS], limits, overrides).map_err(|e| DeskError::invalid("path", e.to_string()))?;
    let contract_tables = tables.pop().unwrap_or_default();
    let movement_tables = tables.pop().unwrap_or_default();
    let mut wb = LedgerWorkbook { file_name: path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default(), sha256, ..Default::default() };
    if movement_tables.is_empty() && contract_tables.is_empty() {
        wb.no_header = Some(NoHeader { looked_for: LOOKED_FOR.to_string(), rows: Vec::new() });
        return Ok(wb);
    }
    for t in &contract_tables {
        wb.titles.extend(t.title.iter().filter(|s| !s.is_empty()).cloned());
        remember_columns(t, &CONTRACTS, &mut wb);
        read_contracts(t, &mut wb);
    }
    if let Some(t) = movement_tables.first() {
        let shape: Vec<String> = t.source_columns.iter().map(|c| format!("{}:{}", c.letter, excel_in::header::normalize_header(&c.header))).collect();
        wb.shape = format!("{:x}", Sha256::digest(shape.join("|").as_bytes()));
    }
    for t in &movement_tables {
        wb.mapping.extend(t.source_columns.iter().map(|c| {
            let label = c.key.and_then(|k| MOVEMENT_COLUMNS.iter().find(|x| x.key == k)).map(|x| x.label.to_string()).unwrap_or_default();
            ColumnMatch {
                sheet: t.sheet.clone(),
                column: c.letter.clone(),
                header: c.header.clone(),
                samples: c.samples.clone(),
                field: c.key.unwrap_or_default().to_string(),
                field_label: label,
                confidence: c.confidence,
            }
        }));
        wb.titles.extend(t.title.iter().filter(|s| !s.is_empty()).cloned());
        remember_columns(t, &MOVEMENTS, &mut wb);
        read_movements(t, &mut wb);
    }
    wb.titles.dedup();
    Ok(wb)
}

/// The unit of spec column `index` of `t`: its header's, else the sheet's, else 元.
fn column_unit(t: &ImportedTable, index: usize) -> Unit {
    t.units.get(index).copied().flatten().or(t.unit).unwrap_or(Unit::Yuan)
}

/// An amount cell in `unit`. In 元 the long-standing parser (and its messages) is used; a number
/// cell in 万元/千元 that a formula left with float noise (12.3400000001) is accepted when it is
/// within a millionth of a fen of a whole fen, like [`Fen::from_f64_cell`] does for 元.
fn fen_in(v: &CellValue, unit: Unit) -> Result<Fen, String> {
    match (v, unit) {
        (_, Unit::Yuan) => excel_in::parse_fen(v),
        (CellValue::Number(x), _) => excel_in::parse_fen_in(v, unit).or_else(|e| {
            let fen = x * unit.fen() as f64;
            if fen.is_finite() && fen.abs() < 1e15 && (fen - fen.round()).abs() < 1e-6 * (1.0 + fen.abs() / 1e9) {
                // In range by the guard, so the cast cannot saturate.
                Ok(Fen(fen.round() as i64))
            } else {
                Err(e)
            }
        }),
        _ => excel_in::parse_fen_in(v, unit),
    }
}

fn ix(spec: &TableSpec, key: &str) -> usize {
    // Keys are the constants above; a missing key would only point at an always-empty cell.
    spec.index_of(key).unwrap_or(usize::MAX)
}

/// Reads cells of one row, collecting errors; `bad` says whether any cell of the row failed.
struct RowReader<'a> {
    t: &'a ImportedTable,
    spec: &'a TableSpec,
    r: &'a ImportedRow,
    errors: &'a mut Vec<CellError>,
    bad: bool,
}

impl RowReader<'_> {
    fn cell(&self, key: &str) -> &CellValue {
        self.r.cell(ix(self.spec, key))
    }
    fn fail(&mut self, key: &str, message: String) {
        self.errors.push(self.t.cell_error(self.r.row, ix(self.spec, key), message));
        self.bad = true;
    }
    fn text(&mut self, key: &str) -> String {
        let v = self.cell(key);
        // `-`, `/`, `无` in a reference or text cell mean "nothing", as in an amount cell.
        if excel_in::is_placeholder(v) {
            return String::new();
        }
        match excel_in::parse_text(v) {
            Ok(s) => s.trim().to_string(),
            Err(m) => {
                self.fail(key, m);
                String::new()
            }
        }
    }
    fn required_text(&mut self, key: &str, what: &str) -> String {
        let s = self.text(key);
        if s.is_empty() && !self.bad {
            self.fail(key, format!("{what}不能为空"));
        }
        s
    }
    /// The unit of column `key`: its header's (`金额(万元)`), else the sheet's (`单位：万元`), else 元.
    fn unit(&self, key: &str) -> Unit {
        column_unit(self.t, ix(self.spec, key))
    }
    fn fen(&mut self, key: &str) -> Option<Fen> {
        let v = self.cell(key).clone();
        if excel_in::is_placeholder(&v) {
            return None;
        }
        match fen_in(&v, self.unit(key)) {
            Ok(f) => Some(f),
            Err(m) => {
                self.fail(key, m);
                None
            }
        }
    }
    /// An amount that must be exact to the fen: a number cell like 12.345 is refused, not
    /// rounded (a booked movement with a third decimal is a typo, and rounding would hide it).
    /// Text is already held to two decimals by the parser.
    fn exact_fen(&mut self, key: &str) -> Option<Fen> {
        if self.unit(key) != Unit::Yuan {
            // Scaled amounts are held to their unit's decimals by the scaling parser.
            return self.fen(key);
        }
        if let CellValue::Number(x) = self.cell(key) {
            let cents = x * 100.0;
            if cents.is_finite() && (cents - cents.round()).abs() > 1e-3 * (1.0 + cents.abs() / 1e9) {
                let x = *x;
                self.fail(key, format!("金额「{x}」超过两位小数：金额到分为止"));
                return None;
            }
        }
        self.fen(key)
    }
    fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let v = self.cell(key).clone();
        if v.is_empty() {
            return None;
        }
        match excel_in::parse_date(&v) {
            Ok(d) => Some(d),
            Err(m) => {
                self.fail(key, m);
                None
            }
        }
    }
}

fn read_contracts(t: &ImportedTable, wb: &mut LedgerWorkbook) {
    let spec = &CONTRACTS;
    for r in &t.rows {
        let mut rr = RowReader { t, spec, r, errors: &mut wb.errors, bad: false };
        let builder = rr.required_text("builder", "施工单位");
        let deposit = rr.fen("deposit");
        let rate_bp = match rr.cell("rate").clone() {
            v if v.is_empty() => None,
            CellValue::Number(x) => rate_from_number(x).map_err(|m| rr.fail("rate", m)).ok(),
            CellValue::Int(i) => rate_from_number(i as f64).map_err(|m| rr.fail("rate", m)).ok(),
            CellValue::Text(s) => parse_rate_bp(&s).map_err(|m| rr.fail("rate", m)).ok(),
            _ => {
                rr.fail("rate", "保修金比例应为百分数，如 3%".into());
                None
            }
        };
        let row = ContractRow {
            sheet: t.sheet.clone(),
            row: r.row,
            project: rr.text("project"),
            contract_no: rr.text("contract_no"),
            contract_name: rr.text("contract_name"),
            trade: rr.text("trade"),
            contract_amount: rr.fen("contract_amount"),
            settled: rr.fen("settled"),
            start: rr.date("start"),
            end: rr.date("end"),
            balance: rr.fen("balance"),
            note: rr.text("note"),
            builder,
            rate_bp,
            deposit: deposit.unwrap_or(Fen(0)),
        };
        // A contract whose deposit is not stated yet (the desk's own export leaves it empty when
        // unknown) is still a contract: said, not refused.
        let missing_deposit = deposit.is_none() && !rr.bad;
        if let (Some(s), Some(e)) = (row.start, row.end) {
            if e < s {
                rr.fail("end", format!("保修期止 {e} 早于保修期起 {s}"));
            }
        }
        if !rr.bad {
            if missing_deposit {
                wb.warnings.push(t.cell_error(r.row, ix(spec, "deposit"), "保修金金额为空：请按合同补填"));
            }
            wb.contracts.push(row);
        }
    }
    check_total(t, spec, &["deposit"], wb.contracts.iter().filter(|c| c.sheet == t.sheet).map(|c| [c.deposit]), &mut wb.errors, &mut wb.total_mismatches);
}

/// A number cell of a rate: 0.03 (a percent-formatted cell) or 3 (typed as percent).
fn rate_from_number(x: f64) -> Result<i64, String> {
    if !x.is_finite() || x < 0.0 {
        return Err(format!("保修金比例「{x}」无效"));
    }
    parse_rate_bp(&x.to_string())
}

fn read_movements(t: &ImportedTable, wb: &mut LedgerWorkbook) {
    let spec = &MOVEMENTS;
    let first = wb.movements.len();
    let context = SheetContext::of(t);
    if t.columns[ix(spec, "builder")].is_none() && context.builder.is_none() {
        // A table without a header row (表头=0) names its first data row instead of row 0.
        wb.errors.push(t.row_error(
            t.header_row.max(1),
            "没有「施工单位」列，表名、标题和「单位名称：」行中也没有写施工单位：请加一列施工单位，或在标题上方写「单位名称：XX公司」",
        ));
        return;
    }
    let has_amount_column = t.columns[ix(spec, "amount")].is_some();
    let has_direction = t.columns[ix(spec, "direction")].is_some();
    for r in &t.rows {
        let mut rr = RowReader { t, spec, r, errors: &mut wb.errors, bad: false };
        // `7月3日` takes the year of the title; everything else goes to the date parser.
        let date = match context.yearless_date(rr.cell("date")) {
            Some(Ok(d)) => Some(d),
            Some(Err(m)) => {
                rr.fail("date", m);
                None
            }
            None => rr.date("date"),
        };
        if date.is_none() && !rr.bad {
            rr.fail("date", "日期不能为空".into());
        }
        let builder = match &context.builder {
            Some(b) if t.columns[ix(spec, "builder")].is_none() || excel_in::is_placeholder(rr.cell("builder")) => b.clone(),
            _ => rr.required_text("builder", "施工单位"),
        };
        let summary = rr.text("summary");
        let mut credit = rr.exact_fen("credit");
        let mut debit = rr.exact_fen("debit");
        let mut refund = rr.exact_fen("refund");
        if has_amount_column && credit.is_none() && debit.is_none() && refund.is_none() {
            if let Some(amount) = rr.exact_fen("amount") {
                match direction(rr.cell("direction")) {
                    Some(Side::Credit) => credit = Some(amount),
                    Some(Side::Debit) => debit = Some(amount),
                    Some(Side::Refund) => refund = Some(amount),
                    None if !has_direction => rr.fail("amount", "只有一列「金额」，没有借贷方向列（借/贷、收/付）：无法判断是计提还是扣款".into()),
                    None => {
                        let shown = excel_in::parse_text(rr.cell("direction")).unwrap_or_default();
                        rr.fail("direction", format!("无法识别的方向「{shown}」：应为 贷/收/计提 或 借/付/扣款/退还"));
                    }
                }
            }
        }
        let balance = rr.fen("balance");
        let mut m = MovementRow {
            sheet: t.sheet.clone(),
            row: r.row,
            date: date.unwrap_or_default(),
            voucher_no: rr.text("voucher"),
            contract_no: rr.text("contract_no"),
            ticket_no: rr.text("ticket_no"),
            payment_request_no: rr.text("request_no"),
            handler: rr.text("handler"),
            note: rr.text("note"),
            credit: credit.unwrap_or(Fen(0)),
            debit: Fen(debit.unwrap_or(Fen(0)).0.saturating_add(refund.unwrap_or(Fen(0)).0)),
            refund: refund.is_some_and(|f| f.0 != 0),
            balance,
            builder,
            summary,
        };
        if credit.is_none() && debit.is_none() && refund.is_none() && !rr.bad {
            // 期初余额 written only in the 余额 column is the opening credit.
            match balance {
                Some(b) if m.summary.contains("期初") || m.summary.contains("结转") || m.summary.contains("承前") => m.credit = b,
                _ => rr.fail("credit", "这一行没有金额：计提/收取、扣款/支付、退还至少填一项".into()),
            }
        }
        if debit.is_some_and(|d| d.0 != 0) && refund.is_some_and(|f| f.0 != 0) {
            rr.fail("refund", "同一行不能既有扣款又有退还，请分两行".into());
        }
        if !rr.bad {
            wb.movements.push(m);
        }
    }
    let mine: Vec<(u32, [Fen; 2])> = wb.movements[first..].iter().map(|m| (m.row, [m.credit, m.debit])).collect();
    check_total(t, spec, &["credit", "debit"], mine.iter().map(|(_, f)| *f), &mut wb.errors, &mut wb.total_mismatches);
    check_subtotals(t, &mine, &mut wb.warnings);
    describe_sheet(t, &context, wb);
    unclear_unit_warning(t, &wb.movements[first..], &mut wb.warnings);
    // A movement without a contract number belongs to its builder's only contract, if it has
    // one (the importer resolves it the same way), so its 余额 follows that contract's.
    let mut contracts_of: HashMap<String, Vec<String>> = HashMap::new();
    let named = wb.contracts.iter().map(|k| (&k.builder, &k.contract_no)).chain(wb.movements[first..].iter().map(|m| (&m.builder, &m.contract_no)));
    for (builder, no) in named.filter(|(_, no)| !no.is_empty()) {
        let list = contracts_of.entry(desk_domain::fund::names::normalize(builder)).or_default();
        if !list.contains(no) {
            list.push(no.clone());
        }
    }
    check_balances(t, &wb.movements[first..], &contracts_of, &mut wb.warnings);
}

/// Which side of the deposit a direction cell puts an amount on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Credit,
    Debit,
    Refund,
}

/// 贷/收/计提/+ → credit, 借/付/支/扣/− → debit, 退 → refund (for the deposit the developer
/// holds, 贷方 is what it retains, 借方 what it deducts or pays back).
fn direction(cell: &CellValue) -> Option<Side> {
    let t: String = excel_in::parse_text(cell).ok()?.chars().map(excel_in::header::half_width).filter(|c| !c.is_whitespace()).collect();
    let any = |ws: &[&str]| ws.iter().any(|w| t.contains(w));
    if any(&["退"]) {
        Some(Side::Refund)
    } else if any(&["贷", "收", "计提", "入", "增"]) || t == "+" {
        Some(Side::Credit)
    } else if any(&["借", "付", "支", "扣", "出", "减"]) || t == "-" || t == "−" {
        Some(Side::Debit)
    } else {
        None
    }
}

/// What the lines above the header say about the whole sheet: the builder of a one-builder
/// sheet and the year of dates written without one.
struct SheetContext {
    builder: Option<String>,
    year: Option<i32>,
}

impl SheetContext {
    fn of(t: &ImportedTable) -> SheetContext {
        let builder = t
            .title
            .iter()
            .find_map(|l| labelled(l, &["单位名称", "施工单位", "承包单位", "往来单位", "核算单位"]))
            .or_else(|| t.title.iter().find_map(|l| builder_in_title(l)))
            .or_else(|| builder_in_sheet_name(&t.sheet));
        let year = t.title.iter().find_map(|l| year_in(l)).or_else(|| year_in(&t.sheet));
        SheetContext { builder, year }
    }

    /// `7月3日`, `07-03`, `7/3`, `7.3` with the year of the title; `None` when the cell is not
    /// such a date, an error when it is one and no year is known.
    fn yearless_date(&self, cell: &CellValue) -> Option<Result<NaiveDate, String>> {
        let raw = cell.as_text()?;
        let s: String = raw.chars().map(excel_in::header::half_width).filter(|c| !c.is_whitespace()).collect();
        let s = s.trim_end_matches(['日', '号']).replace('月', "-");
        let (m, d) = s.split_once(['-', '/', '.'])?;
        let ok = |p: &str| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit());
        if !ok(m) || !ok(d) {
            return None;
        }
        let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
        Some(match self.year {
            Some(y) => NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("无法识别的日期「{}」", raw.trim())),
            None => Err(format!("日期「{}」没有年份，标题中也没有年份：请写成 2024-07-03 这样的完整日期，或在标题中写明年份", raw.trim())),
        })
    }
}

/// The value after `单位名称：` (or another label) in a line, up to the next wide gap or label.
fn labelled(line: &str, labels: &[&str]) -> Option<String> {
    for label in labels {
        let Some(pos) = line.find(label) else { continue };
        let rest = line[pos + label.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(['：', ':']) else { continue };
        let value: String = rest.trim_start().split([' ', '\u{3000}', '\t']).next().unwrap_or("").to_string();
        let value = value.trim_end_matches(['，', ',', '；', ';']).to_string();
        if !value.is_empty() && !value.contains("单位：") {
            return Some(value);
        }
    }
    None
}

/// A title such as `中建三局第一分公司保修金明细账` names its builder before the ledger words.
fn builder_in_title(line: &str) -> Option<String> {
    let line = line.trim();
    for word in ["保修金明细账", "质保金明细账", "保修金明细", "质保金明细", "保修金台账", "质保金台账", "保修金"] {
        if let Some(pos) = line.find(word) {
            let name = line[..pos].trim().trim_end_matches(['-', '—', '_', '·', ' ']);
            let ends_like_company = ["公司", "集团", "局", "厂", "部", "院", "所", "中心"].iter().any(|w| name.ends_with(w));
            if ends_like_company && !name.contains("项目") {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// A sheet called after a company (`中建三局`, `浙江宏达建设`) rather than a generic name.
fn builder_in_sheet_name(name: &str) -> Option<String> {
    let n = name.trim();
    let generic = n.is_empty()
        || n.to_lowercase().starts_with("sheet")
        || n.ends_with(".csv")
        || n.ends_with(".txt")
        || n.chars().all(|c| c.is_ascii_digit())
        || ["明细", "汇总", "台账", "保修金", "质保金", "工作表", "数据", "导出", "季度", "年", "月", "总表", "目录", "说明"].iter().any(|w| n.contains(w));
    let companyish = ["公司", "集团", "局", "建设", "建筑", "工程", "装饰", "安装", "防水", "幕墙", "园林", "电梯"].iter().any(|w| n.contains(w));
    (!generic && companyish).then(|| n.to_string())
}

/// A year 1990–2099 written in a line: `2024年`, `2024年度`, `2024-Q3`, `2024.07`.
fn year_in(line: &str) -> Option<i32> {
    let b = line.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = &b[i..i + 4];
        let digits = w.iter().all(u8::is_ascii_digit);
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        let after_ok = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        let y: i32 = std::str::from_utf8(w).ok()?.parse().ok()?;
        (digits && before_ok && after_ok && (1990..2100).contains(&y)).then_some(y)
    })
}

/// 小计/本月合计 rows equal the rows since the previous such row, 累计 rows all rows so far (or
/// the rows of the period); a row that is neither is said. A warning, not an error: such rows
/// are the department's arithmetic, the movements are what was booked.
fn check_subtotals(t: &ImportedTable, rows: &[(u32, [Fen; 2])], warnings: &mut Vec<CellError>) {
    let spec = &MOVEMENTS;
    let mut last_sub = 0u32;
    for (total, kind) in t.total_rows.iter().zip(&t.total_kinds) {
        if *kind == TotalKind::Total {
            continue;
        }
        let sum = |from: u32| {
            rows.iter().filter(|(r, _)| *r > from && *r < total.row).fold([0i64; 2], |mut a, (_, f)| {
                a[0] = a[0].saturating_add(f[0].0);
                a[1] = a[1].saturating_add(f[1].0);
                a
            })
        };
        let (segment, all) = (sum(last_sub), sum(0));
        for (k, key) in ["credit", "debit"].iter().enumerate() {
            let i = ix(spec, key);
            let cell = total.cell(i);
            if excel_in::is_placeholder(cell) {
                continue;
            }
            let Ok(mut stated) = fen_in(cell, column_unit(t, i)).map(|f| f.0) else { continue };
            if *key == "debit" {
                let ri = ix(spec, "refund");
                if let Ok(f) = fen_in(total.cell(ri), column_unit(t, ri)) {
                    stated = stated.saturating_add(f.0);
                }
            }
            if stated != segment[k] && stated != all[k] {
                warnings.push(t.cell_error(
                    total.row,
                    i,
                    format!("这一行（小计/累计）{} 与上面各行之和 {} 不符", Fen(stated), Fen(if *kind == TotalKind::Cumulative { all[k] } else { segment[k] })),
                ));
            }
        }
        if *kind == TotalKind::Subtotal {
            last_sub = total.row;
        }
    }
}

/// What the desk understood about a sheet, said in the preview: the unit it scaled by, the
/// builder it took from the title, the columns it recognised by their words.
fn describe_sheet(t: &ImportedTable, context: &SheetContext, wb: &mut LedgerWorkbook) {
    let spec = &MOVEMENTS;
    let scaled: Vec<String> = spec
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| t.columns[*i].is_some() && ["credit", "debit", "refund", "balance", "amount"].contains(&spec.columns[*i].key))
        .filter_map(|(i, c)| {
            let u = column_unit(t, i);
            (u != Unit::Yuan).then(|| format!("{}（{}）", c.label, u.label()))
        })
        .collect();
    if !scaled.is_empty() {
        wb.notes.push(format!("工作表「{}」的金额单位不是元，已按单位换算到分：{}", t.sheet, scaled.join("、")));
    }
    if t.columns[ix(spec, "builder")].is_none() {
        if let Some(b) = &context.builder {
            wb.notes.push(format!("工作表「{}」没有施工单位列，整张表按「{b}」导入（取自表名或标题）", t.sheet));
        }
    }
    let guessed: Vec<String> = spec
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| t.by_meaning.get(*i).copied().unwrap_or(false))
        .map(|(i, c)| format!("{} 列「{}」→ {}", t.columns[i].clone().unwrap_or_default(), t.headers.get(i).cloned().flatten().unwrap_or_default(), c.label))
        .collect();
    if !guessed.is_empty() {
        wb.notes.push(format!("工作表「{}」按表头词义识别的列，请核对：{}", t.sheet, guessed.join("；")));
    }
    wb.notes.extend(t.doubts.iter().map(|d| format!("工作表「{}」{d}", t.sheet)));
}

/// No unit stated anywhere and every retention under 1,000 元: the file is probably in 万元 or
/// 千元, which read as 元 would be 10,000 or 1,000 times too small. Said, never guessed.
fn unclear_unit_warning(t: &ImportedTable, rows: &[MovementRow], warnings: &mut Vec<CellError>) {
    let stated = t.unit.is_some() || t.units.iter().any(Option::is_some);
    let credits: Vec<i64> = rows.iter().map(|m| m.credit.0).filter(|c| *c > 0).collect();
    if !stated && !credits.is_empty() && credits.iter().all(|c| *c < 100_000) {
        warnings.push(t.row_error(
            t.header_row,
            "表中没有写金额单位，而所有计提金额都小于 1,000 元，不像保修金：如果金额以万元或千元为单位，请在表头上方加一行「单位：万元」（或千元）后再导入",
        ));
    }
}

/// The 合计 row, when present, must equal the sum of the rows above (for each named column it
/// fills). For the movements the `debit` sum includes 退还, so it is compared with 扣款 + 退还.
fn check_total<const N: usize>(
    t: &ImportedTable,
    spec: &TableSpec,
    keys: &[&str; N],
    rows: impl Iterator<Item = [Fen; N]>,
    errors: &mut Vec<CellError>,
    mismatches: &mut std::collections::BTreeSet<(String, u32)>,
) {
    let Some(total) = t.total_rows.iter().zip(&t.total_kinds).rev().find(|(_, k)| **k == TotalKind::Total).map(|(r, _)| r) else { return };
    let mut sums = [0i64; N];
    for r in rows {
        for (s, f) in sums.iter_mut().zip(r) {
            *s = s.saturating_add(f.0);
        }
    }
    for (k, key) in keys.iter().enumerate() {
        let i = ix(spec, key);
        let mut stated = match fen_in(total.cell(i), column_unit(t, i)) {
            Ok(f) => f.0,
            Err(_) => continue, // an empty, placeholder or non-numeric total cell states nothing
        };
        if *key == "debit" {
            let ri = ix(spec, "refund");
            if let Ok(f) = fen_in(total.cell(ri), column_unit(t, ri)) {
                stated = stated.saturating_add(f.0);
            }
        }
        if stated != sums[k] {
            mismatches.insert((t.sheet.clone(), total.row));
            errors.push(t.cell_error(
                total.row,
                ix(spec, key),
                format!("合计 {} 与上面各行之和 {} 不符（相差 {}）", Fen(stated), Fen(sums[k]), Fen(stated.saturating_sub(sums[k]))),
            ));
        }
    }
}

/// A stated 余额 must follow from the one before it: balance(n) = balance(n−1) + credit − debit,
/// per builder and contract. The first stated balance of each sets the base.
fn check_balances(t: &ImportedTable, rows: &[MovementRow], contracts_of: &HashMap<String, Vec<String>>, warnings: &mut Vec<CellError>) {
    let mut running: HashMap<(String, String), i64> = HashMap::new();
    let col = ix(&MOVEMENTS, "balance");
    for m in rows {
        let builder = desk_domain::fund::names::normalize(&m.builder);
        let contract = match contracts_of.get(&builder) {
            Some(list) if m.contract_no.is_empty() && list.len() == 1 => list[0].clone(),
            _ => m.contract_no.clone(),
        };
        let key = (builder, contract);
        let delta = m.credit.0.saturating_sub(m.debit.0);
        match (running.get(&key).copied(), m.balance) {
            (Some(before), Some(stated)) => {
                let expected = before.saturating_add(delta);
                if stated.0 != expected {
                    warnings.push(t.cell_error(m.row, col, format!("余额 {stated} 与上一行余额推算的 {} 不符", Fen(expected))));
                }
                running.insert(key, stated.0);
            }
            (Some(before), None) => {
                running.insert(key, before.saturating_add(delta));
            }
            (None, Some(stated)) => {
                running.insert(key, stated.0);
            }
            (None, None) => {}
        }
    }
}
