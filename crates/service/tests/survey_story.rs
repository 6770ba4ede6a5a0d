//! The survey visit (勘查, §5.1.2.2–3, §5.1.3.1–2; issue 14 path 1), walked through the `Desk`
//! API with a clock the test moves: the steward books a survey of a general matter with the
//! owner (its own appointment, on 今日待办 that day), books it again when the owner moves it, and
//! records what was found and the plan; a complex matter's plan is the director's, reported to
//! the project GM, whose answer is recorded — each open end on 今日待办 until it is done, and the
//! day's surveys in F03. Each step is refused for every wrong role and out of order, naming what
//! must come first, with nothing written.
//!
//! Run: `cargo test -p desk-service --test survey_story`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::world::{kind_of, world, World};

use chrono::Duration;
use desk_domain::staff::Role;
use desk_domain::ticket::Classification;
use desk_domain::time::{fmt_local, local_date};
use desk_service::error::ErrorKind;
use desk_service::survey::{SurveyBooking, SurveyResult, COMPLEX_PLAN_ROLES, PLAN_ANSWER_ROLES, SURVEY_ROLES};

fn booking(w: &World, in_hours: i64) -> SurveyBooking {
    SurveyBooking { appointment_at: fmt_local(w.desk.now() + Duration::hours(in_hours)), note: "业主下午在家".into() }
}

fn result() -> SurveyResult {
    SurveyResult {
        findings: "卫生间地面防水层局部破损，楼下顶棚有水渍".into(), plan: "凿除地面，重做防水并闭水试验 48 小时".into()
    }
}

/// The 今日待办 lines of a ticket's survey chain.
fn survey_duties(w: &World, no: &str) -> Vec<String> {
    w.desk.today().unwrap().matters.into_iter().filter(|m| m.ticket_no == no).map(|m| format!("{}|{}", m.kind, m.text)).collect()
}

#[test]
fn a_general_matter_is_surveyed_by_its_steward_before_the_plan() {
    let w = world();
    let no = w.report("1-1-101", "卫生间", "13800135101", None).unwrap();

    // Out of order: nothing to record before a survey is booked.
    let (k, m) = kind_of(w.desk.record_survey(&w.steward, &no, result()));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("请先与业主约定勘查时间"), "{m}");

    // Every wrong role is refused and nothing is written.
    let before = w.desk.ticket(&no).unwrap();
    for s in w.wrong(SURVEY_ROLES) {
        let (k, m) = kind_of(w.desk.book_survey(&s, &no, booking(&w, 3)));
        assert_eq!(k, ErrorKind::Denied, "{:?}: {m}", s.role);
        assert_eq!(kind_of(w.desk.record_survey(&s, &no, result())).0, ErrorKind::Denied);
    }
    // A time that is not a time names the field.
    let e = w.desk.book_survey(&w.steward, &no, SurveyBooking { appointment_at: "明天下午".into(), note: String::new() }).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("appointment_at"), "{e:?}");
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // Booked for this afternoon: on 今日待办 as the steward's survey.
    let t = w.desk.book_survey(&w.steward, &no, booking(&w, 5)).unwrap();
    assert_eq!(t.surveys.len(), 1);
    let duties = survey_duties(&w, &no);
    assert!(duties.iter().any(|d| d.starts_with("现场勘查|") && d.contains("勘查后登记")), "{duties:?}");

    // The owner moves it to tomorrow: the new booking replaces the first, which is kept; it is
    // no longer today's.
    let t = w.desk.book_survey(&w.steward, &no, booking(&w, 24)).unwrap();
    assert_eq!(t.surveys.len(), 2);
    assert!(t.surveys[0].superseded_at.is_some() && t.surveys[1].superseded_at.is_none());
    assert!(t.timeline.iter().any(|l| l.detail.contains("改约现场勘查")), "{:?}", t.timeline);
    assert!(survey_duties(&w, &no).is_empty(), "tomorrow's survey is not today's duty");

    // The next day the survey is late until recorded; then the plan is on the ticket and the
    // duty is gone. A general plan is not reported to the project.
    w.advance(Duration::hours(26));
    let duties = w.desk.today().unwrap().matters.into_iter().filter(|m| m.ticket_no == no).collect::<Vec<_>>();
    assert!(duties.iter().any(|d| d.late), "{duties:?}");
    let t = w.desk.record_survey(&w.steward, &no, result()).unwrap();
    let v = t.surveys.last().unwrap();
    assert_eq!(v.plan, result().plan);
    assert_eq!(v.done_by.as_deref(), Some(w.steward.name.as_str()));
    assert!(survey_duties(&w, &no).is_empty());
    let (k, m) = kind_of(w.desk.report_survey_plan(&w.director, &no, w.gm.staff_id));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("只有复杂维修事项"), "{m}");
    let (_, m) = kind_of(w.desk.record_survey(&w.steward, &no, result()));
    assert!(m.contains("该次勘查已登记"), "recorded once: {m}");
    let (_, m) = kind_of(w.desk.book_survey(&w.steward, &no, booking(&w, 2)));
    assert!(m.contains("勘查已完成"), "{m}");

    // F03 of that day lists the survey with its plan.
    let r = w.desk.daily_report(local_date(w.desk.now())).unwrap();
    let line = r.matters.iter().find(|m| m.ticket_no == no).expect("the survey is in F03");
    assert_eq!(line.kind_label, "现场勘查");
    assert!(line.detail.contains("重做防水"), "{line:?}");
}

#[test]
fn a_simple_or_unjudged_matter_is_not_surveyed() {
    let w = world();
    let simple = w.report_as("1-1-102", "开关", "13800135102", None, Classification::Simple).unwrap();
    let (k, m) = kind_of(w.desk.book_survey(&w.steward, &simple, booking(&w, 3)));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("简单维修事项无需现场勘查"), "{m}");
}

#[test]
fn a_complex_plan_is_the_directors_reported_to_the_gm_and_answered() {
    let w = world();
    let no = w.report_as("1-1-103", "外墙", "13800135103", None, Classification::Complex).unwrap();
    w.desk.book_survey(&w.steward, &no, booking(&w, 2)).unwrap();
    w.advance(Duration::hours(3));

    // The steward goes, but the complex plan is the director's (§5.1.3.2).
    let (k, m) = kind_of(w.desk.record_survey(&w.steward, &no, result()));
    assert_eq!(k, ErrorKind::Denied);
    assert!(m.contains("保修主任") || m.contains("只有"), "{m}");
    // Out of order: no report before the plan, no answer before the report.
    let (_, m) = kind_of(w.desk.report_survey_plan(&w.director, &no, w.gm.staff_id));
    assert!(m.contains("请先登记勘查情况"), "{m}");
    let t = w.desk.record_survey(&w.director, &no, result()).unwrap();
    assert!(t.timeline.iter().any(|l| l.detail.contains("须汇报项目部")), "{:?}", t.timeline);
    let duties = survey_duties(&w, &no);
    assert!(duties.iter().any(|d| d.contains("保修主任须汇报")), "{duties:?}");
    let (_, m) = kind_of(w.desk.answer_survey_plan(&w.gm, &no, "同意"));
    assert!(m.contains("请先将方案汇报"), "{m}");

    // Report: the director only, to a GM or engineer only; nothing written on a refusal.
    let before = w.desk.ticket(&no).unwrap();
    for s in w.wrong(COMPLEX_PLAN_ROLES) {
        assert_eq!(kind_of(w.desk.report_survey_plan(&s, &no, w.gm.staff_id)).0, ErrorKind::Denied, "{:?}", s.role);
    }
    let e = w.desk.report_survey_plan(&w.director, &no, w.steward.staff_id).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reported_to_id"), "{e:?}");
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");
    let t = w.desk.report_survey_plan(&w.director, &no, w.gm.staff_id).unwrap();
    assert_eq!(t.surveys.last().unwrap().reported_to.as_deref(), Some(w.gm.name.as_str()));
    let duties = survey_duties(&w, &no);
    assert!(duties.iter().any(|d| d.contains("待其答复") && d.contains(&w.gm.name)), "{duties:?}");

    // The answer: by the GM (or the director taking it down); an engineer it was not reported to
    // is refused; recorded once.
    for s in w.wrong(PLAN_ANSWER_ROLES) {
        assert_eq!(kind_of(w.desk.answer_survey_plan(&s, &no, "同意")).0, ErrorKind::Denied, "{:?}", s.role);
    }
    let (k, m) = kind_of(w.desk.answer_survey_plan(&w.engineer, &no, "同意"));
    assert_eq!(k, ErrorKind::Denied);
    assert!(m.contains("未汇报给您"), "{m}");
    let t = w.desk.answer_survey_plan(&w.gm, &no, "同意方案，材料用指定品牌").unwrap();
    let v = t.surveys.last().unwrap();
    assert_eq!(v.answer.as_deref(), Some("同意方案，材料用指定品牌"));
    assert_eq!(v.answered_by.as_deref(), Some(w.gm.name.as_str()));
    assert!(survey_duties(&w, &no).is_empty(), "the chain is done: {:?}", survey_duties(&w, &no));
    let (_, m) = kind_of(w.desk.answer_survey_plan(&w.director, &no, "再次"));
    assert!(m.contains("答复已登记"), "{m}");
    assert!(w.everyone().iter().any(|s| s.role == Role::ProjectGm));

    // F03 names the report and the answer.
    let r = w.desk.daily_report(local_date(w.desk.now())).unwrap();
    let line = r.matters.iter().find(|m| m.ticket_no == no).expect("in F03");
    assert!(line.state.contains("答复：同意方案"), "{line:?}");
}
