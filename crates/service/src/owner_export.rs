//! PIPL (个人信息保护法 第四十五条): an owner may ask for a copy of the personal data the desk
//! holds about them. This writes it to one workbook — the owner's own data, so phones are in
//! full — and records in the audit log who exported it, when and why (the reason is required).
//!
//! What "the owner's data" covers: every owner record of the same person (same name and a
//! shared phone: the desk keeps one record per unit), the units, every ticket of those units
//! with its dispatches, follow-ups, acceptance and return visits, and the record of who
//! accessed or exported this owner's data (audit lines about the owner and the units,
//! including this export).

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use chrono::{DateTime, Utc};
use desk_documents::excel_out::{write_workbook, ColumnKind, OutCell, OutColumn, SheetTable};
use desk_domain::audit::AuditAction;
use desk_domain::records::{OwnerRecord, TicketDetail, UnitRecord};
use desk_domain::staff::Role;
use desk_domain::ticket::{validate_text, TicketStatus};
use desk_domain::time::{desk_tz, fmt_local};
use desk_store::{audit, master, privacy, tickets};
use serde::Serialize;
use std::path::Path;

/// Who may export an owner's data: the director, and the front desk that receives the request.
pub const OWNER_EXPORTERS: &[Role] = &[Role::Director, Role::FrontDesk];

/// The sheet names of the owner's workbook, in order.
pub const OWNER_SHEETS: [&str; 4] = ["业主信息", "报修记录", "维修与回访", "查询记录"];

/// What was written.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OwnerExport {
    pub path: String,
    pub owner: String,
    pub units: u32,
    pub tickets: u32,
}

/// A ticket of one of the owner's units can hold up to this many (the unit archive's cap).
const MAX_TICKETS_PER_UNIT: u32 = 10_000;

fn at(t: DateTime<Utc>) -> OutCell {
    OutCell::DateTime(t.with_timezone(&desk_tz()).naive_local())
}

fn opt_at(t: Option<DateTime<Utc>>) -> OutCell {
    t.map_or(OutCell::Empty, at)
}

fn text(s: impl Into<String>) -> OutCell {
    OutCell::Text(s.into())
}

fn cols(spec: &[(&str, ColumnKind)]) -> Vec<OutColumn> {
    spec.iter().map(|(h, k)| OutColumn::new(*h, *k)).collect()
}

/// When the ticket was closed: the last status line of its timeline that closed it.
fn closed_at(t: &TicketDetail) -> Option<DateTime<Utc>> {
    if !matches!(t.status, TicketStatus::Closed | TicketStatus::Visited) {
        return None;
    }
    t.timeline.iter().rev().find(|e| e.action == desk_domain::audit::AuditAction::Status.code() && e.detail.contains("关闭")).map(|e| e.at)
}

impl Desk {
    /// Exports everything the desk holds about owner `owner_id` to `out` (.xlsx), on the
    /// owner's request; `reason` (e.g. "业主本人来访申请，已核验身份证") is required and audited.
    pub fn export_owner_data(&self, s: &Session, owner_id: i64, reason: &str, out: &Path) -> DeskResult<OwnerExport> {
        require_role(s, OWNER_EXPORTERS, "导出业主的个人信息")?;
        let reason = validate_text("reason", "导出原因", reason, 200, true)?;
        let now = self.now();
        let reader = self.store.reader()?;
        let c = &reader.db();
        let owner = privacy::owner(c, owner_id)?;
        let records = privacy::same_person(c, &owner)?;
        let mut units: Vec<UnitRecord> = Vec::new();
        for r in &records {
            if !units.iter().any(|u| u.id == r.unit_id) {
                units.push(master::get_unit(c, r.unit_id)?);
            }
        }
        let mut details: Vec<TicketDetail> = Vec::new();
        for u in &units {
            let mut list = tickets::of_unit(c, u.id, MAX_TICKETS_PER_UNIT)?;
            list.reverse();
            for t in list {
                details.push(crate::tickets::detail(c, t.id)?);
            }
        }
        let mut keys: Vec<(&str, i64)> = records.iter().map(|r| ("owner", r.id)).collect();
        keys.extend(units.iter().map(|u| ("unit", u.id)));
        let accesses = audit::list_for_any(c, &keys)?;
        let projects = self.projects()?;

        let detail =
            format!("导出业主「{}」的个人信息（房屋 {} 处、报修单 {} 张）到 {}。原因：{reason}", owner.name, units.len(), details.len(), out.display());
        let mut tables = vec![owner_sheet(&records, &units, &projects), tickets_sheet(&details), repairs_sheet(&details), access_sheet(&accesses)];
        // This export is part of the record the owner receives.
        if let Some(last) = tables.last_mut() {
            last.rows.push(vec![
                at(now),
                text(s.name.clone()),
                text(desk_domain::audit::AuditAction::ExportOwnerData.label().to_string()),
                text(detail.clone()),
            ]);
        }
        for t in &mut tables {
            t.title = format!("{}（{}，导出于 {}）", t.title, owner.name, fmt_local(now));
        }
        write_workbook(out, &tables).map_err(|e| DeskError::storage(format!("导出失败：{e}")))?;
        let logged = self.store.with_tx(|tx| Ok(audit::append(tx, now, Some(s.staff_id), AuditAction::ExportOwnerData, "owner", owner.id, &detail)?));
        if let Err(e) = logged {
            // An export nobody can account for must not stay on disk.
            let _ = std::fs::remove_file(out);
            return Err(e);
        }
        Ok(OwnerExport {
            path: out.display().to_string(),
            owner: owner.name,
            units: u32::try_from(units.len()).unwrap_or(u32::MAX),
            tickets: u32::try_from(details.len()).unwrap_or(u32::MAX),
        })
    }
}

fn owner_sheet(records: &[OwnerRecord], units: &[UnitRecord], projects: &[desk_domain::records::Project]) -> SheetTable {
    let rows = records
        .iter()
        .map(|o| {
            let u = units.iter().find(|u| u.id == o.unit_id);
            let project = u.and_then(|u| projects.iter().find(|p| p.id == u.project_id)).map(|p| p.name.clone()).unwrap_or_default();
            vec![
                text(o.name.clone()),
                text(o.phones.join("、")),
                text(project),
                text(u.map(|u| u.address.clone()).unwrap_or_default()),
                text(u.map(|u| u.batch_name.clone()).unwrap_or_default()),
                u.and_then(|u| u.delivered_on).map_or(OutCell::Empty, OutCell::Date),
                u.and_then(|u| u.area_m2).map_or(OutCell::Empty, OutCell::Decimal),
                text(o.note.clone()),
            ]
        })
        .collect();
    SheetTable {
        title: "业主信息".into(),
        sheet_name: OWNER_SHEETS[0].into(),
        columns: cols(&[
            ("业主姓名", ColumnKind::Text),
            ("联系电话", ColumnKind::Text),
            ("项目", ColumnKind::Text),
            ("房号", ColumnKind::Text),
            ("批次", ColumnKind::Text),
            ("交付日期", ColumnKind::Date),
            ("建筑面积（㎡）", ColumnKind::Decimal),
            ("备注", ColumnKind::Text),
        ]),
        rows,
        total_row: false,
    }
}

fn tickets_sheet(details: &[TicketDetail]) -> SheetTable {
    let rows = details
        .iter()
        .map(|t| {
            vec![
                text(t.no.clone()),
                text(t.unit.clone()),
                at(t.reported_at),
                text(t.channel.label()),
                text(t.caller_name.clone()),
                text(t.phone.clone()),
                text(t.part.clone()),
                text(t.category.label()),
                text(t.description.clone()),
                text(t.status.label()),
                opt_at(closed_at(t)),
            ]
        })
        .collect();
    SheetTable {
        title: "报修记录".into(),
        sheet_name: OWNER_SHEETS[1].into(),
        columns: cols(&[
            ("报修编号", ColumnKind::Text),
            ("房号", ColumnKind::Text),
            ("报修时间", ColumnKind::DateTime),
            ("报修方式", ColumnKind::Text),
            ("来电人", ColumnKind::Text),
            ("联系电话", ColumnKind::Text),
            ("部位", ColumnKind::Text),
            ("类别", ColumnKind::Text),
            ("缺陷描述", ColumnKind::Text),
            ("状态", ColumnKind::Text),
            ("关闭时间", ColumnKind::DateTime),
        ]),
        rows,
        total_row: false,
    }
}

/// One row per event: dispatch (with its repair record), follow-up, acceptance; by ticket, in time order.
fn repairs_sheet(details: &[TicketDetail]) -> SheetTable {
    let mut rows = Vec::new();
    for t in details {
        let mut events: Vec<(DateTime<Utc>, Vec<OutCell>)> = Vec::new();
        for d in &t.dispatches {
            let mut what = format!("调度单 {}，{}：{}", d.no, d.contractor, d.plan);
            if d.completed_at.is_some() {
                what.push_str(&format!("；完成，原因：{}；措施：{}", d.cause, d.measures));
            }
            events.push((d.issued_at, vec![text("派工维修"), text(d.issued_by.clone()), text(what), opt_at(d.completed_at)]));
        }
        for f in &t.followups {
            let mut what = f.note.clone();
            if let Some(sat) = f.satisfaction {
                what = format!("满意度：{}。{what}", sat.label());
            }
            if !f.out_of_scope.is_empty() {
                what.push_str(&format!("；非保修范围：{}", f.out_of_scope));
            }
            if !f.new_phone.is_empty() {
                what.push_str(&format!("；新电话：{}", f.new_phone));
            }
            let outcome = if f.ok { "" } else { "（未完成/未联系上）" };
            events.push((f.at, vec![text(format!("{}{outcome}", f.kind.label())), text(f.actor.clone()), text(what), OutCell::Empty]));
        }
        if let Some(a) = &t.acceptance {
            let mut what = a.kind.label().to_string();
            if !a.owner_opinion.is_empty() {
                what.push_str(&format!("；业主意见：{}", a.owner_opinion));
            }
            if !a.notice_note.is_empty() {
                what.push_str(&format!("；{}", a.notice_note));
            }
            events.push((a.at, vec![text("验收"), text(a.recorded_by.clone()), text(what), OutCell::Empty]));
        }
        events.sort_by_key(|(when, _)| *when);
        for (when, cells) in events {
            let mut row = vec![text(t.no.clone()), at(when)];
            row.extend(cells);
            rows.push(row);
        }
    }
    SheetTable {
        title: "维修与回访".into(),
        sheet_name: OWNER_SHEETS[2].into(),
        columns: cols(&[
            ("报修编号", ColumnKind::Text),
            ("时间", ColumnKind::DateTime),
            ("事项", ColumnKind::Text),
            ("经办人", ColumnKind::Text),
            ("内容", ColumnKind::Text),
            ("完成时间", ColumnKind::DateTime),
        ]),
        rows,
        total_row: false,
    }
}

fn access_sheet(lines: &[desk_domain::records::AuditEntry]) -> SheetTable {
    let rows = lines
        .iter()
        .map(|e| vec![at(e.at), text(e.actor.clone().unwrap_or_else(|| "系统".into())), text(e.action_label.clone()), text(e.detail.clone())])
        .collect();
    SheetTable {
        title: "查询与修改记录".into(),
        sheet_name: OWNER_SHEETS[3].into(),
        columns: cols(&[("时间", ColumnKind::DateTime), ("经办人", ColumnKind::Text), ("操作", ColumnKind::Text), ("内容", ColumnKind::Text)]),
        rows,
        total_row: false,
    }
}
