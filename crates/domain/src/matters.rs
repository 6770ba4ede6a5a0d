//! Two paths of issue 14 above the steward's reach:
//!
//! - **Major matters (§5.1.4.3, §6.4).** The director marks a matter 重大 on a ticket and reports
//!   it to the project GM or a warranty engineer the project sent (to whom, when). The steward
//!   cannot answer or promise the owner on it: the owner's progress message says the matter was
//!   reported and promises nothing. The ticket closes only after the GM's or engineer's opinion
//!   is recorded ([`close_blocked`]).
//! - **Complaints above the center (§5.2.1).** A complaint that reached the region or the group,
//!   or a foreseeable group complaint (several units, one matter), is recorded with its level and
//!   units, reported to the GM or an engineer, and supervised by a named person until it is
//!   closed with a result; the supervisor follows it up every `complaint_follow_up_days` working
//!   days ([`next_follow_up`]), on 今日待办.

use crate::clock::calendar::WorkCalendar;
use crate::clock::ClockMode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How far a complaint went (§5.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum ComplaintLevel {
    /// 投诉到区域公司.
    Region,
    /// 投诉到集团.
    Group,
    /// 可预见的群诉：多户、同一问题.
    ForeseeableGroup,
}

impl ComplaintLevel {
    pub const ALL: &'static [ComplaintLevel] = &[ComplaintLevel::Region, ComplaintLevel::Group, ComplaintLevel::ForeseeableGroup];

    pub fn label(self) -> &'static str {
        match self {
            ComplaintLevel::Region => "投诉至区域",
            ComplaintLevel::Group => "投诉至集团",
            ComplaintLevel::ForeseeableGroup => "可预见群诉",
        }
    }

    pub fn short_label(self) -> &'static str {
        match self {
            ComplaintLevel::Region => "区域",
            ComplaintLevel::Group => "集团",
            ComplaintLevel::ForeseeableGroup => "可预见群诉",
        }
    }

    /// The stable code (the variant name).
    pub fn code(self) -> &'static str {
        match self {
            ComplaintLevel::Region => "Region",
            ComplaintLevel::Group => "Group",
            ComplaintLevel::ForeseeableGroup => "ForeseeableGroup",
        }
    }

    /// Reads a code or a label.
    pub fn parse(s: &str) -> Option<ComplaintLevel> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|k| k.code() == s || k.label() == s || k.short_label() == s)
    }
}

/// A major matter of a ticket, as the ticket shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct MajorMatterView {
    pub id: i64,
    pub description: String,
    pub marked_by: String,
    pub marked_at: DateTime<Utc>,
    /// The project GM or warranty engineer it was reported to.
    pub reported_to: String,
    pub reported_to_role: crate::staff::Role,
    pub reported_at: DateTime<Utc>,
    /// Their opinion; the ticket closes only once it is recorded.
    pub opinion: Option<String>,
    pub opinion_by: Option<String>,
    pub opinion_at: Option<DateTime<Utc>>,
}

/// One follow-up of a complaint by its supervisor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ComplaintFollowUp {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub note: String,
}

/// A complaint above the center (§5.2.1), as the ticket and 今日待办 show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ComplaintView {
    pub id: i64,
    pub ticket_no: String,
    pub level: ComplaintLevel,
    /// The units involved, e.g. `1-1-101、1-1-102`.
    pub units: Vec<String>,
    pub description: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    pub reported_to: String,
    pub reported_at: DateTime<Utc>,
    pub supervisor_id: i64,
    pub supervisor: String,
    pub follow_ups: Vec<ComplaintFollowUp>,
    /// While open: the next follow-up is due by then (`complaint_follow_up_days` working days).
    pub next_follow_up_due: Option<DateTime<Utc>>,
    pub result: Option<String>,
    pub closed_by: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// The owner's progress line while a major matter waits for the GM's or engineer's opinion: the
/// steward cannot answer or promise on it, so the message says it was reported and promises
/// nothing (no date, no outcome).
pub const MAJOR_PENDING_OWNER_LINE: &str = "您反映的问题已列为重大事项，已上报项目公司研究处理，处理意见确定后保修中心将第一时间与您联系。";

/// The same, in the desk's words on the ticket and 今日待办.
pub const MAJOR_PENDING_DESK: &str = "重大事项待项目总经理/保修工程师出具意见：保修管家不得自行答复或承诺业主";

/// Refuses closing a ticket while a major matter has no recorded opinion: names what must come
/// first (§5.1.4.3).
pub fn close_blocked(matters: &[MajorMatterView]) -> Option<String> {
    matters
        .iter()
        .find(|m| m.opinion.is_none())
        .map(|m| format!("该报修单有重大事项「{}」已报{}，须先由其登记处理意见，才能关闭（§5.1.4.3）", m.description, m.reported_to))
}

/// The units of a complaint: trimmed, split on 、，, and spaces, each once, at least one;
/// a foreseeable group complaint names at least two.
pub fn parse_units(level: ComplaintLevel, text: &[String]) -> Result<Vec<String>, crate::error::DomainError> {
    let mut out: Vec<String> = Vec::new();
    for part in text.iter().flat_map(|t| t.split(['、', '，', ',', ' ', ';', '；'])) {
        let p = part.trim();
        if !p.is_empty() && !out.iter().any(|u| u == p) {
            out.push(p.to_string());
        }
    }
    if out.is_empty() {
        return Err(crate::error::DomainError::field("units", "请填写涉及的房号"));
    }
    if level == ComplaintLevel::ForeseeableGroup && out.len() < 2 {
        return Err(crate::error::DomainError::field("units", "可预见群诉须涉及多户：请填写至少两个房号"));
    }
    Ok(out)
}

/// When the supervisor's next follow-up is due: the close of the `days`-th working day after
/// the last follow-up (or the recording).
pub fn next_follow_up(cal: &WorkCalendar, last: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    cal.close_of_day(last, u32::try_from(days.max(1)).unwrap_or(1), ClockMode::Working)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_codes_and_labels() {
        for l in ComplaintLevel::ALL {
            assert_eq!(ComplaintLevel::parse(l.code()), Some(*l));
            assert_eq!(ComplaintLevel::parse(l.label()), Some(*l));
        }
    }

    #[test]
    fn a_foreseeable_group_complaint_names_several_units() {
        assert!(parse_units(ComplaintLevel::ForeseeableGroup, &["1-1-101".into()]).is_err());
        assert_eq!(parse_units(ComplaintLevel::ForeseeableGroup, &["1-1-101、1-1-102，1-1-101".into()]).unwrap(), vec!["1-1-101", "1-1-102"]);
        assert!(parse_units(ComplaintLevel::Region, &[" ".into()]).is_err());
    }
}
