//! Issue 14 path 6, "not ours": a report outside the warranty or outside the developer's scope is
//! handed over — to the property company, which does paid work outside the warranty (§4.4.1,
//! 有偿服务), or to the developer's CS department, which handles the developer's non-warranty
//! matters (§4.5.6) — with the hand-over recorded (to whom, why, who, when) and followed up every
//! `not_ours_follow_up_days` working days ([`next_follow_up`]) until the owner has had an answer.
//! Such matters appear in F03 beside the owner's other non-warranty matters (§5.1.5.3).

use crate::clock::calendar::WorkCalendar;
use crate::clock::ClockMode;
use crate::ticket::TicketStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// To whom a matter that is not the warranty center's is handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum HandOverTo {
    /// §4.4.1 物业公司: out of the warranty period and the property's business, or paid service.
    PropertyCompany,
    /// §4.5.6 地产客服部: the developer's matters outside the warranty's scope.
    CsDepartment,
}

impl HandOverTo {
    pub const ALL: &'static [HandOverTo] = &[HandOverTo::PropertyCompany, HandOverTo::CsDepartment];

    pub fn label(self) -> &'static str {
        match self {
            HandOverTo::PropertyCompany => "物业公司（有偿服务）",
            HandOverTo::CsDepartment => "地产客服部",
        }
    }

    /// The kind label on 今日待办 and F03.
    pub fn short_label(self) -> &'static str {
        match self {
            HandOverTo::PropertyCompany => "转物业",
            HandOverTo::CsDepartment => "转地产客服",
        }
    }

    /// The stable code (the variant name).
    pub fn code(self) -> &'static str {
        match self {
            HandOverTo::PropertyCompany => "PropertyCompany",
            HandOverTo::CsDepartment => "CsDepartment",
        }
    }

    /// Reads a code or a label.
    pub fn parse(s: &str) -> Option<HandOverTo> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|k| k.code() == s || k.label() == s || k.short_label() == s || (s == "物业公司" && *k == HandOverTo::PropertyCompany))
    }
}

/// One follow-up of a hand-over: what the property company or the CS department said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct HandOverFollowUp {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub note: String,
}

/// A hand-over as the ticket, 今日待办 and F03 show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct HandOverView {
    pub id: i64,
    pub ticket_no: String,
    pub to: HandOverTo,
    /// Why it is not the warranty center's.
    pub reason: String,
    pub handed_by: String,
    pub handed_at: DateTime<Utc>,
    pub follow_ups: Vec<HandOverFollowUp>,
    /// While unanswered: the next follow-up is due by then (`not_ours_follow_up_days`).
    pub next_follow_up_due: Option<DateTime<Utc>>,
    /// The answer the owner had; the hand-over is closed once it is recorded.
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl HandOverView {
    /// Its state in words, for F03 and 今日待办.
    pub fn state(&self) -> String {
        match &self.answer {
            Some(a) => format!("已移交{}，业主已获答复：{a}", self.to.label()),
            None => format!("已移交{}，跟进中（已跟进 {} 次），待业主获得答复", self.to.label(), self.follow_ups.len()),
        }
    }
}

/// What a hand-over does to the ticket: a ticket not yet dispatched (已报修/已联系) becomes
/// 非保修范围 with the reason, in the same step; one already out of scope stays so; a closed or
/// visited ticket stays as it is (the owner raised another matter on the return visit,
/// §5.1.5.3). Once a contractor is sent the ticket is warranty work: refused, naming why.
pub fn status_after_hand_over(status: TicketStatus) -> Result<Option<TicketStatus>, String> {
    use TicketStatus::*;
    match status {
        Reported | Contacted => Ok(Some(OutOfScope)),
        OutOfScope | Closed | Visited => Ok(None),
        Cancelled => Err("报修单已取消：不能移交；如业主仍有诉求，请重新登记报修".into()),
        other => Err(format!(
            "报修单已{}，已按保修维修处理：不能再移交物业或地产客服；非保修范围须在派工前（已报修/已联系时）判定，或在关闭、回访后就业主另提的事项移交",
            other.label()
        )),
    }
}

/// When the next follow-up is due: the close of the `days`-th working day after the last
/// follow-up (or the hand-over).
pub fn next_follow_up(cal: &WorkCalendar, last: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    cal.close_of_day(last, u32::try_from(days.max(1)).unwrap_or(1), ClockMode::Working)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parties_read_codes_and_labels() {
        for k in HandOverTo::ALL {
            assert_eq!(HandOverTo::parse(k.code()), Some(*k));
            assert_eq!(HandOverTo::parse(k.label()), Some(*k));
            assert_eq!(HandOverTo::parse(k.short_label()), Some(*k));
        }
        assert_eq!(HandOverTo::parse("物业公司"), Some(HandOverTo::PropertyCompany));
        assert_eq!(HandOverTo::parse("业委会"), None);
    }

    #[test]
    fn only_undispatched_or_finished_tickets_are_handed_over() {
        use TicketStatus::*;
        assert_eq!(status_after_hand_over(Reported), Ok(Some(OutOfScope)));
        assert_eq!(status_after_hand_over(Contacted), Ok(Some(OutOfScope)));
        assert_eq!(status_after_hand_over(OutOfScope), Ok(None));
        assert_eq!(status_after_hand_over(Visited), Ok(None));
        assert!(status_after_hand_over(Dispatched).unwrap_err().contains("派工前"));
        assert!(status_after_hand_over(InRepair).is_err());
        assert!(status_after_hand_over(Cancelled).unwrap_err().contains("已取消"));
    }
}
