//! Compensation (issue 14 path 4, §6.3, §5.2.2.6; see `desk_domain::compensation`). The steward
//! must not discuss compensation with the owner: only the director and the CS supervisor
//! assistant open a case (the owner's claim, reported to the project GM or the engineer the
//! project assigned), tell the CS department, record each negotiation round, and conclude it —
//! an agreement (amount, payer, the signed agreement's scans or photos, required when the amount
//! is above zero) or a close without compensation (reason). Every other role is refused here, not
//! only in the window.
//!
//! Each step checks its role, refuses an out-of-order call with a Chinese message naming what
//! must come first, and writes in one transaction with its audit line. A developer-paid amount
//! counts in the developer-cost statistics (`desk_store::developer_cost::per_month`). Opening a
//! case also puts 质量问题导致业主索赔 (§5.2.2.6) on the project GM's escalations to acknowledge.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::repair::refused;
use desk_domain::audit::AuditAction;
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::compensation::{self as dc, CompensationPayer};
use desk_domain::money::Fen;
use desk_domain::records::TicketDetail;
use desk_domain::staff::Role;
use desk_domain::ticket::validate_text;
use desk_domain::time::{fmt_local, local_date};
use desk_store::compensation::{self as store, CaseState, Conclusion, NewCase};
use desk_store::{audit, staff, tickets, Db};
use serde::Deserialize;

/// Who deals with an owner about compensation (§6.3: 保修主任和客服主管助理); no one else.
pub const COMPENSATION_ROLES: &[Role] = &[Role::Director, Role::CsAssistant];
/// Who a compensation case is reported to (§6.3 项目总，或项目部指派的保修工程师).
pub const REPORT_TO_ROLES: &[Role] = &[Role::ProjectGm, Role::Engineer];

/// The owner's claim and to whom it was reported.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CompensationOpenInput {
    pub claim: String,
    /// The amount the owner claims, in yuan as typed (`1200`, `1,200.50`); empty when not named.
    #[serde(default)]
    pub claimed_amount: String,
    /// The project GM or the warranty engineer the project assigned.
    pub reported_to_id: i64,
}

/// The agreement reached with the owner.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CompensationAgreementInput {
    /// The agreed amount in yuan as typed; `0` allowed.
    pub agreed_amount: String,
    pub payer: CompensationPayer,
    /// Who exactly pays (the builder's name…); required when the builder pays.
    #[serde(default)]
    pub payer_detail: String,
    /// The signed agreement's scans or photos (paths chosen on this computer; copied in).
    #[serde(default)]
    pub files: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// An amount typed in yuan → fen, naming the field; `None` when empty and not required.
fn amount(field: &str, label: &str, text: &str, required: bool) -> DeskResult<Option<i64>> {
    if text.trim().is_empty() {
        return if required { Err(DeskError::invalid(field, format!("请填写{label}"))) } else { Ok(None) };
    }
    let fen = Fen::parse_text(text).map_err(|m| DeskError::invalid(field, format!("{label}：{m}")))?;
    if fen.is_negative() {
        return Err(DeskError::invalid(field, format!("{label}不能为负数")));
    }
    Ok(Some(fen.0))
}

impl Desk {
    /// §6.3: the director or the CS assistant records the owner's claim on a ticket and reports it
    /// to the GM or an engineer (to whom, when). One open case per ticket.
    pub fn open_compensation(&self, s: &Session, no: &str, x: CompensationOpenInput) -> DeskResult<TicketDetail> {
        require_role(s, COMPENSATION_ROLES, "登记业主的赔偿诉求")?;
        let claim = validate_text("claim", "业主的赔偿诉求", &x.claim, 500, true)?;
        let claimed = amount("claimed_amount", "业主索赔金额", &x.claimed_amount, false)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let to = staff::get(tx, x.reported_to_id).map_err(|_| DeskError::invalid("reported_to_id", "请选择汇报的项目总经理或保修工程师"))?;
            if !REPORT_TO_ROLES.contains(&to.role) || !to.active {
                return Err(DeskError::invalid("reported_to_id", format!("「{}」不是在岗的项目总经理或保修工程师", to.name)));
            }
            let id = tickets::id_by_no(tx, no.trim())?;
            if store::open_of(tx, id)?.is_some() {
                return Err(refused("该报修单已有未结案的赔偿事项：请在其中继续协商，或先结案"));
            }
            store::insert(tx, &NewCase { ticket_id: id, claim: &claim, claimed_fen: claimed, actor_id: s.staff_id, at: now.timestamp(), reported_to: to.id })?;
            let detail = format!(
                "登记业主赔偿诉求：{claim}{}；已于 {} 汇报{}{}（§6.3，保修管家不得与业主讨论赔偿）",
                claimed.map_or(String::new(), |f| format!("，索赔 {}", Fen(f))),
                fmt_local(now),
                to.role.label(),
                to.name
            );
            audit::append(tx, now, Some(s.staff_id), AuditAction::CompensationOpen, "ticket", id, &detail)?;
            // §5.2.2.6: an owner's claim over a quality problem goes on the project GM's list of
            // escalations to acknowledge, whoever it was reported to (once per ticket, as by hand).
            let key = format!("{}:ticket:{id}", EscalationKind::Compensation.code());
            let esc = desk_store::clocks::NewEscalation {
                kind: EscalationKind::Compensation,
                key: &key,
                ticket_id: Some(id),
                unit_id: None,
                batch_id: None,
                detail: &format!("业主索赔：{claim}"),
                raised_at: now.timestamp(),
                raised_by: Some(s.staff_id),
            };
            if desk_store::clocks::raise(tx, &esc)?.is_some() {
                let line = format!("上报项目总经理（{}）：业主索赔：{claim}", EscalationKind::Compensation.label());
                audit::append(tx, now, Some(s.staff_id), AuditAction::Escalate, "ticket", id, &line)?;
            }
            crate::tickets::detail(tx, id)
        })
    }

    /// §6.3: the CS department is told of the case (once: when, by whom, what).
    pub fn notify_cs_of_compensation(&self, s: &Session, case_id: i64, note: &str) -> DeskResult<TicketDetail> {
        require_role(s, COMPENSATION_ROLES, "通报客户服务部赔偿事项")?;
        let note = validate_text("note", "通报内容", note, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let c = open_case(tx, case_id, "通报客户服务部")?;
            if c.cs_notified {
                return Err(refused("该赔偿事项已通报客户服务部，不能重复通报：后续情况请记在协商记录中"));
            }
            store::notify_cs(tx, case_id, s.staff_id, now.timestamp(), &note)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::CompensationCs, "ticket", c.ticket_id, &format!("赔偿事项已通报客户服务部：{note}"))?;
            crate::tickets::detail(tx, c.ticket_id)
        })
    }

    /// §6.3: one negotiation round with the owner (append-only).
    pub fn add_compensation_round(&self, s: &Session, case_id: i64, note: &str) -> DeskResult<TicketDetail> {
        require_role(s, COMPENSATION_ROLES, "与业主协商赔偿")?;
        let note = validate_text("note", "协商情况", note, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let c = open_case(tx, case_id, "记录协商")?;
            store::add_round(tx, case_id, now.timestamp(), s.staff_id, &note)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::CompensationRound, "ticket", c.ticket_id, &format!("赔偿协商：{note}"))?;
            crate::tickets::detail(tx, c.ticket_id)
        })
    }

    /// §6.3: the agreement — amount, payer and the signed agreement (required above zero); the CS
    /// department must have been told first. The files are copied into the data folder.
    pub fn conclude_compensation(&self, s: &Session, case_id: i64, x: CompensationAgreementInput) -> DeskResult<TicketDetail> {
        require_role(s, COMPENSATION_ROLES, "登记赔偿协议")?;
        let agreed = amount("agreed_amount", "赔偿金额", &x.agreed_amount, true)?.unwrap_or(0);
        let payer_detail = validate_text("payer_detail", "承担方说明", &x.payer_detail, 100, x.payer == CompensationPayer::Builder)?;
        let note = validate_text("note", "协议说明", &x.note, 500, false)?;
        let files: Vec<&String> = x.files.iter().filter(|f| !f.trim().is_empty()).collect();
        if files.len() > 20 {
            return Err(DeskError::invalid("files", "赔偿协议文件最多 20 个"));
        }
        dc::check_agreement(agreed, files.len())?;
        let now = self.now();
        let data_dir = self.data_dir.clone();
        self.store.with_tx(|tx| {
            let c = open_case(tx, case_id, "登记协议")?;
            if !c.cs_notified {
                return Err(refused(dc::CS_FIRST));
            }
            for f in &files {
                let rel = crate::photos::copy_agreement(&data_dir, &c.ticket_no, f)?;
                store::add_file(tx, case_id, &rel, now.timestamp(), s.staff_id)?;
            }
            let end = Conclusion {
                agreement: Some((agreed, x.payer)),
                payer_detail: &payer_detail,
                no_comp_reason: None,
                note: &note,
                actor_id: s.staff_id,
                at: now.timestamp(),
                on: local_date(now),
            };
            store::conclude(tx, case_id, &end)?;
            let detail = format!(
                "赔偿协议：赔偿 {}，{}{}；协议文件 {} 个{}",
                Fen(agreed),
                x.payer.label(),
                if payer_detail.is_empty() { String::new() } else { format!("（{payer_detail}）") },
                files.len(),
                if note.is_empty() { String::new() } else { format!("；{note}") }
            );
            audit::append(tx, now, Some(s.staff_id), AuditAction::CompensationAgree, "ticket", c.ticket_id, &detail)?;
            crate::tickets::detail(tx, c.ticket_id)
        })
    }

    /// §6.3: the case closes without compensation (the owner withdrew, the claim was not
    /// founded…), with the reason; the CS department must have been told first.
    pub fn close_compensation_without(&self, s: &Session, case_id: i64, reason: &str) -> DeskResult<TicketDetail> {
        require_role(s, COMPENSATION_ROLES, "将赔偿事项不予赔偿结案")?;
        let reason = validate_text("reason", "不予赔偿的原因", reason, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let c = open_case(tx, case_id, "结案")?;
            if !c.cs_notified {
                return Err(refused(dc::CS_FIRST));
            }
            let end = Conclusion {
                agreement: None,
                payer_detail: "",
                no_comp_reason: Some(&reason),
                note: "",
                actor_id: s.staff_id,
                at: now.timestamp(),
                on: local_date(now),
            };
            store::conclude(tx, case_id, &end)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::CompensationClose, "ticket", c.ticket_id, &format!("赔偿事项不予赔偿结案：{reason}"))?;
            crate::tickets::detail(tx, c.ticket_id)
        })
    }
}

/// An open case, or the refusal naming what must come first / that it is concluded.
fn open_case(tx: &Db, id: i64, what: &str) -> DeskResult<CaseState> {
    match store::state(tx, id)? {
        None => Err(refused(format!("须先由保修主任或客服主管助理登记业主的赔偿诉求并汇报，才能{what}"))),
        Some(c) if c.concluded => Err(refused(format!("该赔偿事项已结案，不能再{what}"))),
        Some(c) => Ok(c),
    }
}

/// 今日待办's lines for open compensation cases: tell the CS department, or keep negotiating.
pub(crate) fn compensation_duties(tx: &Db) -> DeskResult<Vec<crate::matters::MatterDuty>> {
    Ok(store::open_cases(tx)?
        .into_iter()
        .map(|c| {
            let text = match c.cs_notified_at {
                None => format!("业主赔偿诉求「{}」已于 {} 汇报{}：须由保修主任或客服主管助理通报客户服务部", c.claim, fmt_local(c.reported_at), c.reported_to),
                Some(at) => format!(
                    "与业主协商中（自 {} 起，{} 次协商，{} 已通报客户服务部）：由保修主任或客服主管助理登记协议或结案；保修管家不得与业主讨论赔偿",
                    fmt_local(c.opened_at),
                    c.rounds.len(),
                    fmt_local(at)
                ),
            };
            crate::matters::MatterDuty { ticket_no: c.ticket_no, kind: "赔偿协商".into(), text, due_at: None, late: false }
        })
        .collect())
}
