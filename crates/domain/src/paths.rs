//! Three paths of the procedure besides the main road (issue 14): an upset owner (§6.5), a
//! closed ticket whose repair fails again (reopen, or a new ticket linked to the old one), and
//! an owner whose number changed (§5.1.4.2). Pure rules; the desk passes `now` in.

use crate::ticket::TicketStatus;
use crate::DomainError;
use chrono::{DateTime, Duration, Utc};

/// What 今日待办 and the ticket show for a hold because the owner is upset (§6.5): who must act.
pub const UPSET_OWNER_MUST_ACT: &str = "须客服主管助理处理";

/// The text of an upset-owner hold wherever a hold's reason is shown.
pub fn upset_owner_hold_text(reason: &str) -> String {
    format!("业主情绪激动：{reason}（{UPSET_OWNER_MUST_ACT}）")
}

/// The end of the reopen window of a ticket closed at `closed_at`.
pub fn reopen_until(closed_at: DateTime<Utc>, window_days: i64) -> DateTime<Utc> {
    closed_at + Duration::days(window_days)
}

/// Whether a ticket in `status`, closed at `closed_at`, may be reopened at `now`: only a closed
/// (已关闭 / 已回访) ticket, and only within the window; after it, a new ticket is opened and
/// linked to this one (`no`).
pub fn check_reopen(no: &str, status: TicketStatus, closed_at: Option<DateTime<Utc>>, now: DateTime<Utc>, window_days: i64) -> Result<(), DomainError> {
    if !matches!(status, TicketStatus::Closed | TicketStatus::Visited) {
        return Err(DomainError::rule(format!("报修单为「{}」，须先关闭（完工通知业主后）才能重新打开", status.label())));
    }
    let Some(closed) = closed_at else {
        return Err(DomainError::rule("找不到该报修单的关闭记录，不能重新打开"));
    };
    if now > reopen_until(closed, window_days) {
        return Err(DomainError::rule(format!(
            "报修单 {no} 关闭已超过 {window_days} 天，不能重新打开：请登记新报修单，并在「原报修单」中填写 {no}（计为同一部位再次维修）"
        )));
    }
    Ok(())
}

/// Whether a new ticket may name `no` as the earlier ticket of the same failure: it must be
/// closed, and closed longer ago than the reopen window (within it, it is reopened instead).
pub fn check_previous(no: &str, status: TicketStatus, closed_at: Option<DateTime<Utc>>, now: DateTime<Utc>, window_days: i64) -> Result<(), DomainError> {
    if status.is_open() {
        return Err(DomainError::field("previous", format!("报修单 {no} 仍在处理中（{}）：同一问题请关联为重复报修", status.label())));
    }
    if !matches!(status, TicketStatus::Closed | TicketStatus::Visited) {
        return Err(DomainError::field("previous", format!("报修单 {no} 已{}，不能作为原报修单", status.label())));
    }
    if let Some(closed) = closed_at {
        if now <= reopen_until(closed, window_days) {
            return Err(DomainError::field("previous", format!("报修单 {no} 关闭未满 {window_days} 天：请在原报修单上「重新打开」，不要另登新单")));
        }
    }
    Ok(())
}

/// An owner's phones after a changed number: the new one first, the other current numbers, then
/// the old one (kept, marked old). Returns (the list in order, the numbers marked old).
pub fn phones_after_change(current: &[String], already_old: &[String], old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let mut list = vec![new.to_string()];
    list.extend(current.iter().filter(|p| p.as_str() != new && p.as_str() != old && !already_old.contains(p)).cloned());
    let mut olds: Vec<String> = Vec::new();
    if !old.is_empty() && old != new {
        olds.push(old.to_string());
    }
    olds.extend(already_old.iter().filter(|p| p.as_str() != new && p.as_str() != old).cloned());
    list.extend(olds.iter().cloned());
    (list, olds)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, 2, 0, 0).unwrap()
    }

    #[test]
    fn a_closed_ticket_reopens_within_the_window_only() {
        let closed = Some(day(1));
        assert!(check_reopen("BX-1", TicketStatus::Closed, closed, day(1) + Duration::days(90), 90).is_ok());
        assert!(check_reopen("BX-1", TicketStatus::Visited, closed, day(2), 90).is_ok());
        let late = check_reopen("BX-1", TicketStatus::Closed, closed, day(1) + Duration::days(90) + Duration::seconds(1), 90).unwrap_err();
        assert!(late.to_string().contains("请登记新报修单"), "{late}");
        let open = check_reopen("BX-1", TicketStatus::InRepair, closed, day(2), 90).unwrap_err();
        assert!(open.to_string().contains("须先关闭"), "{open}");
        assert!(check_reopen("BX-1", TicketStatus::Cancelled, closed, day(2), 90).is_err());
        assert!(check_reopen("BX-1", TicketStatus::Closed, None, day(2), 90).is_err());
    }

    #[test]
    fn a_previous_ticket_is_closed_and_past_the_window() {
        let closed = Some(day(1));
        assert!(check_previous("BX-1", TicketStatus::Visited, closed, day(1) + Duration::days(91), 90).is_ok());
        assert!(check_previous("BX-1", TicketStatus::Closed, closed, day(5), 90).unwrap_err().to_string().contains("重新打开"));
        assert!(check_previous("BX-1", TicketStatus::InRepair, closed, day(5), 90).unwrap_err().to_string().contains("重复报修"));
        assert!(check_previous("BX-1", TicketStatus::OutOfScope, closed, day(5), 90).is_err());
    }

    #[test]
    fn a_changed_number_goes_first_and_the_old_one_is_kept_marked_old() {
        let cur = vec!["13800000001".to_string(), "13800000002".to_string()];
        let (list, olds) = phones_after_change(&cur, &[], "13800000001", "13900000009");
        assert_eq!(list, ["13900000009", "13800000002", "13800000001"]);
        assert_eq!(olds, ["13800000001"]);
        // A second change keeps both old numbers; a number coming back is current again.
        let (list, olds) = phones_after_change(&list, &olds, "13900000009", "13800000001");
        assert_eq!(list, ["13800000001", "13800000002", "13900000009"]);
        assert_eq!(olds, ["13900000009"]);
    }

    #[test]
    fn an_upset_owner_hold_says_who_must_act() {
        assert_eq!(upset_owner_hold_text("对维修进度不满"), "业主情绪激动：对维修进度不满（须客服主管助理处理）");
    }
}
