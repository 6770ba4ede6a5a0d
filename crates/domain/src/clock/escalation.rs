//! §5.2.2: the cases the director must raise to the project GM at once ("保修主任必须立即上报项目
//! 总经理"). Pure detectors: the caller gathers the tickets of a unit or a batch, these say yes/no.
//!
//! Cases 5–7 (complaint, compensation, unclear liability) are judgements of people, not of
//! clocks; they exist here as kinds so the UI raises all seven the same way.

use super::rules::{DeadlineSettings, HoldFact, Pauses};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The seven cases of §5.2.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum EscalationKind {
    OpenTooLong,
    RepeatAtSamePart,
    ContinuousRepairs,
    BatchWideDefect,
    Complaint,
    Compensation,
    UnclearLiability,
}

impl EscalationKind {
    pub const ALL: &'static [EscalationKind] = &[
        EscalationKind::OpenTooLong,
        EscalationKind::RepeatAtSamePart,
        EscalationKind::ContinuousRepairs,
        EscalationKind::BatchWideDefect,
        EscalationKind::Complaint,
        EscalationKind::Compensation,
        EscalationKind::UnclearLiability,
    ];

    /// The Chinese label, close to the seed's wording but without its numbers: the days and the
    /// share are the project's settings (`DeadlineSettings`), and each escalation's detail names
    /// the numbers it was raised by.
    pub fn label(self) -> &'static str {
        match self {
            EscalationKind::OpenTooLong => "同一单维修超期仍未完成",
            EscalationKind::RepeatAtSamePart => "同一户同一位置第二次维修",
            EscalationKind::ContinuousRepairs => "同一户持续维修不断",
            EscalationKind::BatchWideDefect => "同期多户出现同类问题",
            EscalationKind::Complaint => "维修人员服务行为引起业主强烈投诉",
            EscalationKind::Compensation => "质量问题导致业主索赔",
            EscalationKind::UnclearLiability => "设计、工程质量责任界定不清",
        }
    }

    /// The section of BJ-BX-C01.
    pub fn section(self) -> &'static str {
        match self {
            EscalationKind::OpenTooLong => "§5.2.2.1",
            EscalationKind::RepeatAtSamePart => "§5.2.2.2",
            EscalationKind::ContinuousRepairs => "§5.2.2.3",
            EscalationKind::BatchWideDefect => "§5.2.2.4",
            EscalationKind::Complaint => "§5.2.2.5",
            EscalationKind::Compensation => "§5.2.2.6",
            EscalationKind::UnclearLiability => "§5.2.2.7",
        }
    }

    /// The stable code (the variant name).
    pub fn code(self) -> &'static str {
        match self {
            EscalationKind::OpenTooLong => "OpenTooLong",
            EscalationKind::RepeatAtSamePart => "RepeatAtSamePart",
            EscalationKind::ContinuousRepairs => "ContinuousRepairs",
            EscalationKind::BatchWideDefect => "BatchWideDefect",
            EscalationKind::Complaint => "Complaint",
            EscalationKind::Compensation => "Compensation",
            EscalationKind::UnclearLiability => "UnclearLiability",
        }
    }

    /// Reads a code or a label.
    pub fn parse(s: &str) -> Option<EscalationKind> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|k| k.code() == s || k.label() == s)
    }
}

/// §5.2.2.1 "同一单维修超期仍未完成": the ticket is still open and more than
/// `s.open_too_long_days` calendar days have passed since the report, held time not counted.
/// `still_open` is false once the ticket is closed (or cancelled): then it is never too long.
pub fn open_too_long(reported_at: DateTime<Utc>, still_open: bool, holds: &[HoldFact], s: &DeadlineSettings, now: DateTime<Utc>) -> bool {
    if !still_open || now <= reported_at {
        return false;
    }
    let limit = Duration::try_days(s.open_too_long_days.max(0)).unwrap_or(Duration::MAX);
    let open = now.signed_duration_since(reported_at) - Pauses::new(holds, now).held_between(reported_at, now);
    open > limit
}

/// The part text as compared by §5.2.2.2: full-width forms folded to half-width, ASCII lower-cased,
/// whitespace and sentence punctuation dropped — so 「卫生间」, 「卫生间 」, 「 卫 生 间。」 and
/// 「Ｂ卫生间」/「b卫生间」 are each one place.
pub fn normalize_part(part: &str) -> String {
    part.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '。' | '，' | '、' | '；' | '：' | ',' | '.' | ';' | ':' | '!' | '?'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// §5.2.2.2 "在同一户内对同一位置进行第二次维修": an earlier ticket of the same unit names the same
/// part. The seed sets no time window, so any earlier ticket counts (the dates are accepted for the
/// caller's convenience). An empty part matches nothing: "unknown place" is not a place.
pub fn is_repeat_at_same_part(prior_tickets_same_unit: &[(String, DateTime<Utc>)], part: &str) -> bool {
    let want = normalize_part(part);
    !want.is_empty() && prior_tickets_same_unit.iter().any(|(p, _)| normalize_part(p) == want)
}

/// §5.2.2.3 "在同一户内持续二个月各类维修不断，且仍有问题出现": the unit's tickets, each spanning
/// `[reported, closed or now]`, joined where the gap between them is at most
/// `s.continuous_repair_gap_days`, form a run of at least `s.continuous_repair_days` that is
/// still going on ("仍有问题") — a ticket of it is open, or the last one closed within the gap.
pub fn continuous_repairs(unit_ticket_spans: &[(DateTime<Utc>, Option<DateTime<Utc>>)], s: &DeadlineSettings, now: DateTime<Utc>) -> bool {
    let gap = Duration::try_days(s.continuous_repair_gap_days.max(0)).unwrap_or(Duration::MAX);
    let min = Duration::try_days(s.continuous_repair_days.max(0)).unwrap_or(Duration::MAX);
    let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        unit_ticket_spans.iter().filter(|(r, _)| *r <= now).map(|&(r, c)| (r, c.unwrap_or(now).clamp(r, now))).collect();
    spans.sort();
    let mut run: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    for (a, b) in spans {
        run = match run {
            Some((s, e)) if a <= e + gap => Some((s, e.max(b))),
            _ => Some((a, b)),
        };
    }
    run.is_some_and(|(s, e)| e + gap >= now && e - s >= min)
}

/// §5.2.2.4 "同一期入伙的住宅，超过总户数的20%均出现同一类质量问题". The seed says 超过 (more than);
/// the desk raises at exactly the threshold too (PRODUCT.md §4 "≥ 20 %"): an early call to the GM
/// costs little, a missed batch-wide defect becomes a group complaint (§5.2.1). Exact integer
/// arithmetic, so 19.9 % is below and 20 % is not. The threshold is
/// `DeadlineSettings::batch_wide_percent`.
pub fn batch_wide(units_in_batch: usize, units_with_category: usize, threshold_percent: u32) -> bool {
    units_in_batch > 0 && (units_with_category as u128) * 100 >= (threshold_percent as u128) * (units_in_batch as u128)
}
