//! Every file of the shared real-world corpus (calamine's own test files: damaged, hostile,
//! 1904 dates, odd encodings) must either give tables or a clear error — never a panic or a
//! hang — and hand-made hostile files (huge declared dimension, padded XML, fake OLE, HTML named
//! .xls) must be refused before they can hurt.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::*;
use desk_documents::excel_in::{read_table, ColumnSpec, ImportError, Limits, TableSpec};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A spec that matches some corpus sheets (header-row.xlsx, temperature*.xlsx have such words)
/// and not others; the point is exercising every reader path.
const SIMPLE: TableSpec = TableSpec {
    name: "任意表",
    columns: &[
        ColumnSpec { key: "a", label: "label", synonyms: &["header", "col1", "a"], required: true },
        ColumnSpec { key: "b", label: "value", synonyms: &["b", "col2", "temperature"], required: false },
    ],
    meaning: None,
    any_of: &[],
    values: None,
};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/excel-corpus")
}

#[test]
fn every_corpus_file_reads_or_refuses_cleanly() {
    let dir = corpus_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("excel corpus missing at {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    assert!(files.len() > 100, "corpus looks incomplete: {} files", files.len());
    let (mut ok, mut refused) = (0, 0);
    for path in &files {
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| read_table(path, &SIMPLE, &Limits::default()));
        let elapsed = started.elapsed();
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        match result {
            Err(_) => panic!("{name}: read_table panicked"),
            Ok(Ok(tables)) => {
                ok += 1;
                assert!(!tables.is_empty(), "{name}: Ok with no table");
                println!("{name}: {} table(s), {} rows", tables.len(), tables[0].rows.len());
            }
            Ok(Err(e)) => {
                refused += 1;
                let msg = e.to_string();
                assert!(!msg.is_empty() && !msg.contains("panicked"), "{name}: {msg}");
                println!("{name}: {msg}");
            }
        }
        assert!(elapsed < Duration::from_secs(20), "{name}: took {elapsed:?}");
    }
    println!("corpus: {ok} read, {refused} refused");
    assert!(ok > 0, "nothing in the corpus was readable with the simple spec");

    let expect = |file: &str, check: fn(&ImportError) -> bool| {
        let r = read_table(&dir.join(file), &SIMPLE, &Limits::default());
        assert!(matches!(&r, Err(e) if check(e)), "{file}: {r:?}");
    };
    expect("pass_protected.xlsx", |e| *e == ImportError::PasswordProtected);
    expect("any_sheets.ods", |e| matches!(e, ImportError::Unsupported(_)));
    expect("README.md", |e| matches!(e, ImportError::NotAWorkbook(_)));
}

fn header_cells() -> String {
    format!("{}{}{}", s("A1", "日期"), s("B1", "施工单位"), s("C1", "金额"))
}

#[test]
fn huge_declared_dimension_is_not_allocated() {
    // calamine's worksheet_range would size a 1,048,576 × 16,384 range from this and abort.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bomb.xlsx");
    let xml = format!(
        r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{}</row><row r="2">{}{}{}</row></sheetData>"#,
        header_cells(),
        s("A2", "2024-03-05"),
        s("B2", "甲"),
        n("C2", 12.5)
    );
    write_raw_xlsx(&path, &xml);
    assert!(std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) < 4096);
    let tables = read_table(&path, &LEDGER, &Limits::default()).expect("streamed read");
    assert_eq!(tables[0].rows.len(), 1);
}

#[test]
fn value_far_out_is_refused_naming_sheet_and_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("far.xlsx");
    let xml =
        format!(r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{}</row><row r="1048576">{}</row></sheetData>"#, header_cells(), s("XFD1048576", "x"));
    write_raw_xlsx(&path, &xml);
    let err = read_table(&path, &LEDGER, &Limits::default()).expect_err("refused");
    assert_eq!(err.to_string(), "文件过大，已拒绝读取：工作表「明细」超过 200000 行的上限");
    let wide = Limits { max_rows: 2_000_000, ..Limits::default() };
    let err = read_table(&path, &LEDGER, &wide).expect_err("refused");
    assert_eq!(err.to_string(), "文件过大，已拒绝读取：工作表「明细」超过 200 列的上限");
}

#[test]
fn too_many_cells_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("many.xlsx");
    let rows: String = (2..200).map(|r| format!(r#"<row r="{r}">{}</row>"#, n(&format!("C{r}"), 1.0))).collect();
    write_raw_xlsx(&path, &format!(r#"<sheetData><row r="1">{}</row>{rows}</sheetData>"#, header_cells()));
    let limits = Limits { max_cells: 100, ..Limits::default() };
    let err = read_table(&path, &LEDGER, &limits).expect_err("refused");
    assert!(err.to_string().contains("超过 100 个单元格的上限"), "{err}");
}

#[test]
fn padded_xml_over_uncompressed_cap_is_refused() {
    // Compresses to a few KB, inflates to 2 MB: a small zip bomb against a 1 MB cap.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("padded.xlsx");
    let padding = " ".repeat(2 * 1024 * 1024);
    write_raw_xlsx(&path, &format!("<!--{padding}--><sheetData><row r=\"1\">{}</row></sheetData>", header_cells()));
    assert!(std::fs::metadata(&path).map(|m| m.len()).unwrap_or(u64::MAX) < 64 * 1024);
    let limits = Limits { max_uncompressed_bytes: 1024 * 1024, ..Limits::default() };
    let err = read_table(&path, &LEDGER, &limits).expect_err("refused");
    assert!(matches!(err, ImportError::TooLarge(_)), "{err:?}");
    assert!(err.to_string().contains("1 MB"), "{err}");
    // The same file is fine under the default cap.
    let tables = read_table(&path, &LEDGER, &Limits::default());
    assert!(matches!(tables, Ok(ref t) if t[0].rows.is_empty()), "{tables:?}");
}

#[test]
fn file_size_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.xlsx");
    write_raw_xlsx(&path, &format!("<sheetData><row r=\"1\">{}</row></sheetData>", header_cells()));
    let limits = Limits { max_file_bytes: 100, ..Limits::default() };
    let err = read_table(&path, &LEDGER, &limits).expect_err("refused");
    assert!(matches!(err, ImportError::TooLarge(_)), "{err:?}");
}

#[test]
fn disguised_and_broken_files_get_clear_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        p
    };
    let read = |p: &Path| read_table(p, &LEDGER, &Limits::default()).expect_err("refused");

    let html = write("export.xls", "<html><body><table><tr><td>日期</td></tr></table></body></html>".as_bytes());
    let e = read(&html);
    assert!(matches!(e, ImportError::NotAWorkbook(_)) && e.to_string().contains("HTML"), "{e}");

    let csv = write("list.xlsx", "日期,施工单位,金额\n2024-01-01,甲,1\n".as_bytes());
    assert!(read(&csv).to_string().contains("CSV"));

    assert!(matches!(read(&write("empty.xlsx", b"")), ImportError::NotAWorkbook(_)));
    assert!(matches!(read(&dir.path().join("missing.xlsx")), ImportError::Io(_)));

    // An OLE compound file holding an EncryptedPackage stream = password-protected xlsx.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(512, 0);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
    ole.resize(2048, 0);
    let e = read(&write("secret.xlsx", &ole));
    assert_eq!(e, ImportError::PasswordProtected);
    assert!(e.to_string().starts_with("文件有密码保护"));

    // A truncated real workbook.
    let good = dir.path().join("good.xlsx");
    write_raw_xlsx(&good, &format!("<sheetData><row r=\"1\">{}</row></sheetData>", header_cells()));
    let bytes = std::fs::read(&good).expect("read");
    let cut = write("cut.xlsx", &bytes[..bytes.len() / 2]);
    let e = read(&cut);
    assert!(matches!(e, ImportError::Corrupt(_)), "{e:?}");

    // A zip without a workbook.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default()).expect("zip");
    let z = zip.finish().expect("zip").into_inner();
    assert!(matches!(read(&write("notbook.xlsx", &z)), ImportError::NotAWorkbook(_)));
}
