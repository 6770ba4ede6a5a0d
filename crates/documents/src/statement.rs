//! 对账单: the quarterly reconciliation statement of the deposit ledger (node B4), signed by the
//! warranty center and the project department. As a workbook (sheet 对账汇总: both sides'
//! totals per builder and the difference; sheet 差异明细: every row only one side has or whose
//! amounts differ, with the department's sheet and row) and as an A4 PDF (the totals, the
//! differences over as many pages as needed with the header repeated, and the two signature
//! boxes with 经办人 / 负责人 / 日期 at the end).
//!
//! The statement arrives decided ([`Statement`]): the service reconciles, this module lays out.

use chrono::NaiveDateTime;
use desk_domain::money::Fen;

use crate::excel_out::{write_workbook, ColumnKind, ExportError, OutCell, OutColumn, SheetTable};
use crate::pdf::canvas::{Align, Canvas};
use crate::pdf::font::Font;
use crate::pdf::grid::{FRAME, LABEL_GREY, RULE};
use crate::pdf::table::{self, LaidRow, Table};
use crate::pdf::{new_document, save, PdfError};

/// One builder's totals on both sides, fen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatementBuilder {
    pub name: String,
    pub theirs_credit: Fen,
    pub theirs_debit: Fen,
    pub ours_credit: Fen,
    pub ours_debit: Fen,
}

impl StatementBuilder {
    fn net(credit: Fen, debit: Fen) -> Fen {
        Fen(credit.0.saturating_sub(debit.0))
    }
    pub fn theirs_net(&self) -> Fen {
        Self::net(self.theirs_credit, self.theirs_debit)
    }
    pub fn ours_net(&self) -> Fen {
        Self::net(self.ours_credit, self.ours_debit)
    }
    /// 项目部 − 保修中心.
    pub fn difference(&self) -> Fen {
        Fen(self.theirs_net().0.saturating_sub(self.ours_net().0))
    }
}

/// One difference: a row only one side has, or a pair whose amounts differ.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatementDifference {
    /// 仅项目部有 / 仅保修中心有 / 金额不符.
    pub kind: String,
    /// Where the department's row is: "明细 第12行"; empty when only we have it.
    pub their_ref: String,
    /// Our entry: "分录 #34"; empty when only they have it.
    pub our_ref: String,
    pub their_date: Option<chrono::NaiveDate>,
    pub our_date: Option<chrono::NaiveDate>,
    pub builder: String,
    pub voucher_no: String,
    pub ticket_no: String,
    pub payment_request_no: String,
    pub summary: String,
    /// Net amounts (credit − debit) of each side; `None` for the side that lacks the row.
    pub theirs: Option<Fen>,
    pub ours: Option<Fen>,
}

impl StatementDifference {
    /// 项目部 − 保修中心 (a missing side counts as zero).
    pub fn difference(&self) -> Fen {
        Fen(self.theirs.unwrap_or(Fen::ZERO).0.saturating_sub(self.ours.unwrap_or(Fen::ZERO).0))
    }
}

/// The statement, decided and formatted by the service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Statement {
    pub project: String,
    /// "2026年第3季度".
    pub quarter_label: String,
    /// The department's file reconciled.
    pub file_name: String,
    /// e.g. "2026-10-08 10:30".
    pub generated: String,
    pub matched: usize,
    pub builders: Vec<StatementBuilder>,
    pub differences: Vec<StatementDifference>,
    /// Lines printed under the figures (rows outside the quarter ignored, file problems…).
    pub notes: Vec<String>,
}

impl Statement {
    /// "<项目>保修金对账单 2026年第3季度".
    pub fn title(&self) -> String {
        format!("{}保修金对账单 {}", self.project, self.quarter_label)
    }

    fn count(&self, kind: &str) -> usize {
        self.differences.iter().filter(|d| d.kind == kind).count()
    }

    /// "相符 120 笔；仅项目部有 1 笔；仅保修中心有 1 笔；金额不符 1 笔".
    pub fn figures(&self) -> String {
        format!(
            "相符 {} 笔；{} {} 笔；{} {} 笔；{} {} 笔",
            self.matched,
            ONLY_THEIRS,
            self.count(ONLY_THEIRS),
            ONLY_OURS,
            self.count(ONLY_OURS),
            DIFFERS,
            self.count(DIFFERS)
        )
    }
}

/// The kinds of difference, as printed.
pub const ONLY_THEIRS: &str = "仅项目部有";
pub const ONLY_OURS: &str = "仅保修中心有";
pub const DIFFERS: &str = "金额不符";

// ---- workbook -------------------------------------------------------------------------------

/// The workbook's two sheets.
pub fn workbook_tables(s: &Statement) -> Vec<SheetTable> {
    let money = |h: &str| OutColumn::new(h, ColumnKind::Money);
    let text = |h: &str| OutColumn::new(h, ColumnKind::Text);
    let date = |h: &str| OutColumn::new(h, ColumnKind::Date);
    let totals = SheetTable {
        title: format!("{}（对账汇总）", s.title()),
        sheet_name: "对账汇总".into(),
        columns: vec![
            text("施工单位"),
            money("项目部 计提/收取"),
            money("项目部 扣款/退还"),
            money("项目部 净额"),
            money("保修中心 计提/收取"),
            money("保修中心 扣款/退还"),
            money("保修中心 净额"),
            money("差额（项目部−保修中心）"),
        ],
        rows: s
            .builders
            .iter()
            .map(|b| {
                vec![
                    OutCell::Text(b.name.clone()),
                    OutCell::Money(b.theirs_credit),
                    OutCell::Money(b.theirs_debit),
                    OutCell::Money(b.theirs_net()),
                    OutCell::Money(b.ours_credit),
                    OutCell::Money(b.ours_debit),
                    OutCell::Money(b.ours_net()),
                    OutCell::Money(b.difference()),
                ]
            })
            .collect(),
        total_row: true,
    };
    let opt_date = |d: Option<chrono::NaiveDate>| d.map(OutCell::Date).unwrap_or(OutCell::Empty);
    let opt_money = |f: Option<Fen>| f.map(OutCell::Money).unwrap_or(OutCell::Empty);
    let details = SheetTable {
        title: format!("{}（差异明细）", s.title()),
        sheet_name: "差异明细".into(),
        columns: vec![
            text("差异类别"),
            text("项目部表格位置"),
            text("保修中心分录"),
            date("日期（项目部）"),
            date("日期（保修中心）"),
            text("施工单位"),
            text("凭证号"),
            text("报修单号"),
            text("付款申请号"),
            text("摘要"),
            money("项目部金额"),
            money("保修中心金额"),
            money("差额（项目部−保修中心）"),
        ],
        rows: s
            .differences
            .iter()
            .map(|d| {
                vec![
                    OutCell::Text(d.kind.clone()),
                    OutCell::Text(d.their_ref.clone()),
                    OutCell::Text(d.our_ref.clone()),
                    opt_date(d.their_date),
                    opt_date(d.our_date),
                    OutCell::Text(d.builder.clone()),
                    OutCell::Text(d.voucher_no.clone()),
                    OutCell::Text(d.ticket_no.clone()),
                    OutCell::Text(d.payment_request_no.clone()),
                    OutCell::Text(d.summary.clone()),
                    opt_money(d.theirs),
                    opt_money(d.ours),
                    OutCell::Money(d.difference()),
                ]
            })
            .collect(),
        total_row: true,
    };
    vec![totals, details]
}

/// Writes the workbook at `path`.
pub fn write_xlsx(path: &std::path::Path, s: &Statement) -> Result<(), ExportError> {
    write_workbook(path, &workbook_tables(s))
}

// ---- PDF ------------------------------------------------------------------------------------

const PW: f32 = 210.0;
const PH: f32 = 297.0;
const M: f32 = 12.0;
const BODY_W: f32 = PW - 2.0 * M;
const FOOT: f32 = PH - M - 6.0;
const LATER_TOP: f32 = 22.0;
const HEADING_H: f32 = 7.5;
const BODY_PT: f32 = 7.5;
const HEADER_H: f32 = 8.0;
const SIGN_H: f32 = 38.0;

const TOTAL_HEADERS: [&str; 8] = [
    "施工单位",
    "项目部\n计提/收取",
    "项目部\n扣款/退还",
    "项目部\n净额",
    "保修中心\n计提/收取",
    "保修中心\n扣款/退还",
    "保修中心\n净额",
    "差额\n（项目部−中心）",
];
const TOTAL_WIDTHS: [f32; 8] = [32.0, 22.0, 22.0, 22.0, 22.0, 22.0, 22.0, 22.0];
const DIFF_HEADERS: [&str; 8] = ["类别", "位置", "日期", "施工单位", "凭证号/单号", "项目部金额", "保修中心金额", "差额"];
const DIFF_WIDTHS: [f32; 8] = [19.5, 27.0, 18.0, 31.5, 28.0, 21.0, 21.0, 20.0];

fn money(f: Fen) -> String {
    f.to_string()
}

fn total_cells(s: &Statement) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = s
        .builders
        .iter()
        .map(|b| {
            vec![
                b.name.clone(),
                money(b.theirs_credit),
                money(b.theirs_debit),
                money(b.theirs_net()),
                money(b.ours_credit),
                money(b.ours_debit),
                money(b.ours_net()),
                money(b.difference()),
            ]
        })
        .collect();
    let sum = |f: fn(&StatementBuilder) -> Fen| Fen(s.builders.iter().map(|b| f(b).0).fold(0i64, i64::saturating_add));
    rows.push(vec![
        "合计".into(),
        money(sum(|b| b.theirs_credit)),
        money(sum(|b| b.theirs_debit)),
        money(sum(StatementBuilder::theirs_net)),
        money(sum(|b| b.ours_credit)),
        money(sum(|b| b.ours_debit)),
        money(sum(StatementBuilder::ours_net)),
        money(sum(StatementBuilder::difference)),
    ]);
    rows
}

fn diff_cells(s: &Statement) -> Vec<Vec<String>> {
    s.differences
        .iter()
        .map(|d| {
            // The kind already says whose row it is: the department's sheet-row, then our entry.
            let place = [(!d.their_ref.is_empty()).then(|| d.their_ref.clone()), (!d.our_ref.is_empty()).then(|| d.our_ref.clone())];
            let date = d.their_date.or(d.our_date).map(|x| x.format("%Y-%m-%d").to_string()).unwrap_or_default();
            let refs = [&d.voucher_no, &d.ticket_no, &d.payment_request_no].into_iter().filter(|x| !x.is_empty()).cloned().collect::<Vec<_>>();
            vec![
                d.kind.clone(),
                place.into_iter().flatten().collect::<Vec<_>>().join("\n"),
                date,
                d.builder.clone(),
                refs.join("\n"),
                d.theirs.map(money).unwrap_or_default(),
                d.ours.map(money).unwrap_or_default(),
                money(d.difference()),
            ]
        })
        .collect()
}

/// Pages being drawn: a new page starts with the running title; footers are added at the end
/// when the page count is known.
struct Pages<'f> {
    done: Vec<Canvas<'f>>,
    cur: Canvas<'f>,
    y: f32,
    font: &'f Font,
    font_id: printpdf::FontId,
    title: String,
}

impl<'f> Pages<'f> {
    fn new_page(&mut self) {
        let mut next = Canvas::new(self.font, self.font_id.clone(), PW, PH);
        next.text(M, 16.0, 9.0, &format!("{}（续）", self.title), Align::Left, false);
        self.done.push(std::mem::replace(&mut self.cur, next));
        self.y = LATER_TOP;
    }

    /// Starts a new page unless `h` mm fit below the cursor.
    fn need(&mut self, h: f32) {
        if self.y + h > FOOT {
            self.new_page();
        }
    }

    fn heading(&mut self, text: &str, first_row_h: f32) {
        self.need(HEADING_H + HEADER_H + first_row_h);
        self.cur.text(M, self.y + 5.0, 10.0, text, Align::Left, true);
        self.y += HEADING_H;
    }

    /// A table flowing over pages, the header row repeated on each.
    fn table(&mut self, t: &Table<'_>, rows: &[LaidRow], heading: &str) {
        let mut from = 0;
        while from < rows.len() {
            let avail = FOOT - self.y - t.header_h;
            let mut to = from;
            let mut used = 0.0;
            while to < rows.len() && (to == from || used + rows[to].h <= avail) {
                used += rows[to].h;
                to += 1;
            }
            table::draw(&mut self.cur, M, self.y, t, rows.get(from..to).unwrap_or(&[]));
            self.y += t.header_h + used + 3.0;
            from = to;
            if from < rows.len() {
                self.new_page();
                self.cur.text(M, self.y + 5.0, 10.0, &format!("{heading}（续）"), Align::Left, true);
                self.y += HEADING_H;
            }
        }
    }

    fn finish(mut self) -> Vec<printpdf::PdfPage> {
        let last = Canvas::new(self.font, self.font_id.clone(), PW, PH);
        self.done.push(std::mem::replace(&mut self.cur, last));
        let n = self.done.len();
        self.done
            .into_iter()
            .enumerate()
            .map(|(i, mut c)| {
                c.text(PW / 2.0, PH - M + 2.0, 8.0, &format!("第 {} 页 / 共 {} 页", i + 1, n), Align::Center, false);
                c.into_page()
            })
            .collect()
    }
}

/// The two signature boxes side by side: 保修中心 and 项目部, each with 经办人 / 负责人 / 日期.
fn signature_boxes(c: &mut Canvas<'_>, y: f32) {
    let gap = 6.0;
    let w = (BODY_W - gap) / 2.0;
    for (i, side) in ["保修中心（盖章）", "项目部（盖章）"].into_iter().enumerate() {
        let x = M + i as f32 * (w + gap);
        c.fill(x, y, w, 7.0, LABEL_GREY);
        c.text_box((x, y, w, 7.0), side, 9.5, 7.0, Align::Center, true);
        c.line(x, y + 7.0, x + w, y + 7.0, RULE);
        for (k, label) in ["经办人：", "负责人：", "日　期："].into_iter().enumerate() {
            let base = y + 16.0 + k as f32 * 9.5;
            c.text(x + 3.0, base, 9.0, label, Align::Left, false);
            let lx = x + 3.0 + c.font().width_pt(label, 9.0) * 25.4 / 72.0 + 1.0;
            c.line(lx, base + 0.8, x + w - 4.0, base + 0.8, 0.35);
        }
        c.rect(x, y, w, SIGN_H, FRAME);
    }
}

/// Renders the statement; `created` becomes the PDF's creation date (taken as UTC).
pub fn render_pdf(s: &Statement, created: NaiveDateTime) -> Result<Vec<u8>, PdfError> {
    let title = s.title();
    let (doc, font_id, font) = new_document(&title, created)?;
    // The handle keeps the font for as long as this document is being made.
    let font = &*font;
    let totals_t = Table { headers: &TOTAL_HEADERS, widths: &TOTAL_WIDTHS, size: 7.0, max_lines: 3, header_h: HEADER_H + 2.0 };
    let diff_t = Table { headers: &DIFF_HEADERS, widths: &DIFF_WIDTHS, size: BODY_PT, max_lines: 4, header_h: HEADER_H };
    let totals = table::lay_out(font, &totals_t, &total_cells(s));
    let diffs = table::lay_out(font, &diff_t, &diff_cells(s));

    let mut first = Canvas::new(font, font_id.clone(), PW, PH);
    first.text(PW / 2.0, 21.0, 15.0, &title, Align::Center, true);
    first.text(M, 30.0, 8.5, &format!("对账文件：{}　　生成时间：{}", s.file_name, s.generated), Align::Left, false);
    first.text(M, 35.5, 8.5, &format!("对账结果：{}", s.figures()), Align::Left, false);
    let mut y = 41.0;
    for note in &s.notes {
        first.text(M, y, 8.0, &format!("说明：{note}"), Align::Left, false);
        y += 5.0;
    }
    let mut p = Pages { done: Vec::new(), cur: first, y: y + 1.0, font, font_id, title };

    let heading = "一、各施工单位本季度发生额对照";
    p.heading(heading, totals.first().map(|r| r.h).unwrap_or(0.0));
    p.table(&totals_t, &totals, heading);

    let heading = "二、差异明细";
    if diffs.is_empty() {
        p.heading(heading, 0.0);
        p.cur.text(M + 4.0, p.y + 4.0, 9.0, "无差异：双方本季度账目逐笔相符。", Align::Left, false);
        p.y += 9.0;
    } else {
        p.heading(heading, diffs[0].h);
        p.table(&diff_t, &diffs, heading);
    }

    let closing = "经双方核对，确认以上对账结果。";
    p.need(8.0 + SIGN_H);
    p.cur.text(M, p.y + 5.0, 9.0, closing, Align::Left, false);
    p.y += 9.0;
    signature_boxes(&mut p.cur, p.y);
    save(doc, p.finish())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::inconsistent_digit_grouping)]
    use super::*;
    use chrono::NaiveDate;

    fn statement(diffs: usize) -> Statement {
        let d = NaiveDate::from_ymd_opt(2026, 7, 3).unwrap();
        Statement {
            project: "翠湖澜庭".into(),
            quarter_label: "2026年第3季度".into(),
            file_name: "项目部保修金明细账.xlsx".into(),
            generated: "2026-10-08 10:30".into(),
            matched: 12,
            builders: vec![StatementBuilder {
                name: "中建三局(第一分公司)".into(),
                theirs_credit: Fen(100_000_00),
                theirs_debit: Fen(3_200_00),
                ours_credit: Fen(100_000_00),
                ours_debit: Fen(3_000_00),
            }],
            differences: (0..diffs)
                .map(|i| StatementDifference {
                    kind: [ONLY_THEIRS, ONLY_OURS, DIFFERS][i % 3].into(),
                    their_ref: if i % 3 == 1 { String::new() } else { format!("明细 第{}行", i + 4) },
                    our_ref: if i % 3 == 0 { String::new() } else { format!("分录 #{i}") },
                    their_date: Some(d),
                    our_date: Some(d),
                    builder: "中建三局(第一分公司)".into(),
                    voucher_no: format!("记-{i:03}"),
                    theirs: (i % 3 != 1).then_some(Fen(-200_00)),
                    ours: (i % 3 != 0).then_some(Fen(-180_00)),
                    ..Default::default()
                })
                .collect(),
            notes: vec!["文件中有 1 行不在本季度，已忽略".into()],
        }
    }

    fn pdf_text(bytes: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.pdf");
        std::fs::write(&p, bytes).unwrap();
        let o = std::process::Command::new("pdftotext").arg(&p).arg("-").output().expect("pdftotext (poppler-utils)");
        String::from_utf8_lossy(&o.stdout).replace(['\n', ' '], "")
    }

    #[test]
    fn a_long_statement_runs_over_pages_and_ends_with_both_signature_boxes() {
        let created = NaiveDate::from_ymd_opt(2026, 10, 8).unwrap().and_hms_opt(2, 30, 0).unwrap();
        let long = render_pdf(&statement(150), created).unwrap();
        if let Ok(keep) = std::env::var("STATEMENT_KEEP_PDF") {
            std::fs::write(keep, &long).unwrap(); // to look at it: pdftoppm -png -r 60
        }
        let text = pdf_text(&long);
        let pages = text.matches("页/共").count();
        assert!(pages >= 3, "{pages} pages");
        for needle in [
            "翠湖澜庭保修金对账单2026年第3季度",
            "保修中心（盖章）",
            "项目部（盖章）",
            "经办人：",
            "负责人：",
            "二、差异明细（续）",
            "记-149",
            "说明：文件中有1行不在本季度",
        ] {
            assert!(text.contains(needle), "lacks «{needle}»");
        }
        let short = pdf_text(&render_pdf(&statement(0), created).unwrap());
        assert!(short.contains("无差异") && short.contains("第1页/共1页"), "{short}");
    }

    #[test]
    fn the_workbook_sums_and_differences_follow_the_sides() {
        let s = statement(3);
        let t = workbook_tables(&s);
        assert_eq!((t[0].sheet_name.as_str(), t[1].sheet_name.as_str()), ("对账汇总", "差异明细"));
        assert_eq!(t[0].rows[0][7], OutCell::Money(Fen(-200_00)));
        assert_eq!(t[1].rows[0][12], OutCell::Money(Fen(-200_00)), "only theirs: the whole amount differs");
        assert_eq!(t[1].rows[2][12], OutCell::Money(Fen(-20_00)));
        let dir = tempfile::tempdir().unwrap();
        write_xlsx(&dir.path().join("s.xlsx"), &s).unwrap();
    }
}
