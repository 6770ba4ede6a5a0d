//! From dispatch to finished repair (§5.1.3): issue a dispatch notice (F02), record the
//! contractor's arrival against the appointment, the steward's site visits, progress feedback
//! to the owner, and the finished repair with its §8.2 record and the contractor's report.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use chrono::{DateTime, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::clock::rules::arrival_verdict;
use desk_domain::records::{DispatchRecord, TicketDetail};
use desk_domain::repair::check_dispatch_ready;
use desk_domain::repair::{check_dispatch_reason, check_not_before, dispatch_no, DispatchReadiness, DispatchReason, FollowUpKind};
use desk_domain::staff::Role;
use desk_domain::ticket::{validate_text, Classification, TicketStatus};
use desk_domain::time::{fmt_local, local_date, parse_local};
use desk_store::{audit, master, repair, tickets};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DispatchInput {
    pub contractor_id: Option<i64>,
    /// 预约时间 agreed with the owner, local time text.
    pub appointment_at: String,
    /// 维修方案; required for complex tickets, where the director authors it (§5.1.3.2).
    pub plan: String,
    pub materials: String,
    /// 现场负责人 / 电话.
    pub site_contact: String,
    /// Why the slip goes out with no recorded contact with the owner; empty when one is recorded.
    #[serde(default)]
    pub no_contact_reason: String,
    /// Why this slip: first dispatch (the default for the first one), another trade, a re-issue
    /// (no-show, contractor changed) or rework after a failed re-check. Required from the second
    /// slip on; only rework counts as 返修.
    #[serde(default)]
    #[ts(optional)]
    pub reason: Option<DispatchReason>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FollowUpInput {
    pub note: String,
    /// Whether the owner was reached (feedback) — site visits always count.
    pub reached: bool,
    /// 下次反馈时间 (feedback only), local time text.
    pub next_due_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FinishInput {
    pub person_in_charge: String,
    pub materials_used: String,
    pub promised_at: Option<String>,
    pub completed_at: Option<String>,
    pub cause: String,
    pub measures: String,
    pub reliability: String,
}

pub(crate) fn opt_time(raw: &Option<String>, field: &'static str) -> DeskResult<Option<DateTime<Utc>>> {
    match raw.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Some(parse_local(t, field)?)),
        None => Ok(None),
    }
}

pub(crate) fn refused(msg: impl Into<String>) -> DeskError {
    DeskError::new(ErrorKind::Refused, msg)
}

impl Desk {
    /// Issues a dispatch notice to a contractor, with its reason (`check_dispatch_reason`): only a
    /// slip after a failed re-check is rework.
    pub fn issue_dispatch(&self, s: &Session, no: &str, x: DispatchInput) -> DeskResult<DispatchRecord> {
        let now = self.now();
        let contractor_id = x.contractor_id.ok_or_else(|| DeskError::invalid("contractor_id", "请选择维修单位"))?;
        let appointment = parse_local(&x.appointment_at, "appointment_at")?;
        if appointment < now - chrono::Duration::minutes(5) {
            return Err(DeskError::invalid("appointment_at", format!("预约时间 {} 已经过去，请与业主重新约定", fmt_local(appointment))));
        }
        let plan = validate_text("plan", "维修方案", &x.plan, 1000, false)?;
        let materials = validate_text("materials", "材料", &x.materials, 500, false)?;
        let site_contact = validate_text("site_contact", "现场负责人", &x.site_contact, 60, false)?;
        let no_contact_reason = validate_text("no_contact_reason", "未联系业主的原因", &x.no_contact_reason, 200, false)?;
        let detail = self.ticket(no)?;
        // A re-dispatch (rework) follows a first one that already had all of this.
        if detail.dispatches.is_empty() {
            check_dispatch_ready(DispatchReadiness {
                classified: detail.classification.is_some(),
                has_steward: detail.steward_id.is_some(),
                owner_reached: detail.contacts.iter().any(|c| c.reached),
                no_contact_reason: &no_contact_reason,
            })?;
        }
        if detail.classification == Some(Classification::Complex) {
            // §5.1.3.2: the director makes the plan of a complex repair.
            require_role(s, &[Role::Director], "为复杂维修事项签发调度单（方案由保修主任制定）")?;
            if plan.is_empty() {
                return Err(DeskError::invalid("plan", "复杂维修事项须填写维修方案"));
            }
        }
        let contractor = master::list_contractors(&self.store.reader()?.db())?
            .into_iter()
            .find(|c| c.id == contractor_id && c.active)
            .ok_or_else(|| DeskError::invalid("contractor_id", "所选维修单位不存在或已停用"))?;
        let year = chrono::Datelike::year(&local_date(now));
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let from = tickets::status_of(tx, id)?;
            from.move_to(TicketStatus::Dispatched)?;
            crate::duplicates::refuse_on_duplicate(tx, id, "签发调度单")?;
            let prior = repair::dispatches_of(tx, id)?;
            let last_issued = prior.iter().map(|d| d.issued_at).max();
            let failed_recheck =
                repair::followups_of(tx, id)?.iter().any(|f| f.kind == FollowUpKind::Recheck && !f.ok && last_issued.is_some_and(|l| f.at >= l));
            let reason = check_dispatch_reason(prior.len(), x.reason, failed_recheck)?;
            let rework = reason == DispatchReason::Rework;
            let dno = dispatch_no(year, tickets::next_seq(tx, "PG", year)?);
            repair::insert_dispatch(
                tx,
                &repair::NewDispatch {
                    no: &dno,
                    ticket_id: id,
                    contractor_id,
                    site_contact: &site_contact,
                    appointment_at: appointment.timestamp(),
                    plan: &plan,
                    materials: &materials,
                    reason,
                    issued_by: s.staff_id,
                    issued_at: now.timestamp(),
                },
            )?;
            tickets::set_status(tx, id, TicketStatus::Dispatched, now.timestamp())?;
            let what = if rework { "签发返修调度单" } else { "签发调度单" };
            let mut line = format!("{what} {dno}（{}）：{}，预约 {}", reason.label(), contractor.name, fmt_local(appointment));
            if !no_contact_reason.is_empty() {
                line.push_str(&format!("；未登记联系业主，原因：{no_contact_reason}"));
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::Dispatch, "ticket", id, &line)?;
            let (_, d) = repair::dispatch_by_no(tx, &dno)?;
            Ok(d)
        })
    }

    /// The contractor arrived (§5.1.3.3): the arrival is judged against the appointment with the
    /// project's tolerance (`arrival_verdict`, as the ticket screen and the statistics judge it)
    /// and the verdict goes in the timeline.
    pub fn record_arrival(&self, s: &Session, dispatch: &str, at: Option<String>) -> DeskResult<TicketDetail> {
        let now = self.now();
        let at = opt_time(&at, "arrived_at")?.unwrap_or(now);
        if at > now + chrono::Duration::minutes(5) {
            return Err(DeskError::invalid("arrived_at", "到场时间不能晚于现在"));
        }
        self.store.with_tx(|tx| {
            let (ticket_id, d) = repair::dispatch_by_no(tx, dispatch)?;
            if d.arrived_at.is_some() {
                return Err(refused(format!("调度单 {dispatch} 已登记到场")));
            }
            let status = tickets::status_of(tx, ticket_id)?;
            status.move_to(TicketStatus::InRepair)?;
            check_not_before("arrived_at", "到场时间", at, &format!("调度单 {} 的签发时间", d.no), d.issued_at)?;
            repair::set_arrival(tx, d.id, at.timestamp())?;
            tickets::set_status(tx, ticket_id, TicketStatus::InRepair, now.timestamp())?;
            let tol = crate::clocks::deadlines_of(tx, tickets::project_of(tx, ticket_id)?)?.arrival_tolerance.minutes;
            let verdict = arrival_verdict(d.appointment_at, at, tol).text(tol);
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::Arrival,
                "ticket",
                ticket_id,
                &format!("{} 维修人员到场 {}，{verdict}", d.no, fmt_local(at)),
            )?;
            crate::tickets::detail(tx, ticket_id)
        })
    }

    /// The steward's site visit (§5.1.3.4) or progress feedback to the owner (§5.1.3.5).
    pub fn add_followup(&self, s: &Session, no: &str, kind: FollowUpKind, x: FollowUpInput) -> DeskResult<TicketDetail> {
        if !matches!(kind, FollowUpKind::SiteVisit | FollowUpKind::Feedback) {
            return Err(DeskError::invalid("kind", "此处只能登记现场巡视或进度反馈"));
        }
        let now = self.now();
        let note = validate_text("note", "记录内容", &x.note, 500, true)?;
        let next_due = opt_time(&x.next_due_at, "next_due_at")?;
        if let Some(n) = next_due {
            if n <= now {
                return Err(DeskError::invalid("next_due_at", "下次反馈时间应晚于现在"));
            }
        }
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let status = tickets::status_of(tx, id)?;
            if !matches!(status, TicketStatus::Dispatched | TicketStatus::InRepair | TicketStatus::AwaitingAcceptance) {
                return Err(refused(format!("报修单为「{}」，不在维修过程中", status.label())));
            }
            let reached = kind == FollowUpKind::SiteVisit || x.reached;
            repair::insert_followup(
                tx,
                &repair::NewFollowUp {
                    ticket_id: id,
                    kind,
                    at: now.timestamp(),
                    actor_id: s.staff_id,
                    ok: reached,
                    note: &note,
                    next_due_at: next_due.map(|t| t.timestamp()),
                    satisfaction: None,
                    new_phone: "",
                    out_of_scope: "",
                },
            )?;
            let mut detail = format!("{}：{note}", kind.label());
            if let Some(n) = next_due {
                detail.push_str(&format!("；下次反馈 {}", fmt_local(n)));
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::of_followup(kind), "ticket", id, &detail)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// The repair is finished: the §8.2 record and the contractor's report are written and the
    /// ticket waits for acceptance. An "after" photo taken during this repair is required.
    pub fn finish_repair(&self, s: &Session, no: &str, x: FinishInput) -> DeskResult<TicketDetail> {
        let now = self.now();
        let person = validate_text("person_in_charge", "维修负责人", &x.person_in_charge, 40, true)?;
        let materials = validate_text("materials_used", "材料领用", &x.materials_used, 500, false)?;
        let cause = validate_text("cause", "问题原因", &x.cause, 500, true)?;
        let measures = validate_text("measures", "维修措施", &x.measures, 500, true)?;
        let reliability = validate_text("reliability", "可靠性说明", &x.reliability, 500, false)?;
        let promised = opt_time(&x.promised_at, "promised_at")?;
        let completed = opt_time(&x.completed_at, "completed_at")?.unwrap_or(now);
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let status = tickets::status_of(tx, id)?;
            status.move_to(TicketStatus::AwaitingAcceptance)?;
            let d = repair::dispatches_of(tx, id)?.pop().ok_or_else(|| refused("还没有调度单"))?;
            let arrived = d.arrived_at.ok_or_else(|| refused(format!("调度单 {} 还没有登记维修人员到场，请先登记到场", d.no)))?;
            check_not_before("completed_at", "完工时间", completed, "维修人员到场时间", arrived)?;
            if repair::photos_since(tx, id, "After", d.issued_at.timestamp())? == 0 {
                return Err(DeskError::invalid("photos", "请先上传维修后照片，再登记完工"));
            }
            repair::set_report(
                tx,
                d.id,
                &repair::RepairReport {
                    person_in_charge: &person,
                    materials_used: &materials,
                    promised_at: promised.map(|t| t.timestamp()),
                    completed_at: completed.timestamp(),
                    cause: &cause,
                    measures: &measures,
                    reliability: &reliability,
                },
            )?;
            tickets::set_status(tx, id, TicketStatus::AwaitingAcceptance, now.timestamp())?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::Finish,
                "ticket",
                id,
                &format!("{} 完工 {}；原因：{cause}；措施：{measures}", d.no, fmt_local(completed)),
            )?;
            crate::tickets::detail(tx, id)
        })
    }
}
