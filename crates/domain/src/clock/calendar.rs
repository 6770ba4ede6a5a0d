//! The working calendar (工作日历): which days the warranty center works, its office hours, and
//! how a span of time is counted on either clock.
//!
//! Two clocks exist because the procedure makes two kinds of promise. "Within 2 hours" (§5.1.1)
//! is a promise of the desk, which is staffed in office hours only: counted around the clock, a
//! report sent at 22:00 from the web would be late before anyone could read it. An appointment
//! (§5.1.3.3) is a wall-clock time agreed with the owner. [`ClockMode`] says which one a rule uses.
//!
//! All counting happens in local time (UTC+8, [`crate::time::desk_tz`]), day by day, never minute
//! by minute: a two-hour span costs one or two steps, a week of office hours about ten.

use crate::time::{desk_tz, local_day_start};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How a rule's time runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum ClockMode {
    /// 自然时间: every minute counts, nights, weekends and holidays included.
    Continuous,
    /// 工作时间: only office hours of working days count.
    Working,
}

impl ClockMode {
    pub const ALL: &'static [ClockMode] = &[ClockMode::Working, ClockMode::Continuous];

    /// The Chinese label the settings page shows.
    pub fn label(self) -> &'static str {
        match self {
            ClockMode::Continuous => "自然时间",
            ClockMode::Working => "工作时间",
        }
    }
}

/// A date as written in the tables below: (year, month, day).
pub type Ymd = (i32, u32, u32);

/// The 2026 public-holiday breaks of mainland China: (first day, last day, name), both days
/// included, as published by the State Council General Office (国务院办公厅关于2026年部分节假日
/// 安排的通知) to the best of our knowledge when this table was written. **Edit per year** (and
/// check against the official notice): the desk cannot fetch it, it works offline.
pub const HOLIDAYS_2026: &[(Ymd, Ymd, &str)] = &[
    ((2026, 1, 1), (2026, 1, 3), "元旦"),
    ((2026, 2, 15), (2026, 2, 23), "春节"),
    ((2026, 4, 4), (2026, 4, 6), "清明节"),
    ((2026, 5, 1), (2026, 5, 5), "劳动节"),
    ((2026, 6, 19), (2026, 6, 21), "端午节"),
    ((2026, 9, 25), (2026, 9, 27), "中秋节"),
    ((2026, 10, 1), (2026, 10, 7), "国庆节"),
];

/// The 2026 weekend days that are working days (调休上班), from the same notice. Edit per year.
pub const MAKEUP_WORKDAYS_2026: &[Ymd] = &[
    (2026, 1, 4),   // 元旦 (Sunday)
    (2026, 2, 14),  // 春节 (Saturday)
    (2026, 2, 28),  // 春节 (Saturday)
    (2026, 5, 9),   // 劳动节 (Saturday)
    (2026, 9, 20),  // 国庆节 (Sunday)
    (2026, 10, 10), // 国庆节 (Saturday)
];

/// A calendar longer than this without a single working day is broken; counting stops there
/// instead of looping (about a century of days, still well under a millisecond per call).
const MAX_SCAN_DAYS: u32 = 36_600;

/// The days and hours the warranty center works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct WorkCalendar {
    /// Office opens (local time), e.g. 08:30.
    pub office_start: NaiveTime,
    /// Office closes (local time), e.g. 17:30. A day's duties are due by then.
    pub office_end: NaiveTime,
    /// Rest days on weekdays (法定节假日 and their bridging days). A date listed here is a rest day
    /// even if it is also listed as a make-up day.
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休上班).
    pub makeup_workdays: BTreeSet<NaiveDate>,
}

fn ymd((y, m, d): Ymd) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

impl Default for WorkCalendar {
    /// 08:30–17:30 with the 2026 public holidays and 调休 days of [`HOLIDAYS_2026`] and
    /// [`MAKEUP_WORKDAYS_2026`].
    fn default() -> Self {
        let mut holidays = BTreeSet::new();
        for &(first, last, _) in HOLIDAYS_2026 {
            if let (Some(first), Some(last)) = (ymd(first), ymd(last)) {
                holidays.extend(first.iter_days().take_while(|d| *d <= last));
            }
        }
        WorkCalendar {
            office_start: NaiveTime::from_hms_opt(8, 30, 0).unwrap_or(NaiveTime::MIN),
            office_end: NaiveTime::from_hms_opt(17, 30, 0).unwrap_or(NaiveTime::MIN),
            holidays,
            makeup_workdays: MAKEUP_WORKDAYS_2026.iter().filter_map(|&d| ymd(d)).collect(),
        }
    }
}

/// `t + d`, saturating instead of panicking at the ends of chrono's range.
pub(crate) fn plus(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(if d < Duration::zero() { DateTime::<Utc>::MIN_UTC } else { DateTime::<Utc>::MAX_UTC })
}

fn to_local(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&desk_tz()).naive_local()
}

fn from_local(n: NaiveDateTime) -> DateTime<Utc> {
    plus(local_day_start(n.date()), n.time().signed_duration_since(NaiveTime::MIN))
}

impl WorkCalendar {
    /// A weekday that is no holiday, or a weekend day listed as 调休上班.
    pub fn is_workday(&self, d: NaiveDate) -> bool {
        if self.holidays.contains(&d) {
            return false;
        }
        if self.makeup_workdays.contains(&d) {
            return true;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// Whether `d` counts as a day on the given clock (every day counts on the continuous one).
    pub fn counts(&self, d: NaiveDate, mode: ClockMode) -> bool {
        mode == ClockMode::Continuous || self.is_workday(d)
    }

    /// Length of one office day (9 h for 08:30–17:30); zero if the hours are not set sensibly.
    pub fn office_day(&self) -> Duration {
        (self.office_end - self.office_start).max(Duration::zero())
    }

    /// `start + dur` on the given clock. On the working clock only office hours of working days
    /// count; a start outside office hours begins counting at the next opening. The result is the
    /// earliest instant at which `dur` has run, so a span that ends exactly at closing time is due
    /// at closing time, not at the next opening. A zero or negative `dur` returns `start`.
    pub fn add(&self, start: DateTime<Utc>, dur: Duration, mode: ClockMode) -> DateTime<Utc> {
        if mode == ClockMode::Continuous {
            return plus(start, dur);
        }
        if dur <= Duration::zero() {
            return start;
        }
        if self.office_day() <= Duration::zero() {
            // No office hours at all: there is no working clock to run, fall back to wall time.
            return plus(start, dur);
        }
        let local = to_local(start);
        let mut day = local.date();
        let mut from = local.time();
        let mut left = dur;
        for _ in 0..MAX_SCAN_DAYS {
            if self.is_workday(day) {
                let open = from.max(self.office_start);
                if open < self.office_end {
                    let avail = self.office_end - open;
                    if left <= avail {
                        return plus(from_local(day.and_time(open)), left);
                    }
                    left -= avail;
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => return DateTime::<Utc>::MAX_UTC,
            }
            from = NaiveTime::MIN;
        }
        plus(from_local(day.and_time(NaiveTime::MIN)), left)
    }

    /// The time on the given clock between two instants; negative when `to` is before `from`.
    /// On the working clock, the exact inverse of [`WorkCalendar::add`]:
    /// `elapsed(s, add(s, d)) == d` for every `d ≥ 0`.
    pub fn elapsed(&self, from: DateTime<Utc>, to: DateTime<Utc>, mode: ClockMode) -> Duration {
        if mode == ClockMode::Continuous {
            return to.signed_duration_since(from);
        }
        if to < from {
            return -self.elapsed(to, from, mode);
        }
        let (lf, lt) = (to_local(from), to_local(to));
        let mut total = Duration::zero();
        let mut day = lf.date();
        for _ in 0..MAX_SCAN_DAYS {
            if day > lt.date() {
                break;
            }
            if self.is_workday(day) {
                let open = day.and_time(self.office_start).max(lf);
                let close = day.and_time(self.office_end).min(lt);
                if close > open {
                    total += close - open;
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        total
    }

    /// The closing time of the `days`-th counting day after the day of `anchor`: the due time of
    /// a duty "done today" (`days = 0`), "by tomorrow" (`1`), "every other day" (`2`).
    ///
    /// The anchor's own day is day 0 only if it counts on this clock and the office has not closed
    /// yet; otherwise day 0 is the next counting day — a job accepted at 18:00 on Friday is to be
    /// told to the owner by Monday's closing, not by a closing that has already passed.
    pub fn close_of_day(&self, anchor: DateTime<Utc>, days: u32, mode: ClockMode) -> DateTime<Utc> {
        let local = to_local(anchor);
        let mut day = local.date();
        if !(self.counts(day, mode) && local.time() < self.office_end) {
            day = self.next_counting_day(day, mode);
        }
        for _ in 0..days {
            day = self.next_counting_day(day, mode);
        }
        from_local(day.and_time(self.office_end))
    }

    fn next_counting_day(&self, d: NaiveDate, mode: ClockMode) -> NaiveDate {
        let mut day = d;
        for _ in 0..MAX_SCAN_DAYS {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
            if self.counts(day, mode) {
                return day;
            }
        }
        day
    }
}

/// The year calendar a desk must hold: from 1 December the next one is due (the State Council
/// publishes it in November or December); in January the current one is overdue.
pub const NEXT_YEAR_WARNING_FROM_MONTH: u32 = 12;

impl WorkCalendar {
    /// The calendar holds `year`'s public holidays: a rest day of that year after January
    /// (every notice has 春节 or 清明 there; a 元旦 break alone may belong to the year before).
    pub fn knows_year(&self, year: i32) -> bool {
        self.holidays.iter().any(|d| d.year() == year && d.month() >= 2)
    }

    /// This calendar with `year`'s days replaced by the notice's (other years untouched).
    pub fn with_notice(&self, n: &super::holiday_notice::HolidayNotice) -> WorkCalendar {
        let mut cal = self.clone();
        cal.holidays.retain(|d| d.year() != n.year);
        cal.makeup_workdays.retain(|d| d.year() != n.year);
        cal.holidays.extend(n.rest_days());
        cal.makeup_workdays.extend(n.makeup_workdays.iter().copied());
        cal
    }

    /// What 今日待办 says when a year's holidays are missing on `today`: without them every
    /// holiday counts as a working day and clocks run on days nobody works.
    pub fn missing_year_warning(&self, today: NaiveDate) -> Option<String> {
        let year = today.year();
        if !self.knows_year(year) {
            return Some(format!(
                "工作日历中没有 {year} 年的法定节假日和调休安排，节假日会被当作工作日计算时限。请保修主任在「基础资料 → 时限、日历与保修期」中录入国务院办公厅的 {year} 年节假日安排通知。"
            ));
        }
        if today.month() >= NEXT_YEAR_WARNING_FROM_MONTH && !self.knows_year(year + 1) {
            let next = year + 1;
            return Some(format!(
                "{next} 年的法定节假日和调休安排还没有录入。国务院办公厅的通知发布后，请保修主任在「基础资料 → 时限、日历与保修期」中粘贴录入，否则 {next} 年的时限会算错。"
            ));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_local;

    fn t(s: &str) -> DateTime<Utc> {
        parse_local(s, "t").expect("test time")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    #[test]
    fn default_calendar_knows_2026_holidays_and_makeup_days() {
        let cal = WorkCalendar::default();
        let cases = [
            (date(2026, 3, 6), true, "ordinary Friday"),
            (date(2026, 3, 7), false, "ordinary Saturday"),
            (date(2026, 1, 1), false, "元旦"),
            (date(2026, 1, 4), true, "元旦调休 Sunday"),
            (date(2026, 2, 14), true, "春节调休 Saturday"),
            (date(2026, 2, 16), false, "除夕"),
            (date(2026, 2, 23), false, "春节 last day, a Monday"),
            (date(2026, 2, 24), true, "back to work"),
            (date(2026, 4, 6), false, "清明 Monday"),
            (date(2026, 5, 5), false, "劳动节 Tuesday"),
            (date(2026, 5, 9), true, "劳动节调休 Saturday"),
            (date(2026, 6, 19), false, "端午"),
            (date(2026, 9, 25), false, "中秋"),
            (date(2026, 10, 7), false, "国庆 Wednesday"),
            (date(2026, 10, 8), true, "after 国庆"),
            (date(2026, 10, 10), true, "国庆调休 Saturday"),
        ];
        for (d, work, why) in cases {
            assert_eq!(cal.is_workday(d), work, "{d} {why}");
        }
        assert_eq!(cal.office_day(), Duration::hours(9));
    }

    #[test]
    fn a_holiday_listed_as_makeup_too_stays_a_holiday() {
        let mut cal = WorkCalendar::default();
        cal.makeup_workdays.insert(date(2026, 1, 1));
        assert!(!cal.is_workday(date(2026, 1, 1)));
    }

    #[test]
    fn working_add_table() {
        let cal = WorkCalendar::default();
        let two_h = Duration::hours(2);
        // (start, duration, expected, why)
        let cases = [
            ("2026-03-05 10:00", two_h, "2026-03-05 12:00", "inside office hours"),
            ("2026-03-05 15:30", two_h, "2026-03-05 17:30", "ends exactly at closing"),
            ("2026-03-05 15:31", two_h, "2026-03-06 08:31", "one minute into the next morning"),
            ("2026-03-05 07:00", two_h, "2026-03-05 10:30", "before opening: counting starts 08:30"),
            ("2026-03-05 22:00", two_h, "2026-03-06 10:30", "web report at night"),
            ("2026-03-06 17:00", two_h, "2026-03-09 10:00", "Friday 17:00: 30 min Friday, 1.5 h Monday"),
            ("2026-03-06 16:30", two_h, "2026-03-09 09:30", "Friday 16:30: 1 h Friday, 1 h Monday"),
            ("2026-03-07 11:00", two_h, "2026-03-09 10:30", "Saturday report"),
            ("2026-05-08 17:00", two_h, "2026-05-09 10:00", "调休 Saturday counts"),
            ("2026-04-30 17:00", two_h, "2026-05-06 10:00", "劳动节 does not count"),
            ("2026-09-30 17:00", two_h, "2026-10-08 10:00", "国庆 does not count"),
            ("2026-02-13 17:00", two_h, "2026-02-14 10:00", "春节调休 Saturday before the break"),
            ("2025-12-31 17:00", two_h, "2026-01-04 10:00", "year boundary: 元旦, then 调休 Sunday"),
            ("2026-03-05 10:00", Duration::hours(12), "2026-03-06 13:00", "12 h = 7.5 h today + 4.5 h"),
            ("2026-03-05 10:00", Duration::zero(), "2026-03-05 10:00", "zero"),
            ("2026-03-07 10:00", Duration::zero(), "2026-03-07 10:00", "zero on a rest day"),
        ];
        for (start, dur, want, why) in cases {
            assert_eq!(cal.add(t(start), dur, ClockMode::Working), t(want), "{why}");
            assert_eq!(cal.elapsed(t(start), t(want), ClockMode::Working), dur, "inverse: {why}");
        }
    }

    #[test]
    fn continuous_add_is_plain_addition() {
        let cal = WorkCalendar::default();
        assert_eq!(cal.add(t("2026-03-06 17:00"), Duration::hours(2), ClockMode::Continuous), t("2026-03-06 19:00"));
        assert_eq!(cal.elapsed(t("2026-03-06 17:00"), t("2026-03-09 10:00"), ClockMode::Continuous), Duration::hours(65));
    }

    #[test]
    fn leap_day_and_year_ends() {
        // A calendar without the 2026 table, so only weekends and listed days matter.
        let mut cal = WorkCalendar { holidays: BTreeSet::new(), makeup_workdays: BTreeSet::new(), ..WorkCalendar::default() };
        let two_h = Duration::hours(2);
        assert!(cal.is_workday(date(2028, 2, 29)), "2028-02-29 is a Tuesday");
        assert_eq!(cal.add(t("2028-02-28 17:00"), two_h, ClockMode::Working), t("2028-02-29 10:00"));
        assert_eq!(cal.add(t("2028-02-29 17:00"), two_h, ClockMode::Working), t("2028-03-01 10:00"));
        assert_eq!(cal.close_of_day(t("2028-02-28 18:00"), 0, ClockMode::Working), t("2028-02-29 17:30"));
        assert_eq!(cal.close_of_day(t("2028-02-28 10:00"), 1, ClockMode::Continuous), t("2028-02-29 17:30"));
        cal.holidays.insert(date(2028, 2, 29));
        assert_eq!(cal.add(t("2028-02-28 17:00"), two_h, ClockMode::Working), t("2028-03-01 10:00"));
        // 2026-12-31 is a Thursday; with 2027-01-01 declared a holiday the next day is Monday.
        cal.holidays.insert(date(2027, 1, 1));
        assert_eq!(cal.add(t("2026-12-31 17:00"), two_h, ClockMode::Working), t("2027-01-04 10:00"));
        assert_eq!(cal.elapsed(t("2026-12-31 08:00"), t("2027-01-04 09:00"), ClockMode::Working), Duration::minutes(9 * 60 + 30));
        assert_eq!(cal.close_of_day(t("2026-12-31 17:45"), 0, ClockMode::Working), t("2027-01-04 17:30"));
        assert_eq!(cal.close_of_day(t("2026-12-31 17:45"), 0, ClockMode::Continuous), t("2027-01-01 17:30"));
    }

    #[test]
    fn close_of_day_table() {
        let cal = WorkCalendar::default();
        use ClockMode::*;
        let cases = [
            ("2026-03-05 10:00", 0, Working, "2026-03-05 17:30", "same day"),
            ("2026-03-05 17:30", 0, Working, "2026-03-06 17:30", "at closing: today is over"),
            ("2026-03-06 18:00", 0, Working, "2026-03-09 17:30", "Friday evening → Monday"),
            ("2026-03-05 10:00", 1, Working, "2026-03-06 17:30", "next workday"),
            ("2026-03-05 10:00", 2, Working, "2026-03-09 17:30", "every other workday skips the weekend"),
            ("2026-03-05 10:00", 2, Continuous, "2026-03-07 17:30", "calendar days"),
            ("2026-09-30 10:00", 1, Working, "2026-10-08 17:30", "国庆"),
        ];
        for (a, n, mode, want, why) in cases {
            assert_eq!(cal.close_of_day(t(a), n, mode), t(want), "{why}");
        }
    }

    #[test]
    fn negative_elapsed_and_degenerate_hours() {
        let cal = WorkCalendar::default();
        assert_eq!(cal.elapsed(t("2026-03-05 12:00"), t("2026-03-05 10:00"), ClockMode::Working), -Duration::hours(2));
        let broken = WorkCalendar { office_end: cal.office_start, ..cal.clone() };
        assert_eq!(broken.add(t("2026-03-05 12:00"), Duration::hours(2), ClockMode::Working), t("2026-03-05 14:00"));
        assert_eq!(cal.add(t("2026-03-05 12:00"), Duration::MAX, ClockMode::Continuous), DateTime::<Utc>::MAX_UTC);
    }

    #[test]
    fn a_missing_year_is_warned_about_from_december_and_gone_once_imported() {
        let cal = WorkCalendar::default();
        let cases = [
            (date(2026, 11, 30), false, "November: next year not due yet"),
            (date(2026, 12, 1), true, "1 December: 2027 is due"),
            (date(2026, 12, 31), true, "New Year's Eve"),
            (date(2027, 1, 4), true, "January without this year's calendar"),
        ];
        for (today, warned, why) in cases {
            assert_eq!(cal.missing_year_warning(today).is_some(), warned, "{why}");
        }
        let notice = crate::clock::holiday_notice::parse_holiday_notice(
            "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：2月6日至12日放假调休，共7天。2月14日（周日）上班。",
            2027,
        )
        .expect("notice");
        let cal = cal.with_notice(&notice);
        assert!(cal.missing_year_warning(date(2026, 12, 4)).is_none());
        assert!(cal.missing_year_warning(date(2027, 1, 4)).is_none());
        assert!(!cal.is_workday(date(2027, 2, 8)), "春节 Monday is off");
        assert!(cal.is_workday(date(2027, 2, 14)), "调休 Sunday is worked");
        assert!(!cal.is_workday(date(2026, 10, 1)), "2026 kept");
    }
}
