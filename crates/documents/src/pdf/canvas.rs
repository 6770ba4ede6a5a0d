//! A page being drawn, in millimetres from the top-left corner (the way forms are measured),
//! turned into printpdf operations in points from the bottom-left corner.
//!
//! Provides ruled lines, filled rectangles, dashed lines, single text runs, text fitted into a
//! box ([`super::layout::fit`]), tick boxes drawn as lines (no ☑/☐ glyph is needed) and images.

use printpdf::{
    Color, FontId, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfFontHandle, PdfPage, Point, Pt, Rect, TextItem, TextRenderingMode,
    XObjectId, XObjectTransform,
};

use super::font::Font;
use super::layout::{fit, Fitted};

/// Millimetres to points.
pub fn pt(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}

/// Horizontal alignment of text in a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Inner padding of a text box, mm.
pub const PAD: f32 = 1.2;

/// One page under construction.
pub struct Canvas<'f> {
    ops: Vec<Op>,
    font: &'f Font,
    font_id: FontId,
    width_mm: f32,
    height_mm: f32,
}

impl<'f> Canvas<'f> {
    pub fn new(font: &'f Font, font_id: FontId, width_mm: f32, height_mm: f32) -> Self {
        Canvas { ops: Vec::with_capacity(512), font, font_id, width_mm, height_mm }
    }

    pub fn font(&self) -> &'f Font {
        self.font
    }

    fn point(&self, x: f32, y: f32) -> Point {
        Point { x: Pt(pt(x)), y: Pt(pt(self.height_mm - y)) }
    }

    /// A straight line from (x1, y1) to (x2, y2), `weight` pt thick.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, weight: f32) {
        self.polyline(&[(x1, y1), (x2, y2)], weight);
    }

    /// Connected straight segments.
    pub fn polyline(&mut self, pts: &[(f32, f32)], weight: f32) {
        self.ops.push(Op::SetOutlineThickness { pt: Pt(weight) });
        let points = pts.iter().map(|&(x, y)| LinePoint { p: self.point(x, y), bezier: false });
        self.ops.push(Op::DrawLine { line: Line { points: points.collect(), is_closed: false } });
    }

    /// A dashed line (dash and gap in mm); dashing is reset afterwards.
    pub fn dashed_line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, weight: f32, dash: f32) {
        self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[pt(dash), pt(dash)]) });
        self.line(x1, y1, x2, y2, weight);
        self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::solid() });
    }

    /// Outline of a rectangle.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, weight: f32) {
        self.polyline(&[(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)], weight);
    }

    /// A filled rectangle in grey (`0.0` black … `1.0` white); fill colour is reset to black.
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, grey: f32) {
        self.set_fill(grey);
        let mut r = Rect::from_xywh(Pt(pt(x)), Pt(pt(self.height_mm - y - h)), Pt(pt(w)), Pt(pt(h)));
        r.mode = Some(PaintMode::Fill);
        self.ops.push(Op::DrawRectangle { rectangle: r });
        self.set_fill(0.0);
    }

    fn set_fill(&mut self, grey: f32) {
        self.ops.push(Op::SetFillColor { col: Color::Greyscale(Greyscale { percent: grey, icc_profile: None }) });
    }

    /// A square tick box of side `s` at (x, y) (top-left), with a tick drawn as two lines.
    pub fn tick_box(&mut self, x: f32, y: f32, s: f32, ticked: bool) {
        self.rect(x, y, s, s, 0.6);
        if ticked {
            let pts = [(x + s * 0.18, y + s * 0.52), (x + s * 0.42, y + s * 0.8), (x + s * 0.85, y + s * 0.2)];
            self.polyline(&pts, 1.1);
        }
    }

    /// Draws `s` with its baseline at `y`, starting at `x` (for `Align::Left`), centred on `x`
    /// or ending at `x`. `bold` fakes a heavier weight by stroking the outline as well.
    pub fn text(&mut self, x: f32, y: f32, size: f32, s: &str, align: Align, bold: bool) {
        if s.is_empty() {
            return;
        }
        let w_mm = || self.font.width_pt(s, size) * 25.4 / 72.0;
        let x0 = match align {
            Align::Left => x,
            Align::Center => x - w_mm() / 2.0,
            Align::Right => x - w_mm(),
        };
        let pos = self.point(x0, y);
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont { font: PdfFontHandle::External(self.font_id.clone()), size: Pt(size) });
        if bold {
            self.ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::FillStroke });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(size * 0.04) });
        }
        self.ops.push(Op::SetTextCursor { pos });
        self.ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(self.font.glyphs(s))] });
        if bold {
            self.ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::Fill });
        }
        self.ops.push(Op::EndTextSection);
    }

    /// Fits `s` into the box (x, y, w, h) minus [`PAD`] and draws it; `v_center` centres the
    /// block vertically (otherwise it starts at the top). Returns what was drawn.
    #[allow(clippy::too_many_arguments)]
    pub fn text_box(&mut self, (x, y, w, h): (f32, f32, f32, f32), s: &str, max_size: f32, min_size: f32, align: Align, v_center: bool) -> Fitted {
        let font = self.font;
        let measure = |c: char| font.advance_em(c);
        let (iw, ih) = ((w - 2.0 * PAD).max(1.0), (h - 2.0 * PAD).max(1.0));
        let f = fit(s, pt(iw), pt(ih), max_size, min_size, &measure);
        self.draw_fitted(&f, (x + PAD, y + PAD, iw, ih), align, v_center);
        f
    }

    /// Draws an already fitted block into the inner box (x, y, w, h).
    pub fn draw_fitted(&mut self, f: &Fitted, (x, y, w, h): (f32, f32, f32, f32), align: Align, v_center: bool) {
        let to_mm = 25.4 / 72.0;
        let lh = f.line_height * to_mm;
        let block = f.height() * to_mm;
        let top = if v_center { y + (h - block) / 2.0 } else { y };
        // Baseline inside a line box: centre the em box (ascender+descender) in the line height.
        let (asc, desc) = (self.font.ascender, self.font.descender);
        let base = (lh - (asc + desc) * f.size * to_mm) / 2.0 + asc * f.size * to_mm;
        let ax = match align {
            Align::Left => x,
            Align::Center => x + w / 2.0,
            Align::Right => x + w,
        };
        for (i, line) in f.lines.iter().enumerate() {
            self.text(ax, top + i as f32 * lh + base, f.size, line, align, false);
        }
    }

    /// Places an image of `px_w` × `px_h` pixels scaled to fit (x, y, w, h), centred, aspect kept.
    pub fn image(&mut self, id: &XObjectId, px_w: usize, px_h: usize, (x, y, w, h): (f32, f32, f32, f32)) {
        if px_w == 0 || px_h == 0 {
            return;
        }
        // At 72 dpi printpdf maps one pixel to one point; scale from there.
        let scale = (pt(w) / px_w as f32).min(pt(h) / px_h as f32);
        let (dw, dh) = (px_w as f32 * scale * 25.4 / 72.0, px_h as f32 * scale * 25.4 / 72.0);
        let (ix, iy) = (x + (w - dw) / 2.0, y + (h - dh) / 2.0 + dh);
        let p = self.point(ix, iy);
        self.ops.push(Op::UseXobject {
            id: id.clone(),
            transform: XObjectTransform {
                translate_x: Some(p.x),
                translate_y: Some(p.y),
                scale_x: Some(scale),
                scale_y: Some(scale),
                dpi: Some(72.0),
                ..Default::default()
            },
        });
    }

    /// The finished page.
    pub fn into_page(self) -> PdfPage {
        PdfPage::new(Mm(self.width_mm), Mm(self.height_mm), self.ops)
    }
}
