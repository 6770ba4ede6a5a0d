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
use desk_documents::excel_in::{self, CellError, CellValue, ColumnSpec, ImportedRow, ImportedTable, Limits, TableSpec};
use desk_domain::fund::ledger::parse_rate_bp;
use desk_domain::fund::EntryKind;
use desk_domain::money::Fen;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

const MOVEMENT_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec { key: "date", label: "日期", synonyms: &["发生日期", "记账日期", "业务日期", "凭证日期"], required: true },
    ColumnSpec { key: "voucher", label: "凭证号", synonyms: &["凭证编号", "凭证字号", "记账凭证号", "凭证"], required: false },
    ColumnSpec { key: "builder", label: "施工单位", synonyms: &["单位名称", "承包单位", "原施工单位", "施工单位名称", "承包人", "单位"], required: true },
    ColumnSpec { key: "contract_no", label: "合同编号", synonyms: &["合同号", "合同/标段", "标段", "合同编码"], required: false },
    ColumnSpec { key: "summary", label: "摘要", synonyms: &["事由", "内容", "业务摘要"], required: false },
    ColumnSpec { key: "ticket_no", label: "报修单号", synonyms: &["报修编号", "维修单号", "工单号", "报修单编号"], required: false },
    ColumnSpec { key: "request_no", label: "付款申请号", synonyms: &["付款申请单号", "申请单号", "付款单号"], required: false },
    ColumnSpec { key: "credit", label: "计提/收取(贷方)", synonyms: &["计提/收取", "贷方", "贷方金额", "计提", "收取", "收取金额", "计提金额", "增加", "本期增加"], required: false },
    ColumnSpec { key: "debit", label: "扣款/支付(借方)", synonyms: &["扣款/支付", "借方", "借方金额", "扣款", "支付", "扣款金额", "支付金额", "减少", "本期减少"], required: false },
    ColumnSpec { key: "refund", label: "退还", synonyms: &["退还金额", "返还", "返还金额"], required: false },
    ColumnSpec { key: "balance", label: "余额", synonyms: &["结余", "余额(贷)", "期末余额"], required: false },
    ColumnSpec { key: "handler", label: "经办人", synonyms: &["经手人", "办理人"], required: false },
    ColumnSpec { key: "note", label: "备注", synonyms: &["说明"], required: false },
];

/// The 明细 sheet.
pub const MOVEMENTS: TableSpec = TableSpec { name: "保修金明细", columns: MOVEMENT_COLUMNS };

const CONTRACT_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec { key: "builder", label: "施工单位", synonyms: &["单位名称", "承包单位", "施工单位名称", "承包人"], required: true },
    ColumnSpec { key: "deposit", label: "保修金金额", synonyms: &["保修金", "质保金金额", "质保金", "保修金额", "应留保修金"], required: true },
    ColumnSpec { key: "project", label: "项目名称", synonyms: &["项目"], required: false },
    ColumnSpec { key: "contract_no", label: "合同编号", synonyms: &["合同号", "合同编码"], required: false },
    ColumnSpec { key: "contract_name", label: "合同名称", synonyms: &["工程名称", "合同内容"], required: false },
    ColumnSpec { key: "trade", label: "专业/分包内容", synonyms: &["专业", "分包内容", "专业类别", "承包内容"], required: false },
    ColumnSpec { key: "contract_amount", label: "合同金额", synonyms: &["合同价", "合同价款"], required: false },
    ColumnSpec { key: "settled", label: "结算金额", synonyms: &["结算价", "结算价款", "决算金额"], required: false },
    ColumnSpec { key: "rate", label: "保修金比例", synonyms: &["比例", "保修金比率", "质保金比例", "扣留比例"], required: false },
    ColumnSpec { key: "start", label: "保修期起", synonyms: &["缺陷责任期起", "保修起始日", "起始日期"], required: false },
    ColumnSpec { key: "end", label: "保修期止", synonyms: &["缺陷责任期止", "保修到期日", "到期日期", "缺陷责任期满"], required: false },
    ColumnSpec { key: "deducted", label: "已扣款", synonyms: &["累计扣款", "已扣金额"], required: false },
    ColumnSpec { key: "refunded", label: "已退还", synonyms: &["累计退还", "已退金额"], required: false },
    ColumnSpec { key: "balance", label: "余额", synonyms: &["保修金余额", "结余"], required: false },
    ColumnSpec { key: "note", label: "备注", synonyms: &["说明"], required: false },
];

/// The 汇总 sheet.
pub const CONTRACTS: TableSpec = TableSpec { name: "保修金汇总", columns: CONTRACT_COLUMNS };

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
    pub file_name: String,
    pub sha256: String,
    /// Title lines above the headers (a title may name a project: shown, not obeyed).
    pub titles: Vec<String>,
    pub contracts: Vec<ContractRow>,
    pub movements: Vec<MovementRow>,
    /// Rejected cells: when any, an import writes nothing (unless valid rows only are chosen).
    pub errors: Vec<CellError>,
    /// Worth a look, not blocking: a 余额 that disagrees with the running balance.
    pub warnings: Vec<CellError>,
    /// Excel column letter of each found column, by sheet and column key (`"voucher"` …), so a
    /// caller's own checks (duplicate vouchers) can name the cell too.
    pub columns: HashMap<String, HashMap<&'static str, String>>,
}

impl LedgerWorkbook {
    /// A [`CellError`] for column `key` of `row` on `sheet` (a 明细 or 汇总 key).
    pub fn cell_error(&self, sheet: &str, row: u32, key: &str, message: impl Into<String>) -> CellError {
        let label = MOVEMENT_COLUMNS
            .iter()
            .chain(CONTRACT_COLUMNS)
            .find(|c| c.key == key)
            .map(|c| c.label.to_string())
            .unwrap_or_default();
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
    let bytes = std::fs::read(path)
        .map_err(|e| DeskError::invalid("path", format!("无法读取文件「{}」：{e}", path.display())))?;
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    drop(bytes);
    let mut tables = excel_in::read_tables(path, &[&MOVEMENTS, &CONTRACTS], limits)
        .map_err(|e| DeskError::invalid("path", e.to_string()))?;
    let contract_tables = tables.pop().unwrap_or_default();
    let movement_tables = tables.pop().unwrap_or_default();
    if movement_tables.is_empty() && contract_tables.is_empty() {
        return Err(DeskError::invalid(
            "path",
            "没有找到保修金明细账的表头：明细表的表头须包含「日期」和「施工单位」，汇总表的表头须包含「施工单位」和「保修金金额」",
        ));
    }
    let mut wb = LedgerWorkbook {
        file_name: path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default(),
        sha256,
        ..Default::default()
    };
    for t in &contract_tables {
        wb.titles.extend(t.title.iter().filter(|s| !s.is_empty()).cloned());
        remember_columns(t, &CONTRACTS, &mut wb);
        read_contracts(t, &mut wb);
    }
    for t in &movement_tables {
        wb.titles.extend(t.title.iter().filter(|s| !s.is_empty()).cloned());
        remember_columns(t, &MOVEMENTS, &mut wb);
        read_movements(t, &mut wb);
    }
    wb.titles.dedup();
    Ok(wb)
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
        if v.is_empty() {
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
    fn fen(&mut self, key: &str) -> Option<Fen> {
        let v = self.cell(key).clone();
        if v.is_empty() {
            return None;
        }
        match excel_in::parse_fen(&v) {
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
    check_total(t, spec, &["deposit"], wb.contracts.iter().filter(|c| c.sheet == t.sheet).map(|c| [c.deposit]), &mut wb.errors);
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
    for r in &t.rows {
        let mut rr = RowReader { t, spec, r, errors: &mut wb.errors, bad: false };
        let date = rr.date("date");
        if date.is_none() && !rr.bad {
            rr.fail("date", "日期不能为空".into());
        }
        let builder = rr.required_text("builder", "施工单位");
        let summary = rr.text("summary");
        let credit = rr.exact_fen("credit");
        let debit = rr.exact_fen("debit");
        let refund = rr.exact_fen("refund");
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
    let mine: Vec<[Fen; 2]> = wb.movements[first..].iter().map(|m| [m.credit, m.debit]).collect();
    check_total(t, spec, &["credit", "debit"], mine.into_iter(), &mut wb.errors);
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

/// The 合计 row, when present, must equal the sum of the rows above (for each named column it
/// fills). For the movements the `debit` sum includes 退还, so it is compared with 扣款 + 退还.
fn check_total<const N: usize>(
    t: &ImportedTable,
    spec: &TableSpec,
    keys: &[&str; N],
    rows: impl Iterator<Item = [Fen; N]>,
    errors: &mut Vec<CellError>,
) {
    let Some(total) = t.total_rows.iter().rev().find(|r| !is_subtotal(r)) else { return };
    let mut sums = [0i64; N];
    for r in rows {
        for (s, f) in sums.iter_mut().zip(r) {
            *s = s.saturating_add(f.0);
        }
    }
    for (k, key) in keys.iter().enumerate() {
        let mut stated = match excel_in::parse_fen(total.cell(ix(spec, key))) {
            Ok(f) => f.0,
            Err(_) => continue, // an empty or non-numeric total cell states nothing
        };
        if *key == "debit" {
            if let Ok(f) = excel_in::parse_fen(total.cell(ix(spec, "refund"))) {
                stated = stated.saturating_add(f.0);
            }
        }
        if stated != sums[k] {
            errors.push(t.cell_error(
                total.row,
                ix(spec, key),
                format!("合计 {} 与上面各行之和 {} 不符（相差 {}）", Fen(stated), Fen(sums[k]), Fen(stated.saturating_sub(sums[k]))),
            ));
        }
    }
}

fn is_subtotal(r: &ImportedRow) -> bool {
    r.cells.iter().filter_map(CellValue::as_text).any(|s| s.contains("小计"))
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
