//! Deciding every row of a ledger workbook before anything is written (builders, ledgers, entries, links to tickets and payment requests), and writing the decided plan.

use super::*;
use crate::desk::Session;
use crate::error::{DeskError, DeskResult};
use crate::fund::workbook::{movement_fields, ContractRow, LedgerWorkbook};
use chrono::NaiveDate;
use desk_documents::excel_in::CellError;
use desk_documents::excel_in::Confidence;
use desk_domain::audit::AuditAction;
use desk_domain::fund::ledger::{deposit_for, format_rate, nearest_period_end, over_cap, RETENTION_CAP_BP};
use desk_domain::fund::{names, EntryKind, LedgerEntryRecord, LedgerSummary};
use desk_domain::money::Fen;
use desk_domain::records::{ContractorKind, Project};
use desk_store::fund::{LedgerHeader, NewEntry};
use desk_store::Db;
use desk_store::{audit, fund, fund_import, imports, master};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Who a builder name of the file is.
#[derive(Debug, Clone)]
pub(super) enum Who {
    Known(i64),
    /// Index into the plan's new builders.
    New(usize),
}

/// The desk's builders by normalised name (contractors and remembered aliases).
pub(super) struct Builders {
    by_norm: HashMap<String, i64>,
    names: Vec<(i64, String)>,
}

impl Builders {
    fn load(c: &Db) -> DeskResult<Builders> {
        let names: Vec<(i64, String)> = master::list_contractors(c)?.into_iter().map(|x| (x.id, x.name)).collect();
        let mut by_norm: HashMap<String, i64> = names.iter().map(|(id, n)| (names::normalize(n), *id)).collect();
        for (alias, id) in desk_store::reconcile::aliases(c)?.into_iter().map(|a| (a.alias_norm, a.contractor_id)) {
            by_norm.entry(alias).or_insert(id);
        }
        Ok(Builders { by_norm, names })
    }

    fn name_of(&self, id: i64) -> &str {
        self.names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.as_str()).unwrap_or_default()
    }

    fn near(&self, spelling: &str) -> Option<(i64, &str)> {
        self.names.iter().find(|(_, n)| names::near(spelling, n)).map(|(id, n)| (*id, n.as_str()))
    }
}

/// A ledger (builder × contract) the import touches.
pub(super) struct LedgerPlan {
    who: Who,
    contract_no: String,
    contract: Option<ContractRow>,
    existing: Option<i64>,
}

/// Everything decided before writing.
pub(super) struct Plan {
    pub(super) preview: LedgerImportPreview,
    new_builders: Vec<(String, String)>, // (spelling, trade)
    ledgers: Vec<LedgerPlan>,
    pub(super) movements: Vec<PlannedEntry>,
}

/// An accepted movement: its ledger (index into [`Plan::ledgers`]), its row (index into the
/// workbook's movements) and what its numbers point at.
pub(super) struct PlannedEntry {
    ledger: usize,
    movement: usize,
    ticket_id: Option<i64>,
    request_id: Option<i64>,
}

/// Reads the desk's builders, ledgers, vouchers and tickets once and decides every row. Builders
/// are numbered once per distinct spelling, so the per-row work is integer and borrowed-string
/// look-ups (100,000 rows in well under a second).
pub(super) fn plan_import(c: &Db, project: &Project, wb: &LedgerWorkbook) -> DeskResult<Plan> {
    let builders = Builders::load(c)?;
    let mut errors = wb.errors.clone();
    let mut warnings = wb.warnings.clone();
    let notes = project_notes(project, wb);

    // Builders of the file, numbered in order of appearance: spelling → builder index.
    struct FileBuilder {
        spelling: String,
        who: Who,
    }
    let mut file_builders: Vec<FileBuilder> = Vec::new();
    let mut by_norm: HashMap<String, usize> = HashMap::new();
    let mut by_spelling: HashMap<&str, usize> = HashMap::new();
    let mut new_builders: Vec<(String, String)> = Vec::new();
    let mut near_matches = Vec::new();
    // The 汇总's 专业 becomes a new builder's trade.
    let spellings = wb.contracts.iter().map(|k| (k.builder.as_str(), k.trade.as_str())).chain(wb.movements.iter().map(|m| (m.builder.as_str(), "")));
    for (spelling, trade) in spellings {
        if by_spelling.contains_key(spelling) {
            continue;
        }
        let norm = names::normalize(spelling);
        let b = match by_norm.get(&norm) {
            Some(b) => *b,
            None => {
                let who = match builders.by_norm.get(&norm) {
                    Some(id) => Who::Known(*id),
                    None => {
                        if let Some((id, known)) = builders.near(spelling) {
                            near_matches.push(NearMatch { name: spelling.to_string(), known: known.to_string(), contractor_id: id });
                        }
                        new_builders.push((spelling.to_string(), trade.to_string()));
                        Who::New(new_builders.len() - 1)
                    }
                };
                file_builders.push(FileBuilder { spelling: spelling.to_string(), who });
                by_norm.insert(norm, file_builders.len() - 1);
                file_builders.len() - 1
            }
        };
        by_spelling.insert(spelling, b);
    }
    // Every spelling was numbered above, so the look-up cannot miss.
    let builder_of = |spelling: &str| by_spelling.get(spelling).copied().unwrap_or(0);

    // Existing ledgers of the project by (contractor, contract number).
    let existing: Vec<LedgerSummary> = fund::ledgers(c, project.id)?;
    let existing_by: HashMap<(i64, &str), i64> = existing.iter().map(|l| ((l.contractor_id, l.contract_no.as_str()), l.id)).collect();
    let mut ledgers: Vec<LedgerPlan> = Vec::new();
    let mut ledger_ix: HashMap<(usize, String), usize> = HashMap::new();
    let mut open_ledger = |b: usize, contract_no: &str, ledgers: &mut Vec<LedgerPlan>| -> usize {
        if let Some(i) = ledger_ix.get(&(b, contract_no.to_string())) {
            return *i;
        }
        let who = file_builders.get(b).map(|f| f.who.clone()).unwrap_or(Who::New(usize::MAX));
        let existing = match who {
            Who::Known(id) => existing_by.get(&(id, contract_no)).copied(),
            Who::New(_) => None,
        };
        ledgers.push(LedgerPlan { who, contract_no: contract_no.to_string(), contract: None, existing });
        ledger_ix.insert((b, contract_no.to_string()), ledgers.len() - 1);
        ledgers.len() - 1
    };

    // 汇总: one row per contract; the same contract twice is an error on the second.
    for k in &wb.contracts {
        let i = open_ledger(builder_of(&k.builder), &k.contract_no, &mut ledgers);
        if let Some(first) = &ledgers[i].contract {
            errors.push(wb.cell_error(
                &k.sheet,
                k.row,
                "contract_no",
                format!("施工单位「{}」合同「{}」在第 {} 行已出现过", k.builder, k.contract_no, first.row),
            ));
            continue;
        }
        check_contract(wb, k, &mut warnings);
        ledgers[i].contract = Some(k.clone());
    }

    // Contracts per builder (file and desk), for movements that name none: the builder's only
    // contract, if it has exactly one.
    let mut contracts_of: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); file_builders.len()];
    let named = wb.contracts.iter().map(|k| (&k.builder, &k.contract_no)).chain(wb.movements.iter().map(|m| (&m.builder, &m.contract_no)));
    for (builder, no) in named.filter(|(_, no)| !no.is_empty()) {
        contracts_of[builder_of(builder)].insert(no.as_str());
    }
    for (b, f) in file_builders.iter().enumerate() {
        if let Who::Known(id) = f.who {
            contracts_of[b].extend(existing.iter().filter(|l| l.contractor_id == id).map(|l| l.contract_no.as_str()));
        }
    }

    // Vouchers already booked, by ledger.
    // Only the file's own vouchers can collide: the others (a second 100,000-row import meets
    // the first one's) are not kept, and a row looks its voucher up without allocating.
    let in_file: HashSet<&str> = wb.movements.iter().map(|m| m.voucher_no.as_str()).filter(|v| !v.is_empty()).collect();
    let mut booked: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for (ledger_id, voucher, date) in fund_import::vouchers(c, project.id)? {
        if in_file.contains(voucher.as_str()) {
            let list = booked.entry(voucher).or_default();
            if !list.iter().any(|(l, _)| *l == ledger_id) {
                list.push((ledger_id, date));
            }
        }
    }
    let mut movement_ledger: HashMap<(usize, &str), usize> = HashMap::new();
    let mut seen_voucher: HashMap<(usize, &str), u32> = HashMap::new();
    let mut tickets: HashMap<&str, Option<i64>> = HashMap::new();
    let mut requests: HashMap<&str, Option<i64>> = HashMap::new();
    let mut movements = Vec::with_capacity(wb.movements.len());
    let mut bad_rows: BTreeSet<(String, u32)> = errors.iter().map(|e| (e.sheet.clone(), e.row)).collect();

    for (mi, m) in wb.movements.iter().enumerate() {
        let b = builder_of(&m.builder);
        let li = match movement_ledger.get(&(b, m.contract_no.as_str())) {
            Some(li) => *li,
            None => {
                let resolved = match (m.contract_no.is_empty(), contracts_of.get(b)) {
                    (true, Some(set)) if set.len() == 1 => set.iter().next().copied().unwrap_or_default(),
                    _ => m.contract_no.as_str(),
                };
                let li = open_ledger(b, resolved, &mut ledgers);
                movement_ledger.insert((b, m.contract_no.as_str()), li);
                li
            }
        };
        let mut ok = true;
        if !matches!(m.kind(), EntryKind::Reversal | EntryKind::Adjustment) {
            let (debit, refund) = if m.refund { (Fen(0), m.debit) } else { (m.debit, Fen(0)) };
            for (key, amount) in [("credit", m.credit), ("debit", debit), ("refund", refund)] {
                if amount.is_negative() {
                    errors.push(wb.cell_error(&m.sheet, m.row, key, format!("负数金额 {amount} 只用于冲销：请在摘要中写明「冲销」，或把金额以正数记在另一方")));
                    ok = false;
                }
            }
        }
        if !m.voucher_no.is_empty() {
            match seen_voucher.get(&(li, m.voucher_no.as_str())) {
                Some(first) => {
                    errors.push(wb.cell_error(&m.sheet, m.row, "voucher", format!("凭证号「{}」在第 {first} 行已用过（同一施工单位同一合同）", m.voucher_no)));
                    ok = false;
                }
                None => {
                    seen_voucher.insert((li, m.voucher_no.as_str()), m.row);
                }
            }
            if let Some(date) =
                ledgers[li].existing.and_then(|id| booked.get(m.voucher_no.as_str()).and_then(|l| l.iter().find(|(x, _)| *x == id)).map(|(_, d)| d))
            {
                errors.push(wb.cell_error(&m.sheet, m.row, "voucher", format!("凭证号「{}」已记入台账（{date} 的分录），不能重复记账", m.voucher_no)));
                ok = false;
            }
        }
        if !ok {
            bad_rows.insert((m.sheet.clone(), m.row));
            continue;
        }
        let ticket_id = match m.ticket_no.as_str() {
            "" => None,
            no => match tickets.get(no) {
                Some(t) => *t,
                None => {
                    let t = fund_import::ticket_id(c, project.id, no)?;
                    tickets.insert(no, t);
                    t
                }
            },
        };
        let request_id = match m.payment_request_no.as_str() {
            "" => None,
            no => match requests.get(no) {
                Some(t) => *t,
                None => {
                    let t = fund_import::payment_request_id(c, no)?;
                    requests.insert(no, t);
                    t
                }
            },
        };
        movements.push(PlannedEntry { ledger: li, movement: mi, ticket_id, request_id });
    }

    // Totals per builder: the file's movements, and the balance after the import.
    let mut totals: Vec<Option<BuilderBalance>> = vec![None; file_builders.len()];
    let mut order: Vec<usize> = Vec::new();
    let mut start_total = |b: usize, totals: &mut Vec<Option<BuilderBalance>>| {
        if totals[b].is_none() {
            let f = &file_builders[b];
            let (name, before) = match f.who {
                Who::Known(id) => (builders.name_of(id).to_string(), existing.iter().filter(|l| l.contractor_id == id).map(|l| l.balance_fen).sum()),
                Who::New(_) => (f.spelling.clone(), 0),
            };
            totals[b] = Some(BuilderBalance { name, credit_fen: 0, debit_fen: 0, balance_fen: before });
            order.push(b);
        }
    };
    for k in &wb.contracts {
        start_total(builder_of(&k.builder), &mut totals);
    }
    let (mut credit, mut debit, mut linked) = (0i64, 0i64, 0u32);
    let mut sample = Vec::new();
    for p in &movements {
        let m = &wb.movements[p.movement];
        let b = builder_of(&m.builder);
        start_total(b, &mut totals);
        if let Some(t) = totals[b].as_mut() {
            t.credit_fen = t.credit_fen.saturating_add(m.credit.0);
            t.debit_fen = t.debit_fen.saturating_add(m.debit.0);
            t.balance_fen = t.balance_fen.saturating_add(m.credit.0).saturating_sub(m.debit.0);
        }
        credit = credit.saturating_add(m.credit.0);
        debit = debit.saturating_add(m.debit.0);
        linked += u32::from(p.ticket_id.is_some());
        if sample.len() < SAMPLE_ROWS {
            sample.push(LedgerImportRow {
                sheet: m.sheet.clone(),
                row: m.row,
                date: m.date,
                builder: totals[b].as_ref().map(|t| t.name.clone()).unwrap_or_default(),
                contract_no: ledgers[p.ledger].contract_no.clone(),
                voucher_no: m.voucher_no.clone(),
                summary: m.summary.clone(),
                kind: m.kind(),
                credit_fen: m.credit.0,
                debit_fen: m.debit.0,
                ticket_no: m.ticket_no.clone(),
                ticket_linked: p.ticket_id.is_some(),
            });
        }
    }
    let builders_out = order.iter().filter_map(|b| totals[*b].clone()).collect();
    // Errors of 合计 rows are not rows to skip; every other errored row is (the reader keeps
    // which rows those are: they are not found again by their words).
    let skipped = bad_rows.difference(&wb.total_mismatches).count() as u32;
    let preview = LedgerImportPreview {
        file_name: wb.file_name.clone(),
        project: project.name.clone(),
        titles: wb.titles.clone(),
        notes,
        contracts: wb.contracts.len() as u32,
        movements: movements.len() as u32,
        credit_fen: credit,
        debit_fen: debit,
        builders: builders_out,
        new_builders: new_builders.iter().map(|(n, _)| n.clone()).collect(),
        near_matches,
        new_ledgers: ledgers.iter().filter(|l| l.existing.is_none()).count() as u32,
        linked_tickets: linked,
        errors,
        warnings,
        skipped_rows: skipped,
        sample,
        already_imported_at: None,
        written: false,
        columns: wb.mapping.clone(),
        fields: movement_fields(),
        needs_mapping: needs_mapping(wb),
        mapping: String::new(),
        mapping_remembered: false,
        other_project: other_project_named(project, wb).unwrap_or_default(),
        no_header: wb.no_header.clone(),
    };
    Ok(Plan { preview, new_builders, ledgers, movements })
}

/// A column the import cannot do without (日期, 施工单位, an amount or its direction) matched by
/// the meaning of its words only: worth the user's look before importing.
pub(super) fn needs_mapping(wb: &LedgerWorkbook) -> bool {
    needs_mapping_of(wb, &wb.mapping)
}

/// [`needs_mapping`] over `columns` (the workbook's mapping, when taken out of it).
pub(crate) fn needs_mapping_of(wb: &LedgerWorkbook, columns: &[crate::fund::workbook::ColumnMatch]) -> bool {
    const NEEDED: &[&str] = &["date", "builder", "credit", "debit", "refund", "amount", "direction"];
    wb.no_header.is_some()
        || columns.iter().any(|c| c.confidence == Confidence::Doubt || (c.confidence == Confidence::Meaning && NEEDED.contains(&c.field.as_str())))
}

/// The other project a file names: a 项目名称 of its 汇总, or `XX项目` in a ledger title.
pub(super) fn other_project_named(project: &Project, wb: &LedgerWorkbook) -> Option<String> {
    if let Some(k) = wb.contracts.iter().find(|k| !k.project.is_empty() && k.project != project.name) {
        return Some(k.project.clone());
    }
    wb.titles.iter().find_map(|t| {
        if t.contains(&project.name) || !["保修金", "质保金", "明细账", "汇总表"].iter().any(|w| t.contains(w)) {
            return None;
        }
        let before = &t[..t.find("项目")?];
        // The name right before 项目: the last run of CJK characters (a title may start with
        // a company or a year).
        let name: String = before.chars().rev().take_while(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).collect::<Vec<_>>().into_iter().rev().collect();
        (name.chars().count() >= 2 && name != project.name).then_some(name)
    })
}

/// A title or a 项目名称 naming another project is said, not obeyed.
pub(super) fn project_notes(project: &Project, wb: &LedgerWorkbook) -> Vec<String> {
    let mut notes = wb.notes.clone();
    for t in &wb.titles {
        // The title line is the one naming the ledger (XX项目保修金明细账); a subtitle such as
        // 编制单位：项目工程部 names no project.
        if !t.contains(&project.name) && ["保修金", "质保金", "明细账", "汇总表"].iter().any(|w| t.contains(w)) {
            notes.push(format!("文件标题为「{t}」，数据将导入当前项目「{}」（标题中的项目名不作依据）", project.name));
        }
    }
    let others: BTreeSet<&str> = wb.contracts.iter().map(|k| k.project.as_str()).filter(|p| !p.is_empty() && *p != project.name).collect();
    for p in others {
        notes.push(format!("汇总表的项目名称写的是「{p}」，数据将导入当前项目「{}」", project.name));
    }
    notes
}

/// The checks people do by hand on a 汇总 row: the 3 % cap, deposit = settled × rate, and
/// period end = start + whole months − 1 day. Warnings: the contract is what was signed.
pub(super) fn check_contract(wb: &LedgerWorkbook, k: &ContractRow, warnings: &mut Vec<CellError>) {
    if let Some(bp) = k.rate_bp {
        if over_cap(bp) {
            warnings.push(wb.cell_error(
                &k.sheet,
                k.row,
                "rate",
                format!("保修金比例 {} 超过 {} 上限（建质〔2017〕138号 第七条）", format_rate(bp), format_rate(RETENTION_CAP_BP)),
            ));
        }
        if let Some(expected) = k.settled.and_then(|s| deposit_for(s, bp)) {
            if (k.deposit.0 - expected.0).abs() > DEPOSIT_TOLERANCE_FEN {
                warnings.push(wb.cell_error(
                    &k.sheet,
                    k.row,
                    "deposit",
                    format!("保修金金额 {} 与 结算金额 × {} = {} 不符", k.deposit, format_rate(bp), expected),
                ));
            }
        }
    }
    if let (Some(start), Some(end)) = (k.start, k.end) {
        if let Some((months, expected)) = nearest_period_end(start, end) {
            if expected != end {
                warnings.push(wb.cell_error(&k.sheet, k.row, "end", format!("保修期止 {end} 与保修期起 {start} 加 {months} 个月减一天（{expected}）不符")));
            }
        }
    }
}

/// The entry a 红字 row of a file cancels, so an exported reversal reads back as the reversal of
/// the same entry: in the same ledger (already in the desk or written earlier in this import),
/// not reversed yet, with exactly the negated amounts, on the date the desk's reversal summary
/// names (`冲销 2024-06-18 扣委托维修费：…`) when it names one; among several, the one whose
/// summary the reversal quotes. No such entry: the row stays an unlinked reversal, as before.
fn reversed_entry(c: &Db, ledger_id: i64, m: &crate::fund::workbook::MovementRow) -> DeskResult<Option<i64>> {
    let named_date = m.summary.split_whitespace().find_map(|w| w.get(..10).and_then(|d| d.parse::<NaiveDate>().ok()));
    let candidates: Vec<LedgerEntryRecord> = fund::entries(c, ledger_id)?
        .into_iter()
        .filter(|e| e.kind != EntryKind::Reversal && e.reverses_id.is_none() && e.reversed_by.is_none())
        .filter(|e| Some(e.credit_fen) == m.credit.0.checked_neg() && Some(e.debit_fen) == m.debit.0.checked_neg())
        .filter(|e| named_date.is_none_or(|d| e.date == d))
        .collect();
    let quoted = candidates.iter().find(|e| !e.summary.is_empty() && m.summary.contains(&e.summary));
    Ok(quoted.or(candidates.first()).map(|e| e.id))
}

/// Writes the plan: import record, new builders, ledgers, entries, audit — inside the caller's
/// transaction, with cached statements and no SELECT per row.
pub(super) fn write_plan(
    c: &Db,
    project: &Project,
    s: &Session,
    wb: &LedgerWorkbook,
    plan: &mut Plan,
    now: chrono::DateTime<chrono::Utc>,
    progress: &crate::job::Progress,
) -> DeskResult<()> {
    let at = now.timestamp();
    let rows = plan.movements.len() as i64;
    imports::record(c, IMPORT_KIND, &wb.sha256, &wb.file_name, rows, now, s.staff_id)?;
    let import_id = fund_import::import_id(c, IMPORT_KIND, &wb.sha256)?;
    let mut created: Vec<i64> = Vec::with_capacity(plan.new_builders.len());
    for (name, trade) in &plan.new_builders {
        created.push(master::insert_contractor(c, name, ContractorKind::Builder, trade, "", "")?);
    }
    let mut ledger_ids = Vec::with_capacity(plan.ledgers.len());
    for l in &plan.ledgers {
        let contractor_id = match l.who {
            Who::Known(id) => id,
            Who::New(i) => *created.get(i).ok_or_else(|| DeskError::storage("导入计划中的施工单位缺失"))?,
        };
        let header = match &l.contract {
            Some(k) => LedgerHeader {
                project_id: project.id,
                contractor_id,
                contract_no: l.contract_no.clone(),
                contract_name: k.contract_name.clone(),
                trade: k.trade.clone(),
                contract_fen: k.contract_amount.map(|f| f.0),
                settled_fen: k.settled.map(|f| f.0),
                retention_bp: k.rate_bp,
                // An empty 保修金金额 is read as 0: not stated, not a zero deposit.
                deposit_fen: (k.deposit.0 != 0).then_some(k.deposit.0),
                period_start: k.start,
                period_end: k.end,
                note: k.note.clone(),
            },
            None => LedgerHeader { project_id: project.id, contractor_id, contract_no: l.contract_no.clone(), ..Default::default() },
        };
        ledger_ids.push(match (l.existing, &l.contract) {
            (Some(id), None) => id,
            _ => fund::upsert_ledger(c, &header, at)?,
        });
    }
    let total = plan.movements.len() as u64;
    for (i, p) in plan.movements.iter().enumerate() {
        if i % 1000 == 0 {
            progress.check()?;
            progress.step(i as u64, total, "正在写入分录");
        }
        let m = &wb.movements[p.movement];
        let reverses_id = if m.kind() == EntryKind::Reversal { reversed_entry(c, ledger_ids[p.ledger], m)? } else { None };
        fund::insert_entry(
            c,
            &NewEntry {
                ledger_id: ledger_ids[p.ledger],
                date: m.date,
                kind: Some(m.kind()),
                voucher_no: m.voucher_no.clone(),
                summary: m.summary.clone(),
                ticket_id: p.ticket_id,
                ticket_no: m.ticket_no.clone(),
                payment_request_id: p.request_id,
                payment_request_no: m.payment_request_no.clone(),
                credit_fen: m.credit.0,
                debit_fen: m.debit.0,
                reverses_id,
                handler: m.handler.clone(),
                note: m.note.clone(),
                import_id,
                source_row: Some(m.row),
                at,
                actor_id: Some(s.staff_id),
            },
        )?;
    }
    let p = &plan.preview;
    let mut detail = format!(
        "导入保修金明细账「{}」到项目「{}」：分录 {} 条（贷方 {}，借方 {}），合同 {} 个，新建施工单位 {} 家",
        wb.file_name,
        project.name,
        p.movements,
        Fen(p.credit_fen),
        Fen(p.debit_fen),
        p.contracts,
        p.new_builders.len()
    );
    if p.skipped_rows > 0 {
        detail.push_str(&format!("；按用户选择只导入有效行，跳过有错误的 {} 行", p.skipped_rows));
    }
    audit::append(c, now, Some(s.staff_id), AuditAction::ImportLedger, "project", project.id, &detail)?;
    plan.preview.written = true;
    Ok(())
}
