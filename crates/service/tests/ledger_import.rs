//! Node A3, the deposit ledger in Excel: the files the project department really makes (made by
//! openpyxl, xlwt and LibreOffice — `tests/fixtures/ledger/make_fixtures.py`), every bad cell
//! named by sheet, row and column with nothing written, the ledger's own rules (append-only,
//! reversals, entries by hand, deadlines), the finance export read back by our importer and by
//! LibreOffice, and `wdesk ledger …` as a script runs it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, Utc};
use desk_domain::fund::{EntryKind, Quarter};
use desk_domain::records::ContractorKind;
use desk_service::fund::ledger::{LedgerEntryInput, LedgerImportPreview};
use desk_service::master::{BatchInput, ContractorInput};
use desk_service::{Desk, ErrorKind, Session};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger").join(name)
}

mod common;

/// A fresh desk with one project 翠湖澜庭, signed in as its director, on 2026-10-10 10:00 CST.
fn desk() -> (Desk, Session, tempfile::TempDir) {
    common::ledger_desk()
}

fn builder(desk: &mut Desk, me: &Session, name: &str) -> i64 {
    desk.save_contractor(
        me,
        ContractorInput {
            id: None,
            name: name.into(),
            kind: ContractorKind::Builder,
            trade: String::new(),
            contact_person: String::new(),
            phone: String::new(),
            active: true,
        },
    )
    .unwrap()
}

fn balances(p: &LedgerImportPreview) -> Vec<(String, i64, i64, i64)> {
    p.builders.iter().map(|b| (b.name.clone(), b.credit_fen, b.debit_fen, b.balance_fen)).collect()
}

fn entries_count(desk: &mut Desk) -> i64 {
    desk.ledger_show().unwrap().entries
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn the_departments_workbook_previews_then_imports_every_spelling_in_one_go() {
    let (mut desk, me, _dir) = desk();
    let path = fixture("good_both.xlsx");
    let p = desk.preview_ledger_import(&path).unwrap();
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!((p.contracts, p.movements, p.written), (2, 7, false));
    // 中建三局（第一分公司） and 中建三局(第一分公司) are one builder; both are new to the desk.
    assert_eq!(p.new_builders, vec!["中建三局（第一分公司）", "浙江宏达建设工程有限公司"]);
    assert_eq!(
        balances(&p),
        vec![("中建三局（第一分公司）".into(), 355_490_000, 1_240_000, 354_250_000), ("浙江宏达建设工程有限公司".into(), 39_000_000, 5_012_345, 33_987_655),]
    );
    // The 5 % rate of the waterproofing contract is flagged, not refused.
    assert_eq!(p.warnings.len(), 1, "{:#?}", p.warnings);
    assert_eq!((p.warnings[0].sheet.as_str(), p.warnings[0].row, p.warnings[0].column.as_str()), ("汇总", 5, "H"));
    assert!(p.warnings[0].message.contains("超过 3%"));
    assert!(p.notes.is_empty(), "the title names this project: {:?}", p.notes);
    assert_eq!(entries_count(&mut desk), 0, "a preview writes nothing");

    let done = desk.import_ledger(&me, &path, false).unwrap();
    assert!(done.written);
    let ledgers = desk.ledgers().unwrap();
    assert_eq!(ledgers.len(), 2);
    let zj = ledgers.iter().find(|l| l.contract_no == "HT-2024-001").unwrap();
    assert_eq!((zj.settled_fen, zj.retention_bp, zj.deposit_fen), (Some(11_850_000_000), Some(300), Some(355_500_000)));
    assert_eq!((zj.period_start, zj.period_end), (Some(d("2024-03-05")), Some(d("2026-03-04"))));
    assert_eq!((zj.balance_fen, zj.entries), (354_250_000, 4), "the row without a contract number went to the builder's only contract");
    let hd = ledgers.iter().find(|l| l.contract_no == "HT-2024-017").unwrap();
    assert_eq!((hd.retention_bp, hd.balance_fen), (Some(500), 33_987_655));

    let e = desk.ledger_entries(zj.id).unwrap();
    let got: Vec<(NaiveDate, &str, EntryKind, i64, i64)> = e.iter().map(|e| (e.date, e.voucher_no.as_str(), e.kind, e.credit_fen, e.debit_fen)).collect();
    assert_eq!(
        got,
        vec![
            (d("2024-03-05"), "记-001", EntryKind::Opening, 355_500_000, 0),
            (d("2024-06-18"), "记-015", EntryKind::Deduction, 0, 1_250_000),
            (d("2024-07-01"), "记-020", EntryKind::Reversal, 0, -10_000),
            (d("2024-07-02"), "记-021", EntryKind::Reversal, -10_000, 0),
        ]
    );
    assert_eq!((e[1].ticket_no.as_str(), e[1].payment_request_no.as_str(), e[1].ticket_id), ("BX-2024-000123", "FK-2024-0001", None));
    let refund = desk.ledger_entries(hd.id).unwrap().pop().unwrap();
    assert_eq!((refund.kind, refund.debit_fen, refund.date), (EntryKind::Refund, 5_000_000, d("2024-09-30")));
    assert!(desk.check().unwrap().ok);

    // The same file again is refused with the day it came in; nothing doubles.
    let again = desk.import_ledger(&me, &path, false).unwrap_err();
    assert_eq!(again.kind, ErrorKind::Conflict);
    assert!(again.message.contains("已于 2026-10-10"), "{}", again.message);
    assert!(desk.preview_ledger_import(&path).unwrap().already_imported_at.is_some());
    assert_eq!(entries_count(&mut desk), 7);
}

#[test]
fn files_from_xlwt_and_libreoffice_import_too() {
    let (desk, me, _dir) = desk();
    let p = desk.import_ledger(&me, &fixture("biff8.xls"), false).unwrap();
    assert_eq!(balances(&p), vec![("中建八局".into(), 8_800_050, 100_025, 8_700_025)]);
    for f in ["lo_made.xls", "lo_made.xlsx"] {
        let (desk, me, _dir) = self::desk();
        let p = desk.import_ledger(&me, &fixture(f), false).unwrap();
        assert!(p.errors.is_empty() && p.warnings.is_empty(), "{f}: {:?} {:?}", p.errors, p.warnings);
        assert_eq!(balances(&p), vec![("中天建设集团有限公司".into(), 5_000_000, 234_567, 4_765_433)], "{f}");
        assert_eq!(p.sample[0].date, d("2026-07-05"), "{f}");
    }
}

#[test]
fn a_near_spelling_is_offered_not_used_until_confirmed() {
    let (mut desk, me, _dir) = desk();
    let known = builder(&mut desk, &me, "华润建筑");
    let path = fixture("only_detail.xlsx");
    let p = desk.preview_ledger_import(&path).unwrap();
    assert_eq!(p.near_matches.len(), 1);
    assert_eq!((p.near_matches[0].name.as_str(), p.near_matches[0].known.as_str(), p.near_matches[0].contractor_id), ("华润建筑有限公司", "华润建筑", known));
    assert_eq!(p.new_builders, vec!["华润建筑有限公司"], "not used on its own");

    desk.confirm_ledger_builder(&me, "华润建筑有限公司", known).unwrap();
    let p = desk.import_ledger(&me, &path, false).unwrap();
    assert!(p.new_builders.is_empty() && p.near_matches.is_empty());
    assert_eq!(balances(&p), vec![("华润建筑".into(), 2_000_000, 123_450, 1_876_550)]);
    assert_eq!(desk.ledgers().unwrap()[0].contractor_id, known);
}

#[test]
fn a_summary_alone_creates_the_contracts_and_the_hand_checks_warn() {
    let (desk, me, _dir) = desk();
    let p = desk.import_ledger(&me, &fixture("only_summary_2026Q3.xlsx"), false).unwrap();
    assert_eq!((p.contracts, p.movements, p.new_ledgers), (2, 0, 2));
    assert!(p.notes.iter().any(|n| n.contains("金色家园") && n.contains("翠湖澜庭")), "{:?}", p.notes);
    let w: Vec<(u32, &str)> = p.warnings.iter().map(|w| (w.row, w.column.as_str())).collect();
    assert_eq!(w, vec![(3, "D"), (4, "E"), (4, "G")], "{:#?}", p.warnings);
    assert!(p.warnings[1].message.contains("¥30,000.00"));
    assert!(p.warnings[2].message.contains("2026-03-04"));
    assert!(desk.ledgers().unwrap().iter().all(|l| l.balance_fen == 0));
}

/// Every bad file: the Chinese message names the place, and nothing at all is written.
#[test]
fn bad_files_name_sheet_row_and_column_and_write_nothing() {
    let cases = [
        ("bad_date.xlsx", 4, "A", "2026-13-45"),
        ("bad_amount_words.xlsx", 4, "E", "阿拉伯数字"),
        ("bad_amount_decimals.xlsx", 4, "E", "两位小数"),
        ("bad_total.xlsx", 5, "E", "合计"),
        ("bad_duplicate_voucher.xlsx", 4, "B", "记-1"),
    ];
    for (file, row, column, words) in cases {
        let (mut desk, me, _dir) = desk();
        let path = fixture(file);
        let p = desk.preview_ledger_import(&path).unwrap();
        assert_eq!(p.errors.len(), 1, "{file}: {:#?}", p.errors);
        let e = &p.errors[0];
        assert_eq!((e.sheet.as_str(), e.row, e.column.as_str()), ("明细", row, column), "{file}");
        assert!(e.message.contains(words), "{file}: {}", e.message);
        assert!(e.to_string().starts_with(&format!("工作表「明细」第 {row} 行 {column} 列")), "{file}: {e}");
        let refused = desk.import_ledger(&me, &path, false).unwrap_err();
        assert!(refused.message.contains("未导入任何数据") && refused.message.contains(&format!("第 {row} 行")), "{file}: {}", refused.message);
        assert_eq!(entries_count(&mut desk), 0, "{file}");
        assert!(desk.ledgers().unwrap().is_empty() && desk.contractors().unwrap().is_empty(), "{file}: nothing written");
    }
    for (file, words) in [("no_header.xlsx", "表头"), ("truncated.xlsx", "损坏"), ("password.xlsx", "密码")] {
        let (mut desk, me, _dir) = desk();
        let e = desk.import_ledger(&me, &fixture(file), false).unwrap_err();
        assert!(e.message.contains(words), "{file}: {}", e.message);
        assert_eq!(entries_count(&mut desk), 0, "{file}");
    }
}

#[test]
fn valid_rows_only_is_an_explicit_choice() {
    let (mut desk, me, _dir) = desk();
    let path = fixture("bad_date.xlsx");
    assert!(desk.import_ledger(&me, &path, false).is_err());
    let p = desk.import_ledger(&me, &path, true).unwrap();
    assert!(p.written);
    assert_eq!((p.movements, p.skipped_rows, p.errors.len()), (1, 1, 1));
    assert_eq!(entries_count(&mut desk), 1);
}

#[test]
fn a_voucher_already_in_the_ledger_is_refused_on_the_next_file() {
    let (desk, me, dir) = desk();
    desk.import_ledger(&me, &fixture("bad_date.xlsx"), true).unwrap();
    // Another file (other bytes) booking 记-1 for 中建三局 again.
    let path = dir.path().join("again.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["日期", "凭证号", "施工单位", "摘要", "计提/收取(贷方)"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["2026-09-01", "记-1", "中建三局", "计提保修金", "300"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(&path).unwrap();
    let p = desk.preview_ledger_import(&path).unwrap();
    assert_eq!(p.errors.len(), 1);
    assert_eq!((p.errors[0].row, p.errors[0].column.as_str()), (2, "B"));
    assert!(p.errors[0].message.contains("已记入台账"), "{}", p.errors[0].message);
}

#[test]
fn a_ticket_number_of_ours_links_the_entry_to_the_ticket() {
    let dir = tempfile::tempdir().unwrap();
    desk_service::demo::create(dir.path(), false, Utc::now()).unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let me = desk.session_for(None).unwrap();
    let no = desk.list_tickets(&Default::default(), 10).unwrap().items[0].no.clone();
    let path = dir.path().join("linked.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["日期", "凭证号", "施工单位", "摘要", "报修单号", "扣款/支付(借方)"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (t, v)) in [(no.as_str(), "记-9"), ("BX-1999-000001", "记-10")].iter().enumerate() {
        for (c, x) in ["2026-09-01", v, "某某建设", "扣委托维修费", t, "10"].iter().enumerate() {
            ws.write_string(1 + r as u32, c as u16, *x).unwrap();
        }
    }
    wb.save(&path).unwrap();
    let p = desk.import_ledger(&me, &path, false).unwrap();
    assert_eq!(p.linked_tickets, 1);
    let l = desk.ledgers().unwrap().into_iter().find(|l| l.builder == "某某建设").unwrap();
    let e = desk.ledger_entries(l.id).unwrap();
    assert!(e[0].ticket_id.is_some() && e[1].ticket_id.is_none());
    assert_eq!(e[1].ticket_no, "BX-1999-000001", "a number we lack is kept as written");
}

#[test]
fn entries_are_corrected_by_one_reversal_never_edited() {
    let (desk, me, _dir) = desk();
    desk.import_ledger(&me, &fixture("biff8.xls"), false).unwrap();
    let l = desk.ledgers().unwrap().remove(0);
    let e = desk.ledger_entries(l.id).unwrap();
    let clerk = desk
        .save_staff(
            &me,
            desk_service::master::StaffInput {
                id: None,
                name: "前台小李".into(),
                role: desk_domain::staff::Role::FrontDesk,
                pin: Some("1357".into()),
                phone: String::new(),
                active: true,
            },
        )
        .map(|id| Session { staff_id: id, name: "前台小李".into(), role: desk_domain::staff::Role::FrontDesk })
        .unwrap();
    assert_eq!(desk.reverse_entry(&clerk, e[1].id, "多扣").unwrap_err().kind, ErrorKind::Denied);
    assert_eq!(desk.reverse_entry(&me, e[1].id, "  ").unwrap_err().kind, ErrorKind::Invalid);

    let r = desk.reverse_entry(&me, e[1].id, "金额有误").unwrap();
    assert_eq!((r.kind, r.credit_fen, r.debit_fen, r.reverses_id), (EntryKind::Reversal, 0, -100_025, Some(e[1].id)));
    assert_eq!(desk.ledgers().unwrap()[0].balance_fen, 8_800_050);
    assert_eq!(desk.reverse_entry(&me, e[1].id, "再来").unwrap_err().kind, ErrorKind::Conflict);
    assert_eq!(desk.reverse_entry(&me, r.id, "冲错了").unwrap_err().kind, ErrorKind::Refused);
    assert!(desk.check().unwrap().ok);
}

#[test]
fn entries_by_hand_refuse_negatives_and_an_unacknowledged_overdraw() {
    let (desk, me, _dir) = desk();
    desk.import_ledger(&me, &fixture("biff8.xls"), false).unwrap();
    let l = desk.ledgers().unwrap().remove(0);
    let input = |kind, credit, debit, ack| LedgerEntryInput {
        ledger_id: l.id,
        date: d("2026-09-30"),
        kind,
        voucher_no: String::new(),
        summary: "手工".into(),
        credit_fen: credit,
        debit_fen: debit,
        handler: String::new(),
        note: String::new(),
        acknowledge_overdraw: ack,
    };
    assert_eq!(desk.add_ledger_entry(&me, input(EntryKind::Retention, -5, 0, false)).unwrap_err().field.as_deref(), Some("amount"));
    assert!(desk.add_ledger_entry(&me, input(EntryKind::Deduction, 0, 5, false)).is_err(), "deductions come from payments");
    let over = desk.add_ledger_entry(&me, input(EntryKind::Refund, 0, 9_000_000, false)).unwrap_err();
    assert_eq!((over.kind, over.field.as_deref()), (ErrorKind::NeedsConfirmation, Some("acknowledge_overdraw")));
    assert!(over.message.contains("-¥2,999.75"), "{}", over.message);
    let e = desk.add_ledger_entry(&me, input(EntryKind::Refund, 0, 9_000_000, true)).unwrap();
    assert_eq!((e.kind, e.balance_fen), (EntryKind::Refund, 0));
    assert_eq!(desk.ledgers().unwrap()[0].balance_fen, -299_975);
    let r = desk.add_ledger_entry(&me, input(EntryKind::Retention, 300_000, 0, false)).unwrap();
    assert_eq!(r.credit_fen, 300_000);
}

#[test]
fn the_fund_deadlines_list_a3_and_deposits_ending_soon() {
    let (desk, me, _dir) = desk();
    let project = desk.active_project().unwrap().id;
    desk.save_batch(&me, BatchInput { id: None, project_id: project, name: "一期".into(), delivered_on: Some(d("2026-09-20")), completion_accepted_on: None })
        .unwrap();
    let before = desk.fund_deadlines(d("2026-10-25"), None).unwrap();
    assert_eq!(before.a3.len(), 1);
    assert_eq!((before.a3[0].due_on, before.a3[0].overdue, before.a3[0].days_left), (d("2026-10-20"), true, -5));
    // The good file holds contracts ending 2026-03-04 (money still held) and 2029-03-04 (far off).
    desk.import_ledger(&me, &fixture("good_both.xlsx"), false).unwrap();
    let after = desk.fund_deadlines(d("2026-10-25"), Some(60)).unwrap();
    assert_eq!(after.a3[0].received_on, Some(d("2026-10-10")));
    assert!(!after.a3[0].overdue && !after.a3[0].received_late);
    let ends: Vec<NaiveDate> = after.expiring.iter().map(|e| e.period_end).collect();
    assert_eq!(ends, vec![d("2026-03-04")]);
    let soon = desk.fund_deadlines(d("2029-01-10"), Some(60)).unwrap();
    assert!(soon.expiring.iter().any(|e| e.period_end == d("2029-03-04") && e.days_left == 53));
}

/// The finance export read back by our own importer gives exactly the same entries.
#[test]
fn the_quarter_export_reads_back_into_an_empty_desk_unchanged() {
    let (mut desk, me, dir) = desk();
    desk.import_ledger(&me, &fixture("good_both.xlsx"), false).unwrap();
    let l = desk.ledgers().unwrap();
    // Q3 2024 holds movements of both builders, a reversal pair and a refund; add a reversal.
    let zj = l.iter().find(|l| l.contract_no == "HT-2024-001").unwrap().id;
    let ded = desk.ledger_entries(zj).unwrap().into_iter().find(|e| e.kind == EntryKind::Deduction).unwrap();
    assert_eq!(ded.date, d("2024-06-18"));
    let q: Quarter = "2024Q3".parse().unwrap();
    let out = dir.path().join("finance.xlsx");
    let x = desk.export_ledger_quarter(&me, q, &out).unwrap();
    assert_eq!(x.rows, 3);

    let key = |desk: &mut Desk| {
        let mut v = Vec::new();
        for l in desk.ledgers().unwrap() {
            for e in desk.ledger_entries(l.id).unwrap() {
                if q.contains(e.date) {
                    v.push((
                        e.date,
                        e.voucher_no,
                        e.builder,
                        e.contract_no,
                        e.credit_fen,
                        e.debit_fen,
                        e.summary,
                        e.ticket_no,
                        e.payment_request_no,
                        e.kind.code(),
                    ));
                }
            }
        }
        v.sort();
        v
    };
    let ours = key(&mut desk);
    let (mut fresh, me2, _d2) = self::desk();
    let p = fresh.import_ledger(&me2, &out, false).unwrap();
    assert!(p.errors.is_empty() && p.warnings.iter().all(|w| !w.message.contains("余额")), "{:#?} {:#?}", p.errors, p.warnings);
    assert_eq!(key(&mut fresh), ours);
    // The contracts came along through the 汇总 sheet.
    let hd = fresh.ledgers().unwrap().into_iter().find(|l| l.contract_no == "HT-2024-017").unwrap();
    assert_eq!((hd.retention_bp, hd.deposit_fen, hd.period_end), (Some(500), Some(39_000_000), Some(d("2029-03-04"))));

    // A bigger round trip: every entry of every quarter, reversals and hand entries included.
    let hand = desk.reverse_entry(&me, ded.id, "重复扣款").unwrap();
    let all_q = Quarter::of(hand.date);
    let out2 = dir.path().join("q4.xlsx");
    desk.export_ledger_quarter(&me, all_q, &out2).unwrap();
    let (fresh2, me3, _d3) = self::desk();
    let p2 = fresh2.import_ledger(&me3, &out2, false).unwrap();
    assert_eq!(p2.movements, 1);
    let back = fresh2.ledgers().unwrap().into_iter().find(|l| l.entries == 1).unwrap();
    let e = fresh2.ledger_entries(back.id).unwrap().remove(0);
    assert_eq!((e.kind, e.debit_fen, e.summary.as_str()), (EntryKind::Reversal, -1_250_000, hand.summary.as_str()));

    // Into a desk that holds the cancelled entry, the reversal points at that entry again (and
    // the entry shows as reversed, so it cannot be reversed a second time).
    let (fresh3, me4, _d4) = self::desk();
    fresh3.import_ledger(&me4, &fixture("good_both.xlsx"), false).unwrap();
    fresh3.import_ledger(&me4, &out2, false).unwrap();
    let zj3 = fresh3.ledgers().unwrap().into_iter().find(|l| l.contract_no == "HT-2024-001").unwrap();
    let es = fresh3.ledger_entries(zj3.id).unwrap();
    let rev = es.iter().find(|e| e.summary == hand.summary).unwrap();
    let orig = es.iter().find(|e| e.date == d("2024-06-18") && e.kind == EntryKind::Deduction).unwrap();
    assert_eq!((rev.reverses_id, orig.reversed_by), (Some(orig.id), Some(rev.id)));
    assert!(fresh3.check().unwrap().ok);
}

/// Splits one CSV line (LibreOffice quotes fields holding commas).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// LibreOffice opens the export and sees numbers as numbers and dates as dates.
#[test]
fn libreoffice_reads_numbers_and_dates_in_the_export() {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success())) else {
        println!("NOTE: soffice not installed — LibreOffice check skipped (scripts/setup.sh installs libreoffice-calc-nogui)");
        return;
    };
    let (desk, me, dir) = desk();
    desk.import_ledger(&me, &fixture("good_both.xlsx"), false).unwrap();
    let out = dir.path().join("finance.xlsx");
    desk.export_ledger_quarter(&me, "2024Q3".parse().unwrap(), &out).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("lo-profile").display());
    let convert = |to: &str, sub: &str| -> PathBuf {
        let target = dir.path().join(sub);
        let o = Command::new(soffice).arg(&profile).args(["--headless", "--convert-to", to, "--outdir"]).arg(&target).arg(&out).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        target
    };
    // Token 9 of the CSV filter: values as shown (with their number format) or raw.
    let sheet = |dir: PathBuf| -> Vec<Vec<String>> {
        let csv = std::fs::read_to_string(dir.join("finance-明细.csv")).unwrap();
        let rows: Vec<Vec<String>> = csv.lines().map(csv_fields).collect();
        let header = rows.iter().position(|r| r[0] == "日期").unwrap();
        rows[header + 1..].to_vec()
    };
    let shown = sheet(convert("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", "shown"));
    let raw = sheet(convert("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "raw"));
    // Rows: 2024-07-01 记-020 reversal (debit −100), 2024-07-02 记-021, 2024-09-30 记-030 refund.
    // A money cell is a number carrying the ¥ format: shown "¥50,000.00", raw "50000".
    assert_eq!((shown[2][9].as_str(), raw[2][9].as_str()), ("¥50,000.00", "50000"), "{shown:?}");
    assert_eq!((shown[0][8].as_str(), raw[0][8].as_str()), ("-¥100.00", "-100"));
    assert_eq!((shown[2][10].as_str(), raw[2][10].as_str()), ("¥339,876.55", "339876.55"));
    // The total row is a real formula whose value LibreOffice shows as a number.
    let total = raw.iter().find(|r| r[0] == "合计").unwrap();
    assert_eq!((total[7].as_str(), total[8].as_str(), total[9].as_str()), ("-100", "-100", "50000"));
    assert_eq!(raw[0][0], "2024-07-01");
    // CSV cannot tell a date cell from text that looks like one; the flat ODF LibreOffice writes
    // says what each cell is.
    let fods = std::fs::read_to_string(convert("fods", "fods").join("finance.fods")).unwrap();
    assert!(fods.contains(r#"office:value-type="date" office:date-value="2024-07-01""#), "the date is a date");
    assert!(fods.contains(r#"office:date-value="2024-09-30""#));
    assert!(fods.contains(r#"office:value="339876.55""#), "the balance is a number");
    assert!(fods.contains("of:=SUM([.J3:.J5])"), "the total is a SUM formula");
}

/// `wdesk ledger import --dry-run` leaves the database file's entries as they were; the JSON has
/// exactly the CLI.md shape; a bad file exits non-zero with the place of every error.
#[test]
fn the_cli_imports_shows_and_exports_as_a_script_expects() {
    let (desk, _me, dir) = desk();
    drop(desk);
    let wdesk = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_wdesk")).arg("--data").arg(dir.path()).args(args).output().unwrap();
    let count = || {
        let c = desk_store::raw::open(&dir.path().join("warranty-desk.sqlite")).unwrap();
        c.query_row("SELECT count(*) FROM ledger_entry", [], |r| r.get::<_, i64>(0)).unwrap()
    };
    // The clerk the CLI acts as by default.
    let desk = Desk::open(dir.path()).unwrap();
    let boss = desk.session_for(Some("张主任")).unwrap();
    desk.save_staff(
        &boss,
        desk_service::master::StaffInput {
            id: None,
            name: "前台小李".into(),
            role: desk_domain::staff::Role::FrontDesk,
            pin: Some("1357".into()),
            phone: String::new(),
            active: true,
        },
    )
    .unwrap();
    drop(desk);

    let good = fixture("good_both.xlsx");
    let o = wdesk(&["ledger", "import", good.to_str().unwrap(), "--dry-run", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["ok"].as_bool(), v["written"].as_bool(), v["movements"].as_u64()), (Some(true), Some(false), Some(7)));
    assert_eq!(
        v["builders"][1],
        serde_json::json!({"name": "浙江宏达建设工程有限公司", "credit_fen": 39_000_000, "debit_fen": 5_012_345, "balance_fen": 33_987_655})
    );
    assert_eq!(count(), 0, "--dry-run wrote nothing");

    let o = wdesk(&["ledger", "import", good.to_str().unwrap(), "--project", "翠湖澜庭", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["written"], true);
    assert_eq!(count(), 7);
    let again = wdesk(&["ledger", "import", good.to_str().unwrap(), "--json"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(count(), 7);

    let bad = fixture("bad_total.xlsx");
    let o = wdesk(&["ledger", "import", bad.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!((v["errors"][0]["sheet"].as_str(), v["errors"][0]["row"].as_u64(), v["errors"][0]["column"].as_str()), (Some("明细"), Some(5), Some("E")));
    assert_eq!(count(), 7);

    let show: serde_json::Value = serde_json::from_slice(&wdesk(&["ledger", "show", "--json"]).stdout).unwrap();
    assert_eq!(show["entries"], 7);
    assert_eq!(show["builders"][0]["balance_fen"], 354_250_000);

    let xlsx = dir.path().join("q.xlsx");
    let o = wdesk(&["ledger", "export", "--quarter", "2024Q3", "--out", xlsx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(xlsx.exists());
    assert_eq!(wdesk(&["ledger", "export", "--quarter", "2024Q5", "--out", "x.xlsx"]).status.code(), Some(2));
    assert!(wdesk(&["check"]).status.success());
}

/// `wdesk check` finds a ledger balance that is not the sum of its entries.
#[test]
fn check_finds_a_tampered_balance() {
    let (desk, me, dir) = desk();
    desk.import_ledger(&me, &fixture("biff8.xls"), false).unwrap();
    drop(desk);
    let c = desk_store::raw::open(&dir.path().join("warranty-desk.sqlite")).unwrap();
    c.execute("UPDATE fund_ledger SET balance_fen = balance_fen + 1", []).unwrap();
    drop(c);
    let desk = Desk::open(dir.path()).unwrap();
    let r = desk.check().unwrap();
    assert!(!r.ok && r.problems.iter().any(|p| p.contains("保修金台账") && p.contains("中建八局")), "{:?}", r.problems);
}

/// Every file of the shared real-world corpus: no panic; each imports or says why not.
#[test]
fn every_corpus_file_imports_or_gets_a_clear_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/excel-corpus");
    let Ok(files) = std::fs::read_dir(&dir) else {
        println!("NOTE: corpus not found at {}", dir.display());
        return;
    };
    let (desk, _me, _tmp) = desk();
    let (mut read, mut refused) = (0, 0);
    for f in files {
        let path = f.unwrap().path();
        match desk.preview_ledger_import(&path) {
            Ok(p) => {
                read += 1;
                assert!(!p.written);
                assert!(p.errors.iter().all(|e| !e.message.is_empty() && !e.sheet.is_empty()), "{}", path.display());
            }
            Err(e) => {
                refused += 1;
                assert!(!e.message.is_empty() && e.message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}: {}", path.display(), e.message);
            }
        }
    }
    println!("corpus: {read} previewed, {refused} refused with a message");
    assert!(read + refused > 100);
}

/// The reader alone (used by the reconciliation too): sheets found by their headers whatever
/// their names, titles kept, the 合计 and notes left out, kinds from the words and columns.
#[test]
fn the_workbook_reader_finds_both_tables_and_reads_every_spelling() {
    use desk_service::fund::workbook::read_ledger_workbook;
    let wb = read_ledger_workbook(&fixture("good_both.xlsx"), &Default::default()).unwrap();
    assert!(wb.errors.is_empty() && wb.warnings.is_empty(), "{:?} {:?}", wb.errors, wb.warnings);
    assert_eq!(wb.titles, vec!["翠湖澜庭项目保修金汇总表", "编制单位：项目工程部    2026年7月", "翠湖澜庭项目保修金明细账", "单位：元"]);
    assert_eq!(wb.contracts.iter().map(|k| (k.row, k.rate_bp, k.deposit.0)).collect::<Vec<_>>(), vec![(4, Some(300), 355_500_000), (5, Some(500), 39_000_000)]);
    let m: Vec<(u32, NaiveDate, i64, i64, EntryKind)> = wb.movements.iter().map(|m| (m.row, m.date, m.credit.0, m.debit.0, m.kind())).collect();
    assert_eq!(
        m,
        vec![
            (5, d("2024-03-05"), 355_500_000, 0, EntryKind::Opening),  // serial 45356, "3,555,000.00"
            (6, d("2024-03-05"), 39_000_000, 0, EntryKind::Retention), // "2024-03-05", "¥390,000.00"
            (8, d("2024-06-18"), 0, 1_250_000, EntryKind::Deduction),  // "2024/6/18", "12500元"
            (9, d("2024-06-20"), 0, 12_345, EntryKind::Deduction),     // "2024.6.20", full-width digits
            (10, d("2024-07-01"), 0, -10_000, EntryKind::Reversal),    // "2024年7月1日", "(100)"
            (11, d("2024-07-02"), -10_000, 0, EntryKind::Reversal),    // "-100"
            (12, d("2024-09-30"), 0, 5_000_000, EntryKind::Refund),    // a date cell, the 退还 column
        ]
    );
    assert_eq!(wb.cell_error("明细账", 8, "voucher", "x").column, "A", "columns out of order are found by name");
    assert_eq!(wb.cell_error("明细账", 8, "refund", "x").column, "J");
}
