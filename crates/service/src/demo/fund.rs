//! The demo's warranty-deposit fund, made the way a real center gets one: the project
//! department's ledger workbook (汇总 + 明细, WPS-style title and 合计 row) is written to a file
//! and imported through A3; then two commissioned repairs go through the payment flow — one
//! paid (its deduction lands on the builder's deposit), one waiting for the A7 review — and a
//! third waits for its C5 confirmation.

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::fund::commission::CommissionInput;
use crate::fund::payment::{PayInput, PaymentLineInput, PaymentRequestInput, ReviewInput};
use crate::tickets::TicketFilter;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use desk_domain::fund::LineKind;
use desk_domain::records::ContractorKind;
use desk_domain::ticket::{Category, TicketStatus};
use rust_xlsxwriter::{Format, Workbook};
use std::path::Path;

/// (builder, contract no, contract name, settled yuan, rate %, months)
const CONTRACTS: &[(&str, &str, &str, i64, i64, u32)] = &[
    ("华北宏泰建设工程有限公司", "CHLT-SG-001", "翠湖澜庭一二期土建总包", 186_450_000, 3, 24),
    ("城安防水工程有限公司", "CHLT-FS-003", "翠湖澜庭防水工程", 4_860_000, 5, 60),
    ("冀东门窗幕墙有限公司", "CHLT-MC-004", "翠湖澜庭门窗幕墙", 12_300_000, 3, 24),
    ("京安机电安装工程有限公司", "CHLT-JD-005", "翠湖澜庭给排水及暖通", 9_750_000, 3, 24),
    ("恒远装饰工程有限公司", "CHLT-ZS-006", "翠湖澜庭精装修", 21_600_000, 3, 24),
];

/// Writes the department's workbook for the demo project to `path`.
fn write_department_workbook(path: &Path, settled_on: NaiveDate) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let money = Format::new().set_num_format("#,##0.00");
    let s = wb.add_worksheet().set_name("汇总")?;
    s.merge_range(0, 0, 0, 9, "翠湖澜庭项目保修金汇总表", &bold)?;
    let head = ["序号", "项目名称", "合同编号", "合同名称", "施工单位", "结算金额（元）", "保修金比例", "保修金金额（元）", "保修期起", "保修期止"];
    for (c, h) in head.iter().enumerate() {
        s.write_with_format(1, c as u16, *h, &bold)?;
    }
    for (i, (builder, no, name, settled, rate, months)) in CONTRACTS.iter().enumerate() {
        let r = i as u32 + 2;
        let deposit = settled * rate / 100;
        let end = desk_domain::fund::ledger::period_end(settled_on, *months).unwrap_or(settled_on);
        s.write(r, 0, i as u32 + 1)?;
        s.write(r, 1, "翠湖澜庭")?;
        s.write(r, 2, *no)?;
        s.write(r, 3, *name)?;
        s.write(r, 4, *builder)?;
        s.write_with_format(r, 5, *settled as f64, &money)?;
        s.write(r, 6, format!("{rate}%"))?;
        s.write_with_format(r, 7, deposit as f64, &money)?;
        s.write_with_format(r, 8, &rust_xlsxwriter::ExcelDateTime::parse_from_str(&settled_on.to_string())?, &date)?;
        s.write_with_format(r, 9, &rust_xlsxwriter::ExcelDateTime::parse_from_str(&end.to_string())?, &date)?;
    }
    let m = wb.add_worksheet().set_name("明细账")?;
    m.merge_range(0, 0, 0, 7, "翠湖澜庭项目保修金明细账", &bold)?;
    for (c, h) in ["日期", "凭证号", "施工单位", "合同编号", "摘要", "计提/收取(贷方)", "扣款/支付(借方)", "经办人"].iter().enumerate()
    {
        m.write_with_format(1, c as u16, *h, &bold)?;
    }
    let mut total = 0i64;
    for (i, (builder, no, _, settled, rate, _)) in CONTRACTS.iter().enumerate() {
        let r = i as u32 + 2;
        let deposit = settled * rate / 100;
        total += deposit;
        m.write_with_format(r, 0, &rust_xlsxwriter::ExcelDateTime::parse_from_str(&settled_on.to_string())?, &date)?;
        m.write(r, 1, format!("记-{:03}", 101 + i))?;
        m.write(r, 2, *builder)?;
        m.write(r, 3, *no)?;
        m.write(r, 4, "结算时预留保修金")?;
        m.write_with_format(r, 5, deposit as f64, &money)?;
        m.write(r, 7, "项目部 何静")?;
    }
    let r = CONTRACTS.len() as u32 + 2;
    m.write(r, 0, "合计")?;
    m.write_with_format(r, 5, total as f64, &money)?;
    wb.save(path)
}

/// B4 (保修金流程 3.2 "每季度进行一次对帐"): the finished quarters since the ledger arrived were
/// reconciled with the department's workbook — the first within the 15 days, the second late —
/// and the latest finished one is still to do (on 今日待办 and in the rate).
fn reconcile_quarters(desk: &mut Desk, boss: &Session, file: &Path, now: DateTime<Utc>) -> DeskResult<()> {
    use desk_domain::fund::ledger::Quarter;
    let today = desk_domain::time::local_date(now);
    let mut q = Quarter::of(desk_domain::time::local_date(now - Duration::days(330)));
    let mut finished = Vec::new();
    while q.last_day() < today && finished.len() < 8 {
        finished.push(q);
        q = q.next();
    }
    let n = finished.len();
    for (i, q) in finished.into_iter().enumerate().take(n.saturating_sub(1)) {
        let days = if i % 2 == 1 { 24 } else { 9 };
        let at = desk_domain::time::local_day_start(q.next().first_day() + Duration::days(days)) + Duration::hours(10);
        desk.set_clock(Box::new(move || at));
        desk.save_reconciliation(boss, file, q)?;
    }
    Ok(())
}

/// Imports the ledger and walks three commissioned repairs. `now` is the demo's present.
/// 基础资料 → 责任施工单位 of the demo: the general contractor answers for both batches, the
/// specialist contracts for their trades.
fn map_liable_builders(desk: &mut Desk, boss: &Session) -> DeskResult<()> {
    use desk_domain::coverage::PartClass as P;
    let trades: &[(&str, &[P])] = &[
        ("CHLT-FS-003", &[P::RoofWaterproofing, P::WetRoomLeak]),
        ("CHLT-MC-004", &[P::DoorWindow]),
        ("CHLT-JD-005", &[P::WallFloorPipeLeak, P::PipeBlockage, P::HeatingCooling, P::SanitaryWare, P::ElectricalPlumbingInstall, P::LampsSwitches]),
        ("CHLT-ZS-006", &[P::Decoration]),
    ];
    let ledgers = desk.ledgers()?;
    let project_id = desk.active_project()?.id;
    for batch in desk.batches(project_id)? {
        if let Some(general) = ledgers.iter().find(|l| l.contract_no == "CHLT-SG-001") {
            desk.add_liability(boss, batch.id, None, general.id)?;
        }
        for (contract, classes) in trades {
            if let Some(l) = ledgers.iter().find(|l| l.contract_no == *contract) {
                for class in *classes {
                    desk.add_liability(boss, batch.id, Some(*class), l.id)?;
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn populate(desk: &mut Desk, boss: &Session, clerk: &Session, now: DateTime<Utc>) -> DeskResult<usize> {
    let today = desk_domain::time::local_date(now);
    let settled_on = today - Duration::days(335);
    let dir = tempfile::tempdir().map_err(|e| DeskError::storage(format!("无法创建临时文件夹：{e}")))?;
    let file = dir.path().join("翠湖澜庭保修金明细账.xlsx");
    write_department_workbook(&file, settled_on).map_err(|e| DeskError::storage(format!("无法生成演示明细账：{e}")))?;
    // A3: the ledger arrived a few days after the first batch's delivery.
    desk.set_clock(Box::new(move || now - Duration::days(330)));
    let imported = desk.import_ledger(boss, &file, false)?;
    map_liable_builders(desk, boss)?;
    reconcile_quarters(desk, boss, &file, now)?;

    // Leaks the waterproofing builder did not come back for: the center hires a firm.
    let firm = desk.contractors()?.into_iter().find(|c| c.kind == ContractorKind::Maintenance && c.name.contains("防水"));
    let ledger = desk.ledgers()?.into_iter().find(|l| l.builder.contains("城安防水"));
    let (Some(firm), Some(ledger)) = (firm, ledger) else { return Ok(imported.movements as usize) };
    let filter = TicketFilter { category: Some(Category::Leak), status: Some(TicketStatus::Visited), limit: Some(200), ..Default::default() };
    let page = desk.list_tickets(&filter, 10_000)?;
    // Leaks the verdict lays at the waterproofing builder's door (wet rooms, roofs, outer walls).
    let mut leaks: Vec<String> = Vec::new();
    for t in &page.items {
        if leaks.len() == 3 {
            break;
        }
        if desk.coverage_of_ticket(&t.no)?.builder.is_some_and(|b| b.ledger_id == ledger.id) {
            leaks.push(t.no.clone());
        }
    }
    let gm = desk.session_for(Some("吴国栋"))?;
    let reason = "城安防水两次书面通知后 48 小时内未到场，业主家中持续渗水";
    for (i, no) in leaks.iter().enumerate() {
        desk.set_clock(Box::new(move || now - Duration::days(40 - 12 * i as i64)));
        let c = desk.commission_repair(
            clerk,
            CommissionInput {
                ticket_no: no.clone(),
                firm_id: firm.id,
                ledger_id: Some(ledger.id),
                builder_id: None,
                reason: reason.into(),
                exception_reason: None,
            },
        )?;
        if i == 2 {
            break; // waits for C5
        }
        desk.confirm_commission(boss, c.id, "")?;
        let lines = vec![
            PaymentLineInput {
                kind: LineKind::Material, item: "聚氨酯防水涂料".into(), unit: "kg".into(), quantity: "18".into(), unit_price_fen: 2_650
            },
            PaymentLineInput {
                kind: LineKind::Material, item: "瓷砖（同型号补配）".into(), unit: "m²".into(), quantity: "6.5".into(), unit_price_fen: 8_800
            },
            PaymentLineInput {
                kind: LineKind::Labour,
                item: "拆除、防水、闭水试验、恢复".into(),
                unit: "工日".into(),
                quantity: "3".into(),
                unit_price_fen: 45_000,
            },
        ];
        let r = desk.submit_payment_request(clerk, PaymentRequestInput { commission_id: c.id, lines })?;
        if i == 1 {
            continue; // waits for the A7 review
        }
        desk.set_clock(Box::new(move || now - Duration::days(21)));
        desk.review_payment_request(boss, &r.no, ReviewInput { lines: Vec::new(), note: "材料、数量、单价核对无误".into() })?;
        for s in [boss, &gm] {
            desk.countersign_payment_request(s, &r.no, s.staff_id, crate::demo::DEMO_PIN, "同意")?;
        }
        let paid_on = (today - Duration::days(21)).to_string();
        desk.pay_payment_request(boss, &r.no, PayInput { paid_on, voucher_no: "付-1107".into(), allow_negative: false })?;
    }
    Ok(imported.movements as usize)
}
