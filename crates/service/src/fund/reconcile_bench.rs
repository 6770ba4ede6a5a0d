//! The reconciliation at scale (`wdesk bench --only reconcile`, and part of the full
//! `wdesk bench`): 100,000 ledger entries of the desk against a 100,000-row department file of
//! the same quarter. Target: ≤ 2 s for [`Desk::reconcile_preview`] — reading the file, loading
//! our entries, matching — and ≤ 300 MB peak memory (VmHWM, reset before measuring where Linux
//! allows it, so the figure is the reconciliation's, not the generator's).
//!
//! The file is ours with the usual differences: every 100 rows one is missing (and one row
//! only they have takes its place), one amount differs under the same voucher, one has lost
//! its voucher and is booked two days later, one has lost its voucher on the same date; every
//! fifth builder is spelled with full-width brackets.

use crate::bench::Figure;
use crate::desk::Desk;
use crate::error::{DeskError, DeskResult};
use crate::master::ProjectInput;
use desk_documents::excel_out::{write_workbook, ColumnKind, OutCell, OutColumn, SheetTable};
use desk_domain::fund::Quarter;
use desk_domain::money::Fen;
use desk_domain::records::ContractorKind;
use desk_store::fund::{insert_entry, upsert_ledger, LedgerHeader, NewEntry};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

const BUILDERS: usize = 50;
const QUARTER: Quarter = Quarter { year: 2026, q: 3 };

fn desk_name(b: usize) -> String {
    format!("基准建设集团(第{b:02}分公司)")
}

fn their_name(b: usize) -> String {
    if b.is_multiple_of(5) {
        format!("基准建设集团（第{b:02}分公司）")
    } else {
        desk_name(b)
    }
}

/// Entry `i` of our ledger: (builder, date, credit, debit, voucher).
fn entry(i: usize, rows: usize) -> (usize, chrono::NaiveDate, i64, i64, String) {
    let days = (QUARTER.last_day() - QUARTER.first_day()).num_days().max(1) as usize;
    let date = QUARTER.first_day() + chrono::Duration::days((i * days / rows.max(1)) as i64);
    let (credit, debit) = if i % 4 == 3 { (0, 10_000 + (i as i64 % 977) * 13) } else { (50_000 + (i as i64 % 1_009) * 17, 0) };
    (i % BUILDERS, date, credit, debit, format!("记-{i:07}"))
}

/// Fills the desk's side: one ledger per builder, `rows` entries.
fn fill_ours(desk: &mut Desk, rows: usize) -> DeskResult<()> {
    let now = desk.now().timestamp();
    desk.store.with_tx(|tx| -> DeskResult<()> {
        let mut ledgers = Vec::with_capacity(BUILDERS);
        for b in 0..BUILDERS {
            let c = desk_store::master::insert_contractor(tx, &desk_name(b), ContractorKind::Builder, "", "", "")?;
            ledgers.push(upsert_ledger(tx, &LedgerHeader { project_id: 1, contractor_id: c, contract_no: format!("HT-{b:02}"), ..Default::default() }, now)?);
        }
        for i in 0..rows {
            let (b, date, credit_fen, debit_fen, voucher_no) = entry(i, rows);
            let summary = if debit_fen > 0 { "扣委托维修费" } else { "计提保修金" };
            insert_entry(
                tx,
                &NewEntry { ledger_id: ledgers[b], date, credit_fen, debit_fen, voucher_no, summary: summary.into(), at: now, ..Default::default() },
            )?;
        }
        Ok(())
    })
}

/// Writes their file of `rows` movements (constant-memory writer above 5,000 rows).
fn write_theirs(path: &Path, rows: usize) -> DeskResult<()> {
    let columns = [
        ("日期", ColumnKind::Date),
        ("凭证号", ColumnKind::Text),
        ("施工单位", ColumnKind::Text),
        ("合同编号", ColumnKind::Text),
        ("摘要", ColumnKind::Text),
        ("计提/收取(贷方)", ColumnKind::Money),
        ("扣款/支付(借方)", ColumnKind::Money),
    ];
    let money = |f: i64| if f == 0 { OutCell::Empty } else { OutCell::Money(Fen(f)) };
    let mut out = Vec::with_capacity(rows);
    for i in 0..rows {
        let (b, mut date, credit, mut debit, mut voucher) = entry(i, rows);
        let mut credit = credit;
        match i % 100 {
            1 => {
                // Missing here; a row only they have stands in its place.
                voucher = format!("外-{i:07}");
                credit = 7_700 + i as i64 % 100;
                debit = 0;
            }
            2 if credit > 0 => credit += 100,
            2 => debit += 100,
            3 => {
                voucher.clear();
                date = (date + chrono::Duration::days(2)).min(QUARTER.last_day());
            }
            4 => voucher.clear(),
            _ => {}
        }
        let summary = if debit > 0 { "扣委托维修费" } else { "计提保修金" };
        out.push(vec![
            OutCell::Date(date),
            OutCell::Text(voucher),
            OutCell::Text(their_name(b)),
            OutCell::Text(format!("HT-{b:02}")),
            OutCell::Text(summary.into()),
            money(credit),
            money(debit),
        ]);
    }
    let table = SheetTable {
        title: "基准项目保修金明细账（项目部）".into(),
        sheet_name: "明细".into(),
        columns: columns.iter().map(|(h, k)| OutColumn::new(*h, *k)).collect(),
        rows: out,
        total_row: true,
    };
    write_workbook(path, std::slice::from_ref(&table)).map_err(|e| DeskError::storage(e.to_string()))
}

/// Peak resident memory of this process (VmHWM) in MB; 0 where /proc is absent.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Resets VmHWM to the current resident size (Linux `clear_refs` 5); elsewhere a no-op, and
/// the figure is then the process's peak so far.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Builds a desk in `dir` (an empty folder) and measures `reconcile_<n>k` (3 runs of the
/// whole preview) and `reconcile_<n>k_peak_rss_mb` (the value in `median_ms`).
pub fn run(dir: &Path, rows: usize, out: &mut BTreeMap<String, Figure>, progress: &mut dyn FnMut(&str)) -> DeskResult<()> {
    let mut desk = Desk::open(dir)?;
    let me = desk.create_first_director("基准主任", "2468")?;
    desk.save_project(&me, ProjectInput { id: None, name: "对账基准项目".into(), code: "RB".into(), address: String::new() })?;
    progress(&format!("生成对账基准：本系统 {rows} 笔分录，项目部 {rows} 行…"));
    fill_ours(&mut desk, rows)?;
    let file = dir.join("reconcile-bench.xlsx");
    write_theirs(&file, rows)?;
    let tag = if rows.is_multiple_of(1000) { format!("{}k", rows / 1000) } else { rows.to_string() };

    reset_peak_rss();
    let mut runs = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let t = Instant::now();
        let p = desk.reconcile_preview(&file, QUARTER)?;
        runs.push(t.elapsed().as_secs_f64() * 1000.0);
        last = Some((p.matched.len(), p.only_theirs.len(), p.only_ours.len(), p.amount_differs.len(), p.unknown_builders.len(), p.errors.len()));
    }
    let peak = peak_rss_mb();
    // Where the time goes: reading their file alone, and loading our entries alone.
    let t = Instant::now();
    crate::fund::workbook::read_ledger_workbook(&file, &desk_documents::excel_in::Limits::default())?;
    out.insert(format!("reconcile_{tag}_read_file"), Figure::new(t.elapsed().as_secs_f64() * 1000.0, 0.0, 1));
    let t = Instant::now();
    desk_store::reconcile::quarter_entries(&desk.store.reader()?.db(), 1, QUARTER.first_day(), QUARTER.last_day())?;
    out.insert(format!("reconcile_{tag}_load_ours"), Figure::new(t.elapsed().as_secs_f64() * 1000.0, 0.0, 1));
    // Every 100 rows: 1 only theirs, 1 only ours, 1 differing, the rest matched — so the
    // figures are known to measure a real reconciliation.
    let per100 = rows / 100;
    if let Some((matched, only_theirs, only_ours, differs, unknown, errors)) = last {
        if unknown != 0 || errors != 0 || only_theirs != per100 || only_ours != per100 || differs != per100 || matched + per100 * 2 != rows {
            return Err(DeskError::storage(format!(
                "对账基准结果不符：相符 {matched}，仅项目部 {only_theirs}，仅本系统 {only_ours}，金额不符 {differs}，未知单位 {unknown}，错误 {errors}"
            )));
        }
    }
    runs.sort_by(|a, b| a.total_cmp(b));
    out.insert(format!("reconcile_{tag}"), Figure::new(runs[1], runs[2], 3));
    out.insert(format!("reconcile_{tag}_peak_rss_mb"), Figure::new(peak, peak, 1));
    Ok(())
}

/// `wdesk bench --only reconcile`: the reconciliation figures alone, in `dir` (an empty folder).
pub fn run_only(dir: &Path, rows: usize, progress: &mut dyn FnMut(&str)) -> DeskResult<BTreeMap<String, Figure>> {
    if dir.join(crate::desk::DB_FILE).exists() {
        return Err(DeskError::invalid("dir", format!("「{}」中已有数据库，基准测试需要一个空文件夹", dir.display())));
    }
    let mut out = BTreeMap::new();
    run(dir, rows, &mut out, progress)?;
    Ok(out)
}
