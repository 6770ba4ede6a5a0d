//! The commissioned repair's payment (fund flow C6 → A7 → 会签 → D8): the request's steps,
//! its exact line arithmetic (quantities in thousandths, amounts in fen), the A7 review of each
//! line (a change needs a reason; the request as asked is kept), who countersigns, the amount in
//! Chinese capitals for the printed form, and the records the desk shows.

use crate::money::Fen;
use crate::staff::Role;
use crate::ticket::labelled_enum;
use crate::DomainError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// Where a payment request stands. C5 (the repair passed) comes before the request exists.
    PaymentStatus {
        /// C6: the hired firm's itemised request is in.
        Submitted => "待审核",
        /// A7: materials, quantities and prices reviewed by the center.
        Reviewed => "待会签",
        /// 会签: every required countersigner has signed.
        Countersigned => "待付款",
        /// D8: finance paid; the deduction is on the builder's deposit.
        Paid => "已付款",
    }
}

labelled_enum! {
    /// A line of the request.
    LineKind { Material => "材料", Labour => "人工", Other => "其他" }
}

impl PaymentStatus {
    /// The fund-flow node that moves a request out of this status.
    pub fn next_node(self) -> &'static str {
        match self {
            PaymentStatus::Submitted => "A7 审核",
            PaymentStatus::Reviewed => "会签",
            PaymentStatus::Countersigned => "D8 付款",
            PaymentStatus::Paid => "",
        }
    }

    /// Refuses a step taken out of order, naming what must happen first.
    pub fn expect(self, wanted: PaymentStatus, step: &str) -> Result<(), DomainError> {
        if self == wanted {
            Ok(())
        } else if self == PaymentStatus::Paid {
            Err(DomainError::rule(format!("付款申请已付款，不能再{step}")))
        } else {
            Err(DomainError::rule(format!("付款申请当前为「{}」，应先完成「{}」，才能{step}", self.label(), self.next_node())))
        }
    }
}

/// A quantity in thousandths parsed from what a person typed: `2.5` → 2500. At most 3 decimals.
pub fn parse_quantity_milli(text: &str) -> Result<i64, String> {
    let t: String = text.chars().map(crate::money::to_half_width).filter(|c| !c.is_whitespace()).collect();
    let bad = || format!("无法识别的数量「{}」", text.trim());
    let (i, f) = t.split_once('.').unwrap_or((t.as_str(), ""));
    if i.is_empty() && f.is_empty() || !i.chars().all(|c| c.is_ascii_digit()) || !f.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if f.len() > 3 {
        return Err("数量最多三位小数".into());
    }
    let whole: i64 = if i.is_empty() { 0 } else { i.parse().map_err(|_| bad())? };
    let frac: i64 = format!("{f:0<3}").parse().map_err(|_| bad())?;
    whole.checked_mul(1000).and_then(|w| w.checked_add(frac)).ok_or_else(|| "数量过大".to_string())
}

/// `2500` → "2.5"
pub fn format_quantity(milli: i64) -> String {
    let s = format!("{}.{:03}", milli / 1000, (milli % 1000).abs());
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Line amount = quantity × unit price, rounded half away from zero to the fen (exact integers:
/// no float ever touches money).
pub fn line_amount(quantity_milli: i64, unit_price: Fen) -> Option<Fen> {
    let p = (quantity_milli as i128) * (unit_price.0 as i128);
    let q = p / 1000;
    let r = p % 1000;
    let rounded = if r.abs() * 2 >= 1000 { q + p.signum() } else { q };
    i64::try_from(rounded).ok().map(Fen)
}

/// `FK-2026-0001`: the payment request's number, one series per year.
pub fn request_no(year: i32, seq: i64) -> String {
    format!("FK-{year}-{seq:04}")
}

// ---- A7: the review of each line -------------------------------------------------------------

/// What the reviewer decided for one line: the quantity and unit price to pay, and why they
/// differ from what the firm asked (4.3 审核材料、数量、价格).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineReview {
    pub quantity_milli: i64,
    pub unit_price: Fen,
    pub amount: Fen,
    /// Whether quantity or price differs from the request.
    pub changed: bool,
}

/// Reviews one line (`seq` is its 1-based number, for the message): unchanged values pass as
/// they are; a changed quantity or unit price needs a reason, because the printed form and the
/// firm must see why they are paid less (or more) than they asked. Negative values are refused.
pub fn review_line(seq: i64, requested: (i64, Fen), reviewed: (i64, Fen), reason: &str) -> Result<LineReview, DomainError> {
    let (q, p) = reviewed;
    if q < 0 {
        return Err(DomainError::field("quantity", format!("第 {seq} 行的审核数量不能为负数")));
    }
    if p.is_negative() {
        return Err(DomainError::field("unit_price_fen", format!("第 {seq} 行的审核单价不能为负数")));
    }
    let changed = reviewed != requested;
    if changed && reason.trim().is_empty() {
        return Err(DomainError::field("reason", format!("第 {seq} 行的数量或单价有改动，请填写审核说明（改动原因）")));
    }
    let amount = line_amount(q, p).ok_or_else(|| DomainError::field("quantity", format!("第 {seq} 行的金额过大")))?;
    Ok(LineReview { quantity_milli: q, unit_price: p, amount, changed })
}

// ---- 会签: who countersigns ------------------------------------------------------------------

/// The setting that holds the countersigning roles (a JSON list of role codes).
pub const COUNTERSIGN_ROLES_KEY: &str = "fund.countersign_roles";

/// Who countersigns by default. The procedure (4.4) says only "经会签后由财务部支付"; the two
/// parties it gives duties to are the warranty center (3.3 reviews the commissioned costs —
/// its head, the 保修主任) and the project department (3.1 keeps the deposit ledger that is
/// charged, 3.2 reconciles it — its head, the 项目总经理). Finance pays at D8 and signs there.
/// A site that also wants the 保修工程师 adds the role in the settings.
pub const DEFAULT_COUNTERSIGN_ROLES: [Role; 2] = [Role::Director, Role::ProjectGm];

/// Checks a list of countersigning roles: at least one, no repeats (order kept), and never the
/// front desk (a clerk records the request; signing for the money is not a clerk's duty).
pub fn validate_countersign_roles(roles: &[Role]) -> Result<Vec<Role>, DomainError> {
    let mut out: Vec<Role> = Vec::with_capacity(roles.len());
    for r in roles {
        if *r == Role::FrontDesk {
            return Err(DomainError::field("roles", "前台客服不能作为会签人"));
        }
        if !out.contains(r) {
            out.push(*r);
        }
    }
    if out.is_empty() {
        return Err(DomainError::field("roles", "至少需要一个会签角色"));
    }
    Ok(out)
}

/// Checks that `role` may sign now: it is one of the required roles and has not signed yet.
pub fn check_countersigner(required: &[Role], signed: &[Role], role: Role) -> Result<(), DomainError> {
    if !required.contains(&role) {
        let names: Vec<&str> = required.iter().map(|r| r.label()).collect();
        return Err(DomainError::rule(format!("「{}」不在会签人之列；会签须由{}签署", role.label(), names.join("、"))));
    }
    if signed.contains(&role) {
        return Err(DomainError::rule(format!("{}已会签，同一角色不能重复会签", role.label())));
    }
    Ok(())
}

/// Whether every required role has signed.
pub fn all_signed(required: &[Role], signed: &[Role]) -> bool {
    required.iter().all(|r| signed.contains(r))
}

// ---- 大写金额 ---------------------------------------------------------------------------------

const DIGITS: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
const IN_GROUP: [&str; 4] = ["仟", "佰", "拾", ""];
const GROUPS: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];

/// An amount in Chinese capitals as written on a payment form (《支付结算办法》 rules):
/// ¥1,234.56 → 壹仟贰佰叁拾肆元伍角陆分, ¥1,409.50 → 壹仟肆佰零玖元伍角整,
/// ¥16,409.02 → 壹万陆仟肆佰零玖元零贰分, ¥100 → 壹佰元整, ¥0 → 零元整. One 零 stands for a run
/// of zeros; a zero 角 before a 分 is written 零; "整" closes an amount without 分 so nothing can
/// be added after it; a negative amount starts with 负.
pub fn amount_in_capitals(amount: Fen) -> String {
    let abs = amount.0.unsigned_abs();
    let (yuan, jiao, fen) = (abs / 100, (abs / 10 % 10) as usize, (abs % 10) as usize);
    let mut out = String::new();
    if amount.is_negative() {
        out.push('负');
    }
    if yuan == 0 && jiao == 0 && fen == 0 {
        out.push_str("零元整");
        return out;
    }
    if yuan > 0 {
        out.push_str(&yuan_in_capitals(yuan));
        out.push('元');
    }
    if jiao > 0 {
        out.push_str(DIGITS[jiao]);
        out.push('角');
    } else if fen > 0 && yuan > 0 {
        out.push('零');
    }
    if fen > 0 {
        out.push_str(DIGITS[fen]);
        out.push('分');
    } else {
        out.push('整');
    }
    out
}

/// Whole yuan (> 0) in capitals, by groups of four digits (万, 亿 …).
fn yuan_in_capitals(n: u64) -> String {
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut need_zero = false;
    for (gi, g) in groups.iter().enumerate().rev() {
        if *g == 0 {
            need_zero = !out.is_empty();
            continue;
        }
        if !out.is_empty() && *g < 1000 {
            need_zero = true;
        }
        let digits = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
        for (d, unit) in digits.iter().zip(IN_GROUP) {
            if *d == 0 {
                need_zero = need_zero || !out.is_empty();
                continue;
            }
            if need_zero {
                out.push('零');
                need_zero = false;
            }
            out.push_str(DIGITS[*d]);
            out.push_str(unit);
        }
        // Zeros at a group's end are said by the group's unit (壹拾万, not 壹拾万零).
        need_zero = false;
        out.push_str(GROUPS.get(gi).copied().unwrap_or(""));
    }
    out
}

// ---- records for the desk ---------------------------------------------------------------------

/// A commissioned repair (委托维修, 4.2): the firm hired for a ticket the builder did not
/// repair, the deposit ledger charged, and the C5 confirmation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CommissionRecord {
    pub id: i64,
    pub ticket_id: i64,
    pub ticket_no: String,
    pub unit: String,
    pub defect: String,
    pub project_id: i64,
    pub ledger_id: i64,
    /// 原施工单位 whose deposit is charged.
    pub builder: String,
    pub contract_no: String,
    pub firm_id: i64,
    /// 委托维修单位.
    pub firm: String,
    /// Why the builder did not perform.
    pub reason: String,
    /// Why this deposit although it is not the liable builder's, or its defect liability period
    /// had ended (empty when the commission follows the warranty verdict).
    pub exception_reason: String,
    pub commissioned_at: DateTime<Utc>,
    pub commissioned_by: String,
    /// C5: the center confirmed the repair passed.
    pub confirmed_at: Option<DateTime<Utc>>,
    pub confirmed_by: Option<String>,
    pub confirm_note: String,
    /// The payment request, once C6 is in.
    pub request_no: Option<String>,
    pub request_status: Option<PaymentStatus>,
}

/// One line of a payment request: as the firm asked, and as A7 approved it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PaymentLineRecord {
    pub id: i64,
    pub seq: i64,
    pub kind: LineKind,
    pub item: String,
    pub unit: String,
    /// Thousandths (2.5 → 2500); `quantity` is the same as people write it.
    pub quantity_milli: i64,
    pub quantity: String,
    pub unit_price_fen: i64,
    pub amount_fen: i64,
    /// Set by A7 (equal to the request when the reviewer kept the line).
    pub reviewed_quantity_milli: Option<i64>,
    pub reviewed_quantity: Option<String>,
    pub reviewed_unit_price_fen: Option<i64>,
    pub reviewed_amount_fen: Option<i64>,
    pub review_reason: String,
    /// Whether A7 changed quantity or unit price.
    pub changed: bool,
}

/// One countersignature (会签).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CountersignRecord {
    pub role: Role,
    pub staff_id: i64,
    pub name: String,
    pub opinion: String,
    pub at: DateTime<Utc>,
}

/// A payment request (付款申请, C6) with its review (A7), countersignatures and payment (D8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PaymentRequestRecord {
    pub id: i64,
    pub no: String,
    pub status: PaymentStatus,
    /// The node that moves it on (A7 审核 / 会签 / D8 付款), empty once paid.
    pub next_node: String,
    pub commission_id: i64,
    pub project_id: i64,
    pub project: String,
    pub ticket_id: i64,
    pub ticket_no: String,
    pub unit: String,
    pub defect: String,
    pub ledger_id: i64,
    pub builder: String,
    pub contract_no: String,
    pub firm: String,
    /// Why the builder did not perform (from the commission), and why the deposit was charged
    /// against the warranty verdict when it was.
    pub reason: String,
    pub requested_fen: i64,
    /// Σ reviewed amounts, once reviewed.
    pub approved_fen: Option<i64>,
    pub submitted_at: DateTime<Utc>,
    pub submitted_by: String,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewed_by: Option<String>,
    pub review_note: String,
    pub lines: Vec<PaymentLineRecord>,
    /// The roles that must countersign (from the settings), in order.
    pub required_roles: Vec<Role>,
    pub countersigns: Vec<CountersignRecord>,
    pub paid_on: Option<NaiveDate>,
    pub paid_voucher: String,
    pub paid_at: Option<DateTime<Utc>>,
    pub paid_by: Option<String>,
    /// The deduction entry on the builder's deposit ledger.
    pub entry_id: Option<i64>,
}

/// A row of the payment board (one card per request, grouped by status / node).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PaymentRequestSummary {
    pub id: i64,
    pub no: String,
    pub status: PaymentStatus,
    pub next_node: String,
    pub ticket_no: String,
    pub unit: String,
    pub builder: String,
    pub firm: String,
    pub requested_fen: i64,
    pub approved_fen: Option<i64>,
    pub submitted_at: DateTime<Utc>,
    /// Countersignatures given so far.
    pub countersigns: i64,
    pub paid_on: Option<NaiveDate>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        assert_eq!(line_amount(2500, Fen(3_333)), Some(Fen(8_333))); // 83.325 → 83.33
        assert_eq!(line_amount(1000, Fen(12_000)), Some(Fen(12_000)));
        assert_eq!(line_amount(333, Fen(1)), Some(Fen(0)));
    }

    #[test]
    fn quantities_as_typed() {
        assert_eq!(parse_quantity_milli("2.5"), Ok(2500));
        assert_eq!(parse_quantity_milli("１２"), Ok(12_000));
        assert!(parse_quantity_milli("1.2345").is_err());
        assert!(parse_quantity_milli("两").is_err());
        assert_eq!(format_quantity(2500), "2.5");
        assert_eq!(format_quantity(12_000), "12");
    }

    #[test]
    fn steps_out_of_order_are_refused_naming_the_missing_node() {
        let e = PaymentStatus::Submitted.expect(PaymentStatus::Countersigned, "付款").unwrap_err();
        assert!(e.to_string().contains("A7 审核"), "{e}");
        let e = PaymentStatus::Paid.expect(PaymentStatus::Countersigned, "付款").unwrap_err();
        assert!(e.to_string().contains("已付款"), "{e}");
    }

    #[test]
    fn capitals_follow_the_payment_rules() {
        let c = |f: i64| amount_in_capitals(Fen(f));
        assert_eq!(c(123_456), "壹仟贰佰叁拾肆元伍角陆分");
        assert_eq!(c(140_950), "壹仟肆佰零玖元伍角整");
        assert_eq!(c(600_714), "陆仟零柒元壹角肆分");
        assert_eq!(c(1_640_902), "壹万陆仟肆佰零玖元零贰分");
        assert_eq!(c(32_504), "叁佰贰拾伍元零肆分");
        assert_eq!(c(10_700_053), "壹拾万柒仟元伍角叁分");
        assert_eq!(c(10_001_000), "壹拾万零壹拾元整");
        assert_eq!(c(10_000_700_000), "壹亿零柒仟元整");
        assert_eq!(c(10_000_000_000), "壹亿元整");
        assert_eq!(c(1_000), "壹拾元整");
        assert_eq!(c(10_000), "壹佰元整");
        assert_eq!(c(5), "伍分");
        assert_eq!(c(50), "伍角整");
        assert_eq!(c(0), "零元整");
        assert_eq!(c(-8_333), "负捌拾叁元叁角叁分");
        assert!(!c(i64::MIN).is_empty());
    }

    #[test]
    fn a_changed_line_needs_a_reason_and_the_original_is_untouched() {
        let asked = (2500, Fen(3_333));
        let same = review_line(1, asked, asked, "").unwrap();
        assert_eq!((same.amount, same.changed), (Fen(8_333), false));
        let e = review_line(2, asked, (2000, Fen(3_333)), " ").unwrap_err();
        assert!(e.to_string().contains("第 2 行") && e.to_string().contains("审核说明"), "{e}");
        let cut = review_line(2, asked, (2000, Fen(3_333)), "现场实测 2 平方米").unwrap();
        assert_eq!((cut.amount, cut.changed), (Fen(6_666), true));
        assert!(review_line(1, asked, (-1, Fen(1)), "x").is_err());
    }

    #[test]
    fn countersigners_are_the_listed_roles_once_each() {
        let req = DEFAULT_COUNTERSIGN_ROLES;
        assert!(check_countersigner(&req, &[], Role::Director).is_ok());
        let e = check_countersigner(&req, &[], Role::Steward).unwrap_err();
        assert!(e.to_string().contains("不在会签人之列"), "{e}");
        let e = check_countersigner(&req, &[Role::Director], Role::Director).unwrap_err();
        assert!(e.to_string().contains("重复会签"), "{e}");
        assert!(!all_signed(&req, &[Role::Director]));
        assert!(all_signed(&req, &[Role::ProjectGm, Role::Director]));
        assert!(validate_countersign_roles(&[]).is_err());
        assert!(validate_countersign_roles(&[Role::FrontDesk]).is_err());
        assert_eq!(validate_countersign_roles(&[Role::Director, Role::Director, Role::Engineer]).unwrap(), vec![Role::Director, Role::Engineer]);
        assert_eq!(request_no(2026, 1), "FK-2026-0001");
    }
}
