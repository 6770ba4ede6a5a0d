//! Fuzzing the spreadsheet importers (issue 7 §4) with proptest: workbooks from anyone must
//! give tables or a Chinese [`ImportError`] — never a panic, a hang or an allocation that takes
//! the desk down.
//!
//! * `mutated_corpus_and_generated_workbooks_never_panic` — seeds are the shared corpus
//!   (`../shared/data/excel-corpus`: calamine's own damaged and odd files) and small ledger and
//!   roster workbooks written here; each case mutates one seed: flipped bytes, truncation, an
//!   XML part rewritten inside the zip (declared dimension changed to something huge or
//!   nonsensical, cell references pushed to the format's limits and beyond, shared strings
//!   inflated), a zip entry duplicated.
//! * `random_sheets_obey_the_caps` — random workbooks from rust_xlsxwriter (every cell type,
//!   indices near the caps and near Excel's own limits, very long strings, formulas, merged
//!   ranges, several sheets): the result is exactly "refused as too large" when a value lies
//!   past [`Limits`], otherwise tables or a clean error.
//! * `bombs_are_refused_before_memory_runs_out` — a shared-strings zip bomb, a zip whose
//!   headers lie about the inflated size, and a zip with too many entries, against small caps
//!   (`hostile_and_corpus.rs` already covers the huge declared dimension, padded XML, the file
//!   size cap and the cell count cap; they are not repeated here).
//!
//! Every case runs on its own thread under a time bound ([`CASE_TIMEOUT`]). A panic that
//! `source::for_each_sheet`'s last-line `catch_unwind` turned into `Corrupt("读取时内部错误…")`
//! is still counted as a finding: the panic hook records where it happened, and a panic inside
//! this crate fails the test (one inside calamine or zip is printed: it cannot be fixed here,
//! and the guard is what keeps the desk up).
//!
//! The CI form runs 64 mutation cases and 16 random workbooks (≈40 s on two shared cores in
//! a debug build). The longer run (5,000 cases of each):
//!
//! ```text
//! WDESK_FUZZ_CASES=5000 cargo test -p desk-documents --test fuzz_workbooks -- --nocapture
//! ```
//!
//! (`PROPTEST_CASES` is honoured too; `WDESK_FUZZ_CASES` wins.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::LEDGER;
use desk_documents::excel_in::{read_table, read_tables, ColumnSpec, ImportError, Limits, TableSpec};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Wall time one case may take (a debug build, two shared cores).
const CASE_TIMEOUT: Duration = Duration::from_secs(20);

/// Cases per property: `WDESK_FUZZ_CASES`, else `PROPTEST_CASES`, else the CI default.
fn cases_or(ci_default: u32) -> u32 {
    ["WDESK_FUZZ_CASES", "PROPTEST_CASES"].iter().find_map(|k| std::env::var(k).ok().and_then(|v| v.parse().ok())).unwrap_or(ci_default)
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() })
}

const ROSTER: TableSpec = TableSpec {
    name: "房屋业主名册",
    columns: &[
        ColumnSpec { key: "unit", label: "房号", synonyms: &["房屋"], required: true },
        ColumnSpec { key: "owner", label: "业主姓名", synonyms: &["业主"], required: true },
        ColumnSpec { key: "phone", label: "联系电话", synonyms: &["电话"], required: false },
        ColumnSpec { key: "batch", label: "批次", synonyms: &[], required: false },
    ],
    meaning: None,
    any_of: &[],
    values: None,
};

// ---------------------------------------------------------------------------------------------
// Panics caught inside the importer: where did they happen?

/// Locations of panics seen by the hook while a case ran (the importer's own guard hides them).
fn panic_sites() -> &'static Mutex<Vec<String>> {
    static SITES: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    SITES.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            if let Ok(mut v) = panic_sites().lock() {
                v.push(format!(
                    "{at}: {}",
                    info.payload().downcast_ref::<&str>().copied().or_else(|| info.payload().downcast_ref::<String>().map(String::as_str)).unwrap_or("")
                ));
            }
            // A dependency's panic is reported once per case below; keep the log readable.
            if !at.contains(".cargo/registry") {
                default(info);
            }
        }));
        Mutex::new(Vec::new())
    })
}

fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What one read gave.
#[derive(Debug)]
enum Outcome {
    Tables,
    Refused(ImportError),
}

/// Reads `bytes` as a workbook with both entry points, on a thread with a time bound, and
/// checks the contract. Returns the outcome of `read_table` for further checks.
fn check_bytes(bytes: Vec<u8>, limits: Limits, what: &str) -> Result<Outcome, TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    check_file(&path, limits, what)
}

fn check_file(path: &Path, limits: Limits, what: &str) -> Result<Outcome, TestCaseError> {
    if let Ok(mut v) = panic_sites().lock() {
        v.clear();
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let p: PathBuf = path.to_path_buf();
    let started = Instant::now();
    std::thread::spawn(move || {
        let one = std::panic::catch_unwind(|| read_table(&p, &LEDGER, &limits));
        let many = std::panic::catch_unwind(|| read_tables(&p, &[&LEDGER, &ROSTER], &limits));
        let _ = tx.send((one, many));
    });
    let (one, many) = match rx.recv_timeout(CASE_TIMEOUT) {
        Ok(r) => r,
        Err(_) => return Err(TestCaseError::fail(format!("{what}: no answer within {CASE_TIMEOUT:?} (hang)"))),
    };
    let elapsed = started.elapsed();
    let one = one.map_err(|_| TestCaseError::fail(format!("{what}: read_table panicked")))?;
    let many = many.map_err(|_| TestCaseError::fail(format!("{what}: read_tables panicked")))?;
    for e in [one.as_ref().err(), many.as_ref().err()].into_iter().flatten() {
        let msg = e.to_string();
        prop_assert!(is_chinese(&msg), "{}: the message is not Chinese: {}", what, msg);
        if msg.contains("读取时内部错误") {
            let sites = panic_sites().lock().map(|v| v.clone()).unwrap_or_default();
            let ours = sites.iter().find(|s| s.contains("crates/documents/") || s.contains("desk_documents"));
            prop_assert!(ours.is_none(), "{}: a panic in our code was caught by the guard: {:?}", what, ours);
            println!("{what}: a dependency panicked inside the guard ({msg}); sites: {sites:?}");
        }
    }
    // Both entry points agree on whether the file can be read at all.
    prop_assert_eq!(
        one.as_ref().err().filter(|e| !matches!(e, ImportError::NoTable { .. })).map(|e| e.to_string()),
        many.as_ref().err().map(|e| e.to_string()),
        "{}",
        what
    );
    if elapsed > Duration::from_secs(5) {
        println!("{what}: slow case, {elapsed:?}");
    }
    Ok(match one {
        Ok(t) => {
            prop_assert!(!t.is_empty(), "{}: Ok with no table", what);
            Outcome::Tables
        }
        Err(e) => Outcome::Refused(e),
    })
}

// ---------------------------------------------------------------------------------------------
// Seeds.

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/excel-corpus")
}

/// A ledger like finance's (title rows, header, money, dates, a 合计 row) and a roster.
fn generated_seeds() -> Vec<(String, Vec<u8>)> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut ledger = Workbook::new();
    let ws = ledger.add_worksheet();
    ws.set_name("明细").unwrap();
    ws.merge_range(0, 0, 0, 4, "翠湖澜庭保修金明细账", &Format::new()).unwrap();
    for (c, h) in ["日期", "凭证号", "施工单位", "金额", "备注"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for r in 0..20u32 {
        let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1 + (r % 12) as u8, 1 + (r % 28) as u8).unwrap();
        ws.write_datetime_with_format(2 + r, 0, &d, &date).unwrap();
        ws.write_string(2 + r, 1, format!("记-{r:04}")).unwrap();
        ws.write_string(2 + r, 2, ["城安防水", "华建一局", "宏达门窗"][r as usize % 3]).unwrap();
        ws.write_number(2 + r, 3, 1234.56 * f64::from(r + 1)).unwrap();
        ws.write_string(2 + r, 4, "质保金").unwrap();
    }
    ws.write_string(22, 0, "合计").unwrap();
    ws.write_formula(22, 3, "=SUM(D3:D22)").unwrap();
    let mut roster = Workbook::new();
    let ws = roster.add_worksheet();
    for (c, h) in ["房号", "业主姓名", "联系电话", "批次"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..30u32 {
        ws.write_string(r, 0, format!("{}-{}-{}", 1 + r % 5, 1 + r % 3, 100 + r)).unwrap();
        ws.write_string(r, 1, format!("业主{r}")).unwrap();
        ws.write_string(r, 2, format!("1380013{r:04}")).unwrap();
        ws.write_string(r, 3, "一期").unwrap();
    }
    vec![("ledger.xlsx".into(), ledger.save_to_buffer().unwrap()), ("roster.xlsx".into(), roster.save_to_buffer().unwrap())]
}

fn seeds() -> &'static Vec<(String, Vec<u8>)> {
    static SEEDS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut out = generated_seeds();
        let dir = corpus_dir();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("excel corpus missing at {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| ["xlsx", "xlsm", "xlsb", "xls"].contains(&x.to_string_lossy().to_lowercase().as_str())))
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            out.push((name, std::fs::read(&f).unwrap()));
        }
        assert!(out.len() > 100, "corpus looks incomplete: {}", out.len());
        out
    })
}

// ---------------------------------------------------------------------------------------------
// Mutations.

#[derive(Debug, Clone)]
enum Mutation {
    /// XOR bytes at fractional positions of the file.
    Flip(Vec<(f64, u8)>),
    /// Keep only a leading fraction of the file.
    Truncate(f64),
    /// Rewrite one XML part inside the zip.
    Xml(XmlEdit),
    /// Store one entry twice (same name).
    DuplicateEntry(f64),
}

#[derive(Debug, Clone)]
enum XmlEdit {
    /// `<dimension ref="…"/>` in every worksheet replaced.
    Dimension(String),
    /// Every `r="A1"`-style reference rewritten to this row/column.
    CellRefs(String),
    /// Shared strings padded with this many extra `<si>` entries of this length.
    InflateSharedStrings(u32, u32),
    /// Flip bytes inside a worksheet's XML, then deflate again (past the zip's CRC).
    FlipInside(Vec<(f64, u8)>),
}

fn flips() -> impl Strategy<Value = Vec<(f64, u8)>> {
    prop::collection::vec((0.0..1.0f64, 1..=255u8), 1..16)
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let refs = prop_oneof![
        Just("XFD1048576".to_string()),
        Just("XFE1048577".to_string()),
        Just("A4294967296".to_string()),
        Just("ZZZZZZZZ1".to_string()),
        Just("A0".to_string()),
        Just("1A".to_string()),
        Just(String::new()),
        (0u32..20_000_000, 0u32..20_000).prop_map(|(r, c)| format!("{}{}", letters(c), r)),
    ];
    let dims = prop_oneof![
        Just("A1:XFD1048576".to_string()),
        Just("A1:A4294967296".to_string()),
        Just("Z9:A1".to_string()),
        Just("garbage".to_string()),
        Just(String::new()),
        (0u32..2_000_000, 0u32..20_000).prop_map(|(r, c)| format!("A1:{}{}", letters(c), r)),
    ];
    prop_oneof![
        3 => flips().prop_map(Mutation::Flip),
        2 => (0.0..1.0f64).prop_map(Mutation::Truncate),
        2 => dims.prop_map(|d| Mutation::Xml(XmlEdit::Dimension(d))),
        2 => refs.prop_map(|r| Mutation::Xml(XmlEdit::CellRefs(r))),
        1 => (1u32..20_000, 1u32..2_000).prop_map(|(n, len)| Mutation::Xml(XmlEdit::InflateSharedStrings(n, len))),
        2 => flips().prop_map(|f| Mutation::Xml(XmlEdit::FlipInside(f))),
        1 => (0.0..1.0f64).prop_map(Mutation::DuplicateEntry),
    ]
}

/// Column letters of a 0-based index (`0` → `A`, `16383` → `XFD`).
fn letters(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn flip(bytes: &mut [u8], at: &[(f64, u8)]) {
    if bytes.is_empty() {
        return;
    }
    for (f, x) in at {
        let i = ((*f * bytes.len() as f64) as usize).min(bytes.len() - 1);
        bytes[i] ^= x;
    }
}

/// The entries of a zip (name, content); `None` if it is not a readable zip.
fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).ok()?;
        let mut v = Vec::new();
        f.read_to_end(&mut v).ok()?;
        out.push((f.name().to_string(), v));
    }
    Some(out)
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in entries {
        // A duplicate name is refused by the writer; then the raw copy below makes one anyway.
        if z.start_file(name.as_str(), opts).is_ok() {
            z.write_all(body).unwrap();
        }
    }
    z.finish().unwrap().into_inner()
}

/// `ZipWriter` refuses duplicate names, so the copy is written under a name of the same
/// length differing in its last byte (`#`), and that byte is then patched back in the local
/// header and the central directory: two entries with one name (the CRC covers data only).
fn with_duplicate(entries: &[(String, Vec<u8>)], dup: usize) -> Vec<u8> {
    let name = entries[dup].0.as_bytes();
    let Some((&last, stem)) = name.split_last() else { return rezip(entries) };
    let placeholder: Vec<u8> = [stem, b"#"].concat();
    let Ok(copy_name) = String::from_utf8(placeholder.clone()) else { return rezip(entries) };
    let mut all = entries.to_vec();
    all.push((copy_name, entries[dup].1.clone()));
    let mut bytes = rezip(&all);
    let mut i = 0;
    while let Some(pos) = find(&bytes[i..], &placeholder) {
        let at = i + pos + placeholder.len() - 1;
        bytes[at] = last;
        i = at + 1;
    }
    bytes
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn apply(seed: &[u8], m: &Mutation) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    match m {
        Mutation::Flip(at) => flip(&mut bytes, at),
        Mutation::Truncate(f) => bytes.truncate((*f * bytes.len() as f64) as usize),
        Mutation::DuplicateEntry(f) => {
            if let Some(entries) = unzip(&bytes) {
                if !entries.is_empty() {
                    let i = ((*f * entries.len() as f64) as usize).min(entries.len() - 1);
                    bytes = with_duplicate(&entries, i);
                }
            }
        }
        Mutation::Xml(edit) => {
            if let Some(mut entries) = unzip(&bytes) {
                for (name, body) in entries.iter_mut() {
                    let lower = name.to_lowercase();
                    let is_sheet = lower.contains("worksheets/") && lower.ends_with(".xml");
                    match edit {
                        XmlEdit::Dimension(d) if is_sheet => *body = replace_attr(body, "<dimension ref=\"", d, true),
                        XmlEdit::CellRefs(r) if is_sheet => *body = replace_attr(body, " r=\"", r, false),
                        XmlEdit::FlipInside(at) if is_sheet => flip(body, at),
                        XmlEdit::InflateSharedStrings(n, len) if lower.ends_with("sharedstrings.xml") => {
                            let extra: String = (0..*n).map(|i| format!("<si><t>{}</t></si>", "字".repeat((*len as usize + i as usize) % 2000))).collect();
                            let text = String::from_utf8_lossy(body).to_string();
                            *body = text.replacen("</sst>", &format!("{extra}</sst>"), 1).into_bytes();
                        }
                        _ => {}
                    }
                }
                bytes = rezip(&entries);
            }
        }
    }
    bytes
}

/// Replaces the value of every `prefix…"` (or only the first when `first_only`), keeping the
/// rest of the XML; a missing dimension is inserted after `<worksheet …>`.
fn replace_attr(body: &[u8], prefix: &str, value: &str, first_only: bool) -> Vec<u8> {
    let text = String::from_utf8_lossy(body).to_string();
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let mut done = false;
    while let Some(i) = rest.find(prefix) {
        if done && first_only {
            break;
        }
        out.push_str(&rest[..i + prefix.len()]);
        rest = &rest[i + prefix.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push_str(value);
        rest = &rest[end..];
        done = true;
    }
    out.push_str(rest);
    if !done && prefix.starts_with("<dimension") {
        if let Some(i) = out.find("<sheetData") {
            out.insert_str(i, &format!("<dimension ref=\"{value}\"/>"));
        }
    }
    out.into_bytes()
}

#[test]
fn mutated_corpus_and_generated_workbooks_never_panic() {
    let seeds = seeds();
    // The unmutated generated seeds are what the desk imports: both must give their table.
    for (name, bytes) in &seeds[..2] {
        let out = check_bytes(bytes.clone(), Limits::default(), name).unwrap();
        assert!(matches!(out, Outcome::Tables) || name == "roster.xlsx", "{name}: {out:?}");
    }
    let cases = cases_or(64);
    let mut runner = runner(cases);
    let stats = Mutex::new((0u32, 0u32, 0u32));
    // A quarter of the cases mutate the generated ledger/roster (the shapes the desk imports).
    let seed = prop_oneof![1 => 0..2usize, 3 => 0..seeds.len()];
    let result = runner.run(&(seed, mutation()), |(i, m)| {
        let (name, seed) = &seeds[i];
        let bytes = apply(seed, &m);
        let what = format!("{name} with {m:?}");
        let outcome = check_bytes(bytes, Limits::default(), &what.chars().take(300).collect::<String>())?;
        if let Ok(mut s) = stats.lock() {
            match outcome {
                Outcome::Tables => s.0 += 1,
                Outcome::Refused(ImportError::NoTable { .. }) => s.1 += 1,
                Outcome::Refused(_) => s.2 += 1,
            }
        }
        Ok(())
    });
    let (read, no_table, refused) = stats.into_inner().unwrap();
    println!("mutated workbooks: {read} with a ledger table, {no_table} read without one, {refused} refused ({cases} cases)");
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// Random sheets.

#[derive(Debug, Clone)]
enum Value {
    Number(f64),
    Text(String),
    Bool(bool),
    Formula(String),
    Date(u16, u8, u8),
    Blank,
}

impl Value {
    /// Whether the importer sees a value (a blank or whitespace cell is not one).
    fn is_value(&self) -> bool {
        match self {
            Value::Text(s) => !s.trim().is_empty(),
            Value::Blank => false,
            _ => true,
        }
    }
}

#[derive(Debug, Clone)]
struct RandomSheet {
    name: String,
    cells: Vec<(u32, u16, Value)>,
    merges: Vec<(u32, u16, u32, u16)>,
    header_at: Option<(u32, u16)>,
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => any::<f64>().prop_map(Value::Number),
        8 => "[ a-zA-Z0-9合计日期金额施工单位凭证号备注]{0,40}".prop_map(Value::Text),
        // Up to Excel's cell limit of 32,767 characters; rare, or every case is megabytes.
        1 => prop_oneof![4 => 1usize..2_000, 1 => 32_000usize..32_767].prop_map(|n| Value::Text("长".repeat(n))),
        2 => any::<bool>().prop_map(Value::Bool),
        2 => prop_oneof![Just("=SUM(A1:A3)"), Just("=1/0"), Just("=A1&\"x\""), Just("=NA()"), Just("=XFD1048576")].prop_map(|f| Value::Formula(f.to_string())),
        2 => (1900u16..=9999, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Value::Date(y, m, d)),
        2 => Just(Value::Blank),
    ]
}

/// Rows and columns: mostly small, sometimes near the test caps, sometimes near Excel's limits.
fn row() -> impl Strategy<Value = u32> {
    prop_oneof![6 => 0u32..60, 2 => 990u32..1010, 1 => 1_048_500u32..1_048_576]
}

fn col() -> impl Strategy<Value = u16> {
    prop_oneof![6 => 0u16..12, 2 => 45u16..55, 1 => 16_300u16..16_384]
}

fn sheet() -> impl Strategy<Value = RandomSheet> {
    (
        "[a-zA-Z明细汇总]{1,12}",
        prop::collection::vec((row(), col(), value()), 0..30),
        prop::collection::vec((0u32..50, 0u16..10, 0u32..5, 0u16..5), 0..3),
        prop::option::of((0u32..5, 0u16..4)),
    )
        .prop_map(|(name, cells, merges, header_at)| RandomSheet {
            name,
            cells,
            merges: merges.into_iter().map(|(r, c, h, w)| (r, c, r + h, c + w + 1)).collect(),
            header_at,
        })
}

/// Writes the sheets; returns the bytes and the cells as finally stored (later writes to the
/// same cell win; merged ranges clear the cells they cover except the first).
/// Per sheet, the cells as stored: (row, column, is a number).
type StoredCells = Vec<Vec<(u32, u16, bool)>>;

fn build(sheets: &[RandomSheet]) -> Option<(Vec<u8>, StoredCells)> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let mut wb = Workbook::new();
    let mut stored = Vec::new();
    let mut used_names: Vec<String> = Vec::new();
    for (k, s) in sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        let name = if used_names.iter().any(|n| n.eq_ignore_ascii_case(&s.name)) { format!("{}{k}", s.name) } else { s.name.clone() };
        ws.set_name(&name).ok()?;
        used_names.push(name);
        let mut map: std::collections::BTreeMap<(u32, u16), bool> = std::collections::BTreeMap::new();
        if let Some((r, c)) = s.header_at {
            for (i, h) in ["日期", "凭证号", "施工单位", "金额", "备注"].iter().enumerate() {
                ws.write_string(r, c + i as u16, *h).ok()?;
                map.insert((r, c + i as u16), true);
            }
        }
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (r, c, v) in &s.cells {
            let ok = match v {
                Value::Number(x) if x.is_finite() => ws.write_number(*r, *c, *x).is_ok(),
                Value::Number(_) => ws.write_number(*r, *c, 0.0).is_ok(),
                Value::Text(t) => ws.write_string(*r, *c, t).is_ok(),
                Value::Bool(b) => ws.write_boolean(*r, *c, *b).is_ok(),
                Value::Formula(f) => ws.write_formula(*r, *c, Formula::new(f)).is_ok(),
                Value::Date(y, m, d) => ExcelDateTime::from_ymd(*y, *m, *d).ok().is_some_and(|dt| ws.write_datetime_with_format(*r, *c, &dt, &date).is_ok()),
                Value::Blank => ws.write_blank(*r, *c, &date).is_ok(),
            };
            if ok {
                map.insert((*r, *c), v.is_value());
            }
        }
        for (r1, c1, r2, c2) in &s.merges {
            // Overlapping merges are refused by the writer: skip those.
            if ws.merge_range(*r1, *c1, *r2, *c2, "合并", &Format::new()).is_ok() {
                for r in *r1..=*r2 {
                    for c in *c1..=*c2 {
                        map.insert((r, c), r == *r1 && c == *c1);
                    }
                }
            }
        }
        stored.push(map.into_iter().map(|((r, c), v)| (r, c, v)).collect());
    }
    let bytes = wb.save_to_buffer().ok()?;
    Some((bytes, stored))
}

#[test]
fn random_sheets_obey_the_caps() {
    // Writing and re-reading a workbook costs ~1 s in a debug build (deflate is unoptimised):
    // fewer cases in CI than for the mutations.
    let mut runner = runner(cases_or(16));
    let limits_choice = prop_oneof![Just(Limits::default()), Just(Limits { max_rows: 1000, max_cols: 50, max_cells: 30, ..Limits::default() }),];
    let result = runner.run(&(prop::collection::vec(sheet(), 1..4), limits_choice), |(sheets, limits)| {
        let Some((bytes, stored)) = build(&sheets) else { return Ok(()) };
        let over = stored.iter().any(|cells| {
            let values: Vec<_> = cells.iter().filter(|(_, _, v)| *v).collect();
            values.len() as u64 > limits.max_cells || values.iter().any(|(r, c, _)| *r >= limits.max_rows || u32::from(*c) >= limits.max_cols)
        });
        let outcome = check_bytes(bytes, limits, &format!("{} random sheet(s)", sheets.len()))?;
        match outcome {
            Outcome::Refused(ImportError::TooLarge(msg)) => prop_assert!(over, "refused as too large but within the caps: {}", msg),
            Outcome::Refused(e) => {
                prop_assert!(!over, "a value past the caps must be refused as too large, got {:?}", e);
                prop_assert!(matches!(e, ImportError::NoTable { .. }), "a sound workbook is only refused for lacking the table: {:?}", e);
            }
            Outcome::Tables => prop_assert!(!over, "a value past the caps was read"),
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// Bombs.

fn xlsx_parts(sheet_xml: &str, shared: &str) -> Vec<(String, Vec<u8>)> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let wb = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="明细" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_xml}</worksheet>"#
    );
    let sst = format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{shared}</sst>"#);
    [
        ("[Content_Types].xml", ct.to_string()),
        ("_rels/.rels", rels.into()),
        ("xl/workbook.xml", wb.into()),
        ("xl/_rels/workbook.xml.rels", wb_rels.into()),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", sst),
    ]
    .into_iter()
    .map(|(n, b)| (n.to_string(), b.into_bytes()))
    .collect()
}

/// Peak resident memory of this process (Linux), to show the bombs were not expanded.
fn peak_rss_mb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb / 1024)
}

#[test]
fn bombs_are_refused_before_memory_runs_out() {
    let limits = Limits { max_uncompressed_bytes: 16 * 1024 * 1024, ..Limits::default() };
    let header = r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row></sheetData>"#;

    // 1. Shared strings that inflate to 64 MB from a few tens of KB.
    let blob = "<si><t>日期</t></si><si><t>施工单位</t></si><si><t>金额</t></si>".to_string() + &format!("<si><t>{}</t></si>", "A".repeat(64 * 1024 * 1024));
    let bomb = rezip(&xlsx_parts(header, &blob));
    assert!(bomb.len() < 1024 * 1024, "the bomb is small on disk: {} bytes", bomb.len());
    match check_bytes(bomb, limits, "shared-strings bomb").unwrap() {
        Outcome::Refused(ImportError::TooLarge(m)) => assert!(m.contains("16 MB"), "{m}"),
        other => panic!("shared-strings bomb: {other:?}"),
    }

    // 2. The same bomb with the zip headers lying: the declared sizes say 100 bytes.
    let blob = "<si><t>日期</t></si>".to_string() + &format!("<si><t>{}</t></si>", "B".repeat(40 * 1024 * 1024));
    let mut liar = rezip(&xlsx_parts(header, &blob));
    let big = u32::try_from(blob.len()).unwrap();
    // Uncompressed-size fields hold a value between the real size and real size + 200 (the
    // XML prolog); overwrite any little-endian u32 in that window.
    let mut patched = 0;
    for i in 0..liar.len().saturating_sub(4) {
        let v = u32::from_le_bytes([liar[i], liar[i + 1], liar[i + 2], liar[i + 3]]);
        if v >= big && v < big + 400 {
            liar[i..i + 4].copy_from_slice(&100u32.to_le_bytes());
            patched += 1;
        }
    }
    assert!(patched >= 1, "found the declared size to falsify");
    match check_bytes(liar, limits, "lying zip").unwrap() {
        Outcome::Refused(ImportError::TooLarge(_) | ImportError::Corrupt(_)) => {}
        other => panic!("lying zip: {other:?}"),
    }

    // 3. More zip entries than any workbook has.
    let mut many = xlsx_parts(header, "<si><t>日期</t></si>");
    many.extend((0..10_001).map(|i| (format!("xl/media/x{i}.bin"), Vec::new())));
    match check_bytes(rezip(&many), Limits::default(), "ten thousand entries").unwrap() {
        Outcome::Refused(ImportError::TooLarge(m)) => assert!(m.contains("10000"), "{m}"),
        other => panic!("many entries: {other:?}"),
    }

    // 4. A tall sheet written row by row (small on disk): refused at the row cap, while
    //    streaming (a 20,000-row cap keeps the debug-build case short; the default is 200,000).
    let rows: String = (1..=21_000).map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>1</v></c></row>"#)).collect();
    let tall = rezip(&xlsx_parts(&format!("<sheetData>{rows}</sheetData>"), ""));
    match check_bytes(tall, Limits { max_rows: 20_000, ..Limits::default() }, "tall sheet").unwrap() {
        Outcome::Refused(ImportError::TooLarge(m)) => assert!(m.contains("20000 行"), "{m}"),
        other => panic!("tall sheet: {other:?}"),
    }
    if let Some(mb) = peak_rss_mb() {
        println!("peak resident memory of the test process: {mb} MB");
        assert!(mb < 1500, "the bombs were not expanded in memory: peak {mb} MB");
    }
}
