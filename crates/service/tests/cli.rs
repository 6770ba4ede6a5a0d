//! The `wdesk` contract of shared/spec/CLI.md, run as a script would: the real binary on a
//! temp data folder. Exit codes: 0 ok, 1 refused (Chinese message, nothing written), 2 usage.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::process::{Command, Output};

fn wdesk(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wdesk")).arg("--data").arg(data).args(args).output().unwrap()
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = wdesk(dir.path(), &["demo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

#[test]
fn demo_creates_a_project_with_two_hundred_tickets_and_refuses_to_overwrite() {
    let dir = demo();
    let list = json(&wdesk(dir.path(), &["ticket", "list", "--json", "--limit", "5"]));
    assert_eq!(list["total"], 200);
    assert_eq!(list["items"].as_array().unwrap().len(), 5);
    let again = wdesk(dir.path(), &["demo"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("已有数据，不会覆盖"));
    assert!(wdesk(dir.path(), &["demo", "--force"]).status.success());
}

#[test]
fn ticket_new_then_list_and_show_give_the_contract_shapes() {
    let dir = demo();
    let created = json(&wdesk(
        dir.path(),
        &[
            "ticket",
            "new",
            "--unit",
            "3号楼2单元1502",
            "--phone",
            "13912345678",
            "--desc",
            "卫生间地漏返味",
            "--part",
            "卫生间",
            "--category",
            "水电",
            "--owner",
            "王芳",
            "--json",
        ],
    ));
    let no = created["no"].as_str().unwrap().to_string();
    assert!(no.starts_with("BX-") && no.len() == 14, "{no}");
    assert_eq!(created["status"], "Reported");

    let list = json(&wdesk(dir.path(), &["ticket", "list", "--query", "返味", "--json"]));
    assert_eq!(list["total"], 1);
    let item = &list["items"][0];
    assert_eq!(item["no"], no.as_str());
    assert_eq!(item["unit"], "3-2-1502");
    assert_eq!(item["owner"], "王芳");
    assert_eq!(item["phone"], "139****5678", "phones are masked unless --full-phone");
    assert!(item["reported_at"].is_string());
    let full = json(&wdesk(dir.path(), &["ticket", "list", "--query", "5678", "--full-phone", "--json"]));
    assert!(full["items"].as_array().unwrap().iter().any(|i| i["phone"] == "13912345678"));

    let shown = json(&wdesk(dir.path(), &["ticket", "show", &no, "--json"]));
    assert_eq!(shown["description"], "卫生间地漏返味");
    assert_eq!(shown["timeline"][0]["action"], "intake");
    assert_eq!(shown["timeline"][0]["actor"], "李静", "written by the first front-desk clerk");
}

#[test]
fn list_filters_by_status_and_accepts_chinese_labels() {
    let dir = demo();
    let all = json(&wdesk(dir.path(), &["ticket", "list", "--limit", "500", "--json"]));
    let reported = all["items"].as_array().unwrap().iter().filter(|i| i["status"] == "Reported").count() as u64;
    let by_label = json(&wdesk(dir.path(), &["ticket", "list", "--status", "已报修", "--json"]));
    let by_code = json(&wdesk(dir.path(), &["ticket", "list", "--status", "Reported", "--json"]));
    assert_eq!(by_label["total"], reported);
    assert_eq!(by_code["total"], reported);
}

#[test]
fn bad_input_is_refused_with_exit_1_and_nothing_written() {
    let dir = demo();
    let cases: &[(&[&str], &str)] = &[
        (&["--unit", "9-9-9999", "--phone", "13912345678", "--desc", "漏水", "--part", "厨房"], "房号「9-9-9999」"),
        (&["--unit", "3-2-1502", "--phone", "12345", "--desc", "漏水", "--part", "厨房"], "联系电话「12345」"),
        (&["--unit", "3-2-1502", "--phone", "13912345678", "--desc", "   ", "--part", "厨房"], "请填写缺陷描述"),
        (&["--unit", "三号楼", "--phone", "13912345678", "--desc", "漏水", "--part", "厨房"], "房号「三号楼」无法识别"),
        (&["--unit", "3-2-1502", "--phone", "13912345678", "--desc", "漏水", "--part", "厨房", "--at", "2999-01-01 10:00"], "晚于现在"),
    ];
    for (args, message) in cases {
        let mut full = vec!["ticket", "new"];
        full.extend_from_slice(args);
        let o = wdesk(dir.path(), &full);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    let list = json(&wdesk(dir.path(), &["ticket", "list", "--json", "--limit", "1"]));
    assert_eq!(list["total"], 200, "a refused intake writes nothing");
}

#[test]
fn usage_errors_exit_2() {
    let dir = demo();
    let o = wdesk(dir.path(), &["ticket", "list", "--status", "很急"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("未知的状态"));
    assert_eq!(wdesk(dir.path(), &["no-such-command"]).status.code(), Some(2));
}

#[test]
fn check_passes_on_a_sound_database_and_refuses_junk() {
    let dir = demo();
    let r = json(&wdesk(dir.path(), &["check", "--json"]));
    assert_eq!(r["ok"], true);

    let junk = tempfile::tempdir().unwrap();
    std::fs::write(junk.path().join("warranty-desk.sqlite"), b"this is not a database, it is a shopping list").unwrap();
    let o = wdesk(junk.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("不是本系统的数据库"));
    let kept = std::fs::read(junk.path().join("warranty-desk.sqlite")).unwrap();
    assert!(kept.starts_with(b"this is not"), "the junk file is left as it was");
}

#[test]
fn bench_reports_figures_in_the_contract_shape() {
    let dir = tempfile::tempdir().unwrap();
    let bench_dir = dir.path().join("bench");
    let o = Command::new(env!("CARGO_BIN_EXE_wdesk"))
        .args(["bench", "--tickets", "3000", "--runs", "20", "--ledger-rows", "2000", "--json", "--dir"])
        .arg(&bench_dir)
        .output()
        .unwrap();
    let figures = json(&o);
    for name in [
        "list_by_status_steward_deep_page",
        "list_by_status_steward_deep_page_bare_sql",
        "search_phone_suffix",
        "search_text_2char",
        "search_text_absent_2char",
        "record_ticket_sync_full",
    ] {
        let f = &figures[name];
        assert!(f["median_ms"].as_f64().unwrap() >= 0.0, "{name}");
        assert!(f["p95_ms"].as_f64().unwrap() >= f["median_ms"].as_f64().unwrap(), "{name}");
        assert!(f["n"].as_u64().unwrap() > 0, "{name}");
        assert_eq!(f["check"], "passed", "{name}");
    }
    // Lists and searches carry their ratio to the bare-SQL baseline.
    assert!(figures["search_phone_suffix"]["ratio"].as_f64().unwrap() > 0.0);
    assert!(figures["list_by_status_steward_deep_page_bare_sql"].get("ratio").is_none());
    assert!(figures["cold_start_today"]["n"].as_u64().unwrap() == 5);
    // F03, the ledger and the reconciliation are measured again each in a process of its own:
    // their peak memory is then theirs alone, not what earlier parts left behind.
    for name in ["report_alone_peak_rss_mb", "ledger_peak_rss_mb"] {
        assert!(figures[name]["median_ms"].as_f64().unwrap() > 1.0, "{name}: {}", figures[name]);
        assert_eq!(figures[name]["check"], "passed", "{name}");
    }
    assert!(figures.as_object().unwrap().keys().any(|k| k.starts_with("reconcile_") && k.ends_with("_peak_rss_mb")), "the reconciliation's own peak");
}

#[test]
fn print_f02_and_f01_give_pdfs_whose_text_holds_every_field() {
    let dir = demo();
    let visited = json(&wdesk(dir.path(), &["ticket", "list", "--status", "已回访", "--limit", "1", "--json"]));
    let no = visited["items"][0]["no"].as_str().unwrap().to_string();
    let shown = json(&wdesk(dir.path(), &["ticket", "show", &no, "--json"]));
    let out = dir.path().join("调度单 F02.pdf");
    let o = wdesk(dir.path(), &["print", "f02", &no, "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.len() <= 60 * 1024, "F02 is {} bytes: the font must be subset", bytes.len());
    let text = Command::new("pdftotext").arg(&out).arg("-").output().expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    let text = String::from_utf8_lossy(&text.stdout).replace(['\n', ' '], "");
    let dispatch = shown["dispatches"].as_array().unwrap().last().unwrap();
    for needle in [
        "零星维修工程现场调度通知单",
        "BJ-WX-C01-F02",
        &no,
        dispatch["no"].as_str().unwrap(),
        dispatch["contractor"].as_str().unwrap(),
        shown["owner"].as_str().unwrap(),
        shown["part"].as_str().unwrap(),
        shown["description"].as_str().unwrap(),
    ] {
        assert!(text.contains(&needle.replace(' ', "")), "F02 text lacks «{needle}»");
    }
    let phone = shown["phone"].as_str().unwrap();
    assert!(!text.contains(phone) && text.contains(&format!("{}****{}", &phone[..3], &phone[7..])), "the phone is masked on paper");

    let f01 = dir.path().join("f01.pdf");
    assert!(wdesk(dir.path(), &["print", "f01", &no, "--out", f01.to_str().unwrap()]).status.success());
    let text = Command::new("pdftotext").arg(&f01).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).replace(['\n', ' '], "");
    assert!(text.contains("业主报修情况记录表") && text.contains(&no));

    let none = wdesk(dir.path(), &["print", "f02", "BX-2099-000001", "--out", "/tmp/x.pdf"]);
    assert_eq!(none.status.code(), Some(1));
}

#[test]
fn today_and_the_overdue_filter_agree_and_mask_phones() {
    let dir = demo();
    // A report made three days ago and never answered is overdue whatever the hour is now.
    let at = desk_domain::time::fmt_local(chrono::Utc::now() - chrono::Duration::days(3));
    let created = json(&wdesk(
        dir.path(),
        &["ticket", "new", "--unit", "3-2-1502", "--phone", "13912345678", "--desc", "阳台推拉门卡住", "--part", "阳台", "--at", &at, "--json"],
    ));
    let no = created["no"].as_str().unwrap().to_string();
    let today = json(&wdesk(dir.path(), &["today", "--json"]));
    let item = today["items"].as_array().unwrap().iter().find(|i| i["ticket"]["no"] == no.as_str()).expect("on today's list");
    assert_eq!(item["ticket"]["phone"], "139****5678");
    let contact = item["duties"].as_array().unwrap().iter().find(|d| d["kind"] == "Contact").expect("contact duty");
    assert!(contact["late_by_minutes"].as_i64().unwrap() > 0);
    assert_eq!(contact["section"], "§5.1.1");

    let overdue = json(&wdesk(dir.path(), &["ticket", "list", "--due", "overdue", "--limit", "500", "--json"]));
    assert!(overdue["items"].as_array().unwrap().iter().any(|i| i["no"] == no.as_str()));
    assert_eq!(overdue["total"].as_i64(), today["counters"]["overdue"].as_i64(), "the filter and the counter count the same tickets");
    let o = wdesk(dir.path(), &["ticket", "list", "--due", "yesterday"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn report_daily_writes_the_f03_as_pdf_xlsx_or_eml_and_refuses_other_files() {
    let dir = demo();
    let today = desk_domain::time::local_date(chrono::Utc::now()).to_string();
    let pdf = dir.path().join("日报.pdf");
    let o = wdesk(dir.path(), &["report", "daily", "--date", &today, "--out", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).replace(['\n', ' '], "");
    for needle in ["保修中心工作日报", "BJ-WX-C01-F03", &today, "一、报修情况", "七、在办报修单进展", "第1页/共"] {
        assert!(text.contains(needle), "the F03 lacks «{needle}»");
    }
    assert!(dir.path().join(format!("reports/F03-{today}.pdf")).exists(), "a copy is kept under reports/");

    let eml = dir.path().join("日报.eml");
    let r = json(&wdesk(dir.path(), &["report", "daily", "--date", &today, "--out", eml.to_str().unwrap(), "--json"]));
    assert_eq!(r["format"], "eml");
    let raw = std::fs::read_to_string(&eml).unwrap();
    assert!(raw.contains("X-Unsent: 1\r\n") && raw.contains("Content-Type: application/pdf;") && raw.contains("spreadsheetml.sheet;"));
    let xlsx = dir.path().join("日报.xlsx");
    assert!(wdesk(dir.path(), &["report", "daily", "--date", &today, "--out", xlsx.to_str().unwrap()]).status.success());
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

    let bad_date = wdesk(dir.path(), &["report", "daily", "--date", "2026-02-30", "--out", pdf.to_str().unwrap()]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("2026-02-30"));
    let txt = dir.path().join("日报.txt");
    let refused = wdesk(dir.path(), &["report", "daily", "--date", &today, "--out", txt.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains(".pdf、.xlsx 或 .eml"));
    assert!(!txt.exists(), "nothing written");
    let tomorrow = (desk_domain::time::local_date(chrono::Utc::now()) + chrono::Duration::days(1)).to_string();
    let future = wdesk(dir.path(), &["report", "daily", "--date", &tomorrow, "--out", pdf.to_str().unwrap()]);
    assert_eq!(future.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&future.stderr).contains("晚于今天"));
}

#[test]
fn two_wdesk_processes_writing_at_once_both_land_or_say_the_database_is_busy() {
    // One database, one writer at a time: the second process waits its turn (busy timeout,
    // write lock taken at BEGIN) instead of failing half-way; nothing is lost either way.
    let dir = demo();
    let spawn = |i: usize| {
        Command::new(env!("CARGO_BIN_EXE_wdesk"))
            .arg("--data")
            .arg(dir.path())
            .args(["ticket", "new", "--unit", "1-1-101", "--phone", &format!("1390013{i:04}"), "--desc", &format!("并发写入{i}号"), "--part", "窗户", "--json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let children: Vec<_> = (0..8).map(spawn).collect();
    let mut landed = 0;
    for c in children {
        let o = c.wait_with_output().unwrap();
        if o.status.success() {
            landed += 1;
        } else {
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains("正在被另一程序使用"), "a concurrent write failed without saying why: {err}");
        }
    }
    assert_eq!(landed, 8, "eight short writes fit in the 5-second wait");
    let list = json(&wdesk(dir.path(), &["ticket", "list", "--query", "并发写入", "--json"]));
    assert_eq!(list["total"], landed);
    assert!(wdesk(dir.path(), &["check"]).status.success());
}

#[test]
fn calendar_import_reads_the_notice_and_names_a_bad_line() {
    let dir = demo();
    let notice = dir.path().join("2027年节假日安排.txt");
    std::fs::write(&notice, "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：2月6日（周六）至12日（周五）放假调休，共7天。2月14日（周日）上班。\n").unwrap();
    let dry = json(&wdesk(dir.path(), &["calendar", "import", notice.to_str().unwrap(), "--year", "2027", "--dry-run", "--json"]));
    assert_eq!(dry["written"], false);
    assert_eq!(dry["notice"]["breaks"][1]["name"], "春节");
    assert_eq!(dry["notice"]["makeup_workdays"][0], "2027-02-14");
    let done = json(&wdesk(dir.path(), &["calendar", "import", notice.to_str().unwrap(), "--year", "2027", "--json"]));
    assert_eq!(done["written"], true);

    std::fs::write(&notice, "二、春节：2月6日至12日放假。\n三、清明节：4月31日放假。\n").unwrap();
    let bad = wdesk(dir.path(), &["calendar", "import", notice.to_str().unwrap(), "--year", "2027"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("第 2 行") && err.contains("日期不存在"), "{err}");
}
