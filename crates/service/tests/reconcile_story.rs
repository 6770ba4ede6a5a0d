//! B4 quarterly reconciliation, end to end: the desk's entries of 2026Q3 against the project
//! department's file (different bracket widths, a near spelling to confirm, one row missing on
//! each side, one amount differing, one row of another quarter), the alias remembered, the run
//! saved, the 对账单 exported as Excel and PDF and read back, and the CLI's JSON.
#![allow(clippy::unwrap_used, clippy::inconsistent_digit_grouping, clippy::expect_used)]

use calamine::{open_workbook_auto, Data, Reader};
use chrono::{NaiveDate, TimeZone, Utc};
use desk_domain::fund::Quarter;
use desk_domain::records::ContractorKind;
use desk_service::master::{ContractorInput, ProjectInput};
use desk_service::{Desk, ErrorKind, Session};
use desk_store::fund::{insert_entry, upsert_ledger, LedgerHeader, NewEntry};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};

const A: &str = "中建三局(第一分公司)";
const B: &str = "浙江宏达建设集团";
const C: &str = "江苏南通建工";

struct World {
    desk: Desk,
    director: Session,
    ids: [i64; 3],
    /// Entry ids in the order [`our_entries`] makes them.
    entries: Vec<i64>,
    dir: tempfile::TempDir,
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 10, 8, 2, 30, 0).unwrap();
    let desk = Desk::open_with_clock(dir.path(), Box::new(move || now)).unwrap();
    let director = desk.create_first_director("张主任", "2468").unwrap();
    desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    let mut ids = [0; 3];
    for (i, name) in [A, B, C].into_iter().enumerate() {
        ids[i] = desk
            .save_contractor(
                &director,
                ContractorInput {
                    id: None,
                    name: name.into(),
                    kind: ContractorKind::Builder,
                    trade: "土建".into(),
                    contact_person: String::new(),
                    phone: String::new(),
                    active: true,
                },
            )
            .unwrap();
    }
    let entries = our_entries(dir.path(), ids);
    World { desk, director, ids, entries, dir }
}

/// The desk's ledger (a second connection to the same file: ledger import is another
/// engineer's use case). Returns the entry ids: [e1 … e6], e0 (June) last.
fn our_entries(dir: &Path, ids: [i64; 3]) -> Vec<i64> {
    let store = desk_store::Store::open(&dir.join(desk_service::desk::DB_FILE)).unwrap();
    store
        .with_tx(|tx| {
            let ledger =
                |contractor_id| upsert_ledger(tx, &LedgerHeader { project_id: 1, contractor_id, contract_no: "HT-01".into(), ..Default::default() }, 0);
            let (la, lb, lc) = (ledger(ids[0])?, ledger(ids[1])?, ledger(ids[2])?);
            let e = |ledger_id, date, credit, debit, voucher: &str, summary: &str| NewEntry {
                ledger_id,
                date,
                credit_fen: credit,
                debit_fen: debit,
                voucher_no: voucher.into(),
                summary: summary.into(),
                ..Default::default()
            };
            let mut out = Vec::new();
            out.push(insert_entry(tx, &e(la, d(7, 5), 100_000_00, 0, "记-001", "预留保修金"))?);
            let mut deduction = e(la, d(8, 10), 0, 3_000_00, "记-015", "扣3-2-1502渗漏维修费");
            deduction.ticket_no = "BX-2026-000101".into();
            deduction.payment_request_no = "FK-2026-0001".into();
            out.push(insert_entry(tx, &deduction)?);
            out.push(insert_entry(tx, &e(la, d(9, 1), 0, 1_500_00, "记-020", "扣款"))?); // theirs says 1,600
            out.push(insert_entry(tx, &e(la, d(9, 15), 500_00, 0, "", "补提保修金"))?); // only ours
            out.push(insert_entry(tx, &e(lb, d(7, 20), 50_000_00, 0, "记-005", "预留保修金"))?); // theirs: 07-22, no voucher
            out.push(insert_entry(tx, &e(lc, d(8, 1), 20_000_00, 0, "记-008", "预留保修金"))?); // theirs: near spelling
            out.push(insert_entry(tx, &e(la, d(6, 30), 999_00, 0, "记-000", "上季度"))?); // not in 2026Q3
            Ok::<_, desk_store::StoreError>(out)
        })
        .unwrap()
}

/// The department's file as people make it: merged title, dates as dates and as text,
/// full-width brackets, a row of the next quarter and a 合计 row.
fn their_file(dir: &Path) -> PathBuf {
    let path = dir.join("项目部保修金明细账2026.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("明细").unwrap();
    ws.merge_range(0, 0, 0, 8, "翠湖澜庭保修金明细账", &Format::new()).unwrap();
    let headers = ["日期", "凭证号", "施工单位", "合同编号", "摘要", "报修单号", "付款申请号", "计提/收取（贷方）", "扣款/支付（借方）"];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    // (date, voucher, builder, summary, ticket, request, credit yuan, debit yuan)
    type Row<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a str, f64, f64);
    let rows: [Row; 7] = [
        ("2026-07-05", "记-001", "中建三局（第一分公司）", "预留保修金", "", "", 100_000.0, 0.0), // row 3
        ("2026/8/10", "记-015", "中建三局(第一分公司)", "扣3-2-1502渗漏维修费", "BX-2026-000101", "FK-2026-0001", 0.0, 3_000.0), // 4
        ("2026-09-01", "记-020", "中建三局（第一分公司）", "扣款", "", "", 0.0, 1_600.0),         // 5: amount differs
        ("2026-09-20", "记-030", "中建三局（第一分公司）", "计提", "", "", 800.0, 0.0),           // 6: only theirs
        ("2026-07-22", "", "浙江宏达建设集团", "预留保修金", "", "", 50_000.0, 0.0),              // 7: near date
        ("2026年8月1日", "记-008", "江苏南通建工有限公司", "预留保修金", "", "", 20_000.0, 0.0),  // 8: near spelling
        ("2026-10-03", "记-040", "中建三局(第一分公司)", "预留保修金", "", "", 999.0, 0.0),       // 9: next quarter
    ];
    for (i, (date, voucher, builder, summary, ticket, request, credit, debit)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            Ok(x) if i % 2 == 0 => {
                use chrono::Datelike;
                let dt = ExcelDateTime::from_ymd(x.year() as u16, x.month() as u8, x.day() as u8).unwrap();
                ws.write_datetime_with_format(r, 0, &dt, &date_fmt).unwrap();
            }
            _ => {
                ws.write_string(r, 0, *date).unwrap();
            }
        }
        for (c, s) in [(1, voucher), (2, builder), (3, &"HT-01"), (4, summary), (5, ticket), (6, request)] {
            if !s.is_empty() {
                ws.write_string(r, c, *s).unwrap();
            }
        }
        if *credit != 0.0 {
            ws.write_number(r, 7, *credit).unwrap();
        }
        if *debit != 0.0 {
            ws.write_number(r, 8, *debit).unwrap();
        }
    }
    ws.write_string(9, 0, "合计").unwrap();
    ws.write_number(9, 7, 171_799.0).unwrap();
    ws.write_number(9, 8, 4_600.0).unwrap();
    wb.save(&path).unwrap();
    path
}

fn q3() -> Quarter {
    "2026Q3".parse().unwrap()
}

fn rows_of(p: &[desk_service::fund::reconcile::TheirRow]) -> Vec<u32> {
    p.iter().map(|r| r.row).collect()
}

#[test]
fn the_quarter_reconciles_row_by_row_and_a_confirmed_spelling_is_remembered() {
    let w = world();
    let file = their_file(w.dir.path());
    let e = &w.entries;

    let p = w.desk.reconcile_preview(&file, q3()).unwrap();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!((p.quarter.as_str(), p.quarter_label.as_str()), ("2026Q3", "2026年第3季度"));
    assert_eq!((p.their_rows, p.our_entries, p.outside_quarter), (6, 6, 1));
    assert!(p.notes.iter().any(|n| n.contains("1 行的日期不在2026年第3季度")), "{:?}", p.notes);
    // The near spelling is offered, not decided.
    assert_eq!(p.unknown_builders.len(), 1);
    let u = &p.unknown_builders[0];
    assert_eq!((u.spelling.as_str(), u.rows), ("江苏南通建工有限公司", 1));
    assert_eq!(u.candidates.iter().map(|c| c.contractor_id).collect::<Vec<_>>(), vec![w.ids[2]]);
    // Buckets.
    let matched: Vec<(u32, i64, &str)> = p.matched.iter().map(|m| (m.row, m.entry_id, m.rule.as_str())).collect();
    assert_eq!(matched, vec![(3, e[0], "Voucher"), (4, e[1], "Voucher"), (7, e[4], "NearDate")]);
    assert_eq!(p.amount_differs.len(), 1);
    let x = &p.amount_differs[0];
    assert_eq!((x.theirs.row, x.ours.entry_id, x.difference_fen, x.rule.as_str()), (5, e[2], -100_00, "Voucher"));
    assert_eq!(rows_of(&p.only_theirs), vec![6, 8]);
    assert_eq!(p.only_ours.iter().map(|o| o.entry_id).collect::<Vec<_>>(), vec![e[3], e[5]]);
    assert!(!p.balanced());
    // Totals per builder: known builders by name, the unknown spelling last.
    let totals: Vec<(&str, i64, i64)> = p.builders.iter().map(|b| (b.name.as_str(), b.theirs_fen, b.ours_fen)).collect();
    let mut expected = vec![(A, 96_200_00, 96_000_00), (B, 50_000_00, 50_000_00), (C, 0, 20_000_00)];
    expected.sort();
    expected.push(("江苏南通建工有限公司", 20_000_00, 0));
    assert_eq!(totals, expected);
    let a = p.builders.iter().find(|b| b.name == A).unwrap();
    assert_eq!((a.theirs_credit_fen, a.theirs_debit_fen, a.difference_fen), (100_800_00, 4_600_00, 200_00));

    // Confirm the spelling once; the same name needs no alias; another builder is refused.
    let alias = w.desk.confirm_builder_alias(&w.director, "江苏南通建工有限公司", w.ids[2]).unwrap();
    assert_eq!((alias.contractor.as_str(), alias.actor.as_str()), (C, "张主任"));
    assert_eq!(w.desk.confirm_builder_alias(&w.director, " 江苏南通建工有限公司 ", w.ids[2]).unwrap().id, alias.id);
    let other = w.desk.confirm_builder_alias(&w.director, "江苏南通建工有限公司", w.ids[0]).unwrap_err();
    assert_eq!(other.kind, ErrorKind::Conflict);
    assert!(other.message.contains("已确认为"), "{}", other.message);
    assert_eq!(w.desk.confirm_builder_alias(&w.director, "中建三局（第一分公司）", w.ids[0]).unwrap_err().kind, ErrorKind::Invalid);
    assert_eq!(w.desk.builder_aliases().unwrap().len(), 1);

    let p = w.desk.reconcile_preview(&file, q3()).unwrap();
    assert!(p.unknown_builders.is_empty(), "the confirmed spelling is remembered");
    assert_eq!(p.matched.len(), 4);
    assert_eq!(p.matched.iter().find(|m| m.row == 8).map(|m| m.entry_id), Some(e[5]));
    assert_eq!(rows_of(&p.only_theirs), vec![6]);
    assert_eq!(p.only_ours.iter().map(|o| o.entry_id).collect::<Vec<_>>(), vec![e[3]]);
    let c = p.builders.iter().find(|b| b.name == C).unwrap();
    assert_eq!((c.theirs_fen, c.ours_fen, c.contractor_id), (20_000_00, 20_000_00, Some(w.ids[2])));
    assert_eq!(p.builders.len(), 3);

    // Saved run: counts, file fingerprint, the result as it was; audited.
    let id = w.desk.save_reconciliation(&w.director, &file, q3()).unwrap();
    let runs = w.desk.reconciliations().unwrap();
    assert_eq!(runs.len(), 1);
    let r = &runs[0];
    assert_eq!((r.id, r.quarter.as_str(), r.matched, r.only_theirs, r.only_ours, r.amount_differs), (id, "2026Q3", 4, 1, 1, 1));
    assert_eq!((r.file_name.as_str(), r.actor.as_str(), r.sha256.len()), ("项目部保修金明细账2026.xlsx", "张主任", 64));
    let (_, saved) = w.desk.reconciliation(id).unwrap();
    assert_eq!(saved, p);
}

#[test]
fn the_statement_is_written_as_excel_and_pdf() {
    let w = world();
    let file = their_file(w.dir.path());
    let out = w.dir.path().join("out");
    let x = w.desk.export_reconciliation(q3(), &file, &out).unwrap();
    assert!(x.xlsx.ends_with("翠湖澜庭保修金对账单-2026Q3.xlsx") && x.pdf.ends_with("翠湖澜庭保修金对账单-2026Q3.pdf"), "{x:?}");
    assert_eq!((x.matched, x.differences), (3, 5));

    let mut wb = open_workbook_auto(&x.xlsx).unwrap();
    assert_eq!(wb.sheet_names(), vec!["对账汇总".to_string(), "差异明细".to_string()]);
    let sum = wb.worksheet_range("对账汇总").unwrap();
    assert_eq!(sum.get_value((0, 0)), Some(&Data::String("翠湖澜庭保修金对账单 2026年第3季度（对账汇总）".into())));
    assert_eq!(sum.get_value((1, 0)), Some(&Data::String("施工单位".into())));
    let row_of = |name: &str| (2..sum.height() as u32).find(|r| sum.get_value((*r, 0)) == Some(&Data::String(name.into()))).unwrap();
    let a = row_of(A);
    assert_eq!(sum.get_value((a, 3)), Some(&Data::Float(96_200.0)), "their net in yuan, a number");
    assert_eq!(sum.get_value((a, 6)), Some(&Data::Float(96_000.0)));
    assert_eq!(sum.get_value((a, 7)), Some(&Data::Float(200.0)));
    let total = row_of("合计");
    assert_eq!(sum.get_value((total, 3)), Some(&Data::Float(96_200.0 + 50_000.0 + 20_000.0)), "SUM row");

    let diff = wb.worksheet_range("差异明细").unwrap();
    let texts: Vec<String> = diff.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
    let line = |needle: &str| texts.iter().find(|t| t.contains(needle)).cloned().unwrap_or_default();
    assert!(line("明细 第6行").starts_with("仅项目部有|明细 第6行||"), "{texts:?}");
    assert!(line(&format!("分录 #{}", w.entries[3])).starts_with("仅保修中心有||"), "{texts:?}");
    assert!(line("明细 第5行").contains("金额不符"), "{texts:?}");
    assert!(matches!(diff.get_value((2, 3)), Some(Data::DateTime(_))), "dates are dates: {:?}", diff.get_value((2, 3)));

    if let Ok(keep) = std::env::var("RECONCILE_KEEP_PDF") {
        std::fs::copy(&x.pdf, keep).unwrap(); // to look at it: pdftoppm -png -r 60
    }
    let o = std::process::Command::new("pdftotext").arg(&x.pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&o.stdout).replace(['\n', ' '], "");
    for needle in [
        "翠湖澜庭保修金对账单2026年第3季度",
        "相符3笔；仅项目部有2笔；仅保修中心有2笔；金额不符1笔",
        "仅项目部有明细第6行",
        "金额不符",
        "¥96,200.00",
        "保修中心（盖章）",
        "项目部（盖章）",
        "经办人：",
        "负责人：",
        "第1页/共1页",
    ] {
        assert!(text.contains(needle), "PDF lacks «{needle}»: {text}");
    }
}

#[test]
fn a_file_without_ledger_rows_is_refused_in_chinese() {
    let w = world();
    let path = w.dir.path().join("空.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet().write_string(0, 0, "随便写点").unwrap();
    wb.save(&path).unwrap();
    // Not refused outright: the page says what was looked for and offers the header row.
    let p = w.desk.reconcile_preview(&path, q3()).unwrap();
    let n = p.no_header.as_ref().expect("no header found");
    assert!(n.looked_for.contains("表头") && n.rows[0].cells[0].1 == "随便写点", "{n:?}");
    assert!(p.matched.is_empty() && p.needs_mapping);
    // Nothing was read: no run to save, no statement to write.
    let e = w.desk.save_reconciliation(&w.director, &path, q3()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(e.message.contains("表头"), "{}", e.message);
    let e = w.desk.export_reconciliation_to(q3(), &path, &w.dir.path().join("x.xlsx")).unwrap_err();
    assert!(e.message.contains("表头"), "{}", e.message);
}

#[test]
fn the_cli_prints_the_shape_scripts_rely_on_and_writes_both_files() {
    let w = world();
    let file = their_file(w.dir.path());
    let out = w.dir.path().join("对账单.xlsx");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_wdesk"))
        .arg("--data")
        .arg(w.dir.path())
        .arg("reconcile")
        .arg(&file)
        .args(["--quarter", "2026Q3", "--out"])
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["matched"], 3);
    assert_eq!(v["only_theirs"].as_array().unwrap().len(), 2);
    assert_eq!(v["only_ours"].as_array().unwrap().len(), 2);
    assert_eq!(v["amount_differs"].as_array().unwrap().len(), 1);
    assert_eq!(v["only_theirs"][0]["row"], 6);
    let a = v["builders"].as_array().unwrap().iter().find(|b| b["name"] == A).unwrap();
    assert_eq!((a["theirs_fen"].as_i64(), a["ours_fen"].as_i64()), (Some(96_200_00), Some(96_000_00)));
    assert_eq!(v["unknown_builders"][0]["spelling"], "江苏南通建工有限公司");
    assert!(out.exists() && out.with_extension("pdf").exists());

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_wdesk"))
        .arg("--data")
        .arg(w.dir.path())
        .args(["reconcile", "x.xlsx", "--quarter", "2026Q5", "--out", "y.xlsx"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("季度"));
}
