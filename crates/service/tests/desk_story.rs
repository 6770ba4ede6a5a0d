//! The Desk API as the front desk uses it, with a fixed clock: first start, master data,
//! intake of one call with two defects, duplicate warning, contact attempts, the state machine,
//! roles, PIN lockout, and the roster import's all-or-nothing commit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use desk_domain::records::ContractorKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, TicketStatus};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, ContractorInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::tickets::{ContactInput, TicketFilter};
use desk_service::{Desk, ErrorKind, Session};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 5, 2, 0, 0).unwrap() // 10:00 in Beijing
}

struct World {
    desk: Desk,
    director: Session,
    clerk: Session,
    steward_id: i64,
    _dir: tempfile::TempDir,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open_with_clock(dir.path(), Box::new(t0)).unwrap();
    let director = desk.create_first_director("张主任", "2468").unwrap();
    assert!(desk.create_first_director("李四", "1357").is_err(), "only the very first account is created this way");
    let staff = |name: &str, role| StaffInput { id: None, name: name.into(), role, phone: String::new(), active: true, pin: Some("1234".into()) };
    let clerk_id = desk.save_staff(&director, staff("前台小李", Role::FrontDesk)).unwrap();
    let steward_id = desk.save_staff(&director, staff("王管家", Role::Steward)).unwrap();
    let clerk = Session { staff_id: clerk_id, name: "前台小李".into(), role: Role::FrontDesk };
    let project_id = desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    let batch_id = desk
        .save_batch(
            &director,
            BatchInput {
                id: None, project_id, name: "一期".into(), delivered_on: Some(t0().date_naive() - Duration::days(100)), completion_accepted_on: None
            },
        )
        .unwrap();
    desk.save_unit(
        &clerk,
        UnitInput {
            id: None,
            project_id,
            batch_id,
            address: "3号楼2单元1502".into(),
            area_m2: Some(120.0),
            owners: vec![OwnerInput { id: None, name: "王芳".into(), phones: vec!["138 0013 5678".into(), "010-62345678".into()], note: String::new() }],
        },
    )
    .unwrap();
    desk.save_contractor(
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
    World { desk, director, clerk, steward_id, _dir: dir }
}

fn defect(part: &str, desc: &str) -> DefectInput {
    DefectInput {
        description: desc.into(),
        part: part.into(),
        category: Category::Leak,
        nature: None,
        classification: None,
        steward_id: None,
        required_by: None,
        expected_visit: String::new(),
        link_to: None,
        previous: None,
        photos: Vec::new(),
    }
}

fn call(unit: &str, defects: Vec<DefectInput>) -> ReportInput {
    ReportInput {
        channel: Channel::Phone,
        reported_at: None,
        unit: unit.into(),
        owner_id: None,
        owner_name: String::new(),
        phone: "13800135678".into(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects,
    }
}

#[test]
fn a_caller_is_found_by_phone_suffix_unit_or_name_with_the_units_history() {
    let w = world();
    w.desk.record_report(&w.clerk, call("3-2-1502", vec![defect("卫生间", "地面渗水")])).unwrap();
    for q in ["13800135678", "5678", "3-2-1502", "3号楼2单元1502", "王芳", "6234 5678"] {
        let found = w.desk.lookup_caller(q).unwrap();
        if q == "6234 5678" {
            assert!(found.units.is_empty(), "a number that is nobody's finds nobody");
            continue;
        }
        assert_eq!(found.units.len(), 1, "{q}");
        assert_eq!(found.units[0].owners[0].phones, vec!["13800135678", "010-62345678"]);
        assert_eq!(found.tickets.len(), 1, "{q}: the unit's earlier reports come with it");
    }
}

/// Adds a unit owned by `owners` (name, phone) to the world's project.
fn add_unit(w: &mut World, address: &str, owners: &[(&str, &str)]) {
    let p = w.desk.projects().unwrap().remove(0);
    let batch_id = w.desk.batches(p.id).unwrap().remove(0).id;
    let owners = owners.iter().map(|(n, ph)| OwnerInput { id: None, name: (*n).into(), phones: vec![(*ph).into()], note: String::new() }).collect();
    w.desk.save_unit(&w.clerk, UnitInput { id: None, project_id: p.id, batch_id, address: address.into(), area_m2: None, owners }).unwrap();
}

#[test]
fn a_caller_giving_only_the_room_or_building_and_room_gets_the_candidate_units() {
    // Callers say "1502" or "3号楼1502" and leave out the entrance.
    let mut w = world();
    add_unit(&mut w, "3-1-1502", &[("李强", "13900001111")]);
    add_unit(&mut w, "5-2-1502", &[("赵敏", "13900002222")]);
    add_unit(&mut w, "3-1-1501", &[("钱多", "13900003333")]);
    let addresses = |w: &mut World, q: &str| -> Vec<String> { w.desk.lookup_caller(q).unwrap().units.into_iter().map(|u| u.address).collect() };
    assert_eq!(addresses(&mut w, "1502"), vec!["3-1-1502", "3-2-1502", "5-2-1502"]);
    assert_eq!(addresses(&mut w, "3号楼1502"), vec!["3-1-1502", "3-2-1502"]);
    assert_eq!(addresses(&mut w, "3-1502"), vec!["3-1-1502", "3-2-1502"]);
    assert!(addresses(&mut w, "9号楼1502").is_empty());
}

#[test]
fn the_owner_the_search_matched_is_named_not_the_co_owner() {
    // A unit with two owners, found by the second owner's name or phone: the match is that owner.
    let mut w = world();
    add_unit(&mut w, "1-1-101", &[("周一", "13900004444"), ("吴二", "13900005555")]);
    for q in ["吴二", "13900005555", "5555"] {
        let found = w.desk.lookup_caller(q).unwrap();
        let unit = found.units.iter().find(|u| u.address == "1-1-101").unwrap();
        assert_eq!(found.matched_owner_ids, vec![unit.owners[1].id], "{q}");
    }
    assert!(w.desk.lookup_caller("1-1-101").unwrap().matched_owner_ids.is_empty(), "a unit search matches no one in particular");
}

#[test]
fn one_call_with_two_defects_makes_two_linked_tickets_with_their_own_numbers() {
    let w = world();
    let created = w.desk.record_report(&w.clerk, call("3-2-1502", vec![defect("卫生间", "地面渗水"), defect("门窗", "窗户关不严")])).unwrap();
    let nos: Vec<&str> = created.iter().map(|t| t.no.as_str()).collect();
    assert_eq!(nos, vec!["BX-2026-000001", "BX-2026-000002"]);
    let first = w.desk.ticket("BX-2026-000001").unwrap();
    assert_eq!(first.siblings, vec!["BX-2026-000002"]);
    assert_eq!(first.owner, "王芳", "the owner is taken from the unit when the clerk leaves the name empty");
    assert_eq!(first.receptionist, "前台小李");
    assert_eq!(first.timeline[0].actor.as_deref(), Some("前台小李"));
}

#[test]
fn an_open_ticket_at_the_same_part_is_offered_for_linking() {
    let w = world();
    w.desk.record_report(&w.clerk, call("3-2-1502", vec![defect("卫生间", "地面渗水")])).unwrap();
    let open = w.desk.open_tickets_at("3-2-1502", "卫生间").unwrap();
    assert_eq!(open.len(), 1);
    assert!(w.desk.open_tickets_at("3-2-1502", "厨房").unwrap().is_empty());
    let mut again = defect("卫生间", "还在渗水");
    again.link_to = Some(open[0].no.clone());
    let second = w.desk.record_report(&w.clerk, call("3-2-1502", vec![again])).unwrap();
    assert_eq!(w.desk.ticket(&second[0].no).unwrap().linked_to.as_deref(), Some("BX-2026-000001"));
}

#[test]
fn bad_intake_names_the_field_and_writes_nothing() {
    let w = world();
    let cases: Vec<(ReportInput, &str)> = vec![
        (call("9-9-9999", vec![defect("卫生间", "渗水")]), "unit"),
        (ReportInput { phone: "12345".into(), ..call("3-2-1502", vec![defect("卫生间", "渗水")]) }, "phone"),
        (call("3-2-1502", vec![defect("卫生间", "渗水"), defect("厨房", "  ")]), "description"),
        (call("3-2-1502", vec![]), "defects"),
        (ReportInput { channel: Channel::Relayed, ..call("3-2-1502", vec![defect("卫生间", "渗水")]) }, "caller_name"),
        (ReportInput { reported_at: Some("2026-03-06 10:00".into()), ..call("3-2-1502", vec![defect("卫生间", "渗水")]) }, "reported_at"),
    ];
    for (input, field) in cases {
        let e = w.desk.record_report(&w.clerk, input).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
    }
    assert_eq!(w.desk.list_tickets(&TicketFilter::default(), 1000).unwrap().total, 0, "nothing half-written");
    let mut d = defect("卫生间", "渗水");
    d.steward_id = Some(w.clerk.staff_id);
    let e = w.desk.record_report(&w.clerk, call("3-2-1502", vec![d])).unwrap_err();
    assert!(e.message.contains("不是在岗的保修管家"), "{}", e.message);
}

#[test]
fn first_reached_contact_moves_a_new_ticket_to_contacted_and_failed_ones_do_not() {
    let w = world();
    let no = w.desk.record_report(&w.clerk, call("3-2-1502", vec![defect("卫生间", "渗水")])).unwrap().remove(0).no;
    let attempt = |reached| ContactInput { channel: Channel::Phone, reached, note: "约明天上午".into(), at: None };
    let d = w.desk.add_contact_attempt(&w.clerk, &no, attempt(false)).unwrap();
    assert_eq!(d.status, TicketStatus::Reported);
    let d = w.desk.add_contact_attempt(&w.clerk, &no, attempt(true)).unwrap();
    assert_eq!(d.status, TicketStatus::Contacted);
    assert_eq!(d.contacts.len(), 2);
    assert!(d.timeline.iter().any(|e| e.detail.contains("未联系上")));
}

#[test]
fn a_walk_in_counts_as_direct_contact() {
    let w = world();
    let input = ReportInput { channel: Channel::Visit, ..call("3-2-1502", vec![defect("卫生间", "渗水")]) };
    let t = w.desk.record_report(&w.clerk, input).unwrap().remove(0);
    assert_eq!(t.status, TicketStatus::Contacted);
}

#[test]
fn the_state_machine_refuses_skipping_steps_and_roles_guard_cancelling() {
    let w = world();
    let no = w.desk.record_report(&w.clerk, call("3-2-1502", vec![defect("卫生间", "渗水")])).unwrap().remove(0).no;
    let e = w.desk.change_status(&w.director, &no, TicketStatus::Closed, "").unwrap_err();
    assert!(e.message.contains("须通过对应的操作"), "closing has its own step: {}", e.message);
    let e = w.desk.record_arrival(&w.clerk, "PG-2026-000001", None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound, "no dispatch, no arrival: {}", e.message);
    let e = w.desk.change_status(&w.clerk, &no, TicketStatus::Cancelled, "业主撤销").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Denied, "a clerk may not cancel: {}", e.message);
    let e = w.desk.change_status(&w.director, &no, TicketStatus::Cancelled, "").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reason"));
    let d = w.desk.change_status(&w.director, &no, TicketStatus::Cancelled, "业主撤销").unwrap();
    assert_eq!(d.status, TicketStatus::Cancelled);
    assert!(d.next_statuses.is_empty());
    assert_eq!(w.desk.ticket(&no).unwrap().status, TicketStatus::Cancelled);
}

#[test]
fn steward_assignment_and_classification_are_recorded_with_their_actor() {
    let w = world();
    let no = w.desk.record_report(&w.clerk, call("3-2-1502", vec![defect("卫生间", "渗水")])).unwrap().remove(0).no;
    w.desk.assign_steward(&w.clerk, &no, w.steward_id).unwrap();
    let d = w.desk.classify_ticket(&w.clerk, &no, desk_domain::ticket::Classification::Complex).unwrap();
    assert_eq!(d.steward.as_deref(), Some("王管家"));
    assert!(d.timeline.iter().any(|e| e.detail == "判定为复杂维修事项" && e.actor.as_deref() == Some("前台小李")));
    let by_steward = w.desk.list_tickets(&TicketFilter { steward_id: Some(w.steward_id), ..Default::default() }, 100).unwrap();
    assert_eq!(by_steward.total, 1);
}

#[test]
fn five_wrong_pins_lock_the_account_and_the_right_pin_then_waits() {
    let mut w = world();
    for i in 1..=4 {
        let e = w.desk.sign_in(w.clerk.staff_id, "0000").unwrap_err();
        assert!(e.message.contains(&format!("还可再试 {} 次", 5 - i)), "{}", e.message);
    }
    let e = w.desk.sign_in(w.clerk.staff_id, "0000").unwrap_err();
    assert!(e.message.contains("锁定"), "{}", e.message);
    let e = w.desk.sign_in(w.clerk.staff_id, "1234").unwrap_err();
    assert!(e.message.contains("分钟后再试"), "{}", e.message);
    w.desk.set_clock(Box::new(|| t0() + Duration::minutes(16)));
    assert_eq!(w.desk.sign_in(w.clerk.staff_id, "1234").unwrap().name, "前台小李");
}

#[test]
fn only_the_director_manages_accounts() {
    let w = world();
    let e = w
        .desk
        .save_staff(&w.clerk, StaffInput { id: None, name: "新人".into(), role: Role::Director, phone: String::new(), active: true, pin: Some("1111".into()) })
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Denied);
    assert!(w.desk.staff().unwrap().iter().all(|s| s.name != "新人"));
}

#[test]
fn a_data_folder_that_cannot_be_written_is_reported_at_start() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the folder should be: the folder can never be created (even as root).
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let e = Desk::open(&blocker.join("data")).err().unwrap();
    assert!(e.message.contains("无法创建数据文件夹") && e.message.contains("--data"), "{}", e.message);
}

#[test]
fn the_audit_log_reads_in_words_with_names_not_ids() {
    // The log showed raw codes and "员工 #1": every line has a Chinese label and names its subject.
    let w = world();
    let no = w.desk.record_report(&w.clerk, call("3-2-1502", vec![defect("卫生间", "地面渗水")])).unwrap().remove(0).no;
    w.desk.assign_steward(&w.clerk, &no, w.steward_id).unwrap();
    let page = w.desk.audit_log(&w.director, &desk_service::audit_view::AuditFilter { limit: 100, ..Default::default() }).unwrap();
    for l in &page.lines {
        assert!(l.action_label.chars().any(|c| c >= '\u{4e00}'), "«{}» has a Chinese label: {}", l.action, l.action_label);
    }
    let intake = page.lines.iter().find(|l| l.action == "intake").unwrap();
    assert_eq!(intake.entity_name, no, "a ticket is named by its number");
    let staff = page.lines.iter().find(|l| l.entity == "staff").unwrap();
    assert!(["张主任", "前台小李", "王管家"].contains(&staff.entity_name.as_str()), "a person by name: {:?}", staff.entity_name);
}
