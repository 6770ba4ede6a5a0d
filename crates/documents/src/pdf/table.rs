//! Ruled tables that continue over pages: each cell wraps at a fixed size (up to a line limit,
//! then "…" — [`super::layout::fit`]), a row is as tall as its tallest cell, rows are split
//! into pages ([`paginate`]) and every page starts with the header row again.

use std::ops::Range;

use super::canvas::{pt, Align, Canvas, PAD};
use super::font::Font;
use super::grid::{FRAME, LABEL_GREY, RULE};
use super::layout::{fit, Fitted, LINE_SPACING};

/// Column set-up of a table.
pub struct Table<'a> {
    /// Header texts, one per column.
    pub headers: &'a [&'a str],
    /// Column widths in mm (same count as headers).
    pub widths: &'a [f32],
    /// Font size of body cells, pt.
    pub size: f32,
    /// Most lines a body cell may take before it is cut with "…".
    pub max_lines: usize,
    /// Height of the header row, mm.
    pub header_h: f32,
}

/// A body row laid out: its height in mm and one fitted block per column.
pub struct LaidRow {
    pub h: f32,
    pub cells: Vec<Fitted>,
}

/// Fits every cell of every row (cells beyond the column count are ignored).
pub fn lay_out(font: &Font, t: &Table<'_>, rows: &[Vec<String>]) -> Vec<LaidRow> {
    let measure = |c: char| font.advance_em(c);
    let max_h = t.max_lines as f32 * t.size * LINE_SPACING;
    rows.iter()
        .map(|r| {
            let cells: Vec<Fitted> = t
                .widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let s = r.get(i).map(String::as_str).unwrap_or("");
                    fit(s, pt(w - 2.0 * PAD), max_h, t.size, t.size, &measure)
                })
                .collect();
            let lines = cells.iter().map(|f| f.lines.len()).max().unwrap_or(0).max(1);
            let h = lines as f32 * t.size * LINE_SPACING * 25.4 / 72.0 + 2.0 * PAD;
            LaidRow { h, cells }
        })
        .collect()
}

/// Splits rows into pages: the first page has `first` mm for rows, the others `rest` mm
/// (both without the header row). Every page gets at least one row, so this always ends.
pub fn paginate(rows: &[LaidRow], first: f32, rest: f32) -> Vec<Range<usize>> {
    let mut pages = Vec::new();
    let (mut start, mut used, mut avail) = (0, 0.0_f32, first);
    for (i, r) in rows.iter().enumerate() {
        if i > start && used + r.h > avail {
            pages.push(start..i);
            start = i;
            used = 0.0;
            avail = rest;
        }
        used += r.h;
    }
    if start < rows.len() || pages.is_empty() {
        pages.push(start..rows.len());
    }
    pages
}

/// Draws the header row and `rows` at (x, y); returns the bottom y.
pub fn draw(c: &mut Canvas<'_>, x: f32, y: f32, t: &Table<'_>, rows: &[LaidRow]) -> f32 {
    let w: f32 = t.widths.iter().sum();
    c.fill(x, y, w, t.header_h, LABEL_GREY);
    let mut cx = x;
    for (i, cw) in t.widths.iter().enumerate() {
        let h = t.headers.get(i).copied().unwrap_or("");
        c.text_box((cx, y, *cw, t.header_h), h, t.size + 0.5, 5.0, Align::Center, true);
        cx += cw;
    }
    let mut top = y + t.header_h;
    c.line(x, top, x + w, top, RULE);
    for row in rows {
        let mut cx = x;
        for (cw, f) in t.widths.iter().zip(&row.cells) {
            c.draw_fitted(f, (cx + PAD, top + PAD, cw - 2.0 * PAD, row.h - 2.0 * PAD), Align::Left, true);
            cx += cw;
        }
        top += row.h;
        c.line(x, top, x + w, top, RULE);
    }
    let mut cx = x;
    for cw in &t.widths[..t.widths.len().saturating_sub(1)] {
        cx += cw;
        c.line(cx, y, cx, top, RULE);
    }
    c.rect(x, y, w, top - y, FRAME);
    top
}
