//! The small world of the issue-14 path stories (`paths_story`, `major_story`, `survey_story`,
//! `not_ours_story`, `compensation_story`): 翠湖澜庭, 一期 1-1-101…105 (owner 业主10x, phone
//! 1380013510x), staff in every role, one builder, and a clock the test moves, starting on
//! Thursday 2026-03-05 09:00 (local).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure here should stop the test loudly

use chrono::{DateTime, Duration, TimeZone, Utc};
use desk_domain::records::ContractorKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, Classification, TicketStatus};
use desk_service::acceptance::{AcceptInput, NoticeInput};
use desk_service::error::ErrorKind;
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, ContractorInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::repair::{DispatchInput, FinishInput};
use desk_service::tickets::ContactInput;
use desk_service::{Desk, DeskResult, Session};
use std::sync::{Arc, Mutex};

pub struct World {
    pub desk: Desk,
    pub clock: Arc<Mutex<DateTime<Utc>>>,
    pub director: Session,
    pub clerk: Session,
    pub steward: Session,
    pub cs: Session,
    pub engineer: Session,
    pub gm: Session,
    pub contractor: i64,
    pub dir: tempfile::TempDir,
}

impl World {
    pub fn advance(&self, d: Duration) {
        let mut c = self.clock.lock().unwrap();
        *c += d;
    }
    pub fn everyone(&self) -> Vec<&Session> {
        vec![&self.director, &self.clerk, &self.steward, &self.cs, &self.engineer, &self.gm]
    }
    /// Every session whose role is not in `allowed`.
    pub fn wrong(&self, allowed: &[Role]) -> Vec<Session> {
        self.everyone().into_iter().filter(|s| !allowed.contains(&s.role)).cloned().collect()
    }
    pub fn report(&self, unit: &str, part: &str, phone: &str, previous: Option<&str>) -> DeskResult<String> {
        self.report_as(unit, part, phone, previous, Classification::General)
    }
    /// [`World::report`] with the matter judged `class` at intake.
    pub fn report_as(&self, unit: &str, part: &str, phone: &str, previous: Option<&str>, class: Classification) -> DeskResult<String> {
        let d = DefectInput {
            description: format!("{part}渗水"),
            part: part.into(),
            category: Category::Leak,
            nature: None,
            classification: Some(class),
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
    pub fn in_repair(&self, unit: &str, phone: &str) -> String {
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
    pub fn accepted(&self, no: &str) {
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
    pub fn closed(&self, no: &str) {
        self.accepted(no);
        let t = self
            .desk
            .completion_notice(&self.clerk, no, NoticeInput { reached: true, channel: Channel::Phone, note: "已告知".into(), new_phone: None })
            .unwrap();
        assert_eq!(t.status, TicketStatus::Closed);
    }
}

pub fn signature() -> String {
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
pub fn world() -> World {
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

pub fn kind_of<T: std::fmt::Debug>(r: DeskResult<T>) -> (ErrorKind, String) {
    let e = r.expect_err("should be refused");
    (e.kind, e.message)
}
