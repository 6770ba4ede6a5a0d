//! `wdesk` — the headless face of the desk (see shared/spec/CLI.md). Same `Desk` API as the
//! window. Exit codes: 0 success, 1 refused (message on stderr, nothing written), 2 usage.//!
//! The files: `cli` the commands and their options (clap), `ticket`, `ledger` and `reconcile`
//! the larger commands, `devtools` the developer commands (demo, bench, stress) that the
//! installed program does not carry; the rest is answered in [`run`].

mod cli;
mod devtools;
mod ledger;
mod reconcile;
mod ticket;

use clap::Parser;
use cli::*;
use desk_domain::phone::mask_phone;
use desk_domain::ticket::{Category, Channel, TicketStatus};
use desk_domain::time::fmt_local;
use desk_service::clocks::DueFilter;
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::tickets::TicketFilter;
use desk_service::{default_data_dir, Desk, DeskError};
use serde_json::json;
use std::process::ExitCode;

enum Failure {
    Refused(DeskError),
    Usage(String),
}

impl From<DeskError> for Failure {
    fn from(e: DeskError) -> Self {
        Failure::Refused(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Refused(e)) => {
            eprintln!("错误：{}", e.message);
            ExitCode::from(1)
        }
        Err(Failure::Usage(m)) => {
            eprintln!("用法错误：{m}");
            ExitCode::from(2)
        }
    }
}

fn desk_store_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).filter(|_| unix > 0).map(fmt_local).unwrap_or_else(|| "无".into())
}

fn print_json(v: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")));
}

fn run(cli: Cli) -> Result<(), Failure> {
    let data_dir = default_data_dir(cli.data.as_deref())?;
    match cli.command {
        #[cfg(feature = "devtools")]
        Command::Demo { force } => {
            let s = desk_service::demo::create(&data_dir, force, chrono::Utc::now())?;
            println!("演示数据已创建：{}（{}）", data_dir.display(), s.project);
            println!("房屋 {} 户，业主 {} 人，员工 {} 人，报修单 {} 张。演示账号 PIN：{}", s.units, s.owners, s.staff, s.tickets, desk_service::demo::DEMO_PIN);
        }
        Command::Backup { to, json } => {
            let desk = Desk::open(&data_dir)?;
            let b = desk.backup_by(None, to.as_deref())?;
            if json {
                print_json(&b);
            } else {
                println!("已备份并校验：{}（{} KB）", b.path, b.bytes.div_ceil(1024));
            }
        }
        Command::Restore { file, yes, json } => {
            let desk = Desk::open(&data_dir)?;
            let p = if yes { desk.restore(None, &file)? } else { desk.restore_preview(&file)? };
            if json {
                print_json(&p);
            } else {
                let b = &p.backup;
                println!(
                    "备份「{}」：项目 {}，房屋 {}，业主 {}，报修单 {}，保修金明细 {} 条，最后活动 {}",
                    p.file,
                    b.projects,
                    b.units,
                    b.owners,
                    b.tickets,
                    b.ledger_entries,
                    desk_store_time(b.last_activity_at)
                );
                if yes {
                    println!("已恢复。恢复前的数据已另存在备份文件夹中。");
                } else {
                    println!("未做任何修改。确认恢复请加 --yes");
                }
            }
        }
        Command::Check { json } => {
            let desk = Desk::open(&data_dir)?;
            let r = desk.check()?;
            if json {
                print_json(&r);
            } else if r.ok {
                println!("数据库完好：{}", data_dir.display());
            } else {
                for p in &r.problems {
                    println!("问题：{p}");
                }
            }
            if !r.ok {
                return Err(Failure::Refused(DeskError::new(desk_service::ErrorKind::Storage, format!("发现 {} 个问题", r.problems.len()))));
            }
        }
        #[cfg(feature = "devtools")]
        Command::Bench { tickets, only, ledger_rows, dir, runs, keep, json } => {
            let dir = dir.unwrap_or_else(|| std::env::temp_dir().join(format!("wdesk-bench-{}", std::process::id())));
            let figures = match only.as_deref() {
                None => {
                    // The ledger and the reconciliation run in processes of their own (below).
                    let o = desk_service::bench::Options { tickets, runs: runs.max(1), ledger_rows: None };
                    let mut f = desk_service::bench::run_with(&dir, &o, &mut |m| eprintln!("{m}"))?;
                    devtools::cold_start_today(&dir, &mut f)?;
                    devtools::parts_alone(&dir, ledger_rows, &mut f)?;
                    f
                }
                Some("ledger") => desk_service::fund::bench::run_only(&dir, ledger_rows, &mut |m| eprintln!("{m}"))?,
                Some("reconcile") => desk_service::fund::reconcile_bench::run_only(&dir, ledger_rows, &mut |m| eprintln!("{m}"))?,
                Some("report") => desk_service::bench::report_alone(&dir)?,
                Some(other) => return Err(Failure::Usage(format!("未知的基准测试部分「{other}」，可用：ledger、reconcile、report"))),
            };
            if json {
                print_json(&figures);
            } else {
                println!("{:<45} {:>10} {:>10} {:>6} {:>8}", "测量项", "中位数 ms", "p95 ms", "次数", "倍数");
                for (k, f) in &figures {
                    let ratio = f.ratio.map(|r| format!("{r:.2}")).unwrap_or_default();
                    println!("{k:<45} {:>10.3} {:>10.3} {:>6} {ratio:>8}", f.median_ms, f.p95_ms, f.n);
                }
            }
            if keep {
                eprintln!("基准数据库保留在 {}", dir.display());
            } else {
                let _ = std::fs::remove_dir_all(&dir);
            }
        }
        #[cfg(feature = "devtools")]
        Command::Stress { kind, count } => {
            let kind = desk_service::stress::StressKind::parse(&kind)
                .ok_or_else(|| Failure::Usage(format!("未知的压力测试类型「{kind}」，可用：tickets、import、payment")))?;
            let n = desk_service::stress::run(&data_dir, kind, count, &mut |line| println!("{line}"))?;
            eprintln!("压力测试结束：完成 {n} 项");
        }
        #[cfg(not(feature = "devtools"))]
        Command::Demo { .. } => return Err(devtools::without_devtools("demo")),
        #[cfg(not(feature = "devtools"))]
        Command::Bench { .. } => return Err(devtools::without_devtools("bench")),
        #[cfg(not(feature = "devtools"))]
        Command::Stress { .. } => return Err(devtools::without_devtools("stress")),
        Command::Ticket { command } => ticket::ticket(&data_dir, command)?,
        Command::Reconcile { file, quarter, out, map, json } => reconcile::reconcile(&data_dir, &file, &quarter, &out, map.as_deref(), json)?,
        Command::Ledger { command } => ledger::ledger(&data_dir, command)?,
        Command::Report { command: ReportCommand::Daily { date, out, json } } => {
            let day = parse_day(&date)?;
            let desk = Desk::open(&data_dir)?;
            let x = desk.export_daily_report(day, &out)?;
            if json {
                print_json(&x);
            } else {
                println!("已生成 {}（{} KB），副本保存在 {}", x.path, x.bytes.div_ceil(1024), x.saved);
            }
        }
        Command::Report { command: ReportCommand::Sent { date, by, note, json } } => {
            let day = parse_day(&date)?;
            let desk = Desk::open(&data_dir)?;
            let me = desk.session_for(by.as_deref())?;
            let r = desk.mark_daily_report_sent(&me, day, &note)?;
            if json {
                print_json(&r);
            } else {
                println!("{} 的工作日报已登记发送：{}，{}；收件 {}；抄送 {}", r.day, r.actor, fmt_local(r.at), r.to.join("、"), r.cc.join("、"));
            }
        }
        Command::Stats { from, to, json } => {
            let (from, to) = (parse_day(&from)?, parse_day(&to)?);
            let to = to.succ_opt().unwrap_or(to);
            let desk = Desk::open(&data_dir)?;
            let st = desk.statistics(from, to)?;
            if json {
                print_json(&serde_json::json!({ "from": st.from, "to": st.to, "total": st.total, "on_time": st.on_time, "by_staff": st.by_staff }));
            } else {
                let pct = |p: Option<f64>| p.map_or("—".to_string(), |p| format!("{p:.1}%"));
                println!("统计 {} 至 {}：报修 {} 单", st.from, st.to.pred_opt().unwrap_or(st.to), st.total);
                println!("各环节及时率（目标 {}%）", desk_service::stats::ON_TIME_TARGET_PERCENT);
                for r in &st.on_time {
                    println!("  {:<16} {:<18} 及时 {:>4}  超时 {:>4}  未到期 {:>3}  {}", r.label, r.section, r.on_time, r.late, r.pending, pct(r.percent));
                }
                println!("人员考核（§4.1.3）");
                for p in &st.by_staff {
                    let parts: Vec<String> = p.duties.iter().map(|d| format!("{} {}/{}", d.label, d.on_time, d.on_time + d.late)).collect();
                    println!("  {} {}  {} 单  合计 {}  {}", p.role_label, p.name, p.tickets, pct(p.percent), parts.join("，"));
                }
            }
        }
        Command::Calendar { command: CalendarCommand::Import { file, year, dry_run, by, json } } => {
            let text = std::fs::read_to_string(&file).map_err(|e| Failure::Usage(format!("无法读取「{}」（需要 UTF-8 文本文件）：{e}", file.display())))?;
            let desk = Desk::open(&data_dir)?;
            let notice = desk.preview_holiday_notice(&text, year)?;
            if !dry_run {
                let by = match by {
                    Some(b) => b,
                    None => desk
                        .staff()?
                        .into_iter()
                        .find(|m| m.role == desk_domain::staff::Role::Director && m.active)
                        .map(|m| m.name)
                        .ok_or_else(|| Failure::Refused(DeskError::invalid("by", "还没有保修主任账号，请用 --by 指定录入人")))?,
                };
                let me = desk.session_for(Some(&by))?;
                desk.import_holiday_notice(&me, &text, year)?;
            }
            if json {
                print_json(&serde_json::json!({ "notice": notice, "written": !dry_run }));
            } else {
                for b in &notice.breaks {
                    println!("{}：{} 至 {}（{} 天）", b.name, b.first, b.last, (b.last - b.first).num_days() + 1);
                }
                let makeup: Vec<String> = notice.makeup_workdays.iter().map(|d| d.to_string()).collect();
                println!("调休上班：{}", if makeup.is_empty() { "无".to_string() } else { makeup.join("、") });
                println!("{}", if dry_run { "（仅检查，未保存）" } else { "已保存到工作日历" });
            }
        }
        Command::Today { json } => {
            let desk = Desk::open(&data_dir)?;
            if !json {
                if let Some(w) = desk.calendar_warning()? {
                    println!("注意：{w}");
                }
            }
            let mut t = desk.today()?;
            // Output leaves the desk (scripts, mail): phones masked (PIPL).
            for i in &mut t.items {
                i.ticket.phone = mask_phone(&i.ticket.phone);
            }
            // A matter's text quotes what people wrote (a reason, a complaint), which may hold a number.
            for m in &mut t.matters {
                m.text = desk_domain::report_text::mask_phones_in_text(&m.text);
            }
            if json {
                print_json(&t);
            } else {
                println!(
                    "今日待办（{}）：到期 {} 张，其中已超时 {} 张；待总经理确认的上报 {} 项",
                    fmt_local(t.at),
                    t.counters.due_today,
                    t.counters.overdue,
                    t.counters.escalations
                );
                for i in &t.items {
                    for d in &i.duties {
                        let late = if d.late_by_minutes > 0 { format!("超时 {} 分钟", d.late_by_minutes) } else { "今日到期".to_string() };
                        println!("{}  {:<10} {}  {}  {} 前  {}  {}", i.ticket.no, i.ticket.unit, d.kind.label(), d.section, fmt_local(d.due_at), late, d.note);
                    }
                }
                for e in &t.escalations {
                    println!("上报 {}（{}）：{}", e.kind_label, e.section, e.detail);
                }
                for d in &t.desk_duties {
                    let late = if d.late_by_minutes > 0 { format!("超时 {} 分钟", d.late_by_minutes) } else { "今日到期".to_string() };
                    println!("保修中心  {}  {}  {}  {} 前  {}  {}", d.label, d.subject, d.section, fmt_local(d.due_at), late, d.note);
                }
                for m in &t.matters {
                    let due = m.due_at.map(|d| format!("{} 前  {}", fmt_local(d), if m.late { "已超时" } else { "今日到期" })).unwrap_or_default();
                    println!("{}  {}  {}  {}", m.ticket_no, m.kind, due, m.text);
                }
            }
        }
        Command::Print { form, no, out, layout, full_phone } => {
            let desk = Desk::open(&data_dir)?;
            let r = match form.to_lowercase().as_str() {
                "f01" => desk.print_f01(None, &no, full_phone)?,
                "f02" => {
                    let layout = match layout.as_str() {
                        "a5" => desk_service::print::PrintLayout::A5,
                        "a4" => desk_service::print::PrintLayout::A4Two,
                        other => return Err(Failure::Usage(format!("未知的版式「{other}」，可用：a5、a4"))),
                    };
                    desk.print_f02(None, &no, None, layout, full_phone)?
                }
                other => return Err(Failure::Usage(format!("未知的表单「{other}」，可用：f01、f02"))),
            };
            std::fs::copy(&r.path, &out).map_err(|e| Failure::Refused(DeskError::storage(format!("无法写入「{}」：{e}", out.display()))))?;
            println!("已生成 {}（{} KB）", out.display(), r.bytes.div_ceil(1024));
        }
    }
    Ok(())
}

fn labels<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join("、")
}

/// A local date typed on the command line (`2026-03-05`).
fn parse_day(raw: &str) -> Result<chrono::NaiveDate, Failure> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| Failure::Usage(format!("日期「{raw}」无法识别，请写成 2026-03-05")))
}
