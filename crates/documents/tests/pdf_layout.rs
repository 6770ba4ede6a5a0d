//! Wrapping rules with a fixed-width measure (every character 1 em), so the expected lines
//! can be written down exactly.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

use desk_documents::pdf::layout::{fit, wrap};

fn em(_: char) -> f32 {
    1.0
}

#[test]
fn chinese_breaks_anywhere_but_punctuation_never_starts_a_line() {
    // 4 characters per line; "，" would start line 2, so "楼" moves down with it.
    assert_eq!(wrap("三号楼渗，水严重。", 4.0, 1.0, &em), vec!["三号楼", "渗，水严", "重。"]);
    // A closing run "）。" pulls two characters down.
    assert_eq!(wrap("请于明天（周三）。好", 4.0, 1.0, &em), vec!["请于明天", "（周", "三）。好"]);
}

#[test]
fn opening_bracket_never_ends_a_line_and_newlines_are_kept() {
    assert_eq!(wrap("甲乙丙（丁）", 4.0, 1.0, &em), vec!["甲乙丙", "（丁）"]);
    assert_eq!(wrap("第一行\n第二行", 10.0, 1.0, &em), vec!["第一行", "第二行"]);
    assert!(wrap("   ", 10.0, 1.0, &em).is_empty());
}

#[test]
fn latin_words_move_whole_and_spaces_do_not_start_lines() {
    assert_eq!(wrap("单号 PG-2026-45", 10.0, 1.0, &em), vec!["单号", "PG-2026-45"]);
    // A word longer than the line is broken by character.
    assert_eq!(wrap("ABCDEFGHIJ", 4.0, 1.0, &em), vec!["ABCD", "EFGH", "IJ"]);
}

#[test]
fn fit_cuts_with_ellipsis_at_the_minimum_size() {
    let f = fit(&"字".repeat(100), 10.0, 5.0, 2.0, 1.0, &em);
    assert_eq!((f.size, f.lines.len(), f.truncated), (1.0, 4, true));
    assert_eq!(f.lines[3], "字字字字字字字字字…");
    assert!(f.height() <= 5.0);
}
