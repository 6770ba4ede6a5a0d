//! The commands and options of `wdesk` (see shared/spec/CLI.md); help texts in Chinese.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "wdesk", version, about = "保修中心工作台 — 命令行")]
pub(crate) struct Cli {
    /// 数据文件夹（默认：本机应用数据文件夹；也可用环境变量 WDESK_DATA_DIR）
    #[arg(long, global = true)]
    pub(crate) data: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// 创建演示数据库
    // Dev tools (`devtools`): the installed wdesk.exe does not list them and answers with a sentence.
    #[cfg_attr(not(feature = "devtools"), command(hide = true))]
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
    /// 统计分析：各环节及时率（含日报、台账、对账）与人员考核（§4.1.3）
    Stats {
        /// 开始日期（含），如 2026-03-01
        #[arg(long)]
        from: String,
        /// 截止日期（含），如 2026-03-31
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
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
        /// 字段对应：如 'H=credit,I=debit,J=-'，认不出表头时加 '表头=3'（0 表示没有表头）；对同样表头的文件记住
        #[arg(long)]
        map: Option<String>,
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
    #[cfg_attr(not(feature = "devtools"), command(hide = true))]
    Bench {
        #[arg(long, default_value_t = 1_000_000)]
        tickets: usize,
        /// 只测某一部分：ledger（保修金明细账导入/导出）、reconcile（季度对账）、report（在 --keep 保留的基准数据库上单独导出日报 F03）
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
pub(crate) enum TicketCommand {
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
        /// 只列已移交物业公司或地产客服部的报修单（非保修范围）
        #[arg(long)]
        handed_over: bool,
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
pub(crate) enum LedgerCommand {
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
pub(crate) enum CalendarCommand {
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
pub(crate) enum ReportCommand {
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
    /// 登记某日的日报已发送（谁、何时、发给谁：收件人取日报收件人设置）
    Sent {
        /// 日报日期（本地日期，如 2026-03-05）
        #[arg(long)]
        date: String,
        /// 登记人（默认：第一个前台客服账号）
        #[arg(long)]
        by: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
}
