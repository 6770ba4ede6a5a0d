//! PDF forms a printer can print: F02 dispatch slip ([`render_f02`], A5 landscape or two
//! copies on A4), F01 ticket record ([`render_f01`], A4) and the per-unit repair history
//! ([`render_unit_history`], A4, paginated table).
//!
//! Built on printpdf 0.12 (`text_layout` on, so fonts are subset on save) with one font, Noto
//! Sans SC, read from a file ([`font`]). printpdf only places glyphs: measuring, wrapping with 禁则
//! and shrink-then-truncate fitting live in [`layout`]; drawing in millimetres from the
//! top-left corner lives in [`canvas`]; grids of label/value cells in [`grid`]; the QR code
//! of the slip number in [`qr`]. Every PDF carries the creation date passed in.

pub mod canvas;
pub mod f01;
pub mod f02;
pub mod font;
pub mod grid;
pub mod history;
pub mod layout;
pub mod payment;
pub mod preview;
pub mod qr;
pub mod table;

pub use f01::{render_f01, ContactAttempt, TicketRecord};
pub use f02::{render_f02, DispatchSlip, SlipLayout};
pub use history::{render_unit_history, UnitHistory, UnitHistoryRow};

use chrono::{Datelike, NaiveDateTime, Timelike};
use printpdf::{
    date::{Date, Offset, Time},
    FontId, OffsetDateTime, PdfDocument, PdfPage, PdfSaveOptions, RawImage, XObjectId,
};

/// Why a PDF could not be made. Messages are shown to the clerk as they are.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PdfError {
    #[error("字体加载失败：{0}")]
    Font(String),
    #[error("业主签字图片无法读取：{0}")]
    Signature(String),
    #[error("二维码生成失败：{0}")]
    Qr(String),
    #[error("PDF 生成失败：{0}")]
    Save(String),
}

/// A new document with its title and dates set and the form font registered.
pub(crate) fn new_document(title: &str, created: NaiveDateTime) -> Result<(PdfDocument, FontId, std::sync::Arc<font::Font>), PdfError> {
    let f = font::font()?;
    let mut doc = PdfDocument::new(title);
    let when = pdf_date(created);
    let info = &mut doc.metadata.info;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    info.creator = "保修中心工作台".into();
    info.producer = "保修中心工作台 (printpdf)".into();
    let id = doc.add_font(&f.parsed);
    Ok((doc, id, f))
}

/// printpdf writes every date as `+00'00'`, so `created` is taken as UTC (the way the desk
/// stores instants).
fn pdf_date(t: NaiveDateTime) -> OffsetDateTime {
    // Each narrowing below is in range by chrono's own invariants (month 1–12, day 1–31,
    // hour < 24, minute/second < 60 — a leap second shows as nanosecond ≥ 1e9, not second 60).
    OffsetDateTime::new_in_offset(
        Date { year: t.year(), month: t.month() as u8, day: t.day() as u8 },
        Time { hour: t.hour() as u8, minute: t.minute() as u8, second: t.second() as u8, millisecond: 0 },
        Offset { hours: 0, minutes: 0, seconds: 0, milliseconds: 0 },
    )
}

/// Decodes a PNG (e.g. the owner's on-screen signature) and registers it with the document.
pub(crate) fn add_png(doc: &mut PdfDocument, png: &[u8]) -> Result<(XObjectId, usize, usize), PdfError> {
    let img = RawImage::decode_from_bytes(png, &mut Vec::new()).map_err(PdfError::Signature)?;
    let (w, h) = (img.width, img.height);
    Ok((doc.add_image(&img), w, h))
}

/// Saves the document with font subsetting and stream compression.
pub(crate) fn save(mut doc: PdfDocument, pages: Vec<PdfPage>) -> Result<Vec<u8>, PdfError> {
    let opts = PdfSaveOptions { subset_fonts: true, optimize: true, ..PdfSaveOptions::default() };
    let bytes = doc.with_pages(pages).save(&opts, &mut Vec::new());
    if !bytes.starts_with(b"%PDF") {
        return Err(PdfError::Save("输出不是有效的 PDF".into()));
    }
    Ok(bytes)
}
