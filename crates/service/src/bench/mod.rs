//! `wdesk bench`: the speed targets of the desk, measured on a generated database of N tickets
//! (default 1,000,000) with realistic histories ([`history`]). Each list and search runs through
//! the Desk API and as bare SQL doing the same work (`desk_store::bench_bare`); their rows are
//! compared and the ratio desk / bare reported. Every timed call must succeed and its result is
//! checked: a failed check fails the bench with a message naming the figure.

pub mod history;
pub mod memory;

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::intake::{DefectInput, ReportInput};
use crate::tickets::{TicketFilter, TicketPage, UI_COUNT_CAP};
use chrono::Duration;
use desk_domain::ticket::{Category, Channel, TicketStatus};
use desk_store::bench_bare::{self as bare, Filter};
use desk_store::tickets;
use history::World;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// One measured figure. `ratio` is median desk / median bare SQL where a baseline exists;
/// `check` says the results were verified (a failed check never produces a figure).
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub n: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    pub check: &'static str,
}

impl Figure {
    pub fn new(median_ms: f64, p95_ms: f64, n: usize) -> Figure {
        Figure { median_ms, p95_ms, n, ratio: None, check: "passed" }
    }
}

/// What to run: the size, how many times each query, and whether the deposit-fund parts run.
#[derive(Debug, Clone)]
pub struct Options {
    pub tickets: usize,
    pub runs: usize,
    /// Rows of the ledger and reconciliation parts (`None`: skipped).
    pub ledger_rows: Option<usize>,
}

impl Options {
    pub fn full(tickets: usize) -> Options {
        Options { tickets, runs: 200, ledger_rows: Some(100_000) }
    }
}

fn figure(mut samples: Vec<f64>) -> Figure {
    samples.sort_by(|a, b| a.total_cmp(b));
    let n = samples.len();
    let at = |q: f64| samples.get(((n as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
    Figure::new(at(0.5), at(0.95), n)
}

fn time_ms<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed().as_secs_f64() * 1000.0, out)
}

/// A check of a figure's result; the error names the figure.
fn check(name: &str, ok: bool, what: impl FnOnce() -> String) -> DeskResult<()> {
    if ok {
        Ok(())
    } else {
        Err(DeskError::storage(format!("基准测试「{name}」结果核对失败：{}", what())))
    }
}

/// Builds the bench database in `dir` (a new folder) with `n` tickets, then measures.
pub fn run(dir: &Path, n: usize, progress: &mut dyn FnMut(&str)) -> DeskResult<BTreeMap<String, Figure>> {
    run_with(dir, &Options::full(n), progress)
}

pub fn run_with(dir: &Path, o: &Options, progress: &mut dyn FnMut(&str)) -> DeskResult<BTreeMap<String, Figure>> {
    if dir.join(crate::desk::DB_FILE).exists() {
        return Err(DeskError::invalid("dir", format!("「{}」中已有数据库，基准测试需要一个空文件夹", dir.display())));
    }
    let mut out = BTreeMap::new();
    let mut desk = Desk::open(dir)?;
    let mut rng = StdRng::seed_from_u64(7);
    let n = o.tickets;
    progress(&format!("生成 {n} 张报修单及其全部过程记录…"));
    memory::reset_peak();
    let (fill_ms, world) = time_ms(|| -> DeskResult<World> {
        let mut world = history::seed(&mut desk, &mut rng, n)?;
        history::tickets(&mut desk, &mut rng, &mut world, n, progress)?;
        Ok(world)
    });
    let world = world?;
    out.insert("fill_ms".into(), Figure::new(fill_ms, fill_ms, 1));
    memory::record(&mut out, "fill");
    progress(&format!("已生成：{} 个项目，{} 户，{} 张报修单（{} 张未完成）；测量中…", world.projects, world.units.len(), n, world.open));
    memory::reset_peak();
    measure_lists(&desk, &mut rng, &world, o, &mut out)?;
    memory::record(&mut out, "lists");
    memory::reset_peak();
    measure_searches(&desk, &mut rng, &world, o, &mut out)?;
    memory::record(&mut out, "searches");
    memory::reset_peak();
    measure_today(&mut desk, o, &mut out)?;
    memory::record(&mut out, "today");
    memory::reset_peak();
    measure_stats(&mut desk, &mut out)?;
    memory::record(&mut out, "stats");
    memory::reset_peak();
    let no = measure_record(&mut desk, &mut rng, &world, &mut out)?;
    measure_print(&mut desk, &no, &mut out)?;
    memory::record(&mut out, "record");
    memory::reset_peak();
    measure_report(&mut desk, &mut rng, &world, &mut out)?;
    memory::record(&mut out, "report");
    memory::reset_peak();
    measure_backup(&desk, dir, &mut out)?;
    memory::record(&mut out, "backup");
    drop(desk);
    if let Some(rows) = o.ledger_rows {
        // The A3 import and the finance export, on a desk of their own.
        memory::reset_peak();
        crate::fund::bench::run(&dir.join("ledger"), rows, &mut out, progress)?;
        // The B4 reconciliation: `rows` entries against a department file of as many rows.
        crate::fund::reconcile_bench::run(&dir.join("reconcile"), rows, &mut out, progress)?;
    }
    with_ratios(&mut out);
    Ok(out)
}

/// F03 alone, on a bench desk a full run kept (`wdesk bench --only report --dir DIR`): today's
/// daily report exported in full once, in a process that did nothing before it, so its
/// `report_alone_peak_rss_mb` is what the report itself needs — in the full run, a part's peak also
/// holds what the earlier parts left in the process's heap.
pub fn report_alone(dir: &Path) -> DeskResult<BTreeMap<String, Figure>> {
    if !dir.join(crate::desk::DB_FILE).exists() {
        return Err(DeskError::invalid("dir", format!("「{}」中没有基准数据库：请先用 --keep 完整运行一次", dir.display())));
    }
    let mut out = BTreeMap::new();
    memory::reset_peak();
    let desk = Desk::open(dir)?;
    let (ms, x) = time_ms(|| desk.export_daily_report(local_today(&desk), &dir.join("F03-alone.eml")));
    let x = x?;
    check("report_alone", x.bytes > 10_000, || format!("日报邮件只有 {} 字节", x.bytes))?;
    out.insert("report_alone_cold".into(), Figure::new(ms, ms, 1));
    memory::record(&mut out, "report_alone");
    Ok(out)
}

/// Sets `ratio` of every figure that has a `<name>_bare_sql` sibling (median over median).
fn with_ratios(out: &mut BTreeMap<String, Figure>) {
    let pairs: Vec<(String, f64)> = out
        .iter()
        .filter_map(|(k, f)| out.get(&format!("{k}_bare_sql")).filter(|b| b.median_ms > 0.0).map(|b| (k.clone(), f.median_ms / b.median_ms)))
        .collect();
    for (k, r) in pairs {
        if let Some(f) = out.get_mut(&k) {
            f.ratio = Some((r * 100.0).round() / 100.0);
        }
    }
}

fn local_today(desk: &Desk) -> chrono::NaiveDate {
    desk_domain::time::local_date(desk.now())
}

/// The page's ids and its count, as the bare baseline reports them.
fn page_of(p: &TicketPage) -> bare::Page {
    bare::Page { ids: p.items.iter().map(|t| t.id).collect(), total: (p.total >= 0).then_some(p.total) }
}

/// Runs one list or search through the desk and as bare SQL, alternating, and checks that both
/// return the same page and count; returns (desk samples, bare samples).
fn paired(desk: &Desk, name: &str, cases: &[(TicketFilter, Filter)]) -> DeskResult<(Vec<f64>, Vec<f64>)> {
    let reader = desk.store.reader()?;
    let c = &reader.db();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut hits = 0;
    for (f, b) in cases {
        let (ms, page) = time_ms(|| desk.list_tickets(f, UI_COUNT_CAP));
        let page = page?;
        ours.push(ms);
        let (ms, expected) = time_ms(|| bare::page(c, b, f.before_id, 50, UI_COUNT_CAP));
        let expected = expected?;
        theirs.push(ms);
        let got = page_of(&page);
        check(name, got == expected, || {
            format!(
                "桌面返回 {} 行（计数 {:?}，首行 {:?}），裸 SQL 返回 {} 行（计数 {:?}，首行 {:?}）",
                got.ids.len(),
                got.total,
                got.ids.first(),
                expected.ids.len(),
                expected.total,
                expected.ids.first()
            )
        })?;
        hits += usize::from(!got.ids.is_empty());
    }
    // A bench whose queries find nothing measures nothing (the absent-word cases say so by name).
    check(name, name.contains("absent") || hits * 4 >= cases.len(), || format!("{} 次查询中只有 {hits} 次有结果", cases.len()))?;
    Ok((ours, theirs))
}

fn measure_lists(desk: &Desk, rng: &mut StdRng, w: &World, o: &Options, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    let n = o.tickets;
    // Finished work fills the history; 已关闭 (a visit owed) is only among the newest tickets,
    // so it is asked for on first pages only.
    let statuses = [TicketStatus::Visited, TicketStatus::Visited, TicketStatus::Cancelled, TicketStatus::OutOfScope];
    let (mut first, mut deep) = (Vec::new(), Vec::new());
    for _ in 0..o.runs {
        let status = statuses[rng.gen_range(0..statuses.len())];
        let steward = w.stewards[rng.gen_range(0..w.stewards.len())];
        let f = TicketFilter { status: Some(status), steward_id: Some(steward), ..Default::default() };
        let b = Filter::StatusSteward { status: status.code(), steward_id: steward };
        // A deep page: the cursor sits 85–95 % of the way back through all tickets.
        let cursor = (n as f64 * rng.gen_range(0.05..0.15)) as i64;
        deep.push((TicketFilter { before_id: Some(cursor), ..f.clone() }, Filter::StatusSteward { status: status.code(), steward_id: steward }));
        if first.len() % 5 == 4 {
            let f = TicketFilter { status: Some(TicketStatus::Closed), steward_id: Some(steward), ..Default::default() };
            first.push((f, Filter::StatusSteward { status: TicketStatus::Closed.code(), steward_id: steward }));
        } else {
            first.push((f, b));
        }
    }
    let newest: Vec<(TicketFilter, Filter)> = (0..o.runs).map(|_| (TicketFilter::default(), Filter::Newest)).collect();
    for (name, cases) in [("list_by_status_steward_first_page", first), ("list_by_status_steward_deep_page", deep), ("list_newest_first_page", newest)] {
        let (ours, theirs) = paired(desk, name, &cases)?;
        out.insert(name.into(), figure(ours));
        out.insert(format!("{name}_bare_sql"), figure(theirs));
    }
    Ok(())
}

fn measure_searches(desk: &Desk, rng: &mut StdRng, w: &World, o: &Options, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    let runs = o.runs;
    let pick_unit = |rng: &mut StdRng| &w.units[rng.gen_range(0..w.units.len())];
    // Suffixes of phones that exist (an owner calling back), and addresses of real units.
    let suffixes: Vec<String> = (0..runs)
        .map(|_| {
            let u = pick_unit(rng);
            let p = &u.owners[0].1;
            p[p.len() - 4..].to_string()
        })
        .collect();
    let units: Vec<String> = (0..runs).map(|_| pick_unit(rng).address.clone()).collect();
    let words = |list: &[&str]| -> Vec<String> { (0..runs).map(|i| list[i % list.len()].to_string()).collect() };
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("search_phone_suffix", suffixes),
        ("search_unit", units),
        ("search_text_2char", words(&["渗漏", "裂缝", "空鼓", "堵塞", "王芳", "门窗"])),
        ("search_text_3char", words(&["卫生间", "不通电", "给排水", "暖气片"])),
        ("search_text_absent_2char", words(&["鹦鹉", "琵琶", "麒麟", "骆驼"])),
        ("search_text_absent_long", words(&["量子纠缠实验", "火星探测任务"])),
    ];
    for (name, queries) in cases {
        // The bare query is what the search box's classifier asks for, written by hand.
        let parsed: Vec<(TicketFilter, desk_domain::search::SearchQuery)> =
            queries.iter().map(|q| (TicketFilter { query: Some(q.clone()), ..Default::default() }, desk_domain::search::classify(q))).collect();
        let cases: Vec<(TicketFilter, Filter)> = parsed
            .iter()
            .map(|(f, q)| {
                use desk_domain::search::SearchQuery as Q;
                let b = match q {
                    Q::PhoneSuffix(s) => Filter::PhoneSuffix(s),
                    Q::Unit(a) => Filter::Unit { building: &a.building, entrance: &a.entrance, room: &a.room },
                    Q::Text(m) => Filter::Text(m),
                    _ => Filter::Text(""),
                };
                (f.clone(), b)
            })
            .collect();
        check(name, cases.iter().all(|(_, b)| !matches!(b, Filter::Text(""))), || "搜索框没有把查询识别为预期的类型".into())?;
        let (ours, theirs) = paired(desk, name, &cases)?;
        out.insert(name.into(), figure(ours));
        out.insert(format!("{name}_bare_sql"), figure(theirs));
    }
    Ok(())
}

/// 今日待办 and the navigation counters: computed from the events of every open ticket. The
/// list's tickets are those the counters count as due today, and both agree on the figures.
fn measure_today(desk: &mut Desk, o: &Options, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    // The first read of the day raises the "open > 7 days" escalations (a write): not timed.
    desk.today()?;
    let open = bare::with_duties(&desk.store.reader()?.db())?;
    let mut list = Vec::new();
    let mut counters = Vec::new();
    for _ in 0..o.runs.min(30) {
        let (ms, t) = time_ms(|| desk.today());
        let t = t?;
        list.push(ms);
        let (ms, c) = time_ms(|| desk.today_counters());
        let c = c?;
        counters.push(ms);
        check("today_list", t.items.len() as i64 == c.due_today && c.due_today > 0, || format!("待办 {} 项，计数器今日到期 {}", t.items.len(), c.due_today))?;
        check("today_counters", c.overdue == t.counters.overdue && c.overdue > 0 && c.due_today <= open, || {
            format!("计数器超时 {}，列表超时 {}，今日到期 {}，有待办的报修单 {open}", c.overdue, t.counters.overdue, c.due_today)
        })?;
    }
    out.insert("today_list".into(), figure(list));
    out.insert("today_counters".into(), figure(counters));
    Ok(())
}

/// 统计分析 over the last year (a quarter of the tickets): the statistics page's one call, every
/// on-time rate included. Checked: the total is the bare count, and every rate of a step the
/// history walks through has tickets.
fn measure_stats(desk: &mut Desk, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    let to = local_today(desk).succ_opt().unwrap_or_else(|| local_today(desk));
    let from = to.checked_sub_signed(Duration::days(365)).unwrap_or(to);
    let (a, b) = (desk_domain::time::local_day_start(from).timestamp(), desk_domain::time::local_day_start(to).timestamp());
    let (bare_ms, expected) = time_ms(|| bare::defect_total(&desk.store.reader()?.db(), a, b));
    let expected = expected?;
    // The first look computes every day of the year and the year before and keeps the past
    // ones (stats::days); the looks after it add up the kept days and compute only the recent
    // days that still change. Both are measured: the first once, the later ones as usual.
    desk.forget_statistics_days()?;
    let (first_ms, r) = time_ms(|| desk.statistics(from, to));
    let first = r?;
    check("stats_year_first_look", first.total == expected, || "第一次统计的总数与裸 SQL 不同".into())?;
    out.insert("stats_year_first_look".into(), Figure::new(first_ms, first_ms, 1));
    let mut runs = Vec::new();
    for _ in 0..5 {
        let (ms, r) = time_ms(|| desk.statistics(from, to));
        let st = r?;
        runs.push(ms);
        check("stats_year", st.total == expected && expected > 0, || format!("统计总数 {}，裸 SQL {expected}", st.total))?;
        // Added up from the kept days, the year reads as the first look computed it (the
        // on-time rates may only have moved from pending to late as the clock ran).
        let same =
            st.by_category == first.by_category && st.by_part == first.by_part && st.scorecard == first.scorecard && st.by_staff.len() == first.by_staff.len();
        check("stats_year", same, || "用保存的各日数据合计的统计与第一次统计不同".into())?;
        // The rates of the steps the bench's history walks through (it writes no promised
        // completion time, no failed notice and no F03 send record: those rates stay empty).
        use desk_domain::clock::rules::DutyKind::*;
        let walked = [Contact, Dispatch, Arrival, Feedback, CompletionNotice, ReturnVisit];
        let rated = st.on_time.iter().filter(|r| r.duty.is_some_and(|d| walked.contains(&d))).filter(|r| r.percent.is_some()).count();
        check("stats_year", rated == walked.len(), || "有一项及时率没有可统计的报修单".into())?;
    }
    out.insert("stats_year".into(), figure(runs));
    out.insert("stats_year_total_bare_sql".into(), Figure::new(bare_ms, bare_ms, 1));
    Ok(())
}

fn measure_record(desk: &mut Desk, rng: &mut StdRng, w: &World, out: &mut BTreeMap<String, Figure>) -> DeskResult<String> {
    let me: Session = desk.session_for(Some("前台"))?;
    let mut samples = Vec::new();
    let mut last = String::new();
    let before = tickets::count_all(&desk.store.reader()?.db())?;
    for _ in 0..50 {
        // Units of the first project: intake looks units up in the active project.
        let u = loop {
            let u = &w.units[rng.gen_range(0..w.units.len())];
            if u.project_id == 1 {
                break u;
            }
        };
        let input = ReportInput {
            channel: Channel::Phone,
            reported_at: None,
            unit: u.address.clone(),
            owner_id: None,
            owner_name: u.owners[0].0.clone(),
            phone: u.owners[0].1.clone(),
            caller_name: String::new(),
            caller_relation: String::new(),
            defects: vec![DefectInput {
                description: "卫生间地面渗水".into(),
                part: "卫生间".into(),
                category: Category::Leak,
                nature: None,
                classification: None,
                steward_id: None,
                required_by: None,
                expected_visit: String::new(),
                link_to: None,
                previous: None,
                photos: Vec::new(),
            }],
        };
        let (ms, r) = time_ms(|| desk.record_report(&me, input));
        let mut made = r?;
        check("record_ticket_sync_full", made.len() == 1, || format!("一次报修应生成 1 张报修单，实际 {}", made.len()))?;
        last = made.remove(0).no;
        samples.push(ms);
    }
    let after = tickets::count_all(&desk.store.reader()?.db())?;
    check("record_ticket_sync_full", after == before + 50, || format!("登记前 {before} 张，登记后 {after} 张"))?;
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
    desk.issue_dispatch(
        &me,
        no,
        crate::repair::DispatchInput {
            contractor_id: contractor,
            appointment_at: appointment,
            plan: "按规范维修".into(),
            materials: String::new(),
            site_contact: String::new(),
            no_contact_reason: "业主来电时已约定上门时间".into(),
            reason: None,
        },
    )?;
    desk.print_f02(None, no, None, crate::print::PrintLayout::A5, false)?;
    let mut samples = Vec::new();
    let mut bytes = 0;
    for _ in 0..30 {
        // The clerk's print: the PDF saved and its page drawn for the preview.
        let (ms, r) = time_ms(|| desk.print_f02(None, no, None, crate::print::PrintLayout::A5, false));
        let r = r?;
        bytes = r.bytes;
        check("print_f02_warm", bytes > 1024, || format!("F02 只有 {bytes} 字节"))?;
        check("print_f02_warm", r.page_count == 1 && r.preview.len() == 1, || format!("F02 预览 {} 页，共 {} 页", r.preview.len(), r.page_count))?;
        samples.push(ms);
    }
    out.insert("print_f02_warm".into(), figure(samples));
    out.insert("print_f02_size_kb".into(), Figure::new(f64::from(bytes) / 1024.0, f64::from(bytes) / 1024.0, 1));
    Ok(())
}

/// The daily report F03 of a day with ~500 events — 200 tickets reported, 100 accepted, 100
/// completion notices, 80 return visits (20 raising out-of-scope matters), 20 escalations — on
/// top of the bench's open tickets, exported in full: data, PDF, workbook and the e-mail draft
/// carrying both. Target ≤ 1 s (release build).
fn measure_report(desk: &mut Desk, rng: &mut StdRng, w: &World, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    use desk_domain::repair::{AcceptanceKind, FollowUpKind, Satisfaction};
    use desk_store::repair::{insert_acceptance, insert_followup, NewAcceptance, NewFollowUp};
    let now = desk.now();
    let day = desk_domain::time::local_date(now);
    let start = desk_domain::time::local_day_start(day).timestamp();
    let span = (now.timestamp() - start).max(60);
    desk.store.with_tx(|tx| -> DeskResult<()> {
        let report = tickets::insert_report(
            tx,
            &tickets::NewReport { channel: Channel::Phone, reported_at: start, caller_name: "", caller_phone: "", caller_relation: "", receptionist_id: 1 },
        )?;
        for i in 0..200usize {
            let u = &w.units[rng.gen_range(0..w.units.len())];
            let at = start + rng.gen_range(0..span);
            let phone = &u.owners[0].1;
            let status = match i {
                0..80 => TicketStatus::Visited,
                80..100 => TicketStatus::Closed,
                _ => TicketStatus::Reported,
            };
            let id = tickets::insert(
                tx,
                &tickets::NewTicket {
                    no: &format!("BX-R-{i:06}"),
                    report_id: report,
                    project_id: u.project_id,
                    unit_id: u.id,
                    building: &u.building,
                    unit_address: &u.address,
                    owner_id: None,
                    owner_name: &u.owners[0].0,
                    phone,
                    phone_suffix: &phone[phone.len() - 4..],
                    channel: Channel::Phone,
                    description: "卫生间地面渗水，楼下顶棚潮湿",
                    part: "卫生间",
                    category: Category::Leak,
                    nature: desk_domain::ticket::DefectNature::HouseQuality,
                    classification: None,
                    status,
                    reported_at: at,
                    required_by: None,
                    expected_visit: "",
                    receptionist_id: 1,
                    steward_id: None,
                    linked_to: None,
                    now: at,
                },
            )?;
            if i < 100 {
                let follow = |kind, at: i64, out_of_scope: &'static str| NewFollowUp {
                    ticket_id: id,
                    kind,
                    at,
                    actor_id: 1,
                    ok: true,
                    note: "已告知业主",
                    next_due_at: None,
                    satisfaction: (kind == FollowUpKind::ReturnVisit).then_some(Satisfaction::Satisfied),
                    new_phone: "",
                    out_of_scope,
                };
                insert_acceptance(
                    tx,
                    &NewAcceptance {
                        ticket_id: id,
                        dispatch_id: None,
                        kind: AcceptanceKind::OwnerOnScreen,
                        at,
                        actor_id: 1,
                        owner_opinion: "满意",
                        file: "",
                        director_id: None,
                        cs_assistant_id: None,
                        notice_note: "",
                    },
                )?;
                insert_followup(tx, &follow(FollowUpKind::CompletionNotice, at, ""))?;
                if i < 80 {
                    insert_followup(tx, &follow(FollowUpKind::ReturnVisit, at, if i < 20 { "小区路灯不亮" } else { "" }))?;
                }
            }
            if i % 10 == 0 {
                desk_store::clocks::raise(
                    tx,
                    &desk_store::clocks::NewEscalation {
                        kind: desk_domain::clock::escalation::EscalationKind::Complaint,
                        key: &format!("Complaint:bench:{i}"),
                        ticket_id: Some(id),
                        unit_id: None,
                        batch_id: None,
                        detail: "业主强烈投诉",
                        raised_at: at,
                        raised_by: None,
                    },
                )?;
            }
        }
        Ok(())
    })?;
    let r = desk.daily_report(day)?;
    check(
        "report_daily_500_events",
        r.new_reports.len() >= 200 && r.completions.len() >= 100 && r.notices.len() >= 100 && r.return_visits.len() >= 80 && r.escalations.len() >= 20,
        || {
            format!(
                "日报：新报修 {}，验收 {}，完工通知 {}，回访 {}，升级 {}",
                r.new_reports.len(),
                r.completions.len(),
                r.notices.len(),
                r.return_visits.len(),
                r.escalations.len()
            )
        },
    )?;
    let file = desk.data_dir.join("F03-bench.eml");
    desk.export_daily_report(day, &file)?; // warm: the font is parsed, overdue tickets escalated
    let mut samples = Vec::new();
    for _ in 0..5 {
        let (ms, x) = time_ms(|| desk.export_daily_report(day, &file));
        let x = x?;
        check("report_daily_500_events", x.bytes > 10_000, || format!("日报邮件只有 {} 字节", x.bytes))?;
        samples.push(ms);
    }
    out.insert("report_daily_500_events".into(), figure(samples));
    out.insert("report_daily_open_tickets".into(), Figure::new(r.progress.len() as f64, r.progress.len() as f64, 1));
    Ok(())
}

/// A manual backup of the whole database (the online backup API, then flushed to disk).
fn measure_backup(desk: &Desk, dir: &Path, out: &mut BTreeMap<String, Figure>) -> DeskResult<()> {
    let to = dir.join("backup-bench");
    let (ms, b) = time_ms(|| desk.backup(crate::backup::BackupReason::Manual, Some(&to)));
    let b = b?;
    let db = std::fs::metadata(dir.join(crate::desk::DB_FILE)).map(|m| m.len()).unwrap_or(0);
    check("backup_full", b.bytes > 0 && b.bytes * 2 >= db, || format!("备份 {} 字节，数据库 {db} 字节", b.bytes))?;
    out.insert("backup_full".into(), Figure::new(ms, ms, 1));
    out.insert("backup_size_mb".into(), Figure::new(b.bytes as f64 / 1e6, b.bytes as f64 / 1e6, 1));
    let _ = std::fs::remove_dir_all(&to);
    Ok(())
}
