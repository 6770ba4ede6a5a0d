//! Dispatch, repair follow-through, acceptance, closing and return visits (§5.1.3–§5.1.5):
//! the plain types and the rules with numbers in them.

use crate::DomainError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Minutes the contractor arrived after (+) or before (−) the appointment.
pub fn arrival_deviation_min(appointment: DateTime<Utc>, arrived: DateTime<Utc>) -> i64 {
    (arrived - appointment).num_seconds().div_euclid(60)
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

simple_enum! {
    /// Why a dispatch notice (F02) is issued. Only [`DispatchReason::Rework`] is 返修: a second slip
    /// for another trade, or a re-issue after a no-show or a change of contractor, is not the
    /// contractor's failure and must not count in its rework rate.
    DispatchReason {
        First => "首次派工",
        OtherTrade => "另一工种",
        Reissue => "重新派工（未到场或更换单位）",
        Rework => "返修（复检不合格）",
    }
}

/// The reason of a new dispatch notice, checked against the ticket's history: the first slip is
/// [`DispatchReason::First`] (the default when none is given); a later one must say why, and
/// only a slip after a failed re-check (§5.1.3.6) can be rework.
pub fn check_dispatch_reason(prior_slips: usize, reason: Option<DispatchReason>, failed_recheck_since_last_slip: bool) -> Result<DispatchReason, DomainError> {
    match (prior_slips, reason) {
        (0, None | Some(DispatchReason::First)) => Ok(DispatchReason::First),
        (0, Some(r)) => Err(DomainError::field("reason", format!("本单还没有调度单，这一张是首次派工，不能选「{}」", r.label()))),
        (_, None | Some(DispatchReason::First)) => Err(DomainError::field("reason", "本单已签发过调度单：请选择再次派工的原因（另一工种、重新派工或返修）")),
        (_, Some(DispatchReason::Rework)) if !failed_recheck_since_last_slip => {
            Err(DomainError::field("reason", "返修须在管家复检不合格之后（§5.1.3.6）；未到场或更换单位请选「重新派工」，其他工种请选「另一工种」"))
        }
        (_, Some(r)) => Ok(r),
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
    fn arrival_deviation_is_whole_minutes_after_the_appointment() {
        // §5.1.3.3: the number shown beside an arrival; the verdict is `clock::rules::arrival_verdict`.
        let cases = [((9, 0), (9, 15), 15), ((9, 0), (8, 45), -15), ((9, 0), (9, 16), 16), ((9, 0), (8, 44), -16), ((9, 0), (9, 0), 0)];
        for ((ah, am), (bh, bm), dev) in cases {
            assert_eq!(arrival_deviation_min(at(ah, am), at(bh, bm)), dev);
        }
    }

    #[rstest::rstest]
    // The first slip is first dispatch, whatever the clerk left empty.
    #[case(0, None, false, Ok(DispatchReason::First))]
    #[case(0, Some(DispatchReason::First), false, Ok(DispatchReason::First))]
    #[case(0, Some(DispatchReason::Rework), true, Err("首次派工"))]
    // A later slip says why; rework only after a failed re-check (§5.1.3.6).
    #[case(1, None, false, Err("请选择再次派工的原因"))]
    #[case(1, Some(DispatchReason::First), true, Err("请选择再次派工的原因"))]
    #[case(1, Some(DispatchReason::Rework), false, Err("复检不合格之后"))]
    #[case(1, Some(DispatchReason::Rework), true, Ok(DispatchReason::Rework))]
    #[case(1, Some(DispatchReason::Reissue), false, Ok(DispatchReason::Reissue))]
    #[case(2, Some(DispatchReason::OtherTrade), false, Ok(DispatchReason::OtherTrade))]
    fn a_dispatch_says_why_and_only_a_failed_recheck_makes_rework(
        #[case] prior: usize,
        #[case] reason: Option<DispatchReason>,
        #[case] failed_recheck: bool,
        #[case] want: Result<DispatchReason, &str>,
    ) {
        match (check_dispatch_reason(prior, reason, failed_recheck), want) {
            (Ok(got), Ok(w)) => assert_eq!(got, w),
            (Err(e), Err(words)) => {
                assert_eq!(e.field, Some("reason"));
                assert!(e.message.contains(words), "{}", e.message);
            }
            (got, w) => panic!("{prior} {reason:?} {failed_recheck}: got {got:?}, want {w:?}"),
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
