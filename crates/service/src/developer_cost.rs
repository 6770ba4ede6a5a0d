//! Developer-paid repairs (issue 14): when the verdict says the developer pays, the repair's cost
//! (materials, labour and other lines, exact like the commission's C6 lines) is recorded on the
//! ticket and totalled per project and month — a service function, a table on the statistics
//! page and a sheet of the statistics workbook — so the centre can report what warranty costs
//! the developer. A cost on a ticket whose verdict names another payer is refused, naming that
//! payer, unless the director gives a reason (`desk_domain::developer_cost::check_payer`).

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::fund::payment::PaymentLineInput;
use chrono::NaiveDate;
use desk_domain::audit::AuditAction;
use desk_domain::developer_cost::{check_payer, DeveloperCostLine, DeveloperCostMonth};
use desk_domain::fund::payment::{line_amount, parse_quantity_milli};
use desk_domain::money::Fen;
use desk_domain::staff::Role;
use desk_domain::ticket::validate_text;
use desk_domain::time::local_date;
use desk_store::developer_cost::{self as store, NewCost};
use desk_store::{audit, tickets};
use serde::Deserialize;

/// Who records a developer-paid repair's cost.
pub const DEVELOPER_COST_ROLES: &[Role] = &[Role::FrontDesk, Role::Steward, Role::Director];

/// The cost of a developer-paid repair on a ticket.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DeveloperCostInput {
    pub ticket_no: String,
    /// The business date the cost counts in (its month).
    pub incurred_on: NaiveDate,
    pub lines: Vec<PaymentLineInput>,
    /// The director's reason when the verdict names another payer.
    pub reason: Option<String>,
}

impl Desk {
    /// Records a developer-paid repair's cost lines on a ticket (all or none).
    pub fn record_developer_cost(&self, s: &Session, x: DeveloperCostInput) -> DeskResult<Vec<DeveloperCostLine>> {
        require_role(s, DEVELOPER_COST_ROLES, "登记开发商承担的维修费用")?;
        if x.lines.is_empty() {
            return Err(DeskError::invalid("lines", "至少要有一行费用明细（材料、人工或其他）"));
        }
        if x.lines.len() > 200 {
            return Err(DeskError::invalid("lines", "费用明细最多 200 行"));
        }
        let now = self.now();
        if x.incurred_on > local_date(now) {
            return Err(DeskError::invalid("incurred_on", "费用日期不能晚于今天"));
        }
        let reason = x.reason.as_deref().map(str::trim).unwrap_or("").to_string();
        if !reason.is_empty() && s.role != Role::Director {
            return Err(DeskError::new(crate::error::ErrorKind::Denied, "判定不是开发商承担时，只有保修主任可以填写原因登记费用"));
        }
        struct Line {
            kind: desk_domain::fund::payment::LineKind,
            item: String,
            unit: String,
            q: i64,
            p: i64,
            amount: i64,
        }
        let mut lines = Vec::with_capacity(x.lines.len());
        for (i, l) in x.lines.iter().enumerate() {
            let seq = i + 1;
            let err = |field: &str, m: String| DeskError::invalid(field, format!("第 {seq} 行：{m}"));
            let item = validate_text("item", &format!("第 {seq} 行的名称"), &l.item, 100, true)?;
            let unit = validate_text("unit", &format!("第 {seq} 行的单位"), &l.unit, 20, false)?;
            let q = parse_quantity_milli(&l.quantity).map_err(|m| err("quantity", m))?;
            if q == 0 {
                return Err(err("quantity", "数量须大于 0".into()));
            }
            if l.unit_price_fen < 0 {
                return Err(err("unit_price_fen", "单价不能为负数".into()));
            }
            let amount = line_amount(q, Fen(l.unit_price_fen)).ok_or_else(|| err("quantity", "金额过大".into()))?;
            lines.push(Line { kind: l.kind, item, unit, q, p: l.unit_price_fen, amount: amount.0 });
        }
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, x.ticket_no.trim())?;
            let d = crate::tickets::detail(tx, id)?;
            let project_id = tickets::project_of(tx, id)?;
            let cov = crate::coverage::coverage_of(tx, project_id, d.unit_id, Some(id), d.category, &d.part, &d.description, d.reported_at)?;
            check_payer(cov.verdict.payer, Some(&reason))?;
            let mut total = 0i64;
            for l in &lines {
                store::insert(
                    tx,
                    &NewCost {
                        ticket_id: id,
                        incurred_on: x.incurred_on,
                        kind: l.kind,
                        item: &l.item,
                        unit: &l.unit,
                        quantity_milli: l.q,
                        unit_price_fen: l.p,
                        amount_fen: l.amount,
                        reason: &reason,
                        at: now.timestamp(),
                        actor_id: s.staff_id,
                    },
                )?;
                total = total.saturating_add(l.amount);
            }
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::DeveloperCost,
                "ticket",
                id,
                &format!(
                    "{} 开发商承担维修费用 {} 行，合计 {}（{}）{}",
                    x.ticket_no.trim(),
                    lines.len(),
                    Fen(total),
                    x.incurred_on,
                    if reason.is_empty() { String::new() } else { format!("；判定为「{}」，保修主任原因：{reason}", cov.verdict.payer.label()) }
                ),
            )?;
            Ok(store::of_ticket(tx, id)?)
        })
    }

    /// A ticket's developer-paid cost lines.
    pub fn developer_costs_of_ticket(&self, ticket_no: &str) -> DeskResult<Vec<DeveloperCostLine>> {
        self.store.read(|tx| {
            let id = tickets::id_by_no(tx, ticket_no.trim())?;
            Ok(store::of_ticket(tx, id)?)
        })
    }

    /// The developer-paid repair costs per project and month of the lines dated `from..=to`.
    pub fn developer_costs_per_month(&self, from: NaiveDate, to: NaiveDate) -> DeskResult<Vec<DeveloperCostMonth>> {
        self.store.read(|tx| Ok(store::per_month(tx, from, to)?))
    }
}
