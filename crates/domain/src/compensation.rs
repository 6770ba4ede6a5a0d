//! Compensation (issue 14 path 4, §6.3 and §5.2.2.6): when an owner claims compensation for a
//! quality problem, the steward must not discuss it with the owner. The director or the CS
//! supervisor assistant records the claim and reports it to the project GM (or the warranty
//! engineer the project assigned), tells the CS department, negotiates with the owner (each round
//! kept), and concludes with an agreement — the agreed amount, who pays, and the signed agreement
//! scanned or photographed — or closes the case without compensation, with the reason. A
//! developer-paid amount counts in the developer's cost statistics.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Who pays the agreed compensation. A recorded fact: no ledger entry is made from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum CompensationPayer {
    /// 开发商承担: counted in the developer's cost statistics.
    Developer,
    /// 责任施工单位承担 (may later be deducted from its warranty deposit, outside this record).
    Builder,
    /// 物业公司承担.
    PropertyCompany,
}

impl CompensationPayer {
    pub const ALL: &'static [CompensationPayer] = &[CompensationPayer::Developer, CompensationPayer::Builder, CompensationPayer::PropertyCompany];

    pub fn label(self) -> &'static str {
        match self {
            CompensationPayer::Developer => "开发商承担",
            CompensationPayer::Builder => "责任施工单位承担",
            CompensationPayer::PropertyCompany => "物业公司承担",
        }
    }

    /// The stable code (the variant name).
    pub fn code(self) -> &'static str {
        match self {
            CompensationPayer::Developer => "Developer",
            CompensationPayer::Builder => "Builder",
            CompensationPayer::PropertyCompany => "PropertyCompany",
        }
    }
}

/// One negotiation round with the owner (append-only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CompensationRound {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub note: String,
}

/// A compensation case of a ticket, as the ticket, 今日待办 and F03 show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CompensationView {
    pub id: i64,
    pub ticket_no: String,
    /// What the owner claims.
    pub claim: String,
    /// The amount the owner claims, when named.
    pub claimed_fen: Option<i64>,
    pub opened_by: String,
    pub opened_at: DateTime<Utc>,
    /// The project GM or warranty engineer it was reported to (§6.3, §5.2.2.6).
    pub reported_to: String,
    pub reported_to_role: crate::staff::Role,
    pub reported_at: DateTime<Utc>,
    /// When and by whom the CS department was told, and what was said.
    pub cs_notified_at: Option<DateTime<Utc>>,
    pub cs_notified_by: Option<String>,
    pub cs_note: Option<String>,
    pub rounds: Vec<CompensationRound>,
    /// The agreement: amount, payer (with who exactly, e.g. the builder's name), files.
    pub agreed_fen: Option<i64>,
    pub payer: Option<CompensationPayer>,
    pub payer_detail: String,
    /// The signed agreement's scans or photos, relative to the data folder.
    pub agreement_files: Vec<String>,
    /// Closed without compensation: why.
    pub no_compensation_reason: Option<String>,
    pub concluded_by: Option<String>,
    pub concluded_at: Option<DateTime<Utc>>,
    /// The business date the conclusion counts in (the statistics' month).
    pub concluded_on: Option<NaiveDate>,
    pub note: String,
}

impl CompensationView {
    pub fn is_open(&self) -> bool {
        self.concluded_at.is_none()
    }

    /// The case's state in a few words (the ticket, F03).
    pub fn state_text(&self) -> String {
        match (&self.agreed_fen, &self.no_compensation_reason) {
            (Some(fen), _) => format!(
                "已达成协议：赔偿 {}，{}{}",
                crate::money::Fen(*fen),
                self.payer.map_or("", |p| p.label()),
                if self.payer_detail.is_empty() { String::new() } else { format!("（{}）", self.payer_detail) }
            ),
            (None, Some(r)) => format!("不予赔偿结案：{r}"),
            (None, None) if self.cs_notified_at.is_none() => format!("已报{}，待通报客户服务部", self.reported_to),
            (None, None) => format!("已报{}并通报客户服务部，协商中（{} 次）", self.reported_to, self.rounds.len()),
        }
    }
}

/// The refusal of an agreement or a close before the CS department was told (§6.3).
pub const CS_FIRST: &str = "请先通报客户服务部：赔偿事项须及时通报客户服务部并与其协商处理（§6.3），才能登记协议或结案";

/// Checks an agreement: an amount above zero needs the signed agreement's file(s).
pub fn check_agreement(agreed_fen: i64, files: usize) -> Result<(), crate::error::DomainError> {
    if agreed_fen < 0 {
        return Err(crate::error::DomainError::field("agreed_amount", "赔偿金额不能为负数"));
    }
    if agreed_fen > 0 && files == 0 {
        return Err(crate::error::DomainError::field("files", "赔偿金额大于 0 时，须上传业主签字的赔偿协议（扫描件或照片）"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_needs_the_signed_agreement_and_none_is_negative() {
        assert!(check_agreement(0, 0).is_ok());
        assert!(check_agreement(50_000, 1).is_ok());
        assert!(check_agreement(50_000, 0).unwrap_err().to_string().contains("赔偿协议"));
        assert!(check_agreement(-1, 1).unwrap_err().to_string().contains("负数"));
    }
}
