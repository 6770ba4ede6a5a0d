//! The survey visit (勘查, §5.1.2–§5.1.3, issue 14 path 1): booking, findings and plan, a complex
//! plan's report to the project and its answer. The desk checks roles and order.

use crate::state::AppState;
use desk_domain::records::TicketDetail;
use desk_service::survey::{SurveyBooking, SurveyResult};
use desk_service::DeskResult;

pub fn book_survey(state: &AppState, no: String, input: SurveyBooking) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.book_survey(s, &no, input))
}

pub fn record_survey(state: &AppState, no: String, input: SurveyResult) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.record_survey(s, &no, input))
}

pub fn report_survey_plan(state: &AppState, no: String, reported_to_id: i64) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.report_survey_plan(s, &no, reported_to_id))
}

pub fn answer_survey_plan(state: &AppState, no: String, answer: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.answer_survey_plan(s, &no, &answer))
}
