//! Warranty periods and their end dates.
//!
//! Convention for every end date in this module (and in every message built from it): the end
//! date is the **last covered day**, inclusive — "自 2023-06-30 起至 2028-06-30 止". It follows
//! 《民法典》第二百零一条 (the start day itself is not counted; counting begins the next day) and
//! 第二百零三条 (a period in years or months ends on the corresponding day of the last month;
//! where that month has no such day, on its last day). So 2023-06-30 + 5 years ends on
//! 2028-06-30, and 2024-02-29 + 5 years ends on 2029-02-28.

use crate::DomainError;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A warranty period as the regulations and contracts write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Period {
    /// N 年.
    Years(u32),
    /// N 个月 (管道堵塞 2 个月, 灯具开关 6 个月).
    Months(u32),
    /// N 个采暖期 (供冷期): counted on the project's [`HeatingSeason`] calendar.
    Seasons(u32),
    /// 设计文件规定的合理使用年限: the years of [`super::CoverageSettings::design_life_years`].
    DesignLife,
    /// 由合同约定: the rule sets no number; the contract (or the owner's guarantee) does.
    AsAgreed,
}

impl Period {
    /// One period of each kind, in the order the settings page offers them.
    pub const KINDS: [Period; 5] = [Period::Years(1), Period::Months(1), Period::Seasons(1), Period::DesignLife, Period::AsAgreed];

    /// The kind's word: the unit after the number (`年`, `个月`, `个采暖期`), or the whole
    /// text of a kind without one (`设计合理使用年限`, `合同约定`).
    pub fn unit_label(self) -> &'static str {
        match self {
            Period::Years(_) => "年",
            Period::Months(_) => "个月",
            Period::Seasons(_) => "个采暖期",
            Period::DesignLife => "设计合理使用年限",
            Period::AsAgreed => "合同约定",
        }
    }

    /// `5 年`, `6 个月`, `2 个采暖期`, `设计合理使用年限（50 年）`, `合同约定`.
    pub fn text(self, design_life_years: u32) -> String {
        match self {
            Period::Years(n) | Period::Months(n) | Period::Seasons(n) => format!("{n} {}", self.unit_label()),
            Period::DesignLife => format!("{}（{design_life_years} 年）", self.unit_label()),
            Period::AsAgreed => self.unit_label().to_string(),
        }
    }

    /// The period in months, where it has a fixed length (not seasons, not "as agreed").
    /// Used to compare a project's setting with the legal minimum without a start date.
    pub fn months(self, design_life_years: u32) -> Option<u64> {
        match self {
            Period::Years(n) => Some(u64::from(n) * 12),
            Period::Months(n) => Some(u64::from(n)),
            Period::DesignLife => Some(u64::from(design_life_years) * 12),
            Period::Seasons(_) | Period::AsAgreed => None,
        }
    }
}

/// The local heating season (采暖期), e.g. Beijing 11-15 … 03-15 (both days inside the season).
///
/// One calendar serves heating and cooling periods alike: the projects this desk serves have
/// central heating and split air-conditioners, so "seasons" are heating seasons. A project in a
/// city with another calendar edits these four numbers. A season may run over New Year (start
/// after end in the year) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct HeatingSeason {
    pub start_month: u32,
    pub start_day: u32,
    pub end_month: u32,
    pub end_day: u32,
}

impl Default for HeatingSeason {
    /// Beijing: 11 月 15 日 to 次年 3 月 15 日 (《北京市供热采暖管理办法》).
    fn default() -> Self {
        HeatingSeason { start_month: 11, start_day: 15, end_month: 3, end_day: 15 }
    }
}

impl HeatingSeason {
    /// The season that starts in `year`: (first day, last day). `None` when the calendar is
    /// invalid (month outside 1–12, day 0 or over 31). A day the month lacks (02-29, 04-31)
    /// becomes the month's last day.
    pub fn season_starting_in(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        let start = ymd_clamped(year, self.start_month, self.start_day)?;
        let end_same_year = ymd_clamped(year, self.end_month, self.end_day)?;
        let end = if end_same_year < start { ymd_clamped(year.checked_add(1)?, self.end_month, self.end_day)? } else { end_same_year };
        Some((start, end))
    }

    /// Refuses a calendar that names no real month or day, in Chinese.
    pub fn check(&self) -> Result<(), DomainError> {
        let ok = |m: u32, d: u32| (1..=12).contains(&m) && (1..=31).contains(&d);
        if ok(self.start_month, self.start_day) && ok(self.end_month, self.end_day) {
            Ok(())
        } else {
            Err(DomainError::field(
                "heating",
                format!(
                    "采暖期日历无效：{}月{}日至{}月{}日，请填写有效的月（1–12）和日（1–31）",
                    self.start_month, self.start_day, self.end_month, self.end_day
                ),
            ))
        }
    }
}

/// The last covered day of period `p` counted from `start` (see the module doc for the
/// convention). `None` for [`Period::AsAgreed`], for an invalid heating calendar, and for dates
/// beyond chrono's range.
///
/// `Seasons(n)` ends on the last day of the n-th season that counts. A season counts when it
/// starts on or after `start`; a season **already running** on `start` counts only when at least
/// half of it remains (days from `start` to the season's last day ≥ half the days from its first
/// to its last day). Why: a season-based warranty exists so the system is proven through a
/// heating period. Counting a season of which a few days remain (handover on 3 月 10 日) would
/// leave the owner or developer with no real test; not counting one that has barely begun
/// (11 月 20 日) would give almost a whole extra season. Half is the fair split, and it is what a
/// clerk can check with a calendar.
pub fn end_date(start: NaiveDate, p: Period, heating: &HeatingSeason, design_life_years: u32) -> Option<NaiveDate> {
    match p {
        Period::Years(n) => start.checked_add_months(Months::new(n.checked_mul(12)?)),
        Period::Months(n) => start.checked_add_months(Months::new(n)),
        Period::DesignLife => start.checked_add_months(Months::new(design_life_years.checked_mul(12)?)),
        Period::Seasons(n) => seasons_end(start, n, heating),
        Period::AsAgreed => None,
    }
}

fn seasons_end(start: NaiveDate, n: u32, heating: &HeatingSeason) -> Option<NaiveDate> {
    if n == 0 {
        return Some(start);
    }
    // The season that started last year may still be running on `start`; after it, one season
    // starts per year, so n + 2 more years always hold n counted seasons.
    let first_year = start.year().checked_sub(1)?;
    let last_year = first_year.checked_add(i32::try_from(n).ok()?)?.checked_add(2)?;
    let mut counted = 0u32;
    for year in first_year..=last_year {
        let (first, last) = heating.season_starting_in(year)?;
        if last < start {
            continue;
        }
        let counts = first >= start || 2 * (last - start).num_days() >= (last - first).num_days();
        if counts {
            counted += 1;
            if counted == n {
                return Some(last);
            }
        }
    }
    None
}

/// `year-month-day`, with a day the month lacks moved to the month's last day.
fn ymd_clamped(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last_day = first.checked_add_months(Months::new(1))?.pred_opt()?.day();
    NaiveDate::from_ymd_opt(year, month, day.min(last_day))
}
