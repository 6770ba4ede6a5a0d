//! What kind of file is this, and is it safe to hand to calamine?
//!
//! The type is decided by the content, not the extension: people rename files, WPS saves `.et`
//! as xlsx, web systems export HTML tables named `.xls`. Checks done here, before any parsing:
//! * file size against [`Limits::max_file_bytes`] (and the smaller `.xls` cap);
//! * zip (xlsx/xlsm/xlsb/ods): entry count, each entry's and the total uncompressed size —
//!   both as declared AND as actually inflated, because declared sizes in a hostile zip lie;
//! * OLE compound files: an `EncryptedPackage` stream means a password-protected xlsx
//!   (Office wraps encrypted OOXML in OLE); a `Workbook`/`Book` stream means BIFF `.xls`.
//!
//! The whole file is read into memory once (it is capped), so what was checked is exactly
//! what gets parsed.

use super::{ImportError, Limits};
use std::io::{Cursor, Read};
use std::path::Path;

/// Workbook formats we parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Office Open XML (`.xlsx`, `.xlsm`, WPS `.et` saved as xlsx).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// BIFF (`.xls`, Excel 97–2003).
    Xls,
    /// Delimited text (`.csv`, `.txt`), recognised by its extension once it is neither a zip,
    /// an OLE file nor a web page ([`super::csv`]).
    Csv,
}

/// More zip entries than any real workbook has; a million tiny entries would make the
/// per-entry checks (and calamine's lookups) slow.
const MAX_ZIP_ENTRIES: usize = 10_000;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Read the file (capped), decide its kind and run the safety checks.
pub fn load(path: &Path, limits: &Limits) -> Result<(Kind, Vec<u8>), ImportError> {
    let file = std::fs::File::open(path).map_err(|e| ImportError::Io(io_reason(&e)))?;
    // Read at most cap + 1 bytes: the metadata length could change under us, the read can't lie.
    let mut bytes = Vec::new();
    file.take(limits.max_file_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| ImportError::Io(io_reason(&e)))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ImportError::TooLarge(format!("文件超过 {} 的上限", human_bytes(limits.max_file_bytes))));
    }
    let text_ext = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
    let kind = match classify(&bytes, limits) {
        // A .csv/.txt that is no workbook is read as text, unless it is a web page or XML
        // (told apart by what the bytes are, not by the words of the error).
        Err(ImportError::NotAWorkbook(_)) if text_ext && !bytes.is_empty() && !is_markup(&bytes) => Kind::Csv,
        other => other?,
    };
    Ok((kind, bytes))
}

/// Decide the kind of `bytes` and check them against the caps.
pub fn classify(bytes: &[u8], limits: &Limits) -> Result<Kind, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::NotAWorkbook("文件是空的".into()));
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) {
        return check_zip(bytes, limits);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return classify_ole(bytes, limits);
    }
    Err(ImportError::NotAWorkbook(guess_text_kind(bytes)))
}

fn check_zip(bytes: &[u8], limits: &Limits) -> Result<Kind, ImportError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ImportError::Corrupt(format!("压缩包结构错误：{e}")))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(ImportError::TooLarge(format!("压缩包内文件超过 {MAX_ZIP_ENTRIES} 个")));
    }
    let too_big = |what: String| ImportError::TooLarge(format!("{what}解压后超过 {} 的上限", human_bytes(limits.max_uncompressed_bytes)));
    let mut names = Vec::with_capacity(zip.len());
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| ImportError::Corrupt(format!("压缩包条目错误：{e}")))?;
        declared = declared.saturating_add(f.size());
        if f.size() > limits.max_uncompressed_bytes {
            return Err(too_big(format!("「{}」", f.name())));
        }
        names.push(f.name().to_string());
    }
    if declared > limits.max_uncompressed_bytes {
        return Err(too_big("文件内容".into()));
    }
    // Paths are compared normalised: some writers store `xl\\workbook.xml` (calamine copes).
    let norm: Vec<String> = names.iter().map(|n| n.replace('\\', "/").trim_start_matches('/').to_lowercase()).collect();
    let has = |n: &str| norm.iter().any(|x| x == n);
    let ends = |n: &str| norm.iter().any(|x| x.ends_with(n));
    let kind = if has("content.xml") && has("mimetype") {
        return Err(ImportError::Unsupported("OpenDocument (.ods)".into()));
    } else if has("word/document.xml") {
        return Err(ImportError::NotAWorkbook("这是 Word 文档".into()));
    } else if ends("workbook.bin") {
        Kind::Xlsb
    } else if ends("workbook.xml") {
        // Usually xl/workbook.xml; calamine follows _rels/.rels to wherever it really is.
        Kind::Xlsx
    } else {
        return Err(ImportError::NotAWorkbook("压缩包里没有 Excel 工作簿".into()));
    };
    // Inflate everything once into a counting sink: a lying size in the zip headers is caught
    // here, before calamine loads shared strings or styles into memory.
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| ImportError::Corrupt(format!("压缩包条目错误：{e}")))?;
        let name = f.name().to_string();
        let budget = limits.max_uncompressed_bytes.saturating_sub(total).saturating_add(1);
        let n = std::io::copy(&mut (&mut f).take(budget), &mut std::io::sink()).map_err(|e| ImportError::Corrupt(format!("「{name}」解压失败：{e}")))?;
        total = total.saturating_add(n);
        if total > limits.max_uncompressed_bytes {
            return Err(too_big("文件内容".into()));
        }
    }
    Ok(kind)
}

fn classify_ole(bytes: &[u8], limits: &Limits) -> Result<Kind, ImportError> {
    // Stream names live in the OLE directory as UTF-16LE; a byte search is enough to tell
    // the two kinds apart without parsing the compound file ourselves.
    if contains_utf16(bytes, "EncryptedPackage") || contains_utf16(bytes, "EncryptionInfo") {
        return Err(ImportError::PasswordProtected);
    }
    if contains_utf16(bytes, "Workbook") || contains_utf16(bytes, "Book") {
        if bytes.len() as u64 > limits.max_xls_file_bytes {
            return Err(ImportError::TooLarge(format!(".xls 文件超过 {} 的上限（请另存为 .xlsx）", human_bytes(limits.max_xls_file_bytes))));
        }
        return Ok(Kind::Xls);
    }
    if contains_utf16(bytes, "WordDocument") {
        return Err(ImportError::NotAWorkbook("这是 Word 文档".into()));
    }
    Err(ImportError::NotAWorkbook("文件里没有 Excel 工作簿".into()))
}

/// Case-insensitive search for an ASCII name stored as UTF-16LE (some writers spell the BIFF
/// stream `WORKBOOK`).
fn contains_utf16(hay: &[u8], needle: &str) -> bool {
    let pat: Vec<u8> = needle.bytes().flat_map(|b| [b.to_ascii_lowercase(), 0]).collect();
    hay.windows(pat.len()).any(|w| w.iter().zip(&pat).all(|(h, p)| h.to_ascii_lowercase() == *p))
}

/// A helpful reason for a non-workbook: HTML and CSV named `.xls` are common exports of web
/// systems, and the fix (open and save as .xlsx) is easy once the user knows.
/// What a file that is neither a zip nor an OLE container looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextKind {
    Html,
    Xml,
    Delimited,
    Unknown,
}

fn text_kind(bytes: &[u8]) -> TextKind {
    let head = &bytes[..bytes.len().min(2048)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    if text.contains("<html") || text.contains("<table") || text.contains("<!doctype") {
        TextKind::Html
    } else if text.contains("<?xml") {
        TextKind::Xml
    } else if text.lines().next().is_some_and(|l| l.contains(',') || l.contains('\t')) {
        TextKind::Delimited
    } else {
        TextKind::Unknown
    }
}

/// A web page or an XML file (not a container: those are judged by their contents).
fn is_markup(bytes: &[u8]) -> bool {
    let container = bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) || bytes.starts_with(OLE_MAGIC);
    !container && matches!(text_kind(bytes), TextKind::Html | TextKind::Xml)
}

fn guess_text_kind(bytes: &[u8]) -> String {
    match text_kind(bytes) {
        TextKind::Html => "这是网页（HTML）格式的表格，请用 Excel 或 WPS 打开后另存为 .xlsx".into(),
        TextKind::Xml => "这是 XML 文件（可能是 Excel 2003 XML），请用 Excel 或 WPS 打开后另存为 .xlsx".into(),
        TextKind::Delimited => "这像是文本（CSV）文件，请用 Excel 或 WPS 打开后另存为 .xlsx".into(),
        TextKind::Unknown => "无法识别的文件类型".into(),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限（文件可能正被 Excel 或 WPS 打开）".into(),
        _ => e.to_string(),
    }
}

pub(crate) fn human_bytes(n: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if n >= MB {
        format!("{} MB", n / MB)
    } else if n >= 1024 {
        format!("{} KB", n / 1024)
    } else {
        format!("{n} 字节")
    }
}
