//! Dispatch, repair follow-through, acceptance, closing and return visits (§5.1.3–§5.1.5):
//! the plain types and the rules with numbers in them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// §5.1.3.3: "在约定时间维修人员上门维修，时间误差不能超过15分钟".
pub const ARRIVAL_TOLERANCE_MIN: i64 = 15;
/// §5.1.4.2: "连续通知5次仍无法取得联系" — then only director + CS assistant may close.
pub const MAX_FAILED_NOTICES: i64 = 5;

/// Minutes the contractor arrived after (+) or before (−) the appointment.
pub fn arrival_deviation_min(appointment: DateTime<Utc>, arrived: DateTime<Utc>) -> i64 {
    (arrived - appointment).num_seconds().div_euclid(60)
}

/// Whether an arrival keeps the ±15 minute promise (§5.1.3.3).
pub fn arrival_on_time(deviation_min: i64) -> bool {
    deviation_min.abs() <= ARRIVAL_TOLERANCE_MIN
}

/// `PG-2026-000045`: the dispatch notice (调度单) number series.
pub fn dispatch_no(year: i32, seq: i64) -> String {
    format!("PG-{year}-{seq:06}")
}

macro_rules! simple_enum {
    ($(#[$m:meta])* $name:ident { $($v:ident => $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
        #[ts(export)]
        pub enum $name { $($v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            pub fn label(self) -> &'static str { match self { $($name::$v => $label),+ } }
            pub fn code(self) -> &'static str { match self { $($name::$v => stringify!($v)),+ } }
            pub fn parse(s: &str) -> Option<$name> { Self::ALL.iter().copied().find(|x| x.code() == s || x.label() == s) }
        }
    };
}

simple_enum! {
    /// 满意度 (§5.1.5).
    Satisfaction { Satisfied => "满意", Basic => "基本满意", Dissatisfied => "不满意" }
}

simple_enum! {
    /// How the repair was accepted (§5.1.3.6).
    AcceptanceKind {
        OwnerOnScreen => "业主现场签字",
        OwnerOnPaper => "业主纸质签字（扫描件）",
        Proxy => "保修主任与客服主管助理代为验收",
    }
}

simple_enum! {
    /// The follow-up records of a repair, one table in the store.
    FollowUpKind {
        SiteVisit => "管家现场巡视",
        Feedback => "向业主反馈进度",
        Recheck => "管家复检",
        CompletionNotice => "完工通知",
        ReturnVisit => "维修回访",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 5, h, m, 0).single().expect("valid")
    }

    #[test]
    fn arrival_within_15_minutes_either_way_is_on_time() {
        // §5.1.3.3
        let cases = [((9, 0), (9, 15), 15, true), ((9, 0), (8, 45), -15, true), ((9, 0), (9, 16), 16, false), ((9, 0), (8, 44), -16, false), ((9, 0), (9, 0), 0, true)];
        for ((ah, am), (bh, bm), dev, ok) in cases {
            let d = arrival_deviation_min(at(ah, am), at(bh, bm));
            assert_eq!(d, dev);
            assert_eq!(arrival_on_time(d), ok, "{dev}");
        }
    }

    #[test]
    fn dispatch_numbers() {
        assert_eq!(dispatch_no(2026, 45), "PG-2026-000045");
    }
}
