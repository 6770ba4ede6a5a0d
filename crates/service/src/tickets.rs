//! The ticket list, the detail screen, and the steps of §5.1 that issue 2 covers: contact
//! attempts, classification, the responsible steward, cancelling and out-of-scope.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use desk_domain::audit::AuditAction;
use desk_domain::clock::rules::{arrival_verdict, unreachable_close_ready, DeadlineSettings};
use desk_domain::records::{ArrivalJudgement, TicketDetail, TicketSummary};
use desk_domain::repair::FollowUpKind;
use desk_domain::search::classify;
use desk_domain::staff::Role;
use desk_domain::ticket::{validate_text, Category, Channel, Classification, TicketStatus};
use desk_domain::time::parse_local;
use desk_store::Db;
use desk_store::{audit, contacts, staff, tickets};
use serde::{Deserialize, Serialize};

/// A ticket as the screens and forms show it: the stored record with the rules of its project
/// applied — each arrival judged with the project's tolerance (§5.1.3.3) and whether the
/// director and the CS assistant may close it as unreachable (§5.1.4.2). The actions ask the
/// same functions, so the screen and the action never disagree.
pub(crate) fn detail(c: &Db, id: i64) -> DeskResult<TicketDetail> {
    let mut d = tickets::get_detail(c, id)?;
    let s = crate::clocks::deadlines_of(c, tickets::project_of(c, id)?)?;
    judge(&mut d, &s);
    crate::matters::complaint_clocks(c, &mut d.complaints, &s)?;
    crate::not_ours::hand_over_clocks(c, &mut d.hand_overs, &s)?;
    if matches!(d.status, TicketStatus::Closed | TicketStatus::Visited) {
        d.reopen_until = desk_store::paths::closed_at(c, id)?.map(|at| desk_domain::paths::reopen_until(desk_store::from_unix(at), s.reopen_window_days));
    }
    Ok(d)
}

fn judge(d: &mut TicketDetail, s: &DeadlineSettings) {
    let tol = s.arrival_tolerance.minutes;
    for x in &mut d.dispatches {
        x.arrival = x.arrived_at.map(|a| {
            let v = arrival_verdict(x.appointment_at, a, tol);
            ArrivalJudgement { on_time: v.on_time(), text: v.text(tol) }
        });
    }
    d.max_failed_notices = s.max_failed_notices;
    d.arrival_tolerance_min = tol;
    d.unreachable_close_ready = d.status == TicketStatus::Accepted && unreachable_close_ready(failed_notices(d), s);
}

/// Completion notices that did not reach the owner (§5.1.4.2).
pub(crate) fn failed_notices(d: &TicketDetail) -> i64 {
    d.followups.iter().filter(|f| f.kind == FollowUpKind::CompletionNotice && !f.ok).count() as i64
}

/// Filters of the ticket list (all optional) and the keyset cursor.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TicketFilter {
    pub status: Option<TicketStatus>,
    pub steward_id: Option<i64>,
    pub building: Option<String>,
    pub category: Option<Category>,
    /// Phone (whole or last 4), unit, ticket number, owner name or words of the description.
    pub query: Option<String>,
    /// 已超时 / 今日到期, from the procedure's clocks.
    pub due: Option<crate::clocks::DueFilter>,
    /// 已移交（非保修）: only tickets handed over to the property company or the CS department
    /// (issue 14 "not ours"), answered or not.
    #[serde(default)]
    pub handed_over: bool,
    /// The `next_before_id` of the previous page.
    pub before_id: Option<i64>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TicketPage {
    pub items: Vec<TicketSummary>,
    /// Matching tickets in all pages; at most `total_cap` are counted.
    pub total: i64,
    pub total_capped: bool,
    /// Pass as `before_id` for the next page; none when this is the last page.
    pub next_before_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ContactInput {
    pub channel: Channel,
    pub reached: bool,
    pub note: String,
    /// Local time text; empty means now.
    pub at: Option<String>,
}

/// How many matches the UI counts before saying "1000+": counting every match of a common word
/// in a million tickets would cost more than the page itself (measured: ~17 ms vs 0.3 ms).
pub const UI_COUNT_CAP: i64 = 1_000;

impl TicketFilter {
    pub(crate) fn to_query(&self) -> tickets::ListQuery {
        tickets::ListQuery {
            status: self.status,
            steward_id: self.steward_id,
            building: self.building.clone().filter(|b| !b.is_empty()),
            category: self.category,
            search: classify(self.query.as_deref().unwrap_or("")),
            only_ids: None,
            before_id: self.before_id,
            limit: self.limit.unwrap_or(50).clamp(1, 500),
        }
    }
}

impl Desk {
    /// One page of the ticket list, newest first, counting matches up to `count_cap`.
    pub fn list_tickets(&self, f: &TicketFilter, count_cap: i64) -> DeskResult<TicketPage> {
        let mut q = f.to_query();
        let reader = self.store.reader()?;
        let c = &reader.db();
        if let Some(due) = f.due {
            q.only_ids = Some(Desk::due_ticket_ids(c, self.now(), due)?);
        }
        if f.handed_over {
            let handed = desk_store::not_ours::ticket_ids(c)?;
            q.only_ids = Some(match q.only_ids.take() {
                Some(ids) => ids.into_iter().filter(|id| handed.binary_search(id).is_ok()).collect(),
                None => handed,
            });
        }
        let items = tickets::list(c, &q)?;
        // The count is for the header; later pages keep the first page's figure in the UI.
        let total = if f.before_id.is_none() { tickets::count(c, &q, count_cap)? } else { -1 };
        let next_before_id = if items.len() as u32 == q.limit { items.last().map(|t| t.id) } else { None };
        Ok(TicketPage { items, total, total_capped: total >= count_cap, next_before_id })
    }

    /// The text for the owner about where their repair stands (全程跟踪服务), signed with the
    /// project's name.
    pub fn progress_message(&self, no: &str) -> DeskResult<String> {
        let d = self.ticket(no)?;
        let center = self.active_project().map(|p| format!("{}保修中心", p.name)).unwrap_or_else(|_| "保修中心".to_string());
        Ok(desk_domain::progress::progress_message(&d, &center))
    }

    pub fn ticket(&self, no: &str) -> DeskResult<TicketDetail> {
        let reader = self.store.reader()?;
        let c = &reader.db();
        let id = tickets::id_by_no(c, no.trim())?;
        crate::tickets::detail(c, id)
    }

    /// Logs an attempt to reach the owner; the first one that reaches them moves a new
    /// ticket to 已联系 (§5.1.1).
    pub fn add_contact_attempt(&self, s: &Session, no: &str, x: ContactInput) -> DeskResult<TicketDetail> {
        let now = self.now();
        let at = match x.at.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => parse_local(t, "at")?,
            None => now,
        };
        if at > now + chrono::Duration::minutes(5) {
            return Err(DeskError::invalid("at", "联系时间不能晚于现在"));
        }
        let note = validate_text("note", "沟通内容", &x.note, 300, false)?;
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let status = tickets::status_of(tx, id)?;
            if !status.is_open() && status != TicketStatus::Closed {
                return Err(DeskError::new(crate::error::ErrorKind::Refused, format!("报修单已{}，不能再登记联系", status.label())));
            }
            crate::duplicates::refuse_on_duplicate(tx, id, "联系业主")?;
            let reported = crate::tickets::detail(tx, id)?.reported_at;
            desk_domain::repair::check_not_before("at", "联系时间", at, "报修时间", reported)?;
            contacts::insert(tx, id, at.timestamp(), x.channel, x.reached, &note, s.staff_id)?;
            let outcome = if x.reached { "已联系上" } else { "未联系上" };
            audit::append(tx, now, Some(s.staff_id), AuditAction::Contact, "ticket", id, &format!("联系业主（{}）：{outcome}。{note}", x.channel.label()))?;
            if x.reached && status == TicketStatus::Reported {
                tickets::set_status(tx, id, TicketStatus::Contacted, now.timestamp())?;
            }
            crate::tickets::detail(tx, id)
        })
    }

    /// §5.1.2: Simple / General / Complex. Complex tickets belong to the director.
    pub fn classify_ticket(&self, s: &Session, no: &str, x: Classification) -> DeskResult<TicketDetail> {
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let status = tickets::status_of(tx, id)?;
            if !status.is_open() {
                return Err(DeskError::new(crate::error::ErrorKind::Refused, format!("报修单已{}，不能再分类", status.label())));
            }
            tickets::set_classification(tx, id, x, now.timestamp())?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::Classify, "ticket", id, &format!("判定为{}维修事项", x.label()))?;
            crate::tickets::detail(tx, id)
        })
    }

    /// §6.1: one responsible steward per ticket.
    pub fn assign_steward(&self, s: &Session, no: &str, steward_id: i64) -> DeskResult<TicketDetail> {
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let m = staff::get(tx, steward_id)?;
            if !m.role.can_own_tickets() || !m.active {
                return Err(DeskError::invalid("steward_id", format!("「{}」不是在岗的保修管家或保修主任", m.name)));
            }
            tickets::set_steward(tx, id, steward_id, now.timestamp())?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::Assign, "ticket", id, &format!("责任管家：{}", m.name))?;
            crate::tickets::detail(tx, id)
        })
    }

    /// Cancels a ticket or declares it out of the warranty's scope, with a reason — the
    /// director's, a steward's or the CS assistant's call. Every other move has its own use case
    /// (dispatch, arrival, finish, acceptance, notice, visit) that records what the step needs.
    pub fn change_status(&self, s: &Session, no: &str, to: TicketStatus, reason: &str) -> DeskResult<TicketDetail> {
        if !matches!(to, TicketStatus::Cancelled | TicketStatus::OutOfScope) {
            return Err(DeskError::invalid("to", format!("「{}」须通过对应的操作登记（如签发调度单、登记到场、验收）", to.label())));
        }
        let reason = validate_text("reason", "原因说明", reason, 300, true)?;
        require_role(s, &[Role::Director, Role::Steward, Role::CsAssistant], &format!("将报修单改为「{}」", to.label()))?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let from = tickets::status_of(tx, id)?;
            from.move_to(to)?;
            tickets::set_status(tx, id, to, now.timestamp())?;
            let mut detail = format!("状态：{} → {}", from.label(), to.label());
            if !reason.is_empty() {
                detail.push_str(&format!("。{reason}"));
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::Status, "ticket", id, &detail)?;
            crate::duplicates::follow_original(tx, id, to, now, s.staff_id)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// Adds photos to a ticket: `Intake` (the defect as reported), `Before` / `After` the repair
    /// (§8.2; an "after" photo is required to finish a repair).
    pub fn add_photos(&self, s: &Session, no: &str, kind: &str, files: &[String]) -> DeskResult<TicketDetail> {
        let label = match kind {
            "Intake" => "报修照片",
            "Before" => "维修前照片",
            "After" => "维修后照片",
            _ => return Err(DeskError::invalid("kind", "照片类别应为报修、维修前或维修后")),
        };
        if files.is_empty() {
            return Err(DeskError::invalid("photos", "请选择照片"));
        }
        let now = self.now();
        let photos_dir = self.data_dir.join("photos");
        let data_dir = self.data_dir.clone();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            for f in files {
                let rel = crate::photos::copy_in(&data_dir, &photos_dir, no, f)?;
                tickets::insert_photo(tx, id, kind, &rel, now.timestamp(), s.staff_id)?;
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::Photo, "ticket", id, &format!("添加{label} {} 张", files.len()))?;
            crate::tickets::detail(tx, id)
        })
    }
}

impl Desk {
    /// A stored photo as a `data:` URL (the webview has no file access).
    pub fn photo_data_url(&self, rel: &str) -> DeskResult<String> {
        use base64::Engine;
        let rel_path = std::path::Path::new(rel);
        // Only files inside the photos folder: a crafted path must not read other files.
        if rel_path.components().any(|c| !matches!(c, std::path::Component::Normal(_))) || !rel.starts_with("photos/") {
            return Err(DeskError::invalid("file", "照片路径无效"));
        }
        let bytes = std::fs::read(self.data_dir.join(rel_path)).map_err(|e| DeskError::storage(format!("读不到照片：{e}")))?;
        let ext = rel_path.extension().and_then(|e| e.to_str()).unwrap_or("jpeg").to_lowercase();
        let mime = match ext.as_str() {
            "png" => "image/png",
            "webp" => "image/webp",
            "gif" => "image/gif",
            "bmp" => "image/bmp",
            "pdf" => "application/pdf",
            _ => "image/jpeg",
        };
        Ok(format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
    }
}
