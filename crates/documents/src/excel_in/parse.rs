//! Pure cell parsers: [`CellValue`] → typed value, or a short Chinese reason.
//!
//! calamine only recognises a date by the cell's number format and returns everything typed as
//! text as a string, so each parser accepts every form real ledgers use (serial numbers, text
//! dates in five spellings, amounts with ¥/元/separators/full-width digits). An empty cell is an
//! error (`不能为空`) — callers check [`CellValue::is_empty`] first for optional columns.
//! The reasons are meant to follow "第 12 行 C 列（日期）：" in a [`super::CellError`].

use super::header::half_width;
use super::CellValue;
use chrono::{Datelike, NaiveDate};
use desk_domain::money::Fen;

const EMPTY: &str = "不能为空";

/// Excel column letter of a 0-based column index: 0 → `A`, 26 → `AA`.
pub fn column_letter(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Text of a cell, trimmed; Excel's `_x000D_` escapes and stray `\r` removed. Numbers are
/// written without a trailing `.0` (a contract number typed as a number stays `12345`).
pub fn parse_text(cell: &CellValue) -> Result<String, String> {
    let s = match cell {
        CellValue::Empty => return Err(EMPTY.into()),
        CellValue::Text(s) => s.replace("_x000D_", "").replace('\r', "").trim().to_string(),
        CellValue::Int(i) => i.to_string(),
        CellValue::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        CellValue::Number(x) => x.to_string(),
        CellValue::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        CellValue::DateTime(dt) if dt.time() == chrono::NaiveTime::MIN => dt.date().to_string(),
        CellValue::DateTime(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
        CellValue::Error(e) => return Err(format!("单元格是错误值 {e}")),
    };
    if s.is_empty() {
        Err(EMPTY.into())
    } else {
        Ok(s)
    }
}

/// An amount in fen: numbers via `(x × 100).round()`, text via [`Fen::parse_text`].
pub fn parse_fen(cell: &CellValue) -> Result<Fen, String> {
    match cell {
        CellValue::Empty => Err(EMPTY.into()),
        CellValue::Int(i) => Fen::from_yuan(*i).ok_or_else(|| "金额过大".into()),
        CellValue::Number(x) => Fen::from_f64_cell(*x),
        CellValue::Text(s) => Fen::parse_text(s).map_err(|e| if e.starts_with("无法识别") { e } else { format!("{e}「{}」", s.trim()) }),
        CellValue::Bool(_) => Err("这里应填金额，不是是/否".into()),
        CellValue::DateTime(_) => Err("这里应填金额，单元格却是日期格式".into()),
        CellValue::Error(e) => Err(format!("单元格是错误值 {e}")),
    }
}

/// A whole number (counts, 序号). `12.0` is accepted, `12.5` is not.
pub fn parse_int(cell: &CellValue) -> Result<i64, String> {
    match cell {
        CellValue::Empty => Err(EMPTY.into()),
        CellValue::Int(i) => Ok(*i),
        // |x| < 2^53: every such whole f64 is an exact i64.
        CellValue::Number(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Ok(*x as i64),
        CellValue::Number(x) => Err(format!("应为整数，实为 {x}")),
        CellValue::Text(s) => {
            let t: String = s.chars().map(half_width).filter(|c| !c.is_whitespace() && *c != ',').collect();
            t.parse::<i64>().map_err(|_| format!("无法识别的整数「{}」", s.trim()))
        }
        CellValue::Bool(_) | CellValue::DateTime(_) => Err("应为整数".into()),
        CellValue::Error(e) => Err(format!("单元格是错误值 {e}")),
    }
}

/// A business date. Accepts a date-formatted cell, an Excel serial number (1900 date system,
/// including Excel's phantom 1900-02-29), a number like 20240305, and text `2024-03-05`,
/// `2024/3/5`, `2024.3.5`, `2024年3月5日`, `20240305` (a time part after a space is ignored).
pub fn parse_date(cell: &CellValue) -> Result<NaiveDate, String> {
    match cell {
        CellValue::Empty => Err(EMPTY.into()),
        CellValue::DateTime(dt) => Ok(dt.date()),
        CellValue::Int(i) => date_from_number(*i as f64),
        CellValue::Number(x) => date_from_number(*x),
        CellValue::Text(s) => parse_date_text(s),
        CellValue::Bool(_) => Err("这里应填日期".into()),
        CellValue::Error(e) => Err(format!("日期无效：{e}")),
    }
}

/// Plausible serials for a business date of the desk: 1950-01-01 (18264) … 2199-12-31 (110575).
/// A bare number outside is far more likely a typo (a year `2024`, an amount) than a date.
const SERIAL_MIN: f64 = 18_264.0;
const SERIAL_MAX: f64 = 110_576.0;

fn date_from_number(x: f64) -> Result<NaiveDate, String> {
    if !x.is_finite() {
        return Err("日期无效".into());
    }
    // 20240305 typed as a number.
    if (19_000_101.0..=99_991_231.0).contains(&x) && x.fract() == 0.0 {
        let n = x as u32;
        return NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100).ok_or_else(|| format!("无法识别的日期「{n}」"));
    }
    let serial = x.floor();
    if !(SERIAL_MIN..SERIAL_MAX).contains(&serial) {
        return Err(format!("数字「{x}」不像日期"));
    }
    excel_serial_to_date(serial as i64).ok_or_else(|| format!("无法识别的日期「{x}」"))
}

/// Excel 1900 date system. Excel counts 1900-02-29 (serial 60), which never existed, so
/// serials from 61 on are one day ahead of a plain count from 1899-12-31.
pub fn excel_serial_to_date(serial: i64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 31)?;
    match serial {
        1..=59 => base.checked_add_days(chrono::Days::new(serial as u64)),
        60 => None,
        61..=2_958_465 => base.checked_add_days(chrono::Days::new(serial as u64 - 1)),
        _ => None,
    }
}

fn parse_date_text(raw: &str) -> Result<NaiveDate, String> {
    let bad = || format!("无法识别的日期「{}」", raw.trim());
    let s: String = raw.replace("_x000D_", "").chars().map(half_width).collect();
    let s = s.trim();
    // Drop a time part: "2024-03-05 10:30", "2024-03-05T10:30:00".
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: u32 = s.parse().map_err(|_| bad())?;
        return NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100).ok_or_else(bad);
    }
    let s = s.trim_end_matches(['日', '号']).replace(['年', '月'], "-");
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad());
    }
    // Year first only: 5/3/2024 could be March or May, and guessing a ledger date is worse
    // than asking.
    if parts[0].len() != 4 || parts[1].len() > 2 || parts[2].len() > 2 {
        return Err(bad());
    }
    let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
    let date = NaiveDate::from_ymd_opt(num(parts[0])? as i32, num(parts[1])?, num(parts[2])?).ok_or_else(bad)?;
    debug_assert!(date.year() >= 1000);
    Ok(date)
}

/// Phone numbers of a cell: several may be separated by `、,，/;；` or spaces. A Chinese
/// mobile is 11 digits starting with 1 (`+86`/`86` prefix dropped); a landline is an area code
/// starting with 0 plus 7–8 digits (`010-12345678`, `0571 87654321`), optional `-ext`.
pub fn parse_phone_list(cell: &CellValue) -> Result<Vec<String>, String> {
    let text = match cell {
        // A mobile typed as a number: 13812345678.0.
        CellValue::Number(x) if x.fract() == 0.0 && *x > 0.0 && *x < 1e15 => format!("{x:.0}"),
        CellValue::Int(i) => i.to_string(),
        other => parse_text(other)?,
    };
    let text: String = text.chars().map(half_width).collect();
    // Spaces separate phones, but also groups inside one phone: join those back.
    let mut pieces: Vec<String> = Vec::new();
    for piece in text.split(['、', ',', '，', '/', ';', '；', '\n', ' ', '\t']) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        match pieces.last_mut() {
            // "+86 138…" and a mobile written in groups "138 1234 5678" are one number.
            Some(prev)
                if piece.bytes().all(|b| b.is_ascii_digit())
                    && (prev == "+86" || (prev.starts_with('1') && prev.len() < 11 && prev.bytes().all(|b| b.is_ascii_digit()))) =>
            {
                prev.push_str(piece);
            }
            Some(prev) if is_area_code(prev) && piece.bytes().all(|b| b.is_ascii_digit()) => {
                prev.push('-');
                prev.push_str(piece);
            }
            _ => pieces.push(piece.to_string()),
        }
    }
    if pieces.is_empty() {
        return Err(EMPTY.into());
    }
    pieces.iter().map(|p| normalize_phone(p)).collect()
}

fn is_area_code(s: &str) -> bool {
    let d = s.trim_start_matches('(').trim_end_matches(')');
    d.starts_with('0') && (3..=4).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit())
}

fn normalize_phone(p: &str) -> Result<String, String> {
    let bad = || format!("无法识别的电话号码「{p}」");
    let cleaned: String = p.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
    if cleaned.len() != p.chars().filter(|c| !"()+（）".contains(*c)).count() {
        return Err(bad());
    }
    let digits: String = cleaned.chars().filter(char::is_ascii_digit).collect();
    let mobile = digits.strip_prefix("86").filter(|d| d.len() == 11 && p.trim_start().starts_with(['+', '8'])).unwrap_or(&digits);
    if mobile.len() == 11 && mobile.starts_with('1') && !cleaned.starts_with('0') {
        return Ok(mobile.to_string());
    }
    // A local landline without area code: 7–8 digits not starting with 0 or 1.
    if cleaned == digits && (7..=8).contains(&digits.len()) && !digits.starts_with(['0', '1']) {
        return Ok(digits);
    }
    // Landline: 0 + 2–3 digit area code + 7–8 digit number (+ optional extension).
    let mut parts = cleaned.split('-');
    let first = parts.next().unwrap_or_default();
    let (area, number) = if first.len() >= 10 && cleaned.matches('-').count() == 0 {
        // "01012345678": split the area code off by its known lengths.
        let area_len = if first.starts_with("01") || first.starts_with("02") { 3 } else { 4 };
        (first[..area_len].to_string(), first[area_len..].to_string())
    } else {
        (first.to_string(), parts.next().unwrap_or_default().to_string())
    };
    let ext = parts.next();
    let ok = area.starts_with('0')
        && (3..=4).contains(&area.len())
        && (7..=8).contains(&number.len())
        && !number.starts_with('0')
        && parts.next().is_none()
        && ext.is_none_or(|e| !e.is_empty() && e.len() <= 6);
    if !ok {
        return Err(bad());
    }
    Ok(match ext {
        Some(e) => format!("{area}-{number}-{e}"),
        None => format!("{area}-{number}"),
    })
}
