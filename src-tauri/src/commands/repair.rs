//! Dispatch, follow-through, acceptance, closing and return visits.

use crate::state::AppState;
use desk_domain::records::{DispatchRecord, TicketDetail, TicketSummary};
use desk_domain::repair::FollowUpKind;
use desk_service::acceptance::{AcceptInput, NoticeInput, ReturnVisitInput};
use desk_service::repair::{DispatchInput, FinishInput, FollowUpInput};
use desk_service::DeskResult;

pub fn issue_dispatch(state: &AppState, no: String, input: DispatchInput) -> DeskResult<DispatchRecord> {
    state.signed_in(|d, s| d.issue_dispatch(s, &no, input))
}

pub fn record_arrival(state: &AppState, dispatch: String, at: Option<String>) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.record_arrival(s, &dispatch, at))
}

pub fn add_followup(state: &AppState, no: String, kind: FollowUpKind, input: FollowUpInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.add_followup(s, &no, kind, input))
}

pub fn finish_repair(state: &AppState, no: String, input: FinishInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.finish_repair(s, &no, input))
}

pub fn recheck(state: &AppState, no: String, ok: bool, note: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.recheck(s, &no, ok, &note))
}

pub fn accept_repair(state: &AppState, no: String, input: AcceptInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.accept_repair(s, &no, input))
}

pub fn completion_notice(state: &AppState, no: String, input: NoticeInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.completion_notice(s, &no, input))
}

#[allow(clippy::too_many_arguments)]
pub fn close_unreachable(
    state: &AppState,
    no: String,
    director_id: i64,
    director_pin: String,
    cs_assistant_id: i64,
    cs_assistant_pin: String,
    note: String,
) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.close_unreachable(s, &no, (director_id, &director_pin), (cs_assistant_id, &cs_assistant_pin), &note))
}

pub fn return_visit(state: &AppState, no: String, input: ReturnVisitInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.return_visit(s, &no, input))
}

pub fn dissatisfied_owners(state: &AppState) -> DeskResult<Vec<TicketSummary>> {
    state.desk(|d| d.dissatisfied_owners())
}

/// §8.2.1 承诺完成时间, recorded when the contractor gives it (the slip's number, local time text).
pub fn promise_completion(state: &AppState, dispatch: String, at: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.promise_completion(s, &dispatch, &at))
}

/// Reopens a closed ticket within the project's window (issue 14).
pub fn reopen_ticket(state: &AppState, no: String, reason: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.reopen_ticket(s, &no, &reason))
}

/// §5.1.4.2: the owner's new number, after a failed notice.
pub fn record_changed_phone(state: &AppState, no: String, new_phone: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.record_changed_phone(s, &no, &new_phone))
}

/// §5.1.4.2: the CS department's answer about a changed number.
pub fn answer_phone_inquiry(state: &AppState, no: String, inquiry_id: i64, answer: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.answer_phone_inquiry(s, &no, inquiry_id, &answer))
}
