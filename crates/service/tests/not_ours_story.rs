//! Issue 14 path 6, "not ours" (§4.4.1, §4.5.6, §5.1.5.3), walked through the `Desk` API with a
//! clock the test moves: a report outside the warranty is handed over to the property company
//! (paid service) — the ticket becomes 非保修范围 in the same step — followed up on its own clock
//! on 今日待办 until the owner has had an answer, listed in that day's F03 with the owner's other
//! non-warranty matters, and found again on the ticket. Each step is refused for every wrong role
//! and out of order with a Chinese message naming what must come first, writing nothing.
//!
//! The world (as `major_story`): 翠湖澜庭, 一期 1-1-101…105, one builder; Thursday 2026-03-05.
//!
//! Run: `cargo test -p desk-service --test not_ours_story`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use desk_domain::clock::rules::DeadlineSettings;
use desk_domain::not_ours::HandOverTo;
use desk_domain::records::ContractorKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, Classification, TicketStatus};
use desk_domain::time::fmt_local;
use desk_service::acceptance::{AcceptInput, NoticeInput};
use desk_service::error::ErrorKind;
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, ContractorInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::not_ours::{HandOverInput, FOLLOW_UP_ROLES, HAND_OVER_ROLES};
use desk_service::repair::{DispatchInput, FinishInput};
use desk_service::tickets::{ContactInput, TicketFilter};
use desk_service::{Desk, DeskResult, Session};
use std::sync::{Arc, Mutex};

struct World {
    desk: Desk,
    clock: Arc<Mutex<DateTime<Utc>>>,
    director: Session,
    clerk: Session,
    steward: Session,
    cs: Session,
    engineer: Session,
    gm: Session,
    contractor: i64,
    dir: tempfile::TempDir,
}

impl World {
    fn advance(&self, d: Duration) {
        let mut c = self.clock.lock().unwrap();
        *c += d;
    }
    fn everyone(&self) -> Vec<&Session> {
        vec![&self.director, &self.clerk, &self.steward, &self.cs, &self.engineer, &self.gm]
    }
    /// Every session whose role is not in `allowed`.
    fn wrong(&self, allowed: &[Role]) -> Vec<Session> {
        self.everyone().into_iter().filter(|s| !allowed.contains(&s.role)).cloned().collect()
    }
    fn report(&self, unit: &str, part: &str, phone: &str, previous: Option<&str>) -> DeskResult<String> {
        let d = DefectInput {
            description: format!("{part}渗水"),
            part: part.into(),
            category: Category::Leak,
            nature: None,
            classification: Some(Classification::General),
            steward_id: Some(self.steward.staff_id),
            required_by: None,
            expected_visit: String::new(),
            link_to: None,
            previous: previous.map(str::to_string),
            photos: Vec::new(),
        };
        let r = ReportInput {
            channel: Channel::Phone,
            reported_at: None,
            unit: unit.into(),
            owner_id: None,
            owner_name: String::new(),
            phone: phone.into(),
            caller_name: String::new(),
            caller_relation: String::new(),
            defects: vec![d],
        };
        Ok(self.desk.record_report(&self.clerk, r)?.remove(0).no)
    }
    /// Reported, reached, dispatched and the contractor on site: 维修中.
    fn in_repair(&self, unit: &str, phone: &str) -> String {
        let no = self.report(unit, "卫生间", phone, None).unwrap();
        self.advance(Duration::minutes(30));
        self.desk.add_contact_attempt(&self.clerk, &no, ContactInput { channel: Channel::Phone, reached: true, note: "已联系".into(), at: None }).unwrap();
        let x = DispatchInput {
            no_contact_reason: String::new(),
            reason: None,
            contractor_id: Some(self.contractor),
            appointment_at: desk_domain::time::fmt_local(*self.clock.lock().unwrap() + Duration::hours(1)),
            plan: "重做防水".into(),
            materials: String::new(),
            site_contact: "赵师傅".into(),
        };
        let slip = self.desk.issue_dispatch(&self.clerk, &no, x).unwrap().no;
        self.advance(Duration::hours(1));
        self.desk.record_arrival(&self.clerk, &slip, None).unwrap();
        no
    }
    /// From 维修中 to 已验收: finished with an after photo, re-checked, signed by the owner.
    fn accepted(&self, no: &str) {
        self.advance(Duration::hours(2));
        use base64::Engine;
        let f = self.dir.path().join("after.png");
        std::fs::write(&f, base64::engine::general_purpose::STANDARD.decode(signature()).unwrap()).unwrap();
        self.desk.add_photos(&self.clerk, no, "After", &[f.display().to_string()]).unwrap();
        let fin = FinishInput {
            person_in_charge: "赵师傅".into(),
            materials_used: String::new(),
            promised_at: None,
            completed_at: None,
            cause: "防水层破损".into(),
            measures: "重做防水".into(),
            reliability: "闭水试验无渗漏".into(),
        };
        self.desk.finish_repair(&self.clerk, no, fin).unwrap();
        self.desk.recheck(&self.steward, no, true, "合格").unwrap();
        self.desk.accept_repair(&self.clerk, no, AcceptInput::OwnerOnScreen { signature_png_base64: signature(), opinion: "满意".into() }).unwrap();
    }
}

fn signature() -> String {
    use base64::Engine;
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, 40, 20);
        enc.set_color(png::ColorType::Rgba);
        let mut wr = enc.write_header().unwrap();
        let mut px = vec![0u8; 40 * 20 * 4];
        for x in 0..40 {
            px[(10 * 40 + x) * 4 + 3] = 255;
        }
        wr.write_image_data(&px).unwrap();
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// One project, 一期 with 1-1-101 … 1-1-105 (owner 业主10x, phone 1380013510x); staff in every
/// role; one builder. The clock starts on Thursday 2026-03-05 09:00 (local).
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(Mutex::new(Utc.with_ymd_and_hms(2026, 3, 5, 1, 0, 0).unwrap()));
    let c = clock.clone();
    let mut desk = Desk::open_with_clock(dir.path(), Box::new(move || *c.lock().unwrap())).unwrap();
    let director = desk.create_first_director("张主任", "2468").unwrap();
    let add = |desk: &mut Desk, name: &str, role| {
        let id =
            desk.save_staff(&director, StaffInput { id: None, name: name.into(), role, phone: String::new(), active: true, pin: Some("1234".into()) }).unwrap();
        Session { staff_id: id, name: name.into(), role }
    };
    let clerk = add(&mut desk, "前台小李", Role::FrontDesk);
    let steward = add(&mut desk, "管家王磊", Role::Steward);
    let cs = add(&mut desk, "客服助理孙丽", Role::CsAssistant);
    let engineer = add(&mut desk, "工程师周强", Role::Engineer);
    let gm = add(&mut desk, "总经理吴国栋", Role::ProjectGm);
    let p = desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    let b = desk.save_batch(&director, BatchInput { id: None, project_id: p, name: "一期".into(), delivered_on: None, completion_accepted_on: None }).unwrap();
    for room in 101..=105 {
        let owners = vec![OwnerInput { id: None, name: format!("业主{room}"), phones: vec![format!("13800135{room}")], note: String::new() }];
        desk.save_unit(&clerk, UnitInput { id: None, project_id: p, batch_id: b, address: format!("1-1-{room}"), area_m2: None, owners }).unwrap();
    }
    let contractor = desk
        .save_contractor(
            &director,
            ContractorInput {
                id: None,
                name: "城安防水".into(),
                kind: ContractorKind::Builder,
                trade: "防水".into(),
                contact_person: String::new(),
                phone: String::new(),
                active: true,
            },
        )
        .unwrap();
    World { desk, clock, director, clerk, steward, cs, engineer, gm, contractor, dir }
}

fn kind_of<T: std::fmt::Debug>(r: DeskResult<T>) -> (ErrorKind, String) {
    let e = r.expect_err("should be refused");
    (e.kind, e.message)
}

fn now(w: &World) -> DateTime<Utc> {
    *w.clock.lock().unwrap()
}

fn input(to: HandOverTo, reason: &str) -> HandOverInput {
    HandOverInput { to, reason: reason.into() }
}

#[test]
fn a_matter_not_ours_is_handed_to_the_property_company_and_followed_up_until_the_owner_is_answered() {
    let w = world();
    // The follow-up clock is a setting with a range.
    assert_eq!(DeadlineSettings::default().not_ours_follow_up_days, 2);
    for bad in [0, 11] {
        let s = DeadlineSettings { not_ours_follow_up_days: bad, ..Default::default() };
        let e = s.check().unwrap_err();
        assert_eq!(e.field, Some("not_ours_follow_up_days"));
        assert!(e.message.contains("移交事项跟进间隔"), "{}", e.message);
    }

    // Thursday 09:00: the owner of 1-1-101 reports a leak at the sun-room he added himself.
    let no = w.report("1-1-101", "自建阳光房", "13800135101", None).unwrap();
    assert_eq!(w.desk.ticket(&no).unwrap().status, TicketStatus::Reported);

    // Out of order: nothing to follow up or answer before a hand-over.
    let before = w.desk.ticket(&no).unwrap();
    let (k, m) = kind_of(w.desk.follow_up_hand_over(&w.clerk, 1, "物业已上门"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先将报修单移交物业公司或地产客服部"), "{m}");
    let (k, m) = kind_of(w.desk.answer_hand_over(&w.clerk, 1, "已修好"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先将报修单移交物业公司或地产客服部，才能登记答复"), "{m}");

    // Every wrong role is refused; a hand-over needs its reason; nothing is written.
    for s in w.wrong(HAND_OVER_ROLES) {
        let (k, m) = kind_of(w.desk.hand_over(&s, &no, input(HandOverTo::PropertyCompany, "业主自建阳光房，不属保修")));
        assert_eq!(k, ErrorKind::Denied, "{:?}: {m}", s.role);
        assert!(m.contains("移交物业公司或地产客服部"), "{m}");
    }
    let e = w.desk.hand_over(&w.clerk, &no, input(HandOverTo::PropertyCompany, "  ")).unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("reason")));
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // The front desk hands it over to the property company: the ticket becomes 非保修范围 with
    // the reason in the same step; to whom, why, who and when are recorded.
    w.advance(Duration::minutes(10));
    let t = w.desk.hand_over(&w.clerk, &no, input(HandOverTo::PropertyCompany, "业主自建阳光房渗漏，不属保修范围，转物业有偿维修")).unwrap();
    assert_eq!(t.status, TicketStatus::OutOfScope);
    let h = t.hand_overs[0].clone();
    assert_eq!(t.hand_overs.len(), 1);
    assert_eq!(h.to, HandOverTo::PropertyCompany);
    assert_eq!(h.ticket_no, no);
    assert_eq!(h.handed_by, "前台小李");
    assert_eq!(h.handed_at, now(&w));
    assert!(h.answer.is_none() && h.follow_ups.is_empty());
    assert_eq!(fmt_local(h.next_follow_up_due.unwrap()), "2026-03-09 17:30", "two working days after Thursday: Monday's close");
    assert!(t.timeline.iter().any(|e| e.detail.contains("已报修 → 非保修范围") && e.detail.contains("业主自建阳光房渗漏")), "{:?}", t.timeline);
    assert!(t.timeline.iter().any(|e| e.detail.starts_with("移交物业公司（有偿服务）")), "{:?}", t.timeline);

    // Found again: the ticket list's 已移交（非保修） filter lists it, not the other tickets.
    let other = w.report("1-1-105", "厨房", "13800135105", None).unwrap();
    let found = w.desk.list_tickets(&TicketFilter { handed_over: true, ..Default::default() }, 100).unwrap();
    assert_eq!(found.items.iter().map(|t| t.no.as_str()).collect::<Vec<_>>(), vec![no.as_str()]);
    assert!(w.desk.list_tickets(&TicketFilter::default(), 100).unwrap().items.iter().any(|t| t.no == other));
    let both = TicketFilter { handed_over: true, due: Some(desk_service::clocks::DueFilter::DueToday), ..Default::default() };
    assert!(w.desk.list_tickets(&both, 100).unwrap().items.is_empty(), "an out-of-scope ticket has no repair duty");

    // A second hand-over waits for the first's answer.
    let before = w.desk.ticket(&no).unwrap();
    let (k, m) = kind_of(w.desk.hand_over(&w.steward, &no, input(HandOverTo::CsDepartment, "再转地产客服")));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("请先登记该移交的答复"), "{m}");
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // That day's F03 lists it with the owner's other non-warranty matters (§5.1.5.3).
    let day = desk_domain::time::local_date(now(&w));
    let f03 = w.desk.daily_report(day).unwrap();
    let row = f03.out_of_scope.iter().find(|r| r.no == no).expect("in F03 五、非保修范围事项");
    assert_eq!(row.class, "移交物业公司（有偿服务）");
    assert_eq!((row.unit.as_str(), row.owner.as_str(), row.by.as_str()), ("1-1-101", "业主101", "前台小李"));
    assert!(row.matter.contains("业主自建阳光房渗漏") && row.matter.contains("跟进中"), "{}", row.matter);
    assert!(!row.phone.contains("13800135101"), "the phone is masked: {}", row.phone);
    assert_eq!(f03.figures.out_of_scope, f03.out_of_scope.len() as i64);
    // The F03 PDF holds the row in 五、非保修范围事项.
    let pdf = w.dir.path().join("日报.pdf");
    w.desk.export_daily_report(day, &pdf).unwrap();
    let o = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    let text = String::from_utf8_lossy(&o.stdout).replace(['\n', ' '], "");
    for needle in ["五、非保修范围事项（1项，§5.1.5.3）", "移交物业公司（有偿服务）", "业主自建阳光房渗漏", &no] {
        assert!(text.contains(needle), "the PDF lacks «{needle}»:\n{text}");
    }

    // Not due on Thursday nor Friday; due on Monday on 今日待办.
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    w.advance(Duration::days(1));
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    w.advance(Duration::days(3));
    let today = w.desk.today().unwrap();
    let d = today.matters.iter().find(|d| d.ticket_no == no).expect("follow-up due Monday");
    assert_eq!(d.kind, "转物业");
    assert!(d.text.contains("物业公司（有偿服务）") && d.text.contains("业主尚未获得答复"), "{}", d.text);
    assert_eq!(fmt_local(d.due_at.unwrap()), "2026-03-09 17:30");
    assert!(!d.late);

    // Only the center's people follow it up; nothing written by a refused call.
    let before = w.desk.ticket(&no).unwrap();
    for s in w.wrong(FOLLOW_UP_ROLES) {
        assert_eq!(kind_of(w.desk.follow_up_hand_over(&s, h.id, "x")).0, ErrorKind::Denied, "{:?}", s.role);
        assert_eq!(kind_of(w.desk.answer_hand_over(&s, h.id, "x")).0, ErrorKind::Denied, "{:?}", s.role);
    }
    assert_eq!(kind_of(w.desk.follow_up_hand_over(&w.steward, h.id, " ")).0, ErrorKind::Invalid);
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");
    let t = w.desk.follow_up_hand_over(&w.steward, h.id, "物业已上门查看，报价300元，业主考虑中").unwrap();
    let h2 = t.hand_overs[0].clone();
    assert_eq!(h2.follow_ups.len(), 1);
    assert_eq!(h2.follow_ups[0].actor, "管家王磊");
    assert_eq!(fmt_local(h2.next_follow_up_due.unwrap()), "2026-03-11 17:30", "Monday's follow-up: next by Wednesday");
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    // Missed Wednesday: late on Thursday.
    w.advance(Duration::days(3));
    assert!(w.desk.today().unwrap().matters.iter().find(|d| d.ticket_no == no).expect("late").late);

    // The owner has had an answer: recorded once; the hand-over leaves 今日待办.
    let t = w.desk.answer_hand_over(&w.director, h.id, "业主同意物业有偿维修，物业已修好，业主认可").unwrap();
    let h3 = t.hand_overs[0].clone();
    assert_eq!(h3.answer.as_deref(), Some("业主同意物业有偿维修，物业已修好，业主认可"));
    assert_eq!(h3.answered_by.as_deref(), Some("张主任"));
    assert_eq!(h3.answered_at, Some(now(&w)));
    assert!(h3.next_follow_up_due.is_none());
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    let before = w.desk.ticket(&no).unwrap();
    let (k, m) = kind_of(w.desk.answer_hand_over(&w.clerk, h.id, "再登记"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("已登记业主获得的答复"), "{m}");
    assert!(kind_of(w.desk.follow_up_hand_over(&w.clerk, h.id, "x")).1.contains("已登记业主获得的答复"));
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // Found again: the ticket keeps it with its follow-up and answer; the first day's F03 too.
    let t = w.desk.ticket(&no).unwrap();
    assert_eq!(t.hand_overs.len(), 1);
    let f03 = w.desk.daily_report(day).unwrap();
    assert!(f03.out_of_scope.iter().any(|r| r.no == no && r.matter.contains("业主已获答复")));

    // Once answered, another matter of the same ticket may go to the CS department; the ticket
    // stays 非保修范围.
    let t = w.desk.hand_over(&w.cs, &no, input(HandOverTo::CsDepartment, "业主要求开发商兑现销售承诺的赠送花园")).unwrap();
    assert_eq!(t.status, TicketStatus::OutOfScope);
    assert_eq!(t.hand_overs.len(), 2);
    assert_eq!(t.hand_overs[1].to, HandOverTo::CsDepartment);
    w.advance(Duration::days(4));
    let today = w.desk.today().unwrap();
    assert_eq!(today.matters.iter().find(|d| d.ticket_no == no).expect("due").kind, "转地产客服");
}

#[test]
fn a_ticket_in_warranty_work_or_cancelled_is_not_handed_over_but_one_out_of_scope_or_closed_is() {
    let w = world();
    let no = w.in_repair("1-1-102", "13800135102");
    let before = w.desk.ticket(&no).unwrap();
    let (k, m) = kind_of(w.desk.hand_over(&w.director, &no, input(HandOverTo::PropertyCompany, "其实是业主装修问题")));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("报修单已维修中") && m.contains("派工前"), "{m}");
    assert_eq!(w.desk.ticket(&no).unwrap(), before, "nothing half-written");

    // A cancelled ticket neither.
    let other = w.report("1-1-103", "厨房", "13800135103", None).unwrap();
    w.desk.change_status(&w.steward, &other, TicketStatus::Cancelled, "业主自行修好").unwrap();
    let (k, m) = kind_of(w.desk.hand_over(&w.clerk, &other, input(HandOverTo::CsDepartment, "x")));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("已取消"), "{m}");

    // A ticket already 非保修范围 is handed over as it is.
    let third = w.report("1-1-104", "车库", "13800135104", None).unwrap();
    w.desk.change_status(&w.steward, &third, TicketStatus::OutOfScope, "车库属物业管理范围").unwrap();
    let t = w.desk.hand_over(&w.steward, &third, input(HandOverTo::PropertyCompany, "车库渗水属物业维修范围")).unwrap();
    assert_eq!(t.status, TicketStatus::OutOfScope);
    assert_eq!(t.hand_overs.len(), 1);

    // An accepted ticket is still warranty work: refused.
    w.accepted(&no);
    assert_eq!(kind_of(w.desk.hand_over(&w.clerk, &no, input(HandOverTo::PropertyCompany, "x"))).0, ErrorKind::Refused);

    // Closed, the owner raises another matter that is not the warranty's: handed over, the
    // ticket stays closed (§5.1.5.3).
    let notice = NoticeInput { reached: true, channel: Channel::Phone, note: "已告知".into(), new_phone: None };
    assert_eq!(w.desk.completion_notice(&w.clerk, &no, notice).unwrap().status, TicketStatus::Closed);
    let t = w.desk.hand_over(&w.clerk, &no, input(HandOverTo::PropertyCompany, "业主另提小区道闸故障，属物业管理")).unwrap();
    assert_eq!(t.status, TicketStatus::Closed);
    assert_eq!(t.hand_overs.len(), 1);
}
