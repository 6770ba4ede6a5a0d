//! A ruled form grid: rows of label / value cells, drawn the way a printed form looks —
//! grey label cells, a heavier outer frame, hairline inner rules, every text fitted into its
//! own cell ([`super::layout::fit`]) so nothing crosses a rule.

use printpdf::XObjectId;

use super::canvas::{Align, Canvas, PAD};

/// Outer frame weight, pt.
pub const FRAME: f32 = 1.0;
/// Inner rule weight, pt.
pub const RULE: f32 = 0.45;
/// Grey of label cells (1.0 = white).
pub const LABEL_GREY: f32 = 0.9;

/// What a cell holds.
pub enum Cell {
    /// A field name, centred on grey; `\n` forces a line break.
    Label(String),
    /// A value, one or more lines, vertically centred.
    Value(String),
    /// A long value (缺陷描述, 维修方案): top-aligned paragraph.
    Block(String),
    /// Tick boxes drawn as lines, e.g. `[("是", true), ("否", false)]`.
    Ticks(Vec<(&'static str, bool)>),
    /// A signature area: an optional image (id, pixel width, pixel height) above a
    /// "日期：…" line (blank to be filled in by hand when `date` is empty).
    Sign { image: Option<(XObjectId, usize, usize)>, date: String },
    /// Nothing (a blank box to write in by hand).
    Blank,
}

/// One row of the grid: height in mm and cells with their widths in mm (the last cell takes
/// whatever width is left, so rows always close on the frame).
pub struct Row {
    pub h: f32,
    pub cells: Vec<(f32, Cell)>,
}

impl Row {
    pub fn new(h: f32, cells: Vec<(f32, Cell)>) -> Self {
        Row { h, cells }
    }
}

/// Shorthand for a label cell.
pub fn label(s: &str) -> Cell {
    Cell::Label(s.to_string())
}
/// Shorthand for a value cell.
pub fn value(s: &str) -> Cell {
    Cell::Value(s.to_string())
}

/// Draws `rows` from (x, y) with total width `w`; returns the y of the bottom rule.
pub fn draw(c: &mut Canvas<'_>, x: f32, y: f32, w: f32, rows: &[Row]) -> f32 {
    let mut top = y;
    for (ri, row) in rows.iter().enumerate() {
        let mut cx = x;
        let n = row.cells.len();
        for (i, (cw, cell)) in row.cells.iter().enumerate() {
            let cw = if i + 1 == n { x + w - cx } else { *cw };
            draw_cell(c, (cx, top, cw, row.h), cell);
            if i + 1 < n {
                c.line(cx + cw, top, cx + cw, top + row.h, RULE);
            }
            cx += cw;
        }
        if ri + 1 < rows.len() {
            c.line(x, top + row.h, x + w, top + row.h, RULE);
        }
        top += row.h;
    }
    c.rect(x, y, w, top - y, FRAME);
    top
}

fn draw_cell(c: &mut Canvas<'_>, b: (f32, f32, f32, f32), cell: &Cell) {
    let (x, y, w, h) = b;
    match cell {
        Cell::Label(s) => {
            c.fill(x, y, w, h, LABEL_GREY);
            c.text_box(b, s, 8.5, 5.5, Align::Center, true);
        }
        Cell::Value(s) => {
            c.text_box(b, s, 9.5, 6.0, Align::Left, true);
        }
        Cell::Block(s) => {
            c.text_box(b, s, 9.5, 6.0, Align::Left, false);
        }
        Cell::Ticks(items) => {
            let s = 3.2;
            let mut tx = x + 2.0 * PAD;
            let ty = y + (h - s) / 2.0;
            for (text, on) in items {
                c.tick_box(tx, ty, s, *on);
                c.text(tx + s + 1.2, ty + s - 0.35, 9.0, text, Align::Left, false);
                tx += s + 1.2 + c.font().width_pt(text, 9.0) * 25.4 / 72.0 + 4.0;
            }
        }
        Cell::Sign { image, date } => {
            if let Some((id, pw, ph)) = image {
                c.image(id, *pw, *ph, (x + PAD, y + PAD, w - 2.0 * PAD, h - 6.2 - PAD));
            }
            let date_h = 6.2;
            if date.is_empty() {
                let base = y + h - 1.8;
                c.text(x + PAD, base, 8.0, "日期：", Align::Left, false);
                let dx = x + PAD + c.font().width_pt("日期：", 8.0) * 25.4 / 72.0;
                c.line(dx, base + 0.6, x + w - 2.0 * PAD, base + 0.6, 0.35);
            } else {
                c.text_box((x, y + h - date_h, w, date_h), &format!("日期：{date}"), 8.0, 5.5, Align::Left, true);
            }
        }
        Cell::Blank => {}
    }
}
