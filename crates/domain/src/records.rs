//! The records the desk shows and edits: plain data, filled by the store, sent to the UI
//! (their TypeScript twins are generated into `ui/src/bindings/` by `cargo test`).

use crate::repair::{AcceptanceKind, DispatchReason, FollowUpKind, Satisfaction};
use crate::staff::Role;
use crate::ticket::{Category, Channel, Classification, DefectNature, TicketStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Project {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub address: String,
}

/// 期 / 交付批次.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Batch {
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub delivered_on: Option<NaiveDate>,
    pub completion_accepted_on: Option<NaiveDate>,
    pub unit_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct OwnerRecord {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    /// Current numbers first (the newest change first), then the old ones.
    pub phones: Vec<String>,
    /// The numbers of `phones` marked 旧号码 after a change (§5.1.4.2).
    #[serde(default)]
    pub old_phones: Vec<String>,
    pub note: String,
}

/// A unit with its owners — what the clerk sees when a caller is found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct UnitRecord {
    pub id: i64,
    pub project_id: i64,
    pub batch_id: i64,
    pub batch_name: String,
    pub delivered_on: Option<NaiveDate>,
    /// `3-2-1502`.
    pub address: String,
    pub building: String,
    pub entrance: String,
    pub room: String,
    pub area_m2: Option<f64>,
    pub owners: Vec<OwnerRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum ContractorKind {
    /// 施工单位: the original builder, with a warranty duty and a deposit.
    Builder,
    /// 维保单位: a maintenance firm hired for repairs.
    Maintenance,
}

impl ContractorKind {
    pub const ALL: &'static [ContractorKind] = &[ContractorKind::Builder, ContractorKind::Maintenance];

    pub fn code(self) -> &'static str {
        match self {
            ContractorKind::Builder => "Builder",
            ContractorKind::Maintenance => "Maintenance",
        }
    }

    /// The Chinese label the UI and the roster files use.
    pub fn label(self) -> &'static str {
        match self {
            ContractorKind::Builder => "施工单位",
            ContractorKind::Maintenance => "维保单位",
        }
    }

    /// Reads a stored code or a Chinese label.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|k| k.code() == s || k.label() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Contractor {
    pub id: i64,
    pub name: String,
    pub kind: ContractorKind,
    /// 专业 (土建, 防水, 门窗, 水电 …).
    pub trade: String,
    pub contact_person: String,
    pub phone: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub phone: String,
    pub active: bool,
}

/// One row of the ticket list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TicketSummary {
    pub id: i64,
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub status: TicketStatus,
    pub category: Category,
    pub part: String,
    pub description: String,
    pub classification: Option<Classification>,
    pub steward: Option<String>,
    pub reported_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ContactAttempt {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub channel: Channel,
    pub reached: bool,
    pub note: String,
    pub actor: String,
}

/// One line of the audit trail / a ticket's timeline: who did what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    /// The action's code (`desk_domain::audit::AuditAction`), and what people call it.
    pub action: String,
    pub action_label: String,
    pub entity: String,
    pub entity_id: i64,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Photo {
    pub id: i64,
    pub kind: String,
    /// Relative to the data folder.
    pub file: String,
    pub added_at: DateTime<Utc>,
}

/// Everything about one ticket, for the detail screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TicketDetail {
    pub id: i64,
    pub no: String,
    pub report_id: i64,
    pub unit_id: i64,
    pub unit: String,
    pub batch_name: String,
    pub delivered_on: Option<NaiveDate>,
    pub owner_id: Option<i64>,
    pub owner: String,
    pub phone: String,
    pub channel: Channel,
    pub caller_name: String,
    pub caller_relation: String,
    pub description: String,
    pub part: String,
    pub category: Category,
    pub nature: DefectNature,
    pub classification: Option<Classification>,
    pub status: TicketStatus,
    /// The states the procedure allows from here (for the detail screen's actions).
    pub next_statuses: Vec<TicketStatus>,
    pub reported_at: DateTime<Utc>,
    pub required_by: Option<DateTime<Utc>>,
    pub expected_visit: String,
    pub receptionist: String,
    pub steward_id: Option<i64>,
    pub steward: Option<String>,
    pub linked_to: Option<String>,
    /// Other tickets reported in the same call.
    pub siblings: Vec<String>,
    pub contacts: Vec<ContactAttempt>,
    pub photos: Vec<Photo>,
    /// 调度单, oldest first (re-work keeps the history).
    pub dispatches: Vec<DispatchRecord>,
    pub followups: Vec<FollowUp>,
    pub acceptance: Option<AcceptanceRecord>,
    pub timeline: Vec<AuditEntry>,
    /// §5.1.4.2: enough failed completion notices (the project's `max_failed_notices`) for the
    /// director and the CS supervisor assistant to close; the close action asks the same rule.
    pub unreachable_close_ready: bool,
    /// The project's `max_failed_notices`, for the sentence beside the count.
    pub max_failed_notices: i64,
    /// The project's arrival tolerance in minutes (§5.1.3.3), for the dispatch form's hint.
    pub arrival_tolerance_min: i64,
    /// The closed ticket of the same failure this one follows (opened after the reopen window).
    pub previous_ticket: Option<String>,
    /// Closed or visited: until when it may be reopened (the project's `reopen_window_days`).
    pub reopen_until: Option<DateTime<Utc>>,
    /// Each time it was reopened, oldest first.
    pub reopens: Vec<ReopenRecord>,
    /// The running hold, with who must act.
    pub running_hold: Option<HoldView>,
    /// §5.1.4.2 changed numbers reported to the CS department, oldest first.
    pub phone_inquiries: Vec<PhoneInquiry>,
    /// §5.1.4.3 major matters marked by the director, oldest first.
    pub major_matters: Vec<crate::matters::MajorMatterView>,
    /// §5.2.1 complaints above the center recorded on this ticket, oldest first.
    pub complaints: Vec<crate::matters::ComplaintView>,
    /// Issue 14 "not ours": hand-overs to the property company or the CS department, oldest first.
    pub hand_overs: Vec<crate::not_ours::HandOverView>,
    /// §5.1.2–§5.1.3 survey visits (勘查), oldest first; a superseded booking is kept.
    pub surveys: Vec<crate::survey::SurveyView>,
    /// §6.3 compensation cases of this ticket, oldest first.
    pub compensations: Vec<crate::compensation::CompensationView>,
}

/// One reopening of a closed ticket (issue 14).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReopenRecord {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub reason: String,
    /// The acceptance the failure undid, as it was (kind, time, who).
    pub earlier_acceptance: String,
}

/// A running hold as the ticket shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct HoldView {
    pub id: i64,
    pub from_at: DateTime<Utc>,
    pub reason: String,
    pub actor: String,
    /// §6.5: the owner is upset; the CS assistant must act.
    pub upset_owner: bool,
    /// Who must act (empty for an ordinary hold).
    pub must_act: String,
    pub cs_assistant: Option<String>,
    pub cs_told_at: Option<DateTime<Utc>>,
    pub cs_department_at: Option<DateTime<Utc>>,
    pub cs_department_note: String,
}

/// A changed number reported to the CS department, and its answer (§5.1.4.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PhoneInquiry {
    pub id: i64,
    pub old_phone: String,
    pub new_phone: String,
    pub asked_at: DateTime<Utc>,
    pub asked_by: String,
    pub answer: String,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by: Option<String>,
}

/// How an arrival kept the appointment (§5.1.3.3), as `clock::rules::arrival_verdict` judged it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ArrivalJudgement {
    pub on_time: bool,
    /// `准时` or `迟到 16 分钟，超出 ±15 分钟（§5.1.3.3）`.
    pub text: String,
}

/// A dispatch notice (零星维修工程现场调度通知单, F02) with its §8.2 repair record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DispatchRecord {
    pub id: i64,
    pub no: String,
    pub contractor_id: i64,
    pub contractor: String,
    pub site_contact: String,
    pub appointment_at: DateTime<Utc>,
    pub plan: String,
    pub materials: String,
    /// Only [`DispatchReason::Rework`] slips are rework (返修); see `repair::check_dispatch_reason`.
    pub reason: DispatchReason,
    pub rework: bool,
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
    pub arrived_at: Option<DateTime<Utc>>,
    /// Minutes after (+) or before (−) the appointment.
    pub arrival_deviation_min: Option<i64>,
    /// The §5.1.3.3 verdict on the arrival, judged with the project's tolerance.
    pub arrival: Option<ArrivalJudgement>,
    pub person_in_charge: String,
    pub materials_used: String,
    pub promised_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The contractor's written report: cause, measures, reliability (保修期服务措施 3.(3)).
    pub cause: String,
    pub measures: String,
    pub reliability: String,
}

/// One follow-up: site visit, feedback to the owner, re-check, completion notice, return visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FollowUp {
    pub id: i64,
    pub kind: FollowUpKind,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// Owner reached (notices, visits, feedback); re-check passed (recheck).
    pub ok: bool,
    pub note: String,
    pub next_due_at: Option<DateTime<Utc>>,
    pub satisfaction: Option<Satisfaction>,
    pub new_phone: String,
    pub out_of_scope: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct AcceptanceRecord {
    pub kind: AcceptanceKind,
    pub at: DateTime<Utc>,
    pub recorded_by: String,
    pub owner_opinion: String,
    /// The signature image or the scan of the signed slip, relative to the data folder.
    pub file: String,
    pub director: Option<String>,
    pub cs_assistant: Option<String>,
    pub notice_note: String,
}
