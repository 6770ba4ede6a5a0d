//! Ledger import and export at scale (`wdesk bench --only ledger`, and part of the full
//! `wdesk bench`): a generated 100,000-row ledger workbook is previewed and imported (the A3
//! path a user takes: preview, then commit), then the quarter is exported for finance.
//! Targets: import ≤ 3 s, export ≤ 2 s, peak memory ≤ 300 MB (VmHWM of the process).

use crate::bench::Figure;
use crate::desk::Desk;
use crate::error::{DeskError, DeskResult};
use crate::master::ProjectInput;
use chrono::NaiveDate;
use desk_documents::excel_out::{write_workbook, ColumnKind, OutCell, OutColumn, SheetTable};
use desk_domain::fund::Quarter;
use desk_domain::money::Fen;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

const BUILDERS: usize = 50;

/// Writes a ledger workbook of `rows` movements (and a 汇总 of the builders) at `path`, dated
/// within 2026Q3, through the desk's own writer (constant-memory mode above 5,000 rows).
pub fn generate_workbook(path: &Path, rows: usize) -> DeskResult<()> {
    let q: Quarter = Quarter { year: 2026, q: 3 };
    let days = (q.last_day() - q.first_day()).num_days().max(1) as usize;
    let builder = |b: usize| format!("基准建设工程有限公司{b:02}");
    let movement_cols = [
        ("日期", ColumnKind::Date),
        ("凭证号", ColumnKind::Text),
        ("施工单位", ColumnKind::Text),
        ("合同编号", ColumnKind::Text),
        ("摘要", ColumnKind::Text),
        ("报修单号", ColumnKind::Text),
        ("计提/收取(贷方)", ColumnKind::Money),
        ("扣款/支付(借方)", ColumnKind::Money),
    ];
    let mut movement_rows = Vec::with_capacity(rows);
    for i in 0..rows {
        let b = i % BUILDERS;
        let date = q.first_day() + chrono::Duration::days((i * days / rows.max(1)) as i64);
        let (summary, credit, debit) = if i % 4 == 3 {
            ("扣委托维修费", OutCell::Empty, OutCell::Money(Fen(10_000 + (i as i64 % 977) * 13)))
        } else {
            ("计提保修金", OutCell::Money(Fen(50_000 + (i as i64 % 1_009) * 17)), OutCell::Empty)
        };
        movement_rows.push(vec![
            OutCell::Date(date),
            OutCell::Text(format!("记-{i:07}")),
            OutCell::Text(builder(b)),
            OutCell::Text(format!("HT-{b:02}")),
            OutCell::Text(summary.into()),
            if i % 10 == 0 { OutCell::Text(format!("BX-X-{i:07}")) } else { OutCell::Empty },
            credit,
            debit,
        ]);
    }
    let contracts = (0..BUILDERS)
        .map(|b| {
            vec![
                OutCell::Text(builder(b)),
                OutCell::Text(format!("HT-{b:02}")),
                OutCell::Money(Fen(100_000_000)),
                OutCell::Money(Fen(3_000_000)),
                OutCell::Date(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()),
                OutCell::Date(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default()),
            ]
        })
        .collect();
    let tables = [
        SheetTable {
            title: "基准项目保修金明细账".into(),
            sheet_name: "明细账".into(),
            columns: movement_cols.iter().map(|(h, k)| OutColumn::new(*h, *k)).collect(),
            rows: movement_rows,
            total_row: true,
        },
        SheetTable {
            title: "基准项目保修金汇总".into(),
            sheet_name: "汇总".into(),
            columns: [
                ("施工单位", ColumnKind::Text),
                ("合同编号", ColumnKind::Text),
                ("结算金额", ColumnKind::Money),
                ("保修金金额", ColumnKind::Money),
                ("保修期起", ColumnKind::Date),
                ("保修期止", ColumnKind::Date),
            ]
            .iter()
            .map(|(h, k)| OutColumn::new(*h, *k))
            .collect(),
            rows: contracts,
            total_row: true,
        },
    ];
    write_workbook(path, &tables).map_err(|e| DeskError::storage(e.to_string()))
}

/// Writes the same kind of ledger as a finance system's CSV export (UTF-8 with BOM, a title line,
/// amounts with thousands separators, vouchers of their own so it can follow the workbook).
pub fn generate_csv(path: &Path, rows: usize) -> DeskResult<()> {
    use std::fmt::Write as _;
    let q: Quarter = Quarter { year: 2026, q: 3 };
    let days = (q.last_day() - q.first_day()).num_days().max(1) as usize;
    let mut text = String::with_capacity(rows * 90);
    text.push_str("\u{feff}基准项目保修金明细账\r\n日期,凭证号,施工单位,合同编号,摘要,计提/收取(贷方),扣款/支付(借方)\r\n");
    for i in 0..rows {
        let b = i % BUILDERS;
        let date = q.first_day() + chrono::Duration::days((i * days / rows.max(1)) as i64);
        let (summary, credit, debit) = if i % 4 == 3 {
            ("扣委托维修费", String::new(), format!("\"{}\"", Fen(10_000 + (i as i64 % 977) * 13).to_string().trim_start_matches('¥')))
        } else {
            ("计提保修金", format!("\"{}\"", Fen(50_000 + (i as i64 % 1_009) * 17).to_string().trim_start_matches('¥')), String::new())
        };
        let _ = write!(text, "{date},记C-{i:07},基准建设工程有限公司{b:02},HT-{b:02},{summary},{credit},{debit}\r\n");
    }
    std::fs::write(path, text).map_err(|e| DeskError::storage(e.to_string()))
}

/// Peak resident memory of this process so far (VmHWM), in MB; 0 where /proc is absent.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn one(ms: f64) -> Figure {
    Figure::new(ms, ms, 1)
}

/// Builds a desk in `dir` (an empty folder), generates the workbook and measures
/// `ledger_import_<n>k` (preview + commit), `ledger_import_<n>k_preview`, `ledger_export_<n>k`
/// and `ledger_peak_rss_mb` (the value in `median_ms`, as `print_f02_size_kb` does).
pub fn run(dir: &Path, rows: usize, out: &mut BTreeMap<String, Figure>, progress: &mut dyn FnMut(&str)) -> DeskResult<()> {
    let desk = Desk::open(dir)?;
    let me = desk.create_first_director("基准主任", "2468")?;
    desk.save_project(&me, ProjectInput { id: None, name: "基准项目".into(), code: "LB".into(), address: String::new() })?;
    let file = dir.join("ledger-bench.xlsx");
    progress(&format!("生成 {rows} 行保修金明细账…"));
    let t = Instant::now();
    generate_workbook(&file, rows)?;
    // The peak of this part alone, not of the run before it (the 1M-ticket bench).
    crate::bench::memory::reset_peak();
    let generate_ms = t.elapsed().as_secs_f64() * 1000.0;
    let tag = if rows.is_multiple_of(1000) { format!("{}k", rows / 1000) } else { rows.to_string() };

    let t = Instant::now();
    let p = desk.preview_ledger_import(&file)?;
    let preview_ms = t.elapsed().as_secs_f64() * 1000.0;
    if !p.errors.is_empty() {
        return Err(DeskError::storage(format!("基准明细账有错误：{}", p.errors[0])));
    }
    let done = desk.import_ledger(&me, &file, false)?;
    let import_ms = t.elapsed().as_secs_f64() * 1000.0;
    if done.movements as usize != rows {
        return Err(DeskError::storage(format!("导入 {} 行，应为 {rows} 行", done.movements)));
    }
    let export = dir.join("ledger-export.xlsx");
    let mut runs = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        desk.export_ledger_quarter(&me, Quarter { year: 2026, q: 3 }, &export)?;
        runs.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    runs.sort_by(|a, b| a.total_cmp(b));
    // The same size as a CSV export: decoding and splitting must not cost more than the workbook.
    let csv = dir.join("ledger-bench.csv");
    generate_csv(&csv, rows)?;
    let t = Instant::now();
    desk.preview_ledger_import(&csv)?;
    let done = desk.import_ledger(&me, &csv, false)?;
    let csv_ms = t.elapsed().as_secs_f64() * 1000.0;
    if done.movements as usize != rows {
        return Err(DeskError::storage(format!("CSV 导入 {} 行，应为 {rows} 行", done.movements)));
    }
    out.insert(format!("ledger_import_csv_{tag}"), one(csv_ms));
    out.insert(format!("ledger_generate_{tag}"), one(generate_ms));
    out.insert(format!("ledger_import_{tag}_preview"), one(preview_ms));
    out.insert(format!("ledger_import_{tag}"), one(import_ms));
    out.insert(format!("ledger_export_{tag}"), Figure::new(runs[1], runs[2], 3));
    out.insert("ledger_peak_rss_mb".into(), one(peak_rss_mb()));
    Ok(())
}

/// `wdesk bench --only ledger`: the ledger figures alone, in `dir` (an empty folder).
pub fn run_only(dir: &Path, rows: usize, progress: &mut dyn FnMut(&str)) -> DeskResult<BTreeMap<String, Figure>> {
    if dir.join(crate::desk::DB_FILE).exists() {
        return Err(DeskError::invalid("dir", format!("「{}」中已有数据库，基准测试需要一个空文件夹", dir.display())));
    }
    let mut out = BTreeMap::new();
    run(dir, rows, &mut out, progress)?;
    Ok(out)
}
