//! The quarter's deposit ledger for finance (保修金明细账, LEDGER-EXCEL.md "Export"): sheet 明细
//! with every entry of the quarter and sheet 汇总 with each builder contract's facts and its
//! opening balance, credit, debit and closing balance for the quarter.
//!
//! The columns carry the names of the department's own template (LEDGER-EXCEL.md), so the
//! desk's importer — and the department's — reads the file back: an export imported into an
//! empty desk gives exactly the same entries. A refund is written in the 退还 column and a
//! reversal keeps its negative (红字) amounts in the column of what it cancels, so the kind
//! survives the trip too. Values keep their types (numbers, real dates) through
//! [`desk_documents::excel_out`], which also writes the merged title, frozen header,
//! autofilter, money format and the `=SUM` total row.

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::export::ExportResult;
use crate::job::Progress;
use desk_documents::excel_out::{write_workbook, ColumnKind, OutCell, OutColumn, SheetTable};
use desk_domain::audit::AuditAction;
use desk_domain::fund::{EntryKind, LedgerEntryRecord, LedgerSummary, Quarter};
use desk_domain::money::Fen;
use desk_store::{audit, fund, fund_import};
use std::collections::HashMap;
use std::path::Path;

/// The 明细 columns, named as the department's template names them (LEDGER-EXCEL.md).
const MOVEMENT_HEADERS: &[(&str, ColumnKind)] = &[
    ("日期", ColumnKind::Date),
    ("凭证号", ColumnKind::Text),
    ("施工单位", ColumnKind::Text),
    ("合同编号", ColumnKind::Text),
    ("摘要", ColumnKind::Text),
    ("报修单号", ColumnKind::Text),
    ("付款申请号", ColumnKind::Text),
    ("计提/收取(贷方)", ColumnKind::Money),
    ("扣款/支付(借方)", ColumnKind::Money),
    ("退还", ColumnKind::Money),
    ("余额", ColumnKind::Balance),
    ("经办人", ColumnKind::Text),
    ("备注", ColumnKind::Text),
];

const SUMMARY_HEADERS: &[(&str, ColumnKind)] = &[
    ("序号", ColumnKind::Int),
    ("项目名称", ColumnKind::Text),
    ("合同编号", ColumnKind::Text),
    ("合同名称", ColumnKind::Text),
    ("施工单位", ColumnKind::Text),
    ("专业/分包内容", ColumnKind::Text),
    ("合同金额(元)", ColumnKind::Money),
    ("结算金额(元)", ColumnKind::Money),
    ("保修金比例", ColumnKind::Percent),
    ("保修金金额(元)", ColumnKind::Money),
    ("保修期起", ColumnKind::Date),
    ("保修期止", ColumnKind::Date),
    ("期初余额", ColumnKind::Money),
    ("本期计提", ColumnKind::Money),
    ("本期扣款", ColumnKind::Money),
    ("本期退还", ColumnKind::Money),
    ("期末余额", ColumnKind::Money),
    ("备注", ColumnKind::Text),
];

fn columns(h: &[(&str, ColumnKind)]) -> Vec<OutColumn> {
    h.iter().map(|(name, kind)| OutColumn::new(*name, *kind)).collect()
}

fn money_or_empty(f: Option<i64>) -> OutCell {
    f.map(|x| OutCell::Money(Fen(x))).unwrap_or(OutCell::Empty)
}

fn text(s: &str) -> OutCell {
    if s.is_empty() {
        OutCell::Empty
    } else {
        OutCell::Text(s.to_string())
    }
}

/// One 明细 row. A refund goes to 退还 (so it reads back as a refund); everything else keeps
/// its credit and debit where they were booked, negative amounts included.
fn movement_row(e: &LedgerEntryRecord) -> Vec<OutCell> {
    let (debit, refund) = if e.kind == EntryKind::Refund { (0, e.debit_fen) } else { (e.debit_fen, 0) };
    let amount = |x: i64| if x == 0 { OutCell::Empty } else { OutCell::Money(Fen(x)) };
    vec![
        OutCell::Date(e.date),
        text(&e.voucher_no),
        OutCell::Text(e.builder.clone()),
        text(&e.contract_no),
        text(&e.summary),
        text(&e.ticket_no),
        text(&e.payment_request_no),
        amount(e.credit_fen),
        amount(debit),
        amount(refund),
        OutCell::Money(Fen(e.balance_fen)),
        text(&e.handler),
        text(&e.note),
    ]
}

/// The quarter's totals of one ledger.
#[derive(Default, Clone, Copy)]
struct QuarterTotals {
    credit: i64,
    deduction: i64,
    refund: i64,
}

fn summary_row(i: usize, project: &str, l: &LedgerSummary, opening: i64, q: QuarterTotals) -> Vec<OutCell> {
    let closing = opening.saturating_add(q.credit).saturating_sub(q.deduction).saturating_sub(q.refund);
    vec![
        OutCell::Int(i as i64 + 1),
        OutCell::Text(project.to_string()),
        text(&l.contract_no),
        text(&l.contract_name),
        OutCell::Text(l.builder.clone()),
        text(&l.trade),
        money_or_empty(l.contract_fen),
        money_or_empty(l.settled_fen),
        l.retention_bp.map(|bp| OutCell::Percent(bp as f64 / 10_000.0)).unwrap_or(OutCell::Empty),
        money_or_empty(l.deposit_fen),
        l.period_start.map(OutCell::Date).unwrap_or(OutCell::Empty),
        l.period_end.map(OutCell::Date).unwrap_or(OutCell::Empty),
        OutCell::Money(Fen(opening)),
        OutCell::Money(Fen(q.credit)),
        OutCell::Money(Fen(q.deduction)),
        OutCell::Money(Fen(q.refund)),
        OutCell::Money(Fen(closing)),
        text(&l.note),
    ]
}

impl Desk {
    /// Writes the active project's ledger for `quarter` to an .xlsx file at `path`.
    pub fn export_ledger_quarter(&self, s: &Session, quarter: Quarter, path: &Path) -> DeskResult<ExportResult> {
        self.export_ledger_quarter_with(s, quarter, path, &Progress::none())
    }

    /// [`Desk::export_ledger_quarter`] in three steps reported to `p` (read, write the file,
    /// record); a cancel before the file is written leaves neither file nor audit line.
    pub fn export_ledger_quarter_with(&self, s: &Session, quarter: Quarter, path: &Path, p: &Progress) -> DeskResult<ExportResult> {
        p.step(0, 3, "读取本季度分录");
        let project = self.active_project()?;
        let (from, to) = (quarter.first_day(), quarter.last_day());
        let reader = self.store.reader()?;
        let c = &reader.db();
        let entries = fund::entries_between(c, project.id, from, to)?;
        let ledgers = fund::ledgers(c, project.id)?;
        let opening = fund_import::balances_before(c, project.id, from)?;
        let mut totals: HashMap<i64, QuarterTotals> = HashMap::new();
        for e in &entries {
            let t = totals.entry(e.ledger_id).or_default();
            t.credit = t.credit.saturating_add(e.credit_fen);
            if e.kind == EntryKind::Refund {
                t.refund = t.refund.saturating_add(e.debit_fen);
            } else {
                t.deduction = t.deduction.saturating_add(e.debit_fen);
            }
        }
        let label = quarter.label();
        let detail = SheetTable {
            title: format!("{}保修金明细账 {label}", project.name),
            sheet_name: "明细".into(),
            columns: columns(MOVEMENT_HEADERS),
            rows: entries.iter().map(movement_row).collect(),
            total_row: true,
        };
        let summary = SheetTable {
            title: format!("{}保修金汇总表 {label}", project.name),
            sheet_name: "汇总".into(),
            columns: columns(SUMMARY_HEADERS),
            rows: ledgers
                .iter()
                .enumerate()
                .map(|(i, l)| summary_row(i, &project.name, l, opening.get(&l.id).copied().unwrap_or(0), totals.get(&l.id).copied().unwrap_or_default()))
                .collect(),
            total_row: true,
        };
        let n = entries.len() as u32;
        drop(entries);
        p.check()?;
        p.step(1, 3, "写入 Excel 文件");
        write_workbook(path, &[detail, summary]).map_err(|e| DeskError::storage(format!("导出失败：{e}")))?;
        let at = self.now();
        self.store.with_tx(|tx| {
            audit::append(
                tx,
                at,
                Some(s.staff_id),
                AuditAction::ExportLedger,
                "project",
                project.id,
                &format!("导出{label}保修金明细账（{n} 条分录）到 {}", path.display()),
            )
        })?;
        p.step(3, 3, "完成");
        Ok(ExportResult { path: path.display().to_string(), rows: n })
    }
}
