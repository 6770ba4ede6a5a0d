//! The survey visit (勘查, §5.1.2.2–3, §5.1.3.1–2; see `desk_domain::survey`): the steward books
//! the survey with the owner, goes, and records what was found and the plan; a complex matter's
//! plan is the director's, reported to the project head or an assigned warranty engineer, whose
//! answer is recorded. Each step checks its role and the chain's order, and writes in one
//! transaction with its audit line. The open ends are on 今日待办 (`survey_duties`) and the day's
//! surveys in F03.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::matters::MatterDuty;
use crate::repair::refused;
use chrono::{DateTime, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::records::TicketDetail;
use desk_domain::staff::Role;
use desk_domain::survey::{self as ds, SurveyStep};
use desk_domain::ticket::{validate_text, Classification, TicketStatus};
use desk_domain::time::{fmt_local, parse_local};
use desk_store::{audit, survey, tickets, Db};
use serde::Deserialize;

/// Who books a survey and records it (§5.1.3.1: 保修管家; the director handles complex ones).
pub const SURVEY_ROLES: &[Role] = &[Role::Steward, Role::Director];
/// Who makes a complex matter's plan and reports it (§5.1.3.2, §5.1.2.3: 保修主任).
pub const COMPLEX_PLAN_ROLES: &[Role] = &[Role::Director];
/// Who records the answer to a reported plan: the person it went to, or the director taking it
/// down from a call.
pub const PLAN_ANSWER_ROLES: &[Role] = &[Role::Director, Role::ProjectGm, Role::Engineer];

/// The survey time agreed with the owner.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SurveyBooking {
    /// Local time text, e.g. `2026-03-05 09:30`.
    pub appointment_at: String,
    #[serde(default)]
    pub note: String,
}

/// What the survey found and the plan.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SurveyResult {
    pub findings: String,
    pub plan: String,
}

/// The ticket's state for a survey step: its id, classification and surveys, refusing a ticket
/// that is not surveyed (simple, unjudged, closed, a duplicate).
fn survey_ticket(tx: &Db, no: &str, what: &str) -> DeskResult<(i64, Option<Classification>, Vec<ds::SurveyView>)> {
    let id = tickets::id_by_no(tx, no.trim())?;
    let d = tickets::get_detail(tx, id)?;
    if !matches!(d.status, TicketStatus::Reported | TicketStatus::Contacted | TicketStatus::Dispatched | TicketStatus::InRepair) {
        return Err(refused(format!("报修单为「{}」，不能{what}", d.status.label())));
    }
    crate::duplicates::refuse_on_duplicate(tx, id, what)?;
    ds::check_needs_survey(d.classification).map_err(refused)?;
    Ok((id, d.classification, d.surveys))
}

fn step(c: Option<Classification>, surveys: &[ds::SurveyView], wanted: SurveyStep) -> DeskResult<()> {
    ds::check_step(c, surveys, wanted).map_err(refused)
}

impl Desk {
    /// §5.1.3.1–2: the survey time agreed with the owner. Booking again before the visit replaces
    /// the earlier booking (kept, marked superseded).
    pub fn book_survey(&self, s: &Session, no: &str, x: SurveyBooking) -> DeskResult<TicketDetail> {
        require_role(s, SURVEY_ROLES, "约定现场勘查")?;
        let at = parse_local(x.appointment_at.trim(), "appointment_at")?;
        let note = validate_text("note", "备注", &x.note, 300, false)?;
        let now = self.now();
        if at < now - chrono::Duration::days(1) {
            return Err(DeskError::invalid("appointment_at", "勘查时间不能早于昨天：请填写与业主约定的时间"));
        }
        self.store.with_tx(|tx| {
            let (id, c, surveys) = survey_ticket(tx, no, "约定现场勘查")?;
            step(c, &surveys, SurveyStep::Book)?;
            let again = surveys.iter().any(|v| v.is_pending());
            survey::book(tx, id, s.staff_id, now.timestamp(), at.timestamp(), &note)?;
            let mut line = format!("{}现场勘查：{}", if again { "改约" } else { "约定" }, fmt_local(at));
            if !note.is_empty() {
                line.push_str(&format!("；{note}"));
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::SurveyBook, "ticket", id, &line)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// The survey happened: what was found and the plan. A complex matter's plan is the
    /// director's (§5.1.3.2).
    pub fn record_survey(&self, s: &Session, no: &str, x: SurveyResult) -> DeskResult<TicketDetail> {
        require_role(s, SURVEY_ROLES, "登记勘查情况")?;
        let findings = validate_text("findings", "勘查情况", &x.findings, 1000, true)?;
        let plan = validate_text("plan", "维修方案", &x.plan, 1000, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let (id, c, surveys) = survey_ticket(tx, no, "登记勘查情况")?;
            step(c, &surveys, SurveyStep::Record)?;
            if c == Some(Classification::Complex) {
                require_role(s, COMPLEX_PLAN_ROLES, "制定复杂维修事项的方案（§5.1.3.2）")?;
            }
            let current = ds::current(&surveys).ok_or_else(|| refused("请先与业主约定勘查时间"))?;
            survey::record(tx, current.id, s.staff_id, now.timestamp(), &findings, &plan)?;
            let mut line = format!("登记勘查情况：{findings}；维修方案：{plan}");
            if c == Some(Classification::Complex) {
                line.push_str("；复杂维修事项，方案须汇报项目部负责人或保修工程师");
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::SurveyRecord, "ticket", id, &line)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// §5.1.2.3: the director reports a complex plan to the project head or the assigned warranty
    /// engineer (to whom, when).
    pub fn report_survey_plan(&self, s: &Session, no: &str, reported_to_id: i64) -> DeskResult<TicketDetail> {
        require_role(s, COMPLEX_PLAN_ROLES, "汇报复杂维修方案")?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let to = crate::matters::reported_person(tx, reported_to_id)?;
            let (id, c, surveys) = survey_ticket(tx, no, "汇报维修方案")?;
            step(c, &surveys, SurveyStep::Report)?;
            let current = ds::current(&surveys).ok_or_else(|| refused("请先与业主约定勘查时间"))?;
            survey::report(tx, current.id, to.id, now.timestamp())?;
            let line = format!("复杂维修方案已于 {} 汇报{}{}", fmt_local(now), to.role.label(), to.name);
            audit::append(tx, now, Some(s.staff_id), AuditAction::SurveyReport, "ticket", id, &line)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// The answer of the person the plan was reported to, once. An engineer records only the
    /// answer to a plan reported to them.
    pub fn answer_survey_plan(&self, s: &Session, no: &str, answer: &str) -> DeskResult<TicketDetail> {
        require_role(s, PLAN_ANSWER_ROLES, "登记项目部对方案的答复")?;
        let answer = validate_text("answer", "答复", answer, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let (id, c, surveys) = survey_ticket(tx, no, "登记方案答复")?;
            step(c, &surveys, SurveyStep::Answer)?;
            let current = ds::current(&surveys).ok_or_else(|| refused("请先与业主约定勘查时间"))?;
            if s.role == Role::Engineer && current.reported_to.as_deref() != Some(s.name.as_str()) {
                return Err(DeskError::denied("该方案未汇报给您：只有被汇报的保修工程师、项目总经理或保修主任可以登记答复"));
            }
            survey::answer(tx, current.id, s.staff_id, now.timestamp(), &answer)?;
            let who = current.reported_to.clone().unwrap_or_default();
            let line = if s.role == Role::Director {
                format!("登记{who}对方案的答复：{answer}")
            } else {
                format!("{}{}对方案的答复：{answer}", s.role.label(), s.name)
            };
            audit::append(tx, now, Some(s.staff_id), AuditAction::SurveyAnswer, "ticket", id, &line)?;
            crate::tickets::detail(tx, id)
        })
    }
}

/// The survey chain's open ends on 今日待办: a survey booked for today or earlier and not yet
/// recorded (the steward's), a complex plan not yet reported (the director's), and a reported
/// plan waiting for its answer.
pub(crate) fn survey_duties(tx: &Db, now: DateTime<Utc>) -> DeskResult<Vec<MatterDuty>> {
    let cal = crate::clocks::calendar_in(tx)?;
    let end_of_today = cal.close_of_day(now, 0, desk_domain::clock::ClockMode::Continuous).max(now);
    let mut out = Vec::new();
    for (no, complex, v) in survey::open_ends(tx)? {
        let duty = match ds::next_step(Some(if complex { Classification::Complex } else { Classification::General }), std::slice::from_ref(&v)) {
            SurveyStep::Record if v.appointment_at <= end_of_today => MatterDuty {
                ticket_no: no,
                kind: "现场勘查".into(),
                text: format!("已约 {} 现场勘查（{}约定）：勘查后登记勘查情况和维修方案", fmt_local(v.appointment_at), v.booked_by),
                due_at: Some(v.appointment_at),
                late: v.appointment_at < now,
            },
            SurveyStep::Report => MatterDuty {
                ticket_no: no,
                kind: "复杂方案".into(),
                text: "复杂维修事项的方案已制定，保修主任须汇报项目部负责人或保修工程师（§5.1.2.3）".into(),
                due_at: None,
                late: false,
            },
            SurveyStep::Answer => MatterDuty {
                ticket_no: no,
                kind: "复杂方案".into(),
                text: format!("方案已于 {} 汇报{}，待其答复", v.reported_at.map(fmt_local).unwrap_or_default(), v.reported_to.unwrap_or_default()),
                due_at: None,
                late: false,
            },
            _ => continue,
        };
        out.push(duty);
    }
    Ok(out)
}
