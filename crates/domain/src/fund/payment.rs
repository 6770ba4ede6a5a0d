//! The commissioned repair's payment (fund flow C6 → A7 → 会签 → D8).

use crate::money::Fen;
use crate::ticket::labelled_enum;
use crate::DomainError;
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

#[cfg(test)]
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
}
