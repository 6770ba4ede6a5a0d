//! F01 业主报修情况记录表 (BJ-WX-C01-F01): the record of one repair request, A4 portrait — a
//! ruled grid of the request's particulars, a large 缺陷描述 box, and the table of attempts
//! to contact the owner (padded with blank rows to write in; more attempts than fit continue
//! on further pages with the header repeated and page numbers).

use chrono::NaiveDateTime;

use super::canvas::{Align, Canvas};
use super::grid::{self, label, value, Cell, Row};
use super::table::{self, Table};
use super::{new_document, save, PdfError};

/// One attempt to reach the owner.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactAttempt {
    /// 联系时间.
    pub time: String,
    /// 联系方式 (电话 / 短信 / 上门 …).
    pub way: String,
    /// 是否接通 (e.g. "已接通" / "未接通").
    pub reached: String,
    /// 备注.
    pub note: String,
}

/// The data of one F01, already formatted for print.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketRecord {
    /// 报修编号.
    pub ticket_no: String,
    /// 项目/期/楼栋/单元/房号, e.g. "翠湖花园二期 3号楼2单元1502室".
    pub project_unit: String,
    /// 交付批次.
    pub batch: String,
    /// 交付日期.
    pub delivered_on: String,
    /// 业主姓名.
    pub owner: String,
    /// 联系电话 (one or several).
    pub phones: String,
    /// 报修人 (the owner, or who relayed the request).
    pub reporter: String,
    /// 与业主关系 (本人 / 家属 / 租户 … when relayed, 代报).
    pub relation: String,
    /// 报修方式.
    pub channel: String,
    /// 报修时间.
    pub reported_at: String,
    /// 期望上门时间.
    pub expected_visit: String,
    /// 首次联系业主时间.
    pub first_contact_at: String,
    /// 保修状态 (derived by the desk, printed as given).
    pub warranty_status: String,
    /// 缺陷描述.
    pub defect: String,
    /// 维修部位/部件.
    pub part: String,
    /// 缺陷类别.
    pub category: String,
    /// 问题性质 (房屋质量 / 业主装修损坏 / 公共设施).
    pub nature: String,
    /// 维修分类 (简单 / 一般 / 复杂).
    pub classification: String,
    /// 要求完成时间.
    pub due: String,
    /// 接待人.
    pub receptionist: String,
    /// 责任管家.
    pub steward: String,
    /// Attempts to contact the owner, in order.
    pub contacts: Vec<ContactAttempt>,
}

const TITLE: &str = "业主报修情况记录表";
const FORM_NO: &str = "BJ-WX-C01-F01";
const PW: f32 = 210.0;
const PH: f32 = 297.0;
const M: f32 = 12.0;
/// Blank rows the contact table is padded to, for attempts written in by hand.
const MIN_CONTACT_ROWS: usize = 6;

/// Renders the F01; `created` becomes the PDF's creation date (taken as UTC).
pub fn render_f01(r: &TicketRecord, created: NaiveDateTime) -> Result<Vec<u8>, PdfError> {
    let (doc, font_id, font) = new_document(&format!("{TITLE} {}", r.ticket_no), created)?;
    // The handle keeps the font for as long as this document is being made.
    let font = &*font;
    let w = PW - 2.0 * M;
    let lw = 27.0;
    let vw = (w - 2.0 * lw) / 2.0;
    let h = 8.0;
    let pair = |a: &str, av: &str, b: &str, bv: &str| Row::new(h, vec![(lw, label(a)), (vw, value(av)), (lw, label(b)), (0.0, value(bv))]);
    let rows = vec![
        pair("报修编号", &r.ticket_no, "报修时间", &r.reported_at),
        Row::new(h, vec![(lw, label("项目/房号")), (0.0, value(&r.project_unit))]),
        pair("交付批次", &r.batch, "交付日期", &r.delivered_on),
        pair("业主姓名", &r.owner, "联系电话", &r.phones),
        pair("报修人", &r.reporter, "与业主关系", &r.relation),
        pair("报修方式", &r.channel, "期望上门时间", &r.expected_visit),
        pair("首次联系业主时间", &r.first_contact_at, "保修状态", &r.warranty_status),
        Row::new(40.0, vec![(lw, label("缺陷描述")), (0.0, Cell::Block(r.defect.clone()))]),
        pair("维修部位/部件", &r.part, "缺陷类别", &r.category),
        pair("问题性质", &r.nature, "维修分类", &r.classification),
        pair("要求完成时间", &r.due, "责任管家", &r.steward),
        Row::new(10.0, vec![(lw, label("接待人")), (vw, value(&r.receptionist)), (lw, label("接待人签字")), (0.0, Cell::Blank)]),
    ];

    let t = Table {
        headers: &["序号", "联系时间", "联系方式", "是否接通", "备注"],
        widths: &[12.0, 40.0, 26.0, 22.0, w - 100.0],
        size: 8.5,
        max_lines: 3,
        header_h: 7.0,
    };
    let mut cells: Vec<Vec<String>> =
        r.contacts.iter().enumerate().map(|(i, a)| vec![(i + 1).to_string(), a.time.clone(), a.way.clone(), a.reached.clone(), a.note.clone()]).collect();
    while cells.len() < MIN_CONTACT_ROWS {
        cells.push(vec![String::new(); 5]);
    }
    let laid: Vec<_> = table::lay_out(font, &t, &cells)
        .into_iter()
        .map(|mut row| {
            row.h = row.h.max(7.0);
            row
        })
        .collect();
    let grid_y = 30.0;
    let grid_h: f32 = rows.iter().map(|r| r.h).sum();
    let first_table_y = grid_y + grid_h + 9.0;
    let later_table_y = 24.0;
    let foot = PH - M - 5.0;
    let pages = table::paginate(&laid, foot - first_table_y - t.header_h, foot - later_table_y - t.header_h);
    let n = pages.len();
    let mut out = Vec::with_capacity(n);
    for (i, range) in pages.into_iter().enumerate() {
        let mut c = Canvas::new(font, font_id.clone(), PW, PH);
        c.text(PW - M, 14.0, 8.0, &format!("表单编号：{FORM_NO}"), Align::Right, false);
        let table_y = if i == 0 {
            c.text(PW / 2.0, 22.0, 16.0, TITLE, Align::Center, true);
            c.text(PW - M, 26.5, 9.0, &format!("报修编号：{}", r.ticket_no), Align::Right, false);
            grid::draw(&mut c, M, grid_y, w, &rows);
            c.text(M, first_table_y - 2.0, 9.5, "联系业主记录", Align::Left, true);
            first_table_y
        } else {
            c.text(M, later_table_y - 3.0, 9.0, &format!("{TITLE}（续）　报修编号：{}　联系业主记录", r.ticket_no), Align::Left, false);
            later_table_y
        };
        table::draw(&mut c, M, table_y, &t, laid.get(range).unwrap_or(&[]));
        c.text(PW / 2.0, PH - M + 2.0, 8.0, &format!("第 {} 页 / 共 {} 页", i + 1, n), Align::Center, false);
        out.push(c.into_page());
    }
    save(doc, out)
}
