//! 委托维修付款申请单: the printed payment request of a commissioned repair (fund flow C6 → A7
//! → 会签 → D8), A4 portrait. What finance files with its voucher, so it carries everything
//! the payment rests on:
//!
//! * the particulars — project, request no, ticket no, unit and defect, the builder whose
//!   deposit is charged (and its contract), the hired firm, why the builder did not perform;
//! * the line table as the firm asked (序号/类别/名称/单位/数量/单价/金额) beside the review
//!   (审核数量/审核单价/审核金额/审核说明), totals in figures and in Chinese capitals;
//! * the A7 review box, one countersign box per required role (name, opinion, date — blank to
//!   sign by hand when not yet signed at the desk), and the D8 finance box.
//!
//! A long line table continues on further pages with its header repeated; the boxes below it
//! move to a new page when they do not fit under the last rows. Every text is fitted into its
//! own cell (shrink, then "…"), as on the F01/F02 forms.

use chrono::NaiveDateTime;
use desk_domain::fund::payment::amount_in_capitals;
use desk_domain::fund::PaymentRequestRecord;
use desk_domain::money::Fen;
use desk_domain::time::{fmt_local, local_date};

use super::canvas::{pt, Align, Canvas, PAD};
use super::font::Font;
use super::grid::{self, label, value, Cell, Row, FRAME, LABEL_GREY, RULE};
use super::layout::{fit, Fitted, LINE_SPACING};
use super::table::{paginate, LaidRow};
use super::{new_document, save, PdfError};

const TITLE: &str = "委托维修付款申请单";
const PW: f32 = 210.0;
const PH: f32 = 297.0;
const M: f32 = 12.0;
const W: f32 = PW - 2.0 * M;
/// Body size of the line table, pt.
const SIZE: f32 = 7.5;
const HEADER_H: f32 = 9.0;
/// Blank rows the line table is padded to (lines added by hand before review).
const MIN_ROWS: usize = 4;
/// Top of the table on a continuation page.
const LATER_TOP: f32 = 24.0;
/// Lowest y any block may reach (above the page number).
const FOOT: f32 = PH - M - 5.0;

struct Col {
    header: &'static str,
    w: f32,
    align: Align,
}

const COLS: [Col; 11] = [
    Col { header: "序号", w: 8.0, align: Align::Center },
    Col { header: "类别", w: 10.0, align: Align::Center },
    Col { header: "名称", w: 29.0, align: Align::Left },
    Col { header: "单位", w: 10.0, align: Align::Center },
    Col { header: "数量", w: 13.0, align: Align::Right },
    Col { header: "单价", w: 17.0, align: Align::Right },
    Col { header: "金额", w: 19.0, align: Align::Right },
    Col { header: "审核\n数量", w: 13.0, align: Align::Right },
    Col { header: "审核\n单价", w: 17.0, align: Align::Right },
    Col { header: "审核\n金额", w: 19.0, align: Align::Right },
    Col { header: "审核说明", w: 31.0, align: Align::Left },
];

/// `1,234.56` — the table's money, without the ¥ the header already implies.
fn money(fen: i64) -> String {
    Fen(fen).to_string().replacen('¥', "", 1)
}

fn date_of(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| local_date(t).to_string()).unwrap_or_default()
}

fn lay_out(font: &Font, rows: &[Vec<String>]) -> Vec<LaidRow> {
    let measure = |c: char| font.advance_em(c);
    let max_h = 3.0 * SIZE * LINE_SPACING;
    rows.iter()
        .map(|r| {
            let cells: Vec<Fitted> = COLS
                .iter()
                .enumerate()
                .map(|(i, c)| fit(r.get(i).map(String::as_str).unwrap_or(""), pt(c.w - 2.0 * PAD), max_h, SIZE, 6.0, &measure))
                .collect();
            let lines = cells.iter().map(|f| f.lines.len()).max().unwrap_or(1).max(1);
            let h = (lines as f32 * SIZE * LINE_SPACING * 25.4 / 72.0 + 2.0 * PAD).max(6.5);
            LaidRow { h, cells }
        })
        .collect()
}

/// The line table's header and `rows` at y; returns the bottom y. Unlike the generic table,
/// numbers are right-aligned so the amounts line up for the reader adding them.
fn draw_table(c: &mut Canvas<'_>, y: f32, rows: &[LaidRow]) -> f32 {
    c.fill(M, y, W, HEADER_H, LABEL_GREY);
    let mut x = M;
    for col in &COLS {
        c.text_box((x, y, col.w, HEADER_H), col.header, SIZE + 0.5, 5.0, Align::Center, true);
        x += col.w;
    }
    let mut top = y + HEADER_H;
    c.line(M, top, M + W, top, RULE);
    for row in rows {
        let mut x = M;
        for (col, f) in COLS.iter().zip(&row.cells) {
            c.draw_fitted(f, (x + PAD, top + PAD, col.w - 2.0 * PAD, row.h - 2.0 * PAD), col.align, true);
            x += col.w;
        }
        top += row.h;
        c.line(M, top, M + W, top, RULE);
    }
    let mut x = M;
    for col in &COLS[..COLS.len() - 1] {
        x += col.w;
        // A heavier rule between what was asked and what was approved.
        let weight = if col.header == "金额" { FRAME } else { RULE };
        c.line(x, y, x, top, weight);
    }
    c.rect(M, y, W, top - y, FRAME);
    top
}

/// The table's body: one row per line, padded with blanks, then the 合计 row.
fn table_rows(r: &PaymentRequestRecord) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = r
        .lines
        .iter()
        .map(|l| {
            vec![
                l.seq.to_string(),
                l.kind.label().to_string(),
                l.item.clone(),
                l.unit.clone(),
                l.quantity.clone(),
                money(l.unit_price_fen),
                money(l.amount_fen),
                l.reviewed_quantity.clone().unwrap_or_default(),
                l.reviewed_unit_price_fen.map(money).unwrap_or_default(),
                l.reviewed_amount_fen.map(money).unwrap_or_default(),
                l.review_reason.clone(),
            ]
        })
        .collect();
    while rows.len() < MIN_ROWS {
        rows.push(vec![String::new(); COLS.len()]);
    }
    let mut total = vec![String::new(); COLS.len()];
    total[2] = "合计".into();
    total[6] = money(r.requested_fen);
    total[9] = r.approved_fen.map(money).unwrap_or_default();
    rows.push(total);
    rows
}

/// The particulars above the table.
fn head_rows(r: &PaymentRequestRecord) -> Vec<Row> {
    let lw = 25.0;
    let vw = (W - 2.0 * lw) / 2.0;
    let h = 8.0;
    let pair = |a: &str, av: &str, b: &str, bv: &str| Row::new(h, vec![(lw, label(a)), (vw, value(av)), (lw, label(b)), (0.0, value(bv))]);
    let contract = if r.contract_no.is_empty() { "—".to_string() } else { r.contract_no.clone() };
    vec![
        pair("项目", &r.project, "付款申请号", &r.no),
        pair("报修单号", &r.ticket_no, "房号", &r.unit),
        Row::new(12.0, vec![(lw, label("缺陷描述")), (0.0, Cell::Block(r.defect.clone()))]),
        Row::new(10.0, vec![(lw, label("原施工单位\n（扣保修金）")), (vw, value(&r.builder)), (lw, label("合同编号")), (0.0, value(&contract))]),
        pair("委托维修单位", &r.firm, "申请日期", &local_date(r.submitted_at).to_string()),
        Row::new(12.0, vec![(lw, label("委托原因")), (0.0, Cell::Block(r.reason.clone()))]),
    ]
}

/// Totals in capitals, the A7 review, the countersignatures and D8.
fn foot_rows(r: &PaymentRequestRecord) -> Vec<Row> {
    let lw = 25.0;
    let vw = (W - 2.0 * lw) / 2.0;
    let figures = |f: Option<i64>| f.map(|f| format!("{}　（{}）", amount_in_capitals(Fen(f)), Fen(f))).unwrap_or_default();
    let mut rows = vec![
        Row::new(10.0, vec![(lw, label("申请金额\n（大写）")), (0.0, value(&figures(Some(r.requested_fen))))]),
        Row::new(10.0, vec![(lw, label("核定金额\n（大写）")), (0.0, value(&figures(r.approved_fen)))]),
        Row::new(16.0, vec![(lw, label("审核意见\n（A7）")), (0.0, Cell::Block(review_text(r)))]),
        Row::new(
            8.0,
            vec![(lw, label("审核人")), (vw, value(r.reviewed_by.as_deref().unwrap_or(""))), (lw, label("审核日期")), (0.0, value(&date_of(r.reviewed_at)))],
        ),
    ];
    // 会签: one column per required role, at least two so a box is never the whole width.
    let n = r.required_roles.len().max(1);
    let cw = (W - lw) / n as f32;
    let mut heads = vec![(lw, label("会签"))];
    let mut bodies = vec![(lw, label("意见 / 签字\n日期"))];
    for role in &r.required_roles {
        heads.push((cw, label(role.label())));
        let signed = r.countersigns.iter().find(|k| k.role == *role);
        bodies.push((
            cw,
            match signed {
                Some(k) => {
                    let opinion = if k.opinion.is_empty() { "同意".to_string() } else { k.opinion.clone() };
                    Cell::Block(format!("意见：{opinion}\n签字：{}（PIN 确认）\n日期：{}", k.name, fmt_local(k.at)))
                }
                // Blank to be signed by hand.
                None => Cell::Block("意见：\n签字：\n日期：".into()),
            },
        ));
    }
    rows.push(Row::new(7.0, heads));
    rows.push(Row::new(20.0, bodies));
    let paid = |s: &str| if r.paid_on.is_some() { s.to_string() } else { String::new() };
    rows.push(Row::new(
        10.0,
        vec![
            (lw, label("付款日期\n（D8 财务）")),
            (vw, value(&r.paid_on.map(|d| d.to_string()).unwrap_or_default())),
            (lw, label("付款凭证号")),
            (0.0, value(&r.paid_voucher)),
        ],
    ));
    rows.push(Row::new(
        14.0,
        vec![
            (lw, label("保修金扣款")),
            (vw, Cell::Block(paid(&format!("已记入「{}」保修金明细账（扣款），经办：{}", r.builder, r.paid_by.clone().unwrap_or_default())))),
            (lw, label("财务经办\n签字")),
            (0.0, Cell::Sign { image: None, date: String::new() }),
        ],
    ));
    rows
}

fn review_text(r: &PaymentRequestRecord) -> String {
    if r.reviewed_at.is_none() {
        return String::new();
    }
    let changed = r.lines.iter().filter(|l| l.changed).count();
    let mut s = if changed == 0 {
        "材料、数量、单价经审核，照申请核定。".to_string()
    } else {
        format!("经审核，调整 {changed} 行（见审核说明）。")
    };
    if !r.review_note.is_empty() {
        s.push_str(&r.review_note);
    }
    s
}

/// Renders the 付款申请单; `created` becomes the PDF's creation date (taken as UTC).
pub fn render_payment_request(r: &PaymentRequestRecord, created: NaiveDateTime) -> Result<Vec<u8>, PdfError> {
    let (doc, font_id, font) = new_document(&format!("{TITLE} {}", r.no), created)?;
    // The handle keeps the font for as long as this document is being made.
    let font = &*font;
    let head = head_rows(r);
    let foot = foot_rows(r);
    let laid = lay_out(font, &table_rows(r));
    let head_y = 30.0;
    let table_y = head_y + head.iter().map(|x| x.h).sum::<f32>() + 8.0;
    let foot_h: f32 = foot.iter().map(|x| x.h).sum::<f32>() + 4.0;
    let mut pages = paginate(&laid, FOOT - table_y - HEADER_H, FOOT - LATER_TOP - HEADER_H);
    // Where the last rows end; the boxes go under them, or on a page of their own.
    let last_used: f32 = pages.last().map(|p| laid[p.clone()].iter().map(|x| x.h).sum()).unwrap_or(0.0);
    let last_top = if pages.len() == 1 { table_y } else { LATER_TOP };
    let foot_alone = last_top + HEADER_H + last_used + foot_h > FOOT;
    if foot_alone {
        pages.push(laid.len()..laid.len());
    }
    let n = pages.len();
    let mut out = Vec::with_capacity(n);
    for (i, range) in pages.into_iter().enumerate() {
        let mut c = Canvas::new(font, font_id.clone(), PW, PH);
        c.text(PW - M, 14.0, 8.0, "保修金使用管理工作流程 C6 → A7 → 会签 → D8", Align::Right, false);
        let mut y = if i == 0 {
            c.text(PW / 2.0, 22.0, 16.0, TITLE, Align::Center, true);
            c.text(PW - M, 26.5, 9.0, &format!("付款申请号：{}", r.no), Align::Right, false);
            c.text(M, 26.5, 9.0, &format!("状态：{}", r.status.label()), Align::Left, false);
            grid::draw(&mut c, M, head_y, W, &head);
            c.text(M, table_y - 2.0, 9.5, "费用明细（金额单位：元）", Align::Left, true);
            table_y
        } else {
            c.text(M, LATER_TOP - 3.0, 9.0, &format!("{TITLE}（续）　付款申请号：{}", r.no), Align::Left, false);
            LATER_TOP
        };
        let rows = laid.get(range.clone()).unwrap_or(&[]);
        if !rows.is_empty() {
            y = draw_table(&mut c, y, rows);
        }
        if i + 1 == n {
            grid::draw(&mut c, M, y + 4.0, W, &foot);
        }
        c.text(M, PH - M + 2.0, 7.5, &format!("打印：{}", created.format("%Y-%m-%d %H:%M")), Align::Left, false);
        c.text(PW / 2.0, PH - M + 2.0, 8.0, &format!("第 {} 页 / 共 {} 页", i + 1, n), Align::Center, false);
        out.push(c.into_page());
    }
    save(doc, out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use desk_domain::fund::{CountersignRecord, LineKind, PaymentLineRecord, PaymentStatus};
    use desk_domain::staff::Role;

    fn at(h: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 7, 1, h, 0, 0).unwrap()
    }

    fn line(seq: i64, item: &str, q: i64, p: i64, reviewed: Option<(i64, i64, &str)>) -> PaymentLineRecord {
        let amount = desk_domain::fund::payment::line_amount(q, Fen(p)).unwrap().0;
        PaymentLineRecord {
            id: seq,
            seq,
            kind: LineKind::Material,
            item: item.into(),
            unit: "m²".into(),
            quantity_milli: q,
            quantity: desk_domain::fund::payment::format_quantity(q),
            unit_price_fen: p,
            amount_fen: amount,
            reviewed_quantity_milli: reviewed.map(|r| r.0),
            reviewed_quantity: reviewed.map(|r| desk_domain::fund::payment::format_quantity(r.0)),
            reviewed_unit_price_fen: reviewed.map(|r| r.1),
            reviewed_amount_fen: reviewed.map(|r| desk_domain::fund::payment::line_amount(r.0, Fen(r.1)).unwrap().0),
            review_reason: reviewed.map(|r| r.2.to_string()).unwrap_or_default(),
            changed: reviewed.is_some_and(|r| (r.0, r.1) != (q, p)),
        }
    }

    pub(crate) fn request(lines: Vec<PaymentLineRecord>) -> PaymentRequestRecord {
        let requested = lines.iter().map(|l| l.amount_fen).sum();
        let approved = lines.iter().map(|l| l.reviewed_amount_fen.unwrap_or(l.amount_fen)).sum();
        PaymentRequestRecord {
            id: 1,
            no: "FK-2026-0001".into(),
            status: PaymentStatus::Paid,
            next_node: String::new(),
            commission_id: 1,
            project_id: 1,
            project: "翠湖澜庭".into(),
            ticket_id: 1,
            ticket_no: "BX-2026-000001".into(),
            unit: "3-2-1502".into(),
            defect: "卫生间地面渗水，楼下顶棚有水渍".into(),
            ledger_id: 1,
            builder: "中建三局第一分公司".into(),
            contract_no: "HT-2023-017".into(),
            firm: "城安防水维修".into(),
            reason: "施工单位接通知后三次未到场".into(),
            requested_fen: requested,
            approved_fen: Some(approved),
            submitted_at: at(1),
            submitted_by: "前台小李".into(),
            reviewed_at: Some(at(2)),
            reviewed_by: Some("张主任".into()),
            review_note: "单价按合同价".into(),
            lines,
            required_roles: vec![Role::Director, Role::ProjectGm],
            countersigns: vec![CountersignRecord { role: Role::Director, staff_id: 1, name: "张主任".into(), opinion: "同意".into(), at: at(3) }],
            paid_on: NaiveDate::from_ymd_opt(2026, 7, 1),
            paid_voucher: "记-0701-07".into(),
            paid_at: Some(at(4)),
            paid_by: Some("前台小李".into()),
            entry_id: Some(9),
        }
    }

    /// Set `PAYMENT_PDF_DIR` to keep the rendered forms for looking at.
    fn text(bytes: &[u8]) -> String {
        if let Some(d) = std::env::var_os("PAYMENT_PDF_DIR") {
            let n = std::fs::read_dir(&d).map(|r| r.count()).unwrap_or(0);
            std::fs::write(std::path::Path::new(&d).join(format!("fk-{n}.pdf")), bytes).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fk.pdf");
        std::fs::write(&p, bytes).unwrap();
        let o = std::process::Command::new("pdftotext").arg(&p).arg("-").output().expect("pdftotext (poppler-utils)");
        String::from_utf8_lossy(&o.stdout).replace(['\n', ' '], "")
    }

    fn created() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap().and_hms_opt(12, 0, 0).unwrap()
    }

    #[test]
    fn the_form_carries_the_numbers_the_capitals_and_the_signatures() {
        let r = request(vec![line(1, "防水涂料", 2500, 3_333, Some((2000, 3_333, "现场实测 2 m²"))), line(2, "人工", 1000, 30_000, Some((1000, 30_000, "")))]);
        let bytes = render_payment_request(&r, created()).unwrap();
        let t = text(&bytes);
        for needle in [
            "委托维修付款申请单",
            "FK-2026-0001",
            "BX-2026-000001",
            "3-2-1502",
            "中建三局第一分公司",
            "HT-2023-017",
            "城安防水维修",
            "施工单位接通知后三次未到场",
            "83.33",
            "66.66",
            "383.33",
            "366.66",
            "现场实测2m²",
            "叁佰陆拾陆元陆角陆分",
            "叁佰捌拾叁元叁角叁分",
            "保修主任",
            "项目总经理",
            "张主任",
            "记-0701-07",
            "2026-07-01",
            "第1页/共1页",
        ] {
            assert!(t.contains(needle), "lacks «{needle}»: {t}");
        }
        assert!(bytes.len() < 120_000, "{} bytes", bytes.len());
    }

    #[test]
    fn many_lines_continue_on_further_pages_and_the_boxes_follow_the_last_row() {
        let lines = (1..=60).map(|i| line(i, &format!("材料{i}号，规格较长的名称需要换行显示"), 1000, 100, None)).collect();
        let mut r = request(lines);
        r.status = PaymentStatus::Submitted;
        r.countersigns.clear();
        let t = text(&render_payment_request(&r, created()).unwrap());
        let pages = t.matches("保修金使用管理工作流程").count();
        assert!(pages >= 2, "{pages} pages");
        assert!(t.contains(&format!("第{pages}页/共{pages}页")));
        assert!(t.contains("材料60号"), "the last line is printed");
        assert_eq!(t.matches("核定金额").count(), 1, "the boxes are printed once");
    }
}
