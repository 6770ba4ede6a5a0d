//! The ledger corpus: files in the shapes departments and finance systems really send (units
//! above the header, headers in accounting words, two-row headers, one sheet per builder,
//! subtotals, dates without a year, amount + direction, CSV in GBK …), made by other tools than
//! ours (`tests/fixtures/ledger-corpus/make_corpus.py`). Every builder of every file must come out
//! with its credit, debit and balance to the fen, and every bad file must say what is wrong where.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use desk_service::fund::ledger::LedgerImportPreview;
use desk_service::{Desk, Session};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger-corpus").join(name)
}

mod common;

/// A fresh desk with one project 翠湖澜庭, signed in as its director, on 2026-10-10 10:00 CST.
fn desk() -> (Desk, Session, tempfile::TempDir) {
    common::ledger_desk()
}

type Totals = BTreeMap<String, (i64, i64, i64)>;

fn got(p: &LedgerImportPreview) -> Totals {
    p.builders.iter().map(|b| (b.name.clone(), (b.credit_fen, b.debit_fen, b.balance_fen))).collect()
}

fn expected() -> BTreeMap<String, Totals> {
    let text = std::fs::read_to_string(corpus("expected.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v.as_object()
        .unwrap()
        .iter()
        .map(|(file, builders)| {
            let t = builders
                .as_object()
                .unwrap()
                .iter()
                .map(|(b, x)| (b.clone(), (x["credit"].as_i64().unwrap(), x["debit"].as_i64().unwrap(), x["balance"].as_i64().unwrap())))
                .collect();
            (file.clone(), t)
        })
        .collect()
}

#[test]
fn every_corpus_file_gives_every_builder_to_the_fen() {
    let all = expected();
    assert!(all.len() >= 30, "the corpus holds {} files", all.len());
    let mut failures = Vec::new();
    for (file, want) in &all {
        let (desk, _me, _dir) = desk();
        match desk.preview_ledger_import(&corpus(file)) {
            Ok(p) => {
                println!("{file}: {} movements, {:?}; notes {:?}; warnings {}", p.movements, got(&p), p.notes, p.warnings.len());
                if !p.errors.is_empty() {
                    failures.push(format!("{file}: {} errors, first: {}", p.errors.len(), p.errors[0]));
                } else if got(&p) != *want {
                    failures.push(format!("{file}:\n  got  {:?}\n  want {:?}", got(&p), want));
                }
            }
            Err(e) => failures.push(format!("{file}: refused: {}", e.message)),
        }
    }
    assert!(failures.is_empty(), "{} of {} files wrong:\n{}", failures.len(), all.len(), failures.join("\n"));
}

#[test]
fn a_file_in_wan_yuan_imports_scaled_and_says_so() {
    let (desk, me, _dir) = desk();
    let want = &expected()["unit_line_wan.xlsx"];
    let p = desk.import_ledger(&me, &corpus("unit_line_wan.xlsx"), false).unwrap();
    assert!(p.written);
    assert_eq!(got(&p), *want);
    assert!(p.notes.iter().any(|n| n.contains("万元")), "{:?}", p.notes);
    // What is stored is what was previewed: the ledgers hold the scaled amounts.
    let shown: BTreeMap<String, i64> = desk.ledger_show().unwrap().builders.iter().map(|b| (b.name.clone(), b.balance_fen)).collect();
    for (b, (_, _, balance)) in want {
        assert_eq!(shown.get(b), Some(balance), "{b}");
    }
}

#[test]
fn an_unclear_unit_with_implausible_amounts_is_warned_about() {
    let (desk, _me, _dir) = desk();
    let p = desk.preview_ledger_import(&corpus("warn_unclear_unit.xlsx")).unwrap();
    assert!(p.warnings.iter().any(|w| w.message.contains("单位") && w.message.contains("万元")), "{:#?}", p.warnings);
    // The same amounts with 单位：万元 above the header carry no such warning.
    let p = desk.preview_ledger_import(&corpus("unit_line_wan.xlsx")).unwrap();
    assert!(p.warnings.iter().all(|w| !w.message.contains("没有写金额单位")), "{:#?}", p.warnings);
}

#[test]
fn columns_recognised_by_their_words_are_shown_for_checking() {
    let (desk, _me, _dir) = desk();
    let p = desk.preview_ledger_import(&corpus("side_first.xlsx")).unwrap();
    let note = p.notes.iter().find(|n| n.contains("词义")).unwrap();
    assert!(note.contains("「贷方(计提)」→ 计提/收取(贷方)") && note.contains("「借方(扣款)」→ 扣款/支付(借方)"), "{note}");
    let p = desk.preview_ledger_import(&corpus("sheet_per_builder_unit_line.xlsx")).unwrap();
    assert!(p.notes.iter().any(|n| n.contains("没有施工单位列") && n.contains("中建三局")), "{:?}", p.notes);
}

/// (file, sheet, row, column, words the message must hold)
#[test]
fn bad_corpus_files_name_the_cell_and_write_nothing() {
    let cases = [
        ("bad_error_cells.xlsx", "明细", 3, "F", "#REF!"),
        ("bad_error_cells.xlsx", "明细", 4, "E", "#VALUE!"),
        ("bad_yearless_no_year.xlsx", "明细", 3, "A", "没有年份"),
        ("bad_amount_without_direction.xlsx", "明细", 2, "E", "方向"),
        ("bad_wan_seven_decimals.xlsx", "明细", 3, "E", "6 位小数"),
    ];
    for (file, sheet, row, column, words) in cases {
        let (desk, me, _dir) = desk();
        let p = desk.preview_ledger_import(&corpus(file)).unwrap();
        let e = p.errors.iter().find(|e| e.row == row && e.column == column);
        let e = e.unwrap_or_else(|| panic!("{file}: no error at {column}{row}: {:#?}", p.errors));
        assert_eq!(e.sheet, sheet, "{file}");
        assert!(e.message.contains(words), "{file}: {}", e.message);
        let refused = desk.import_ledger(&me, &corpus(file), false).unwrap_err();
        assert!(refused.message.contains("未导入任何数据"), "{file}: {}", refused.message);
        assert_eq!(desk.ledger_show().unwrap().entries, 0, "{file}: nothing written");
    }
}

#[test]
fn a_csv_names_the_file_as_its_sheet_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("导出.csv");
    let text = "日期,施工单位,计提,扣款\r\n2024-01-02,甲建设公司,1000.00,\r\n2024-02-30,甲建设公司,,12.00\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(&path, &gbk).unwrap();
    let (desk, _me, _tmp) = desk();
    let p = desk.preview_ledger_import(&path).unwrap();
    assert_eq!(p.errors.len(), 1, "{:#?}", p.errors);
    assert_eq!(p.errors[0].to_string(), "工作表「导出.csv」第 3 行 A 列（日期）：无法识别的日期「2024-02-30」");
}

fn mapped() -> BTreeMap<String, (String, Totals)> {
    let text = std::fs::read_to_string(corpus("expected_mapped.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v.as_object()
        .unwrap()
        .iter()
        .map(|(file, x)| {
            let t = x["builders"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(b, x)| (b.clone(), (x["credit"].as_i64().unwrap(), x["debit"].as_i64().unwrap(), x["balance"].as_i64().unwrap())))
                .collect();
            (file.clone(), (x["map"].as_str().unwrap().to_string(), t))
        })
        .collect()
}

/// 字段对应: a column nobody can recognise (保修金 — what the money is, not what happens to it)
/// is shown with its samples; mapped by the user, the file imports exactly, and the mapping is
/// remembered for the next file with the same header.
#[test]
fn a_column_mapped_by_the_user_imports_exactly_and_is_remembered() {
    for (file, (map, want)) in mapped() {
        let (desk, me, _dir) = desk();
        let p = desk.preview_ledger_import(&corpus(&file)).unwrap();
        assert!(!p.errors.is_empty(), "{file}: unmapped, the retention rows have no amount");
        let d = p.columns.iter().find(|c| c.column == "D").unwrap();
        assert_eq!((d.header.as_str(), d.field.as_str(), d.samples.len()), ("保修金", "", 3), "{file}");
        assert!(p.fields.iter().any(|f| f.key == "credit"));

        let p = desk.preview_ledger_import_mapped(None, &corpus(&file), Some(&map)).unwrap();
        assert!(p.errors.is_empty(), "{file}: {:#?}", p.errors);
        assert_eq!(got(&p), want, "{file}");
        assert_eq!(p.mapping, map);
        assert_eq!(p.columns.iter().find(|c| c.column == "D").unwrap().field, "credit");
        let done = desk.import_ledger_mapped(&me, None, &corpus(&file), false, Some(&map)).unwrap();
        assert!(done.written);

        // The next file with this header (here the same one again): the confirmed mapping is
        // used and said. Another desk has not confirmed it.
        let p = desk.preview_ledger_import(&corpus(&file)).unwrap();
        assert!(p.mapping_remembered && p.errors.is_empty(), "{:#?}", p.errors);
        assert!(p.notes[0].contains("上次确认的字段对应"), "{:?}", p.notes);
        let (other, _me2, _dir2) = self::desk();
        let p = other.preview_ledger_import(&corpus(&file)).unwrap();
        assert!(!p.mapping_remembered, "remembered per desk, not across desks");
    }
}

#[test]
fn a_mapping_that_cannot_be_read_is_refused_with_the_bad_part() {
    let (desk, _me, _dir) = desk();
    for (map, words) in [("D", "缺少等号"), ("4=credit", "列应为字母"), ("D=利息", "没有名为「利息」的字段"), ("D=credit,D=debit", "两次")]
    {
        let e = desk.preview_ledger_import_mapped(None, &corpus("plain.xlsx"), Some(map)).unwrap_err();
        assert!(e.message.contains(words) && e.message.contains("字段对应"), "{map}: {}", e.message);
    }
}

/// `wdesk ledger import --map` corrects the matching and prints the mapping it used in `--json`.
#[test]
fn the_cli_takes_a_mapping_and_prints_it() {
    let (desk, _me, dir) = desk();
    drop(desk);
    let (file, (map, want)) = mapped().into_iter().next().unwrap();
    let path = corpus(&file);
    let wdesk = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_wdesk")).arg("--data").arg(dir.path()).args(args).output().unwrap();
    let o = wdesk(&["ledger", "import", path.to_str().unwrap(), "--dry-run", "--json"]);
    assert_eq!(o.status.code(), Some(1), "unmapped: refused");
    let o = wdesk(&["ledger", "import", path.to_str().unwrap(), "--map", &map, "--by", "张主任", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["written"].as_bool(), v["mapping"].as_str()), (Some(true), Some(map.as_str())));
    let d = v["columns"].as_array().unwrap().iter().find(|c| c["column"] == "D").unwrap();
    assert_eq!((d["field"].as_str(), d["confidence"].as_str()), (Some("credit"), Some("User")));
    let b: Totals = v["builders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (b["name"].as_str().unwrap().to_string(), (b["credit_fen"].as_i64().unwrap(), b["debit_fen"].as_i64().unwrap(), b["balance_fen"].as_i64().unwrap()))
        })
        .collect();
    assert_eq!(b, want);
}

/// A damaged file (cut off in the middle, as an interrupted copy leaves it) gets one Chinese
/// sentence saying what to do — not the zip reader's English — and writes nothing.
#[test]
fn a_damaged_file_is_refused_in_plain_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let whole = std::fs::read(corpus("plain.xlsx")).unwrap();
    let cut = dir.path().join("明细账.xlsx");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let (desk, me, _tmp) = desk();
    for e in [desk.preview_ledger_import(&cut).unwrap_err(), desk.import_ledger(&me, &cut, false).unwrap_err()] {
        assert!(e.message.contains("已损坏或不完整") && e.message.contains("另存为"), "{}", e.message);
        let english = ["zip", "eocd", "archive", "invalid", "error"];
        assert!(!english.iter().any(|w| e.message.to_lowercase().contains(w)), "no English: {}", e.message);
    }
    assert_eq!(desk.ledger_show().unwrap().entries, 0);
}

/// A file whose title names another project is flagged for an explicit confirmation (the
/// wizard will not import it into the active project on a grey notice alone).
#[test]
fn a_file_naming_another_project_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "金地湖城项目保修金明细账").unwrap();
    for (c, h) in ["日期", "施工单位", "计提", "扣款"].iter().enumerate() {
        ws.write(1, c as u16, *h).unwrap();
    }
    for (c, v) in ["2024-01-02", "甲建设公司", "355000.00"].iter().enumerate() {
        ws.write(2, c as u16, *v).unwrap();
    }
    wb.save(&path).unwrap();
    let (desk, _me, _tmp) = desk();
    let p = desk.preview_ledger_import(&path).unwrap();
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!(p.other_project, "金地湖城");
    let p = desk.preview_ledger_import(&corpus("plain.xlsx")).unwrap();
    assert_eq!(p.other_project, "", "the title names this project");
}

/// The values under a column check its header: a 金额 column holding dates is put in doubt (the
/// mapping step is asked for and the note names the column), and of two columns whose words mean
/// 日期 the one holding dates is read.
#[test]
fn values_under_a_column_catch_a_wrong_match_and_break_ties() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _me, _tmp) = desk();
    let wrong = dir.path().join("错列.csv");
    std::fs::write(&wrong, "日期,施工单位,金额,方向\r\n2026-07-03,甲建设公司,2026-07-05,贷\r\n2026-07-04,甲建设公司,2026-07-06,借\r\n").unwrap();
    let p = desk.preview_ledger_import(&wrong).unwrap();
    assert!(p.needs_mapping);
    let c = p.columns.iter().find(|c| c.column == "C").unwrap();
    assert_eq!((c.field.as_str(), c.confidence), ("amount", desk_documents::excel_in::Confidence::Doubt));
    assert!(p.notes.iter().any(|n| n.contains("C 列「金额」的值像日期")), "{:?}", p.notes);

    let tie = dir.path().join("两个日期.csv");
    std::fs::write(&tie, "登记日期,发生日期,施工单位,计提\r\n见附件,2026-07-03,甲建设公司,1000.00\r\n同上,2026-07-04,甲建设公司,500.00\r\n").unwrap();
    let p = desk.preview_ledger_import(&tie).unwrap();
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!(p.columns.iter().find(|c| c.field == "date").unwrap().column, "B");
    assert_eq!(got(&p)["甲建设公司"], (150_000, 0, 150_000));
}

/// A file in which no header can be found is not refused outright: the preview says what the
/// desk looked for and shows the first rows; nothing can be imported until the user points at
/// the header row (here: none, 表头=0) and maps the columns; then it imports exactly, and the
/// confirmed mapping serves the next file shaped alike.
#[test]
fn a_file_without_a_header_says_what_was_looked_for_and_imports_once_mapped() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, me, _tmp) = desk();
    let file = dir.path().join("流水.csv");
    std::fs::write(&file, "2026-07-03,甲建设公司,\"1,000.00\"\r\n2026-07-04,乙安装公司,500.00\r\n").unwrap();
    let p = desk.preview_ledger_import(&file).unwrap();
    let n = p.no_header.as_ref().expect("no header found");
    assert!(n.looked_for.contains("「日期」") && n.looked_for.contains("金额") && n.looked_for.contains("表头所在的行"), "{}", n.looked_for);
    assert_eq!((n.rows.len(), n.rows[0].row, n.rows[0].cells[1].1.as_str()), (2, 1, "甲建设公司"));
    assert!(p.needs_mapping && p.movements == 0);
    let refused = desk.import_ledger(&me, &file, false).unwrap_err();
    assert!(refused.message.contains("未导入任何数据") && refused.message.contains("「日期」"), "{}", refused.message);
    assert_eq!(desk.ledger_show().unwrap().entries, 0);

    let map = "表头=0,A=date,B=builder,C=credit";
    let p = desk.preview_ledger_import_mapped(None, &file, Some(map)).unwrap();
    assert!(p.no_header.is_none() && p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!(p.mapping, map);
    assert_eq!(got(&p)["甲建设公司"], (100_000, 0, 100_000));
    assert_eq!(got(&p)["乙安装公司"], (50_000, 0, 50_000));
    assert!(desk.import_ledger_mapped(&me, None, &file, false, Some(map)).unwrap().written);

    let next = dir.path().join("流水2.csv");
    std::fs::write(&next, "2026-08-01,甲建设公司,200.00\r\n").unwrap();
    let p = desk.preview_ledger_import(&next).unwrap();
    assert!(p.mapping_remembered && p.no_header.is_none() && p.errors.is_empty(), "{:#?} {:?}", p.errors, p.notes);
    assert_eq!(got(&p)["甲建设公司"], (20_000, 0, 120_000));

    // A header row given by its number: the words above the data are the header.
    let titled = dir.path().join("带标题.csv");
    std::fs::write(&titled, "往来明细\r\n记账时点,对方户名,款\r\n2026-07-03,丙公司,30.00\r\n").unwrap();
    let p = desk.preview_ledger_import_mapped(None, &titled, Some("表头=2,C=credit,B=builder,A=date")).unwrap();
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!(got(&p)["丙公司"], (3_000, 0, 3_000));
    assert_eq!(p.mapping, "表头=2,A=date,B=builder,C=credit");
}

/// B4 reads the department's file with the same 字段对应: a mapping confirmed in A3 serves the
/// reconciliation of a file shaped alike, a mapping given to B4 is remembered at once (saving and
/// exporting read the file again), and a file with no header found reconciles nothing but says
/// what was looked for. The CLI takes `--map` and prints the mapping it used.
#[test]
fn the_reconciliation_takes_and_remembers_a_column_mapping() {
    use desk_domain::fund::Quarter;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("项目部流水.csv");
    std::fs::write(&file, "2026-07-03,甲建设公司,\"1,000.00\"\r\n2026-08-04,甲建设公司,500.00\r\n").unwrap();
    let q = Quarter { year: 2026, q: 3 };
    let map = "表头=0,A=date,B=builder,C=credit";

    let (desk, me, _tmp) = desk();
    let p = desk.reconcile_preview(&file, q).unwrap();
    assert!(p.no_header.as_ref().is_some_and(|n| n.looked_for.contains("「日期」")) && p.needs_mapping);
    assert!(p.matched.is_empty() && p.our_entries == 0, "nothing reconciled without a header");
    assert!(desk.import_ledger_mapped(&me, None, &file, false, Some(map)).unwrap().written);
    let p = desk.reconcile_preview(&file, q).unwrap();
    assert!(p.mapping_remembered && p.no_header.is_none(), "{:?}", p.notes);
    assert_eq!((p.matched.len(), p.only_theirs.len(), p.only_ours.len()), (2, 0, 0));
    assert_eq!(p.mapping, map);

    let (other, _me2, tmp2) = self::desk();
    let p = other.reconcile_preview_mapped(&file, q, Some(map)).unwrap();
    assert_eq!((p.their_rows, p.only_theirs.len(), p.mapping.as_str()), (2, 2, map));
    let c = p.columns.iter().find(|c| c.column == "C").unwrap();
    assert_eq!((c.field.as_str(), c.samples[0].as_str()), ("credit", "1,000.00"));
    assert!(other.reconcile_preview(&file, q).unwrap().mapping_remembered, "given to B4: remembered");
    drop(other);

    let out = dir.path().join("对账单.xlsx");
    let (_d3, _me3, tmp3) = self::desk();
    drop(_d3);
    let wdesk =
        |data: &std::path::Path, args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_wdesk")).arg("--data").arg(data).args(args).output().unwrap();
    let o = wdesk(tmp3.path(), &["reconcile", file.to_str().unwrap(), "--quarter", "2026Q3", "--out", out.to_str().unwrap(), "--json"]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("表头"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = wdesk(tmp3.path(), &["reconcile", file.to_str().unwrap(), "--quarter", "2026Q3", "--out", out.to_str().unwrap(), "--map", map, "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["mapping"].as_str(), v["only_theirs"].as_array().map(Vec::len)), (Some(map), Some(2)));
    drop(tmp2);
}
