//! `wdesk stress` (hidden): real writes in a loop, as fast as the desk goes, for the kill test
//! (`tests/kill_test.rs`, issue 7 §2) — the harness starts it, SIGKILLs it at a random moment
//! and checks the database it leaves behind.
//!
//! Three kinds of work, each through the ordinary `Desk` API (one transaction per use case):
//! * `tickets` — `record_report` with three defects per call (three tickets, their audit lines,
//!   the escalations detected at intake);
//! * `import` — a fresh ledger workbook of ~2,000 movements (new vouchers each time, so the
//!   re-import refusal never short-circuits it) imported in one transaction; the next workbook
//!   is written by a second thread meanwhile, so an import is in flight most of the time;
//! * `payment` — a ticket commissioned to a hired firm and walked C5 → C6 → A7 → 会签 → D8,
//!   each step its own transaction, ending in the deduction on the builder's deposit.
//!
//! Progress goes to `out`, one line per unit of work: `开始 #n …` before the unit's write and
//! `完成 #n …` after it committed (a unit is one transaction: a report, an import, a step of
//! the payment flow). The harness compares what it last read with what the database holds.
//!
//! An empty data folder is first filled with the demo database (staff in every role, units
//! with owners, builders, maintenance firms, ledgers with money).

use crate::desk::{Desk, Session, DB_FILE};
use crate::error::{DeskError, DeskResult, ErrorKind};
use crate::fund::commission::CommissionInput;
use crate::fund::payment::{PayInput, PaymentLineInput, PaymentRequestInput, ReviewInput};
use crate::intake::{DefectInput, ReportInput};
use chrono::{Duration, NaiveDate, Utc};
use desk_documents::excel_out::{write_workbook, ColumnKind, OutCell, OutColumn, SheetTable};
use desk_domain::fund::LineKind;
use desk_domain::money::Fen;
use desk_domain::records::ContractorKind;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel};
use desk_domain::time::local_date;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};

/// Movements per generated ledger workbook.
pub const IMPORT_ROWS: usize = 2_000;
/// Defects (tickets) per recorded report.
pub const DEFECTS_PER_REPORT: usize = 3;
/// Builders of the generated workbooks.
const BUILDERS: usize = 5;
/// Where the generated workbooks are written (inside the data folder, emptied at start).
const WORK_DIR: &str = "stress-work";

/// What the loop writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StressKind {
    Tickets,
    Import,
    Payment,
}

impl StressKind {
    pub const ALL: [StressKind; 3] = [StressKind::Tickets, StressKind::Import, StressKind::Payment];

    pub fn parse(s: &str) -> Option<StressKind> {
        match s.trim() {
            "tickets" => Some(StressKind::Tickets),
            "import" => Some(StressKind::Import),
            "payment" => Some(StressKind::Payment),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            StressKind::Tickets => "tickets",
            StressKind::Import => "import",
            StressKind::Payment => "payment",
        }
    }
}

/// Fills an empty data folder with the demo database (a folder with data is left as it is).
pub fn prepare(data_dir: &Path) -> DeskResult<()> {
    let has_data = data_dir.join(DB_FILE).exists() && Desk::open(data_dir)?.projects().map(|p| !p.is_empty())?;
    if !has_data {
        crate::demo::create(data_dir, true, Utc::now())?;
    }
    Ok(())
}

/// Runs `count` units of work (forever when `None`), reporting each on `out`.
pub fn run(data_dir: &Path, kind: StressKind, count: Option<u64>, out: &mut dyn FnMut(&str)) -> DeskResult<u64> {
    prepare(data_dir)?;
    let mut desk = Desk::open(data_dir)?;
    let seed = Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64 ^ u64::from(std::process::id());
    let mut rng = StdRng::seed_from_u64(seed);
    let staff = Staff::find(&desk)?;
    match kind {
        StressKind::Tickets => tickets(&mut desk, &staff, &mut rng, count, out),
        StressKind::Import => import(&mut desk, &staff, seed, count, out),
        StressKind::Payment => payment(&mut desk, &staff, &mut rng, count, out),
    }
}

/// The demo's people the loops act as.
struct Staff {
    director: Session,
    clerk: Session,
    /// One countersigner per required role: (staff id, PIN).
    signers: Vec<i64>,
}

impl Staff {
    fn find(desk: &Desk) -> DeskResult<Staff> {
        let all = desk.staff()?;
        let first = |role: Role| {
            all.iter()
                .find(|m| m.role == role && m.active)
                .map(|m| Session { staff_id: m.id, name: m.name.clone(), role })
                .ok_or_else(|| DeskError::new(ErrorKind::NotFound, format!("压力测试需要一位「{}」（请用演示数据库）", role.label())))
        };
        let director = first(Role::Director)?;
        let clerk = first(Role::FrontDesk)?;
        let mut signers = Vec::new();
        for role in desk.countersign_roles()? {
            signers.push(first(role)?.staff_id);
        }
        Ok(Staff { director, clerk, signers })
    }
}

fn done(limit: Option<u64>, n: u64) -> bool {
    limit.is_some_and(|c| n >= c)
}

/// Units of the active project with an owner and a phone: (address, phone).
fn units_with_owners(desk: &mut Desk) -> DeskResult<Vec<(String, String)>> {
    let project = desk.active_project()?;
    let mut found = Vec::new();
    let mut after = None;
    loop {
        let page = desk.units(project.id, None, after)?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        for u in page {
            if let Some(phone) = u.owners.iter().flat_map(|o| o.phones.iter()).next() {
                found.push((u.address.clone(), phone.clone()));
            }
        }
        if found.len() >= 2_000 {
            break;
        }
    }
    if found.is_empty() {
        return Err(DeskError::new(ErrorKind::NotFound, "当前项目没有登记业主电话的房屋，无法做压力测试"));
    }
    Ok(found)
}

const DEFECTS: &[(&str, Category, &str)] = &[
    ("卫生间", Category::Leak, "压力测试：卫生间地面渗水"),
    ("客厅", Category::Crack, "压力测试：客厅墙面裂缝"),
    ("门窗", Category::DoorWindow, "压力测试：推拉窗关闭不严"),
    ("厨房", Category::WaterElectric, "压力测试：厨房插座不通电"),
    ("墙面", Category::Finish, "压力测试：墙面起砂掉粉"),
];

fn defect(i: usize) -> DefectInput {
    let (part, category, description) = DEFECTS[i % DEFECTS.len()];
    DefectInput {
        description: description.into(),
        part: part.into(),
        category,
        nature: None,
        classification: None,
        steward_id: None,
        required_by: None,
        expected_visit: String::new(),
        link_to: None,
        previous: None,
        photos: Vec::new(),
    }
}

fn report(unit: &(String, String), defects: Vec<DefectInput>) -> ReportInput {
    ReportInput {
        channel: Channel::Phone,
        reported_at: None,
        unit: unit.0.clone(),
        owner_id: None,
        owner_name: String::new(),
        phone: unit.1.clone(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects,
    }
}

fn tickets(desk: &mut Desk, staff: &Staff, rng: &mut StdRng, count: Option<u64>, out: &mut dyn FnMut(&str)) -> DeskResult<u64> {
    let units = units_with_owners(desk)?;
    let mut n = 0;
    while !done(count, n) {
        n += 1;
        let unit = &units[rng.gen_range(0..units.len())];
        let first = rng.gen_range(0..DEFECTS.len());
        let defects = (0..DEFECTS_PER_REPORT).map(|i| defect(first + i)).collect();
        out(&format!("开始 #{n} 登记报修 {}", unit.0));
        let created = desk.record_report(&staff.clerk, report(unit, defects))?;
        let nos: Vec<&str> = created.iter().map(|t| t.no.as_str()).collect();
        out(&format!("完成 #{n} 报修单 {}", nos.join("、")));
    }
    Ok(n)
}

/// Writes a ledger workbook of [`IMPORT_ROWS`] movements dated over the last 60 days, its
/// vouchers unique to `(salt, serial)` so no two workbooks share a voucher or a hash.
pub fn write_import_workbook(path: &Path, salt: u64, serial: u64, today: NaiveDate) -> DeskResult<()> {
    let builder = |b: usize| format!("压测建设工程有限公司{}", ["甲", "乙", "丙", "丁", "戊"][b % BUILDERS]);
    let cols = [
        ("日期", ColumnKind::Date),
        ("凭证号", ColumnKind::Text),
        ("施工单位", ColumnKind::Text),
        ("合同编号", ColumnKind::Text),
        ("摘要", ColumnKind::Text),
        ("计提/收取(贷方)", ColumnKind::Money),
        ("扣款/支付(借方)", ColumnKind::Money),
    ];
    let tag = format!("{:06X}-{serial:05}", salt % 0x100_0000);
    let rows = (0..IMPORT_ROWS)
        .map(|i| {
            let b = i % BUILDERS;
            let date = today - Duration::days((i * 60 / IMPORT_ROWS) as i64 + 1);
            let (summary, credit, debit) = if i % 5 == 4 {
                ("扣委托维修费", OutCell::Empty, OutCell::Money(Fen(1_000 + (i as i64 % 97) * 13)))
            } else {
                ("计提保修金", OutCell::Money(Fen(5_000 + (i as i64 % 1_009) * 17)), OutCell::Empty)
            };
            vec![
                OutCell::Date(date),
                OutCell::Text(format!("压-{tag}-{i:05}")),
                OutCell::Text(builder(b)),
                OutCell::Text(format!("YC-HT-{b:02}")),
                OutCell::Text(summary.into()),
                credit,
                debit,
            ]
        })
        .collect();
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or(today);
    let end = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or(today);
    let contracts = (0..BUILDERS)
        .map(|b| {
            vec![
                OutCell::Text(builder(b)),
                OutCell::Text(format!("YC-HT-{b:02}")),
                OutCell::Money(Fen(100_000_000)),
                OutCell::Money(Fen(3_000_000)),
                OutCell::Date(start),
                OutCell::Date(end),
            ]
        })
        .collect();
    let tables = [
        SheetTable {
            title: "压力测试保修金明细账".into(),
            sheet_name: "明细账".into(),
            columns: cols.iter().map(|(h, k)| OutColumn::new(*h, *k)).collect(),
            rows,
            total_row: true,
        },
        SheetTable {
            title: "压力测试保修金汇总".into(),
            sheet_name: "汇总".into(),
            columns: [
                ("施工单位", ColumnKind::Text),
                ("合同编号", ColumnKind::Text),
                ("结算金额", ColumnKind::Money),
                ("保修金金额", ColumnKind::Money),
                ("保修期起", ColumnKind::Date),
                ("保修期止", ColumnKind::Date),
            ]
            .iter()
            .map(|(h, k)| OutColumn::new(*h, *k))
            .collect(),
            rows: contracts,
            total_row: true,
        },
    ];
    write_workbook(path, &tables).map_err(|e| DeskError::storage(format!("无法生成压力测试明细账：{e}")))
}

fn import(desk: &mut Desk, staff: &Staff, salt: u64, count: Option<u64>, out: &mut dyn FnMut(&str)) -> DeskResult<u64> {
    let work = desk.data_dir().join(WORK_DIR);
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| DeskError::storage(format!("无法创建「{}」：{e}", work.display())))?;
    let today = local_date(desk.now());
    // The next workbook is written while the current one is imported.
    let (tx, rx) = std::sync::mpsc::sync_channel::<DeskResult<PathBuf>>(1);
    let dir = work.clone();
    std::thread::spawn(move || {
        for serial in 1.. {
            if done(count, serial - 1) {
                break;
            }
            let path = dir.join(format!("压测明细账-{serial:05}.xlsx"));
            let r = write_import_workbook(&path, salt, serial, today).map(|()| path);
            if tx.send(r).is_err() {
                break;
            }
        }
    });
    let mut n = 0;
    while !done(count, n) {
        let path = rx.recv().map_err(|_| DeskError::storage("压力测试明细账生成线程已停止"))??;
        n += 1;
        out(&format!("开始 #{n} 导入 {}", path.display()));
        let r = desk.import_ledger(&staff.director, &path, false)?;
        if !r.written || r.movements as usize != IMPORT_ROWS {
            return Err(DeskError::storage(format!("导入「{}」只写入 {} 行，应为 {IMPORT_ROWS} 行", r.file_name, r.movements)));
        }
        let _ = std::fs::remove_file(&path);
        out(&format!("完成 #{n} 导入分录 {} 条", r.movements));
    }
    Ok(n)
}

fn payment(desk: &mut Desk, staff: &Staff, rng: &mut StdRng, count: Option<u64>, out: &mut dyn FnMut(&str)) -> DeskResult<u64> {
    let units = units_with_owners(desk)?;
    let firm = desk
        .contractors()?
        .into_iter()
        .find(|c| c.kind == ContractorKind::Maintenance && c.active)
        .ok_or_else(|| DeskError::new(ErrorKind::NotFound, "压力测试需要一家维保单位（请用演示数据库）"))?;
    // The deposit with the most money; payments are booked even when it runs out (acknowledged).
    let ledger = desk
        .ledgers()?
        .into_iter()
        .filter(|l| l.contractor_id != firm.id)
        .max_by_key(|l| l.balance_fen)
        .ok_or_else(|| DeskError::new(ErrorKind::NotFound, "当前项目没有保修金台账（请先导入明细账）"))?;
    let pid = std::process::id();
    let mut n = 0;
    let mut chain = 0;
    let step = |n: &mut u64, what: &str, out: &mut dyn FnMut(&str)| {
        *n += 1;
        out(&format!("开始 #{n} {what}"));
    };
    while !done(count, n) {
        chain += 1;
        let unit = &units[rng.gen_range(0..units.len())];
        step(&mut n, "登记报修", out);
        let t = desk.record_report(&staff.clerk, report(unit, vec![defect(0)]))?.remove(0);
        out(&format!("完成 #{n} 报修单 {}", t.no));

        step(&mut n, "委托维修", out);
        // Charge the deposit the warranty verdict names (the demo maps part classes to builders).
        let liable = desk.coverage_of_ticket(&t.no)?.builder.map_or(ledger.id, |b| b.ledger_id);
        let c = desk.commission_repair(
            &staff.clerk,
            CommissionInput {
                ticket_no: t.no.clone(),
                firm_id: firm.id,
                ledger_id: Some(liable),
                builder_id: None,
                reason: "压力测试：施工单位接通知后未到场".into(),
                exception_reason: None,
            },
        )?;
        out(&format!("完成 #{n} 委托 {}", c.id));

        step(&mut n, "C5 确认合格", out);
        desk.confirm_commission(&staff.director, c.id, "压力测试：保修主任现场检查合格")?;
        out(&format!("完成 #{n} C5"));

        step(&mut n, "C6 付款申请", out);
        let lines = vec![
            PaymentLineInput {
                kind: LineKind::Material,
                item: "防水涂料".into(),
                unit: "kg".into(),
                quantity: format!("{}.5", rng.gen_range(1..9)),
                unit_price_fen: 2_650,
            },
            PaymentLineInput {
                kind: LineKind::Labour,
                item: "防水工".into(),
                unit: "工日".into(),
                quantity: "1".into(),
                unit_price_fen: rng.gen_range(20_000..40_000),
            },
        ];
        let r = desk.submit_payment_request(&staff.clerk, PaymentRequestInput { commission_id: c.id, lines })?;
        out(&format!("完成 #{n} 付款申请 {}", r.no));

        step(&mut n, "A7 审核", out);
        desk.review_payment_request(&staff.director, &r.no, ReviewInput { lines: Vec::new(), note: "压力测试：核对无误".into() })?;
        out(&format!("完成 #{n} A7 {}", r.no));

        for id in &staff.signers {
            step(&mut n, "会签", out);
            desk.countersign_payment_request(&staff.clerk, &r.no, *id, crate::demo::DEMO_PIN, "同意")?;
            out(&format!("完成 #{n} 会签 {}", r.no));
        }

        step(&mut n, "D8 付款", out);
        let paid_on = local_date(desk.now()).to_string();
        let r = desk.pay_payment_request(&staff.director, &r.no, PayInput { paid_on, voucher_no: format!("压付-{pid}-{chain}"), allow_negative: true })?;
        out(&format!("完成 #{n} D8 {} 分录 {}", r.no, r.entry_id.unwrap_or_default()));
    }
    Ok(n)
}
