//! How urgent a ticket on 今日待办 is. What can still be kept on time, or has only just slipped,
//! comes before the backlog: a contractor not turning up this hour matters more than a return
//! visit that was due weeks ago. The backlog is grouped by how late it is.

use crate::time::local_date;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A duty due within this many hours counts as "due now".
pub const DUE_SOON_HOURS: i64 = 4;

/// The groups of 今日待办, most urgent first (the order of the variants is the list's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Urgency {
    /// Not late yet, due within [`DUE_SOON_HOURS`].
    DueSoon,
    /// Became late today.
    LateToday,
    /// Due later today.
    DueToday,
    /// Late since an earlier day, less than a week.
    LateDays,
    /// Late a week or more.
    LateWeeks,
}

impl Urgency {
    pub const ALL: &'static [Urgency] = &[Urgency::DueSoon, Urgency::LateToday, Urgency::DueToday, Urgency::LateDays, Urgency::LateWeeks];

    /// The Chinese label of the group on 今日待办.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::DueSoon => "4 小时内到期",
            Urgency::LateToday => "今天刚超时",
            Urgency::DueToday => "今天稍后到期",
            Urgency::LateDays => "已超时 1–7 天",
            Urgency::LateWeeks => "超时一周以上",
        }
    }
}

/// The group of a ticket from its earliest due duty and how late its latest-late duty is.
pub fn urgency(earliest_due: DateTime<Utc>, late_by_minutes: i64, now: DateTime<Utc>) -> Urgency {
    if late_by_minutes <= 0 {
        return if earliest_due - now <= Duration::hours(DUE_SOON_HOURS) { Urgency::DueSoon } else { Urgency::DueToday };
    }
    let went_late = now - Duration::minutes(late_by_minutes);
    if local_date(went_late) == local_date(now) {
        Urgency::LateToday
    } else if late_by_minutes < 7 * 24 * 60 {
        Urgency::LateDays
    } else {
        Urgency::LateWeeks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_local;

    fn t(s: &str) -> DateTime<Utc> {
        parse_local(s, "t").expect("valid")
    }

    #[test]
    fn live_items_come_before_the_backlog() {
        let now = t("2026-03-05 10:00");
        let cases = [
            ("due in an hour", t("2026-03-05 11:00"), 0, Urgency::DueSoon),
            ("due tonight", t("2026-03-05 18:00"), 0, Urgency::DueToday),
            ("late since 09:00", t("2026-03-05 09:00"), 60, Urgency::LateToday),
            ("late since yesterday", t("2026-03-04 17:00"), 17 * 60, Urgency::LateDays),
            ("81 days late", t("2025-12-14 10:00"), 81 * 24 * 60, Urgency::LateWeeks),
        ];
        for (name, due, late, want) in cases {
            assert_eq!(urgency(due, late, now), want, "{name}");
        }
        assert!(Urgency::DueSoon < Urgency::LateToday && Urgency::LateToday < Urgency::LateWeeks);
    }

    #[test]
    fn labels_follow_the_numbers_and_the_order() {
        assert!(Urgency::DueSoon.label().starts_with(&format!("{DUE_SOON_HOURS} 小时")));
        assert!(Urgency::ALL.windows(2).all(|w| w[0] < w[1]), "ALL is the list's order");
    }
}
