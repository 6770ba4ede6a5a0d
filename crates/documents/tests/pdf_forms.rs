//! Specifications of the PDF forms: every field comes back out of the PDF as text
//! (`pdftotext`, poppler-utils), the font is subset (small files), long text wraps with 禁则 and
//! stays inside its box, multi-page tables repeat their header and number their pages.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

use std::io::Write;
use std::process::Command;
use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use desk_documents::pdf::layout::{fit, text_width, wrap, NO_LINE_START};
use desk_documents::pdf::{
    font, render_f01, render_f02, render_unit_history, ContactAttempt, DispatchSlip, SlipLayout, TicketRecord, UnitHistory, UnitHistoryRow,
};

fn created() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(9, 30, 0)).expect("valid date")
}

/// A 240×80 RGBA PNG with a zig-zag "signature" stroke.
fn signature_png() -> Vec<u8> {
    let (w, h) = (240u32, 80u32);
    let mut px = vec![0u8; (w * h * 4) as usize];
    for x in 10..230u32 {
        let y = 40.0 + 25.0 * ((x as f32) / 14.0).sin();
        for dy in -2i32..=2 {
            let yy = (y as i32 + dy).clamp(0, h as i32 - 1) as u32;
            let i = ((yy * w + x) * 4) as usize;
            px[i..i + 4].copy_from_slice(&[10, 20, 120, 255]);
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().expect("png header");
        wr.write_image_data(&px).expect("png data");
    }
    out
}

fn full_slip() -> DispatchSlip {
    DispatchSlip {
        no: "PG-2026-000045".into(),
        ticket_no: "BX-2026-000123".into(),
        project: "翠湖花园二期".into(),
        unit: "3号楼2单元1502室".into(),
        owner: "欧阳䶮".into(),
        phone: "138****5678".into(),
        contractor: "中建八局第三建设有限公司".into(),
        site_contact: "王建国/13912345678".into(),
        part: "主卧卫生间地面".into(),
        category: "渗漏".into(),
        classification: "一般".into(),
        defect: "主卧卫生间地面防水层破损，楼下1402室顶棚出现约0.5平方米水渍，业主要求尽快处理。".into(),
        plan: "凿除原地面砖，重做聚氨酯防水两遍，闭水试验48小时后恢复面层；楼下顶棚待干燥后重新刮腻子、刷乳胶漆。".into(),
        materials: "聚氨酯防水涂料20kg、瓷砖胶2袋".into(),
        appointment: "2026-03-03 09:00".into(),
        issued_by: "李静".into(),
        issued_at: "2026-03-02 10:15".into(),
        steward: "张伟".into(),
        rework: true,
        arrived_at: "2026-03-03 08:55".into(),
        completed_at: "2026-03-05 17:20".into(),
        owner_opinion: "满意，已验收".into(),
        signed_at: "2026-03-05 17:30".into(),
        signature_png: Some(signature_png()),
    }
}

fn write_tmp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(name);
    let mut f = std::fs::File::create(&path).expect("create temp pdf");
    f.write_all(bytes).expect("write temp pdf");
    path
}

/// Text of the PDF as poppler extracts it, with all whitespace removed (wrapped lines join).
fn pdf_text(name: &str, bytes: &[u8]) -> String {
    let path = write_tmp(name, bytes);
    let out = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils) must be installed");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_has(text: &str, needle: &str) {
    let n: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains(&n), "PDF text lacks {needle:?}\n--- text ---\n{text}");
}

fn slip_values(s: &DispatchSlip) -> Vec<&str> {
    vec![
        &s.no,
        &s.ticket_no,
        &s.project,
        &s.unit,
        &s.owner,
        &s.phone,
        &s.contractor,
        &s.site_contact,
        &s.part,
        &s.category,
        &s.classification,
        &s.defect,
        &s.plan,
        &s.materials,
        &s.appointment,
        &s.issued_by,
        &s.issued_at,
        &s.steward,
        &s.arrived_at,
        &s.completed_at,
        &s.owner_opinion,
        &s.signed_at,
    ]
}

#[test]
fn f02_a5_carries_every_field_as_text_and_is_small() {
    let slip = full_slip();
    let bytes = render_f02(&slip, SlipLayout::A5Landscape, created()).expect("render F02");
    assert!(bytes.starts_with(b"%PDF"));
    assert!(bytes.len() <= 60 * 1024, "F02 is {} bytes: font not subset?", bytes.len());
    let text = pdf_text("desk_f02_a5.pdf", &bytes);
    for v in slip_values(&slip) {
        assert_has(&text, v);
    }
    for label in ["零星维修工程现场调度通知单", "BJ-WX-C01-F02", "业主签字", "保修管家签字", "是否返修", "缺陷描述", "维修方案"]
    {
        assert_has(&text, label);
    }
    // The creation date passed in, not 1970.
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("D:20260302093000"), "creation date not set");
    let png = std::env::temp_dir().join("desk_f02_a5");
    let st = Command::new("pdftoppm")
        .args(["-r", "100", "-png", "-singlefile"])
        .arg(std::env::temp_dir().join("desk_f02_a5.pdf"))
        .arg(&png)
        .status()
        .expect("pdftoppm");
    assert!(st.success());
    println!("F02 A5: {} bytes; preview {}.png", bytes.len(), png.display());
}

#[test]
fn f02_a4_two_copies_has_both_copies() {
    let slip = full_slip();
    let bytes = render_f02(&slip, SlipLayout::A4TwoCopies, created()).expect("render F02 A4");
    assert!(bytes.starts_with(b"%PDF") && bytes.len() <= 60 * 1024);
    let text = pdf_text("desk_f02_a4.pdf", &bytes);
    for label in ["存根", "业主联", "沿此线裁开"] {
        assert_has(&text, label);
    }
    assert_eq!(text.matches("PG-2026-000045").count(), 2, "slip number once per copy");
    for v in slip_values(&slip) {
        assert_has(&text, v);
    }
    let st = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-singlefile"])
        .arg(std::env::temp_dir().join("desk_f02_a4.pdf"))
        .arg(std::env::temp_dir().join("desk_f02_a4"))
        .status()
        .expect("pdftoppm");
    assert!(st.success());
}

#[test]
fn f02_without_signature_and_bad_signature() {
    let mut slip = full_slip();
    slip.signature_png = None;
    assert!(render_f02(&slip, SlipLayout::A5Landscape, created()).is_ok());
    slip.signature_png = Some(b"not a png".to_vec());
    let err = render_f02(&slip, SlipLayout::A5Landscape, created()).expect_err("garbage signature");
    assert!(err.to_string().contains("签字图片"), "{err}");
}

#[test]
fn long_text_wraps_with_kinsoku_shrinks_and_stays_in_its_box() {
    let m = font::measure().expect("font");
    let long = "卫生间地面渗水，导致楼下顶棚发霉；业主（欧阳先生）要求：先止水、再修复，并赔偿损失。".repeat(12);
    let (w, h) = (150.0_f32, 40.0_f32); // pt
    for size in [9.5_f32, 8.0, 6.0] {
        for line in wrap(&long, w, size, &m) {
            assert!(text_width(&line, size, &m) <= w + 0.01, "line too wide at {size}: {line}");
            let first = line.chars().next().expect("no empty lines in this text");
            assert!(!NO_LINE_START.contains(&first), "line starts with {first:?}: {line}");
        }
    }
    let f = fit(&long, w, h, 9.5, 6.0, &m);
    assert!(f.truncated, "this text cannot fit, it must be cut");
    assert_eq!(f.size, 6.0, "shrunk to the minimum before cutting");
    assert!(f.height() <= h + 0.01, "block {} pt taller than box {h}", f.height());
    assert!(f.lines.last().is_some_and(|l| l.ends_with('…')));
    for line in &f.lines {
        assert!(text_width(line, f.size, &m) <= w + 0.01, "fitted line too wide: {line}");
    }
    // Medium text shrinks but is not cut.
    let medium = "主卧卫生间地面防水层破损，楼下顶棚出现水渍。".repeat(3);
    let g = fit(&medium, w, h, 9.5, 6.0, &m);
    assert!(!g.truncated && g.size < 9.5 && g.height() <= h + 0.01, "{g:?}");
    assert_eq!(g.lines.concat(), medium);
    // Short text keeps the largest size.
    assert_eq!(fit("渗漏", w, h, 9.5, 6.0, &m).size, 9.5);
}

#[test]
fn warm_render_time_of_one_f02() {
    let slip = full_slip();
    render_f02(&slip, SlipLayout::A5Landscape, created()).expect("cold render");
    let n = 10;
    let t = Instant::now();
    let mut size = 0;
    for _ in 0..n {
        size = render_f02(&slip, SlipLayout::A5Landscape, created()).expect("warm render").len();
    }
    println!("F02 warm render: {:.1} ms, {} bytes", t.elapsed().as_secs_f64() * 1000.0 / n as f64, size);
}

fn page_count(name: &str) -> usize {
    let out = Command::new("pdfinfo").arg(std::env::temp_dir().join(name)).output().expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout).lines().find_map(|l| l.strip_prefix("Pages:").map(|v| v.trim().parse().unwrap_or(0))).unwrap_or(0)
}

fn preview(name: &str, page: usize) {
    let pdf = std::env::temp_dir().join(format!("{name}.pdf"));
    let st = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-singlefile", "-f", &page.to_string()])
        .arg(&pdf)
        .arg(std::env::temp_dir().join(format!("{name}_p{page}")))
        .status()
        .expect("pdftoppm");
    assert!(st.success());
}

#[test]
fn f01_carries_every_field_and_contact_attempts() {
    let r = TicketRecord {
        ticket_no: "BX-2026-000123".into(),
        project_unit: "翠湖花园二期 3号楼2单元1502室".into(),
        batch: "2024年第二批".into(),
        delivered_on: "2024-06-30".into(),
        owner: "欧阳䶮".into(),
        phones: "138****5678、139****0001".into(),
        reporter: "陈美玲".into(),
        relation: "家属（代报）".into(),
        channel: "电话".into(),
        reported_at: "2026-03-01 14:05".into(),
        expected_visit: "工作日上午".into(),
        first_contact_at: "2026-03-01 15:30".into(),
        warranty_status: "保修期内".into(),
        defect: "主卧卫生间地面防水层破损，楼下1402室顶棚出现水渍。".into(),
        part: "卫生间防水".into(),
        category: "渗漏".into(),
        nature: "房屋质量".into(),
        classification: "一般".into(),
        due: "2026-03-08".into(),
        receptionist: "李静".into(),
        steward: "张伟".into(),
        contacts: vec![
            ContactAttempt { time: "2026-03-01 15:10".into(), way: "电话".into(), reached: "未接通".into(), note: "无人接听".into() },
            ContactAttempt {
                time: "2026-03-01 15:30".into(), way: "电话".into(), reached: "已接通".into(), note: "约定3月3日上午上门查看".into()
            },
        ],
    };
    let bytes = render_f01(&r, created()).expect("render F01");
    assert!(bytes.starts_with(b"%PDF") && bytes.len() <= 60 * 1024, "{} bytes", bytes.len());
    let text = pdf_text("desk_f01.pdf", &bytes);
    for v in [
        &r.ticket_no,
        &r.project_unit,
        &r.batch,
        &r.delivered_on,
        &r.owner,
        &r.phones,
        &r.reporter,
        &r.relation,
        &r.channel,
        &r.reported_at,
        &r.expected_visit,
        &r.first_contact_at,
        &r.warranty_status,
        &r.defect,
        &r.part,
        &r.category,
        &r.nature,
        &r.classification,
        &r.due,
        &r.receptionist,
        &r.steward,
    ] {
        assert_has(&text, v);
    }
    for a in &r.contacts {
        for v in [&a.time, &a.way, &a.reached, &a.note] {
            assert_has(&text, v);
        }
    }
    for l in ["业主报修情况记录表", "BJ-WX-C01-F01", "联系业主记录", "第1页/共1页"] {
        assert_has(&text, l);
    }
    preview("desk_f01", 1);
}

#[test]
fn unit_history_of_60_rows_spans_pages_with_header_and_page_numbers() {
    let rows: Vec<UnitHistoryRow> = (1..=60)
        .map(|i| UnitHistoryRow {
            ticket_no: format!("BX-2026-{i:06}"),
            reported_at: format!("2026-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
            part: "卫生间地面".into(),
            defect: if i % 7 == 0 { "墙面空鼓开裂，雨后渗水；".repeat(8) } else { format!("第{i}次报修：窗框渗水") },
            dispatch_nos: format!("PG-2026-{:06}", 1000 + i),
            contractor: "中建八局".into(),
            completed_at: "2026-04-01".into(),
            acceptance: "业主签字".into(),
            satisfaction: "满意".into(),
            status: "已关闭".into(),
        })
        .collect();
    let h = UnitHistory {
        project: "翠湖花园二期".into(),
        unit: "3号楼2单元1502室".into(),
        batch: "2024年第二批".into(),
        delivered_on: "2024-06-30".into(),
        owners: "欧阳䶮、陈美玲".into(),
        rows,
    };
    let bytes = render_unit_history(&h, created()).expect("render history");
    assert!(bytes.starts_with(b"%PDF") && bytes.len() <= 60 * 1024, "{} bytes", bytes.len());
    let text = pdf_text("desk_history.pdf", &bytes);
    let pages = page_count("desk_history.pdf");
    assert!(pages >= 2, "60 rows should take more than one page, got {pages}");
    for v in [&h.project, &h.unit, &h.batch, &h.delivered_on, &h.owners] {
        assert_has(&text, v);
    }
    for r in &h.rows {
        assert_has(&text, &r.ticket_no);
        assert_has(&text, &r.dispatch_nos);
    }
    assert_has(&text, "第9次报修：窗框渗水");
    assert_eq!(text.matches("验收方式/签字").count(), pages, "header row repeated on every page");
    for p in 1..=pages {
        assert_has(&text, &format!("第{p}页/共{pages}页"));
    }
    preview("desk_history", 1);
    preview("desk_history", 2);
}
