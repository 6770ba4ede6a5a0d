//! §5.1.3–§5.1.5 as one story with a stepping clock: dispatch → arrival (late, flagged) →
//! site visit and feedback → finish (needs an "after" photo) → re-check → the owner signs on
//! screen → completion notice → return visit; plus every refusal the procedure demands.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use desk_domain::records::ContractorKind;
use desk_domain::repair::{FollowUpKind, Satisfaction};
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, TicketStatus};
use desk_service::acceptance::{AcceptInput, NoticeInput, ReturnVisitInput};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, ContractorInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::repair::{DispatchInput, FinishInput, FollowUpInput};
use desk_service::{Desk, ErrorKind, Session};
use std::sync::{Arc, Mutex};

struct World {
    desk: Desk,
    clock: Arc<Mutex<DateTime<Utc>>>,
    director: Session,
    clerk: Session,
    cs_id: i64,
    contractor: i64,
    dir: tempfile::TempDir,
}

impl World {
    fn at(&self, local: &str) {
        *self.clock.lock().unwrap() = desk_domain::time::parse_local(local, "t").unwrap();
    }
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(Mutex::new(Utc.with_ymd_and_hms(2026, 3, 5, 1, 0, 0).unwrap()));
    let c = clock.clone();
    let mut desk = Desk::open_with_clock(dir.path(), Box::new(move || *c.lock().unwrap())).unwrap();
    let director = desk.create_first_director("张主任", "2468").unwrap();
    let add = |desk: &mut Desk, name: &str, role| {
        desk.save_staff(&director, StaffInput { id: None, name: name.into(), role, phone: String::new(), active: true, pin: Some("1234".into()) }).unwrap()
    };
    let clerk_id = add(&mut desk, "前台小李", Role::FrontDesk);
    let cs_id = add(&mut desk, "孙助理", Role::CsAssistant);
    let clerk = Session { staff_id: clerk_id, name: "前台小李".into(), role: Role::FrontDesk };
    let p = desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    let b = desk.save_batch(&director, BatchInput { id: None, project_id: p, name: "一期".into(), delivered_on: None, completion_accepted_on: None }).unwrap();
    desk.save_unit(
        &clerk,
        UnitInput {
            id: None,
            project_id: p,
            batch_id: b,
            address: "3-2-1502".into(),
            area_m2: None,
            owners: vec![OwnerInput { id: None, name: "王芳".into(), phones: vec!["13800135678".into()], note: String::new() }],
        },
    )
    .unwrap();
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
    World { desk, clock, director, clerk, cs_id, contractor, dir }
}

fn report(w: &mut World) -> String {
    let d = DefectInput {
        description: "卫生间地面渗水".into(),
        part: "卫生间".into(),
        category: Category::Leak,
        nature: None,
        classification: Some(desk_domain::ticket::Classification::General),
        steward_id: Some(1),
        required_by: None,
        expected_visit: String::new(),
        link_to: None,
        previous: None,
        photos: Vec::new(),
    };
    let r = ReportInput {
        channel: Channel::Phone,
        reported_at: None,
        unit: "3-2-1502".into(),
        owner_id: None,
        owner_name: String::new(),
        phone: "13800135678".into(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects: vec![d],
    };
    w.desk.record_report(&w.clerk, r).unwrap().remove(0).no
}

fn dispatch(w: &World, appointment: &str) -> DispatchInput {
    DispatchInput {
        no_contact_reason: "业主来电时已约定上门时间".into(),
        contractor_id: Some(w.contractor),
        appointment_at: appointment.into(),
        plan: "凿开地面重做防水".into(),
        materials: "防水涂料 2 桶".into(),
        site_contact: "赵师傅 13900001111".into(),
        reason: None,
    }
}

/// A 40×20 PNG with a stroke across it (or blank).
fn signature(ink: bool) -> String {
    use base64::Engine;
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, 40, 20);
        enc.set_color(png::ColorType::Rgba);
        let mut wr = enc.write_header().unwrap();
        let mut px = vec![0u8; 40 * 20 * 4];
        if ink {
            for x in 0..40 {
                let i = (10 * 40 + x) * 4;
                px[i + 3] = 255;
            }
        }
        wr.write_image_data(&px).unwrap();
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn after_photo(w: &mut World, no: &str) {
    let f = w.dir.path().join("after.png");
    std::fs::write(&f, base64_png()).unwrap();
    w.desk.add_photos(&w.clerk, no, "After", &[f.display().to_string()]).unwrap();
}

fn base64_png() -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(signature(true)).unwrap()
}

/// A reported ticket taken through dispatch, arrival, finish and a passed re-check.
fn rechecked(w: &mut World) -> String {
    let no = report(w);
    w.at("2026-03-05 10:00");
    let d = w.desk.issue_dispatch(&w.clerk, &no, dispatch(w, "2026-03-05 14:00")).unwrap();
    w.at("2026-03-05 14:05");
    w.desk.record_arrival(&w.clerk, &d.no, None).unwrap();
    after_photo(w, &no);
    w.desk.finish_repair(&w.clerk, &no, finish()).unwrap();
    w.desk.recheck(&w.clerk, &no, true, "合格").unwrap();
    no
}

fn finish() -> FinishInput {
    FinishInput {
        person_in_charge: "赵师傅".into(),
        materials_used: "防水涂料 2 桶".into(),
        promised_at: None,
        completed_at: None,
        cause: "地漏周边防水层破损".into(),
        measures: "重做防水并闭水试验 48 小时".into(),
        reliability: "闭水试验无渗漏".into(),
    }
}

#[test]
fn a_repair_goes_from_dispatch_to_the_owners_signature_and_the_return_visit() {
    let mut w = world();
    let no = report(&mut w);
    w.at("2026-03-05 09:30");
    let d = w.desk.issue_dispatch(&w.clerk, &no, dispatch(&w, "2026-03-06 09:00")).unwrap();
    assert_eq!(d.no, "PG-2026-000001");
    assert!(!d.rework);

    w.at("2026-03-06 09:20");
    let t = w.desk.record_arrival(&w.clerk, &d.no, None).unwrap();
    assert_eq!(t.status, TicketStatus::InRepair);
    assert_eq!(t.dispatches[0].arrival_deviation_min, Some(20));
    assert!(t.timeline.iter().any(|e| e.detail.contains("迟到 20 分钟，超出 ±15 分钟")), "late arrival is flagged");

    w.at("2026-03-06 15:00");
    w.desk.add_followup(&w.clerk, &no, FollowUpKind::SiteVisit, FollowUpInput { note: "防水层已凿开".into(), reached: true, next_due_at: None }).unwrap();
    let t = w
        .desk
        .add_followup(
            &w.clerk,
            &no,
            FollowUpKind::Feedback,
            FollowUpInput { note: "告知业主需闭水 48 小时".into(), reached: true, next_due_at: Some("2026-03-08 10:00".into()) },
        )
        .unwrap();
    assert_eq!(t.followups.len(), 2);

    w.at("2026-03-08 16:00");
    let e = w.desk.finish_repair(&w.clerk, &no, finish()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("photos"), "an after photo is required: {}", e.message);
    after_photo(&mut w, &no);
    let t = w.desk.finish_repair(&w.clerk, &no, finish()).unwrap();
    assert_eq!(t.status, TicketStatus::AwaitingAcceptance);
    assert_eq!(t.dispatches[0].cause, "地漏周边防水层破损");

    let e = w.desk.accept_repair(&w.clerk, &no, AcceptInput::OwnerOnScreen { signature_png_base64: signature(true), opinion: "满意".into() }).unwrap_err();
    assert!(e.message.contains("复检"), "the steward re-checks first: {}", e.message);
    w.desk.recheck(&w.clerk, &no, true, "闭水试验合格").unwrap();
    let e = w.desk.accept_repair(&w.clerk, &no, AcceptInput::OwnerOnScreen { signature_png_base64: signature(false), opinion: String::new() }).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("signature"), "an empty signature pad is refused");
    let t = w.desk.accept_repair(&w.clerk, &no, AcceptInput::OwnerOnScreen { signature_png_base64: signature(true), opinion: "修得好".into() }).unwrap();
    assert_eq!(t.status, TicketStatus::Accepted);
    let acc = t.acceptance.unwrap();
    assert!(w.dir.path().join(&acc.file).exists(), "the signature image is archived");
    let e = w.desk.accept_repair(&w.clerk, &no, AcceptInput::OwnerOnScreen { signature_png_base64: signature(true), opinion: String::new() }).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused, "a second acceptance is refused: {}", e.message);

    w.at("2026-03-08 17:00");
    let t = w.desk.completion_notice(&w.clerk, &no, NoticeInput { reached: true, channel: Channel::Phone, note: "已告知".into(), new_phone: None }).unwrap();
    assert_eq!(t.status, TicketStatus::Closed);

    w.at("2026-03-10 10:00");
    let t = w
        .desk
        .return_visit(
            &w.clerk,
            &no,
            ReturnVisitInput {
                reached: true,
                satisfaction: Some(Satisfaction::Satisfied),
                comments: "很好".into(),
                out_of_scope: "小区路灯不亮".into(),
                meets_code_reason: String::new(),
            },
        )
        .unwrap();
    assert_eq!(t.status, TicketStatus::Visited);
    let actions: Vec<&str> = t.timeline.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["intake", "dispatch", "arrival", "SiteVisit", "Feedback", "photo", "finish", "recheck", "accept", "notice", "status", "visit"]);
}

#[test]
fn the_procedure_refuses_bad_steps_and_leaves_the_state_alone() {
    let mut w = world();
    let no = report(&mut w);
    w.at("2026-03-05 10:00");
    let e = w.desk.issue_dispatch(&w.clerk, &no, dispatch(&w, "2026-03-04 09:00")).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("appointment_at"), "an appointment in the past: {}", e.message);
    let e = w.desk.issue_dispatch(&w.clerk, &no, DispatchInput { contractor_id: None, ..dispatch(&w, "2026-03-06 09:00") }).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("contractor_id"));
    w.desk.classify_ticket(&w.clerk, &no, desk_domain::ticket::Classification::Complex).unwrap();
    let e = w.desk.issue_dispatch(&w.clerk, &no, dispatch(&w, "2026-03-06 09:00")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Denied, "complex repairs are dispatched by the director: {}", e.message);
    assert_eq!(w.desk.ticket(&no).unwrap().status, TicketStatus::Reported);
    assert!(w.desk.ticket(&no).unwrap().dispatches.is_empty());
    w.desk.issue_dispatch(&w.director, &no, dispatch(&w, "2026-03-06 09:00")).unwrap();
}

#[test]
fn proxy_acceptance_needs_both_the_director_and_the_cs_assistant() {
    let mut w = world();
    let no = rechecked(&mut w);
    let proxy = |cs_id: i64, cs_pin: &str| AcceptInput::Proxy {
        director_id: w.director.staff_id,
        director_pin: "2468".into(),
        cs_assistant_id: cs_id,
        cs_assistant_pin: cs_pin.into(),
        notice_note: "已电话告知业主".into(),
    };
    let e = w.desk.accept_repair(&w.clerk, &no, proxy(w.clerk.staff_id, "1234")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Denied, "the second signer must be the CS assistant: {}", e.message);
    let e = w.desk.accept_repair(&w.clerk, &no, proxy(w.cs_id, "0000")).unwrap_err();
    assert!(e.message.contains("孙助理 的 PIN 不正确"), "{}", e.message);
    assert_eq!(w.desk.ticket(&no).unwrap().status, TicketStatus::AwaitingAcceptance);
    let t = w.desk.accept_repair(&w.clerk, &no, proxy(w.cs_id, "1234")).unwrap();
    let acc = t.acceptance.unwrap();
    assert_eq!((acc.director.as_deref(), acc.cs_assistant.as_deref()), (Some("张主任"), Some("孙助理")));
}

#[test]
fn an_unreachable_owner_closes_only_after_five_failed_notices_and_two_pins() {
    let mut w = world();
    let no = rechecked(&mut w);
    w.desk.accept_repair(&w.clerk, &no, AcceptInput::OwnerOnScreen { signature_png_base64: signature(true), opinion: String::new() }).unwrap();
    let failed = NoticeInput { reached: false, channel: Channel::Phone, note: "无人接听".into(), new_phone: None };
    for day in 0..4 {
        w.at(&format!("2026-03-{:02} 10:00", 6 + 2 * day));
        w.desk.completion_notice(&w.clerk, &no, failed.clone()).unwrap();
    }
    let e = w.desk.close_unreachable(&w.clerk, &no, (w.director.staff_id, "2468"), (w.cs_id, "1234"), "复查合格").unwrap_err();
    assert!(e.message.contains("已通知失败 4 次"), "{}", e.message);
    w.desk.completion_notice(&w.clerk, &no, NoticeInput { new_phone: Some("13911112222".into()), ..failed }).unwrap();
    let t = w.desk.close_unreachable(&w.clerk, &no, (w.director.staff_id, "2468"), (w.cs_id, "1234"), "复查合格").unwrap();
    assert_eq!(t.status, TicketStatus::Closed);
    assert!(t.timeline.iter().any(|e| e.detail.contains("已变更为 13911112222")), "a changed number is recorded and reported");
}

#[test]
fn a_dissatisfied_owner_stays_on_the_directors_list_until_satisfied() {
    let mut w = world();
    let no = rechecked(&mut w);
    w.desk.accept_repair(&w.clerk, &no, AcceptInput::OwnerOnScreen { signature_png_base64: signature(true), opinion: String::new() }).unwrap();
    w.desk.completion_notice(&w.clerk, &no, NoticeInput { reached: true, channel: Channel::Phone, note: String::new(), new_phone: None }).unwrap();
    let visit = |sat, reason: &str| ReturnVisitInput {
        reached: true,
        satisfaction: Some(sat),
        comments: String::new(),
        out_of_scope: String::new(),
        meets_code_reason: reason.into(),
    };
    let t = w.desk.return_visit(&w.clerk, &no, visit(Satisfaction::Dissatisfied, "")).unwrap();
    assert_eq!(t.status, TicketStatus::Closed, "not visited while the owner is dissatisfied without a reason");
    assert_eq!(w.desk.dissatisfied_owners().unwrap().len(), 1);
    let t = w.desk.return_visit(&w.clerk, &no, visit(Satisfaction::Dissatisfied, "经检测符合验收规范")).unwrap();
    assert_eq!(t.status, TicketStatus::Visited, "meets the code: closes with a reason (§5.1.5.2)");
    assert_eq!(w.desk.dissatisfied_owners().unwrap().len(), 1, "still followed until satisfied (§5.1.5.4)");
    w.desk.return_visit(&w.clerk, &no, visit(Satisfaction::Satisfied, "")).unwrap();
    assert!(w.desk.dissatisfied_owners().unwrap().is_empty());
}

/// A "scan" of a slip: the QR code of `data` drawn 8 px a module with a quiet zone, as a PNG.
fn qr_scan(dir: &std::path::Path, data: &str) -> std::path::PathBuf {
    let (n, dark) = desk_documents::pdf::qr::modules(data).unwrap();
    let (scale, quiet) = (8usize, 4usize);
    let side = (n + 2 * quiet) * scale;
    let mut px = vec![255u8; side * side];
    for r in 0..n {
        for c in 0..n {
            if dark[r * n + c] {
                for y in 0..scale {
                    for x in 0..scale {
                        px[((r + quiet) * scale + y) * side + (c + quiet) * scale + x] = 0;
                    }
                }
            }
        }
    }
    let path = dir.join(format!("扫描 {data}.png"));
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, side as u32, side as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.write_header().unwrap().write_image_data(&px).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_scanned_paper_slip_is_matched_by_its_qr_code() {
    let mut w = world();
    let no = rechecked(&mut w);
    let dispatch = w.desk.ticket(&no).unwrap().dispatches[0].no.clone();
    let scan = qr_scan(w.dir.path(), &dispatch);
    let found = w.desk.find_slip_by_scan(&scan).unwrap();
    assert_eq!((found.dispatch_no.as_str(), found.ticket_no.as_str()), (dispatch.as_str(), no.as_str()));

    let stranger = qr_scan(w.dir.path(), "PG-2026-999999");
    assert!(w.desk.find_slip_by_scan(&stranger).unwrap_err().message.contains("不是本系统的调度单"));
    let blank = w.dir.path().join("blank.png");
    std::fs::write(&blank, base64_png()).unwrap();
    assert!(w.desk.find_slip_by_scan(&blank).unwrap_err().message.contains("没有找到二维码"));

    let t = w.desk.accept_repair(&w.clerk, &no, AcceptInput::OwnerOnPaper { scan_file: scan.display().to_string(), opinion: "已签字".into() }).unwrap();
    let acc = t.acceptance.unwrap();
    assert!(w.dir.path().join(&acc.file).exists(), "the scan is kept with the record");
}

#[test]
fn dispatch_waits_for_the_classification_the_steward_and_a_contact_with_the_owner() {
    // The slip once went out with 保修管家 blank, no classification and no call to the owner.
    let mut w = world();
    let d = DefectInput {
        description: "厨房水槽下水管漏水".into(),
        part: "厨房".into(),
        category: Category::Leak,
        nature: None,
        classification: None,
        steward_id: None,
        required_by: None,
        expected_visit: String::new(),
        link_to: None,
        previous: None,
        photos: Vec::new(),
    };
    let r = ReportInput {
        channel: Channel::Phone,
        reported_at: None,
        unit: "3-2-1502".into(),
        owner_id: None,
        owner_name: String::new(),
        phone: "13800135678".into(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects: vec![d],
    };
    let no = w.desk.record_report(&w.clerk, r).unwrap().remove(0).no;
    w.at("2026-03-05 10:00");
    let bare = DispatchInput { no_contact_reason: String::new(), ..dispatch(&w, "2026-03-06 09:00") };
    let refused = |w: &mut World| w.desk.issue_dispatch(&w.clerk, &no, bare.clone()).unwrap_err();

    let e = refused(&mut w);
    assert_eq!(e.field.as_deref(), Some("classification"), "{}", e.message);
    assert!(e.message.contains("请先判定维修分类"), "{}", e.message);
    w.desk.classify_ticket(&w.clerk, &no, desk_domain::ticket::Classification::General).unwrap();

    let e = refused(&mut w);
    assert_eq!(e.field.as_deref(), Some("steward_id"), "{}", e.message);
    assert!(e.message.contains("请先指定责任管家"), "{}", e.message);
    w.desk.assign_steward(&w.clerk, &no, w.director.staff_id).unwrap();

    let e = refused(&mut w);
    assert_eq!(e.field.as_deref(), Some("no_contact_reason"), "{}", e.message);
    assert!(e.message.contains("请先联系业主"), "{}", e.message);
    assert!(w.desk.ticket(&no).unwrap().dispatches.is_empty(), "a refused slip writes nothing");

    w.desk
        .add_contact_attempt(
            &w.clerk,
            &no,
            desk_service::tickets::ContactInput { channel: Channel::Phone, reached: true, note: "约定明早上门".into(), at: None },
        )
        .unwrap();
    w.desk.issue_dispatch(&w.clerk, &no, bare.clone()).unwrap();
    assert_eq!(w.desk.ticket(&no).unwrap().status, TicketStatus::Dispatched);
}

#[test]
fn an_arrival_before_the_slip_or_a_finish_before_the_arrival_is_refused() {
    let mut w = world();
    let no = report(&mut w);
    w.at("2026-03-05 10:00");
    let d = w.desk.issue_dispatch(&w.clerk, &no, dispatch(&w, "2026-03-05 14:00")).unwrap();
    w.at("2026-03-05 14:30");
    let e = w.desk.record_arrival(&w.clerk, &d.no, Some("2026-03-05 09:30".into())).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("arrived_at"));
    assert!(e.message.contains("早于调度单") && e.message.contains("须在"), "names what comes first: {}", e.message);
    assert_eq!(w.desk.ticket(&no).unwrap().status, TicketStatus::Dispatched, "nothing changed");

    w.desk.record_arrival(&w.clerk, &d.no, Some("2026-03-05 14:05".into())).unwrap();
    after_photo(&mut w, &no);
    let e = w.desk.finish_repair(&w.clerk, &no, FinishInput { completed_at: Some("2026-03-05 13:00".into()), ..finish() }).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("completed_at"));
    assert!(e.message.contains("早于维修人员到场时间"), "{}", e.message);
    assert_eq!(w.desk.ticket(&no).unwrap().status, TicketStatus::InRepair);
    w.desk.finish_repair(&w.clerk, &no, FinishInput { completed_at: Some("2026-03-05 14:25".into()), ..finish() }).unwrap();
}

#[test]
fn a_contact_dated_before_the_report_is_refused() {
    let mut w = world();
    let no = report(&mut w);
    let e = w
        .desk
        .add_contact_attempt(
            &w.clerk,
            &no,
            desk_service::tickets::ContactInput { channel: Channel::Phone, reached: true, note: String::new(), at: Some("2026-03-05 08:00".into()) },
        )
        .unwrap_err();
    assert!(e.message.contains("早于报修时间"), "{}", e.message);
}
