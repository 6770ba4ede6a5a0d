//! `wdesk bench`: the speed targets of the desk, measured on a generated database of N tickets
//! (default 1,000,000). Each query runs through the Desk API and, for comparison, as bare SQL
//! through rusqlite, so the overhead of our layers shows as a ratio.

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::intake::{DefectInput, ReportInput};
use crate::tickets::{TicketFilter, UI_COUNT_CAP};
use chrono::{Duration, Utc};
use desk_domain::records::ContractorKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, TicketStatus};
use desk_domain::unit::UnitAddress;
use desk_store::{master, tickets};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub n: usize,
}

const WORDS: &[&str] = &["渗水", "渗漏", "裂缝", "空鼓", "脱落", "堵塞", "不通电", "漏水", "松动", "卡滞", "起砂", "返水", "潮湿", "发霉", "异响", "变形", "锈蚀", "破损"];
const PARTS: &[&str] = desk_domain::ticket::PART_SUGGESTIONS;
const NAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: &[&str] = &["芳", "伟", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"];

fn figure(mut samples: Vec<f64>) -> Figure {
    samples.sort_by(|a, b| a.total_cmp(b));
    let n = samples.len();
    let at = |q: f64| samples[((n as f64 - 1.0) * q).round() as usize];
    Figure { median_ms: at(0.5), p95_ms: at(0.95), n }
}

fn time_ms<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed().as_secs_f64() * 1000.0, out)
}

/// Builds the bench database in `dir` (a new folder) with `n` tickets, then measures.
pub fn run(dir: &Path, n: usize, progress: &mut dyn FnMut(&str)) -> DeskResult<BTreeMap<String, Figure>> {
    if dir.join(crate::desk::DB_FILE).exists() {
        return Err(DeskError::invalid("dir", format!("「{}」中已有数据库，基准测试需要一个空文件夹", dir.display())));
    }
    let mut desk = Desk::open(dir)?;
    let mut rng = StdRng::seed_from_u64(7);
    let (stewards, units) = seed_master(&mut desk)?;
    progress(&format!("生成 {n} 张报修单…"));
    fill(&mut desk, &mut rng, n, &stewards, &units, progress)?;
    progress("测量中…");
    let mut out = BTreeMap::new();
    measure_lists(&desk, &mut rng, &stewards, n, &mut out)?;
    measure_searches(&desk, &mut rng, &mut out)?;
    measure_today(&mut desk, &mut out)?;
    measure_stats(&mut desk, &mut out)?;
    let no = measure_record(&mut desk, &mut rng, &units, &mut out)?;
    measure_print(&mut desk, &no, &mut out)?;
    measure_report(&mut desk, &mut rng, &units, &mut out)?;
    // The A3 import and the finance export at 100,000 rows, on a desk of their own.
    crate::fund::bench::run(&dir.join("ledger"), 100_000, &mut out, progress)?;
    // The B4 reconciliation: 100,000 entries against a 100,000-row department file.
    crate::fund::reconcile_bench::run(&dir.join("reconcile"), 100_000, &mut out, progress)?;
    Ok(out)
}

fn seed_master(desk: &mut Desk) -> DeskResult<(Vec<i64>, Vec<(i64, UnitAddress)>)> {
    let hash = crate::auth::hash_pin("1234")?;
    desk.store.with_tx(|tx| -> DeskResult<_> {
        let now = Utc::now().timestamp();
        let p = master::insert_project(tx, "基准项目", "BENCH", "", now)?;
        let b = master::insert_batch(tx, p, "一期", None, None)?;
        desk_store::staff::insert(tx, "前台", Role::FrontDesk, &hash, "")?;
        let stewards = (0..20).map(|i| desk_store::staff::insert(tx, &format!("管家{i}"), Role::Steward, &hash, "")).collect::<Result<Vec<_>, _>>()?;
        master::insert_contractor(tx, "基准施工单位", ContractorKind::Builder, "", "", "")?;
        let mut units = Vec::new();
        for bld in 1..=20 {
            for e in 1..=4 {
                for room in 1..=50 {
                    let a = UnitAddress { building: bld.to_string(), entrance: e.to_string(), room: format!("{}{:02}", room / 2 + 1, room % 2 + 1) };
                    if master::find_unit(tx, p, &a)?.is_none() {
                        let id = master::insert_unit(tx, p, b, &a, None)?;
                        master::insert_owner(tx, id, "业主", &[], "")?;
                        units.push((id, a));
                    }
                }
            }
        }
        Ok((stewards, units))
    })
}

/// Bulk-fills tickets through the same store insert the desk uses (FTS included), 20k per transaction.
fn fill(desk: &mut Desk, rng: &mut StdRng, n: usize, stewards: &[i64], units: &[(i64, UnitAddress)], progress: &mut dyn FnMut(&str)) -> DeskResult<()> {
    let start = Utc::now() - Duration::days(3 * 365);
    let mut done = 0;
    while done < n {
        let chunk = (n - done).min(20_000);
        desk.store.with_tx(|tx| -> DeskResult<()> {
            let report = tickets::insert_report(tx, &tickets::NewReport { channel: Channel::Phone, reported_at: start.timestamp(), caller_name: "", caller_phone: "", caller_relation: "", receptionist_id: 1 })?;
            for i in done..done + chunk {
                let (unit_id, a) = &units[rng.gen_range(0..units.len())];
                let phone = format!("1{}{:09}", rng.gen_range(3..10), rng.gen_range(0..1_000_000_000u64));
                let owner = format!("{}{}", NAMES[rng.gen_range(0..NAMES.len())], GIVEN[rng.gen_range(0..GIVEN.len())]);
                let desc = format!("{}{}，{}", PARTS[rng.gen_range(0..PARTS.len())], WORDS[rng.gen_range(0..WORDS.len())], WORDS[rng.gen_range(0..WORDS.len())]);
                // Years of history are finished work; only the newest OPEN_TAIL tickets are still
                // somewhere in the procedure (a centre has a few thousand open at most).
                let status = if i + OPEN_TAIL >= n {
                    TicketStatus::ALL[rng.gen_range(0..TicketStatus::ALL.len())]
                } else {
                    [TicketStatus::Visited, TicketStatus::Visited, TicketStatus::Visited, TicketStatus::Cancelled, TicketStatus::OutOfScope][rng.gen_range(0..5)]
                };
                let at = start.timestamp() + (i as i64) * 90;
                tickets::insert(tx, &tickets::NewTicket {
                    no: &format!("BX-B-{i:08}"), report_id: report, project_id: 1, unit_id: *unit_id, building: &a.building,
                    unit_address: &a.to_string(), owner_id: None, owner_name: &owner, phone: &phone, phone_suffix: &phone[7..],
                    channel: Channel::Phone, description: &desc, part: PARTS[rng.gen_range(0..PARTS.len())],
                    category: Category::ALL[rng.gen_range(0..Category::ALL.len())], nature: desk_domain::ticket::DefectNature::HouseQuality,
                    classification: None, status, reported_at: at, required_by: None, expected_visit: "", receptionist_id: 1,
                    steward_id: Some(stewards[rng.gen_range(0..stewards.len())]), linked_to: None, now: at,
                })?;
            }
            Ok(())
        })?;
        done += chunk;
        if done % 100_000 == 0 || done == n {
            progress(&format!("已生成 {done} / {n}"));
        }
    }
    Ok(())
}

const RUNS: usize = 200;

/// 统计分析 over the last year (about a third of the tickets): the statistics page's one call.
fn measure_stats(desk: &mut Desk, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    let to = local_today(desk).succ_opt().unwrap_or_else(|| local_today(desk));
    let from = to.checked_sub_signed(Duration::days(365)).unwrap_or(to);
    let mut runs = Vec::new();
    for _ in 0..5 {
        let (ms, r) = time_ms(|| desk.statistics(from, to));
        r?;
        runs.push(ms);
    }
    out.insert("stats_year_1m".into(), figure(runs));
    Ok(())
}

fn local_today(desk: &Desk) -> chrono::NaiveDate {
    desk_domain::time::local_date(desk.now())
}

/// How many of the newest bench tickets are left open (any status); the rest are finished.
pub const OPEN_TAIL: usize = 5_000;

/// 今日待办 and the navigation counters: computed from the events of every open ticket.
fn measure_today(desk: &mut Desk, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    let mut list = Vec::new();
    let mut counters = Vec::new();
    for _ in 0..30 {
        list.push(time_ms(|| desk.today()).0);
        counters.push(time_ms(|| desk.today_counters()).0);
    }
    out.insert("today_list".into(), figure(list));
    out.insert("today_counters".into(), figure(counters));
    Ok(())
}

fn measure_lists(desk: &Desk, rng: &mut StdRng, stewards: &[i64], n: usize, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    let c = desk.store.conn();
    let pick = |rng: &mut StdRng| (TicketStatus::ALL[rng.gen_range(0..TicketStatus::ALL.len())], stewards[rng.gen_range(0..stewards.len())]);
    let (mut first, mut deep, mut deep_bare, mut newest) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (status, steward) = pick(rng);
        let f = TicketFilter { status: Some(status), steward_id: Some(steward), ..Default::default() };
        first.push(time_ms(|| desk.list_tickets(&f, UI_COUNT_CAP)).0);
        // A deep page: the cursor sits 90 % of the way back through all tickets.
        let cursor = (n as f64 * rng.gen_range(0.05..0.15)) as i64;
        let f = TicketFilter { before_id: Some(cursor), ..f };
        let (ms, page) = time_ms(|| desk.list_tickets(&f, UI_COUNT_CAP));
        page?;
        deep.push(ms);
        let sql = "SELECT t.id, t.no, t.owner_name, t.phone, t.status, t.reported_at FROM ticket t
                   WHERE t.status = ?1 AND t.steward_id = ?2 AND t.id < ?3 ORDER BY t.id DESC LIMIT 50";
        deep_bare.push(time_ms(|| bare(c, sql, rusqlite::params![status.code(), steward, cursor])).0);
        newest.push(time_ms(|| desk.list_tickets(&TicketFilter::default(), UI_COUNT_CAP)).0);
    }
    out.insert("list_by_status_steward_first_page".into(), figure(first));
    out.insert("list_by_status_steward_deep_page".into(), figure(deep));
    out.insert("list_by_status_steward_deep_page_bare_sql".into(), figure(deep_bare));
    out.insert("list_newest_first_page".into(), figure(newest));
    Ok(())
}

/// The same query as bare SQL through rusqlite: the baseline our layers are compared with.
fn bare(c: &rusqlite::Connection, sql: &str, p: impl rusqlite::Params) -> usize {
    let Ok(mut stmt) = c.prepare_cached(sql) else { return 0 };
    stmt.query_map(p, |r| r.get::<_, i64>(0)).map(|rows| rows.count()).unwrap_or(0)
}

fn measure_searches(desk: &Desk, rng: &mut StdRng, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    let c = desk.store.conn();
    let suffixes: Vec<String> = (0..RUNS).map(|_| format!("{:04}", rng.gen_range(0..10_000))).collect();
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("search_phone_suffix", suffixes.clone()),
        ("search_unit", (0..RUNS).map(|_| format!("{}-{}-{}{:02}", rng.gen_range(1..=20), rng.gen_range(1..=4), rng.gen_range(1..=25), rng.gen_range(1..=2))).collect()),
        ("search_text_2char", (0..RUNS).map(|i| ["渗漏", "裂缝", "空鼓", "堵塞", "王芳", "门窗"][i % 6].to_string()).collect()),
        ("search_text_3char", (0..RUNS).map(|i| ["卫生间", "不通电", "给排水", "暖气片"][i % 4].to_string()).collect()),
        ("search_text_absent_2char", (0..RUNS).map(|i| ["鹦鹉", "琵琶", "麒麟", "骆驼"][i % 4].to_string()).collect()),
        ("search_text_absent_long", (0..RUNS).map(|i| ["量子纠缠实验", "火星探测任务"][i % 2].to_string()).collect()),
    ];
    for (name, queries) in cases {
        let samples: Vec<f64> = queries
            .iter()
            .map(|q| time_ms(|| desk.list_tickets(&TicketFilter { query: Some(q.clone()), ..Default::default() }, UI_COUNT_CAP)).0)
            .collect();
        out.insert(name.into(), figure(samples));
    }
    let bare_suffix: Vec<f64> = suffixes
        .iter()
        .map(|s| time_ms(|| bare(c, "SELECT id FROM ticket WHERE phone_suffix = ?1 ORDER BY id DESC LIMIT 50", [s])).0)
        .collect();
    out.insert("search_phone_suffix_bare_sql".into(), figure(bare_suffix));
    let bare_text: Vec<f64> = (0..RUNS)
        .map(|i| {
            let m = desk_domain::search::fts_match(["渗漏", "裂缝", "空鼓", "堵塞", "王芳", "门窗"][i % 6]).unwrap_or_default();
            time_ms(|| bare(c, "SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?1 ORDER BY rowid DESC LIMIT 50", [m])).0
        })
        .collect();
    out.insert("search_text_2char_bare_sql".into(), figure(bare_text));
    Ok(())
}

fn measure_record(desk: &mut Desk, rng: &mut StdRng, units: &[(i64, UnitAddress)], out: &mut BTreeMap<String, Figure>) -> DeskResult<String> {
    let me: Session = desk.session_for(Some("前台"))?;
    let mut samples = Vec::new();
    let mut last = String::new();
    for _ in 0..50 {
        let (_, a) = &units[rng.gen_range(0..units.len())];
        let input = ReportInput {
            channel: Channel::Phone, reported_at: None, unit: a.to_string(), owner_id: None, owner_name: "业主".into(),
            phone: format!("139{:08}", rng.gen_range(0..100_000_000u32)), caller_name: String::new(), caller_relation: String::new(),
            defects: vec![DefectInput { description: "卫生间地面渗水".into(), part: "卫生间".into(), category: Category::Leak, nature: None, classification: None, steward_id: None, required_by: None, expected_visit: String::new(), link_to: None, photos: Vec::new() }],
        };
        let (ms, r) = time_ms(|| desk.record_report(&me, input));
        last = r?.remove(0).no;
        samples.push(ms);
    }
    out.insert("record_ticket_sync_full".into(), figure(samples));
    Ok(last)
}

/// F02 generation, warm (the font is parsed by the first print): target ≤ 30 ms and ≤ 60 KB.
fn measure_print(desk: &mut Desk, no: &str, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    let me: Session = desk.session_for(Some("前台"))?;
    let contractor = desk.contractors()?.first().map(|c| c.id);
    let appointment = desk_domain::time::fmt_local(desk.now() + Duration::days(1));
    // The procedure's steps before a slip (§5.1.2, §6.1); the owner agreed the time on the phone.
    desk.classify_ticket(&me, no, desk_domain::ticket::Classification::General)?;
    let steward = desk.staff()?.into_iter().find(|m| m.active && m.role.can_own_tickets()).map(|m| m.id);
    let steward = steward.ok_or_else(|| DeskError::invalid("steward_id", "没有在岗的保修管家或保修主任"))?;
    desk.assign_steward(&me, no, steward)?;
    desk.issue_dispatch(&me, no, crate::repair::DispatchInput {
        contractor_id: contractor, appointment_at: appointment, plan: "按规范维修".into(), materials: String::new(), site_contact: String::new(),
        no_contact_reason: "业主来电时已约定上门时间".into(),
    })?;
    desk.print_f02(None, no, None, crate::print::PrintLayout::A5, false)?;
    let mut samples = Vec::new();
    let mut bytes = 0;
    for _ in 0..30 {
        let (ms, r) = time_ms(|| desk.print_f02(None, no, None, crate::print::PrintLayout::A5, false));
        bytes = r?.bytes;
        samples.push(ms);
    }
    out.insert("print_f02_warm".into(), figure(samples));
    out.insert("print_f02_size_kb".into(), Figure { median_ms: f64::from(bytes) / 1024.0, p95_ms: f64::from(bytes) / 1024.0, n: 1 });
    Ok(())
}

/// The daily report F03 of a day with ~500 events — 200 tickets reported, 100 accepted, 100
/// completion notices, 80 return visits (20 raising out-of-scope matters), 20 escalations — on
/// top of the bench's open tickets, exported in full: data, PDF, workbook and the e-mail draft
/// carrying both. Target ≤ 1 s (release build).
fn measure_report(desk: &mut Desk, rng: &mut StdRng, units: &[(i64, UnitAddress)], out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    use desk_domain::repair::{AcceptanceKind, FollowUpKind, Satisfaction};
    use desk_store::repair::{insert_acceptance, insert_followup, NewAcceptance, NewFollowUp};
    let now = desk.now();
    let day = desk_domain::time::local_date(now);
    let start = desk_domain::time::local_day_start(day).timestamp();
    let span = (now.timestamp() - start).max(60);
    desk.store.with_tx(|tx| -> DeskResult<()> {
        let report = tickets::insert_report(tx, &tickets::NewReport { channel: Channel::Phone, reported_at: start, caller_name: "", caller_phone: "", caller_relation: "", receptionist_id: 1 })?;
        for i in 0..200usize {
            let (unit_id, a) = &units[rng.gen_range(0..units.len())];
            let at = start + rng.gen_range(0..span);
            let phone = format!("139{:08}", rng.gen_range(0..100_000_000u32));
            let status = match i { 0..80 => TicketStatus::Visited, 80..100 => TicketStatus::Closed, _ => TicketStatus::Reported };
            let desc = format!("{}{}，{}", PARTS[rng.gen_range(0..PARTS.len())], WORDS[rng.gen_range(0..WORDS.len())], WORDS[rng.gen_range(0..WORDS.len())]);
            let id = tickets::insert(tx, &tickets::NewTicket {
                no: &format!("BX-R-{i:06}"), report_id: report, project_id: 1, unit_id: *unit_id, building: &a.building,
                unit_address: &a.to_string(), owner_id: None, owner_name: "业主", phone: &phone, phone_suffix: &phone[7..],
                channel: Channel::Phone, description: &desc, part: PARTS[rng.gen_range(0..PARTS.len())], category: Category::Leak,
                nature: desk_domain::ticket::DefectNature::HouseQuality, classification: None, status, reported_at: at, required_by: None,
                expected_visit: "", receptionist_id: 1, steward_id: None, linked_to: None, now: at,
            })?;
            if i < 100 {
                let follow = |kind, at: i64, out_of_scope: &'static str| NewFollowUp {
                    ticket_id: id, kind, at, actor_id: 1, ok: true, note: "已告知业主", next_due_at: None,
                    satisfaction: (kind == FollowUpKind::ReturnVisit).then_some(Satisfaction::Satisfied), new_phone: "", out_of_scope,
                };
                insert_acceptance(tx, &NewAcceptance { ticket_id: id, dispatch_id: None, kind: AcceptanceKind::OwnerOnScreen, at, actor_id: 1, owner_opinion: "满意", file: "", director_id: None, cs_assistant_id: None, notice_note: "" })?;
                insert_followup(tx, &follow(FollowUpKind::CompletionNotice, at, ""))?;
                if i < 80 {
                    insert_followup(tx, &follow(FollowUpKind::ReturnVisit, at, if i < 20 { "小区路灯不亮" } else { "" }))?;
                }
            }
            if i % 10 == 0 {
                desk_store::clocks::raise(tx, &desk_store::clocks::NewEscalation {
                    kind: "Complaint", key: &format!("Complaint:bench:{i}"), ticket_id: Some(id), unit_id: None, batch_id: None,
                    detail: "业主强烈投诉", raised_at: at, raised_by: None,
                })?;
            }
        }
        Ok(())
    })?;
    let file = desk.data_dir.join("F03-bench.eml");
    desk.export_daily_report(day, &file)?; // warm: the font is parsed, overdue tickets escalated
    let mut samples = Vec::new();
    for _ in 0..5 {
        let (ms, r) = time_ms(|| desk.export_daily_report(day, &file));
        r?;
        samples.push(ms);
    }
    out.insert("report_daily_500_events".into(), figure(samples));
    Ok(())
}
