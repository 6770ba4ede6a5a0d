//! The daily report laid out as the F03 document (sections, columns, cells) for the PDF and the workbook.

use super::export::{figure_lines, local_naive};
use super::*;
use desk_documents::excel_out::{ColumnKind, OutCell};
use desk_documents::f03::{F03Column, F03Report, F03Section};
use desk_domain::report_text::short_time;
use desk_domain::time::fmt_local;

fn t(s: &str) -> OutCell {
    OutCell::Text(s.to_string())
}
fn dt(x: DateTime<Utc>) -> OutCell {
    OutCell::DateTime(local_naive(x))
}
fn col(h: &str, k: ColumnKind, w: Option<f32>) -> F03Column {
    F03Column::new(h, k, w)
}

/// The report formatted for the PDF and the workbook.
pub(super) fn to_doc(r: &DailyReport) -> F03Report {
    use ColumnKind::{DateTime as Dt, Int, Text};
    let (no, unit, owner, phone) =
        (col("报修编号", Text, Some(22.0)), col("房号", Text, Some(14.0)), col("业主", Text, Some(12.0)), col("联系电话", Text, Some(17.5)));
    let sections = vec![
        F03Section {
            title: format!("一、报修情况（新增报修 {} 张）", r.new_reports.len()),
            sheet_name: "报修情况".into(),
            columns: vec![
                no.clone(),
                col("报修时间", Dt, Some(17.0)),
                unit.clone(),
                owner.clone(),
                phone.clone(),
                col("报修方式", Text, None),
                col("类别", Text, Some(10.0)),
                col("部位", Text, Some(14.0)),
                col("缺陷描述", Text, Some(0.0)),
                col("分类", Text, None),
                col("状态", Text, Some(12.0)),
                col("责任管家", Text, Some(12.0)),
                col("接待人", Text, None),
            ],
            rows: r
                .new_reports
                .iter()
                .map(|x| {
                    vec![
                        t(&x.no),
                        dt(x.reported_at),
                        t(&x.unit),
                        t(&x.owner),
                        t(&x.phone),
                        t(&x.channel),
                        t(&x.category),
                        t(&x.part),
                        t(&x.description),
                        t(&x.classification),
                        t(x.status.label()),
                        t(&x.steward),
                        t(&x.receptionist),
                    ]
                })
                .collect(),
            empty_text: "当日无新增报修。".into(),
        },
        F03Section {
            title: format!("二、完成情况（完工验收 {} 张）", r.completions.len()),
            sheet_name: "完成情况".into(),
            columns: vec![
                no.clone(),
                unit.clone(),
                owner.clone(),
                phone.clone(),
                col("部位", Text, Some(14.0)),
                col("缺陷描述", Text, Some(0.0)),
                col("调度单号", Text, None),
                col("维修单位", Text, Some(20.0)),
                col("完工时间", Dt, Some(17.0)),
                col("验收时间", Dt, Some(17.0)),
                col("验收方式", Text, Some(26.0)),
                col("业主意见", Text, None),
                col("责任管家", Text, None),
            ],
            rows: r
                .completions
                .iter()
                .map(|x| {
                    vec![
                        t(&x.no),
                        t(&x.unit),
                        t(&x.owner),
                        t(&x.phone),
                        t(&x.part),
                        t(&x.description),
                        t(&x.dispatch_no),
                        t(&x.contractor),
                        x.completed_at.map(dt).unwrap_or(OutCell::Empty),
                        dt(x.accepted_at),
                        t(&if x.opinion.is_empty() { x.acceptance.clone() } else { format!("{}；{}", x.acceptance, x.opinion) }),
                        t(&x.opinion),
                        t(&x.steward),
                    ]
                })
                .collect(),
            empty_text: "当日无完工验收。".into(),
        },
        F03Section {
            title: format!("三、通知业主（完工通知 {} 次）", r.notices.len()),
            sheet_name: "通知业主".into(),
            columns: vec![
                no.clone(),
                unit.clone(),
                owner.clone(),
                phone.clone(),
                col("通知时间", Dt, Some(17.0)),
                col("第几次", Int, Some(10.0)),
                col("结果", Text, Some(14.0)),
                col("说明", Text, Some(0.0)),
                col("新电话", Text, None),
                col("经办人", Text, Some(12.0)),
            ],
            rows: r
                .notices
                .iter()
                .map(|x| {
                    let note = if x.new_phone.is_empty() {
                        x.note.clone()
                    } else {
                        format!("{}；业主电话已变更为 {}，已反馈客户服务部", x.note, x.new_phone)
                    };
                    vec![
                        t(&x.no),
                        t(&x.unit),
                        t(&x.owner),
                        t(&x.phone),
                        dt(x.at),
                        OutCell::Int(x.attempt),
                        t(if x.reached { "已告知" } else { "未联系上" }),
                        t(note.trim_start_matches('；')),
                        t(&x.new_phone),
                        t(&x.by),
                    ]
                })
                .collect(),
            empty_text: "当日无完工通知。".into(),
        },
        F03Section {
            title: format!("四、回访情况（回访 {} 次）", r.return_visits.len()),
            sheet_name: "回访情况".into(),
            columns: vec![
                no.clone(),
                unit.clone(),
                owner.clone(),
                phone.clone(),
                col("回访时间", Dt, Some(17.0)),
                col("结果", Text, Some(13.0)),
                col("满意度", Text, Some(12.0)),
                col("业主意见", Text, Some(0.0)),
                col("非保修范围事项", Text, Some(30.0)),
                col("回访人", Text, Some(12.0)),
            ],
            rows: r
                .return_visits
                .iter()
                .map(|x| {
                    vec![
                        t(&x.no),
                        t(&x.unit),
                        t(&x.owner),
                        t(&x.phone),
                        dt(x.at),
                        t(if x.reached { "已联系上" } else { "未联系上" }),
                        t(x.satisfaction.map(|s| s.label()).unwrap_or("")),
                        t(&x.comments),
                        t(&x.out_of_scope),
                        t(&x.by),
                    ]
                })
                .collect(),
            empty_text: "当日无回访。".into(),
        },
        F03Section {
            title: format!("五、非保修范围事项（{} 项，§5.1.5.3）", r.out_of_scope.len()),
            sheet_name: "非保修范围事项".into(),
            columns: vec![
                col("分类", Text, Some(26.0)),
                col("业主提出的事项", Text, Some(0.0)),
                no.clone(),
                unit.clone(),
                owner.clone(),
                phone.clone(),
                col("提出时间", Dt, Some(17.0)),
                col("记录人", Text, None),
            ],
            rows: r.out_of_scope.iter().map(|x| vec![t(&x.class), t(&x.matter), t(&x.no), t(&x.unit), t(&x.owner), t(&x.phone), dt(x.at), t(&x.by)]).collect(),
            empty_text: "当日无业主提出的非保修范围事项。".into(),
        },
        F03Section {
            title: format!("六、上报项目总经理事项（未确认 {} 项，当日新上报 {} 项）", r.figures.escalations_open, r.figures.escalations_raised),
            sheet_name: "上报事项".into(),
            columns: vec![
                col("类型", Text, Some(26.0)),
                col("条款", Text, Some(14.0)),
                col("报修编号", Text, Some(22.0)),
                col("房号", Text, Some(14.0)),
                col("情况说明", Text, Some(0.0)),
                col("上报时间", Dt, Some(17.0)),
                col("上报人", Text, Some(13.0)),
                col("确认情况", Text, Some(25.0)),
            ],
            rows: r
                .escalations
                .iter()
                .map(|x| {
                    let ack = match (&x.acknowledged_at, x.open) {
                        (Some(a), false) => format!(
                            "{} 已确认 {}{}",
                            x.acknowledged_by.as_deref().unwrap_or(""),
                            short_time(*a),
                            if x.ack_note.is_empty() { String::new() } else { format!("：{}", x.ack_note) }
                        ),
                        _ => "待项目总经理确认".into(),
                    };
                    vec![
                        t(&x.kind_label),
                        t(&x.section),
                        t(x.ticket_no.as_deref().unwrap_or("")),
                        t(x.unit.as_deref().unwrap_or("")),
                        t(&x.detail),
                        dt(x.raised_at),
                        t(&x.raised_by),
                        t(&ack),
                    ]
                })
                .chain(r.matters.iter().map(|m| {
                    vec![t(&m.kind_label), t(&m.section), t(&m.ticket_no), t(&m.units), t(&m.detail), dt(m.reported_at), t(&m.reported_by), t(&m.state)]
                }))
                .collect(),
            empty_text: "无待确认的上报事项。".into(),
        },
        F03Section {
            title: format!("七、在办报修单进展（{} 张，已超时 {} 张；截至 {}）", r.progress.len(), r.figures.overdue_tickets, fmt_local(r.generated_at)),
            sheet_name: "在办报修单进展".into(),
            columns: vec![
                no,
                unit,
                owner,
                phone,
                col("部位", Text, Some(14.0)),
                col("缺陷描述", Text, None),
                col("状态", Text, Some(12.0)),
                col("责任管家", Text, Some(12.0)),
                col("报修时间", Dt, None),
                col("已办天数", Int, Some(10.0)),
                col("维修单位", Text, None),
                col("最新进展", Text, Some(0.0)),
                col("待办与超时", Text, Some(32.0)),
                col("暂停计时", Text, None),
            ],
            rows: r
                .progress
                .iter()
                .map(|x| {
                    let mut duties = x.duties.join("\n");
                    if let Some(h) = &x.on_hold {
                        duties = format!("暂停中（{h}）\n{duties}");
                    }
                    vec![
                        t(&x.no),
                        t(&x.unit),
                        t(&x.owner),
                        t(&x.phone),
                        t(&x.part),
                        t(&x.description),
                        t(x.status.label()),
                        t(&x.steward),
                        dt(x.reported_at),
                        OutCell::Int(x.days_open),
                        t(&x.contractor),
                        t(&x.latest),
                        t(duties.trim_end()),
                        t(x.on_hold.as_deref().unwrap_or("")),
                    ]
                })
                .collect(),
            empty_text: "没有在办的报修单。".into(),
        },
    ];
    F03Report {
        project: r.project.clone(),
        date: r.date,
        generated: fmt_local(r.generated_at),
        summary: figure_lines(&r.figures).into_iter().map(|(l, v)| (l, OutCell::Text(v))).collect(),
        sections,
    }
}
