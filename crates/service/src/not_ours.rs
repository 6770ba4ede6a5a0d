//! Issue 14 path 6, "not ours" (see `desk_domain::not_ours`): a matter outside the warranty or
//! outside the developer's scope is handed over to the property company (§4.4.1, paid service)
//! or to the developer's CS department (§4.5.6) — to whom, why, who, when — and followed up
//! every `not_ours_follow_up_days` working days (今日待办) until the owner has had an answer,
//! recorded once. A ticket not yet dispatched becomes 非保修范围 in the same step; the day's
//! hand-overs appear in F03 with the owner's other non-warranty matters (§5.1.5.3).
//!
//! Each step checks its role, refuses an out-of-order call with a Chinese message naming what
//! must come first, and writes in one transaction with its audit line.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::DeskResult;
use crate::matters::MatterDuty;
use crate::repair::refused;
use chrono::{DateTime, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::clock::rules::DeadlineSettings;
use desk_domain::not_ours::{self as dn, HandOverTo, HandOverView};
use desk_domain::records::TicketDetail;
use desk_domain::staff::Role;
use desk_domain::ticket::validate_text;
use desk_domain::time::fmt_local;
use desk_store::{audit, not_ours, tickets, Db};
use serde::Deserialize;

/// Who hands a matter over: the center's own people who receive owners (§4.5.2, §4.5.6) — the
/// front desk who takes the call, the steward who judged it on site, the director and the CS
/// supervisor's assistant. The GM and the project's engineer do not work the desk.
pub const HAND_OVER_ROLES: &[Role] = &[Role::FrontDesk, Role::Steward, Role::Director, Role::CsAssistant];
/// Who follows a hand-over up and records the owner's answer: the same people — whoever picks
/// up the phone when the property company or the CS department calls back.
pub const FOLLOW_UP_ROLES: &[Role] = HAND_OVER_ROLES;

/// A hand-over: to whom and why.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct HandOverInput {
    pub to: HandOverTo,
    /// Why the matter is not the warranty center's (out of the warranty period, owner's
    /// decoration, a matter of the developer's sales…).
    pub reason: String,
}

impl Desk {
    /// Hands a ticket's matter over to the property company or the CS department. A ticket
    /// 已报修/已联系 becomes 非保修范围 with the reason in the same transaction; one already
    /// out of scope, closed or visited stays as it is; a ticket in warranty work is refused.
    pub fn hand_over(&self, s: &Session, no: &str, x: HandOverInput) -> DeskResult<TicketDetail> {
        require_role(s, HAND_OVER_ROLES, "移交物业公司或地产客服部")?;
        let reason = validate_text("reason", "移交原因", &x.reason, 300, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no.trim())?;
            if let Some(h) = not_ours::hand_overs_of(tx, id)?.into_iter().find(|h| h.answer.is_none()) {
                return Err(refused(format!(
                    "该报修单已于 {} 移交{}，业主尚未获得答复：请先登记该移交的答复，再另行移交",
                    fmt_local(h.handed_at),
                    h.to.label()
                )));
            }
            let from = tickets::status_of(tx, id)?;
            let to_status = dn::status_after_hand_over(from).map_err(refused)?;
            not_ours::insert(tx, id, x.to, &reason, s.staff_id, now.timestamp())?;
            if let Some(to_status) = to_status {
                from.move_to(to_status)?;
                tickets::set_status(tx, id, to_status, now.timestamp())?;
                let line = format!("状态：{} → {}。{reason}（移交{}）", from.label(), to_status.label(), x.to.label());
                audit::append(tx, now, Some(s.staff_id), AuditAction::Status, "ticket", id, &line)?;
                crate::duplicates::follow_original(tx, id, to_status, now, s.staff_id)?;
            }
            let line = format!("移交{}：{reason}；跟进至业主获得答复", x.to.label());
            audit::append(tx, now, Some(s.staff_id), AuditAction::HandOver, "ticket", id, &line)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// Records a follow-up of an unanswered hand-over: what the other party said; the next one
    /// is due `not_ours_follow_up_days` working days later.
    pub fn follow_up_hand_over(&self, s: &Session, hand_over_id: i64, note: &str) -> DeskResult<TicketDetail> {
        require_role(s, FOLLOW_UP_ROLES, "跟进移交事项")?;
        let note = validate_text("note", "跟进情况", note, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let ticket = open_hand_over(tx, hand_over_id, "登记跟进")?;
            not_ours::add_follow_up(tx, hand_over_id, now.timestamp(), s.staff_id, &note)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::HandOverFollowUp, "ticket", ticket, &format!("跟进移交事项：{note}"))?;
            crate::tickets::detail(tx, ticket)
        })
    }

    /// Records the answer the owner had (once): the hand-over leaves 今日待办.
    pub fn answer_hand_over(&self, s: &Session, hand_over_id: i64, answer: &str) -> DeskResult<TicketDetail> {
        require_role(s, FOLLOW_UP_ROLES, "登记移交事项的答复")?;
        let answer = validate_text("answer", "业主获得的答复", answer, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let ticket = open_hand_over(tx, hand_over_id, "登记答复")?;
            not_ours::record_answer(tx, hand_over_id, &answer, s.staff_id, now.timestamp())?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::HandOverAnswer, "ticket", ticket, &format!("移交事项已答复业主：{answer}"))?;
            crate::tickets::detail(tx, ticket)
        })
    }
}

/// The ticket of an unanswered hand-over, or the refusal naming what must come first.
fn open_hand_over(tx: &Db, id: i64, what: &str) -> DeskResult<i64> {
    match not_ours::state(tx, id)? {
        None => Err(refused(format!("须先将报修单移交物业公司或地产客服部，才能{what}"))),
        Some((_, true)) => Err(refused(format!("该移交事项已登记业主获得的答复，不能再{what}"))),
        Some((ticket, false)) => Ok(ticket),
    }
}

/// Fills each unanswered hand-over's next follow-up from the project's `not_ours_follow_up_days`.
pub(crate) fn hand_over_clocks(tx: &Db, list: &mut [HandOverView], s: &DeadlineSettings) -> DeskResult<()> {
    if list.iter().all(|h| h.answered_at.is_some()) {
        return Ok(());
    }
    let cal = crate::clocks::calendar_in(tx)?;
    for h in list.iter_mut().filter(|h| h.answered_at.is_none()) {
        let last = h.follow_ups.last().map_or(h.handed_at, |f| f.at);
        h.next_follow_up_due = Some(dn::next_follow_up(&cal, last, s.not_ours_follow_up_days));
    }
    Ok(())
}

/// 今日待办's lines for hand-overs: every unanswered one whose follow-up is due by the end of
/// today, or late.
pub(crate) fn hand_over_duties(tx: &Db, now: DateTime<Utc>) -> DeskResult<Vec<MatterDuty>> {
    let mut out = Vec::new();
    let list = not_ours::open(tx)?;
    if list.is_empty() {
        return Ok(out);
    }
    let cal = crate::clocks::calendar_in(tx)?;
    let end_of_today = cal.close_of_day(now, 0, desk_domain::clock::ClockMode::Continuous).max(now);
    for h in list {
        let project = tickets::project_of(tx, tickets::id_by_no(tx, &h.ticket_no)?)?;
        let days = crate::clocks::deadlines_of(tx, project)?.not_ours_follow_up_days;
        let last = h.follow_ups.last().map_or(h.handed_at, |f| f.at);
        let due = dn::next_follow_up(&cal, last, days);
        if due <= end_of_today {
            out.push(MatterDuty {
                ticket_no: h.ticket_no.clone(),
                kind: h.to.short_label().into(),
                text: format!(
                    "已于 {} 移交{}（{}），业主尚未获得答复：{} 前跟进并登记跟进情况或答复",
                    fmt_local(h.handed_at),
                    h.to.label(),
                    h.reason,
                    fmt_local(due)
                ),
                due_at: Some(due),
                late: due < now,
            });
        }
    }
    Ok(out)
}
