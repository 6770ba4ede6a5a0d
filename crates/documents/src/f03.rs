//! F03 保修中心工作日报 (BJ-WX-C01-F03, §5.1.6): the day's report of the warranty center, as a
//! PDF (A4 portrait, the figures of the day on top, then one ruled table per section flowing
//! over as many pages as needed, the header row repeated on each page, "第 i 页 / 共 n 页" at
//! the foot) and as a workbook (a 汇总 sheet plus one sheet per section, frozen header, real
//! dates — [`crate::excel_out`]).
//!
//! The report arrives already formatted ([`F03Report`]): the service decides what goes in
//! (and masks phones); this module only lays it out. Cells are [`OutCell`]s so that the
//! workbook keeps real dates and numbers while the PDF prints their text.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::excel_out::{write_workbook, ColumnKind, ExportError, OutCell, OutColumn, SheetTable};
use crate::pdf::canvas::{Align, Canvas};
use crate::pdf::grid::{self, label, value, Row};
use crate::pdf::table::{self, LaidRow, Table};
use crate::pdf::{new_document, save, PdfError};

/// The form number printed in the corner of every page.
pub const FORM_NO: &str = "BJ-WX-C01-F03";
/// The form's title.
pub const TITLE: &str = "保修中心工作日报";

/// One column of a section.
#[derive(Debug, Clone, PartialEq)]
pub struct F03Column {
    pub header: String,
    pub kind: ColumnKind,
    /// Width on the PDF in mm; `Some(0.0)` takes what is left of the line; `None`: the column
    /// is in the workbook only.
    pub pdf_width: Option<f32>,
}

impl F03Column {
    pub fn new(header: &str, kind: ColumnKind, pdf_width: Option<f32>) -> Self {
        F03Column { header: header.to_string(), kind, pdf_width }
    }
}

/// One section of the report: a heading and a table.
#[derive(Debug, Clone, PartialEq)]
pub struct F03Section {
    /// e.g. "一、报修情况（新增报修 3 张）".
    pub title: String,
    /// The worksheet's name (≤ 31 characters).
    pub sheet_name: String,
    pub columns: Vec<F03Column>,
    /// One cell per column, in column order.
    pub rows: Vec<Vec<OutCell>>,
    /// Printed instead of the table when there are no rows, e.g. "当日无新增报修".
    pub empty_text: String,
}

/// The whole report, formatted for print.
#[derive(Debug, Clone, PartialEq)]
pub struct F03Report {
    pub project: String,
    pub date: NaiveDate,
    /// e.g. "2026-03-05 18:00".
    pub generated: String,
    /// The day's figures: (label, value), shown two to a row on the first page.
    pub summary: Vec<(String, OutCell)>,
    pub sections: Vec<F03Section>,
}

const PW: f32 = 210.0;
const PH: f32 = 297.0;
const M: f32 = 12.0;
const BODY_W: f32 = PW - 2.0 * M;
const FOOT: f32 = PH - M - 5.0;
const LATER_TOP: f32 = 22.0;
const HEADING_H: f32 = 7.0;
const EMPTY_H: f32 = 6.5;
const SECTION_GAP: f32 = 3.0;
const BODY_PT: f32 = 7.0;
const HEADER_H: f32 = 7.0;
const MAX_LINES: usize = 6;

fn weekday(d: NaiveDate) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "日"][d.weekday().num_days_from_monday() as usize]
}

/// The text a cell prints as. A date-time in the report's year prints without the year
/// (`03-05 14:30`), to keep the columns narrow.
pub fn cell_text(c: &OutCell, year: i32) -> String {
    match c {
        OutCell::Empty => String::new(),
        OutCell::Text(s) => s.clone(),
        OutCell::Int(n) => n.to_string(),
        OutCell::Date(d) => d.format("%Y-%m-%d").to_string(),
        OutCell::DateTime(t) if t.year() == year => t.format("%m-%d %H:%M").to_string(),
        OutCell::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        OutCell::Money(f) => f.to_string(),
        #[allow(unreachable_patterns)]
        _ => String::new(),
    }
}

/// A section's PDF columns: (index in the row, header, width in mm). The flexible column takes
/// what the others leave of the line (at least 12 mm); widths are scaled down if they overflow.
fn pdf_columns(s: &F03Section) -> Vec<(usize, String, f32)> {
    let cols: Vec<(usize, &F03Column, f32)> = s.columns.iter().enumerate().filter_map(|(i, c)| c.pdf_width.map(|w| (i, c, w))).collect();
    let fixed: f32 = cols.iter().map(|c| c.2).sum();
    let flex = cols.iter().filter(|c| c.2 <= 0.0).count();
    let flex_w = if flex > 0 { ((BODY_W - fixed) / flex as f32).max(12.0) } else { 0.0 };
    let mut out: Vec<(usize, String, f32)> = cols.into_iter().map(|(i, c, w)| (i, c.header.clone(), if w <= 0.0 { flex_w } else { w })).collect();
    let total: f32 = out.iter().map(|c| c.2).sum();
    if total > BODY_W + 0.01 {
        let k = BODY_W / total;
        out.iter_mut().for_each(|c| c.2 *= k);
    } else if flex == 0 && total < BODY_W {
        // No flexible column: the last one closes the line on the frame.
        if let Some(last) = out.last_mut() {
            last.2 += BODY_W - total;
        }
    }
    out
}

/// What goes on a page, in order.
enum Item {
    Heading { y: f32, text: String },
    Empty { y: f32, text: String },
    Table { section: usize, y: f32, from: usize, to: usize },
}

/// Renders the F03 PDF; `created` becomes the PDF's creation date (taken as UTC).
pub fn render_pdf(r: &F03Report, created: NaiveDateTime) -> Result<Vec<u8>, PdfError> {
    let (doc, font_id, font) = new_document(&format!("{TITLE} {} {}", r.project, r.date), created)?;
    // The handle keeps the font for as long as this document is being made.
    let font = &*font;
    let year = r.date.year();

    // Lay out every section's table once.
    let specs: Vec<Vec<(usize, String, f32)>> = r.sections.iter().map(pdf_columns).collect();
    let laid: Vec<Vec<LaidRow>> = r
        .sections
        .iter()
        .zip(&specs)
        .map(|(s, cols)| {
            let headers: Vec<&str> = cols.iter().map(|c| c.1.as_str()).collect();
            let widths: Vec<f32> = cols.iter().map(|c| c.2).collect();
            let t = Table { headers: &headers, widths: &widths, size: BODY_PT, max_lines: MAX_LINES, header_h: HEADER_H };
            let cells: Vec<Vec<String>> =
                s.rows.iter().map(|row| cols.iter().map(|c| row.get(c.0).map(|x| cell_text(x, year)).unwrap_or_default()).collect()).collect();
            table::lay_out(font, &t, &cells)
        })
        .collect();

    // The first page: title, particulars and the figures of the day.
    let lw = 30.0;
    let vw = (BODY_W - 2.0 * lw) / 2.0;
    let summary_rows: Vec<Row> = r
        .summary
        .chunks(2)
        .map(|pair| {
            let mut cells = Vec::new();
            for (i, (l, v)) in pair.iter().enumerate() {
                let w = if i + 1 == pair.len() { 0.0 } else { vw };
                cells.push((lw, label(l)));
                cells.push((w, value(&cell_text(v, year))));
            }
            Row::new(7.0, cells)
        })
        .collect();
    let summary_y = 33.0;
    let summary_h: f32 = summary_rows.iter().map(|x| x.h).sum();

    // Flow the sections over pages.
    let mut pages: Vec<Vec<Item>> = vec![Vec::new()];
    let mut y = summary_y + summary_h + 5.0;
    let mut fresh = false;
    for (si, s) in r.sections.iter().enumerate() {
        let rows = &laid[si];
        let first_h = rows.first().map(|x| HEADER_H + x.h).unwrap_or(EMPTY_H);
        if !fresh && y + HEADING_H + first_h > FOOT {
            pages.push(Vec::new());
            y = LATER_TOP;
        }
        let page = pages.len() - 1;
        pages[page].push(Item::Heading { y, text: s.title.clone() });
        y += HEADING_H;
        if rows.is_empty() {
            pages[page].push(Item::Empty { y, text: s.empty_text.clone() });
            y += EMPTY_H + SECTION_GAP;
            fresh = false;
            continue;
        }
        let mut from = 0;
        while from < rows.len() {
            let avail = FOOT - y - HEADER_H;
            let mut to = from;
            let mut used = 0.0;
            while to < rows.len() && (to == from || used + rows[to].h <= avail) {
                if to == from && rows[to].h > avail && !fresh {
                    break;
                }
                used += rows[to].h;
                to += 1;
            }
            if to > from {
                let page = pages.len() - 1;
                pages[page].push(Item::Table { section: si, y, from, to });
                y += HEADER_H + used;
                from = to;
            }
            if from < rows.len() {
                pages.push(Vec::new());
                y = LATER_TOP;
                let page = pages.len() - 1;
                pages[page].push(Item::Heading { y, text: format!("{}（续）", s.title) });
                y += HEADING_H;
                fresh = true;
            } else {
                fresh = false;
            }
        }
        y += SECTION_GAP;
    }

    // Draw.
    let n = pages.len();
    let mut out = Vec::with_capacity(n);
    for (i, items) in pages.into_iter().enumerate() {
        let mut c = Canvas::new(font, font_id.clone(), PW, PH);
        c.text(PW - M, 12.0, 8.0, &format!("表单编号：{FORM_NO}"), Align::Right, false);
        if i == 0 {
            c.text(PW / 2.0, 21.0, 16.0, TITLE, Align::Center, true);
            let line = format!("项目：{}　　日期：{}（星期{}）　　生成时间：{}", r.project, r.date.format("%Y-%m-%d"), weekday(r.date), r.generated);
            c.text(M, 29.0, 9.0, &line, Align::Left, false);
            if !summary_rows.is_empty() {
                grid::draw(&mut c, M, summary_y, BODY_W, &summary_rows);
            }
        } else {
            c.text(M, 16.0, 9.0, &format!("{TITLE}（续）　{}　{}", r.project, r.date.format("%Y-%m-%d")), Align::Left, false);
        }
        for item in items {
            match item {
                Item::Heading { y, text } => c.text(M, y + 5.0, 10.0, &text, Align::Left, true),
                Item::Empty { y, text } => c.text(M + 4.0, y + 4.0, 8.5, &text, Align::Left, false),
                Item::Table { section, y, from, to } => {
                    let cols = &specs[section];
                    let headers: Vec<&str> = cols.iter().map(|x| x.1.as_str()).collect();
                    let widths: Vec<f32> = cols.iter().map(|x| x.2).collect();
                    let t = Table { headers: &headers, widths: &widths, size: BODY_PT, max_lines: MAX_LINES, header_h: HEADER_H };
                    let slice = laid[section].get(from..to).unwrap_or(&[]);
                    table::draw(&mut c, M, y, &t, slice);
                }
            }
        }
        c.text(PW / 2.0, PH - M + 2.0, 8.0, &format!("第 {} 页 / 共 {} 页", i + 1, n), Align::Center, false);
        out.push(c.into_page());
    }
    save(doc, out)
}

/// The workbook's sheets: 汇总 (the figures), then one sheet per section with every column.
pub fn workbook_tables(r: &F03Report) -> Vec<SheetTable> {
    let date = r.date.format("%Y-%m-%d");
    let mut out = Vec::with_capacity(r.sections.len() + 1);
    let mut summary_rows: Vec<Vec<OutCell>> = vec![
        vec![OutCell::Text("项目".into()), OutCell::Text(r.project.clone())],
        vec![OutCell::Text("日期".into()), OutCell::Date(r.date)],
        vec![OutCell::Text("生成时间".into()), OutCell::Text(r.generated.clone())],
    ];
    summary_rows.extend(r.summary.iter().map(|(l, v)| vec![OutCell::Text(l.clone()), v.clone()]));
    out.push(SheetTable {
        title: format!("{}{TITLE}（{FORM_NO}）{date}", r.project),
        sheet_name: "汇总".into(),
        // Mixed values (text, date, numbers) in one column: the kind only sets the width.
        columns: vec![OutColumn::new("项目", ColumnKind::Text), OutColumn::new("数值", ColumnKind::Text)],
        rows: summary_rows,
        total_row: false,
    });
    for s in &r.sections {
        out.push(SheetTable {
            title: format!("{}{TITLE} {date}　{}", r.project, s.title),
            sheet_name: s.sheet_name.clone(),
            columns: s.columns.iter().map(|c| OutColumn::new(c.header.clone(), c.kind)).collect(),
            rows: s.rows.clone(),
            total_row: false,
        });
    }
    out
}

/// Writes the workbook at `path`.
pub fn write_xlsx(path: &std::path::Path, r: &F03Report) -> Result<(), ExportError> {
    write_workbook(path, &workbook_tables(r))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn report(rows: usize) -> F03Report {
        let date = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        let at = date.and_hms_opt(9, 30, 0).unwrap();
        let long = "卫生间地面渗水，楼下邻居天花板有水渍，业主要求尽快处理并赔偿损失，".repeat(4);
        let section = |title: &str, n: usize| F03Section {
            title: title.into(),
            sheet_name: title.chars().take(6).collect(),
            columns: vec![
                F03Column::new("报修编号", ColumnKind::Text, Some(22.0)),
                F03Column::new("时间", ColumnKind::DateTime, Some(17.0)),
                F03Column::new("次数", ColumnKind::Int, None),
                F03Column::new("缺陷描述", ColumnKind::Text, Some(0.0)),
            ],
            rows: (0..n)
                .map(|i| vec![OutCell::Text(format!("BX-2026-{i:06}")), OutCell::DateTime(at), OutCell::Int(i as i64), OutCell::Text(long.clone())])
                .collect(),
            empty_text: "当日无".into(),
        };
        F03Report {
            project: "翠湖澜庭".into(),
            date,
            generated: "2026-03-05 18:00".into(),
            summary: vec![("新增报修".into(), OutCell::Text("3 张".into())), ("完工验收".into(), OutCell::Int(1))],
            sections: vec![section("一、报修情况", rows), section("二、完成情况", 0)],
        }
    }

    #[test]
    fn columns_fill_the_line_and_workbook_only_columns_stay_off_paper() {
        let r = report(1);
        let cols = pdf_columns(&r.sections[0]);
        assert_eq!(cols.iter().map(|c| c.1.as_str()).collect::<Vec<_>>(), vec!["报修编号", "时间", "缺陷描述"]);
        let total: f32 = cols.iter().map(|c| c.2).sum();
        assert!((total - BODY_W).abs() < 0.01, "{total}");
        assert_eq!(cols[2].0, 3, "the cell index skips the workbook-only column");
    }

    #[test]
    fn dates_print_without_the_year_only_in_the_reports_year() {
        let t = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap().and_hms_opt(14, 30, 0).unwrap();
        assert_eq!(cell_text(&OutCell::DateTime(t), 2026), "03-05 14:30");
        assert_eq!(cell_text(&OutCell::DateTime(t), 2027), "2026-03-05 14:30");
    }

    fn pdf_text(bytes: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f03.pdf");
        std::fs::write(&p, bytes).unwrap();
        let o = std::process::Command::new("pdftotext").arg(&p).arg("-").output().expect("pdftotext (poppler-utils)");
        String::from_utf8_lossy(&o.stdout).replace(['\n', ' '], "")
    }

    #[test]
    fn a_long_report_runs_over_pages_with_the_header_repeated_and_a_short_one_fits_one() {
        let created = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap().and_hms_opt(10, 0, 0).unwrap();
        let short = pdf_text(&render_pdf(&report(2), created).unwrap());
        for needle in ["保修中心工作日报", "表单编号：BJ-WX-C01-F03", "2026-03-05（星期四）", "第1页/共1页", "一、报修情况", "BX-2026-000001", "当日无"]
        {
            assert!(short.contains(needle), "lacks «{needle}»: {short}");
        }
        let long = pdf_text(&render_pdf(&report(120), created).unwrap());
        let pages = long.matches("表单编号：BJ-WX-C01-F03").count();
        assert!(pages >= 3, "{pages} pages");
        assert!(long.contains(&format!("第{pages}页/共{pages}页")));
        assert_eq!(long.matches("一、报修情况（续）").count(), pages - 1, "every later page says it continues");
        assert_eq!(long.matches("报修编号").count(), pages, "the header row is repeated on every page");
        assert!(long.contains("BX-2026-000119"), "the last row is printed");
    }

    #[test]
    fn the_workbook_has_a_summary_sheet_and_one_sheet_per_section() {
        let r = report(3);
        let tables = workbook_tables(&r);
        assert_eq!(tables.len(), 3);
        assert_eq!(tables[0].sheet_name, "汇总");
        assert_eq!(tables[1].rows.len(), 3);
        assert_eq!(tables[1].columns.len(), 4, "the workbook has every column");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f03.xlsx");
        write_xlsx(&p, &r).unwrap();
        assert!(std::fs::metadata(&p).unwrap().len() > 1000);
    }
}
