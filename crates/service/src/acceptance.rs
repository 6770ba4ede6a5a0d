//! Acceptance (§5.1.3.6), closing (§5.1.4) and the return visit (§5.1.5).
//!
//! The steward re-checks first; then the owner signs (on screen or on the paper slip), or — when
//! the owner cannot — the director and the CS assistant both confirm with their PINs and the
//! front desk tells the owner. The owner is told the repair is done; an unreachable owner is
//! retried every other day, and after five failed tries only director + CS assistant can close.

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::repair::refused;
use desk_domain::audit::AuditAction;
use desk_domain::phone::Phone;
use desk_domain::records::TicketDetail;
use desk_domain::repair::{AcceptanceKind, FollowUpKind, Satisfaction};
use desk_domain::staff::Role;
use desk_domain::ticket::{validate_text, Channel, TicketStatus};
use desk_store::{audit, repair, tickets};
use serde::Deserialize;

/// How the repair is accepted.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum AcceptInput {
    /// The owner signs on screen: a PNG of the signature (base64, no data: prefix).
    OwnerOnScreen { signature_png_base64: String, opinion: String },
    /// The signed paper slip, scanned or photographed.
    OwnerOnPaper { scan_file: String, opinion: String },
    /// The owner cannot sign: director and CS assistant confirm with their PINs.
    Proxy { director_id: i64, director_pin: String, cs_assistant_id: i64, cs_assistant_pin: String, notice_note: String },
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct NoticeInput {
    pub reached: bool,
    pub channel: Channel,
    pub note: String,
    /// When the owner's number turned out to have changed (reported to the CS department).
    pub new_phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReturnVisitInput {
    pub reached: bool,
    pub satisfaction: Option<Satisfaction>,
    pub comments: String,
    /// Matters raised that are not warranty work (listed in the daily report, §5.1.5.3).
    pub out_of_scope: String,
    /// "Not satisfied, but the repair meets the code": the reason that lets it close (§5.1.5.2).
    pub meets_code_reason: String,
}

/// A signature must hold ink: at least this many drawn pixels.
const MIN_INK_PIXELS: usize = 30;

fn ink_pixels(png_bytes: &[u8]) -> DeskResult<usize> {
    let bad = || DeskError::invalid("signature", "签名图片无法读取，请重新签字");
    let mut dec = png::Decoder::new(std::io::Cursor::new(png_bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(|_| bad())?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).map_err(|_| bad())?;
    let px = &buf[..info.buffer_size()];
    let ink = match info.color_type {
        png::ColorType::Rgba => px.chunks(4).filter(|p| p[3] > 64 && (p[0] as u16 + p[1] as u16 + p[2] as u16) < 600).count(),
        png::ColorType::Rgb => px.chunks(3).filter(|p| (p[0] as u16 + p[1] as u16 + p[2] as u16) < 600).count(),
        png::ColorType::GrayscaleAlpha => px.chunks(2).filter(|p| p[1] > 64 && p[0] < 200).count(),
        _ => px.iter().filter(|v| **v < 200).count(),
    };
    Ok(ink)
}

impl Desk {
    /// The steward's re-check before the owner is asked to accept (§5.1.3.6). A failed re-check
    /// sends the repair back.
    pub fn recheck(&self, s: &Session, no: &str, ok: bool, note: &str) -> DeskResult<TicketDetail> {
        let now = self.now();
        let note = validate_text("note", "复检意见", note, 500, !ok)?;
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let status = tickets::status_of(tx, id)?;
            if status != TicketStatus::AwaitingAcceptance {
                return Err(refused(format!("报修单为「{}」，完工后才能复检", status.label())));
            }
            repair::insert_followup(tx, &followup(id, FollowUpKind::Recheck, now.timestamp(), s.staff_id, ok, &note))?;
            if !ok {
                tickets::set_status(tx, id, TicketStatus::InRepair, now.timestamp())?;
            }
            let verdict = if ok { "合格" } else { "不合格，退回维修" };
            audit::append(tx, now, Some(s.staff_id), AuditAction::Recheck, "ticket", id, &format!("管家复检：{verdict}。{note}"))?;
            crate::tickets::detail(tx, id)
        })
    }

    /// Accepts the repair (§5.1.3.6) — once; only after a passed re-check.
    pub fn accept_repair(&self, s: &Session, no: &str, x: AcceptInput) -> DeskResult<TicketDetail> {
        let now = self.now();
        // Validate everything that needs no transaction first, so a refusal writes nothing.
        let (kind, opinion, file_src, signature, director, cs, notice) = match &x {
            AcceptInput::OwnerOnScreen { signature_png_base64, opinion } => {
                use base64::Engine;
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(signature_png_base64.trim())
                    .map_err(|_| DeskError::invalid("signature", "签名数据无效，请重新签字"))?;
                if ink_pixels(&bytes)? < MIN_INK_PIXELS {
                    return Err(DeskError::invalid("signature", "签名板上还没有签字，请业主签名后再确认"));
                }
                (AcceptanceKind::OwnerOnScreen, opinion.clone(), None, Some(bytes), None, None, String::new())
            }
            AcceptInput::OwnerOnPaper { scan_file, opinion } => {
                if scan_file.trim().is_empty() {
                    return Err(DeskError::invalid("scan_file", "请选择已签字调度单的扫描件或照片"));
                }
                // A readable QR code must be one of this ticket's slips (a blurry photo is accepted).
                if let Ok(found) = self.find_slip_by_scan(std::path::Path::new(scan_file)) {
                    if found.ticket_no != no {
                        return Err(DeskError::invalid(
                            "scan_file",
                            format!("扫描件上是调度单 {}（报修单 {}），不是本报修单的调度单", found.dispatch_no, found.ticket_no),
                        ));
                    }
                }
                (AcceptanceKind::OwnerOnPaper, opinion.clone(), Some(scan_file.clone()), None, None, None, String::new())
            }
            AcceptInput::Proxy { director_id, director_pin, cs_assistant_id, cs_assistant_pin, notice_note } => {
                let notice = validate_text("notice_note", "通知业主情况", notice_note, 300, true)?;
                let d = self.verify_pin(*director_id, director_pin, "代为验收")?;
                let c = self.verify_pin(*cs_assistant_id, cs_assistant_pin, "代为验收")?;
                if d.role != Role::Director || c.role != Role::CsAssistant {
                    return Err(DeskError::denied("代为验收须由保修主任和客服主管助理两人分别输入 PIN（§5.1.3.6）"));
                }
                (AcceptanceKind::Proxy, String::new(), None, None, Some(d.staff_id), Some(c.staff_id), notice)
            }
        };
        let opinion = validate_text("opinion", "业主验收意见", &opinion, 300, false)?;
        let data_dir = self.data_dir.clone();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let status = tickets::status_of(tx, id)?;
            status.move_to(TicketStatus::Accepted)?;
            let dispatch = repair::dispatches_of(tx, id)?.pop();
            let finished = dispatch.as_ref().and_then(|d| d.completed_at).map(|t| t.timestamp()).unwrap_or(0);
            let rechecked = repair::followups_of(tx, id)?
                .iter()
                .rev()
                .find(|f| f.kind == FollowUpKind::Recheck && f.at.timestamp() >= finished)
                .map(|f| f.ok)
                .unwrap_or(false);
            if !rechecked {
                return Err(refused("通知业主验收前，须由保修管家先复检合格（§5.1.3.6）"));
            }
            let file = match (&signature, &file_src) {
                (Some(bytes), _) => save_file(&data_dir, &format!("signatures/{no}.png"), bytes)?,
                (None, Some(src)) => crate::photos::copy_in(&data_dir, &data_dir.join("signed-slips"), no, src)?,
                _ => String::new(),
            };
            repair::insert_acceptance(
                tx,
                &repair::NewAcceptance {
                    ticket_id: id,
                    dispatch_id: dispatch.as_ref().map(|d| d.id),
                    kind,
                    at: now.timestamp(),
                    actor_id: s.staff_id,
                    owner_opinion: &opinion,
                    file: &file,
                    director_id: director,
                    cs_assistant_id: cs,
                    notice_note: &notice,
                },
            )?;
            tickets::set_status(tx, id, TicketStatus::Accepted, now.timestamp())?;
            let mut detail = format!("验收：{}", kind.label());
            if !opinion.is_empty() {
                detail.push_str(&format!("；业主意见：{opinion}"));
            }
            if !notice.is_empty() {
                detail.push_str(&format!("；已通知业主：{notice}"));
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::Accept, "ticket", id, &detail)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// Tells the owner the repair is done (§5.1.4.1). Reached → closed. Not reached → logged
    /// for a retry every other day (§5.1.4.2); a changed number is recorded and reported.
    pub fn completion_notice(&self, s: &Session, no: &str, x: NoticeInput) -> DeskResult<TicketDetail> {
        let now = self.now();
        let note = validate_text("note", "通知情况", &x.note, 300, false)?;
        let new_phone = match x.new_phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Phone::parse(p)?.as_str().to_string(),
            None => String::new(),
        };
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let status = tickets::status_of(tx, id)?;
            if status != TicketStatus::Accepted {
                return Err(refused(format!("报修单为「{}」，验收后才能通知业主完工", status.label())));
            }
            // §5.1.4.3: a notice that reaches the owner closes the ticket — not before the GM's or
            // engineer's opinion on a major matter is recorded.
            if x.reached {
                crate::matters::refuse_close_on_pending_major(tx, id)?;
            }
            let mut f = followup(id, FollowUpKind::CompletionNotice, now.timestamp(), s.staff_id, x.reached, &note);
            f.new_phone = &new_phone;
            repair::insert_followup(tx, &f)?;
            let outcome = if x.reached { "已告知业主维修完成" } else { "未联系上业主" };
            let mut detail = format!("完工通知（{}）：{outcome}。{note}", x.channel.label());
            if !new_phone.is_empty() {
                detail.push_str(&format!("；业主电话已变更为 {new_phone}，已反馈客户服务部"));
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::Notice, "ticket", id, &detail)?;
            // §5.1.4.2: failed because the number changed — the owner's list and the CS
            // department's feedback item (issue 14), when the ticket has an owner on file.
            if !x.reached && !new_phone.is_empty() {
                let t = tickets::get_detail(tx, id)?;
                if t.owner_id.is_some() {
                    crate::auth::require_role(s, crate::paths::PHONE_ROLES, "登记业主新号码")?;
                    crate::paths::changed_phone(tx, now, s, &t, &new_phone)?;
                }
            }
            if x.reached {
                tickets::set_status(tx, id, TicketStatus::Closed, now.timestamp())?;
                audit::append(tx, now, Some(s.staff_id), AuditAction::Status, "ticket", id, "状态：已验收 → 已关闭")?;
                crate::duplicates::follow_original(tx, id, TicketStatus::Closed, now, s.staff_id)?;
            }
            crate::tickets::detail(tx, id)
        })
    }

    /// §5.1.4.2: after five failed notices, director and CS assistant re-check and close together.
    pub fn close_unreachable(&self, s: &Session, no: &str, director: (i64, &str), cs: (i64, &str), note: &str) -> DeskResult<TicketDetail> {
        let now = self.now();
        let note = validate_text("note", "复查意见", note, 300, true)?;
        // The same rule the ticket screen and 今日待办 show (`unreachable_close_ready`).
        let t = self.ticket(no)?;
        let failed = crate::tickets::failed_notices(&t);
        if !t.unreachable_close_ready {
            return Err(refused(format!(
                "已通知失败 {failed} 次；连续 {} 次联系不上业主后，才能由主任和客服主管助理共同关闭（§5.1.4.2）",
                t.max_failed_notices
            )));
        }
        let d = self.verify_pin(director.0, director.1, "联系不上业主时关闭报修单")?;
        let c = self.verify_pin(cs.0, cs.1, "联系不上业主时关闭报修单")?;
        if d.role != Role::Director || c.role != Role::CsAssistant {
            return Err(DeskError::denied("须由保修主任和客服主管助理两人分别输入 PIN"));
        }
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            crate::matters::refuse_close_on_pending_major(tx, id)?;
            tickets::status_of(tx, id)?.move_to(TicketStatus::Closed)?;
            tickets::set_status(tx, id, TicketStatus::Closed, now.timestamp())?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::Status,
                "ticket",
                id,
                &format!("连续 {failed} 次联系不上业主，经{}与{}共同复查合格后关闭。{note}", d.name, c.name),
            )?;
            crate::duplicates::follow_original(tx, id, TicketStatus::Closed, now, s.staff_id)?;
            crate::tickets::detail(tx, id)
        })
    }

    /// The return visit (§5.1.5). A reached owner's visit moves the ticket to 已回访, unless the
    /// owner is dissatisfied without the repair being shown to meet the code.
    pub fn return_visit(&self, s: &Session, no: &str, x: ReturnVisitInput) -> DeskResult<TicketDetail> {
        let now = self.now();
        let comments = validate_text("comments", "业主意见", &x.comments, 500, false)?;
        let out_of_scope = validate_text("out_of_scope", "非保修范围事项", &x.out_of_scope, 300, false)?;
        let reason = validate_text("meets_code_reason", "符合规范的说明", &x.meets_code_reason, 300, false)?;
        if x.reached && x.satisfaction.is_none() {
            return Err(DeskError::invalid("satisfaction", "请选择业主满意度"));
        }
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no)?;
            let status = tickets::status_of(tx, id)?;
            if !matches!(status, TicketStatus::Closed | TicketStatus::Visited) {
                return Err(refused(format!("报修单为「{}」，关闭后才能回访", status.label())));
            }
            let mut f = followup(id, FollowUpKind::ReturnVisit, now.timestamp(), s.staff_id, x.reached, &comments);
            f.satisfaction = x.satisfaction.filter(|_| x.reached);
            f.out_of_scope = &out_of_scope;
            repair::insert_followup(tx, &f)?;
            let mut detail = match (x.reached, x.satisfaction) {
                (true, Some(sat)) => format!("回访：{}", sat.label()),
                _ => "回访：未联系上业主".to_string(),
            };
            if !comments.is_empty() {
                detail.push_str(&format!("；意见：{comments}"));
            }
            if !out_of_scope.is_empty() {
                detail.push_str(&format!("；非保修范围事项：{out_of_scope}"));
            }
            let dissatisfied = x.satisfaction == Some(Satisfaction::Dissatisfied);
            if dissatisfied && !reason.is_empty() {
                detail.push_str(&format!("；未达业主要求但符合验收规范，视为关闭：{reason}（§5.1.5.2）"));
            } else if dissatisfied {
                detail.push_str("；业主不满意，列入保修主任与客服主管助理跟进名单（§5.1.5.4）");
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::Visit, "ticket", id, &detail)?;
            if x.reached && status == TicketStatus::Closed && (!dissatisfied || !reason.is_empty()) {
                tickets::set_status(tx, id, TicketStatus::Visited, now.timestamp())?;
            }
            crate::tickets::detail(tx, id)
        })
    }

    /// The director's list (§5.1.5.4): owners whose latest return visit was 不满意.
    pub fn dissatisfied_owners(&self) -> DeskResult<Vec<desk_domain::records::TicketSummary>> {
        Ok(repair::latest_visit_dissatisfied(&self.store.reader()?.db())?)
    }
}

fn followup<'a>(ticket_id: i64, kind: FollowUpKind, at: i64, actor_id: i64, ok: bool, note: &'a str) -> repair::NewFollowUp<'a> {
    repair::NewFollowUp { ticket_id, kind, at, actor_id, ok, note, next_due_at: None, satisfaction: None, new_phone: "", out_of_scope: "" }
}

fn save_file(data_dir: &std::path::Path, rel: &str, bytes: &[u8]) -> DeskResult<String> {
    let path = data_dir.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| DeskError::storage(format!("无法创建文件夹：{e}")))?;
    }
    std::fs::write(&path, bytes).map_err(|e| DeskError::storage(format!("无法保存签名：{e}")))?;
    Ok(rel.to_string())
}
