//! `wdesk ledger import|show|export`: the deposit ledger (A3 in, the quarter out for finance).

use super::*;

fn builders_json(b: &[desk_service::fund::ledger::BuilderBalance]) -> Vec<serde_json::Value> {
    b.iter().map(|b| json!({"name": b.name, "credit_fen": b.credit_fen, "debit_fen": b.debit_fen, "balance_fen": b.balance_fen})).collect()
}

fn yuan(fen: i64) -> String {
    desk_domain::money::Fen(fen).to_string()
}

/// `wdesk ledger …` (CLI.md). `import` checks first; it writes only when the file has no
/// rejected cell (or `--valid-rows-only`), never with `--dry-run`; exit 1 when not ok.
pub(crate) fn ledger(data_dir: &std::path::Path, cmd: LedgerCommand) -> Result<(), Failure> {
    let desk = Desk::open(data_dir)?;
    match cmd {
        LedgerCommand::Import { file, project, dry_run, valid_rows_only, by, map, json } => {
            let project_id = match project {
                Some(p) => {
                    let key = p.trim();
                    let found = desk.projects()?.into_iter().find(|x| x.name == key || x.code == key || x.id.to_string() == key);
                    Some(found.ok_or_else(|| Failure::Refused(DeskError::invalid("project", format!("没有名为「{key}」的项目"))))?.id)
                }
                None => None,
            };
            let project_id = match project_id {
                Some(id) => id,
                None => desk.active_project()?.id,
            };
            let preview = desk.preview_ledger_import_mapped(Some(project_id), &file, map.as_deref())?;
            let mut refusal = preview.already_imported_at.as_ref().map(|at| format!("该文件已于 {at} 导入过（内容完全相同），未重复导入"));
            let mut result = preview;
            if !dry_run && refusal.is_none() && (result.errors.is_empty() || valid_rows_only) {
                let me = desk.session_for(by.as_deref())?;
                match desk.import_ledger_mapped(&me, Some(project_id), &file, valid_rows_only, map.as_deref()) {
                    Ok(done) => result = done,
                    Err(e) => refusal = Some(e.message),
                }
            }
            let ok = result.errors.is_empty() && refusal.is_none();
            if json {
                let errors: Vec<_> =
                    result.errors.iter().map(|e| json!({"sheet": e.sheet, "row": e.row, "column": e.column, "label": e.label, "message": e.message})).collect();
                let warnings: Vec<_> = result
                    .warnings
                    .iter()
                    .map(|e| json!({"sheet": e.sheet, "row": e.row, "column": e.column, "label": e.label, "message": e.message}))
                    .collect();
                print_json(&json!({
                    "ok": ok, "errors": errors, "builders": builders_json(&result.builders), "movements": result.movements,
                    "written": result.written, "project": result.project, "contracts": result.contracts,
                    "new_builders": result.new_builders, "near_matches": result.near_matches, "warnings": warnings,
                    "notes": result.notes, "skipped_rows": result.skipped_rows, "message": refusal,
                    "mapping": result.mapping, "mapping_remembered": result.mapping_remembered, "needs_mapping": result.needs_mapping,
                    "columns": result.columns.iter().map(|c| json!({"sheet": c.sheet, "column": c.column, "header": c.header, "samples": c.samples, "field": c.field, "field_label": c.field_label, "confidence": c.confidence})).collect::<Vec<_>>(),
                }));
            } else {
                println!(
                    "「{}」→ 项目「{}」：分录 {} 条，合同 {} 个，贷方 {}，借方 {}",
                    result.file_name,
                    result.project,
                    result.movements,
                    result.contracts,
                    yuan(result.credit_fen),
                    yuan(result.debit_fen)
                );
                for n in &result.notes {
                    println!("说明：{n}");
                }
                if result.needs_mapping {
                    println!("字段对应（有按词义识别的列，请核对；用 --map 'H=credit' 更正）：");
                    for c in &result.columns {
                        println!(
                            "  {} 列「{}」→ {}  例：{}",
                            c.column,
                            c.header,
                            if c.field_label.is_empty() { "（不用）" } else { &c.field_label },
                            c.samples.join("、")
                        );
                    }
                }
                for b in &result.builders {
                    println!("  {}  贷 {}  借 {}  余额 {}", b.name, yuan(b.credit_fen), yuan(b.debit_fen), yuan(b.balance_fen));
                }
                for b in &result.new_builders {
                    println!("新施工单位：{b}");
                }
                for m in &result.near_matches {
                    println!("「{}」与已有的「{}」相近，是否同一单位？（确认后再导入）", m.name, m.known);
                }
                for w in &result.warnings {
                    println!("提醒：{w}");
                }
                for e in &result.errors {
                    eprintln!("错误：{e}");
                }
                println!("{}", if result.written { "已写入。" } else { "未写入任何数据。" });
            }
            if let Some(m) = refusal {
                return Err(Failure::Refused(DeskError::new(desk_service::ErrorKind::Refused, m)));
            }
            // Exit 1 means nothing was written (CLI.md); rows written by an explicit
            // --valid-rows-only are a success with `ok: false` in the JSON.
            if !ok && !result.written {
                let what = format!("有 {} 处错误，未导入任何数据", result.errors.len());
                return Err(Failure::Refused(DeskError::new(desk_service::ErrorKind::Invalid, what)));
            }
            if !ok {
                eprintln!("有 {} 处错误，已按选择只导入有效行", result.errors.len());
            }
        }
        LedgerCommand::Show { json } => {
            let o = desk.ledger_show()?;
            if json {
                print_json(&json!({"entries": o.entries, "ledgers": o.ledgers, "project": o.project, "builders": builders_json(&o.builders)}));
            } else {
                println!("项目「{}」：台账 {} 个，分录 {} 条", o.project, o.ledgers, o.entries);
                for b in &o.builders {
                    println!("  {}  贷 {}  借 {}  余额 {}", b.name, yuan(b.credit_fen), yuan(b.debit_fen), yuan(b.balance_fen));
                }
            }
        }
        LedgerCommand::Export { quarter, out, by, json } => {
            let q: desk_domain::fund::Quarter = quarter.parse().map_err(Failure::Usage)?;
            let me = desk.session_for(by.as_deref())?;
            let x = desk.export_ledger_quarter(&me, q, &out)?;
            if json {
                print_json(&x);
            } else {
                println!("已导出 {}（{} 条分录）：{}", q.label(), x.rows, x.path);
            }
        }
    }
    Ok(())
}
