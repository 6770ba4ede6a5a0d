//! The liable builder's deposit in the warranty verdict (保修判定与保修金): whether the deposit
//! on the fund can pay for a hired firm, and when a commission departs from the verdict.
//!
//! A builder's deposit (保修金) may be deducted only during its defect liability period
//! (缺陷责任期, 《建设工程质量保证金管理办法》第九条; REGULATION.md) and only while money is
//! left — after that it is returned, although the builder's warranty (保修期, e.g. 5 years for
//! waterproofing) may still run. The fund's ledger of the builder contract mapped to the part
//! class of the unit's batch (基础资料 → 责任施工单位) gives both facts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The liable builder's contract and its deposit, as the fund holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LiableDeposit {
    pub ledger_id: i64,
    pub builder: String,
    pub contract_no: String,
    /// 缺陷责任期止 (last day); `None` when the ledger does not say.
    pub liability_end: Option<NaiveDate>,
    pub balance_fen: i64,
}

/// Whether the deposit can pay for a repair reported on `reported_on`, and the verdict's line.
pub fn deposit_available(d: &LiableDeposit, reported_on: NaiveDate) -> (bool, String) {
    let contract = if d.contract_no.is_empty() { String::new() } else { format!("（合同 {}）", d.contract_no) };
    let end = d.liability_end.map_or("未填写".to_string(), |e| format!("至 {e} 止"));
    let head = format!("责任施工单位：{}{contract}，缺陷责任期{end}，保修金余额 {}", d.builder, crate::money::Fen(d.balance_fen));
    match d.liability_end {
        Some(e) if reported_on > e => (false, format!("{head}；报修日 {reported_on} 已过缺陷责任期，保修金不能再扣")),
        _ if d.balance_fen <= 0 => (false, format!("{head}；保修金已无余额")),
        _ => (true, head),
    }
}

/// Why charging `chosen` for a repair reported on `reported_on` departs from the verdict, in
/// words for the director; `None` when it follows it (or when no liable builder is set, so
/// there is nothing to depart from).
pub fn commission_exception(liable: Option<&LiableDeposit>, chosen: &LiableDeposit, reported_on: NaiveDate) -> Option<String> {
    let mut why = Vec::new();
    if let Some(l) = liable {
        if l.ledger_id != chosen.ledger_id {
            why.push(format!("所选保修金台账「{} {}」不是该部位的责任施工单位「{} {}」", chosen.builder, chosen.contract_no, l.builder, l.contract_no));
        }
    }
    if let Some(e) = chosen.liability_end {
        if reported_on > e {
            why.push(format!("「{}」的缺陷责任期已于 {e} 结束（报修日 {reported_on}）", chosen.builder));
        }
    }
    if why.is_empty() {
        None
    } else {
        Some(why.join("；"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn deposit(id: i64, builder: &str, end: Option<&str>, balance: i64) -> LiableDeposit {
        LiableDeposit { ledger_id: id, builder: builder.into(), contract_no: format!("HT-{id}"), liability_end: end.map(d), balance_fen: balance }
    }

    #[test]
    fn a_deposit_pays_only_inside_its_liability_period_and_while_money_is_left() {
        let cases = [
            ("inside, money left", Some("2026-12-31"), 100_00, "2026-06-01", true, "余额 ¥100.00"),
            ("the last day counts", Some("2026-12-31"), 100_00, "2026-12-31", true, "至 2026-12-31 止"),
            ("after the period", Some("2026-12-31"), 100_00, "2027-01-01", false, "已过缺陷责任期"),
            ("nothing left", Some("2026-12-31"), 0, "2026-06-01", false, "已无余额"),
            ("overdrawn", None, -5_00, "2026-06-01", false, "已无余额"),
            ("no end on the ledger", None, 100_00, "2030-01-01", true, "缺陷责任期未填写"),
        ];
        for (why, end, balance, reported, ok, says) in cases {
            let (available, line) = deposit_available(&deposit(1, "中建三局", end, balance), d(reported));
            assert_eq!(available, ok, "{why}");
            assert!(line.contains(says) && line.starts_with("责任施工单位：中建三局（合同 HT-1）"), "{why}: {line}");
        }
    }

    #[test]
    fn a_commission_that_departs_from_the_verdict_says_how() {
        let liable = deposit(1, "中建三局", Some("2026-12-31"), 1_000_00);
        let other = deposit(2, "宏达防水", Some("2026-12-31"), 1_000_00);
        assert_eq!(commission_exception(Some(&liable), &liable, d("2026-06-01")), None, "follows the verdict");
        assert_eq!(commission_exception(None, &other, d("2026-06-01")), None, "no liable builder set");
        let e = commission_exception(Some(&liable), &other, d("2026-06-01")).expect("another builder");
        assert!(e.contains("不是该部位的责任施工单位「中建三局 HT-1」"), "{e}");
        let e = commission_exception(Some(&liable), &liable, d("2027-03-01")).expect("after the period");
        assert!(e.contains("已于 2026-12-31 结束"), "{e}");
    }
}
