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
