//! The survey visit (勘查, §5.1.2.2–3, §5.1.3.1–2). A general or complex matter needs a look on
//! site before its plan: the steward agrees a survey time with the owner — its own appointment,
//! separate from the repair's on the dispatch slip — goes, and records what was found and the
//! plan. A complex matter's plan is the director's, and the director reports it to the project
//! head or the warranty engineer the project assigned (to whom, when, and their answer).
//!
//! The order is one chain, checked here so the desk, the ticket page and 今日待办 agree:
//! classify → book → record findings and plan → (complex) report → answer. A survey booked
//! again before it happened replaces the earlier booking (kept, marked superseded).

use crate::ticket::Classification;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One survey of a ticket as the ticket page and 今日待办 show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SurveyView {
    pub id: i64,
    pub booked_by: String,
    pub booked_at: DateTime<Utc>,
    /// The survey time agreed with the owner.
    pub appointment_at: DateTime<Utc>,
    pub note: String,
    /// Set when a later booking replaced this one before it happened.
    pub superseded_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    /// 勘查情况.
    pub findings: String,
    /// 维修方案 (a complex matter's is the director's).
    pub plan: String,
    /// The project head or engineer the complex plan was reported to.
    pub reported_to: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl SurveyView {
    /// The booking still waiting for its visit.
    pub fn is_pending(&self) -> bool {
        self.superseded_at.is_none() && self.done_at.is_none()
    }
}

/// Where a survey stands, for the refusals and the duties: the chain's next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyStep {
    /// Nothing booked yet (or only superseded bookings).
    Book,
    /// Booked; the visit's findings and plan are not recorded.
    Record,
    /// A complex plan waits to be reported to the project head or engineer.
    Report,
    /// Reported; their answer is not recorded.
    Answer,
    /// Nothing more to do.
    Done,
}

/// Whether a ticket of this classification is surveyed at all (§5.1.2): a simple matter needs no
/// survey, an unclassified one must be judged first.
pub fn check_needs_survey(c: Option<Classification>) -> Result<(), String> {
    match c {
        None => Err("请先判定维修分类（§5.1.2）：一般或复杂维修事项才需现场勘查".into()),
        Some(Classification::Simple) => Err("简单维修事项无需现场勘查（§5.1.2.1），请直接约定维修时间并派工".into()),
        Some(_) => Ok(()),
    }
}

/// The latest survey that counts (not superseded), if any.
pub fn current(surveys: &[SurveyView]) -> Option<&SurveyView> {
    surveys.iter().rev().find(|s| s.superseded_at.is_none())
}

/// The next step of a ticket's survey chain.
pub fn next_step(c: Option<Classification>, surveys: &[SurveyView]) -> SurveyStep {
    match current(surveys) {
        None => SurveyStep::Book,
        Some(s) if s.done_at.is_none() => SurveyStep::Record,
        Some(s) if c == Some(Classification::Complex) && s.reported_at.is_none() => SurveyStep::Report,
        Some(s) if s.reported_at.is_some() && s.answered_at.is_none() => SurveyStep::Answer,
        Some(_) => SurveyStep::Done,
    }
}

/// Refuses a step out of order, naming what must come first.
pub fn check_step(c: Option<Classification>, surveys: &[SurveyView], wanted: SurveyStep) -> Result<(), String> {
    let next = next_step(c, surveys);
    if next == wanted || (wanted == SurveyStep::Book && next == SurveyStep::Record) {
        // Booking again before the visit replaces the earlier booking.
        return Ok(());
    }
    Err(match (wanted, next) {
        (SurveyStep::Book, _) => "勘查已完成，不能再预约；如需再次勘查请在备注中说明并联系保修主任".into(),
        (_, SurveyStep::Book) => "请先与业主约定勘查时间".into(),
        (_, SurveyStep::Record) => "请先登记勘查情况和维修方案".into(),
        (SurveyStep::Report, _) if c != Some(Classification::Complex) => "只有复杂维修事项的方案须汇报项目部（§5.1.2.3）".into(),
        (SurveyStep::Report, _) => "该方案已汇报项目部".into(),
        (SurveyStep::Answer, SurveyStep::Report) => "请先将方案汇报项目部负责人或保修工程师".into(),
        (SurveyStep::Answer, _) => "项目部的答复已登记".into(),
        (SurveyStep::Record, _) => "该次勘查已登记".into(),
        _ => "勘查步骤顺序不对".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).single().expect("a valid time")
    }

    fn booked() -> SurveyView {
        SurveyView {
            id: 1,
            booked_by: "王磊".into(),
            booked_at: at(1),
            appointment_at: at(2),
            note: String::new(),
            superseded_at: None,
            done_at: None,
            done_by: None,
            findings: String::new(),
            plan: String::new(),
            reported_to: None,
            reported_at: None,
            answer: None,
            answered_by: None,
            answered_at: None,
        }
    }

    #[test]
    fn a_simple_or_unjudged_matter_is_not_surveyed() {
        assert!(check_needs_survey(Some(Classification::Simple)).unwrap_err().contains("无需现场勘查"));
        assert!(check_needs_survey(None).unwrap_err().contains("请先判定维修分类"));
        assert!(check_needs_survey(Some(Classification::General)).is_ok());
        assert!(check_needs_survey(Some(Classification::Complex)).is_ok());
    }

    #[test]
    fn a_complex_plan_is_reported_and_answered_a_general_one_is_not() {
        let complex = Some(Classification::Complex);
        let general = Some(Classification::General);
        assert_eq!(next_step(complex, &[]), SurveyStep::Book);
        let mut s = booked();
        assert_eq!(next_step(complex, std::slice::from_ref(&s)), SurveyStep::Record);
        assert!(check_step(complex, std::slice::from_ref(&s), SurveyStep::Report).unwrap_err().contains("请先登记勘查情况"));
        s.done_at = Some(at(3));
        assert_eq!(next_step(general, std::slice::from_ref(&s)), SurveyStep::Done);
        assert!(check_step(general, std::slice::from_ref(&s), SurveyStep::Report).unwrap_err().contains("只有复杂维修事项"));
        assert_eq!(next_step(complex, std::slice::from_ref(&s)), SurveyStep::Report);
        assert!(check_step(complex, std::slice::from_ref(&s), SurveyStep::Answer).unwrap_err().contains("请先将方案汇报"));
        s.reported_at = Some(at(4));
        assert_eq!(next_step(complex, std::slice::from_ref(&s)), SurveyStep::Answer);
        s.answered_at = Some(at(5));
        assert_eq!(next_step(complex, std::slice::from_ref(&s)), SurveyStep::Done);
        assert!(check_step(complex, std::slice::from_ref(&s), SurveyStep::Book).unwrap_err().contains("勘查已完成"));
    }

    #[test]
    fn booking_again_before_the_visit_replaces_the_booking() {
        let first = SurveyView { superseded_at: Some(at(2)), ..booked() };
        let second = SurveyView { id: 2, ..booked() };
        assert!(check_step(Some(Classification::General), &[first.clone(), second.clone()], SurveyStep::Book).is_ok());
        assert_eq!(current(&[first, second]).map(|s| s.id), Some(2));
    }
}
