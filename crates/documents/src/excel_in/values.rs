//! What the values under a column look like: dates, money, ticket numbers, vouchers, a
//! direction (借/贷) or plain text.
//!
//! Header words say what a column should be; its values say what it is. Recognition uses them
//! twice ([`super::header`]): to choose between header cells whose words mean the same field
//! (two columns with 日期 in their name: the one holding dates wins), and to doubt a match the
//! values contradict (a column named 金额 whose values are all dates) so the user is asked in
//! the mapping step instead of every row being refused, or worse, read wrong.

use super::header::half_width;
use super::unit::is_placeholder;
use super::CellValue;
use desk_domain::money::Fen;
use std::collections::BTreeMap;

/// The kind of one cell's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValueKind {
    /// A date cell, or text such as `2026-07-03`, `2026年7月3日`, `7月3日`, `07-03`.
    Date,
    /// A number cell, or text of digits only (could be an amount, a serial date, a voucher).
    Number,
    /// Text written as an amount: `1,200.00`, `¥300`, `(50.00)`.
    Money,
    /// A ticket number of the desk or alike: letters, a dash, then digits (`BX-2026-000123`).
    Ticket,
    /// A voucher number: `记-0001`, `记C-0000001`, `银付12`, `记字第12号`.
    Voucher,
    /// 借/贷, 收/付, +/−: the direction of an amount.
    Direction,
    /// Anything else.
    Text,
}

/// The kind of a cell's value; `None` for an empty cell, a placeholder (`-`, `无`) or an error.
pub fn value_kind(cell: &CellValue) -> Option<ValueKind> {
    if cell.is_empty() || is_placeholder(cell) {
        return None;
    }
    match cell {
        CellValue::DateTime(_) => Some(ValueKind::Date),
        CellValue::Int(_) | CellValue::Number(_) => Some(ValueKind::Number),
        CellValue::Bool(_) => Some(ValueKind::Text),
        CellValue::Text(t) => Some(text_kind(t)),
        CellValue::Empty | CellValue::Error(_) => None,
    }
}

fn text_kind(raw: &str) -> ValueKind {
    let s: String = raw.chars().map(half_width).filter(|c| !c.is_whitespace()).collect();
    if matches!(s.as_str(), "借" | "贷" | "收" | "付" | "+" | "−" | "借方" | "贷方" | "收入" | "支出") {
        return ValueKind::Direction;
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        // 20260703 is a date; 12345 could be anything numeric.
        return if s.len() == 8 && super::parse::parse_date(&CellValue::Text(s.clone())).is_ok() { ValueKind::Date } else { ValueKind::Number };
    }
    if is_ticket(&s) {
        return ValueKind::Ticket;
    }
    if is_voucher(&s) {
        return ValueKind::Voucher;
    }
    if is_date_text(&s) {
        return ValueKind::Date;
    }
    if s.chars().any(|c| c.is_ascii_digit()) && Fen::parse_text(&s).is_ok() {
        return ValueKind::Money;
    }
    ValueKind::Text
}

/// `BX-2026-000123`, `BX-X-0000001`: 1–4 ASCII letters, a dash, then letters, digits and dashes
/// with at least four digits.
fn is_ticket(s: &str) -> bool {
    let Some((prefix, rest)) = s.split_once('-') else { return false };
    (1..=4).contains(&prefix.len())
        && prefix.bytes().all(|b| b.is_ascii_alphabetic())
        && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && rest.bytes().filter(u8::is_ascii_digit).count() >= 4
}

/// Vouchers start with their word (记, 收, 付, 转, 银, 现) and carry a number: `记-0001`,
/// `记C-0000001`, `银付12`, `记字第12号`.
fn is_voucher(s: &str) -> bool {
    let starts = ["记", "收", "付", "转", "银", "现"].iter().any(|w| s.starts_with(w));
    starts && s.chars().any(|c| c.is_ascii_digit()) && s.chars().count() <= 20
}

/// A text date with a year (what [`super::parse_date`] reads) or without one (`7月3日`, `07-03`,
/// `7/3`), as department ledgers write them under a title naming the year.
fn is_date_text(s: &str) -> bool {
    if super::parse::parse_date(&CellValue::Text(s.to_string())).is_ok() {
        return true;
    }
    let t = s.trim_end_matches(['日', '号']).replace('月', "-");
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    parts.len() == 2
        && (s.contains('月') || !s.contains('.'))
        && parts.iter().all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
        && matches!(parts[0].parse::<u32>(), Ok(1..=12))
        && matches!(parts[1].parse::<u32>(), Ok(1..=31))
}

/// Which value kinds a field expecting `expected` accepts.
pub fn accepts(expected: ValueKind, actual: ValueKind) -> bool {
    use ValueKind::*;
    match expected {
        // Serial numbers and 20260703 typed as a number are dates too.
        Date => matches!(actual, Date | Number),
        Money | Number => matches!(actual, Money | Number),
        Ticket => actual == Ticket,
        Voucher => matches!(actual, Voucher | Number | Text | Ticket),
        Direction => actual == Direction,
        Text => matches!(actual, Text | Voucher | Ticket | Direction),
    }
}

/// The kinds of the non-empty values of one column, from the first data rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    counts: BTreeMap<ValueKind, u32>,
    total: u32,
}

/// How many values below a header row are looked at.
pub const PROFILE_ROWS: usize = 20;

impl Profile {
    pub fn add(&mut self, cell: &CellValue) {
        if let Some(k) = value_kind(cell) {
            *self.counts.entry(k).or_default() += 1;
            self.total += 1;
        }
    }

    /// Non-empty values seen.
    pub fn total(&self) -> u32 {
        self.total
    }

    /// Share (0–1) of the values a field expecting `expected` accepts; 1 when there are none.
    pub fn fit(&self, expected: ValueKind) -> f64 {
        if self.total == 0 {
            return 1.0;
        }
        let ok: u32 = self.counts.iter().filter(|(k, _)| accepts(expected, **k)).map(|(_, n)| n).sum();
        f64::from(ok) / f64::from(self.total)
    }

    /// The values contradict a field expecting `expected`: at least two values and none of them
    /// fits. Text fields (摘要, 施工单位) take anything and are never contradicted.
    pub fn contradicts(&self, expected: ValueKind) -> bool {
        expected != ValueKind::Text && self.total >= 2 && self.fit(expected) == 0.0
    }

    /// The most common kind, for messages (`日期`).
    pub fn dominant(&self) -> Option<ValueKind> {
        self.counts.iter().max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k))).map(|(k, _)| *k)
    }
}

/// The Chinese word of a kind, for the note that doubts a match.
pub fn kind_label(k: ValueKind) -> &'static str {
    match k {
        ValueKind::Date => "日期",
        ValueKind::Number => "数字",
        ValueKind::Money => "金额",
        ValueKind::Ticket => "报修单号",
        ValueKind::Voucher => "凭证号",
        ValueKind::Direction => "借贷方向",
        ValueKind::Text => "文字",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rstest::rstest;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    #[rstest]
    #[case::iso_date(t("2026-07-03"), Some(ValueKind::Date))]
    #[case::chinese_date(t("2026年7月3日"), Some(ValueKind::Date))]
    #[case::yearless_chinese(t("7月3日"), Some(ValueKind::Date))]
    #[case::yearless_dash(t("07-03"), Some(ValueKind::Date))]
    #[case::compact_date(t("20260703"), Some(ValueKind::Date))]
    #[case::date_cell(CellValue::DateTime(NaiveDate::from_ymd_opt(2026, 7, 3).expect("a date").and_time(chrono::NaiveTime::MIN)), Some(ValueKind::Date))]
    #[case::money_separators(t("1,200.00"), Some(ValueKind::Money))]
    #[case::money_yen(t("¥300"), Some(ValueKind::Money))]
    #[case::money_decimal(t("35.5"), Some(ValueKind::Money))]
    #[case::digits(t("12345"), Some(ValueKind::Number))]
    #[case::number_cell(CellValue::Number(1200.5), Some(ValueKind::Number))]
    #[case::ticket(t("BX-2026-000123"), Some(ValueKind::Ticket))]
    #[case::bench_ticket(t("BX-X-0000001"), Some(ValueKind::Ticket))]
    #[case::voucher_dash(t("记-0001"), Some(ValueKind::Voucher))]
    #[case::voucher_letter(t("记C-0000001"), Some(ValueKind::Voucher))]
    #[case::voucher_word(t("记字第12号"), Some(ValueKind::Voucher))]
    #[case::bank_voucher(t("银付12"), Some(ValueKind::Voucher))]
    #[case::direction_debit(t("借"), Some(ValueKind::Direction))]
    #[case::direction_credit(t("贷方"), Some(ValueKind::Direction))]
    #[case::builder(t("华东建设工程有限公司"), Some(ValueKind::Text))]
    #[case::summary(t("计提保修金"), Some(ValueKind::Text))]
    #[case::contract(t("HT-01"), Some(ValueKind::Text))]
    #[case::placeholder(t("—"), None)]
    #[case::blank(t("  "), None)]
    #[case::error(CellValue::Error("#REF!".into()), None)]
    fn kinds(#[case] cell: CellValue, #[case] kind: Option<ValueKind>) {
        assert_eq!(value_kind(&cell), kind);
    }

    fn profile(cells: &[CellValue]) -> Profile {
        let mut p = Profile::default();
        cells.iter().for_each(|c| p.add(c));
        p
    }

    #[rstest]
    #[case::amount_column_of_dates(&[t("2026-07-03"), t("2026-07-04"), t("7月5日")], ValueKind::Money, true)]
    #[case::date_column_of_amounts(&[t("1,200.00"), t("300.50")], ValueKind::Date, true)]
    #[case::ticket_column_of_amounts(&[t("1,200.00"), t("300.50")], ValueKind::Ticket, true)]
    #[case::amount_column_of_amounts(&[t("1,200.00"), CellValue::Number(3.0), t("-")], ValueKind::Money, false)]
    #[case::date_column_of_serials(&[CellValue::Number(46206.0), CellValue::Number(46207.0)], ValueKind::Date, false)]
    #[case::one_odd_value_is_not_enough(&[t("2026-07-03")], ValueKind::Money, false)]
    #[case::mixed_is_not_contradicted(&[t("2026-07-03"), t("300.00")], ValueKind::Money, false)]
    #[case::text_fields_take_anything(&[t("2026-07-03"), t("2026-07-04")], ValueKind::Text, false)]
    #[case::empty_column(&[t(""), t("/")], ValueKind::Money, false)]
    fn contradiction(#[case] cells: &[CellValue], #[case] expected: ValueKind, #[case] contradicted: bool) {
        assert_eq!(profile(cells).contradicts(expected), contradicted);
    }

    #[test]
    fn fit_counts_the_share_of_fitting_values() {
        let p = profile(&[t("2026-07-03"), t("300.00"), t("400.00"), t("无")]);
        assert_eq!(p.total(), 3);
        assert!((p.fit(ValueKind::Money) - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(p.dominant(), Some(ValueKind::Money));
    }
}
