//! `wdesk` — the headless face of the desk (see shared/spec/CLI.md). Same `Desk` API as the
//! window. Exit codes: 0 success, 1 refused (message on stderr, nothing written), 2 usage.

use clap::{Parser, Subcommand};
use desk_domain::phone::mask_phone;
use desk_domain::ticket::{Category, Channel, TicketStatus};
use desk_domain::time::fmt_local;
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::clocks::DueFilter;
use desk_service::tickets::TicketFilter;
use desk_service::{default_data_dir, Desk, DeskError};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "wdesk", version, about = "保修中心工作台 — 命令行")]
struct Cli {
    /// 数据文件夹（默认：本机应用数据文件夹；也可用环境变量 WDESK_DATA_DIR）
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 创建演示数据库
    Demo {
        /// 覆盖已有数据
        #[arg(long)]
        force: bool,
    },
    /// 报修单
    Ticket {
        #[command(subcommand)]
        command: TicketCommand,
    },
    /// 打印：F01 业主报修情况记录表 / F02 调度单（最新一张）为 PDF
    Print {
        /// f01 或 f02
        form: String,
        /// 报修单号
        no: String,
        #[arg(long)]
        out: PathBuf,
        /// F02 版式：a5（默认）或 a4（存根 + 业主联两联）
        #[arg(long, default_value = "a5")]
        layout: String,
        /// 打印完整电话号码（默认打码）
        #[arg(long)]
        full_phone: bool,
    },
    /// 今日待办：今天到期和已超时的事项（§5.1 时限），以及待项目总经理确认的上报
    Today {
        #[arg(long)]
        json: bool,
    },
    /// 工作日报 F03（§5.1.6）
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// 检查数据库是否完好
    Check {
        #[arg(long)]
        json: bool,
    },
    /// 性能基准测试（在临时文件夹生成数据）
    Bench {
        #[arg(long, default_value_t = 1_000_000)]
        tickets: usize,
        /// 放置基准数据库的空文件夹（默认：系统临时文件夹）
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TicketCommand {
    /// 登记报修
    New {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        phone: String,
        #[arg(long)]
        desc: String,
        #[arg(long)]
        part: String,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// 报修时间（本地时间，如 2026-03-05 14:30）
        #[arg(long)]
        at: Option<String>,
        /// 以哪位员工的名义登记（默认：第一位前台客服）
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 报修单列表（最新的在前）
    List {
        #[arg(long)]
        query: Option<String>,
        #[arg(long)]
        status: Option<String>,
        /// 时限：overdue（已超时）或 today（今日到期，含超时）
        #[arg(long)]
        due: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// 显示完整电话号码（默认打码）
        #[arg(long)]
        full_phone: bool,
        #[arg(long)]
        json: bool,
    },
    /// 查看一张报修单
    Show {
        no: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// 保修中心工作日报：按扩展名导出 PDF（.pdf）、Excel（.xlsx）或邮件草稿（.eml，附 PDF 与 Excel）
    Daily {
        /// 日期（本地日期，如 2026-03-05）
        #[arg(long)]
        date: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

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

fn print_json(v: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")));
}

fn run(cli: Cli) -> Result<(), Failure> {
    let data_dir = default_data_dir(cli.data.as_deref())?;
    match cli.command {
        Command::Demo { force } => {
            let s = desk_service::demo::create(&data_dir, force, chrono::Utc::now())?;
            println!("演示数据已创建：{}（{}）", data_dir.display(), s.project);
            println!("房屋 {} 户，业主 {} 人，员工 {} 人，报修单 {} 张。演示账号 PIN：{}", s.units, s.owners, s.staff, s.tickets, desk_service::demo::DEMO_PIN);
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
        Command::Bench { tickets, dir, json } => {
            let dir = dir.unwrap_or_else(|| std::env::temp_dir().join(format!("wdesk-bench-{}", std::process::id())));
            let figures = desk_service::bench::run(&dir, tickets, &mut |m| eprintln!("{m}"))?;
            if json {
                print_json(&figures);
            } else {
                println!("{:<45} {:>10} {:>10} {:>6}", "测量项", "中位数 ms", "p95 ms", "次数");
                for (k, f) in &figures {
                    println!("{k:<45} {:>10.3} {:>10.3} {:>6}", f.median_ms, f.p95_ms, f.n);
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
        Command::Ticket { command } => ticket(&data_dir, command)?,
        Command::Report { command: ReportCommand::Daily { date, out, json } } => {
            let day = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| Failure::Usage(format!("日期「{date}」无法识别，请写成 2026-03-05")))?;
            let mut desk = Desk::open(&data_dir)?;
            let x = desk.export_daily_report(day, &out)?;
            if json {
                print_json(&x);
            } else {
                println!("已生成 {}（{} KB），副本保存在 {}", x.path, x.bytes.div_ceil(1024), x.saved);
            }
        }
        Command::Today { json } => {
            let mut desk = Desk::open(&data_dir)?;
            let mut t = desk.today()?;
            // Output leaves the desk (scripts, mail): phones masked (PIPL).
            for i in &mut t.items {
                i.ticket.phone = mask_phone(&i.ticket.phone);
            }
            if json {
                print_json(&t);
            } else {
                println!("今日待办（{}）：到期 {} 张，其中已超时 {} 张；待总经理确认的上报 {} 项", fmt_local(t.at), t.counters.due_today, t.counters.overdue, t.counters.escalations);
                for i in &t.items {
                    for d in &i.duties {
                        let late = if d.late_by_minutes > 0 { format!("超时 {} 分钟", d.late_by_minutes) } else { "今日到期".to_string() };
                        println!("{}  {:<10} {}  {}  {} 前  {}  {}", i.ticket.no, i.ticket.unit, d.kind.label(), d.section, fmt_local(d.due_at), late, d.note);
                    }
                }
                for e in &t.escalations {
                    println!("上报 {}（{}）：{}", e.kind_label, e.section, e.detail);
                }
            }
        }
        Command::Print { form, no, out, layout, full_phone } => {
            let desk = Desk::open(&data_dir)?;
            let r = match form.to_lowercase().as_str() {
                "f01" => desk.print_f01(&no, full_phone)?,
                "f02" => {
                    let layout = match layout.as_str() {
                        "a5" => desk_service::print::PrintLayout::A5,
                        "a4" => desk_service::print::PrintLayout::A4Two,
                        other => return Err(Failure::Usage(format!("未知的版式「{other}」，可用：a5、a4"))),
                    };
                    desk.print_f02(&no, None, layout, full_phone)?
                }
                other => return Err(Failure::Usage(format!("未知的表单「{other}」，可用：f01、f02"))),
            };
            std::fs::copy(&r.path, &out).map_err(|e| Failure::Refused(DeskError::storage(format!("无法写入「{}」：{e}", out.display()))))?;
            println!("已生成 {}（{} KB）", out.display(), r.bytes.div_ceil(1024));
        }
    }
    Ok(())
}

fn ticket(data_dir: &std::path::Path, cmd: TicketCommand) -> Result<(), Failure> {
    let mut desk = Desk::open(data_dir)?;
    match cmd {
        TicketCommand::New { unit, phone, desc, part, category, channel, owner, at, by, json } => {
            let category = match category {
                Some(c) => Category::parse(&c).ok_or_else(|| Failure::Usage(format!("未知的类别「{c}」，可用：{}", labels(Category::ALL.iter().map(|x| x.label())))))?,
                None => Category::Other,
            };
            let channel = match channel {
                Some(c) => Channel::parse(&c).ok_or_else(|| Failure::Usage(format!("未知的报修方式「{c}」，可用：电话、来访、网络、代为转告")))?,
                None => Channel::Phone,
            };
            let me = desk.session_for(by.as_deref())?;
            let input = ReportInput {
                channel,
                reported_at: at,
                unit,
                owner_id: None,
                owner_name: owner.unwrap_or_default(),
                phone,
                caller_name: if channel == Channel::Relayed { "代报人".into() } else { String::new() },
                caller_relation: String::new(),
                defects: vec![DefectInput { description: desc, part, category, nature: None, classification: None, steward_id: None, required_by: None, expected_visit: String::new(), link_to: None, photos: Vec::new() }],
            };
            let created = desk.record_report(&me, input)?;
            let t = &created[0];
            if json {
                print_json(&json!({"no": t.no, "status": t.status.code(), "status_label": t.status.label(), "unit": t.unit, "owner": t.owner, "reported_at": t.reported_at}));
            } else {
                println!("已登记报修单 {}（{}，{}）", t.no, t.unit, t.status.label());
            }
        }
        TicketCommand::List { query, status, due, limit, full_phone, json } => {
            let due = match due {
                Some(d) => Some(DueFilter::parse(&d).ok_or_else(|| Failure::Usage(format!("未知的时限筛选「{d}」，可用：overdue、today")))?),
                None => None,
            };
            let status = match status {
                Some(s) => Some(TicketStatus::parse(&s).ok_or_else(|| Failure::Usage(format!("未知的状态「{s}」，可用：{}", labels(TicketStatus::ALL.iter().map(|x| x.label())))))?),
                None => None,
            };
            let f = TicketFilter { status, query, due, limit: Some(limit), ..Default::default() };
            let page = desk.list_tickets(&f, i64::MAX)?;
            let phone = |p: &str| if full_phone { p.to_string() } else { mask_phone(p) };
            if json {
                let items: Vec<_> = page.items.iter().map(|t| json!({
                    "no": t.no, "unit": t.unit, "owner": t.owner, "phone": phone(&t.phone), "status": t.status.code(),
                    "status_label": t.status.label(), "category": t.category.label(), "part": t.part, "description": t.description,
                    "steward": t.steward, "reported_at": t.reported_at,
                })).collect();
                print_json(&json!({"total": page.total, "items": items}));
            } else {
                println!("共 {} 张", page.total);
                for t in &page.items {
                    println!("{}  {}  {:<10} {}  {}  {}  {}", t.no, fmt_local(t.reported_at), t.unit, t.owner, phone(&t.phone), t.status.label(), t.description);
                }
            }
        }
        TicketCommand::Show { no, json } => {
            let d = desk.ticket(&no)?;
            if json {
                print_json(&d);
            } else {
                println!("{}  {}  {}", d.no, d.status.label(), fmt_local(d.reported_at));
                println!("房号：{}（{}）  业主：{}  电话：{}", d.unit, d.batch_name, d.owner, d.phone);
                println!("部位：{}  类别：{}  报修方式：{}", d.part, d.category.label(), d.channel.label());
                println!("描述：{}", d.description);
                for e in &d.timeline {
                    println!("  {}  {}  {}", fmt_local(e.at), e.actor.as_deref().unwrap_or("系统"), e.detail);
                }
            }
        }
    }
    Ok(())
}

fn labels<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join("、")
}
