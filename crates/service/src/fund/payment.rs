//! Paying a commissioned repair (fund flow C6 → A7 → 会签 → D8) and printing the 付款申请单.
//!
//! * C6 — the hired firm's request, itemised (kind, item, unit, quantity as typed, unit price);
//!   every amount is computed here, exactly, so the firm's arithmetic is never taken on trust.
//!   One request per commission, and only after the repair was confirmed (C5).
//! * A7 — the center reviews materials, quantities and prices line by line (4.3). A changed
//!   line needs a reason; the request as asked stays beside the reviewed values.
//! * 会签 — each role listed in the setting `fund.countersign_roles` signs once, with its own
//!   PIN (the signer is at the desk in person, not the signed-in clerk).
//! * D8 — finance paid: ONE deduction entry on the builder's deposit ledger, pointing at the
//!   ticket and the request. A payment that would overdraw the deposit is a warning the user
//!   must acknowledge (`allow_negative`), never a silent negative balance; paying twice is
//!   refused by the status, by the request's single `entry_id`, and by a guarded update.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use crate::print::PrintResult;
use crate::repair::refused;
use chrono::NaiveDate;
use desk_domain::audit::AuditAction;
use desk_domain::fund::payment::{
    all_signed, check_countersigner, format_quantity, line_amount, parse_quantity_milli, review_line, validate_countersign_roles, COUNTERSIGN_ROLES_KEY,
    DEFAULT_COUNTERSIGN_ROLES,
};
use desk_domain::fund::{EntryKind, LineKind, PaymentRequestRecord, PaymentRequestSummary, PaymentStatus};
use desk_domain::money::Fen;
use desk_domain::staff::Role;
use desk_domain::ticket::validate_text;
use desk_domain::time::local_date;
use desk_store::Db;
use desk_store::{audit, fund, payment, settings, staff};
use serde::Deserialize;

/// One line of the firm's request.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PaymentLineInput {
    pub kind: LineKind,
    /// 名称 (material or work).
    pub item: String,
    /// 单位 (m², 个, 工日 …).
    pub unit: String,
    /// 数量 as typed: "2.5", "１２" (up to three decimals).
    pub quantity: String,
    pub unit_price_fen: i64,
}

/// C6: the firm's request for one commission.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PaymentRequestInput {
    pub commission_id: i64,
    pub lines: Vec<PaymentLineInput>,
}

/// A7's decision on one line (by its 序号). A line left out is approved as requested.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LineReviewInput {
    pub seq: i64,
    /// 审核数量 as typed; empty keeps the requested quantity.
    pub quantity: Option<String>,
    /// 审核单价; empty keeps the requested price.
    pub unit_price_fen: Option<i64>,
    /// 审核说明: required when quantity or price changes.
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReviewInput {
    pub lines: Vec<LineReviewInput>,
    /// 审核意见 for the whole request.
    pub note: String,
}

/// D8: what finance reports back.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PayInput {
    /// 付款日期 YYYY-MM-DD (the ledger entry's date).
    pub paid_on: String,
    /// 凭证号.
    pub voucher_no: String,
    /// The user confirmed paying although the deposit balance goes below zero.
    pub allow_negative: bool,
}

/// Who records the firm's request at the desk.
const SUBMITTERS: &[Role] = &[Role::FrontDesk, Role::Steward, Role::Director, Role::Engineer];
/// Who reviews costs for the center (3.3, 4.3).
const REVIEWERS: &[Role] = &[Role::Director, Role::Engineer];
/// Who records finance's payment at the desk (finance itself has no account).
const PAY_RECORDERS: &[Role] = &[Role::Director, Role::FrontDesk];

/// The countersigning roles: the setting, or the default when it is unset or damaged. A damaged
/// value is never read in part (one unknown role dropped would let a request pass 会签 with fewer
/// signatures than the director set): it is the default as a whole, and
/// [`crate::settings`] reports it on the page and in `check`.
pub(crate) fn required_roles(c: &Db) -> DeskResult<Vec<Role>> {
    Ok(match settings::get(c, COUNTERSIGN_ROLES_KEY)?.map(|raw| crate::settings::countersign_roles_of(&raw)) {
        Some(Ok(roles)) => roles,
        // Unset, or damaged (reported on the page and by check): the default, as a whole.
        None | Some(Err(_)) => DEFAULT_COUNTERSIGN_ROLES.to_vec(),
    })
}

fn full_request(c: &Db, id: i64) -> DeskResult<PaymentRequestRecord> {
    let mut r = payment::request(c, id)?;
    r.required_roles = required_roles(c)?;
    Ok(r)
}

fn line_error(field: &'static str, seq: usize, msg: impl std::fmt::Display) -> DeskError {
    DeskError::invalid(field, format!("第 {seq} 行：{msg}"))
}

impl Desk {
    /// C6: records the hired firm's itemised request (after C5; once per commission).
    pub fn submit_payment_request(&self, s: &Session, x: PaymentRequestInput) -> DeskResult<PaymentRequestRecord> {
        require_role(s, SUBMITTERS, "登记付款申请")?;
        if x.lines.is_empty() {
            return Err(DeskError::invalid("lines", "付款申请至少要有一行明细（材料、人工或其他费用）"));
        }
        if x.lines.len() > 200 {
            return Err(DeskError::invalid("lines", "付款申请明细最多 200 行"));
        }
        struct Line {
            kind: LineKind,
            item: String,
            unit: String,
            q: i64,
            p: i64,
            amount: i64,
        }
        let mut lines = Vec::with_capacity(x.lines.len());
        for (i, l) in x.lines.iter().enumerate() {
            let seq = i + 1;
            let item = validate_text("item", &format!("第 {seq} 行的名称"), &l.item, 100, true)?;
            let unit = validate_text("unit", &format!("第 {seq} 行的单位"), &l.unit, 20, false)?;
            let q = parse_quantity_milli(&l.quantity).map_err(|m| line_error("quantity", seq, m))?;
            if q == 0 {
                return Err(line_error("quantity", seq, "数量须大于 0"));
            }
            if l.unit_price_fen < 0 {
                return Err(line_error("unit_price_fen", seq, "单价不能为负数"));
            }
            let amount = line_amount(q, Fen(l.unit_price_fen)).ok_or_else(|| line_error("quantity", seq, "金额过大"))?;
            lines.push(Line { kind: l.kind, item, unit, q, p: l.unit_price_fen, amount: amount.0 });
        }
        let total = Fen::checked_sum(lines.iter().map(|l| Fen(l.amount))).ok_or_else(|| DeskError::invalid("lines", "申请金额合计过大"))?;
        if total.0 <= 0 {
            return Err(DeskError::invalid("lines", "申请金额合计须大于 0"));
        }
        let now = self.now();
        let year = chrono::Datelike::year(&local_date(now));
        self.store.with_tx(|tx| {
            let c = payment::commission(tx, x.commission_id)?;
            if let Some((_, no)) = payment::request_of_commission(tx, c.id)? {
                return Err(DeskError::new(ErrorKind::Conflict, format!("付款申请已存在（{no}）：每项委托维修只能申请一次付款")));
            }
            if c.confirmed_at.is_none() {
                return Err(refused(format!("报修单 {} 的委托维修尚未确认合格（C5），不能申请付款", c.ticket_no)));
            }
            let no = payment::next_request_no(tx, year)?;
            let new_lines: Vec<payment::NewLine> = lines
                .iter()
                .map(|l| payment::NewLine { kind: l.kind, item: &l.item, unit: &l.unit, quantity_milli: l.q, unit_price_fen: l.p, amount_fen: l.amount })
                .collect();
            let id = payment::insert_request(
                tx,
                &payment::NewRequest { no: &no, commission_id: c.id, requested_fen: total.0, at: now.timestamp(), by: s.staff_id, lines: &new_lines },
            )?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::PaymentSubmit,
                "payment_request",
                id,
                &format!("付款申请 {no}（C6）：{} 申请 {total}，{} 行；报修单 {}", c.firm, lines.len(), c.ticket_no),
            )?;
            full_request(tx, id)
        })
    }

    /// A7: the center's review, line by line; the approved total is the sum of reviewed amounts.
    pub fn review_payment_request(&self, s: &Session, no: &str, x: ReviewInput) -> DeskResult<PaymentRequestRecord> {
        require_role(s, REVIEWERS, "审核委托维修费用（A7）")?;
        let note = validate_text("note", "审核意见", &x.note, 500, false)?;
        for r in &x.lines {
            validate_text("reason", &format!("第 {} 行的审核说明", r.seq), &r.reason, 200, false)?;
        }
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = payment::request_id_by_no(tx, no)?;
            payment::status_of(tx, id)?.expect(PaymentStatus::Submitted, "审核")?;
            let current = payment::lines(tx, id)?;
            if let Some(bad) = x.lines.iter().find(|r| !current.iter().any(|l| l.seq == r.seq)) {
                return Err(DeskError::invalid("seq", format!("付款申请 {no} 没有第 {} 行", bad.seq)));
            }
            let mut reviewed = Vec::with_capacity(current.len());
            let mut changes = Vec::new();
            for l in &current {
                let input = x.lines.iter().find(|r| r.seq == l.seq);
                let q = match input.and_then(|r| r.quantity.as_deref()).map(str::trim).filter(|t| !t.is_empty()) {
                    Some(t) => parse_quantity_milli(t).map_err(|m| line_error("quantity", l.seq as usize, m))?,
                    None => l.quantity_milli,
                };
                let p = input.and_then(|r| r.unit_price_fen).unwrap_or(l.unit_price_fen);
                let reason = input.map(|r| r.reason.trim()).unwrap_or("");
                let v = review_line(l.seq, (l.quantity_milli, Fen(l.unit_price_fen)), (q, Fen(p)), reason)?;
                if v.changed {
                    changes.push(format!(
                        "第 {} 行 {}：{} × {} → {} × {}（{reason}）",
                        l.seq,
                        l.item,
                        format_quantity(l.quantity_milli),
                        Fen(l.unit_price_fen),
                        format_quantity(q),
                        Fen(p)
                    ));
                }
                reviewed.push((l.seq, v, reason.to_string()));
            }
            let approved = Fen::checked_sum(reviewed.iter().map(|(_, v, _)| v.amount)).ok_or_else(|| DeskError::invalid("lines", "核定金额合计过大"))?;
            let rows: Vec<payment::ReviewedLine> = reviewed
                .iter()
                .map(|(seq, v, reason)| payment::ReviewedLine {
                    seq: *seq,
                    quantity_milli: v.quantity_milli,
                    unit_price_fen: v.unit_price.0,
                    amount_fen: v.amount.0,
                    reason,
                })
                .collect();
            payment::set_review(tx, id, &rows, approved.0, now.timestamp(), s.staff_id, &note)?;
            let requested = payment::request(tx, id)?.requested_fen;
            let mut detail = format!("审核（A7）：申请 {}，核定 {approved}", Fen(requested));
            if changes.is_empty() {
                detail.push_str("，明细照申请核定");
            } else {
                detail.push_str(&format!("；{}", changes.join("；")));
            }
            if !note.is_empty() {
                detail.push_str(&format!("。意见：{note}"));
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::PaymentReview, "payment_request", id, &detail)?;
            full_request(tx, id)
        })
    }

    /// 会签: one countersignature by `staff_id`, proven by their PIN. The signer's role must be
    /// one of the countersigning roles and not have signed yet; the last one moves the request
    /// to 待付款.
    pub fn countersign_payment_request(&self, s: &Session, no: &str, staff_id: i64, pin: &str, opinion: &str) -> DeskResult<PaymentRequestRecord> {
        let opinion = validate_text("opinion", "会签意见", opinion, 300, false)?;
        // Check status and role before the PIN, so a wrong person costs nobody a PIN attempt.
        let role = {
            let reader = self.store.reader()?;
            let c = &reader.db();
            let id = payment::request_id_by_no(c, no)?;
            payment::status_of(c, id)?.expect(PaymentStatus::Reviewed, "会签")?;
            let member = staff::get(c, staff_id).map_err(|_| DeskError::invalid("staff_id", "请选择会签人"))?;
            let signed: Vec<Role> = payment::countersigns(c, id)?.iter().map(|k| k.role).collect();
            check_countersigner(&required_roles(c)?, &signed, member.role)
                .map_err(|e| DeskError { field: Some("staff_id".into()), ..DeskError::new(ErrorKind::Refused, format!("{}：{}", member.name, e.message)) })?;
            member.role
        };
        let signer = self.verify_pin(staff_id, pin, &format!("会签付款申请 {}", no.trim()))?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = payment::request_id_by_no(tx, no)?;
            payment::status_of(tx, id)?.expect(PaymentStatus::Reviewed, "会签")?;
            let required = required_roles(tx)?;
            let mut signed: Vec<Role> = payment::countersigns(tx, id)?.iter().map(|k| k.role).collect();
            check_countersigner(&required, &signed, role)?;
            payment::insert_countersign(tx, id, role, signer.staff_id, &opinion, now.timestamp())?;
            signed.push(role);
            let done = all_signed(&required, &signed);
            if done {
                payment::set_status(tx, id, PaymentStatus::Countersigned)?;
            }
            let mut detail = format!("会签：{} {}", role.label(), signer.name);
            if !opinion.is_empty() {
                detail.push_str(&format!("，意见：{opinion}"));
            }
            if done {
                detail.push_str("。会签完成，待财务付款");
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::PaymentCountersign, "payment_request", id, &detail)?;
            full_request(tx, id)
        })
    }

    /// D8: finance paid. Writes one deduction on the builder's deposit ledger and links it.
    /// Refused when the balance would go below zero unless `allow_negative` is set — the error
    /// is [`ErrorKind::NeedsConfirmation`] with field `allow_negative`, and the message is the
    /// question to ask.
    pub fn pay_payment_request(&self, s: &Session, no: &str, x: PayInput) -> DeskResult<PaymentRequestRecord> {
        require_role(s, PAY_RECORDERS, "登记财务付款（D8）")?;
        let now = self.now();
        let paid_on = NaiveDate::parse_from_str(x.paid_on.trim(), "%Y-%m-%d")
            .map_err(|_| DeskError::invalid("paid_on", format!("付款日期「{}」无法识别，请写成 2026-07-01", x.paid_on.trim())))?;
        if paid_on > local_date(now) {
            return Err(DeskError::invalid("paid_on", "付款日期不能晚于今天"));
        }
        let voucher = validate_text("voucher_no", "付款凭证号", &x.voucher_no, 40, true)?;
        self.store.with_tx(|tx| {
            let id = payment::request_id_by_no(tx, no)?;
            let r = payment::request(tx, id)?;
            if r.status == PaymentStatus::Paid {
                let on = r.paid_on.map(|d| d.to_string()).unwrap_or_default();
                return Err(refused(format!("付款申请 {} 已于 {on} 付款（凭证 {}），不能重复付款", r.no, r.paid_voucher)));
            }
            r.status.expect(PaymentStatus::Countersigned, "付款")?;
            let amount = Fen(r.approved_fen.ok_or_else(|| refused(format!("付款申请 {} 还没有核定金额", r.no)))?);
            let ledger = fund::ledger(tx, r.ledger_id)?;
            let after = Fen(ledger.balance_fen).checked_sub(amount).ok_or_else(|| refused("金额超出范围"))?;
            if after.is_negative() && !x.allow_negative {
                return Err(DeskError {
                    field: Some("allow_negative".into()),
                    ..DeskError::new(
                        ErrorKind::NeedsConfirmation,
                        format!("保修金余额不足（{} 余额 {}，本次扣款 {}，付款后为 {}），仍要付款吗？", ledger.builder, Fen(ledger.balance_fen), amount, after),
                    )
                });
            }
            let entry_id = fund::insert_entry(
                tx,
                &fund::NewEntry {
                    ledger_id: r.ledger_id,
                    date: paid_on,
                    kind: Some(EntryKind::Deduction),
                    voucher_no: voucher.clone(),
                    summary: format!("委托维修扣款 {} {}（{}）", r.ticket_no, r.no, r.firm),
                    ticket_id: Some(r.ticket_id),
                    ticket_no: r.ticket_no.clone(),
                    payment_request_id: Some(r.id),
                    payment_request_no: r.no.clone(),
                    credit_fen: 0,
                    debit_fen: amount.0,
                    handler: s.name.clone(),
                    note: if after.is_negative() { format!("扣款后余额为 {after}，经 {} 确认仍付款", s.name) } else { String::new() },
                    at: now.timestamp(),
                    actor_id: Some(s.staff_id),
                    ..Default::default()
                },
            )?;
            if !payment::mark_paid(tx, id, paid_on, &voucher, now.timestamp(), s.staff_id, entry_id)? {
                return Err(refused(format!("付款申请 {} 已付款，不能重复付款", r.no)));
            }
            let mut detail = format!("付款（D8）：{paid_on} 凭证 {voucher}，扣「{}」保修金 {amount}，余额 {after}", ledger.builder);
            if after.is_negative() {
                detail.push_str("（余额为负，已确认）");
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::PaymentPay, "payment_request", id, &detail)?;
            full_request(tx, id)
        })
    }

    /// One request with lines, review, countersignatures and payment.
    pub fn payment_request(&self, no: &str) -> DeskResult<PaymentRequestRecord> {
        let reader = self.store.reader()?;
        let c = &reader.db();
        let id = payment::request_id_by_no(c, no)?;
        full_request(c, id)
    }

    /// The requests of a project for the board (grouped by status in the window), newest first.
    pub fn payment_requests(&self, project_id: i64, status: Option<PaymentStatus>) -> DeskResult<Vec<PaymentRequestSummary>> {
        Ok(payment::list_requests(&self.store.reader()?.db(), project_id, status)?)
    }

    /// The roles that countersign a payment request.
    pub fn countersign_roles(&self) -> DeskResult<Vec<Role>> {
        required_roles(&self.store.reader()?.db())
    }

    /// Sets the countersigning roles (director only). Requests already in 会签 use the new list
    /// from their next signature on.
    pub fn set_countersign_roles(&self, s: &Session, roles: Vec<Role>) -> DeskResult<Vec<Role>> {
        require_role(s, &[Role::Director], "设置会签人")?;
        let roles = validate_countersign_roles(&roles)?;
        let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
        let json = serde_json::to_string(&codes).map_err(|e| DeskError::storage(e.to_string()))?;
        let now = self.now();
        self.store.with_tx(|tx| {
            settings::set(tx, COUNTERSIGN_ROLES_KEY, &json)?;
            let names: Vec<&str> = roles.iter().map(|r| r.label()).collect();
            audit::append(tx, now, Some(s.staff_id), AuditAction::CountersignRoles, "setting", 0, &format!("付款申请会签人：{}", names.join("、")))?;
            // A shorter list may complete requests waiting for a role no longer required.
            for id in payment::ids_with_status(tx, PaymentStatus::Reviewed)? {
                let signed: Vec<Role> = payment::countersigns(tx, id)?.iter().map(|k| k.role).collect();
                if !signed.is_empty() && all_signed(&roles, &signed) {
                    payment::set_status(tx, id, PaymentStatus::Countersigned)?;
                    audit::append(tx, now, Some(s.staff_id), AuditAction::PaymentCountersign, "payment_request", id, "会签人调整后会签已齐，待财务付款")?;
                }
            }
            Ok::<_, DeskError>(())
        })?;
        Ok(roles)
    }

    /// Prints the 付款申请单 (A4) and saves it under `prints/`.
    pub fn print_payment_request(&self, no: &str) -> DeskResult<PrintResult> {
        let r = self.payment_request(no)?;
        let bytes = desk_documents::pdf::payment::render_payment_request(&r, self.created())
            .map_err(|e| DeskError::storage(format!("生成付款申请单 PDF 失败：{e}")))?;
        self.save_print(&format!("{}.pdf", r.no), bytes)
    }
}
