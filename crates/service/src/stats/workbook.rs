//! The statistics workbook: every chart's and every table's numbers, one sheet each.

use super::*;
use crate::desk::Desk;
use crate::export::ExportResult;
use crate::job::Progress;
use chrono::NaiveDate;
use desk_documents::excel_out::{write_workbook, ColumnKind, OutCell, OutColumn, SheetTable};
use desk_domain::time::fmt_local;
use std::path::Path;

impl Desk {
    /// Writes every table behind the statistics page to one .xlsx, one sheet per table.
    pub fn export_statistics(&self, from: NaiveDate, to: NaiveDate, path: &Path) -> DeskResult<ExportResult> {
        self.export_statistics_with(from, to, path, &Progress::none())
    }

    /// [`Desk::export_statistics`] with progress; a cancel before the file is written leaves none.
    pub fn export_statistics_with(&self, from: NaiveDate, to: NaiveDate, path: &Path, p: &Progress) -> DeskResult<ExportResult> {
        let st = self.statistics_with(from, to, p)?;
        p.check()?;
        p.step(0, 0, "写入 Excel 文件");
        let tables = statistics_tables(&st);
        let rows = tables.iter().map(|t| t.rows.len()).sum::<usize>();
        write_workbook(path, &tables).map_err(|e| DeskError::storage(format!("导出失败：{e}")))?;
        Ok(ExportResult { path: path.display().to_string(), rows: u32::try_from(rows).unwrap_or(u32::MAX) })
    }
}

/// The sheet names of the statistics workbook, in order.
pub const SHEETS: [&str; 13] =
    ["按类别", "按部位", "按楼栋", "按批次", "按施工单位", "按月份", "满意度", "及时率", "单位评分", "重复维修", "高发问题", "人员考核", "开发商承担"];

fn pct_cell(p: Option<f64>) -> OutCell {
    p.map_or(OutCell::Empty, |p| OutCell::Percent(p / 100.0))
}

fn col(h: &str, k: ColumnKind) -> OutColumn {
    OutColumn::new(h, k)
}

/// The workbook of a statistics page: every chart's and every table's numbers.
pub fn statistics_tables(st: &Statistics) -> Vec<SheetTable> {
    let last = st.to.pred_opt().unwrap_or(st.to);
    let period = format!("{} 至 {}", st.from, last);
    let title = |what: &str| format!("{what}（报修日期 {period}，统计于 {}）", fmt_local(st.computed_at));
    let counts = |sheet: &str, what: &str, head: &str, rs: &[CountRow]| SheetTable {
        title: title(what),
        sheet_name: sheet.into(),
        columns: vec![col(head, ColumnKind::Text), col("报修单数", ColumnKind::Int), col("占比", ColumnKind::Percent)],
        rows: rs.iter().map(|r| vec![OutCell::Text(r.label.clone()), OutCell::Int(r.count), pct_cell(r.percent)]).collect(),
        total_row: false,
    };
    let s = &st.satisfaction;
    let sat_rows = [("满意", s.satisfied), ("基本满意", s.basic), ("不满意", s.dissatisfied), ("未联系上", s.not_reached)]
        .iter()
        .map(|(k, n)| vec![OutCell::Text((*k).into()), OutCell::Int(*n), if *k == "未联系上" { OutCell::Empty } else { pct_cell(percent(*n, s.visited)) }])
        .collect();
    vec![
        counts(SHEETS[0], "缺陷类别分布", "类别", &st.by_category),
        counts(SHEETS[1], "高发部位（前 20）", "部位", &st.by_part),
        counts(SHEETS[2], "各楼栋报修", "楼栋", &st.by_building),
        counts(SHEETS[3], "各交付批次报修", "批次", &st.by_batch),
        counts(SHEETS[4], "各施工/维保单位承修报修单", "单位", &st.by_contractor),
        counts(SHEETS[5], "月度报修趋势", "月份", &st.by_month),
        SheetTable {
            title: title("回访满意度（占已回访）"),
            sheet_name: SHEETS[6].into(),
            columns: vec![col("满意度", ColumnKind::Text), col("报修单数", ColumnKind::Int), col("占比", ColumnKind::Percent)],
            rows: sat_rows,
            total_row: false,
        },
        SheetTable {
            title: title(&format!("各项时限及时率（目标 {ON_TIME_TARGET_PERCENT}%）")),
            sheet_name: SHEETS[7].into(),
            columns: vec![
                col("环节", ColumnKind::Text),
                col("依据", ColumnKind::Text),
                col("及时", ColumnKind::Int),
                col("超时", ColumnKind::Int),
                col("未到期", ColumnKind::Int),
                col("及时率", ColumnKind::Percent),
                col("口径", ColumnKind::Text),
            ],
            rows: st
                .on_time
                .iter()
                .map(|r| {
                    vec![
                        OutCell::Text(r.label.clone()),
                        OutCell::Text(r.section.clone()),
                        OutCell::Int(r.on_time),
                        OutCell::Int(r.late),
                        OutCell::Int(r.pending),
                        pct_cell(r.percent),
                        OutCell::Text(r.definition.clone()),
                    ]
                })
                .collect(),
            total_row: false,
        },
        SheetTable {
            title: title("施工/维保单位评分"),
            sheet_name: SHEETS[8].into(),
            columns: vec![
                col("单位", ColumnKind::Text),
                col("类型", ColumnKind::Text),
                col("调度单数", ColumnKind::Int),
                col("已到场", ColumnKind::Int),
                col("准时到场", ColumnKind::Int),
                col("准时到场率", ColumnKind::Percent),
                col("返修单数", ColumnKind::Int),
                col("返修率", ColumnKind::Percent),
                col("已完工", ColumnKind::Int),
                col("平均完工天数", ColumnKind::Decimal),
                col("已回访", ColumnKind::Int),
                col("满意+基本满意", ColumnKind::Int),
                col("满意率", ColumnKind::Percent),
            ],
            rows: st
                .scorecard
                .iter()
                .map(|c| {
                    vec![
                        OutCell::Text(c.name.clone()),
                        OutCell::Text(c.kind_label.clone()),
                        OutCell::Int(c.dispatches),
                        OutCell::Int(c.arrivals),
                        OutCell::Int(c.on_time_arrivals),
                        pct_cell(c.on_time_arrival_percent),
                        OutCell::Int(c.reworks),
                        pct_cell(c.rework_percent),
                        OutCell::Int(c.completed),
                        c.avg_days_to_complete.map_or(OutCell::Empty, OutCell::Decimal),
                        OutCell::Int(c.visited),
                        OutCell::Int(c.satisfied),
                        pct_cell(c.satisfied_percent),
                    ]
                })
                .collect(),
            total_row: false,
        },
        SheetTable {
            title: title(&format!("重复维修（同户同部位，共 {} 单）", st.repeats.repeat_tickets)),
            sheet_name: SHEETS[9].into(),
            columns: vec![
                col("房号", ColumnKind::Text),
                col("部位", ColumnKind::Text),
                col("本期报修", ColumnKind::Int),
                col("本期前报修", ColumnKind::Int),
                col("重复维修单数", ColumnKind::Int),
            ],
            rows: st
                .repeats
                .places
                .iter()
                .map(|p| {
                    vec![
                        OutCell::Text(p.unit.clone()),
                        OutCell::Text(p.part.clone()),
                        OutCell::Int(p.in_period),
                        OutCell::Int(p.before),
                        OutCell::Int(p.repeats),
                    ]
                })
                .collect(),
            total_row: false,
        },
        SheetTable {
            title: title(&format!("高发问题（与 {} 起的上一期比较）", st.previous_from)),
            sheet_name: SHEETS[10].into(),
            columns: vec![
                col("类别", ColumnKind::Text),
                col("部位", ColumnKind::Text),
                col("本期", ColumnKind::Int),
                col("上期", ColumnKind::Int),
                col("预警", ColumnKind::Text),
            ],
            rows: st
                .recurring
                .iter()
                .map(|r| {
                    vec![
                        OutCell::Text(r.category_label.clone()),
                        OutCell::Text(r.part.clone()),
                        OutCell::Int(r.count),
                        OutCell::Int(r.previous),
                        OutCell::Text(if r.rising { "上升".into() } else { String::new() }),
                    ]
                })
                .collect(),
            total_row: false,
        },
        SheetTable {
            title: title("人员考核及时率（§4.1.3；管家按负责的报修单，前台按接待的报修单）"),
            sheet_name: SHEETS[11].into(),
            columns: vec![
                col("姓名", ColumnKind::Text),
                col("岗位", ColumnKind::Text),
                col("报修单数", ColumnKind::Int),
                col("环节", ColumnKind::Text),
                col("及时", ColumnKind::Int),
                col("超时", ColumnKind::Int),
                col("未到期", ColumnKind::Int),
                col("及时率", ColumnKind::Percent),
            ],
            rows: st
                .by_staff
                .iter()
                .flat_map(|p| {
                    let person = |label: String, on_time: i64, late: i64, pending: i64, pct: Option<f64>| {
                        vec![
                            OutCell::Text(p.name.clone()),
                            OutCell::Text(p.role_label.clone()),
                            OutCell::Int(p.tickets),
                            OutCell::Text(label),
                            OutCell::Int(on_time),
                            OutCell::Int(late),
                            OutCell::Int(pending),
                            pct_cell(pct),
                        ]
                    };
                    p.duties
                        .iter()
                        .map(|d| person(d.label.clone(), d.on_time, d.late, d.pending, d.percent))
                        .chain(std::iter::once(person("合计".into(), p.on_time, p.late, p.pending, p.percent)))
                        .collect::<Vec<_>>()
                })
                .collect(),
            total_row: false,
        },
        SheetTable {
            title: format!("开发商承担的维修费用与赔偿（费用日期、赔偿协议日期 {period}，统计于 {}）", fmt_local(st.computed_at)),
            sheet_name: SHEETS[12].into(),
            columns: vec![
                col("项目", ColumnKind::Text),
                col("月份", ColumnKind::Text),
                col("报修单数", ColumnKind::Int),
                col("材料（元）", ColumnKind::Money),
                col("人工（元）", ColumnKind::Money),
                col("其他（元）", ColumnKind::Money),
                col("赔偿（元）", ColumnKind::Money),
                col("合计（元）", ColumnKind::Money),
            ],
            rows: st
                .developer_costs
                .iter()
                .map(|m| {
                    vec![
                        OutCell::Text(m.project.clone()),
                        OutCell::Text(m.month.clone()),
                        OutCell::Int(i64::from(m.tickets)),
                        OutCell::Money(desk_domain::money::Fen(m.material_fen)),
                        OutCell::Money(desk_domain::money::Fen(m.labour_fen)),
                        OutCell::Money(desk_domain::money::Fen(m.other_fen)),
                        OutCell::Money(desk_domain::money::Fen(m.compensation_fen)),
                        OutCell::Money(desk_domain::money::Fen(m.total_fen)),
                    ]
                })
                .collect(),
            total_row: true,
        },
    ]
}
