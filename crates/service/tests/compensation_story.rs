//! Compensation (issue 14 path 4, §6.3, §5.2.2.6), walked through the `Desk` API with a clock the
//! test moves: an owner claims compensation for a leak; only the director and the CS assistant
//! deal with it — they record the claim and report it to the project GM, tell the CS department,
//! negotiate (each round kept), and record the agreement with the signed agreement's scan. The
//! developer-paid amount appears in the developer-cost statistics, F03 lists the case, and
//! 今日待办 shows it until it is concluded. Each step is refused to every other role (nothing
//! written), out of order with a Chinese message naming what must come first, and amounts that
//! are negative or not whole fen are refused naming the field.
//!
//! The world (as `major_story`): 翠湖澜庭, 一期 1-1-101…105, one builder; Thursday 2026-03-05.
//!
//! Run: `cargo test -p desk-service --test compensation_story`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::world::{kind_of, world, World};

use chrono::{Datelike, Duration};
use desk_domain::compensation::CompensationPayer;
use desk_domain::staff::Role;
use desk_service::compensation::{CompensationAgreementInput, CompensationOpenInput, COMPENSATION_ROLES};
use desk_service::error::ErrorKind;

/// Rows of the compensation tables and the audit log: nothing half-written.
fn rows(w: &World) -> Vec<i64> {
    let c = desk_store::raw::open_read_only(&w.dir.path().join(desk_service::desk::DB_FILE)).unwrap();
    ["compensation", "compensation_round", "compensation_file", "audit_log"]
        .iter()
        .map(|t| c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap())
        .collect()
}

/// A scanned agreement on this computer (a small PNG).
fn scan(w: &World) -> String {
    let f = w.dir.path().join("协议扫描.png");
    std::fs::write(&f, png_bytes()).unwrap();
    f.display().to_string()
}

fn png_bytes() -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, 4, 4);
        enc.set_color(png::ColorType::Rgba);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(&[0u8; 4 * 4 * 4]).unwrap();
    }
    bytes
}

/// One project, 一期 with 1-1-101 … 1-1-105; staff in every role; one builder. The clock starts
/// on Thursday 2026-03-05 09:00 (local).
fn claim(to: i64) -> CompensationOpenInput {
    CompensationOpenInput { claim: "渗水泡坏楼下吊顶和木地板，要求赔偿".into(), claimed_amount: "3000".into(), reported_to_id: to }
}

fn agreement(amount: &str, files: Vec<String>) -> CompensationAgreementInput {
    CompensationAgreementInput {
        agreed_amount: amount.into(),
        payer: CompensationPayer::Developer,
        payer_detail: String::new(),
        files,
        note: "一次性赔偿".into(),
    }
}

#[test]
fn the_director_and_cs_assistant_negotiate_and_the_developer_paid_amount_is_counted() {
    let w = world();
    let no = w.report("1-1-101", "卫生间", "13800135101", None).unwrap();

    // Every other role is refused opening a case (the steward must not discuss compensation).
    let before = (w.desk.ticket(&no).unwrap(), rows(&w));
    for s in w.wrong(COMPENSATION_ROLES) {
        let (k, m) = kind_of(w.desk.open_compensation(&s, &no, claim(w.gm.staff_id)));
        assert_eq!(k, ErrorKind::Denied, "{:?}: {m}", s.role);
        assert!(m.contains("只有保修主任或客服主管助理"), "{m}");
    }
    // Reported to a GM or engineer only; the claimed amount is whole fen and not negative.
    let (k, _) = kind_of(w.desk.open_compensation(&w.director, &no, claim(w.steward.staff_id)));
    assert_eq!(k, ErrorKind::Invalid);
    for bad in ["-100", "12.345", "三千"] {
        let e = w.desk.open_compensation(&w.cs, &no, CompensationOpenInput { claimed_amount: bad.into(), ..claim(w.gm.staff_id) }).unwrap_err();
        assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("claimed_amount")), "{bad}: {}", e.message);
        assert!(e.message.contains("业主索赔金额"), "{}", e.message);
    }
    assert_eq!((w.desk.ticket(&no).unwrap(), rows(&w)), before, "nothing half-written");

    // Out of order: no step on a case that was never opened.
    let (k, m) = kind_of(w.desk.notify_cs_of_compensation(&w.director, 1, "已通报"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("须先由保修主任或客服主管助理登记业主的赔偿诉求"), "{m}");

    // The CS assistant opens it, reported to the GM (§6.3: to whom, when).
    w.advance(Duration::minutes(10));
    let t = w.desk.open_compensation(&w.cs, &no, claim(w.gm.staff_id)).unwrap();
    let c = t.compensations[0].clone();
    assert_eq!((c.reported_to.as_str(), c.reported_to_role, c.reported_at), ("总经理吴国栋", Role::ProjectGm, w.desk.now()));
    assert_eq!(c.claimed_fen, Some(300_000));
    assert!(t.timeline.iter().any(|e| e.detail.contains("汇报项目总经理总经理吴国栋")), "logged");
    // §5.2.2.6: the claim is on the project GM's escalations to acknowledge.
    let esc = w.desk.escalations(Some(&no)).unwrap();
    assert!(esc.iter().any(|e| e.kind == desk_domain::clock::escalation::EscalationKind::Compensation && e.detail.contains("业主索赔")), "{esc:?}");
    // One open case per ticket.
    let (k, m) = kind_of(w.desk.open_compensation(&w.director, &no, claim(w.gm.staff_id)));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("已有未结案的赔偿事项"), "{m}");

    // 今日待办: the director or the CS assistant must tell the CS department.
    let today = w.desk.today().unwrap();
    let d = today.matters.iter().find(|d| d.ticket_no == no).expect("on 今日待办");
    assert_eq!(d.kind, "赔偿协商");
    assert!(d.text.contains("通报客户服务部"), "{}", d.text);

    // Out of order: no agreement (nor a close) before the CS department is told.
    let before = (w.desk.ticket(&no).unwrap(), rows(&w));
    let (k, m) = kind_of(w.desk.conclude_compensation(&w.director, c.id, agreement("1500", vec![scan(&w)])));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("请先通报客户服务部"), "{m}");
    let (k, m) = kind_of(w.desk.close_compensation_without(&w.director, c.id, "业主撤回"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("请先通报客户服务部"), "{m}");
    // Every other role is refused each step.
    for s in w.wrong(COMPENSATION_ROLES) {
        for (what, r) in [
            ("notify", w.desk.notify_cs_of_compensation(&s, c.id, "已通报").map(|_| ())),
            ("round", w.desk.add_compensation_round(&s, c.id, "业主同意降低").map(|_| ())),
            ("agree", w.desk.conclude_compensation(&s, c.id, agreement("1500", vec![scan(&w)])).map(|_| ())),
            ("close", w.desk.close_compensation_without(&s, c.id, "业主撤回").map(|_| ())),
        ] {
            let (k, m) = kind_of(r);
            assert_eq!(k, ErrorKind::Denied, "{what} as {:?}: {m}", s.role);
            assert!(m.contains("只有保修主任或客服主管助理"), "{m}");
        }
    }
    assert_eq!((w.desk.ticket(&no).unwrap(), rows(&w)), before, "nothing half-written");
    assert!(!w.dir.path().join("photos").join(&no).exists(), "no agreement file copied for a refused step");

    // The director tells the CS department (once), then negotiates twice.
    w.advance(Duration::minutes(20));
    let t = w.desk.notify_cs_of_compensation(&w.director, c.id, "已电话通报客服部刘经理，同意协商赔偿").unwrap();
    let notified_at = w.desk.now();
    assert_eq!(t.compensations[0].cs_notified_at, Some(notified_at));
    assert_eq!(t.compensations[0].cs_notified_by.as_deref(), Some("张主任"));
    assert!(t.timeline.iter().any(|e| e.detail.contains("赔偿事项已通报客户服务部")));
    let (k, m) = kind_of(w.desk.notify_cs_of_compensation(&w.cs, c.id, "再次通报"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("不能重复通报"), "{m}");
    w.advance(Duration::hours(1));
    w.desk.add_compensation_round(&w.director, c.id, "业主要求 3000 元，解释吊顶可修复").unwrap();
    w.advance(Duration::hours(1));
    let t = w.desk.add_compensation_round(&w.cs, c.id, "业主同意 1500 元一次性了结").unwrap();
    let rounds: Vec<(&str, &str)> = t.compensations[0].rounds.iter().map(|r| (r.actor.as_str(), r.note.as_str())).collect();
    assert_eq!(rounds, vec![("张主任", "业主要求 3000 元，解释吊顶可修复"), ("客服助理孙丽", "业主同意 1500 元一次性了结")]);
    let d = w.desk.today().unwrap().matters.into_iter().find(|d| d.ticket_no == no).expect("still on 今日待办");
    assert!(d.text.contains("与业主协商中") && d.text.contains("2 次协商"), "{}", d.text);

    // The agreement: an amount above zero needs the signed agreement; money is validated.
    let before = (w.desk.ticket(&no).unwrap(), rows(&w));
    let e = w.desk.conclude_compensation(&w.cs, c.id, agreement("1500", vec![])).unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("files")), "{}", e.message);
    assert!(e.message.contains("赔偿协议"), "{}", e.message);
    for bad in ["-1", "1500.005", "", "abc"] {
        let e = w.desk.conclude_compensation(&w.cs, c.id, agreement(bad, vec![scan(&w)])).unwrap_err();
        assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("agreed_amount")), "{bad}: {}", e.message);
        assert!(e.message.contains("赔偿金额"), "{}", e.message);
    }
    let e = w
        .desk
        .conclude_compensation(&w.cs, c.id, CompensationAgreementInput { payer: CompensationPayer::Builder, ..agreement("1500", vec![scan(&w)]) })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("payer_detail"), "the builder's name: {}", e.message);
    let e = w.desk.conclude_compensation(&w.cs, c.id, agreement("1500", vec![w.dir.path().join("协议.docx").display().to_string()])).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("files"), "{}", e.message);
    assert_eq!((w.desk.ticket(&no).unwrap(), rows(&w)), before, "nothing half-written");

    w.advance(Duration::hours(1));
    let t = w.desk.conclude_compensation(&w.cs, c.id, agreement("1,500.50", vec![scan(&w)])).unwrap();
    let c = t.compensations[0].clone();
    assert_eq!((c.agreed_fen, c.payer), (Some(150_050), Some(CompensationPayer::Developer)));
    assert_eq!(c.agreement_files, vec![format!("photos/{no}/agreement-001.png")]);
    assert!(w.dir.path().join(&c.agreement_files[0]).exists(), "the scan is kept in the data folder");
    assert!(w.desk.photo_data_url(&c.agreement_files[0]).unwrap().starts_with("data:image/png;base64,"));
    assert!(t.timeline.iter().any(|e| e.detail.contains("赔偿协议：赔偿 ¥1,500.50，开发商承担")), "{:?}", t.timeline.last());
    // Concluded: no more rounds, no second conclusion; off 今日待办.
    let (k, m) = kind_of(w.desk.add_compensation_round(&w.director, c.id, "业主又来电"));
    assert_eq!(k, ErrorKind::Refused);
    assert!(m.contains("已结案"), "{m}");
    let (k, _) = kind_of(w.desk.conclude_compensation(&w.director, c.id, agreement("0", vec![])));
    assert_eq!(k, ErrorKind::Refused);
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));

    // F03 of the day lists the case with its agreement.
    let day = desk_domain::time::local_date(w.desk.now());
    let f03 = w.desk.daily_report(day).unwrap();
    let row = f03.matters.iter().find(|r| r.ticket_no == no).expect("in F03");
    assert_eq!((row.kind_label.as_str(), row.section.as_str(), row.units.as_str()), ("赔偿协商", "§6.3", "1-1-101"));
    assert!(row.state.contains("已达成协议") && row.state.contains("开发商承担"), "{}", row.state);

    // The developer's cost statistics of March count it as 赔偿, in the total.
    let month = w.desk.developer_costs_per_month(day.with_day0(0).unwrap(), day).unwrap();
    assert_eq!(month.len(), 1);
    let m = &month[0];
    assert_eq!((m.project.as_str(), m.month.as_str(), m.tickets), ("翠湖澜庭", "2026-03", 1));
    assert_eq!((m.compensation_fen, m.material_fen, m.labour_fen, m.total_fen), (150_050, 0, 0, 150_050));
    let st = w.desk.statistics(day.with_day0(0).unwrap(), day.succ_opt().unwrap()).unwrap();
    assert_eq!(st.developer_costs, month);
    // …and the workbook's 开发商承担 sheet has it in its 赔偿 column and the total.
    let path = w.dir.path().join("统计.xlsx");
    w.desk.export_statistics(day.with_day0(0).unwrap(), day.succ_opt().unwrap(), &path).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let rows: Vec<Vec<String>> =
        calamine::Reader::worksheet_range(&mut book, "开发商承担").unwrap().rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let header = rows.iter().find(|r| r.iter().any(|c| c.starts_with("赔偿"))).expect("a 赔偿 column");
    let (ci, ti) = (header.iter().position(|c| c.starts_with("赔偿")).unwrap(), header.iter().position(|c| c.starts_with("合计")).unwrap());
    let line = rows.iter().find(|r| r.first().is_some_and(|c| c == "翠湖澜庭")).expect("the project's month");
    assert_eq!((line[ci].as_str(), line[ti].as_str()), ("1500.5", "1500.5"), "{line:?}");

    // A second case may open on the same ticket once the first is concluded; the builder's share
    // is not the developer's cost.
    let t = w.desk.open_compensation(&w.director, &no, CompensationOpenInput { claimed_amount: String::new(), ..claim(w.engineer.staff_id) }).unwrap();
    let c2 = t.compensations[1].id;
    assert_eq!(t.compensations[1].claimed_fen, None);
    w.desk.notify_cs_of_compensation(&w.director, c2, "已通报").unwrap();
    w.desk
        .conclude_compensation(
            &w.director,
            c2,
            CompensationAgreementInput { payer: CompensationPayer::Builder, payer_detail: "城安防水".into(), ..agreement("800", vec![scan(&w)]) },
        )
        .unwrap();
    assert_eq!(w.desk.developer_costs_per_month(day.with_day0(0).unwrap(), day).unwrap()[0].compensation_fen, 150_050);
}

#[test]
fn a_case_closes_without_compensation_with_its_reason() {
    let w = world();
    let no = w.report("1-1-102", "卫生间", "13800135102", None).unwrap();
    let id = w.desk.open_compensation(&w.director, &no, claim(w.engineer.staff_id)).unwrap().compensations[0].id;
    w.desk.notify_cs_of_compensation(&w.cs, id, "已通报客服部").unwrap();
    let e = w.desk.close_compensation_without(&w.cs, id, "  ").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reason"));
    let t = w.desk.close_compensation_without(&w.cs, id, "经鉴定为业主自行改造所致，业主认可").unwrap();
    let c = &t.compensations[0];
    assert_eq!((c.agreed_fen, c.no_compensation_reason.as_deref()), (None, Some("经鉴定为业主自行改造所致，业主认可")));
    assert!(c.state_text().contains("不予赔偿结案"));
    assert!(w.desk.today().unwrap().matters.iter().all(|d| d.ticket_no != no));
    let day = desk_domain::time::local_date(w.desk.now());
    assert!(w.desk.developer_costs_per_month(day, day).unwrap().is_empty());
    let (k, _) = kind_of(w.desk.close_compensation_without(&w.director, id, "再次结案"));
    assert_eq!(k, ErrorKind::Refused);
}

#[test]
fn the_database_keeps_cases_append_only() {
    let w = world();
    let no = w.report("1-1-103", "卫生间", "13800135103", None).unwrap();
    let id = w.desk.open_compensation(&w.director, &no, claim(w.gm.staff_id)).unwrap().compensations[0].id;
    w.desk.add_compensation_round(&w.director, id, "第一次协商").unwrap();
    let c = desk_store::raw::open(&w.dir.path().join(desk_service::desk::DB_FILE)).unwrap();
    for sql in [
        "UPDATE compensation SET claim = '改过' WHERE id = 1",
        "DELETE FROM compensation WHERE id = 1",
        "UPDATE compensation_round SET note = '改过'",
        "DELETE FROM compensation_round",
        "UPDATE compensation SET payer = 'Nobody', agreed_fen = 1, cs_notified_at = 1, concluded_at = 1, concluded_on = '2026-03-05' WHERE id = 1",
    ] {
        assert!(c.execute(sql, []).is_err(), "{sql} must be refused");
    }
}
