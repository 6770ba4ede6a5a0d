//! The commissioned repair (委托维修, fund flow 4.2) and its confirmation (C5).
//!
//! When the original builder does not honour its warranty, the center hires a maintenance firm
//! and the cost is later deducted from that builder's deposit. The commission therefore names
//! the ticket, the hired firm, the deposit ledger that will be charged and — because the
//! builder will ask why its money was spent — the reason the builder did not perform.
//!
//! C5 ("委托维修单位维修合格，并进客服中心进行确认"): the center confirms the repair passed. The
//! desk already records the acceptance of a ticket (§5.1.3.6: the owner signs, or director and
//! CS assistant confirm), so a ticket that is accepted (or closed / visited since) is the proof;
//! a steward, engineer or the director may then confirm. Without that acceptance — a repair of a
//! common part no owner signs for, or one done before the ticket reached the desk — only the
//! director may confirm, and must write down how the repair was inspected.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use crate::repair::refused;
use desk_domain::audit::AuditAction;
use desk_domain::fund::CommissionRecord;
use desk_domain::records::ContractorKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{validate_text, DefectNature, TicketStatus};
use desk_store::{audit, fund, master, payment, tickets, StoreError};
use serde::Deserialize;

/// What the desk needs to commission a repair.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CommissionInput {
    pub ticket_no: String,
    /// The hired maintenance firm (维保单位).
    pub firm_id: i64,
    /// The deposit ledger to charge; or leave it empty and name the builder whose only ledger
    /// in the ticket's project is meant.
    pub ledger_id: Option<i64>,
    pub builder_id: Option<i64>,
    /// Why the builder did not perform (施工单位不承担保修责任的原因).
    pub reason: String,
    /// Required when the commission departs from the warranty verdict: another deposit than
    /// the liable builder's, or after its defect liability period.
    #[serde(default)]
    #[ts(optional)]
    pub exception_reason: Option<String>,
}

/// Who may commission a hired firm: the director decides, the front desk records it.
const COMMISSIONERS: &[Role] = &[Role::Director, Role::FrontDesk];
/// Who inspects for the center (C5).
const CONFIRMERS: &[Role] = &[Role::Director, Role::Steward, Role::Engineer];

/// The ticket states that prove the repair passed: accepted, and everything after it.
fn accepted(s: TicketStatus) -> bool {
    matches!(s, TicketStatus::Accepted | TicketStatus::Closed | TicketStatus::Visited)
}

impl Desk {
    /// Commissions a hired firm to repair a ticket the builder did not (4.2), charging the
    /// builder's deposit ledger in the ticket's project.
    pub fn commission_repair(&self, s: &Session, x: CommissionInput) -> DeskResult<CommissionRecord> {
        require_role(s, COMMISSIONERS, "委托专业公司维修")?;
        let reason = validate_text("reason", "委托原因（施工单位未履行保修的情况）", &x.reason, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let ticket_id = tickets::id_by_no(tx, x.ticket_no.trim())?;
            let t = crate::tickets::detail(tx, ticket_id)?;
            if matches!(t.status, TicketStatus::Cancelled | TicketStatus::OutOfScope) {
                return Err(refused(format!("报修单 {} 为「{}」，不能委托维修", t.no, t.status.label())));
            }
            if t.nature != DefectNature::HouseQuality {
                return Err(refused(format!("报修单 {} 的问题性质为「{}」，不属房屋质量保修，费用不能从保修金扣除", t.no, t.nature.label())));
            }
            let contractors = master::list_contractors(tx)?;
            let firm =
                contractors.iter().find(|c| c.id == x.firm_id && c.active).ok_or_else(|| DeskError::invalid("firm_id", "所选委托维修单位不存在或已停用"))?;
            if firm.kind != ContractorKind::Maintenance {
                return Err(DeskError::invalid("firm_id", format!("「{}」是施工单位；委托维修须选择维保单位", firm.name)));
            }
            let project_id = tickets::project_of(tx, ticket_id)?;
            let ledger = match (x.ledger_id, x.builder_id) {
                (Some(id), _) => {
                    let l = fund::ledger(tx, id).map_err(|e| match e {
                        StoreError::NotFound(_) => DeskError::invalid("ledger_id", "所选保修金台账不存在"),
                        other => other.into(),
                    })?;
                    if l.project_id != project_id {
                        return Err(DeskError::invalid("ledger_id", format!("台账「{} {}」不属于报修单所在的项目", l.builder, l.contract_no)));
                    }
                    l
                }
                (None, Some(builder)) => {
                    let mut of_builder: Vec<_> = fund::ledgers(tx, project_id)?.into_iter().filter(|l| l.contractor_id == builder).collect();
                    match of_builder.len() {
                        1 => of_builder.remove(0),
                        0 => {
                            let name = contractors.iter().find(|c| c.id == builder).map(|c| c.name.clone()).unwrap_or_default();
                            return Err(DeskError {
                                field: Some("builder_id".into()),
                                ..DeskError::new(ErrorKind::NotFound, format!("施工单位「{name}」在本项目还没有保修金台账，请先建立台账（A3）"))
                            });
                        }
                        n => {
                            let nos: Vec<String> =
                                of_builder.iter().map(|l| if l.contract_no.is_empty() { "（无合同号）".into() } else { l.contract_no.clone() }).collect();
                            return Err(DeskError::invalid(
                                "ledger_id",
                                format!("「{}」在本项目有 {n} 本台账（合同 {}），请选择扣款的台账", of_builder[0].builder, nos.join("、")),
                            ));
                        }
                    }
                }
                (None, None) => return Err(DeskError::invalid("ledger_id", "请选择扣款的保修金台账（原施工单位）")),
            };
            if ledger.contractor_id == firm.id {
                return Err(DeskError::invalid("firm_id", "委托维修单位不能是被扣保修金的施工单位本身"));
            }
            // The verdict names the liable builder and its liability period; charging another
            // deposit, or one whose period has ended, is the director's call with a reason.
            let class = desk_domain::coverage::classify_part(t.category, &t.part, &t.description);
            let liable = crate::coverage::liable_deposit(tx, t.unit_id, class)?;
            let chosen = desk_domain::coverage::LiableDeposit {
                ledger_id: ledger.id,
                builder: ledger.builder.clone(),
                contract_no: ledger.contract_no.clone(),
                liability_end: ledger.period_end,
                balance_fen: ledger.balance_fen,
            };
            let reported_on = desk_domain::time::local_date(t.reported_at);
            let exception_reason = match desk_domain::coverage::commission_exception(liable.as_ref(), &chosen, reported_on) {
                None => String::new(),
                Some(why) => {
                    let given = validate_text("exception_reason", "例外原因", x.exception_reason.as_deref().unwrap_or(""), 500, false)?;
                    if given.is_empty() {
                        return Err(DeskError::invalid("exception_reason", format!("{why}。如确需从该台账扣款，请填写原因")));
                    }
                    format!("{why}。原因：{given}")
                }
            };
            let unpaid_same_firm = payment::commissions_of_ticket(tx, ticket_id)?
                .into_iter()
                .find(|c| c.firm_id == firm.id && c.request_status != Some(desk_domain::fund::PaymentStatus::Paid));
            if let Some(c) = unpaid_same_firm {
                return Err(DeskError::new(ErrorKind::Conflict, format!("报修单 {} 已委托「{}」维修（尚未付款），不能重复委托", t.no, c.firm)));
            }
            let id = payment::insert_commission(
                tx,
                &payment::NewCommission {
                    ticket_id,
                    ledger_id: ledger.id,
                    firm_id: firm.id,
                    reason: &reason,
                    exception_reason: &exception_reason,
                    at: now.timestamp(),
                    by: s.staff_id,
                },
            )?;
            let contract = if ledger.contract_no.is_empty() { String::new() } else { format!(" 合同 {}", ledger.contract_no) };
            let exception = if exception_reason.is_empty() { String::new() } else { format!("。例外：{exception_reason}") };
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::Commission,
                "ticket",
                ticket_id,
                &format!("委托维修：{}，费用由「{}」{contract}保修金承担。原因：{reason}{exception}", firm.name, ledger.builder),
            )?;
            Ok(payment::commission(tx, id)?)
        })
    }

    /// C5: the center confirms the commissioned repair passed inspection (see the module docs
    /// for when a note is required).
    pub fn confirm_commission(&self, s: &Session, commission_id: i64, note: &str) -> DeskResult<CommissionRecord> {
        require_role(s, CONFIRMERS, "确认委托维修合格（C5）")?;
        let note = validate_text("note", "确认说明", note, 500, false)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let c = payment::commission(tx, commission_id)?;
            if let Some(at) = c.confirmed_at {
                return Err(refused(format!("该委托维修已于 {} 确认合格", desk_domain::time::fmt_local(at))));
            }
            let status = tickets::status_of(tx, c.ticket_id)?;
            if !accepted(status) {
                if s.role != Role::Director {
                    return Err(refused(format!(
                        "报修单 {} 尚未验收（当前「{}」）：须先完成验收，或由保修主任填写检查情况后确认",
                        c.ticket_no,
                        status.label()
                    )));
                }
                if note.is_empty() {
                    return Err(DeskError::invalid("note", format!("报修单 {} 尚未验收，请填写客服中心检查合格的情况", c.ticket_no)));
                }
            }
            payment::confirm_commission(tx, commission_id, now.timestamp(), s.staff_id, &note)?;
            let how = if accepted(status) { "报修单已验收".to_string() } else { format!("报修单未验收（{}）", status.label()) };
            let mut detail = format!("委托维修合格确认（C5）：{}，{how}", c.firm);
            if !note.is_empty() {
                detail.push_str(&format!("。{note}"));
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::CommissionConfirm, "ticket", c.ticket_id, &detail)?;
            Ok(payment::commission(tx, commission_id)?)
        })
    }

    /// The commissions of a ticket, oldest first (the ticket screen's 委托维修 panel).
    pub fn commissions_of_ticket(&self, ticket_no: &str) -> DeskResult<Vec<CommissionRecord>> {
        let reader = self.store.reader()?;
        let c = &reader.db();
        let id = tickets::id_by_no(c, ticket_no.trim())?;
        Ok(payment::commissions_of_ticket(c, id)?)
    }

    /// The commissions of a project, newest first; `pending` keeps those still waiting for C5
    /// or for their payment request (the board's first two columns).
    pub fn commissions(&self, project_id: i64, pending: bool) -> DeskResult<Vec<CommissionRecord>> {
        Ok(payment::commissions_of_project(&self.store.reader()?.db(), project_id, pending)?)
    }
}
