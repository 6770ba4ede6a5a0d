//! Money as integer fen (分): [`Fen`].
//!
//! Money is never an `f64` in storage or arithmetic: 0.29 × 100 is 28.999… in binary floating
//! point, so a ledger summed in floats drifts by a fen here and there. Every amount is an `i64`
//! count of fen; arithmetic is checked (an overflow is a refused value, never a wrap).
//!
//! Two ways in from the outside world:
//! * [`Fen::parse_text`] — what people type or what Excel stores as text: `1,234.56`,
//!   `¥1234.5`, `1234.56元`, full-width `１２３４．５６`, negatives as `-100` or `(100)`.
//!   More than two decimals, Chinese numerals and garbage are refused with a short Chinese reason.
//! * [`Fen::from_f64_cell`] — a numeric spreadsheet cell: `(x * 100).round()`, never truncation.
//!
//! ```
//! use desk_domain::money::Fen;
//! let f = Fen::parse_text("¥1,234.5").unwrap();
//! assert_eq!(f, Fen(123_450));
//! assert_eq!(f.to_string(), "¥1,234.50");
//! assert_eq!(f.to_plain(), "1234.50");
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in fen (1 元 = 100 分). Serialised as a plain integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(transparent)]
#[ts(export, type = "number")]
pub struct Fen(pub i64);

/// Largest magnitude accepted from a float cell, in yuan. Far above any real contract (10 万亿元)
/// and far below where `f64` stops representing whole fen exactly (2^53 fen ≈ 9e13 yuan).
const MAX_CELL_YUAN: f64 = 1e13;

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Whole yuan → fen; `None` on overflow.
    pub fn from_yuan(yuan: i64) -> Option<Fen> {
        yuan.checked_mul(100).map(Fen)
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    pub fn checked_neg(self) -> Option<Fen> {
        self.0.checked_neg().map(Fen)
    }

    /// Sum of many amounts; `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Fen>>(items: I) -> Option<Fen> {
        items.into_iter().try_fold(Fen::ZERO, Fen::checked_add)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The value in yuan as a float — ONLY for a display cell (e.g. an Excel number cell with a
    /// money format); never compute with it.
    pub fn as_yuan_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Plain form without symbol or separators: `1234.56`, `-0.05`.
    pub fn to_plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        // unsigned_abs: i64::MIN has no positive i64 counterpart.
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// Parse an amount written as text. See the module docs for the accepted forms.
    pub fn parse_text(input: &str) -> Result<Fen, String> {
        let s: String = input.chars().map(to_half_width).filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return Err("金额为空".into());
        }
        if s.chars().any(is_chinese_numeral) {
            return Err("金额请用阿拉伯数字填写".into());
        }
        let garbage = || format!("无法识别的金额「{}」", input.trim());
        // Accounting negative: (100) — Excel/WPS "会计专用" format pasted as text.
        let (mut neg, mut body) = match s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            Some(inner) => (true, inner),
            None => (false, s.as_str()),
        };
        // The sign may stand before or after the currency symbol: -¥100, ¥-100.
        let mut take_minus = |b: &mut &str| -> Result<(), String> {
            if let Some(rest) = b.strip_prefix('-') {
                if neg {
                    return Err(garbage());
                }
                neg = true;
                *b = rest;
            }
            Ok(())
        };
        take_minus(&mut body)?;
        for prefix in ["¥", "RMB", "CNY", "rmb", "cny"] {
            if let Some(rest) = body.strip_prefix(prefix) {
                body = rest;
                break;
            }
        }
        take_minus(&mut body)?;
        for suffix in ["人民币元", "元", "RMB", "CNY"] {
            if let Some(rest) = body.strip_suffix(suffix) {
                body = rest;
                break;
            }
        }
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(garbage());
        }
        if !frac_part.chars().all(|c| c.is_ascii_digit()) {
            return Err(garbage());
        }
        if frac_part.len() > 2 {
            return Err("金额最多两位小数".into());
        }
        let digits = strip_thousands(int_part).ok_or_else(garbage)?;
        let too_big = || "金额过大".to_string();
        let yuan: i64 = if digits.is_empty() {
            0
        } else {
            // Only ASCII digits remain here, so a parse error can only be an overflow.
            digits.parse().map_err(|_| too_big())?
        };
        let frac: i64 = match frac_part.len() {
            0 => 0,
            // Digits checked above; at most 2 of them.
            1 => frac_part.parse::<i64>().map_err(|_| garbage())? * 10,
            _ => frac_part.parse::<i64>().map_err(|_| garbage())?,
        };
        let fen = yuan.checked_mul(100).and_then(|v| v.checked_add(frac)).ok_or_else(too_big)?;
        Ok(Fen(if neg { -fen } else { fen }))
    }

    /// A numeric spreadsheet cell (in yuan) → fen, rounding to the nearest fen.
    pub fn from_f64_cell(x: f64) -> Result<Fen, String> {
        if !x.is_finite() {
            return Err("金额不是有效数字".into());
        }
        if x.abs() > MAX_CELL_YUAN {
            return Err("金额过大".into());
        }
        // In range by the guard above, so the cast cannot saturate (and -0.0 casts to 0).
        Ok(Fen((x * 100.0).round() as i64))
    }
}

impl fmt::Display for Fen {
    /// `¥1,234.56`, `-¥0.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let yuan = (abs / 100).to_string();
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}¥{grouped}.{:02}", abs % 100)
    }
}

/// Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space → half-width; also the
/// full-width yen sign and the Unicode minus, which Chinese input methods produce.
pub(crate) fn to_half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FFE5}' => '¥',
        '\u{2212}' => '-',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn is_chinese_numeral(c: char) -> bool {
    "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟整角分".contains(c)
}

/// "1,234,567" → "1234567". Commas must group by three (a comma elsewhere is a typo, or a
/// European decimal comma — either way the value is uncertain, so refuse).
fn strip_thousands(int_part: &str) -> Option<String> {
    if !int_part.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    if !int_part.contains(',') {
        return Some(int_part.to_string());
    }
    let groups: Vec<&str> = int_part.split(',').collect();
    let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()));
    if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    Some(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> i64 {
        match Fen::parse_text(s) {
            Ok(f) => f.0,
            Err(e) => panic!("{s:?} refused: {e}"),
        }
    }
    fn err(s: &str) -> String {
        match Fen::parse_text(s) {
            Ok(f) => panic!("{s:?} accepted as {f:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn parse_plain_and_separators() {
        assert_eq!(ok("1234.56"), 123_456);
        assert_eq!(ok("1,234.56"), 123_456);
        assert_eq!(ok("1,234,567"), 123_456_700);
        assert_eq!(ok("0.29"), 29);
        assert_eq!(ok("12."), 1200);
        assert_eq!(ok(".5"), 50);
        assert_eq!(ok("0"), 0);
    }

    #[test]
    fn parse_currency_marks() {
        assert_eq!(ok("¥1234.5"), 123_450);
        assert_eq!(ok("￥1,234.50"), 123_450);
        assert_eq!(ok("1234.56元"), 123_456);
        assert_eq!(ok(" ¥ 1 234.56 元 "), 123_456);
        assert_eq!(ok("RMB100"), 10_000);
    }

    #[test]
    fn parse_full_width() {
        assert_eq!(ok("１２３４．５６"), 123_456);
        assert_eq!(ok("１，２３４．５"), 123_450);
        assert_eq!(ok("（１００）"), -10_000);
        assert_eq!(ok("－５"), -500);
    }

    #[test]
    fn parse_negatives() {
        assert_eq!(ok("-100"), -10_000);
        assert_eq!(ok("(100)"), -10_000);
        assert_eq!(ok("（100.5）"), -10_050);
        assert_eq!(ok("-¥100"), -10_000);
        assert_eq!(ok("¥-100"), -10_000);
        assert_eq!(ok("-0"), 0);
    }

    #[test]
    fn refuse_three_decimals() {
        assert_eq!(err("12.345"), "金额最多两位小数");
    }

    #[test]
    fn refuse_chinese_numerals() {
        assert_eq!(err("十二元"), "金额请用阿拉伯数字填写");
        assert_eq!(err("壹佰元整"), "金额请用阿拉伯数字填写");
    }

    #[test]
    fn refuse_empty_and_garbage() {
        assert_eq!(err(""), "金额为空");
        assert_eq!(err("   "), "金额为空");
        assert!(err("abc").contains("无法识别"));
        assert!(err("¥").contains("无法识别"));
        assert!(err("1.2.3").contains("无法识别"));
        assert!(err("12,34").contains("无法识别"));
        assert!(err("(-100)").contains("无法识别"));
        assert!(err("--5").contains("无法识别"));
        assert!(err("1e5").contains("无法识别"));
    }

    #[test]
    fn refuse_overflow() {
        assert_eq!(err("99999999999999999999"), "金额过大");
        assert_eq!(ok("92233720368547758.07"), i64::MAX);
        assert_eq!(err("92233720368547758.08"), "金额过大");
    }

    #[test]
    fn float_cells_round_not_truncate() {
        assert_eq!(Fen::from_f64_cell(0.29), Ok(Fen(29)));
        assert_eq!(Fen::from_f64_cell(1234.56), Ok(Fen(123_456)));
        assert_eq!(Fen::from_f64_cell(-0.001), Ok(Fen(0)));
        assert_eq!(Fen::from_f64_cell(-12.5), Ok(Fen(-1250)));
        assert!(Fen::from_f64_cell(f64::NAN).is_err());
        assert!(Fen::from_f64_cell(f64::INFINITY).is_err());
        assert!(Fen::from_f64_cell(2e13).is_err());
    }

    #[test]
    fn display_forms() {
        assert_eq!(Fen(123_456).to_string(), "¥1,234.56");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(-123_456_789).to_string(), "-¥1,234,567.89");
        assert_eq!(Fen(100_000).to_string(), "¥1,000.00");
        assert_eq!(Fen(123_456).to_plain(), "1234.56");
        assert_eq!(Fen(-5).to_plain(), "-0.05");
        assert_eq!(Fen(i64::MIN).to_plain(), "-92233720368547758.08");
    }

    #[test]
    fn checked_arithmetic() {
        assert_eq!(Fen(1).checked_add(Fen(2)), Some(Fen(3)));
        assert_eq!(Fen(i64::MAX).checked_add(Fen(1)), None);
        assert_eq!(Fen(i64::MIN).checked_sub(Fen(1)), None);
        assert_eq!(Fen::checked_sum([Fen(10), Fen(-3)]), Some(Fen(7)));
        assert_eq!(Fen::from_yuan(12), Some(Fen(1200)));
    }
}
