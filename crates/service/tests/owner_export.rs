//! PIPL (issue 7 §7): an owner's data is exported on request — one workbook with the owner's
//! own data in full, the export audited with who, when and why — and every other output that
//! leaves the desk (ticket list export, F03 daily report, statistics, printed F02) carries no
//! full mobile number of any owner unless the full list is chosen explicitly (and audited).
//!
//! Run: `cargo test -p desk-service --test owner_export` (PDFs are read with `pdftotext`,
//! poppler-utils, installed by scripts/setup.sh).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::copy_dir;
use desk_domain::ticket::TicketStatus;
use desk_service::audit_view::AuditFilter;
use desk_service::print::PrintLayout;
use desk_service::tickets::TicketFilter;
use desk_service::{Desk, ErrorKind, Session};
use std::path::Path;
use std::process::Command;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 5, 2, 0, 0).unwrap()
}

fn demo() -> (Desk, tempfile::TempDir, Session, Session) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(common::demo_template(t0), dir.path());
    let desk = Desk::open_with_clock(dir.path(), Box::new(t0)).unwrap();
    let director = desk.session_for(Some("张建国")).unwrap();
    let clerk = desk.session_for(Some(desk_service::demo::DEMO_USER)).unwrap();
    (desk, dir, director, clerk)
}

/// Every sheet of a workbook as rows of display strings.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).unwrap();
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            Data::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (n, rows)
        })
        .collect()
}

fn all_text(path: &Path) -> String {
    sheets(path).into_iter().flat_map(|(_, rows)| rows.into_iter().flatten()).collect::<Vec<_>>().join("\n")
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    assert!(out.status.success(), "pdftotext failed on {}", path.display());
    String::from_utf8_lossy(&out.stdout).replace(['\n', ' '], "")
}

/// Every owner's 11-digit mobile number in the demo.
fn owner_mobiles(desk: &mut Desk) -> Vec<String> {
    let pid = desk.active_project().unwrap().id;
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let units = desk.units(pid, None, after).unwrap();
        let Some(last) = units.last() else { break };
        after = Some(last.id);
        for u in &units {
            for o in &u.owners {
                out.extend(o.phones.iter().filter(|p| p.len() == 11 && p.starts_with('1')).cloned());
            }
        }
    }
    assert!(out.len() > 50, "the demo has owners with mobiles: {}", out.len());
    out
}

fn leaked<'a>(text: &str, phones: &'a [String]) -> Vec<&'a String> {
    phones.iter().filter(|p| text.contains(p.as_str())).collect()
}

#[test]
fn an_owners_data_is_exported_in_full_on_request_and_the_export_is_audited() {
    let (desk, dir, director, clerk) = demo();
    // An owner whose ticket went all the way (dispatch, acceptance, return visit).
    let visited = desk.list_tickets(&TicketFilter { status: Some(TicketStatus::Visited), ..Default::default() }, 1000).unwrap();
    let detail = desk.ticket(&visited.items[0].no).unwrap();
    let unit = desk.unit(detail.unit_id).unwrap();
    let owner = unit.owners[0].clone();
    let out = dir.path().join("导出").join("业主个人信息.xlsx");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();

    // The reason is required; without it nothing is written.
    let e = desk.export_owner_data(&clerk, owner.id, "  ", &out).unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("reason")));
    assert!(!out.exists());
    let e = desk.export_owner_data(&clerk, 999_999, "业主申请", &out).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound, "{e:?}");

    let reason = "业主本人来访申请查阅，已核验身份证";
    let r = desk.export_owner_data(&clerk, owner.id, reason, &out).unwrap();
    assert_eq!(r.owner, owner.name);
    assert!(r.units >= 1 && r.tickets >= 1);
    let book = sheets(&out);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, desk_service::owner_export::OWNER_SHEETS);
    let sheet = |name: &str| book.iter().find(|(n, _)| n == name).map(|(_, rows)| rows.clone()).unwrap();
    let cell_text = |rows: &[Vec<String>]| rows.iter().flatten().cloned().collect::<Vec<_>>().join("|");

    // 业主信息: the name, every phone in full (it is the owner's own data), the unit.
    let info = sheet("业主信息");
    assert!(info[0][0].contains("业主信息") && info[0][0].contains(&owner.name), "title row: {:?}", info[0]);
    assert_eq!(info[1][..4], ["业主姓名", "联系电话", "项目", "房号"]);
    let row = info.iter().find(|r| r[0] == owner.name && r[3] == unit.address).expect("the owner's row");
    for p in &owner.phones {
        assert!(row[1].contains(p.as_str()), "full phone {p} in {:?}", row[1]);
    }
    assert_eq!(row[2], "翠湖澜庭");

    // 报修记录: every ticket of the unit, with its number, part, description and status.
    let tickets = sheet("报修记录");
    let unit_tickets = desk.unit_archive(unit.id).unwrap().tickets;
    let listed: Vec<&String> = tickets.iter().skip(2).map(|r| &r[0]).collect();
    for t in &unit_tickets {
        assert!(listed.contains(&&t.no), "ticket {} listed", t.no);
    }
    let visited_row = tickets.iter().find(|r| r[0] == detail.no).unwrap();
    assert_eq!(visited_row[6], detail.part);
    assert_eq!(visited_row[8], detail.description);
    assert_eq!(visited_row[9], "已回访");
    assert!(!visited_row[10].is_empty(), "a visited ticket has its closing time");

    // 维修与回访: the dispatch, the acceptance and the return visit of that ticket.
    let repairs = sheet("维修与回访");
    let of_ticket: Vec<&Vec<String>> = repairs.iter().filter(|r| r[0] == detail.no).collect();
    let kinds = of_ticket.iter().map(|r| r[2].clone()).collect::<Vec<_>>().join("|");
    for k in ["派工维修", "验收", "维修回访"] {
        assert!(kinds.contains(k), "{k} in {kinds}");
    }
    assert!(cell_text(&repairs).contains(&detail.dispatches[0].no));

    // 查询记录: the record of who touched this owner's data, this export included.
    let access = sheet("查询记录");
    let last = access.last().unwrap();
    assert_eq!(last[1], clerk.name);
    assert_eq!(last[2], "导出业主个人信息");
    assert!(last[3].contains(reason), "{last:?}");

    // The audit log has who, when and why.
    let lines = desk.audit_log(&director, &AuditFilter { limit: 10, action: Some("export_owner_data".into()), ..Default::default() }).unwrap().lines;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].actor.as_deref(), Some(clerk.name.as_str()));
    assert_eq!(lines[0].at, t0());
    assert_eq!((lines[0].entity.as_str(), lines[0].entity_id), ("owner", owner.id));
    assert!(lines[0].detail.contains(reason) && lines[0].detail.contains(&owner.name));

    // A second export lists the first one among the accesses.
    let again = dir.path().join("第二次.xlsx");
    desk.export_owner_data(&director, owner.id, "业主委托律师函要求提供", &again).unwrap();
    let access = sheets(&again).into_iter().find(|(n, _)| n == "查询记录").unwrap().1;
    assert!(cell_text(&access).contains(reason), "the earlier export is in the owner's access record");
}

#[test]
fn phones_are_masked_in_every_output_that_leaves_the_desk_unless_the_full_list_is_chosen() {
    let (mut desk, dir, director, clerk) = demo();
    let phones = owner_mobiles(&mut desk);

    // Ticket list export: masked by default; the full list is a choice, and audited.
    let masked = dir.path().join("列表.xlsx");
    desk.export_tickets(&clerk, &TicketFilter::default(), &masked, false).unwrap();
    let text = all_text(&masked);
    assert!(text.contains("****"), "masked phones are shown");
    assert_eq!(leaked(&text, &phones), Vec::<&String>::new(), "ticket list export");
    let full = dir.path().join("列表-完整.xlsx");
    desk.export_tickets(&clerk, &TicketFilter::default(), &full, true).unwrap();
    assert!(!leaked(&all_text(&full), &phones).is_empty(), "the full list has the numbers");
    let exports = desk.audit_log(&director, &AuditFilter { limit: 10, action: Some("export".into()), ..Default::default() }).unwrap().lines;
    assert!(exports[0].detail.contains("含完整电话号码") && !exports[1].detail.contains("含完整电话号码"), "{exports:?}");

    // F03 daily report, as PDF and as workbook (several days, so notices and new numbers appear).
    let today = desktop_day(t0());
    for back in 0..3 {
        let day = today - Duration::days(back);
        let pdf = dir.path().join(format!("F03-{day}.pdf"));
        desk.export_daily_report(day, &pdf).unwrap();
        assert_eq!(leaked(&pdf_text(&pdf), &phones), Vec::<&String>::new(), "F03 PDF of {day}");
        let xlsx = dir.path().join(format!("F03-{day}.xlsx"));
        desk.export_daily_report(day, &xlsx).unwrap();
        assert_eq!(leaked(&all_text(&xlsx), &phones), Vec::<&String>::new(), "F03 workbook of {day}");
    }

    // Statistics: aggregates only.
    let stats = dir.path().join("统计.xlsx");
    desk.export_statistics(today - Duration::days(365), today + Duration::days(1), &stats).unwrap();
    assert_eq!(leaked(&all_text(&stats), &phones), Vec::<&String>::new(), "statistics");

    // The printed F02 (and F01): masked unless asked for in full.
    let dispatched = desk.list_tickets(&TicketFilter { status: Some(TicketStatus::Dispatched), ..Default::default() }, 1000).unwrap();
    let no = &dispatched.items[0].no;
    let phone = desk.ticket(no).unwrap().phone;
    for (form, r) in [("F02", desk.print_f02(None, no, None, PrintLayout::A5, false).unwrap()), ("F01", desk.print_f01(None, no, false).unwrap())] {
        let text = pdf_text(Path::new(&r.path));
        assert_eq!(leaked(&text, &phones), Vec::<&String>::new(), "{form} default");
        assert!(text.contains(&format!("{}****{}", &phone[..3], &phone[7..])), "{form} shows the masked number");
    }
    let clerk = desk.session_for(Some("李静")).unwrap();
    let r = desk.print_f02(Some(&clerk), no, None, PrintLayout::A4Two, true).unwrap();
    assert!(pdf_text(Path::new(&r.path)).contains(&phone), "the full number when chosen");
    // …and that choice is on record: who printed which slip in full.
    let boss = desk.session_for(Some("张建国")).unwrap();
    let filter = desk_service::audit_view::AuditFilter { action: Some("print_full_phone".into()), limit: 10, ..Default::default() };
    let log = desk.audit_log(&boss, &filter).unwrap();
    let line = log.lines.first().expect("the full-phone print is audited");
    assert!(line.detail.contains(no.as_str()) && line.actor.as_deref() == Some("李静"), "{line:?}");
}

fn desktop_day(t: DateTime<Utc>) -> NaiveDate {
    desk_domain::time::local_date(t)
}
