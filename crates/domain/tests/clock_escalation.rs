//! The §5.2.2 detectors, with their boundaries.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

use chrono::{DateTime, Duration, Utc};
use desk_domain::clock::escalation::normalize_part;
use desk_domain::clock::{batch_wide, continuous_repairs, is_repeat_at_same_part, open_too_long, DeadlineSettings, EscalationKind, HoldFact};
use desk_domain::time::parse_local;

fn t(s: &str) -> DateTime<Utc> {
    parse_local(s, "t").expect("test time")
}

#[test]
fn open_more_than_seven_days_excluding_holds() {
    let s = DeadlineSettings::default();
    let rep = t("2026-03-02 10:00");
    let day_hold = [HoldFact { from: t("2026-03-03 10:00"), until: Some(t("2026-03-04 10:00")), reason: "业主出差".into() }];
    let running_hold = [HoldFact { from: t("2026-03-08 10:00"), until: None, reason: "等待材料".into() }];
    // (now, still open, holds, too long)
    let cases: [(&str, bool, &[HoldFact], bool); 7] = [
        ("2026-03-09 09:59", true, &[], false),
        ("2026-03-09 10:00", true, &[], false),
        ("2026-03-09 10:01", true, &[], true),
        ("2026-03-20 10:00", false, &[], false),
        ("2026-03-10 10:00", true, &day_hold, false),
        ("2026-03-10 10:01", true, &day_hold, true),
        ("2026-03-20 10:00", true, &running_hold, false),
    ];
    for (now, open, holds, want) in cases {
        assert_eq!(open_too_long(rep, open, holds, &s, t(now)), want, "{now} open={open} holds={}", holds.len());
    }
}

#[test]
fn same_part_is_compared_after_normalising() {
    let prior = vec![("卫生间".to_string(), t("2026-03-01 10:00")), ("Ｂ２卧室　窗户".to_string(), t("2026-03-02 10:00"))];
    let cases = [
        ("卫生间", true),
        ("卫生间 ", true),
        (" 卫 生 间。", true),
        ("\u{3000}卫生间", true),
        ("b2卧室窗户", true),
        ("B2 卧室 窗户", true),
        ("厨房", false),
        ("卫生间地面", false),
        ("", false),
        ("  ", false),
    ];
    for (part, want) in cases {
        assert_eq!(is_repeat_at_same_part(&prior, part), want, "「{part}」");
    }
    assert!(!is_repeat_at_same_part(&[], "卫生间"));
    assert!(!is_repeat_at_same_part(&[(" ".to_string(), t("2026-03-01 10:00"))], " "));
    assert_eq!(normalize_part("Ａ１（主卧）"), "a1(主卧)");
}

#[test]
fn continuous_repairs_for_two_months() {
    let now = t("2026-06-01 10:00");
    let ago = |d: i64| now - Duration::days(d);
    type Spans = Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>;
    let cases: Vec<(Spans, bool, &str)> = vec![
        (vec![(ago(59), None)], false, "one ticket open 59 days"),
        (vec![(ago(61), None)], true, "one ticket open 61 days"),
        (vec![(ago(60), None)], true, "exactly 60 days"),
        // A chain of tickets with gaps of 7 days is one run; of 8 days, two.
        (vec![(ago(61), Some(ago(40))), (ago(33), Some(ago(10))), (ago(3), None)], true, "gaps of 7 days"),
        (vec![(ago(61), Some(ago(40))), (ago(32), Some(ago(10))), (ago(2), None)], false, "gap of 8 days"),
        // The run must still be going on ("且仍有问题出现").
        (vec![(ago(120), Some(ago(30)))], false, "ended a month ago"),
        (vec![(ago(70), Some(ago(7)))], true, "closed within the gap"),
        (vec![(ago(70), Some(ago(8)))], false, "closed just beyond the gap"),
        // Order of input does not matter; overlapping tickets are merged.
        (vec![(ago(20), None), (ago(65), Some(ago(15))), (ago(50), Some(ago(45)))], true, "unsorted, overlapping"),
        (vec![], false, "no tickets"),
        (vec![(now + Duration::days(1), None)], false, "a future report is ignored"),
    ];
    let seed = DeadlineSettings::default();
    for (spans, want, why) in cases {
        assert_eq!(continuous_repairs(&spans, &seed, now), want, "{why}");
    }
    // The director's numbers, not the seed's: a 30-day run with gaps of at most 3 days.
    let strict = DeadlineSettings { continuous_repair_days: 30, continuous_repair_gap_days: 3, ..seed };
    let cases: Vec<(Spans, bool, &str)> = vec![
        (vec![(ago(31), None)], true, "31 days is a run of 30"),
        (vec![(ago(29), None)], false, "29 days is not"),
        (vec![(ago(40), Some(ago(20))), (ago(17), None)], true, "a gap of 3 days joins"),
        (vec![(ago(40), Some(ago(20))), (ago(16), None)], false, "a gap of 4 days splits"),
    ];
    for (spans, want, why) in cases {
        assert_eq!(continuous_repairs(&spans, &strict, now), want, "{why}");
    }
}

#[test]
fn batch_wide_at_twenty_percent() {
    // (units, with category, threshold %, expected)
    let cases = [
        (1000, 199, 20, false), // 19.9 %
        (1000, 200, 20, true),  // 20 %
        (10_000, 1_999, 20, false),
        (5, 1, 20, true),
        (6, 1, 20, false),
        (0, 0, 20, false),
        (usize::MAX, usize::MAX, 100, true),
    ];
    for (units, with, pct, want) in cases {
        assert_eq!(batch_wide(units, with, pct), want, "{with}/{units} at {pct}%");
    }
}

#[test]
fn kinds_have_chinese_labels_and_sections() {
    let sections: Vec<&str> = EscalationKind::ALL.iter().map(|k| k.section()).collect();
    assert_eq!(sections, ["§5.2.2.1", "§5.2.2.2", "§5.2.2.3", "§5.2.2.4", "§5.2.2.5", "§5.2.2.6", "§5.2.2.7"]);
    for k in EscalationKind::ALL {
        assert!(!k.label().is_ascii(), "{k:?}");
        assert_eq!(EscalationKind::parse(k.code()), Some(*k));
        assert_eq!(EscalationKind::parse(k.label()), Some(*k));
    }
}
