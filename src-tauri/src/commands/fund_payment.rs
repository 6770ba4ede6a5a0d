//! The commissioned repair and its payment (fund flow 4.2, C5 → C6 → A7 → 会签 → D8), and the
//! printed 付款申请单. A payment that would overdraw the deposit fails with kind
//! `NeedsConfirmation` (field `allow_negative`): the window asks the message's question and
//! calls `pay_payment_request` again with `allow_negative: true`.

use crate::state::AppState;
use desk_domain::developer_cost::DeveloperCostLine;
use desk_domain::fund::{CommissionRecord, PaymentRequestRecord, PaymentRequestSummary, PaymentStatus};
use desk_domain::staff::Role;
use desk_service::developer_cost::DeveloperCostInput;
use desk_service::fund::commission::CommissionInput;
use desk_service::fund::payment::{PayInput, PaymentRequestInput, ReviewInput};
use desk_service::print::PrintResult;
use desk_service::DeskResult;

pub fn commission_repair(state: &AppState, input: CommissionInput) -> DeskResult<CommissionRecord> {
    state.signed_in(|d, s| d.commission_repair(s, input))
}

pub fn confirm_commission(state: &AppState, commission_id: i64, note: String) -> DeskResult<CommissionRecord> {
    state.signed_in(|d, s| d.confirm_commission(s, commission_id, &note))
}

pub fn commissions_of_ticket(state: &AppState, no: String) -> DeskResult<Vec<CommissionRecord>> {
    state.desk(|d| d.commissions_of_ticket(&no))
}

pub fn commissions(state: &AppState, project_id: i64, pending: bool) -> DeskResult<Vec<CommissionRecord>> {
    state.desk(|d| d.commissions(project_id, pending))
}

pub fn submit_payment_request(state: &AppState, input: PaymentRequestInput) -> DeskResult<PaymentRequestRecord> {
    state.signed_in(|d, s| d.submit_payment_request(s, input))
}

pub fn review_payment_request(state: &AppState, no: String, input: ReviewInput) -> DeskResult<PaymentRequestRecord> {
    state.signed_in(|d, s| d.review_payment_request(s, &no, input))
}

pub fn countersign_payment_request(state: &AppState, no: String, staff_id: i64, pin: String, opinion: String) -> DeskResult<PaymentRequestRecord> {
    state.signed_in(|d, s| d.countersign_payment_request(s, &no, staff_id, &pin, &opinion))
}

pub fn pay_payment_request(state: &AppState, no: String, input: PayInput) -> DeskResult<PaymentRequestRecord> {
    state.signed_in(|d, s| d.pay_payment_request(s, &no, input))
}

pub fn payment_request(state: &AppState, no: String) -> DeskResult<PaymentRequestRecord> {
    state.desk(|d| d.payment_request(&no))
}

pub fn payment_requests(state: &AppState, project_id: i64, status: Option<PaymentStatus>) -> DeskResult<Vec<PaymentRequestSummary>> {
    state.desk(|d| d.payment_requests(project_id, status))
}

pub fn countersign_roles(state: &AppState) -> DeskResult<Vec<Role>> {
    state.desk(|d| d.countersign_roles())
}

pub fn set_countersign_roles(state: &AppState, roles: Vec<Role>) -> DeskResult<Vec<Role>> {
    state.signed_in(|d, s| d.set_countersign_roles(s, roles))
}

pub fn print_payment_request(state: &AppState, no: String) -> DeskResult<PrintResult> {
    state.desk(|d| d.print_payment_request(&no))
}

// ---- developer-paid repairs (issue 14) --------------------------------------------------------

pub fn record_developer_cost(state: &AppState, input: DeveloperCostInput) -> DeskResult<Vec<DeveloperCostLine>> {
    state.signed_in(|d, s| d.record_developer_cost(s, input))
}

pub fn developer_costs_of_ticket(state: &AppState, no: String) -> DeskResult<Vec<DeveloperCostLine>> {
    state.desk(|d| d.developer_costs_of_ticket(&no))
}
