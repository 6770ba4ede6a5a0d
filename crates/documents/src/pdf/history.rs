//! Per-unit repair history (分户维修历史记录): A4 portrait, the unit's particulars on top and a
//! table of every ticket that continues over as many pages as needed, with the header row
//! repeated on each page and "第 i 页 / 共 n 页" at the foot.

use chrono::NaiveDateTime;

use super::canvas::{Align, Canvas};
use super::grid::{self, label, value, Row};
use super::table::{self, Table};
use super::{new_document, save, PdfError};

/// One ticket in the history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitHistoryRow {
    /// 报修编号.
    pub ticket_no: String,
    /// 报修时间.
    pub reported_at: String,
    /// 部位.
    pub part: String,
    /// 缺陷描述.
    pub defect: String,
    /// 调度单号(s), e.g. "PG-2026-000045、PG-2026-000051".
    pub dispatch_nos: String,
    /// 维修单位.
    pub contractor: String,
    /// 完工时间.
    pub completed_at: String,
    /// 验收方式/签字 (e.g. "业主签字", "代签（主任）").
    pub acceptance: String,
    /// 满意度.
    pub satisfaction: String,
    /// 状态.
    pub status: String,
}

/// The history of one unit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitHistory {
    pub project: String,
    pub unit: String,
    /// 交付批次.
    pub batch: String,
    /// 交付日期.
    pub delivered_on: String,
    /// 业主 (one or more names).
    pub owners: String,
    pub rows: Vec<UnitHistoryRow>,
}

const TITLE: &str = "分户维修历史记录";
const PW: f32 = 210.0;
const PH: f32 = 297.0;
const M: f32 = 10.0;
const HEADERS: [&str; 10] = ["报修编号", "报修时间", "部位", "缺陷描述", "调度单号", "维修单位", "完工时间", "验收方式/签字", "满意度", "状态"];
const WIDTHS: [f32; 10] = [22.0, 17.0, 16.0, 37.0, 22.0, 20.0, 17.0, 15.0, 11.0, 13.0];

/// Renders the history; `created` becomes the PDF's creation date (taken as UTC).
pub fn render_unit_history(h: &UnitHistory, created: NaiveDateTime) -> Result<Vec<u8>, PdfError> {
    let (doc, font_id, font) = new_document(&format!("{TITLE} {} {}", h.project, h.unit), created)?;
    // The handle keeps the font for as long as this document is being made.
    let font = &*font;
    let t = Table { headers: &HEADERS, widths: &WIDTHS, size: 7.0, max_lines: 4, header_h: 9.5 };
    let cells: Vec<Vec<String>> = h
        .rows
        .iter()
        .map(|r| {
            vec![
                r.ticket_no.clone(),
                r.reported_at.clone(),
                r.part.clone(),
                r.defect.clone(),
                r.dispatch_nos.clone(),
                r.contractor.clone(),
                r.completed_at.clone(),
                r.acceptance.clone(),
                r.satisfaction.clone(),
                r.status.clone(),
            ]
        })
        .collect();
    let laid = table::lay_out(font, &t, &cells);

    let first_table_y = 48.0;
    let later_table_y = 22.0;
    let foot = PH - M - 5.0; // rows end above the page-number line
    let pages = table::paginate(&laid, foot - first_table_y - t.header_h, foot - later_table_y - t.header_h);
    let n = pages.len();
    let mut out = Vec::with_capacity(n);
    for (i, range) in pages.into_iter().enumerate() {
        let mut c = Canvas::new(font, font_id.clone(), PW, PH);
        let table_y = if i == 0 {
            c.text(PW / 2.0, 20.0, 15.0, TITLE, Align::Center, true);
            let lw = 20.0;
            let vw = (PW - 2.0 * M - 3.0 * lw) / 3.0;
            let rows = vec![
                Row::new(
                    7.0,
                    vec![
                        (lw, label("项目")),
                        (vw, value(&h.project)),
                        (lw, label("房号")),
                        (vw, value(&h.unit)),
                        (lw, label("交付批次")),
                        (vw, value(&h.batch)),
                    ],
                ),
                Row::new(7.0, vec![(lw, label("交付日期")), (vw, value(&h.delivered_on)), (lw, label("业主")), (0.0, value(&h.owners))]),
            ];
            grid::draw(&mut c, M, 26.0, PW - 2.0 * M, &rows);
            c.text(M, first_table_y - 2.2, 8.0, &format!("维修记录（共 {} 条）", h.rows.len()), Align::Left, false);
            first_table_y
        } else {
            c.text(M, 17.0, 9.0, &format!("{TITLE}（续）　{}　{}", h.project, h.unit), Align::Left, false);
            later_table_y
        };
        let slice = laid.get(range).unwrap_or(&[]);
        table::draw(&mut c, M, table_y, &t, slice);
        c.text(PW / 2.0, PH - M, 8.0, &format!("第 {} 页 / 共 {} 页", i + 1, n), Align::Center, false);
        out.push(c.into_page());
    }
    save(doc, out)
}
