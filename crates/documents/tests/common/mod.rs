//! Shared test helpers: the ledger spec used across tests and a hand-made xlsx builder
//! (for hostile files rust_xlsxwriter would never write).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use desk_documents::excel_in::{ColumnSpec, TableSpec};
use std::io::Write;
use std::path::Path;

pub const LEDGER: TableSpec = TableSpec {
    name: "保修金明细",
    columns: &[
        ColumnSpec { key: "date", label: "日期", synonyms: &["发生日期"], required: true },
        ColumnSpec { key: "voucher", label: "凭证号", synonyms: &["凭证编号"], required: false },
        ColumnSpec { key: "builder", label: "施工单位", synonyms: &["单位名称", "承包单位"], required: true },
        ColumnSpec { key: "amount", label: "金额", synonyms: &["计提/收取(贷方)"], required: true },
        ColumnSpec { key: "note", label: "备注", synonyms: &[], required: false },
    ],
    meaning: None,
    any_of: &[],
    values: None,
};
pub const DATE: usize = 0;
pub const VOUCHER: usize = 1;
pub const BUILDER: usize = 2;
pub const AMOUNT: usize = 3;
pub const NOTE: usize = 4;

/// Write a minimal xlsx whose only worksheet XML is `sheet_xml` (inside <worksheet>).
pub fn write_raw_xlsx(path: &Path, sheet_xml: &str) {
    let f = std::fs::File::create(path).expect("create test file");
    let mut zip = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, String); 5] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="明细" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_xml}</worksheet>"#
            ),
        ),
    ];
    for (name, body) in parts {
        zip.start_file(name, opts).expect("zip entry");
        zip.write_all(body.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip finish");
}

/// An inline-string cell.
pub fn s(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A number cell.
pub fn n(r: &str, v: f64) -> String {
    format!(r#"<c r="{r}"><v>{v}</v></c>"#)
}
