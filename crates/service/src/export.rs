//! Every list exports to Excel. Phones are masked (138****5678) unless the user explicitly asks
//! for the full list, and that choice is written to the audit log (PIPL).

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::tickets::TicketFilter;
use desk_documents::excel_out::{write_table, ColumnKind, OutCell, OutColumn, SheetTable};
use desk_domain::audit::AuditAction;
use desk_domain::phone::mask_phone;
use desk_domain::time::desk_tz;
use desk_store::{audit, tickets};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ExportResult {
    pub path: String,
    pub rows: u32,
}

/// The export refuses lists longer than a workbook a clerk could open comfortably.
const MAX_EXPORT_ROWS: usize = 200_000;

impl Desk {
    /// Writes every ticket matching `f` (all pages) to an .xlsx file.
    pub fn export_tickets(&self, s: &Session, f: &TicketFilter, path: &Path, full_phone: bool) -> DeskResult<ExportResult> {
        let mut q = f.to_query();
        q.before_id = None;
        q.limit = 5_000;
        let mut rows = Vec::new();
        loop {
            let page = tickets::list(&self.store.reader()?.db(), &q)?;
            let last = page.last().map(|t| t.id);
            for t in &page {
                let local = t.reported_at.with_timezone(&desk_tz()).naive_local();
                rows.push(vec![
                    OutCell::Text(t.no.clone()),
                    OutCell::DateTime(local),
                    OutCell::Text(t.unit.clone()),
                    OutCell::Text(t.owner.clone()),
                    OutCell::Text(if full_phone { t.phone.clone() } else { mask_phone(&t.phone) }),
                    OutCell::Text(t.part.clone()),
                    OutCell::Text(t.category.label().into()),
                    OutCell::Text(t.description.clone()),
                    OutCell::Text(t.classification.map(|c| c.label().to_string()).unwrap_or_default()),
                    OutCell::Text(t.status.label().into()),
                    OutCell::Text(t.steward.clone().unwrap_or_default()),
                ]);
            }
            if rows.len() > MAX_EXPORT_ROWS {
                return Err(DeskError::invalid("filter", format!("符合条件的报修单超过 {MAX_EXPORT_ROWS} 张，请先缩小筛选范围再导出")));
            }
            match last {
                Some(id) if page.len() as u32 == q.limit => q.before_id = Some(id),
                _ => break,
            }
        }
        let headers = [
            ("报修编号", ColumnKind::Text),
            ("报修时间", ColumnKind::DateTime),
            ("房号", ColumnKind::Text),
            ("业主", ColumnKind::Text),
            ("联系电话", ColumnKind::Text),
            ("部位", ColumnKind::Text),
            ("类别", ColumnKind::Text),
            ("缺陷描述", ColumnKind::Text),
            ("分类", ColumnKind::Text),
            ("状态", ColumnKind::Text),
            ("责任管家", ColumnKind::Text),
        ];
        let n = rows.len() as u32;
        let project = self.active_project()?;
        let table = SheetTable {
            title: format!("{}报修单列表（导出于 {}）", project.name, desk_domain::time::fmt_local(self.now())),
            sheet_name: "报修单".into(),
            columns: headers.iter().map(|(h, k)| OutColumn::new(*h, *k)).collect(),
            rows,
            total_row: false,
        };
        write_table(path, &table).map_err(|e| DeskError::storage(format!("导出失败：{e}")))?;
        let at = self.now();
        let detail = if full_phone {
            format!("导出报修单 {n} 张（含完整电话号码）到 {}", path.display())
        } else {
            format!("导出报修单 {n} 张到 {}", path.display())
        };
        self.store.with_tx(|tx| audit::append(tx, at, Some(s.staff_id), AuditAction::Export, "project", project.id, &detail))?;
        Ok(ExportResult { path: path.display().to_string(), rows: n })
    }
}
