//! Two paths of issue 14 above the steward's reach (see `desk_domain::matters`):
//!
//! - **Major matters (§5.1.4.3, §6.4).** The director marks a matter 重大 on a ticket and reports
//!   it to the project GM or a warranty engineer (recorded: to whom, when); that person records
//!   the opinion; the ticket's closing (the completion notice that reaches the owner, or the
//!   unreachable close) is refused until then. The owner's progress message promises nothing
//!   meanwhile.
//! - **Complaints above the center (§5.2.1).** The director records a complaint that reached the
//!   region or the group, or a foreseeable group complaint (level, units), reported to the GM or
//!   an engineer, with a named supervisor; the supervisor follows it up every
//!   `complaint_follow_up_days` working days (今日待办) and the supervisor or the director closes
//!   it with a result.
//!
//! Each step checks its role, refuses an out-of-order call with a Chinese message naming what
//! must come first, and writes in one transaction with its audit line.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::repair::refused;
use chrono::{DateTime, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::clock::rules::DeadlineSettings;
use desk_domain::matters::{self as dm, ComplaintLevel, ComplaintView};
use desk_domain::records::TicketDetail;
use desk_domain::staff::Role;
use desk_domain::ticket::validate_text;
use desk_domain::time::fmt_local;
use desk_store::{audit, matters, staff, tickets, Db};
use serde::{Deserialize, Serialize};

/// Who marks a matter major and reports it (§5.1.4.3: 保修主任).
pub const MAJOR_MARK_ROLES: &[Role] = &[Role::Director];
/// Who records the opinion on a major matter: the project GM, or the engineer it was reported to.
pub const MAJOR_OPINION_ROLES: &[Role] = &[Role::ProjectGm, Role::Engineer];
/// Who records a complaint above the center and names its supervisor (§5.2.1).
pub const COMPLAINT_ROLES: &[Role] = &[Role::Director];
/// Who may supervise a complaint: follow it up and close it (the director too, always).
pub const SUPERVISOR_ROLES: &[Role] = &[Role::Director, Role::Steward, Role::CsAssistant, Role::Engineer];
/// Who a major matter or a complaint is reported to.
pub const REPORT_TO_ROLES: &[Role] = &[Role::ProjectGm, Role::Engineer];

/// §5.1.4.3: the matter and to whom it was reported.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct MajorInput {
    pub description: String,
    /// The project GM or the warranty engineer it was reported to.
    pub reported_to_id: i64,
}

/// §5.2.1: a complaint above the center.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ComplaintInput {
    pub level: ComplaintLevel,
    /// The units involved (`1-1-101、1-1-102`); the ticket's own unit when empty.
    #[serde(default)]
    pub units: Vec<String>,
    pub description: String,
    pub reported_to_id: i64,
    pub supervisor_id: i64,
}

/// One line of 今日待办 for a major matter or a complaint above the center.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct MatterDuty {
    pub ticket_no: String,
    /// 重大事项 or the complaint's level.
    pub kind: String,
    /// What must happen and who must do it.
    pub text: String,
    /// The complaint's next follow-up; none for a major matter (it waits for a person).
    pub due_at: Option<DateTime<Utc>>,
    pub late: bool,
}

impl Desk {
    /// §5.1.4.3: the director marks a matter major on an open ticket and reports it to the GM or
    /// an engineer (to whom, when). One matter waits for its opinion at a time.
    pub fn mark_major_matter(&self, s: &Session, no: &str, x: MajorInput) -> DeskResult<TicketDetail> {
        require_role(s, MAJOR_MARK_ROLES, "标记重大事项")?;
        let description = validate_text("description", "重大事项", &x.description, 300, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let to = reported_person(tx, x.reported_to_id)?;
            let id = tickets::id_by_no(tx, no.trim())?;
            let status = tickets::status_of(tx, id)?;
            if !status.is_open() {
                return Err(refused(format!("报修单已{}：请先重新打开，再标记重大事项", status.label())));
            }
            if let Some(m) = matters::major_matters_of(tx, id)?.into_iter().find(|m| m.opinion.is_none()) {
                return Err(refused(format!("该报修单已有重大事项「{}」待{}出具意见：请先登记其处理意见", m.description, m.reported_to)));
            }
            matters::insert_major(tx, id, &description, s.staff_id, now.timestamp(), to.id)?;
            let detail = format!("标记重大事项：{description}；已于 {} 上报{}{}，保修管家不得自行答复或承诺业主", fmt_local(now), to.role.label(), to.name);
            audit::append(tx, now, Some(s.staff_id), AuditAction::MajorMatter, "ticket", id, &detail)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// §5.1.4.3: the GM (or the engineer it was reported to) records the opinion, once; then the
    /// ticket may close.
    pub fn record_major_opinion(&self, s: &Session, no: &str, matter_id: i64, opinion: &str) -> DeskResult<TicketDetail> {
        require_role(s, MAJOR_OPINION_ROLES, "登记重大事项处理意见")?;
        let opinion = validate_text("opinion", "处理意见", opinion, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no.trim())?;
            let (ticket, reported_to) = match matters::major_state(tx, matter_id)? {
                None => return Err(refused("须先由保修主任标记重大事项并上报，才能登记处理意见")),
                Some((_, _, true)) => return Err(refused("该重大事项已登记处理意见，不能再次登记")),
                Some((t, to, false)) => (t, to),
            };
            if ticket != id {
                return Err(refused("该重大事项不属于本报修单"));
            }
            if s.role == Role::Engineer && s.staff_id != reported_to {
                return Err(DeskError::denied("该重大事项未上报给您：只有被上报的保修工程师或项目总经理可以登记处理意见"));
            }
            matters::record_opinion(tx, matter_id, &opinion, s.staff_id, now.timestamp())?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::MajorOpinion,
                "ticket",
                id,
                &format!("{}{}对重大事项的处理意见：{opinion}", s.role.label(), s.name),
            )?;
            crate::tickets::detail(tx, id)
        })
    }

    /// §5.2.1: the director records a complaint that went above the center, reported to the GM or
    /// an engineer, with the person who supervises it until closed.
    pub fn record_complaint(&self, s: &Session, no: &str, x: ComplaintInput) -> DeskResult<TicketDetail> {
        require_role(s, COMPLAINT_ROLES, "登记越级投诉")?;
        let description = validate_text("description", "投诉内容", &x.description, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let to = reported_person(tx, x.reported_to_id)?;
            let sup = staff::get(tx, x.supervisor_id).map_err(|_| DeskError::invalid("supervisor_id", "请选择跟进到关闭的负责人"))?;
            if !SUPERVISOR_ROLES.contains(&sup.role) || !sup.active {
                return Err(DeskError::invalid(
                    "supervisor_id",
                    format!("「{}」不能负责跟进投诉：请选择在岗的保修主任、保修管家、客服主管助理或保修工程师", sup.name),
                ));
            }
            let id = tickets::id_by_no(tx, no.trim())?;
            let t = tickets::get_detail(tx, id)?;
            let units =
                if x.units.iter().all(|u| u.trim().is_empty()) && x.level != ComplaintLevel::ForeseeableGroup { vec![t.unit.clone()] } else { x.units.clone() };
            let units = dm::parse_units(x.level, &units)?;
            if t.complaints.iter().any(|c| c.closed_at.is_none()) {
                return Err(refused("该报修单已有未关闭的越级投诉：请先关闭它，或在其跟进记录中补充"));
            }
            let new = matters::NewComplaint {
                ticket_id: id,
                level: x.level,
                units: &units,
                description: &description,
                actor_id: s.staff_id,
                at: now.timestamp(),
                reported_to: to.id,
                supervisor_id: sup.id,
            };
            matters::insert_complaint(tx, &new)?;
            let detail = format!(
                "登记越级投诉（{}，涉及 {}）：{description}；已于 {} 上报{}{}，由{}跟进至关闭",
                x.level.label(),
                units.join("、"),
                fmt_local(now),
                to.role.label(),
                to.name,
                sup.name
            );
            audit::append(tx, now, Some(s.staff_id), AuditAction::Complaint, "ticket", id, &detail)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// §5.2.1: the supervisor (or the director) records a follow-up; the next one is due
    /// `complaint_follow_up_days` working days later.
    pub fn follow_up_complaint(&self, s: &Session, complaint_id: i64, note: &str) -> DeskResult<TicketDetail> {
        require_role(s, SUPERVISOR_ROLES, "跟进越级投诉")?;
        let note = validate_text("note", "跟进情况", note, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let ticket = open_complaint_of(tx, s, complaint_id, "跟进")?;
            matters::add_follow_up(tx, complaint_id, now.timestamp(), s.staff_id, &note)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::ComplaintFollowUp, "ticket", ticket, &format!("跟进越级投诉：{note}"))?;
            crate::tickets::detail(tx, ticket)
        })
    }

    /// §5.2.1: the supervisor or the director closes the complaint with its result.
    pub fn close_complaint(&self, s: &Session, complaint_id: i64, result: &str) -> DeskResult<TicketDetail> {
        require_role(s, SUPERVISOR_ROLES, "关闭越级投诉")?;
        let result = validate_text("result", "处理结果", result, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let ticket = open_complaint_of(tx, s, complaint_id, "关闭")?;
            matters::close_complaint(tx, complaint_id, &result, s.staff_id, now.timestamp())?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::ComplaintClose, "ticket", ticket, &format!("关闭越级投诉，处理结果：{result}"))?;
            crate::tickets::detail(tx, ticket)
        })
    }
}

/// The GM or engineer a matter is reported to: active, in one of [`REPORT_TO_ROLES`].
pub(crate) fn reported_person(tx: &Db, id: i64) -> DeskResult<desk_domain::records::StaffMember> {
    let p = staff::get(tx, id).map_err(|_| DeskError::invalid("reported_to_id", "请选择上报的项目总经理或保修工程师"))?;
    if !REPORT_TO_ROLES.contains(&p.role) || !p.active {
        return Err(DeskError::invalid("reported_to_id", format!("「{}」不是在岗的项目总经理或保修工程师", p.name)));
    }
    Ok(p)
}

/// The ticket of an open complaint the session may act on: its supervisor or the director.
fn open_complaint_of(tx: &Db, s: &Session, id: i64, what: &str) -> DeskResult<i64> {
    match matters::complaint_state(tx, id)? {
        None => Err(refused(format!("须先由保修主任登记越级投诉并指定跟进人，才能{what}"))),
        Some((_, _, true)) => Err(refused(format!("该越级投诉已关闭，不能再{what}"))),
        Some((_, sup, false)) if sup != s.staff_id && s.role != Role::Director => {
            Err(DeskError::denied(format!("只有该投诉的跟进人或保修主任可以{what}越级投诉")))
        }
        Some((ticket, _, false)) => Ok(ticket),
    }
}

/// Refuses to close a ticket while one of its major matters waits for an opinion (§5.1.4.3).
pub(crate) fn refuse_close_on_pending_major(tx: &Db, ticket_id: i64) -> DeskResult<()> {
    match dm::close_blocked(&matters::major_matters_of(tx, ticket_id)?) {
        Some(msg) => Err(refused(msg)),
        None => Ok(()),
    }
}

/// Fills each open complaint's next follow-up from the project's `complaint_follow_up_days`.
pub(crate) fn complaint_clocks(tx: &Db, list: &mut [ComplaintView], s: &DeadlineSettings) -> DeskResult<()> {
    if list.iter().all(|c| c.closed_at.is_some()) {
        return Ok(());
    }
    let cal = crate::clocks::calendar_in(tx)?;
    for c in list.iter_mut().filter(|c| c.closed_at.is_none()) {
        let last = c.follow_ups.last().map_or(c.recorded_at, |f| f.at);
        c.next_follow_up_due = Some(dm::next_follow_up(&cal, last, s.complaint_follow_up_days));
    }
    Ok(())
}

/// 今日待办's lines for the two paths: every major matter waiting for its opinion, and every
/// open complaint whose follow-up is due by the end of today or late.
pub(crate) fn matter_duties(tx: &Db, now: DateTime<Utc>) -> DeskResult<Vec<MatterDuty>> {
    let mut out = Vec::new();
    for (no, m) in matters::pending_majors(tx)? {
        out.push(MatterDuty {
            ticket_no: no,
            kind: "重大事项".into(),
            text: format!("「{}」已于 {} 报{}，待其出具处理意见；{}", m.description, fmt_local(m.reported_at), m.reported_to, dm::MAJOR_PENDING_DESK),
            due_at: None,
            late: false,
        });
    }
    let cal = crate::clocks::calendar_in(tx)?;
    let end_of_today = cal.close_of_day(now, 0, desk_domain::clock::ClockMode::Continuous).max(now);
    for c in matters::open_complaints(tx)? {
        let project = tickets::project_of(tx, tickets::id_by_no(tx, &c.ticket_no)?)?;
        let days = crate::clocks::deadlines_of(tx, project)?.complaint_follow_up_days;
        let last = c.follow_ups.last().map_or(c.recorded_at, |f| f.at);
        let due = dm::next_follow_up(&cal, last, days);
        if due <= end_of_today {
            out.push(MatterDuty {
                ticket_no: c.ticket_no.clone(),
                kind: c.level.label().into(),
                text: format!("越级投诉（涉及 {}）须由{}跟进，{} 前登记跟进情况", c.units.join("、"), c.supervisor, fmt_local(due)),
                due_at: Some(due),
                late: due < now,
            });
        }
    }
    // §5.1.4.2: a changed number asked of the CS department waits for its answer.
    for (no, q) in desk_store::paths::pending_phone_inquiries(tx)? {
        out.push(MatterDuty {
            ticket_no: no,
            kind: "电话变更".into(),
            text: format!(
                "业主换号 {} → {}，{} 已反馈客户服务部，待其答复后登记（§5.1.4.2）",
                if q.old_phone.is_empty() { "（无）" } else { q.old_phone.as_str() },
                q.new_phone,
                fmt_local(q.asked_at)
            ),
            due_at: None,
            late: false,
        });
    }
    Ok(out)
}
