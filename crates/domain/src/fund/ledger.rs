//! The deposit ledger's rules (保修金明细账).
//!
//! An entry is a credit (计提/收取, the deposit retained from the builder) or a debit (扣款 for a
//! commissioned repair, 退还 at the end of the defect-liability period). Entries are never
//! changed: a wrong one is cancelled by a [`EntryKind::Reversal`] carrying its negated amounts
//! (红字冲销), so every balance is the plain sum of its entries.

use crate::money::Fen;
use crate::ticket::labelled_enum;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

labelled_enum! {
    /// 摘要的类别 of a ledger entry (PRODUCT.md §8: 期初 / 预留 / 扣款 / 退还 / 调整-冲销).
    EntryKind {
        Opening => "期初",
        Retention => "预留",
        Deduction => "扣款",
        Refund => "退还",
        Adjustment => "调整",
        Reversal => "冲销",
    }
}

impl EntryKind {
    /// Whether a director may book this kind by hand: a deduction is booked when a payment
    /// request is paid (D8), a reversal on the entry it cancels.
    pub fn booked_by_hand(self) -> bool {
        !matches!(self, EntryKind::Deduction | EntryKind::Reversal)
    }

    /// The kind a department's 摘要 text most likely means, from its words; amounts decide
    /// when the words do not (a credit is a retention, a debit a deduction).
    pub fn from_summary(summary: &str, credit: Fen, debit: Fen) -> EntryKind {
        let s = summary.trim();
        if s.contains("冲销") || s.contains("冲红") || s.contains("红字") {
            EntryKind::Reversal
        } else if s.contains("期初") || s.contains("上年结转") || s.contains("承前") {
            EntryKind::Opening
        } else if s.contains("退还") || s.contains("返还") || s.contains("退保修金") {
            EntryKind::Refund
        } else if s.contains("调整") {
            EntryKind::Adjustment
        } else if s.contains("扣") || s.contains("委托维修") || s.contains("维修费") {
            EntryKind::Deduction
        } else if s.contains("计提") || s.contains("预留") || s.contains("收取") {
            EntryKind::Retention
        } else if debit.0 != 0 && credit.0 == 0 {
            EntryKind::Deduction
        } else {
            EntryKind::Retention
        }
    }
}

/// The retention rate above which the 2017 rules (建质〔2017〕138号 第七条) say the deposit is too
/// high: 3 % of the settled price. A higher rate is accepted but flagged.
pub const RETENTION_CAP_BP: i64 = 300;

/// Deposit = settled price × rate (rate in basis points), rounded half away from zero to the fen.
pub fn deposit_for(settled: Fen, rate_bp: i64) -> Option<Fen> {
    let p = (settled.0 as i128) * (rate_bp as i128);
    let q = p / 10_000;
    let r = p % 10_000;
    let rounded = if r.abs() * 2 >= 10_000 { q + p.signum() } else { q };
    i64::try_from(rounded).ok().map(Fen)
}

/// Whether a rate exceeds the 3 % cap.
pub fn over_cap(rate_bp: i64) -> bool {
    rate_bp > RETENTION_CAP_BP
}

/// End of a defect-liability period of `months` from `start`: start + months − 1 day
/// (2024-03-05 + 24 months → 2026-03-04). A start at a month's end clamps (01-31 + 1 → 02-28).
pub fn period_end(start: NaiveDate, months: u32) -> Option<NaiveDate> {
    start.checked_add_months(Months::new(months))?.pred_opt()
}

/// The whole number of months whose period end (start + months − 1 day) is closest to `end`.
pub fn nearest_period_end(start: NaiveDate, end: NaiveDate) -> Option<(u32, NaiveDate)> {
    let approx = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32;
    [approx - 1, approx, approx + 1]
        .into_iter()
        .filter(|m| *m >= 1)
        .filter_map(|m| period_end(start, m as u32).map(|e| (m as u32, e)))
        .min_by_key(|(_, e)| (*e - end).num_days().abs())
}

/// A rate written as `3%`, `3 %`, `0.03`, `３％` or `3` (percent) → basis points.
pub fn parse_rate_bp(text: &str) -> Result<i64, String> {
    let t: String = text.chars().map(crate::money::to_half_width).filter(|c| !c.is_whitespace()).collect();
    let bad = || format!("无法识别的比例「{}」", text.trim());
    let (body, percent) = match t.strip_suffix('%') {
        Some(b) => (b, true),
        None => (t.as_str(), false),
    };
    let x: f64 = body.parse().map_err(|_| bad())?;
    if !x.is_finite() || x < 0.0 {
        return Err(bad());
    }
    // "3" means 3 %, "0.03" means 3 %: a bare number below 1 is a fraction.
    let pct = if percent || x >= 1.0 { x } else { x * 100.0 };
    if pct > 100.0 {
        return Err(format!("比例「{}」超过 100%", text.trim()));
    }
    Ok((pct * 100.0).round() as i64)
}

/// A rate in basis points as people write it: 300 → "3%", 250 → "2.5%".
pub fn format_rate(bp: i64) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    if frac == 0 {
        format!("{whole}%")
    } else if frac % 10 == 0 {
        format!("{whole}.{}%", frac / 10)
    } else {
        format!("{whole}.{frac:02}%")
    }
}

/// A calendar quarter (`2026Q3`): B4 reconciles and finance receives the ledger per quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    /// 1 … 4
    pub q: u32,
}

impl Quarter {
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter { year: date.year(), q: (date.month() - 1) / 3 + 1 }
    }

    /// First day of the quarter.
    pub fn first_day(self) -> NaiveDate {
        // q is 1…4 (checked by the parser and `of`), so the month is 1, 4, 7 or 10.
        NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Last day of the quarter.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn next(self) -> Quarter {
        if self.q == 4 {
            Quarter { year: self.year + 1, q: 1 }
        } else {
            Quarter { year: self.year, q: self.q + 1 }
        }
    }

    pub fn contains(self, d: NaiveDate) -> bool {
        Quarter::of(d) == self
    }

    /// "2026年第3季度"
    pub fn label(self) -> String {
        format!("{}年第{}季度", self.year, self.q)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = String;
    /// `2026Q3`, `2026q3`, `2026-Q3`, `2026年第3季度`, `2026年3季度`.
    fn from_str(s: &str) -> Result<Quarter, String> {
        let bad = || format!("季度「{}」的格式应为 2026Q3", s.trim());
        let t: String = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let t = t.replace("年第", "Q").replace('年', "Q").replace("季度", "").replace('q', "Q");
        let (y, q) = t.split_once('Q').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let q: u32 = q.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&q) || !(1900..=9999).contains(&year) {
            return Err(bad());
        }
        Ok(Quarter { year, q })
    }
}

/// One movement as the balance arithmetic sees it.
pub trait Movement {
    fn credit(&self) -> Fen;
    fn debit(&self) -> Fen;
}

/// Balance after each entry, in order; `None` on an overflow (no real ledger gets there).
pub fn running_balances<M: Movement>(entries: &[M]) -> Option<Vec<Fen>> {
    let mut balance = Fen(0);
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        balance = balance.checked_add(e.credit())?.checked_sub(e.debit())?;
        out.push(balance);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a test date")
    }

    #[rstest]
    #[case::exact_end("2024-03-05", "2026-03-04", Some((24, "2026-03-04")))]
    #[case::a_day_too_long_is_matched_to_the_expected_end("2024-03-05", "2026-03-05", Some((24, "2026-03-04")))]
    #[case::a_day_short("2024-03-05", "2026-03-03", Some((24, "2026-03-04")))]
    #[case::five_years("2021-07-01", "2026-06-30", Some((60, "2026-06-30")))]
    #[case::month_end_start_clamps("2024-01-31", "2024-02-28", Some((1, "2024-02-28")))]
    #[case::end_before_start_has_no_period("2024-03-05", "2023-01-01", None)]
    fn the_period_is_matched_to_whole_months(#[case] start: &str, #[case] end: &str, #[case] expected: Option<(u32, &str)>) {
        assert_eq!(nearest_period_end(day(start), day(end)), expected.map(|(m, e)| (m, day(e))));
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn deposit_is_settled_times_rate_rounded_to_the_fen() {
        assert_eq!(deposit_for(Fen(1_234_567_89), 300), Some(Fen(3_703_704)));
        assert_eq!(deposit_for(Fen(100), 250), Some(Fen(3))); // 2.5 fen rounds up
        assert_eq!(deposit_for(Fen(-100), 250), Some(Fen(-3)));
    }

    #[test]
    fn the_three_percent_cap_is_flagged_not_refused() {
        assert!(!over_cap(300));
        assert!(over_cap(500));
    }

    #[test]
    fn period_ends_the_day_before_the_anniversary() {
        assert_eq!(period_end(d(2024, 3, 5), 24), Some(d(2026, 3, 4)));
        assert_eq!(period_end(d(2024, 1, 31), 1), Some(d(2024, 2, 28)));
    }

    #[test]
    fn rates_in_every_spelling() {
        assert_eq!(parse_rate_bp("3%"), Ok(300));
        assert_eq!(parse_rate_bp("３％"), Ok(300));
        assert_eq!(parse_rate_bp("0.03"), Ok(300));
        assert_eq!(parse_rate_bp("2.5"), Ok(250));
        assert!(parse_rate_bp("三个点").is_err());
        assert!(parse_rate_bp("300%").is_err());
        assert_eq!(format_rate(250), "2.5%");
        assert_eq!(format_rate(300), "3%");
    }

    #[test]
    fn quarters_parse_and_bound() {
        let q: Quarter = "2026Q3".parse().unwrap();
        assert_eq!((q.first_day(), q.last_day()), (d(2026, 7, 1), d(2026, 9, 30)));
        assert_eq!("2026年第4季度".parse::<Quarter>(), Ok(Quarter { year: 2026, q: 4 }));
        assert_eq!(Quarter { year: 2026, q: 4 }.next().to_string(), "2027Q1");
        assert!("2026Q5".parse::<Quarter>().is_err());
    }

    #[test]
    fn summary_words_decide_the_kind() {
        assert_eq!(EntryKind::from_summary("期初余额", Fen(1), Fen(0)), EntryKind::Opening);
        assert_eq!(EntryKind::from_summary("扣3-2-1502渗漏维修费", Fen(0), Fen(5)), EntryKind::Deduction);
        assert_eq!(EntryKind::from_summary("冲销记-12", Fen(-5), Fen(0)), EntryKind::Reversal);
        assert_eq!(EntryKind::from_summary("", Fen(0), Fen(5)), EntryKind::Deduction);
        assert_eq!(EntryKind::from_summary("", Fen(5), Fen(0)), EntryKind::Retention);
    }
}
