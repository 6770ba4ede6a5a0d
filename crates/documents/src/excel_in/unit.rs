//! Money units of a sheet or a column (`单位：万元`, `金额(千元)`) and the exact scaling of an
//! amount cell to fen.
//!
//! A ledger in 万元 read as yuan is 10,000 times too small with nothing looking wrong, so the
//! unit is looked for in the lines above the header and in each header cell, and every amount is
//! scaled with integers: the cell's decimal digits are read as written (a number cell through
//! its shortest round-trip form, which is what the user typed), never multiplied as a float.
//! 万元 keeps up to 6 decimals (1 fen), 千元 up to 5, 元 up to 2; more digits are refused.
//! Placeholders people type for "nothing" (`-`, `—`, `/`, `无` …) are recognised here too.

use super::header::half_width;
use super::CellValue;
use desk_domain::money::Fen;

/// A money unit: how many fen one unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Unit {
    Yuan,
    Qian,
    Wan,
}

impl Unit {
    /// Fen in one unit.
    pub fn fen(self) -> i64 {
        match self {
            Unit::Yuan => 100,
            Unit::Qian => 100_000,
            Unit::Wan => 1_000_000,
        }
    }
    /// Decimals that still name a whole fen.
    fn decimals(self) -> usize {
        match self {
            Unit::Yuan => 2,
            Unit::Qian => 5,
            Unit::Wan => 6,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::Qian => "千元",
            Unit::Wan => "万元",
        }
    }
}

/// The unit named in a text: `单位：万元`, `金额单位:千元`, `（单位：元）`, `金额(万元)`, `万元`.
/// Only 万元/千元/元 preceded by 单位, an opening bracket or nothing count, so that `施工单位`
/// or `2024年…元旦` name no unit.
pub fn unit_in_text(s: &str) -> Option<Unit> {
    let n: String = s.chars().map(half_width).filter(|c| !c.is_whitespace()).collect();
    for (word, unit) in [("万元", Unit::Wan), ("千元", Unit::Qian), ("元", Unit::Yuan)] {
        let mut from = 0;
        while let Some(pos) = n[from..].find(word) {
            let at = from + pos;
            let before = &n[..at];
            let ok = before.is_empty()
                || before.ends_with("单位:")
                || before.ends_with("单位：")
                || before.ends_with('(')
                || before.ends_with('（')
                || before.ends_with('/')
                || before.ends_with("人民币");
            // `元` inside `万元`/`千元` was handled by the longer word first.
            let inside_longer = word == "元" && (before.ends_with('万') || before.ends_with('千'));
            if ok && !inside_longer {
                return Some(unit);
            }
            from = at + word.len();
        }
    }
    None
}

/// A cell that says "nothing": empty, blank, or one of the placeholders of accounting formats
/// and hand-typed ledgers.
pub fn is_placeholder(cell: &CellValue) -> bool {
    match cell {
        // Placeholders are a few characters: a long text (a name, a summary) is not one, and
        // is answered without allocating (this runs on every text cell of a 100,000-row file).
        CellValue::Text(s) if s.len() > 12 => s.trim().is_empty(),
        // No placeholder has a digit; every date and amount of a CSV (all text) has one.
        CellValue::Text(s) if s.bytes().any(|b| b.is_ascii_digit()) => false,
        CellValue::Text(s) => {
            let t: String = s.chars().map(half_width).filter(|c| !c.is_whitespace()).collect();
            t.is_empty()
                || (t.chars().count() <= 3 && t.chars().all(|c| "-—－–/\\_~·.、".contains(c)))
                || matches!(t.as_str(), "无" | "空" | "/无" | "n/a" | "N/A" | "null" | "NULL")
        }
        other => other.is_empty(),
    }
}

/// An amount cell in `unit` → exact fen. A number cell is read through its shortest decimal
/// form; text may carry ¥, separators, a sign or accounting brackets and a unit suffix (which
/// then wins over the column's unit).
pub fn parse_fen_in(cell: &CellValue, unit: Unit) -> Result<Fen, String> {
    match cell {
        CellValue::Int(i) => i.checked_mul(unit.fen()).map(Fen).ok_or_else(|| "金额过大".into()),
        CellValue::Number(x) => {
            if !x.is_finite() {
                return Err("金额不是有效数字".into());
            }
            // Display of f64 is the shortest form that reads back to the same float, never in
            // exponent notation: the digits the user typed (or a formula produced).
            let text = format!("{x}");
            decimal_to_fen(&text, unit).map_err(|e| {
                if e == TOO_MANY_DECIMALS {
                    format!("金额「{text}」超过 {} 位小数：单位为{}时金额到分为止", unit.decimals(), unit.label())
                } else {
                    e
                }
            })
        }
        CellValue::Text(s) => {
            let t: String = s.chars().map(half_width).filter(|c| !c.is_whitespace()).collect();
            let (body, unit) = strip_unit_suffix(&t, unit);
            decimal_to_fen(body, unit).map_err(|e| {
                if e == TOO_MANY_DECIMALS {
                    format!("金额「{}」超过 {} 位小数：单位为{}时金额到分为止", s.trim(), unit.decimals(), unit.label())
                } else if e.starts_with("无法识别") {
                    format!("无法识别的金额「{}」", s.trim())
                } else {
                    e
                }
            })
        }
        other => super::parse_fen(other),
    }
}

const TOO_MANY_DECIMALS: &str = "too many decimals";

fn strip_unit_suffix(t: &str, unit: Unit) -> (&str, Unit) {
    for (suffix, u) in [("万元", Unit::Wan), ("千元", Unit::Qian), ("人民币元", Unit::Yuan), ("元", Unit::Yuan)] {
        if let Some(rest) = t.strip_suffix(suffix) {
            return (rest, u);
        }
    }
    (t, unit)
}

/// `-1,234.5678` in `unit` → fen, with integers only.
fn decimal_to_fen(t: &str, unit: Unit) -> Result<Fen, String> {
    let garbage = || "无法识别的金额".to_string();
    if t.chars().any(|c| "零一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟".contains(c)) {
        return Err("金额请用阿拉伯数字填写".into());
    }
    let (mut neg, mut body) = match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) => (true, inner),
        None => (false, t),
    };
    for _ in 0..2 {
        if let Some(rest) = body.strip_prefix('-').or_else(|| body.strip_prefix('−')) {
            if neg {
                return Err(garbage());
            }
            neg = true;
            body = rest;
        }
        if let Some(rest) = body.strip_prefix('+') {
            body = rest;
        }
        for prefix in ["¥", "￥", "RMB", "CNY", "rmb", "cny"] {
            if let Some(rest) = body.strip_prefix(prefix) {
                body = rest;
            }
        }
    }
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(garbage());
    }
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(garbage());
    }
    let int_digits: String = if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len())) && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return Err(garbage());
        }
        groups.concat()
    } else {
        int_part.to_string()
    };
    if !int_digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(garbage());
    }
    let frac_trimmed = frac_part.trim_end_matches('0');
    if frac_trimmed.len() > unit.decimals() {
        return Err(TOO_MANY_DECIMALS.into());
    }
    let too_big = || "金额过大".to_string();
    let whole: i64 = if int_digits.is_empty() { 0 } else { int_digits.parse().map_err(|_| too_big())? };
    // frac_trimmed has at most `decimals` digits; pad it to exactly `decimals` and scale down.
    let mut frac: i64 = 0;
    for i in 0..unit.decimals() {
        let d = frac_trimmed.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
        frac = frac * 10 + d;
    }
    // unit.fen() / 10^decimals is 1 for 元/万元 and 1 for 千元 (100,000 / 10^5).
    let fen = whole.checked_mul(unit.fen()).and_then(|v| v.checked_add(frac)).filter(|v| *v <= 1_000_000_000_000_000).ok_or_else(too_big)?;
    Ok(Fen(if neg { -fen } else { fen }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_found_in_lines_and_headers_not_in_words() {
        assert_eq!(unit_in_text("单位：万元"), Some(Unit::Wan));
        assert_eq!(unit_in_text("编制单位：工程部      金额单位:千元"), Some(Unit::Qian));
        assert_eq!(unit_in_text("金额（万元）"), Some(Unit::Wan));
        assert_eq!(unit_in_text("计提(元)"), Some(Unit::Yuan));
        assert_eq!(unit_in_text("施工单位"), None);
        assert_eq!(unit_in_text("2024年元旦"), None);
    }

    #[test]
    fn amounts_scale_exactly() {
        let n = |x: f64, u| parse_fen_in(&CellValue::Number(x), u).map(|f| f.0);
        let t = |s: &str, u| parse_fen_in(&CellValue::Text(s.into()), u).map(|f| f.0);
        assert_eq!(n(12.345678, Unit::Wan), Ok(12_345_678));
        assert_eq!(n(0.1, Unit::Wan), Ok(100_000));
        assert_eq!(n(355.5, Unit::Wan), Ok(355_500_000));
        assert_eq!(n(1.23, Unit::Qian), Ok(123_000));
        assert_eq!(n(0.07, Unit::Yuan), Ok(7));
        assert!(n(1.2345678, Unit::Wan).is_err());
        assert!(n(1.234, Unit::Yuan).is_err());
        assert_eq!(t("1,234.5", Unit::Wan), Ok(1_234_500_000));
        assert_eq!(t("(12.5)", Unit::Wan), Ok(-12_500_000));
        assert_eq!(t("12,500元", Unit::Wan), Ok(1_250_000), "a unit in the cell wins");
        assert_eq!(parse_fen_in(&CellValue::Int(3), Unit::Wan).map(|f| f.0), Ok(3_000_000));
    }

    #[test]
    fn placeholders_mean_nothing() {
        for s in ["-", "—", "/", "－", "——", "无", " ", "--"] {
            assert!(is_placeholder(&CellValue::Text(s.into())), "{s}");
        }
        assert!(!is_placeholder(&CellValue::Text("-5".into())));
        assert!(!is_placeholder(&CellValue::Number(0.0)));
    }
}
