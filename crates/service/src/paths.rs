//! Three paths of the procedure besides the main road (issue 14):
//!
//! - **Upset owner (§6.5).** A repair that cannot go on because the owner is upset is put on
//!   hold with that reason; the CS assistant is told (who, when) and, when needed, the CS
//!   department; the hold shows "须客服主管助理处理" on the ticket and on 今日待办.
//! - **Reopen.** A closed ticket whose repair fails again within the project's
//!   `reopen_window_days` goes back to 维修中 with a reason, keeping its history; after the window
//!   a new ticket names it as `previous` at intake (see `intake`) and counts as a second repair at
//!   that spot (§5.2.2.2).
//! - **Changed number (§5.1.4.2).** When a completion notice fails because the number changed,
//!   the new number goes first on the owner's list, the old one stays marked 旧号码, and the CS
//!   department's feedback is tracked until it is answered.
//!
//! Each step checks its role, refuses an out-of-order call with a Chinese message naming what
//! must come first, and writes in one transaction with its audit line.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::repair::refused;
use chrono::{DateTime, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::phone::Phone;
use desk_domain::records::TicketDetail;
use desk_domain::repair::FollowUpKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{validate_text, TicketStatus};
use desk_domain::time::fmt_local;
use desk_store::{audit, clocks, from_unix, master, paths, staff, tickets, Db};
use serde::Deserialize;

/// Who may put a ticket on hold because the owner is upset and tell the CS department (§6.5).
pub const UPSET_OWNER_ROLES: &[Role] = &[Role::FrontDesk, Role::Steward, Role::Director, Role::CsAssistant];
/// Who may reopen a closed ticket.
pub const REOPEN_ROLES: &[Role] = &[Role::FrontDesk, Role::Steward, Role::Director];
/// Who records a changed number and the CS department's answer (§5.1.4.2).
pub const PHONE_ROLES: &[Role] = &[Role::FrontDesk, Role::Director, Role::CsAssistant];

/// §6.5: why the repair cannot go on, the CS assistant told, and the CS department if needed.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct UpsetOwnerInput {
    pub reason: String,
    /// The 客服主管助理 who was told.
    pub cs_assistant_id: i64,
    /// Filled when the CS department was told too: what was reported.
    #[serde(default)]
    pub department_note: Option<String>,
}

impl Desk {
    /// §6.5: the owner is upset and the repair cannot go on — the ticket's clocks stop, the CS
    /// assistant is told (logged), and the CS department when `department_note` is given.
    pub fn hold_upset_owner(&self, s: &Session, no: &str, x: UpsetOwnerInput) -> DeskResult<TicketDetail> {
        require_role(s, UPSET_OWNER_ROLES, "因业主情绪激动暂停维修")?;
        let reason = validate_text("reason", "业主情绪及暂停原因", &x.reason, 200, true)?;
        let department = match x.department_note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => Some(validate_text("department_note", "报客户服务部内容", n, 300, true)?),
            None => None,
        };
        let now = self.now();
        self.store.with_tx(|tx| {
            let cs = staff::get(tx, x.cs_assistant_id).map_err(|_| DeskError::invalid("cs_assistant_id", "请选择已告知的客服主管助理"))?;
            if cs.role != Role::CsAssistant || !cs.active {
                return Err(DeskError::invalid("cs_assistant_id", format!("「{}」不是在岗的客服主管助理", cs.name)));
            }
            let id = tickets::id_by_no(tx, no.trim())?;
            let status = tickets::status_of(tx, id)?;
            if !status.is_open() {
                return Err(refused(format!("报修单已{}，维修已结束，无需暂停：如问题再次出现，请先重新打开", status.label())));
            }
            if clocks::running_hold(tx, id)?.is_some() {
                return Err(refused("该报修单已在暂停中，请先恢复计时，再因业主情绪激动暂停"));
            }
            paths::start_upset_hold(tx, id, now.timestamp(), &reason, s.staff_id, cs.id, department.as_deref())?;
            let mut detail = format!("业主情绪激动，暂停维修：{reason}；已告知客服主管助理{}", cs.name);
            if let Some(d) = &department {
                detail.push_str(&format!("；已报客户服务部：{d}"));
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::Hold, "ticket", id, &detail)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// §6.5: the CS department is told later about a running upset-owner hold (once).
    pub fn tell_cs_department(&self, s: &Session, no: &str, note: &str) -> DeskResult<TicketDetail> {
        require_role(s, UPSET_OWNER_ROLES, "报客户服务部")?;
        let note = validate_text("note", "报客户服务部内容", note, 300, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no.trim())?;
            let hold = match paths::running_hold_view(tx, id)? {
                Some(h) if h.upset_owner => h,
                _ => return Err(refused("须先以「业主情绪激动」暂停该报修单，才能报客户服务部")),
            };
            if let Some(at) = hold.cs_department_at {
                return Err(refused(format!("已于 {} 报客户服务部", fmt_local(at))));
            }
            paths::tell_cs_department(tx, hold.id, now.timestamp(), &note)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::CsDepartment, "ticket", id, &format!("业主情绪激动，报客户服务部：{note}"))?;
            crate::tickets::detail(tx, id)
        })
    }

    /// Reopens a closed ticket whose repair failed again, within the project's reopen window:
    /// back to 维修中 (the same defect, classification, steward and contractor; the steward's
    /// visits and the feedback clocks run again). Its history stays; the earlier acceptance is
    /// kept in words on the reopening, so the repair can be accepted again.
    pub fn reopen_ticket(&self, s: &Session, no: &str, reason: &str) -> DeskResult<TicketDetail> {
        require_role(s, REOPEN_ROLES, "重新打开报修单")?;
        let reason = validate_text("reason", "重新打开原因", reason, 300, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let no = no.trim();
            let id = tickets::id_by_no(tx, no)?;
            let status = tickets::status_of(tx, id)?;
            let window = crate::clocks::deadlines_of(tx, tickets::project_of(tx, id)?)?.reopen_window_days;
            let closed = paths::closed_at(tx, id)?.map(from_unix);
            desk_domain::paths::check_reopen(no, status, closed, now, window)?;
            let earlier = earlier_acceptance(tx, id)?;
            let closed_ts = closed.map_or(now.timestamp(), |c| c.timestamp());
            paths::insert_reopen(tx, id, now.timestamp(), closed_ts, s.staff_id, &reason, &earlier)?;
            tickets::set_status(tx, id, TicketStatus::InRepair, now.timestamp())?;
            let closed_text = closed.map(fmt_local).unwrap_or_default();
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::Reopen,
                "ticket",
                id,
                &format!("重新打开（{} → {}，{closed_text} 关闭）：{reason}", status.label(), TicketStatus::InRepair.label()),
            )?;
            crate::tickets::detail(tx, id)
        })
    }

    /// §5.1.4.2: the owner's number changed (learned when a notice failed): the new number goes
    /// first on the owner's list, the failed one stays marked 旧号码, and the CS department is
    /// asked — an item tracked until answered.
    pub fn record_changed_phone(&self, s: &Session, no: &str, new_phone: &str) -> DeskResult<TicketDetail> {
        require_role(s, PHONE_ROLES, "登记业主新号码")?;
        let new_phone = Phone::parse(new_phone.trim()).map_err(|e| DeskError::invalid("new_phone", e.to_string()))?.as_str().to_string();
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no.trim())?;
            let t = tickets::get_detail(tx, id)?;
            if !t.followups.iter().any(|f| f.kind == FollowUpKind::CompletionNotice && !f.ok) {
                return Err(refused("须先登记一次未联系上业主的完工通知，才能登记业主的新号码（§5.1.4.2）"));
            }
            changed_phone(tx, now, s, &t, &new_phone)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// The CS department's answer about a changed number (once).
    pub fn answer_phone_inquiry(&self, s: &Session, no: &str, inquiry_id: i64, answer: &str) -> DeskResult<TicketDetail> {
        require_role(s, PHONE_ROLES, "登记客户服务部答复")?;
        let answer = validate_text("answer", "客户服务部答复", answer, 300, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no.trim())?;
            match paths::phone_inquiry_state(tx, inquiry_id)? {
                Some((t, _)) if t != id => return Err(refused("该反馈不属于本报修单")),
                None => return Err(refused("须先登记业主的新号码（反馈客户服务部），才能登记答复")),
                Some((_, true)) => return Err(refused("客户服务部已答复，不能再次登记")),
                Some((_, false)) => {}
            }
            paths::answer_phone_inquiry(tx, inquiry_id, &answer, now.timestamp(), s.staff_id)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::CsDepartment, "ticket", id, &format!("客户服务部答复业主电话变更：{answer}"))?;
            crate::tickets::detail(tx, id)
        })
    }
}

/// Records a changed number on the ticket's owner and asks the CS department (in the caller's
/// transaction): the ticket's number (or the owner's first) becomes old.
pub(crate) fn changed_phone(tx: &Db, now: DateTime<Utc>, s: &Session, t: &TicketDetail, new_phone: &str) -> DeskResult<()> {
    let owner_id = t.owner_id.ok_or_else(|| refused("报修单没有关联业主档案：请先在房屋与业主中建立业主，再登记新号码"))?;
    let (current, olds) = master::owner_phones(tx, owner_id)?;
    let old = if current.contains(&t.phone) { t.phone.clone() } else { current.iter().find(|p| !olds.contains(p)).cloned().unwrap_or_default() };
    if old == new_phone || (current.first().map(String::as_str) == Some(new_phone) && !olds.iter().any(|p| p == new_phone)) {
        return Err(DeskError::invalid("new_phone", "新号码与业主现在的号码相同"));
    }
    let (list, olds) = desk_domain::paths::phones_after_change(&current, &olds, &old, new_phone);
    master::change_owner_phones(tx, owner_id, &list, &olds)?;
    paths::insert_phone_inquiry(tx, t.id, owner_id, &old, new_phone, now.timestamp(), s.staff_id)?;
    let old_text = if old.is_empty() { "（无）".to_string() } else { old.clone() };
    audit::append(
        tx,
        now,
        Some(s.staff_id),
        AuditAction::ChangePhone,
        "ticket",
        t.id,
        &format!("业主电话变更：{old_text} → {new_phone}（旧号码保留并标为旧号码），已反馈客户服务部待答复"),
    )?;
    Ok(())
}

/// The acceptance a reopening undoes, in words.
fn earlier_acceptance(tx: &Db, id: i64) -> DeskResult<String> {
    Ok(match paths::acceptance_summary(tx, id)? {
        Some((kind, at, who)) => {
            let kind = desk_domain::repair::AcceptanceKind::ALL.iter().find(|k| k.code() == kind).map(|k| k.label()).unwrap_or("验收");
            format!("{kind}，{}，{who}登记", fmt_local(from_unix(at)))
        }
        None => String::new(),
    })
}
