//! Dispatch, repair follow-through, acceptance, closing and return visits (§5.1.3–§5.1.5):
//! the plain types and the rules with numbers in them.

use crate::DomainError;
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

/// What the procedure needs before a first dispatch notice (§5.1.1–§5.1.3, §6.1).
#[derive(Debug, Clone, Copy)]
pub struct DispatchReadiness<'a> {
    pub classified: bool,
    pub has_steward: bool,
    /// A contact attempt that reached the owner is recorded.
    pub owner_reached: bool,
    /// Why the slip goes out without a recorded contact (e.g. the owner agreed the time in person).
    pub no_contact_reason: &'a str,
}

/// Refuses a first dispatch that skips a step, naming the step that must come first.
pub fn check_dispatch_ready(r: DispatchReadiness) -> Result<(), DomainError> {
    if !r.classified {
        return Err(DomainError::field("classification", "请先判定维修分类（简单/一般/复杂，§5.1.2），再签发调度单"));
    }
    if !r.has_steward {
        return Err(DomainError::field("steward_id", "请先指定责任管家（§6.1），再签发调度单：调度单上须写明保修管家"));
    }
    if !r.owner_reached && r.no_contact_reason.trim().is_empty() {
        return Err(DomainError::field("no_contact_reason", "请先联系业主并登记（§5.1.1 约定上门时间），或写明未联系业主即派工的原因"));
    }
    Ok(())
}

/// Events of a repair happen in order: refuses `at` when it is before the event it follows,
/// naming both (`到场时间`, `调度单签发时间`).
pub fn check_not_before(field: &'static str, what: &str, at: DateTime<Utc>, earlier_what: &str, earlier_at: DateTime<Utc>) -> Result<(), DomainError> {
    if at < earlier_at {
        return Err(DomainError::field(
            field,
            format!("{what} {} 早于{earlier_what} {}：须在{earlier_what}之后", crate::time::fmt_local(at), crate::time::fmt_local(earlier_at)),
        ));
    }
    Ok(())
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

impl AcceptanceKind {
    /// The label in a summary line (the unit's archive): the same facts, fewer words.
    pub fn short_label(self) -> &'static str {
        match self {
            AcceptanceKind::OwnerOnScreen => "业主现场签字",
            AcceptanceKind::OwnerOnPaper => "业主纸质签字",
            AcceptanceKind::Proxy => "主任与客服主管助理代签",
        }
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
        let cases =
            [((9, 0), (9, 15), 15, true), ((9, 0), (8, 45), -15, true), ((9, 0), (9, 16), 16, false), ((9, 0), (8, 44), -16, false), ((9, 0), (9, 0), 0, true)];
        for ((ah, am), (bh, bm), dev, ok) in cases {
            let d = arrival_deviation_min(at(ah, am), at(bh, bm));
            assert_eq!(d, dev);
            assert_eq!(arrival_on_time(d), ok, "{dev}");
        }
    }

    #[test]
    fn a_first_dispatch_names_the_missing_step() {
        let ready = DispatchReadiness { classified: true, has_steward: true, owner_reached: true, no_contact_reason: "" };
        assert!(check_dispatch_ready(ready).is_ok());
        let cases = [
            (DispatchReadiness { classified: false, ..ready }, "classification", "维修分类"),
            (DispatchReadiness { has_steward: false, ..ready }, "steward_id", "责任管家"),
            (DispatchReadiness { owner_reached: false, ..ready }, "no_contact_reason", "联系业主"),
        ];
        for (r, field, words) in cases {
            let e = check_dispatch_ready(r).expect_err(words);
            assert_eq!(e.field, Some(field));
            assert!(e.message.contains(words), "{}", e.message);
        }
        assert!(check_dispatch_ready(DispatchReadiness { owner_reached: false, no_contact_reason: "业主来访时当面约定", ..ready }).is_ok());
    }

    #[test]
    fn an_event_dated_before_the_one_it_follows_is_refused() {
        // §5.1.3.3: the contractor cannot arrive before the slip was issued.
        let e = check_not_before("arrived_at", "到场时间", at(8, 0), "调度单签发时间", at(9, 0)).expect_err("before");
        assert!(e.message.contains("早于调度单签发时间"), "{}", e.message);
        assert!(check_not_before("arrived_at", "到场时间", at(9, 0), "调度单签发时间", at(9, 0)).is_ok());
    }

    #[test]
    fn dispatch_numbers() {
        assert_eq!(dispatch_no(2026, 45), "PG-2026-000045");
    }
}
