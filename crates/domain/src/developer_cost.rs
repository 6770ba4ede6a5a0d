//! Developer-paid repairs (issue 14): when the verdict says the developer pays, the repair's cost
//! (materials and labour lines, exact like the commission's C6 lines) is recorded on the ticket
//! and totalled per project and month, so the centre can report what warranty costs the
//! developer. A cost on a ticket whose verdict names another payer needs the director's reason.

use crate::coverage::Payer;
use crate::fund::payment::LineKind;
use crate::DomainError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Refuses a developer cost on a ticket whose verdict is not Developer, naming the payer the
/// verdict gives, unless the director gave a reason.
pub fn check_payer(verdict: Payer, director_reason: Option<&str>) -> Result<(), DomainError> {
    if verdict == Payer::Developer {
        return Ok(());
    }
    match director_reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(_) => Ok(()),
        None => Err(DomainError::rule(format!("该报修单的保修判定为「{}」，不是开发商承担：如确由开发商承担，须由保修主任填写原因后登记", verdict.label()))),
    }
}

/// One recorded cost line of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DeveloperCostLine {
    pub id: i64,
    pub ticket_id: i64,
    pub ticket_no: String,
    pub incurred_on: NaiveDate,
    pub kind: LineKind,
    pub item: String,
    pub unit: String,
    pub quantity_milli: i64,
    pub unit_price_fen: i64,
    pub amount_fen: i64,
    /// The director's reason when the verdict named another payer; empty otherwise.
    pub reason: String,
    pub at: DateTime<Utc>,
    pub actor: String,
}

/// The developer's repair costs of one month of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DeveloperCostMonth {
    pub project: String,
    /// `2026-03`
    pub month: String,
    pub tickets: u32,
    pub material_fen: i64,
    pub labour_fen: i64,
    pub other_fen: i64,
    /// Compensation agreed with owners that the developer pays (§6.3), by the conclusion's date.
    pub compensation_fen: i64,
    /// Materials, labour, other and compensation.
    pub total_fen: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_payer_needs_the_directors_reason_and_is_named() {
        assert!(check_payer(Payer::Developer, None).is_ok());
        let e = check_payer(Payer::OwnerPaid, None).unwrap_err().to_string();
        assert!(e.contains(Payer::OwnerPaid.label()), "{e}");
        assert!(check_payer(Payer::OwnerPaid, Some("  ")).is_err());
        assert!(check_payer(Payer::OwnerPaid, Some("开发商同意承担")).is_ok());
    }
}
