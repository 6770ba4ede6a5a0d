//! `wdesk reconcile`: the quarter's B4 reconciliation and its statement.

use super::*;

/// `wdesk reconcile` (CLI.md): the preview of the active project's quarter, and the statement
/// written at `out` (xlsx) and beside it (pdf). Differences are a result, not a failure: exit 0.
pub(crate) fn reconcile(
    data_dir: &std::path::Path,
    file: &std::path::Path,
    quarter: &str,
    out: &std::path::Path,
    map: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let q: desk_domain::fund::Quarter = quarter.parse().map_err(Failure::Usage)?;
    if !out.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        return Err(Failure::Usage(format!("--out 应为 .xlsx 文件（收到「{}」），PDF 会写在旁边", out.display())));
    }
    let desk = Desk::open(data_dir)?;
    let p = desk.reconcile_preview_mapped(file, q, map)?;
    if let Some(n) = &p.no_header {
        // Nothing was read: no statement to write. The first rows help write the mapping.
        let rows: Vec<String> =
            n.rows.iter().map(|r| format!("第 {} 行：{}", r.row, r.cells.iter().map(|(l, t)| format!("{l}={t}")).collect::<Vec<_>>().join(" "))).collect();
        return Err(Failure::Usage(format!("{}\n{}\n用 --map '表头=行号,A=date,B=builder,C=credit' 指出表头和各列", n.looked_for, rows.join("\n"))));
    }
    let x = desk.write_reconciliation_statement(&p, out)?;
    if json {
        let builders: Vec<_> = p
            .builders
            .iter()
            .map(|b| {
                json!({
                    "name": b.name, "theirs_fen": b.theirs_fen, "ours_fen": b.ours_fen, "difference_fen": b.difference_fen,
                    "theirs_credit_fen": b.theirs_credit_fen, "theirs_debit_fen": b.theirs_debit_fen,
                    "ours_credit_fen": b.ours_credit_fen, "ours_debit_fen": b.ours_debit_fen,
                })
            })
            .collect();
        print_json(&json!({
            "quarter": p.quarter, "file": p.file_name, "sha256": p.sha256,
            "matched": p.matched.len(), "only_theirs": p.only_theirs, "only_ours": p.only_ours,
            "amount_differs": p.amount_differs, "builders": builders, "unknown_builders": p.unknown_builders,
            "outside_quarter": p.outside_quarter, "errors": p.errors, "notes": p.notes, "xlsx": x.xlsx, "pdf": x.pdf,
            "mapping": p.mapping, "mapping_remembered": p.mapping_remembered, "needs_mapping": p.needs_mapping,
        }));
    } else {
        println!("{} {}：项目部 {} 行，本系统 {} 笔分录", p.project, p.quarter_label, p.their_rows, p.our_entries);
        println!(
            "相符 {} 笔，仅项目部有 {} 笔，仅本系统有 {} 笔，金额不符 {} 笔",
            p.matched.len(),
            p.only_theirs.len(),
            p.only_ours.len(),
            p.amount_differs.len()
        );
        for u in &p.unknown_builders {
            let c: Vec<&str> = u.candidates.iter().map(|c| c.name.as_str()).collect();
            println!("待确认的施工单位：{}（{} 行）{}", u.spelling, u.rows, if c.is_empty() { String::new() } else { format!("，可能是：{}", c.join("、")) });
        }
        for n in &p.notes {
            println!("说明：{n}");
        }
        println!("对账单：{}、{}", x.xlsx, x.pdf);
    }
    Ok(())
}
