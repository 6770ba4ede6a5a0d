//! The daily report F03 (§5.1.6) with a stepping clock: a day with a new report, an acceptance,
//! completion notices (one unanswered), a return visit raising an out-of-scope matter and an
//! escalation; each lands in its own section, nothing of the day before does, phones are masked,
//! and the PDF, the workbook and the e-mail draft carry the same report.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use calamine::{Data, Reader, Xlsx};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::records::ContractorKind;
use desk_domain::repair::Satisfaction;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, TicketStatus};
use desk_service::acceptance::{AcceptInput, NoticeInput, ReturnVisitInput};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, ContractorInput, OwnerInput, ProjectInput, StaffInput, UnitInput};
use desk_service::repair::{DispatchInput, FinishInput};
use desk_service::report::DailyReport;
use desk_service::{Desk, ErrorKind, Session};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

struct World {
    desk: Desk,
    clock: Arc<Mutex<DateTime<Utc>>>,
    director: Session,
    clerk: Session,
    gm: Session,
    contractor: i64,
    dir: tempfile::TempDir,
}

impl World {
    fn at(&self, local: &str) {
        *self.clock.lock().unwrap() = desk_domain::time::parse_local(local, "t").unwrap();
    }
    fn report(&mut self, unit: &str, part: &str, category: Category, phone: &str) -> String {
        let d = DefectInput {
            description: format!("{part}渗水"),
            part: part.into(),
            category,
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
            unit: unit.into(),
            owner_id: None,
            owner_name: String::new(),
            phone: phone.into(),
            caller_name: String::new(),
            caller_relation: String::new(),
            defects: vec![d],
        };
        self.desk.record_report(&self.clerk, r).unwrap().remove(0).no
    }
}

/// A project of one batch with units 1-1-101 … 1-1-110, a builder, a clerk and the project GM.
/// The clock starts on Wednesday 2026-03-04 08:00 (local).
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(Mutex::new(Utc.with_ymd_and_hms(2026, 3, 4, 0, 0, 0).unwrap()));
    let c = clock.clone();
    let mut desk = Desk::open_with_clock(dir.path(), Box::new(move || *c.lock().unwrap())).unwrap();
    let director = desk.create_first_director("张主任", "2468").unwrap();
    let add = |desk: &mut Desk, name: &str, role| {
        desk.save_staff(&director, StaffInput { id: None, name: name.into(), role, phone: String::new(), active: true, pin: Some("1234".into()) }).unwrap()
    };
    let clerk = Session { staff_id: add(&mut desk, "前台小李", Role::FrontDesk), name: "前台小李".into(), role: Role::FrontDesk };
    let gm = Session { staff_id: add(&mut desk, "周总", Role::ProjectGm), name: "周总".into(), role: Role::ProjectGm };
    let p = desk.save_project(&director, ProjectInput { id: None, name: "翠湖澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    let b = desk
        .save_batch(
            &director,
            BatchInput {
                id: None,
                project_id: p,
                name: "一期".into(),
                delivered_on: NaiveDate::from_ymd_opt(2025, 1, 10),
                completion_accepted_on: NaiveDate::from_ymd_opt(2024, 6, 30),
            },
        )
        .unwrap();
    for room in 101..=110 {
        desk.save_unit(
            &clerk,
            UnitInput {
                id: None,
                project_id: p,
                batch_id: b,
                address: format!("1-1-{room}"),
                area_m2: None,
                owners: vec![OwnerInput { id: None, name: format!("业主{room}"), phones: vec![format!("13800135{room}")], note: String::new() }],
            },
        )
        .unwrap();
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
    World { desk, clock, director, clerk, gm, contractor, dir }
}

fn after_photo(w: &mut World, no: &str) {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, 4, 4);
        enc.set_color(png::ColorType::Grayscale);
        enc.write_header().unwrap().write_image_data(&[0u8; 16]).unwrap();
    }
    let f = w.dir.path().join("after.png");
    std::fs::write(&f, bytes).unwrap();
    w.desk.add_photos(&w.clerk, no, "After", &[f.display().to_string()]).unwrap();
}

fn signature() -> String {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, 40, 20);
        enc.set_color(png::ColorType::Rgba);
        let mut px = vec![0u8; 40 * 20 * 4];
        for x in 0..40 {
            px[(10 * 40 + x) * 4 + 3] = 255;
        }
        enc.write_header().unwrap().write_image_data(&px).unwrap();
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

struct Day {
    a: String,
    b: String,
    c: String,
}

/// Wednesday 03-04: tickets A (repaired and re-checked) and B (never answered) are reported;
/// a complaint about B is raised and acknowledged, a compensation claim about A is raised and
/// left. Thursday 03-05: C is reported, A is accepted, the owner is told (first call
/// unanswered), visited (satisfied, raises a matter about the street lights) and a complaint
/// about C is raised.
fn story(w: &mut World) -> Day {
    w.at("2026-03-04 09:00");
    let a = w.report("1-1-101", "卫生间", Category::Leak, "13800135101");
    w.at("2026-03-04 09:30");
    let d = w
        .desk
        .issue_dispatch(
            &w.clerk,
            &a,
            DispatchInput {
                no_contact_reason: "业主来电时已约定上门时间".into(),
                reason: None,
                contractor_id: Some(w.contractor),
                appointment_at: "2026-03-04 14:00".into(),
                plan: "重做防水".into(),
                materials: String::new(),
                site_contact: "赵师傅 13900001111".into(),
            },
        )
        .unwrap();
    w.at("2026-03-04 10:00");
    let b = w.report("1-1-102", "厨房", Category::Crack, "13800135102");
    w.at("2026-03-04 14:05");
    w.desk.record_arrival(&w.clerk, &d.no, None).unwrap();
    after_photo(w, &a);
    w.at("2026-03-04 16:00");
    w.desk
        .finish_repair(
            &w.clerk,
            &a,
            FinishInput {
                person_in_charge: "赵师傅".into(),
                materials_used: "防水涂料".into(),
                promised_at: None,
                completed_at: None,
                cause: "防水层破损".into(),
                measures: "重做防水".into(),
                reliability: "闭水试验合格".into(),
            },
        )
        .unwrap();
    w.desk.recheck(&w.clerk, &a, true, "合格").unwrap();
    let old = w.desk.raise_escalation(&w.clerk, &b, EscalationKind::Complaint, "业主投诉无人联系").unwrap();
    w.at("2026-03-04 17:00");
    w.desk.acknowledge_escalation(&w.gm, old.id, "已安排专人").unwrap();
    w.desk.raise_escalation(&w.clerk, &a, EscalationKind::Compensation, "业主要求赔偿地板损失").unwrap();

    w.at("2026-03-05 09:00");
    let c = w.report("1-1-103", "主卧窗户", Category::DoorWindow, "13800135103");
    w.at("2026-03-05 09:30");
    w.desk.accept_repair(&w.clerk, &a, AcceptInput::OwnerOnScreen { signature_png_base64: signature(), opinion: "修得好".into() }).unwrap();
    w.at("2026-03-05 10:00");
    w.desk.completion_notice(&w.clerk, &a, NoticeInput { reached: false, channel: Channel::Phone, note: "无人接听".into(), new_phone: None }).unwrap();
    w.at("2026-03-05 11:00");
    w.desk.completion_notice(&w.clerk, &a, NoticeInput { reached: true, channel: Channel::Phone, note: "已告知".into(), new_phone: None }).unwrap();
    w.at("2026-03-05 11:30");
    let t = w
        .desk
        .return_visit(
            &w.clerk,
            &a,
            ReturnVisitInput {
                reached: true,
                satisfaction: Some(Satisfaction::Satisfied),
                comments: "很满意".into(),
                out_of_scope: "小区路灯不亮，请物业联系 13912345678".into(),
                meets_code_reason: String::new(),
            },
        )
        .unwrap();
    assert_eq!(t.status, TicketStatus::Visited);
    w.at("2026-03-05 12:00");
    w.desk.raise_escalation(&w.clerk, &c, EscalationKind::Complaint, "业主强烈投诉维修人员态度").unwrap();
    w.at("2026-03-05 18:00");
    Day { a, b, c }
}

fn thursday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
}

/// Every run of 11 digits starting with 1 (an unmasked mobile number) in `s`.
fn unmasked_mobiles(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in s.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            if run.len() == 11 && run.starts_with('1') {
                out.push(run.clone());
            }
            run.clear();
        }
    }
    out
}

#[test]
fn each_event_of_the_day_lands_in_its_section_and_nothing_of_the_day_before_does() {
    let mut w = world();
    let Day { a, b, c } = story(&mut w);
    let r: DailyReport = w.desk.daily_report(thursday()).unwrap();
    assert_eq!((r.date, r.project.as_str()), (thursday(), "翠湖澜庭"));

    // 一、报修情况: only C (A and B were reported on Wednesday).
    assert_eq!(r.new_reports.iter().map(|x| x.no.as_str()).collect::<Vec<_>>(), vec![c.as_str()]);
    let n = &r.new_reports[0];
    assert_eq!(
        (n.unit.as_str(), n.part.as_str(), n.channel.as_str(), n.category.as_str(), n.receptionist.as_str()),
        ("1-1-103", "主卧窗户", "电话", "门窗", "前台小李")
    );
    assert_eq!(desk_domain::time::fmt_local(n.reported_at), "2026-03-05 09:00");

    // 二、完成情况: A, accepted by the owner's signature, with the dispatch it closed.
    assert_eq!(r.completions.len(), 1);
    let done = &r.completions[0];
    assert_eq!((done.no.as_str(), done.contractor.as_str(), done.opinion.as_str()), (a.as_str(), "城安防水", "修得好"));
    assert!(done.acceptance.contains("业主现场签字"), "{}", done.acceptance);
    assert_eq!(done.completed_at.map(desk_domain::time::fmt_local).as_deref(), Some("2026-03-04 16:00"), "finished the day before, accepted today");

    // 三、通知业主: both notices, reached or not, numbered.
    let notices: Vec<(i64, bool, &str)> = r.notices.iter().map(|x| (x.attempt, x.reached, x.note.as_str())).collect();
    assert_eq!(notices, vec![(1, false, "无人接听"), (2, true, "已告知")]);

    // 四、回访情况 and 五、非保修范围事项 (§5.1.5.3), classified; the phone typed in the matter is masked.
    assert_eq!(r.return_visits.len(), 1);
    assert_eq!(r.return_visits[0].satisfaction, Some(Satisfaction::Satisfied));
    assert_eq!(r.out_of_scope.len(), 1);
    let o = &r.out_of_scope[0];
    assert_eq!((o.no.as_str(), o.class.as_str()), (a.as_str(), "公共区域及设施（物业）"));
    assert_eq!(o.matter, "小区路灯不亮，请物业联系 139****5678");

    // 六、上报: today's complaint about C and yesterday's open compensation claim about A; the
    // complaint about B, acknowledged yesterday, is not repeated.
    let esc: Vec<(&str, EscalationKind, bool, bool)> =
        r.escalations.iter().map(|e| (e.ticket_no.as_deref().unwrap_or(""), e.kind, e.raised_that_day, e.open)).collect();
    assert!(esc.contains(&(c.as_str(), EscalationKind::Complaint, true, true)), "{esc:?}");
    assert!(esc.contains(&(a.as_str(), EscalationKind::Compensation, false, true)), "{esc:?}");
    assert!(!esc.iter().any(|e| e.0 == b.as_str()), "{esc:?}");
    assert_eq!((r.figures.escalations_open, r.figures.escalations_raised), (2, 1));

    // 七、在办报修单进展: B (never answered, late) first, then C; A is visited and done.
    let progress: Vec<&str> = r.progress.iter().map(|p| p.no.as_str()).collect();
    assert_eq!(progress, vec![b.as_str(), c.as_str()]);
    let late = &r.progress[0];
    assert!(late.late_by_minutes > 0 && late.duties[0].starts_with("联系业主：超时"), "{:?}", late.duties);
    assert!(late.latest.contains("已登记"), "{}", late.latest);

    let f = &r.figures;
    assert_eq!((f.new_reports, f.completions, f.notices, f.notices_reached, f.notices_unreached), (1, 1, 2, 1, 1));
    assert_eq!((f.return_visits, f.visits_satisfied, f.out_of_scope, f.open_tickets, f.overdue_tickets), (1, 1, 1, 2, 2));

    // Phones are masked everywhere.
    let json = serde_json::to_string(&r).unwrap();
    assert!(unmasked_mobiles(&json).is_empty(), "unmasked: {:?}", unmasked_mobiles(&json));
    assert!(json.contains("138****5103"));

    // Wednesday's report holds Wednesday's events only.
    let wed = w.desk.daily_report(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()).unwrap();
    let mut nos: Vec<&str> = wed.new_reports.iter().map(|x| x.no.as_str()).collect();
    nos.sort();
    assert_eq!(nos, vec![a.as_str(), b.as_str()]);
    assert!(wed.completions.is_empty() && wed.notices.is_empty() && wed.return_visits.is_empty() && wed.out_of_scope.is_empty());
    assert!(wed.escalations.iter().any(|e| e.ticket_no.as_deref() == Some(b.as_str()) && !e.open), "acknowledged that day, shown as such");

    // Tomorrow has no report yet.
    let e = w.desk.daily_report(NaiveDate::from_ymd_opt(2026, 3, 6).unwrap()).unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("date")));
}

fn pdf_text(path: &Path) -> String {
    let o = Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    String::from_utf8_lossy(&o.stdout).replace(['\n', ' '], "")
}

#[test]
fn the_pdf_and_the_workbook_hold_the_figures_and_the_rows() {
    let mut w = world();
    let Day { a, b, c } = story(&mut w);
    let out = w.dir.path().join("日报.pdf");
    let x = w.desk.export_daily_report(thursday(), &out).unwrap();
    assert_eq!(x.format, "pdf");
    assert!(Path::new(&x.saved).ends_with("reports/F03-2026-03-05.pdf"), "{}", x.saved);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&x.saved).unwrap(), "the copy under reports/ is the same file");
    let text = pdf_text(&out);
    for needle in [
        "保修中心工作日报",
        "表单编号：BJ-WX-C01-F03",
        "2026-03-05（星期四）",
        "新增报修",
        "1张",
        "2次（已告知1，未联系上1）",
        "一、报修情况（新增报修1张）",
        "二、完成情况（完工验收1张）",
        "三、通知业主（完工通知2次）",
        "四、回访情况（回访1次）",
        "五、非保修范围事项（1项，§5.1.5.3）",
        "公共区域及设施（物业）",
        "六、上报项目总经理事项（未确认2项，当日新上报1项）",
        "业主强烈投诉维修人员态度",
        "七、在办报修单进展（2张，已超时2张",
        &a,
        &b,
        &c,
        "城安防水",
        "138****5103",
        "第1页/共",
    ] {
        assert!(text.contains(&needle.replace(' ', "")), "the PDF lacks «{needle}»:\n{text}");
    }
    assert!(unmasked_mobiles(&text).is_empty(), "{:?}", unmasked_mobiles(&text));

    let out = w.dir.path().join("日报.xlsx");
    w.desk.export_daily_report(thursday(), &out).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, vec!["汇总", "报修情况", "完成情况", "通知业主", "回访情况", "非保修范围事项", "上报事项", "在办报修单进展"]);
    let sheet = book.worksheet_range("报修情况").unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows.len(), 3, "title, header, one ticket");
    assert_eq!(rows[1][0], Data::String("报修编号".into()));
    assert_eq!(rows[2][0], Data::String(c.clone()));
    match &rows[2][1] {
        Data::DateTime(d) => assert!((d.as_f64() - 46086.375).abs() < 1e-6, "2026-03-05 09:00 local, got serial {}", d.as_f64()),
        other => panic!("报修时间 should be a real date, got {other:?}"),
    }
    assert_eq!(rows[2][4], Data::String("138****5103".into()));
    let notices = book.worksheet_range("通知业主").unwrap();
    assert_eq!(notices.rows().count(), 4, "two notices");
    let oos = book.worksheet_range("非保修范围事项").unwrap();
    let row: Vec<String> = oos.rows().nth(2).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(&row[..3], &["公共区域及设施（物业）".to_string(), "小区路灯不亮，请物业联系 139****5678".into(), a.clone()]);
    let progress = book.worksheet_range("在办报修单进展").unwrap();
    assert_eq!(progress.rows().count(), 4);

    let e = w.desk.export_daily_report(thursday(), &w.dir.path().join("日报.docx")).unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("out")));
    assert!(e.message.contains(".pdf、.xlsx 或 .eml"), "{}", e.message);
}

/// A small reader for the draft: unfolded headers, and the parts split at the boundary.
type Headers = Vec<(String, String)>;

struct Mail {
    headers: Headers,
    parts: Vec<(Headers, Vec<u8>)>,
}

fn parse_headers(block: &str) -> Vec<(String, String)> {
    block.replace("\r\n ", " ").split("\r\n").filter_map(|l| l.split_once(": ").map(|(k, v)| (k.to_string(), v.to_string()))).collect()
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> &'a str {
    h.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no {name} header"))
}

fn parse_mail(raw: &str) -> Mail {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let headers = parse_headers(head);
    let ct = header(&headers, "Content-Type");
    assert!(ct.starts_with("multipart/mixed;"), "{ct}");
    let boundary = ct.split("boundary=\"").nth(1).unwrap().trim_end_matches('"').to_string();
    let mut parts = Vec::new();
    let closing = format!("\r\n--{boundary}--\r\n");
    assert!(body.ends_with(&closing[2..]) || body.ends_with(&closing), "closing boundary");
    for chunk in body.split(&format!("--{boundary}")).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        let (ph, pb) = chunk.trim_start_matches("\r\n").split_once("\r\n\r\n").unwrap();
        let ph = parse_headers(ph);
        assert_eq!(header(&ph, "Content-Transfer-Encoding"), "base64");
        let data: String = pb.split("\r\n").collect();
        let bytes = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
        parts.push((ph, bytes));
    }
    Mail { headers, parts }
}

fn decode_2047(s: &str) -> String {
    let mut bytes = Vec::new();
    for w in s.split_whitespace() {
        let inner = w.strip_prefix("=?UTF-8?B?").and_then(|x| x.strip_suffix("?=")).unwrap_or_else(|| panic!("not an encoded-word: {w}"));
        bytes.extend(base64::engine::general_purpose::STANDARD.decode(inner).unwrap());
    }
    String::from_utf8(bytes).unwrap()
}

#[test]
fn the_director_sets_the_recipients_and_the_draft_carries_both_files() {
    let mut w = world();
    story(&mut w);
    // Only the director sets the list; every address is checked and the field named.
    let e = w.desk.set_report_recipients(&w.clerk, vec!["a@example.com".into()], vec![]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Denied);
    let e = w.desk.set_report_recipients(&w.director, vec!["bxzx@cuihu.com.cn".into()], vec!["总经理".into()]).unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("cc")));
    assert!(e.message.contains("抄送") && e.message.contains("「总经理」"), "{}", e.message);
    let e = w.desk.set_report_recipients(&w.director, vec![" ".into()], vec![]).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("to"));
    let to = vec!["bxzx@cuihu.com.cn".to_string(), "xmb@cuihu.com.cn".into(), " BXZX@cuihu.com.cn ".into(), "kf@cuihu.com.cn".into()];
    let cc = vec!["gm@cuihu.com.cn".to_string(), "xmb@cuihu.com.cn".into()];
    let set = w.desk.set_report_recipients(&w.director, to, cc).unwrap();
    assert_eq!(set.to, vec!["bxzx@cuihu.com.cn", "xmb@cuihu.com.cn", "kf@cuihu.com.cn"], "duplicates dropped");
    assert_eq!(set.cc, vec!["gm@cuihu.com.cn"], "an address already in To is not copied again");
    assert_eq!(w.desk.report_recipients().unwrap(), set);

    let out = w.dir.path().join("日报.eml");
    let x = w.desk.export_daily_report(thursday(), &out).unwrap();
    assert_eq!((x.format.as_str(), x.recipients), ("eml", 4));
    let raw = std::fs::read_to_string(&out).unwrap();
    assert!(raw.is_ascii() && raw.lines().all(|l| l.len() <= 998));
    let mail = parse_mail(&raw);
    let h = &mail.headers;
    assert_eq!(header(h, "To"), "bxzx@cuihu.com.cn, xmb@cuihu.com.cn, kf@cuihu.com.cn");
    assert_eq!(header(h, "Cc"), "gm@cuihu.com.cn");
    assert_eq!(header(h, "X-Unsent"), "1");
    assert_eq!(header(h, "MIME-Version"), "1.0");
    assert_eq!(header(h, "Date"), "Thu, 05 Mar 2026 18:00:00 +0800");
    let subject = header(h, "Subject");
    assert!(subject.starts_with("=?UTF-8?B?"), "{subject}");
    assert_eq!(decode_2047(subject), "翠湖澜庭保修中心工作日报（BJ-WX-C01-F03）2026-03-05");

    assert_eq!(mail.parts.len(), 3);
    let (bh, body) = &mail.parts[0];
    assert_eq!(header(bh, "Content-Type"), "text/plain; charset=UTF-8");
    let body = String::from_utf8(body.clone()).unwrap();
    for needle in ["新增报修：1 张", "完工验收：1 张", "通知业主：2 次（已告知 1，未联系上 1）", "维修回访：1 次（满意 1", "业主强烈投诉维修人员态度"]
    {
        assert!(body.contains(needle), "the body lacks «{needle}»:\n{body}");
    }
    assert!(unmasked_mobiles(&body).is_empty());

    let reports = w.dir.path().join("reports");
    let (ph, pdf) = &mail.parts[1];
    assert!(header(ph, "Content-Type").starts_with("application/pdf;"));
    let disposition = header(ph, "Content-Disposition");
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*0*=UTF-8''%E4%BF%9D%E4%BF%AE"), "{disposition}");
    let name = header(ph, "Content-Type").split("name=\"").nth(1).unwrap().trim_end_matches('"');
    assert_eq!(decode_2047(name), "保修中心工作日报F03-2026-03-05.pdf");
    assert_eq!(pdf, &std::fs::read(reports.join("F03-2026-03-05.pdf")).unwrap(), "the PDF attachment decodes to the PDF");
    let (xh, xlsx) = &mail.parts[2];
    assert!(header(xh, "Content-Type").starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;"));
    assert_eq!(xlsx, &std::fs::read(reports.join("F03-2026-03-05.xlsx")).unwrap(), "the workbook attachment decodes to the workbook");
    assert!(pdf.starts_with(b"%PDF") && xlsx.starts_with(b"PK"));
    assert_eq!(std::fs::read(reports.join("F03-2026-03-05.eml")).unwrap(), raw.as_bytes(), "the draft is kept too");

    // The change of recipients is in the audit log.
    let db = desk_store::raw::open(&w.dir.path().join("warranty-desk.sqlite")).unwrap();
    let (actor, detail): (i64, String) = db
        .query_row("SELECT actor_id, detail FROM audit_log WHERE entity = 'report_recipients' ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(actor, w.director.staff_id);
    assert!(detail.starts_with("日报收件人：收件 3 人"), "{detail}");
}
