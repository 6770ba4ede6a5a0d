//! F02 零星维修工程现场调度通知单 (BJ-WX-C01-F02): the dispatch slip the contractor takes to
//! the flat and the owner signs. A5 landscape (210 × 148 mm, 8 mm margins), or two copies on
//! one A4 sheet (top 存根, bottom 业主联) with a dashed cut line between them.
//!
//! Layout (mm from the slip's top-left): QR code of the 调度单号 in the top-left corner, the
//! title centred, form number and 调度单号 top-right, then a ruled grid of every field with
//! larger boxes for 缺陷描述 / 维修方案, tick boxes for 是否返修 and three signature-and-date
//! boxes (业主, 保修管家, 维保单位现场负责人); the owner's on-screen signature is drawn in its
//! box when present.

use chrono::NaiveDateTime;
use printpdf::XObjectId;

use super::canvas::{Align, Canvas};
use super::grid::{self, label, value, Cell, Row};
use super::{add_png, new_document, qr, save, PdfError};

/// The data of one dispatch slip, already formatted for print (dates as text, the phone
/// masked or not as the caller decided).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DispatchSlip {
    /// 调度单号, e.g. "PG-2026-000045" (also encoded in the QR code).
    pub no: String,
    /// 报修编号.
    pub ticket_no: String,
    pub project: String,
    /// 房号, e.g. "3号楼2单元1502室".
    pub unit: String,
    pub owner: String,
    pub phone: String,
    /// 维修单位.
    pub contractor: String,
    /// 现场负责人/电话.
    pub site_contact: String,
    /// 维修部位.
    pub part: String,
    /// 缺陷类别.
    pub category: String,
    /// 维修分类 (简单/一般/复杂).
    pub classification: String,
    /// 缺陷描述 (may be long; shrinks, then is cut with "…").
    pub defect: String,
    /// 维修方案 (may be long).
    pub plan: String,
    /// 所需材料.
    pub materials: String,
    /// 预约时间.
    pub appointment: String,
    /// 签发人.
    pub issued_by: String,
    /// 签发时间.
    pub issued_at: String,
    /// 保修管家.
    pub steward: String,
    /// 是否返修.
    pub rework: bool,
    /// 到场时间.
    pub arrived_at: String,
    /// 完工时间.
    pub completed_at: String,
    /// 业主验收意见.
    pub owner_opinion: String,
    /// 业主签字时间.
    pub signed_at: String,
    /// The owner's on-screen signature (PNG), drawn in the 业主签字 box when present.
    pub signature_png: Option<Vec<u8>>,
}

/// Paper layout of the slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipLayout {
    /// One slip on A5 landscape (210 × 148 mm).
    A5Landscape,
    /// Two slips on A4 portrait: top 存根, bottom 业主联, dashed cut line between.
    A4TwoCopies,
}

const FORM_NO: &str = "BJ-WX-C01-F02";
const TITLE: &str = "零星维修工程现场调度通知单";
/// Page margin, mm.
const M: f32 = 8.0;
/// Slip width and height, mm (A5 landscape).
const W: f32 = 210.0;
const H: f32 = 148.0;

/// Renders the slip as a PDF. `created` becomes the PDF's creation date (taken as UTC).
pub fn render_f02(slip: &DispatchSlip, layout: SlipLayout, created: NaiveDateTime) -> Result<Vec<u8>, PdfError> {
    let (mut doc, font_id, font) = new_document(&format!("{TITLE} {}", slip.no), created)?;
    // The handle keeps the font for as long as this document is being made.
    let font = &*font;
    let sig = match &slip.signature_png {
        Some(png) => Some(add_png(&mut doc, png)?),
        None => None,
    };
    let page = match layout {
        SlipLayout::A5Landscape => {
            let mut c = Canvas::new(font, font_id, W, H);
            draw_slip(&mut c, slip, 0.0, None, sig.as_ref())?;
            c.into_page()
        }
        SlipLayout::A4TwoCopies => {
            let half = 297.0 / 2.0;
            let mut c = Canvas::new(font, font_id, W, 297.0);
            draw_slip(&mut c, slip, 0.0, Some("第一联　存根"), sig.as_ref())?;
            draw_slip(&mut c, slip, half, Some("第二联　业主联"), sig.as_ref())?;
            c.dashed_line(4.0, half, W - 4.0, half, 0.5, 1.5);
            let cap = "沿此线裁开";
            let cw = font.width_pt(cap, 7.0) * 25.4 / 72.0;
            c.fill(W / 2.0 - cw / 2.0 - 1.5, half - 1.8, cw + 3.0, 3.6, 1.0);
            c.text(W / 2.0, half + 0.9, 7.0, cap, Align::Center, false);
            c.into_page()
        }
    };
    save(doc, vec![page])
}

/// Draws one slip into the 210 × 148 mm band starting at `oy`.
fn draw_slip(c: &mut Canvas<'_>, s: &DispatchSlip, oy: f32, copy: Option<&str>, sig: Option<&(XObjectId, usize, usize)>) -> Result<(), PdfError> {
    // Header: QR top-left, title centred, form number and slip number top-right.
    let qr_side = 14.0;
    qr::draw(c, &s.no, M, oy + M, qr_side)?;
    c.text(W / 2.0, oy + M + 8.0, 16.0, TITLE, Align::Center, true);
    if let Some(copy) = copy {
        c.text(W / 2.0, oy + M + 13.5, 8.5, &format!("（{copy}）"), Align::Center, false);
    }
    c.text(W - M, oy + M + 3.0, 8.0, &format!("表单编号：{FORM_NO}"), Align::Right, false);
    c.text(W - M, oy + M + 9.0, 10.0, &format!("调度单号：{}", s.no), Align::Right, true);

    let lw = 19.0; // label column
    let vw = (W - 2.0 * M - 3.0 * lw) / 3.0; // value column of a three-pair row
    let span = vw + lw + vw; // value spanning two pairs
    let sw = (W - 2.0 * M) / 3.0 - lw; // signature area
    let r = 6.8; // standard row height
    let sign = |image: Option<(XObjectId, usize, usize)>, date: &str| Cell::Sign { image, date: date.to_string() };
    let rows = vec![
        Row::new(
            r,
            vec![(lw, label("报修编号")), (vw, value(&s.ticket_no)), (lw, label("项目")), (vw, value(&s.project)), (lw, label("房号")), (vw, value(&s.unit))],
        ),
        Row::new(
            r,
            vec![
                (lw, label("业主")),
                (vw, value(&s.owner)),
                (lw, label("联系电话")),
                (vw, value(&s.phone)),
                (lw, label("预约时间")),
                (vw, value(&s.appointment)),
            ],
        ),
        Row::new(r, vec![(lw, label("维修单位")), (span, value(&s.contractor)), (lw, label("现场负责人")), (vw, value(&s.site_contact))]),
        Row::new(
            r,
            vec![
                (lw, label("维修部位")),
                (vw, value(&s.part)),
                (lw, label("缺陷类别")),
                (vw, value(&s.category)),
                (lw, label("维修分类")),
                (vw, value(&s.classification)),
            ],
        ),
        Row::new(17.0, vec![(lw, label("缺陷描述")), (0.0, Cell::Block(s.defect.clone()))]),
        Row::new(17.0, vec![(lw, label("维修方案")), (0.0, Cell::Block(s.plan.clone()))]),
        Row::new(
            r,
            vec![(lw, label("所需材料")), (span, value(&s.materials)), (lw, label("是否返修")), (vw, Cell::Ticks(vec![("是", s.rework), ("否", !s.rework)]))],
        ),
        Row::new(
            r,
            vec![
                (lw, label("签发人")),
                (vw, value(&s.issued_by)),
                (lw, label("签发时间")),
                (vw, value(&s.issued_at)),
                (lw, label("保修管家")),
                (vw, value(&s.steward)),
            ],
        ),
        Row::new(r, vec![(lw, label("到场时间")), (vw, value(&s.arrived_at)), (lw, label("完工时间")), (0.0, value(&s.completed_at))]),
        Row::new(9.0, vec![(lw, label("业主验收意见")), (0.0, Cell::Value(s.owner_opinion.clone()))]),
        Row::new(
            18.0,
            vec![
                (lw, label("业主签字")),
                (sw, sign(sig.cloned(), &s.signed_at)),
                (lw, label("保修管家\n签字")),
                (sw, sign(None, "")),
                (lw, label("维保单位\n现场负责人\n签字")),
                (sw, sign(None, "")),
            ],
        ),
    ];
    let bottom = grid::draw(c, M, oy + M + 16.0, W - 2.0 * M, &rows);
    c.text(M, bottom + 3.6, 6.5, "注：维修完成后由业主验收签字；本单号与二维码用于纸质单据回查。", Align::Left, false);
    Ok(())
}
