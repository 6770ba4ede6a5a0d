//! Roles are enforced in the `Desk` API, not only hidden in the window (issue 7 §6): every
//! director-only, GM-only and two-person action is called here with a session of a wrong role
//! and must be refused with `ErrorKind::Denied`, a Chinese message, and nothing written — the
//! whole database is fingerprinted before and after. Also: five wrong PINs lock an account for
//! 15 minutes (on the desk's injectable clock), the audit log refuses UPDATE and DELETE, and the
//! director reads the audit log page by page with filters.
//!
//! Run: `cargo test -p desk-service --test roles`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::copy_dir;
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::records::ContractorKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{Channel, Classification, TicketStatus};
use desk_service::acceptance::{AcceptInput, NoticeInput};
use desk_service::audit_view::AuditFilter;
use desk_service::master::{BatchInput, ContractorInput, ProjectInput, StaffInput};
use desk_service::repair::DispatchInput;
use desk_service::tickets::TicketFilter;
use desk_service::{Desk, DeskError, DeskResult, ErrorKind, Session};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 5, 2, 0, 0).unwrap() // 10:00 in Beijing, a Thursday
}

/// The demo database (staff in every role, PIN 1234, ~200 tickets in every state) with a clock
/// the test moves.
struct World {
    desk: Desk,
    dir: tempfile::TempDir,
    now: Arc<AtomicI64>,
    director: Session,
    clerk: Session,
    steward: Session,
    cs: Session,
    engineer: Session,
    gm: Session,
}

impl World {
    fn wrong(&self, allowed: &[Role]) -> Vec<Session> {
        [&self.director, &self.clerk, &self.steward, &self.cs, &self.engineer, &self.gm].into_iter().filter(|s| !allowed.contains(&s.role)).cloned().collect()
    }

    fn advance(&self, d: Duration) {
        self.now.fetch_add(d.num_seconds(), Ordering::SeqCst);
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join(desk_service::desk::DB_FILE)
    }
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(common::demo_template(t0), dir.path());
    let now = Arc::new(AtomicI64::new(t0().timestamp()));
    let clock = now.clone();
    let desk = Desk::open_with_clock(dir.path(), Box::new(move || DateTime::from_timestamp(clock.load(Ordering::SeqCst), 0).unwrap())).unwrap();
    let who = |n: &str| desk.session_for(Some(n)).unwrap();
    let (director, clerk, steward, cs, engineer, gm) = (who("张建国"), who("李静"), who("王磊"), who("孙丽"), who("周强"), who("吴国栋"));
    assert_eq!(
        [director.role, clerk.role, steward.role, cs.role, engineer.role, gm.role],
        [Role::Director, Role::FrontDesk, Role::Steward, Role::CsAssistant, Role::Engineer, Role::ProjectGm]
    );
    World { desk, dir, now, director, clerk, steward, cs, engineer, gm }
}

/// A hash of every row of every table (virtual tables aside), by table: an UPDATE in place
/// changes it as surely as an INSERT.
fn fingerprint(db: &Path, skip: &[&str]) -> BTreeMap<String, (i64, u64)> {
    let c = desk_store::raw::open_read_only(db).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for t in tables.into_iter().filter(|t| !skip.contains(&t.as_str())) {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut rows = 0i64;
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            rows += 1;
            for i in 0..n {
                format!("{:?}", r.get_ref(i).unwrap()).hash(&mut h);
            }
        }
        out.insert(t, (rows, h.finish()));
    }
    out
}

fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[track_caller]
fn assert_denied<T: std::fmt::Debug>(r: DeskResult<T>, what: &str, who: &Session) -> DeskError {
    let e = r.expect_err(&format!("{what} must be refused to {}（{}）", who.name, who.role.label()));
    assert_eq!(e.kind, ErrorKind::Denied, "{what} as {}: {e:?}", who.role.label());
    assert!(is_chinese(&e.message), "{what}: the message is Chinese: {}", e.message);
    e
}

type Action = Box<dyn Fn(&mut Desk, &Session) -> DeskResult<()>>;

fn ok<T>(r: DeskResult<T>) -> DeskResult<()> {
    r.map(|_| ())
}

/// Every director-only action of the API, with inputs that would succeed for the director.
fn director_only(w: &mut World) -> Vec<(&'static str, Action)> {
    let project = w.desk.active_project().unwrap();
    let pid = project.id;
    let batch = w.desk.batches(pid).unwrap().remove(0);
    let contractor = w.desk.contractors().unwrap().remove(0);
    let calendar = w.desk.work_calendar().unwrap();
    let deadlines = w.desk.deadline_settings(pid).unwrap();
    let coverage = w.desk.coverage_settings(pid).unwrap();
    let director_id = w.director.staff_id;
    let backups = w.dir.path().join("elsewhere");
    let roster = w.dir.path().join("名册.xlsx");
    // A complex ticket: only the director issues its dispatch (he writes the plan, §5.1.3.2).
    let contacted = w.desk.list_tickets(&TicketFilter { status: Some(TicketStatus::Contacted), ..Default::default() }, 1000).unwrap();
    let complex = contacted.items[0].no.clone();
    w.desk.classify_ticket(&w.director, &complex, Classification::Complex).unwrap();
    let contractor_id = contractor.id;
    vec![
        (
            "添加员工账号",
            Box::new(|d: &mut Desk, s: &Session| {
                ok(d.save_staff(
                    s,
                    StaffInput { id: None, name: "新人".into(), role: Role::Director, phone: String::new(), active: true, pin: Some("5555".into()) },
                ))
            }) as Action,
        ),
        (
            "重设主任的 PIN",
            Box::new(move |d: &mut Desk, s: &Session| {
                ok(d.save_staff(
                    s,
                    StaffInput {
                        id: Some(director_id),
                        name: "张建国".into(),
                        role: Role::Director,
                        phone: String::new(),
                        active: true,
                        pin: Some("9999".into()),
                    },
                ))
            }),
        ),
        (
            "把自己改成主任",
            Box::new(|d: &mut Desk, s: &Session| {
                ok(d.save_staff(
                    s,
                    StaffInput { id: Some(s.staff_id), name: s.name.clone(), role: Role::Director, phone: String::new(), active: true, pin: None },
                ))
            }),
        ),
        (
            "修改项目资料",
            Box::new(move |d: &mut Desk, s: &Session| {
                ok(d.save_project(s, ProjectInput { id: Some(pid), name: "改名".into(), code: "X".into(), address: String::new() }))
            }),
        ),
        (
            "新建项目",
            Box::new(|d: &mut Desk, s: &Session| {
                ok(d.save_project(s, ProjectInput { id: None, name: "新项目".into(), code: "N".into(), address: String::new() }))
            }),
        ),
        (
            "修改交付日期",
            Box::new(move |d: &mut Desk, s: &Session| {
                ok(d.save_batch(
                    s,
                    BatchInput { id: Some(batch.id), project_id: pid, name: batch.name.clone(), delivered_on: None, completion_accepted_on: None },
                ))
            }),
        ),
        (
            "修改施工单位",
            Box::new(move |d: &mut Desk, s: &Session| {
                ok(d.save_contractor(
                    s,
                    ContractorInput {
                        id: Some(contractor.id),
                        name: "改名防水".into(),
                        kind: ContractorKind::Builder,
                        trade: String::new(),
                        contact_person: String::new(),
                        phone: String::new(),
                        active: true,
                    },
                ))
            }),
        ),
        ("导入名册", Box::new(move |d: &mut Desk, s: &Session| ok(d.commit_roster(s, &roster)))),
        ("修改工作日历", Box::new(move |d: &mut Desk, s: &Session| ok(d.set_work_calendar(s, &calendar)))),
        ("修改时限设置", Box::new(move |d: &mut Desk, s: &Session| ok(d.set_deadline_settings(s, pid, &deadlines)))),
        ("修改保修期设置", Box::new(move |d: &mut Desk, s: &Session| ok(d.set_coverage_settings(s, pid, &coverage)))),
        ("设置日报收件人", Box::new(|d: &mut Desk, s: &Session| ok(d.set_report_recipients(s, vec!["boss@example.com".into()], Vec::new())))),
        ("修改备份设置", Box::new(move |d: &mut Desk, s: &Session| ok(d.set_backup_settings(s, &backups.display().to_string(), 2)))),
        ("从备份恢复", Box::new(|d: &mut Desk, s: &Session| ok(d.restore(Some(s), Path::new("/nonexistent/backup.sqlite"))))),
        ("设置会签人", Box::new(|d: &mut Desk, s: &Session| ok(d.set_countersign_roles(s, vec![Role::FrontDesk])))),
        ("查看操作日志", Box::new(|d: &mut Desk, s: &Session| ok(d.audit_log(s, &AuditFilter { limit: 50, ..Default::default() })))),
        ("查看操作类别", Box::new(|d: &mut Desk, s: &Session| ok(d.audit_actions(s)))),
        (
            "为复杂事项派工",
            Box::new(move |d: &mut Desk, s: &Session| {
                ok(d.issue_dispatch(
                    s,
                    &complex,
                    DispatchInput {
                        no_contact_reason: "业主来电时已约定上门时间".into(),
                        reason: None,
                        contractor_id: Some(contractor_id),
                        appointment_at: "2026-03-06 09:00".into(),
                        plan: "拆除重做防水层".into(),
                        materials: String::new(),
                        site_contact: String::new(),
                    },
                ))
            }),
        ),
    ]
}

#[test]
fn director_only_actions_are_refused_to_every_other_role_and_write_nothing() {
    let mut w = world();
    let actions = director_only(&mut w);
    let before = fingerprint(&w.db(), &[]);
    let mut refusals = 0;
    for who in w.wrong(&[Role::Director]) {
        for (what, act) in &actions {
            let e = assert_denied(act(&mut w.desk, &who), what, &who);
            assert!(e.message.contains("只有保修主任"), "{what}: {}", e.message);
            assert!(e.message.contains(who.role.label()), "the message names the signed-in role: {}", e.message);
            refusals += 1;
        }
        assert_eq!(fingerprint(&w.db(), &[]), before, "nothing was written by {}'s refused attempts", who.role.label());
    }
    assert_eq!(refusals, 5 * actions.len());
    // The same calls go through for the director (the refusals were about the role, not the input).
    let d = w.director.clone();
    for (what, act) in &actions {
        match *what {
            // No such file / the roster and the backup are tested elsewhere.
            "导入名册" | "从备份恢复" => assert_ne!(act(&mut w.desk, &d).unwrap_err().kind, ErrorKind::Denied),
            // (Fund rules on who may countersign are the fund's tests.)
            "重设主任的 PIN" | "把自己改成主任" | "设置会签人" => {}
            _ => act(&mut w.desk, &d).unwrap_or_else(|e| panic!("{what} as the director: {e:?}")),
        }
    }
}

#[test]
fn only_the_project_gm_acknowledges_escalations() {
    let w = world();
    let open = w.desk.list_tickets(&TicketFilter { status: Some(TicketStatus::Reported), ..Default::default() }, 1000).unwrap();
    let esc = w.desk.raise_escalation(&w.clerk, &open.items[0].no, EscalationKind::Complaint, "业主多次来电投诉，情绪激动").unwrap();
    let before = fingerprint(&w.db(), &[]);
    for who in w.wrong(&[Role::ProjectGm]) {
        let e = assert_denied(w.desk.acknowledge_escalation(&who, esc.id, "已知悉"), "确认上报事项", &who);
        assert!(e.message.contains("只有项目总经理"), "{}", e.message);
    }
    assert_eq!(fingerprint(&w.db(), &[]), before);
    let gm = w.gm.clone();
    let done = w.desk.acknowledge_escalation(&gm, esc.id, "已知悉，请主任跟进").unwrap();
    assert_eq!(done.acknowledged_by.as_deref(), Some("吴国栋"));
}

#[test]
fn the_front_desk_engineer_and_gm_cannot_cancel_a_ticket() {
    let w = world();
    let open = w.desk.list_tickets(&TicketFilter { status: Some(TicketStatus::Reported), ..Default::default() }, 1000).unwrap();
    let no = open.items[0].no.clone();
    let before = fingerprint(&w.db(), &[]);
    for who in w.wrong(&[Role::Director, Role::Steward, Role::CsAssistant]) {
        assert_denied(w.desk.change_status(&who, &no, TicketStatus::Cancelled, "业主自行修好"), "取消报修单", &who);
    }
    assert_eq!(fingerprint(&w.db(), &[]), before);
    let steward = w.steward.clone();
    assert_eq!(w.desk.change_status(&steward, &no, TicketStatus::Cancelled, "业主自行修好").unwrap().status, TicketStatus::Cancelled);
}

#[test]
fn owner_data_export_is_refused_to_roles_other_than_director_and_front_desk() {
    let w = world();
    let pid = w.desk.active_project().unwrap().id;
    let owner = w.desk.units(pid, None, None).unwrap()[0].owners[0].id;
    let out = w.dir.path().join("业主.xlsx");
    let before = fingerprint(&w.db(), &[]);
    for who in w.wrong(&[Role::Director, Role::FrontDesk]) {
        assert_denied(w.desk.export_owner_data(&who, owner, "业主本人申请", &out), "导出业主的个人信息", &who);
        assert!(!out.exists(), "no file is written for a refused export");
    }
    assert_eq!(fingerprint(&w.db(), &[]), before);
}

/// An audit line of `action` about ticket `no`.
fn ticket_lines(w: &World, no: &str, action: &str) -> usize {
    w.desk.ticket(no).unwrap().timeline.iter().filter(|e| e.action == action).count()
}

#[test]
fn two_person_acceptance_and_closing_need_the_director_and_the_cs_assistant_with_their_pins() {
    let w = world();
    let pin = desk_service::demo::DEMO_PIN;
    let waiting = w.desk.list_tickets(&TicketFilter { status: Some(TicketStatus::AwaitingAcceptance), ..Default::default() }, 1000).unwrap();
    let no = waiting.items[0].no.clone();
    let steward = w.steward.clone();
    w.desk.recheck(&steward, &no, true, "复检合格").unwrap();
    let (d, c, st, clerk) = (w.director.staff_id, w.cs.staff_id, w.steward.staff_id, w.clerk.clone());
    let proxy = |director_id, director_pin: &str, cs_assistant_id, cs_assistant_pin: &str| AcceptInput::Proxy {
        director_id,
        director_pin: director_pin.into(),
        cs_assistant_id,
        cs_assistant_pin: cs_assistant_pin.into(),
        notice_note: "业主在外地，电话告知并同意代为验收".into(),
    };
    // PIN checks themselves are logged and count wrong PINs (staff); nothing else may change.
    let skip = ["audit_log", "staff"];
    let before = fingerprint(&w.db(), &skip);
    for (label, x) in [
        ("管家冒充主任", proxy(st, pin, c, pin)),
        ("前台冒充客服主管助理", proxy(d, pin, clerk.staff_id, pin)),
        ("两人角色颠倒", proxy(c, pin, d, pin)),
        ("同一人输两次", proxy(d, pin, d, pin)),
        ("主任 PIN 错误", proxy(d, "0000", c, pin)),
        ("助理 PIN 错误", proxy(d, pin, c, "0000")),
    ] {
        assert_denied(w.desk.accept_repair(&clerk, &no, x), label, &clerk);
        assert_eq!(w.desk.ticket(&no).unwrap().status, TicketStatus::AwaitingAcceptance, "{label}");
    }
    assert_eq!(ticket_lines(&w, &no, "accept"), 0);
    assert_eq!(fingerprint(&w.db(), &skip), before, "a refused proxy acceptance writes nothing");
    assert_eq!(w.desk.accept_repair(&clerk, &no, proxy(d, pin, c, pin)).unwrap().status, TicketStatus::Accepted);

    // §5.1.4.2: five failed completion notices, then both close it together.
    for i in 0..5 {
        w.desk
            .completion_notice(&clerk, &no, NoticeInput { reached: false, channel: Channel::Phone, note: format!("第 {} 次未接通", i + 1), new_phone: None })
            .unwrap();
        w.advance(Duration::days(2));
    }
    let before = fingerprint(&w.db(), &skip);
    let status_lines = ticket_lines(&w, &no, "status");
    for (label, director, cs) in
        [("管家冒充主任", (st, pin), (c, pin)), ("前台冒充客服主管助理", (d, pin), (clerk.staff_id, pin)), ("主任 PIN 错误", (d, "0000"), (c, pin))]
    {
        assert_denied(w.desk.close_unreachable(&clerk, &no, director, cs, "复查合格"), label, &clerk);
        assert_eq!(w.desk.ticket(&no).unwrap().status, TicketStatus::Accepted, "{label}");
    }
    assert_eq!(ticket_lines(&w, &no, "status"), status_lines);
    assert_eq!(fingerprint(&w.db(), &skip), before, "a refused closing writes nothing");
    assert_eq!(w.desk.close_unreachable(&clerk, &no, (d, pin), (c, pin), "复查合格").unwrap().status, TicketStatus::Closed);
}

#[test]
fn five_wrong_pins_lock_the_account_for_fifteen_minutes() {
    let w = world();
    let id = w.clerk.staff_id;
    for left in (1..=4).rev() {
        let e = assert_denied(w.desk.sign_in(id, "0000"), "错误 PIN", &w.clerk.clone());
        assert!(e.message.contains(&format!("还可再试 {left} 次")), "{}", e.message);
        assert_eq!(e.field.as_deref(), Some("pin"));
    }
    let e = assert_denied(w.desk.sign_in(id, "0000"), "第五次错误 PIN", &w.clerk.clone());
    assert!(e.message.contains("锁定 15 分钟"), "{}", e.message);
    // Locked: even the right PIN is refused, and a countersignature with it too.
    let e = assert_denied(w.desk.sign_in(id, "1234"), "锁定中登录", &w.clerk.clone());
    assert!(e.message.contains("15 分钟后再试"), "{}", e.message);
    w.advance(Duration::minutes(14));
    let e = assert_denied(w.desk.verify_pin(id, "1234", "代为验收"), "锁定中会签", &w.clerk.clone());
    assert!(e.message.contains("1 分钟后再试"), "{}", e.message);
    w.advance(Duration::minutes(1));
    let s = w.desk.sign_in(id, "1234").unwrap();
    assert_eq!(s.role, Role::FrontDesk);
    // The count starts again from zero after a good PIN.
    for _ in 0..4 {
        let _ = w.desk.sign_in(id, "0000");
    }
    assert!(w.desk.sign_in(id, "1234").is_ok(), "four wrong PINs do not lock");
    // Every failure is in the audit log with its purpose.
    let d = w.director.clone();
    let failed = w.desk.audit_log(&d, &AuditFilter { limit: 100, action: Some("sign_in_failed".into()), staff_id: Some(id), ..Default::default() }).unwrap();
    assert_eq!(failed.lines.len(), 9);
    assert!(failed.lines.iter().all(|l| l.action_label == "PIN 错误" && l.detail.contains("登录")));
}

#[test]
fn the_audit_log_refuses_update_and_delete() {
    let w = world();
    let c = desk_store::raw::open(&w.db()).unwrap();
    let count = |c: &desk_store::raw::Connection| c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0)).unwrap();
    let n = count(&c);
    assert!(n > 100);
    let e = c.execute("UPDATE audit_log SET detail = '改过' WHERE id = 1", []).unwrap_err();
    assert!(e.to_string().contains("审计记录只能追加，不能修改"), "{e}");
    let e = c.execute("DELETE FROM audit_log WHERE id = 1", []).unwrap_err();
    assert!(e.to_string().contains("审计记录只能追加，不能删除"), "{e}");
    let e = c.execute("DELETE FROM audit_log", []).unwrap_err();
    assert!(e.to_string().contains("只能追加"), "{e}");
    assert_eq!(count(&c), n);
    let first: String = c.query_row("SELECT detail FROM audit_log WHERE id = 1", [], |r| r.get(0)).unwrap();
    assert_ne!(first, "改过");
}

#[test]
fn the_director_reads_the_audit_log_newest_first_page_by_page_with_filters() {
    let w = world();
    let d = w.director.clone();
    let total: i64 = desk_store::raw::open(&w.db()).unwrap().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    // Keyset paging walks the whole log exactly once, newest first.
    let mut seen = Vec::new();
    let mut before_id = None;
    loop {
        let page = w.desk.audit_log(&d, &AuditFilter { before_id, limit: 200, ..Default::default() }).unwrap();
        assert!(page.lines.len() <= 200);
        seen.extend(page.lines.iter().map(|l| l.id));
        before_id = page.lines.last().map(|l| l.id);
        if !page.more {
            break;
        }
    }
    assert_eq!(seen.len() as i64, total);
    assert!(seen.windows(2).all(|p| p[0] > p[1]), "newest first, no repeats");

    // Filters: person, action, text — and they combine.
    let clerk = w.clerk.clone();
    let by_clerk = w.desk.audit_log(&d, &AuditFilter { limit: 500, staff_id: Some(clerk.staff_id), ..Default::default() }).unwrap();
    assert!(!by_clerk.lines.is_empty() && by_clerk.lines.iter().all(|l| l.actor.as_deref() == Some("李静")));
    let intake = w.desk.audit_log(&d, &AuditFilter { limit: 500, action: Some("intake".into()), ..Default::default() }).unwrap();
    assert!(!intake.lines.is_empty() && intake.lines.iter().all(|l| l.action == "intake" && l.action_label == "登记报修" && l.entity_label == "报修单"));
    let text = w.desk.audit_log(&d, &AuditFilter { limit: 500, text: Some("员工".into()), action: Some("save_staff".into()), ..Default::default() }).unwrap();
    assert_eq!(text.lines.len(), 8, "the demo adds eight staff members");
    // LIKE wildcards typed by the user are plain characters.
    let none = w.desk.audit_log(&d, &AuditFilter { limit: 10, text: Some("%_%".into()), ..Default::default() }).unwrap();
    assert!(none.lines.is_empty());
    // The action filter's choices all have Chinese labels.
    let actions = w.desk.audit_actions(&d).unwrap();
    assert!(actions.len() > 10);
    for a in &actions {
        assert!(is_chinese(&a.label), "action «{}» has no Chinese label", a.code);
    }
}

#[test]
fn deposit_release_steps_and_developer_costs_check_their_roles_and_write_nothing() {
    use desk_domain::fund::payment::LineKind;
    use desk_domain::fund::release::ReleaseDecision;
    use desk_service::developer_cost::DeveloperCostInput;
    use desk_service::fund::payment::PaymentLineInput;
    let w = world();
    let ledger = w.desk.ledgers().unwrap().remove(0).id;
    let day = t0().date_naive();
    let no = w.desk.list_tickets(&TicketFilter { status: Some(TicketStatus::Reported), ..Default::default() }, 1).unwrap().items[0].no.clone();
    let cost = || DeveloperCostInput {
        ticket_no: no.clone(),
        incurred_on: day,
        lines: vec![PaymentLineInput { kind: LineKind::Labour, item: "维修工".into(), unit: "工日".into(), quantity: "1".into(), unit_price_fen: 30_000 }],
        reason: Some("开发商同意承担".into()),
    };
    let before = fingerprint(&w.db(), &[]);
    for who in w.wrong(&[Role::Director, Role::FrontDesk]) {
        assert_denied(w.desk.apply_deposit_release(&who, ledger, day, "王经理"), "登记保修金退还申请", &who);
        assert_denied(w.desk.inspect_deposit_release(&who, 1, ""), "登记保修金退还检查", &who);
    }
    for who in w.wrong(&[Role::Director]) {
        assert_denied(w.desk.decide_deposit_release(&who, 1, ReleaseDecision::ReleaseAll, ""), "决定保修金退还", &who);
        assert_denied(w.desk.pay_deposit_release(&who, 1, day, ""), "登记保修金退还付款", &who);
    }
    for who in w.wrong(&[Role::Director, Role::FrontDesk, Role::Steward]) {
        assert_denied(w.desk.record_developer_cost(&who, cost()), "登记开发商承担的维修费用", &who);
    }
    // Only the director gives the reason for a cost against the verdict.
    for who in [w.clerk.clone(), w.steward.clone()] {
        assert_eq!(w.desk.record_developer_cost(&who, cost()).unwrap_err().kind, ErrorKind::Denied);
    }
    assert_eq!(fingerprint(&w.db(), &[]), before);
}

#[test]
fn hand_over_steps_check_their_roles_and_write_nothing() {
    use desk_domain::not_ours::HandOverTo;
    use desk_service::not_ours::{HandOverInput, FOLLOW_UP_ROLES, HAND_OVER_ROLES};
    let w = world();
    let no = w.desk.list_tickets(&TicketFilter { status: Some(TicketStatus::Reported), ..Default::default() }, 1).unwrap().items[0].no.clone();
    let x = || HandOverInput { to: HandOverTo::PropertyCompany, reason: "业主自建部分，不属保修范围".into() };
    let before = fingerprint(&w.db(), &[]);
    for who in w.wrong(HAND_OVER_ROLES) {
        assert_denied(w.desk.hand_over(&who, &no, x()), "移交物业公司或地产客服部", &who);
    }
    assert_eq!(fingerprint(&w.db(), &[]), before);
    let clerk = w.clerk.clone();
    let id = w.desk.hand_over(&clerk, &no, x()).unwrap().hand_overs[0].id;
    let before = fingerprint(&w.db(), &[]);
    for who in w.wrong(FOLLOW_UP_ROLES) {
        assert_denied(w.desk.follow_up_hand_over(&who, id, "物业已上门"), "跟进移交事项", &who);
        assert_denied(w.desk.answer_hand_over(&who, id, "物业已修好"), "登记移交事项的答复", &who);
    }
    assert_eq!(fingerprint(&w.db(), &[]), before);
}

#[test]
fn compensation_steps_are_the_director_and_cs_assistants_only_and_write_nothing() {
    use desk_domain::compensation::CompensationPayer;
    use desk_service::compensation::{CompensationAgreementInput, CompensationOpenInput, COMPENSATION_ROLES};
    let w = world();
    let no = w.desk.list_tickets(&TicketFilter { status: Some(TicketStatus::Reported), ..Default::default() }, 1).unwrap().items[0].no.clone();
    let open = || CompensationOpenInput { claim: "泡坏地板，要求赔偿".into(), claimed_amount: "2000".into(), reported_to_id: w.gm.staff_id };
    let agree = || CompensationAgreementInput {
        agreed_amount: "0".into(),
        payer: CompensationPayer::Developer,
        payer_detail: String::new(),
        files: Vec::new(),
        note: String::new(),
    };
    let before = fingerprint(&w.db(), &[]);
    for who in w.wrong(COMPENSATION_ROLES) {
        assert_denied(w.desk.open_compensation(&who, &no, open()), "登记业主的赔偿诉求", &who);
        assert_denied(w.desk.notify_cs_of_compensation(&who, 1, "已通报"), "通报客户服务部赔偿事项", &who);
        assert_denied(w.desk.add_compensation_round(&who, 1, "协商"), "与业主协商赔偿", &who);
        assert_denied(w.desk.conclude_compensation(&who, 1, agree()), "登记赔偿协议", &who);
        assert_denied(w.desk.close_compensation_without(&who, 1, "业主撤回"), "不予赔偿结案", &who);
    }
    assert_eq!(fingerprint(&w.db(), &[]), before);
}
