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
    /// 立即备份数据库（经完整性校验；默认放在设置的备份文件夹）
    Backup {
        /// 备份到此文件夹（如 U 盘）
        #[arg(long)]
        to: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// 从备份恢复数据库（先显示备份内容；当前数据会先自动备份）
    Restore {
        file: PathBuf,
        /// 确认恢复；不加时只显示备份内容
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// 保修金明细账：导入（A3）、查看余额、按季度导出给财务
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// 季度对账（B4）：项目部的保修金明细账与本系统分录逐笔核对，生成对账单（.xlsx，同名 .pdf）
    Reconcile {
        /// 项目部的明细账文件（.xlsx/.xls）
        file: PathBuf,
        /// 季度，如 2026Q3
        #[arg(long)]
        quarter: String,
        /// 对账单 Excel 文件；PDF 写在旁边（同名 .pdf）
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 工作日历：录入国务院办公厅的节假日安排通知（粘贴的通知原文或日期清单）
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
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
        /// 只测某一部分：ledger（保修金明细账导入/导出）、reconcile（季度对账）
        #[arg(long)]
        only: Option<String>,
        /// 保修金明细账基准的行数
        #[arg(long, default_value_t = 100_000)]
        ledger_rows: usize,
        /// 放置基准数据库的空文件夹（默认：系统临时文件夹）
        #[arg(long)]
        dir: Option<PathBuf>,
        /// 每个查询测量的次数
        #[arg(long, default_value_t = 200)]
        runs: usize,
        /// 测完后保留基准数据库（用于冷启动等单独测量）
        #[arg(long)]
        keep: bool,
        #[arg(long)]
        json: bool,
    },
    /// 压力测试（崩溃测试用，隐藏）：不停地真实写入，每完成一项打印一行，直到被结束
    #[command(hide = true)]
    Stress {
        /// tickets（登记报修）、import（导入明细账）、payment（委托维修付款流程）
        #[arg(long)]
        kind: String,
        /// 完成多少项后停止（默认不停）
        #[arg(long)]
        count: Option<u64>,
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
enum LedgerCommand {
    /// 导入项目部的保修金明细账（.xlsx/.xls）：先检查，无错误才写入
    Import {
        file: PathBuf,
        /// 导入到哪个项目（名称、编号或 id；默认当前项目）
        #[arg(long)]
        project: Option<String>,
        /// 只检查，不写入
        #[arg(long)]
        dry_run: bool,
        /// 有错误时只导入无错误的行（须明确选择）
        #[arg(long)]
        valid_rows_only: bool,
        /// 以哪位员工的名义导入（默认：第一位前台客服）
        #[arg(long)]
        by: Option<String>,
        /// 字段对应：如 'H=credit,I=debit,J=-'（字段名或中文列名；- 表示不用这一列）；写入后对同样表头的文件记住
        #[arg(long)]
        map: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 分录条数和各施工单位余额
    Show {
        #[arg(long)]
        json: bool,
    },
    /// 按季度导出保修金明细账（明细 + 汇总）给财务
    Export {
        /// 季度，如 2026Q3
        #[arg(long)]
        quarter: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// 录入某年的节假日与调休上班日（替换该年，其他年份不变）
    Import {
        /// 文本文件（UTF-8）：通知原文，或每行「2027-02-06 至 2027-02-12 春节」「2027-02-14 上班」
        file: PathBuf,
        #[arg(long)]
        year: i32,
        /// 只显示读到的安排，不保存
        #[arg(long)]
        dry_run: bool,
        /// 以哪位员工的名义录入（默认：第一位保修主任）
        #[arg(long)]
        by: Option<String>,
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

fn desk_store_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).filter(|_| unix > 0).map(fmt_local).unwrap_or_else(|| "无".into())
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
                println!("备份「{}」：项目 {}，房屋 {}，业主 {}，报修单 {}，保修金明细 {} 条，最后活动 {}", p.file, b.projects, b.units, b.owners, b.tickets, b.ledger_entries,
                    desk_store_time(b.last_activity_at));
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
        Command::Bench { tickets, only, ledger_rows, dir, runs, keep, json } => {
            let dir = dir.unwrap_or_else(|| std::env::temp_dir().join(format!("wdesk-bench-{}", std::process::id())));
            let figures = match only.as_deref() {
                None => {
                    let o = desk_service::bench::Options { tickets, runs: runs.max(1), ledger_rows: Some(ledger_rows) };
                    let mut f = desk_service::bench::run_with(&dir, &o, &mut |m| eprintln!("{m}"))?;
                    cold_start_today(&dir, &mut f)?;
                    f
                }
                Some("ledger") => desk_service::fund::bench::run_only(&dir, ledger_rows, &mut |m| eprintln!("{m}"))?,
                Some("reconcile") => desk_service::fund::reconcile_bench::run_only(&dir, ledger_rows, &mut |m| eprintln!("{m}"))?,
                Some(other) => return Err(Failure::Usage(format!("未知的基准测试部分「{other}」，可用：ledger、reconcile"))),
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
        Command::Stress { kind, count } => {
            let kind = desk_service::stress::StressKind::parse(&kind)
                .ok_or_else(|| Failure::Usage(format!("未知的压力测试类型「{kind}」，可用：tickets、import、payment")))?;
            let n = desk_service::stress::run(&data_dir, kind, count, &mut |line| println!("{line}"))?;
            eprintln!("压力测试结束：完成 {n} 项");
        }
        Command::Ticket { command } => ticket(&data_dir, command)?,
        Command::Reconcile { file, quarter, out, json } => reconcile(&data_dir, &file, &quarter, &out, json)?,
        Command::Ledger { command } => ledger(&data_dir, command)?,
        Command::Report { command: ReportCommand::Daily { date, out, json } } => {
            let day = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| Failure::Usage(format!("日期「{date}」无法识别，请写成 2026-03-05")))?;
            let desk = Desk::open(&data_dir)?;
            let x = desk.export_daily_report(day, &out)?;
            if json {
                print_json(&x);
            } else {
                println!("已生成 {}（{} KB），副本保存在 {}", x.path, x.bytes.div_ceil(1024), x.saved);
            }
        }
        Command::Calendar { command: CalendarCommand::Import { file, year, dry_run, by, json } } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Failure::Usage(format!("无法读取「{}」（需要 UTF-8 文本文件）：{e}", file.display())))?;
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

fn ticket(data_dir: &std::path::Path, cmd: TicketCommand) -> Result<(), Failure> {
    let desk = Desk::open(data_dir)?;
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
            let cov = desk.coverage_of_ticket(&no)?;
            if json {
                // The ticket's record plus its warranty verdict: who pays, the liable builder
                // and the deposit it has left.
                let mut v = serde_json::to_value(&d).map_err(|e| Failure::Refused(DeskError::storage(e.to_string())))?;
                v["coverage"] = json!({
                    "payer": cov.verdict.payer,
                    "payer_label": cov.payer_label,
                    "part": cov.verdict.part,
                    "builder_end": cov.verdict.builder_end,
                    "owner_end": cov.verdict.owner_end,
                    "builder": cov.builder.as_ref().map(|b| json!({
                        "name": b.builder, "contract": b.contract_no, "ledger_id": b.ledger_id, "liability_end": b.liability_end,
                    })),
                    "deposit_balance_fen": cov.builder.as_ref().map(|b| b.balance_fen),
                    "deposit_available": cov.deposit_available,
                    "explanation": cov.verdict.explanation,
                });
                print_json(&v);
            } else {
                println!("{}  {}  {}", d.no, d.status.label(), fmt_local(d.reported_at));
                println!("房号：{}（{}）  业主：{}  电话：{}", d.unit, d.batch_name, d.owner, d.phone);
                println!("部位：{}  类别：{}  报修方式：{}", d.part, d.category.label(), d.channel.label());
                println!("描述：{}", d.description);
                println!("保修判定：{}", cov.payer_label);
                for line in &cov.verdict.explanation {
                    println!("  · {line}");
                }
                for e in &d.timeline {
                    println!("  {}  {}  {}", fmt_local(e.at), e.actor.as_deref().unwrap_or("系统"), e.detail);
                }
            }
        }
    }
    Ok(())
}

fn builders_json(b: &[desk_service::fund::ledger::BuilderBalance]) -> Vec<serde_json::Value> {
    b.iter().map(|b| json!({"name": b.name, "credit_fen": b.credit_fen, "debit_fen": b.debit_fen, "balance_fen": b.balance_fen})).collect()
}

fn yuan(fen: i64) -> String {
    desk_domain::money::Fen(fen).to_string()
}

/// `wdesk ledger …` (CLI.md). `import` checks first; it writes only when the file has no
/// rejected cell (or `--valid-rows-only`), never with `--dry-run`; exit 1 when not ok.
fn ledger(data_dir: &std::path::Path, cmd: LedgerCommand) -> Result<(), Failure> {
    let desk = Desk::open(data_dir)?;
    match cmd {
        LedgerCommand::Import { file, project, dry_run, valid_rows_only, by, map, json } => {
            let project_id = match project {
                Some(p) => {
                    let key = p.trim();
                    let found = desk.projects()?.into_iter().find(|x| x.name == key || x.code == key || x.id.to_string() == key);
                    Some(found.ok_or_else(|| Failure::Refused(DeskError::invalid("project", format!("没有名为「{key}」的项目"))))?.id)
                }
                None => None,
            };
            let project_id = match project_id {
                Some(id) => id,
                None => desk.active_project()?.id,
            };
            let preview = desk.preview_ledger_import_mapped(Some(project_id), &file, map.as_deref())?;
            let mut refusal = preview.already_imported_at.as_ref().map(|at| format!("该文件已于 {at} 导入过（内容完全相同），未重复导入"));
            let mut result = preview;
            if !dry_run && refusal.is_none() && (result.errors.is_empty() || valid_rows_only) {
                let me = desk.session_for(by.as_deref())?;
                match desk.import_ledger_mapped(&me, Some(project_id), &file, valid_rows_only, map.as_deref()) {
                    Ok(done) => result = done,
                    Err(e) => refusal = Some(e.message),
                }
            }
            let ok = result.errors.is_empty() && refusal.is_none();
            if json {
                let errors: Vec<_> = result.errors.iter().map(|e| json!({"sheet": e.sheet, "row": e.row, "column": e.column, "label": e.label, "message": e.message})).collect();
                let warnings: Vec<_> = result.warnings.iter().map(|e| json!({"sheet": e.sheet, "row": e.row, "column": e.column, "label": e.label, "message": e.message})).collect();
                print_json(&json!({
                    "ok": ok, "errors": errors, "builders": builders_json(&result.builders), "movements": result.movements,
                    "written": result.written, "project": result.project, "contracts": result.contracts,
                    "new_builders": result.new_builders, "near_matches": result.near_matches, "warnings": warnings,
                    "notes": result.notes, "skipped_rows": result.skipped_rows, "message": refusal,
                    "mapping": result.mapping, "mapping_remembered": result.mapping_remembered, "needs_mapping": result.needs_mapping,
                    "columns": result.columns.iter().map(|c| json!({"sheet": c.sheet, "column": c.column, "header": c.header, "samples": c.samples, "field": c.field, "field_label": c.field_label, "confidence": c.confidence})).collect::<Vec<_>>(),
                }));
            } else {
                println!("「{}」→ 项目「{}」：分录 {} 条，合同 {} 个，贷方 {}，借方 {}", result.file_name, result.project, result.movements, result.contracts, yuan(result.credit_fen), yuan(result.debit_fen));
                for n in &result.notes {
                    println!("说明：{n}");
                }
                if result.needs_mapping {
                    println!("字段对应（有按词义识别的列，请核对；用 --map 'H=credit' 更正）：");
                    for c in &result.columns {
                        println!("  {} 列「{}」→ {}  例：{}", c.column, c.header, if c.field_label.is_empty() { "（不用）" } else { &c.field_label }, c.samples.join("、"));
                    }
                }
                for b in &result.builders {
                    println!("  {}  贷 {}  借 {}  余额 {}", b.name, yuan(b.credit_fen), yuan(b.debit_fen), yuan(b.balance_fen));
                }
                for b in &result.new_builders {
                    println!("新施工单位：{b}");
                }
                for m in &result.near_matches {
                    println!("「{}」与已有的「{}」相近，是否同一单位？（确认后再导入）", m.name, m.known);
                }
                for w in &result.warnings {
                    println!("提醒：{w}");
                }
                for e in &result.errors {
                    eprintln!("错误：{e}");
                }
                println!("{}", if result.written { "已写入。" } else { "未写入任何数据。" });
            }
            if let Some(m) = refusal {
                return Err(Failure::Refused(DeskError::new(desk_service::ErrorKind::Refused, m)));
            }
            // Exit 1 means nothing was written (CLI.md); rows written by an explicit
            // --valid-rows-only are a success with `ok: false` in the JSON.
            if !ok && !result.written {
                let what = format!("有 {} 处错误，未导入任何数据", result.errors.len());
                return Err(Failure::Refused(DeskError::new(desk_service::ErrorKind::Invalid, what)));
            }
            if !ok {
                eprintln!("有 {} 处错误，已按选择只导入有效行", result.errors.len());
            }
        }
        LedgerCommand::Show { json } => {
            let o = desk.ledger_show()?;
            if json {
                print_json(&json!({"entries": o.entries, "ledgers": o.ledgers, "project": o.project, "builders": builders_json(&o.builders)}));
            } else {
                println!("项目「{}」：台账 {} 个，分录 {} 条", o.project, o.ledgers, o.entries);
                for b in &o.builders {
                    println!("  {}  贷 {}  借 {}  余额 {}", b.name, yuan(b.credit_fen), yuan(b.debit_fen), yuan(b.balance_fen));
                }
            }
        }
        LedgerCommand::Export { quarter, out, by, json } => {
            let q: desk_domain::fund::Quarter = quarter.parse().map_err(Failure::Usage)?;
            let me = desk.session_for(by.as_deref())?;
            let x = desk.export_ledger_quarter(&me, q, &out)?;
            if json {
                print_json(&x);
            } else {
                println!("已导出 {}（{} 条分录）：{}", q.label(), x.rows, x.path);
            }
        }
    }
    Ok(())
}

/// `wdesk reconcile` (CLI.md): the preview of the active project's quarter, and the statement
/// written at `out` (xlsx) and beside it (pdf). Differences are a result, not a failure: exit 0.
fn reconcile(data_dir: &std::path::Path, file: &std::path::Path, quarter: &str, out: &std::path::Path, json: bool) -> Result<(), Failure> {
    let q: desk_domain::fund::Quarter = quarter.parse().map_err(Failure::Usage)?;
    if !out.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        return Err(Failure::Usage(format!("--out 应为 .xlsx 文件（收到「{}」），PDF 会写在旁边", out.display())));
    }
    let desk = Desk::open(data_dir)?;
    let p = desk.reconcile_preview(file, q)?;
    let x = desk.write_reconciliation_statement(&p, out)?;
    if json {
        let builders: Vec<_> = p.builders.iter().map(|b| json!({
            "name": b.name, "theirs_fen": b.theirs_fen, "ours_fen": b.ours_fen, "difference_fen": b.difference_fen,
            "theirs_credit_fen": b.theirs_credit_fen, "theirs_debit_fen": b.theirs_debit_fen,
            "ours_credit_fen": b.ours_credit_fen, "ours_debit_fen": b.ours_debit_fen,
        })).collect();
        print_json(&json!({
            "quarter": p.quarter, "file": p.file_name, "sha256": p.sha256,
            "matched": p.matched.len(), "only_theirs": p.only_theirs, "only_ours": p.only_ours,
            "amount_differs": p.amount_differs, "builders": builders, "unknown_builders": p.unknown_builders,
            "outside_quarter": p.outside_quarter, "errors": p.errors, "notes": p.notes, "xlsx": x.xlsx, "pdf": x.pdf,
        }));
    } else {
        println!("{} {}：项目部 {} 行，本系统 {} 笔分录", p.project, p.quarter_label, p.their_rows, p.our_entries);
        println!("相符 {} 笔，仅项目部有 {} 笔，仅本系统有 {} 笔，金额不符 {} 笔", p.matched.len(), p.only_theirs.len(), p.only_ours.len(), p.amount_differs.len());
        for u in &p.unknown_builders {
            let c: Vec<&str> = u.candidates.iter().map(|c| c.name.as_str()).collect();
            println!("待确认的施工单位：{}（{} 行）{}", u.spelling, u.rows, if c.is_empty() { String::new() } else { format!("，可能是：{}", c.join("、")) });
        }
        for n in &p.notes {
            println!("说明：{n}");
        }
        println!("对账单：{}、{}", x.xlsx, x.pdf);
    }
    Ok(())
}

fn labels<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join("、")
}

/// `cold_start_today`: a new `wdesk` process opening the bench database and printing 今日待办
/// (what a clerk's script or the first screen pays), five times; each must succeed.
fn cold_start_today(dir: &std::path::Path, out: &mut std::collections::BTreeMap<String, desk_service::bench::Figure>) -> Result<(), Failure> {
    let exe = std::env::current_exe().map_err(|e| Failure::Refused(DeskError::storage(e.to_string())))?;
    let mut samples = Vec::new();
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let o = std::process::Command::new(&exe)
            .arg("--data")
            .arg(dir)
            .args(["today", "--json"])
            .output()
            .map_err(|e| Failure::Refused(DeskError::storage(format!("无法启动 wdesk：{e}"))))?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let ok = o.status.success() && serde_json::from_slice::<serde_json::Value>(&o.stdout).ok().and_then(|v| v.get("items").map(|i| i.is_array())).unwrap_or(false);
        if !ok {
            return Err(Failure::Refused(DeskError::storage(format!(
                "基准测试「cold_start_today」结果核对失败：wdesk today 没有输出待办列表（{}）",
                String::from_utf8_lossy(&o.stderr).trim()
            ))));
        }
        samples.push(ms);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    out.insert("cold_start_today".into(), desk_service::bench::Figure::new(samples[2], samples[4], 5));
    Ok(())
}
