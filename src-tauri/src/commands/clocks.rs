//! 今日待办, holds and escalations to the project GM.

use crate::state::AppState;
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::clock::rules::Duty;
use desk_domain::records::TicketDetail;
use desk_service::clocks::{EscalationView, TodayCounters, TodayList};
use desk_service::DeskResult;
use serde::Serialize;

/// A ticket's current duties and the reason of its running hold, if any (the clock panel).
#[derive(Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TicketDuties {
    pub duties: Vec<Duty>,
    pub hold: Option<String>,
}

pub fn today(state: &AppState) -> DeskResult<TodayList> {
    state.desk(|d| d.today())
}

pub fn today_counters(state: &AppState) -> DeskResult<TodayCounters> {
    state.desk(|d| d.today_counters())
}

pub fn ticket_duties(state: &AppState, no: String) -> DeskResult<TicketDuties> {
    state.desk(|d| d.ticket_duties(&no)).map(|(duties, hold)| TicketDuties { duties, hold })
}

pub fn hold_ticket(state: &AppState, no: String, reason: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.hold_ticket(s, &no, &reason))
}

pub fn release_hold(state: &AppState, no: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.release_hold(s, &no))
}

/// §6.5: the owner is upset; the CS assistant is told (issue 14).
pub fn hold_upset_owner(state: &AppState, no: String, input: desk_service::paths::UpsetOwnerInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.hold_upset_owner(s, &no, input))
}

/// §5.1.4.3: the director marks a major matter and reports it (issue 14).
pub fn mark_major_matter(state: &AppState, no: String, input: desk_service::matters::MajorInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.mark_major_matter(s, &no, input))
}

/// §5.1.4.3: the GM's or engineer's opinion on a major matter.
pub fn record_major_opinion(state: &AppState, no: String, matter_id: i64, opinion: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.record_major_opinion(s, &no, matter_id, &opinion))
}

/// §5.2.1: a complaint above the center, reported and supervised.
pub fn record_complaint(state: &AppState, no: String, input: desk_service::matters::ComplaintInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.record_complaint(s, &no, input))
}

pub fn follow_up_complaint(state: &AppState, complaint_id: i64, note: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.follow_up_complaint(s, complaint_id, &note))
}

pub fn close_complaint(state: &AppState, complaint_id: i64, result: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.close_complaint(s, complaint_id, &result))
}

/// Issue 14 "not ours": hand a matter over to the property company or the CS department.
pub fn hand_over(state: &AppState, no: String, input: desk_service::not_ours::HandOverInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.hand_over(s, &no, input))
}

pub fn follow_up_hand_over(state: &AppState, hand_over_id: i64, note: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.follow_up_hand_over(s, hand_over_id, &note))
}

pub fn answer_hand_over(state: &AppState, hand_over_id: i64, answer: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.answer_hand_over(s, hand_over_id, &answer))
}

pub fn tell_cs_department(state: &AppState, no: String, note: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.tell_cs_department(s, &no, &note))
}

pub fn escalations(state: &AppState, no: Option<String>) -> DeskResult<Vec<EscalationView>> {
    state.desk(|d| d.escalations(no.as_deref()))
}

pub fn raise_escalation(state: &AppState, no: String, kind: EscalationKind, detail: String) -> DeskResult<EscalationView> {
    state.signed_in(|d, s| d.raise_escalation(s, &no, kind, &detail))
}

pub fn acknowledge_escalation(state: &AppState, id: i64, note: String) -> DeskResult<EscalationView> {
    state.signed_in(|d, s| d.acknowledge_escalation(s, id, &note))
}

pub fn coverage_at_intake(
    state: &AppState,
    unit: String,
    category: desk_domain::ticket::Category,
    part: String,
    description: String,
    at: Option<String>,
) -> DeskResult<desk_service::coverage::CoverageView> {
    state.desk(|d| d.coverage_at_intake(&unit, category, &part, &description, at.as_deref()))
}

pub fn coverage_of_ticket(state: &AppState, no: String) -> DeskResult<desk_service::coverage::CoverageView> {
    state.desk(|d| d.coverage_of_ticket(&no))
}

pub fn work_calendar(state: &AppState) -> DeskResult<desk_domain::clock::calendar::WorkCalendar> {
    state.desk(|d| d.work_calendar())
}

pub fn set_work_calendar(state: &AppState, calendar: desk_domain::clock::calendar::WorkCalendar) -> DeskResult<desk_domain::clock::calendar::WorkCalendar> {
    state.signed_in(|d, s| d.set_work_calendar(s, &calendar))
}

pub fn preview_holiday_notice(state: &AppState, text: String, year: i32) -> DeskResult<desk_domain::clock::holiday_notice::HolidayNotice> {
    state.desk(|d| d.preview_holiday_notice(&text, year))
}

pub fn import_holiday_notice(state: &AppState, text: String, year: i32) -> DeskResult<desk_domain::clock::calendar::WorkCalendar> {
    state.signed_in(|d, s| d.import_holiday_notice(s, &text, year))
}

pub fn calendar_warning(state: &AppState) -> DeskResult<Option<String>> {
    state.desk(|d| d.calendar_warning())
}

pub fn deadline_settings(state: &AppState, project_id: i64) -> DeskResult<desk_domain::clock::rules::DeadlineSettings> {
    state.desk(|d| d.deadline_settings(project_id))
}

pub fn set_deadline_settings(
    state: &AppState,
    project_id: i64,
    settings: desk_domain::clock::rules::DeadlineSettings,
) -> DeskResult<desk_domain::clock::rules::DeadlineSettings> {
    state.signed_in(|d, s| d.set_deadline_settings(s, project_id, &settings))
}

pub fn coverage_settings(state: &AppState, project_id: i64) -> DeskResult<desk_domain::coverage::CoverageSettings> {
    state.desk(|d| d.coverage_settings(project_id))
}

pub fn set_coverage_settings(
    state: &AppState,
    project_id: i64,
    settings: desk_domain::coverage::CoverageSettings,
) -> DeskResult<desk_domain::coverage::CoverageSettings> {
    state.signed_in(|d, s| d.set_coverage_settings(s, project_id, &settings))
}

pub fn liabilities(state: &AppState, project_id: i64) -> DeskResult<Vec<desk_service::coverage::LiabilityRow>> {
    state.desk(|d| d.liabilities(project_id))
}

pub fn add_liability(state: &AppState, batch_id: i64, part_class: Option<desk_domain::coverage::PartClass>, ledger_id: i64) -> DeskResult<i64> {
    state.signed_in(|d, s| d.add_liability(s, batch_id, part_class, ledger_id))
}

pub fn remove_liability(state: &AppState, id: i64) -> DeskResult<()> {
    state.signed_in(|d, s| d.remove_liability(s, id))
}

/// §6.3: the owner's compensation claim, reported to the GM or an engineer (issue 14).
pub fn open_compensation(state: &AppState, no: String, input: desk_service::compensation::CompensationOpenInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.open_compensation(s, &no, input))
}

/// §6.3: the CS department told of a compensation case.
pub fn notify_cs_of_compensation(state: &AppState, case_id: i64, note: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.notify_cs_of_compensation(s, case_id, &note))
}

/// §6.3: one negotiation round with the owner.
pub fn add_compensation_round(state: &AppState, case_id: i64, note: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.add_compensation_round(s, case_id, &note))
}

/// §6.3: the agreement (amount, payer, signed agreement files).
pub fn conclude_compensation(state: &AppState, case_id: i64, input: desk_service::compensation::CompensationAgreementInput) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.conclude_compensation(s, case_id, input))
}

/// §6.3: closed without compensation, with the reason.
pub fn close_compensation_without(state: &AppState, case_id: i64, reason: String) -> DeskResult<TicketDetail> {
    state.signed_in(|d, s| d.close_compensation_without(s, case_id, &reason))
}
