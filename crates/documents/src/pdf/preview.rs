//! Print previews as page images: the desk draws the PDF it made (hayro, pure Rust) into PNGs
//! the window shows as plain images.
//!
//! Why not the webview's own PDF viewer: WebKitGTK's viewer is a page with its own script,
//! worker and canvases, and it kept about 13 MB for every preview shown, never given back — a
//! working day of thirty previews took the window's web process from 0.5 to 1 GB (issue 16).
//! Images are freed when the dialog closes, look the same on every platform, and show exactly the
//! PDF that prints (the same bytes, not a second layout).

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{render, PixmapSettings, RenderCache, RenderSettings};

/// One page of a preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewPage {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The first pages of a PDF as images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub pages: Vec<PreviewPage>,
    /// Pages in the PDF; more than `pages.len()` when the preview stopped at its limit.
    pub page_count: u32,
}

/// Draws at most `max_pages` pages of `pdf`, each `width_px` pixels wide (the height follows the
/// page). A PDF the desk made always parses; anything else is an error worded for the clerk.
pub fn preview_pages(pdf: &[u8], width_px: u32, max_pages: usize) -> Result<Preview, String> {
    let doc = Pdf::new(pdf.to_vec()).map_err(|e| format!("无法读取 PDF（{e:?}）"))?;
    let pages = doc.pages();
    let cache = RenderCache::new();
    let interpreter = InterpreterSettings::default();
    let settings = RenderSettings::default();
    let mut out = Vec::new();
    for page in pages.iter().take(max_pages) {
        let (w, _) = page.render_dimensions();
        if w <= 0.0 {
            return Err("PDF 页面尺寸无效".into());
        }
        let scale = width_px as f32 / w;
        let pixmap = render(page, &cache, &interpreter, &settings, &PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE });
        let (width, height) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
        out.push(PreviewPage { png: encode_png(pixmap.data_as_u8_slice(), width, height)?, width, height });
    }
    Ok(Preview { pages: out, page_count: pages.len() as u32 })
}

/// A page as PNG, fast: RGB without alpha (the page is drawn on white, so every pixel is opaque
/// and its premultiplied colour is its colour), the fastest deflate and the `Sub` filter. Measured
/// on an A5 slip at 1000 px: 2 ms and 205 KB, where the default settings took 22 ms for 103 KB —
/// the difference between a print under and over its 30 ms target.
fn encode_png(rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let rgb: Vec<u8> = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Sub)
        .write_image(&rgb, width, height, image::ExtendedColorType::Rgb8)
        .map_err(|e| format!("预览图片生成失败：{e}"))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{render_unit_history, UnitHistory, UnitHistoryRow};

    fn history(rows: usize) -> Vec<u8> {
        let created = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("a valid date");
        let h = UnitHistory {
            project: "翠湖苑".into(),
            unit: "3号楼2单元1502".into(),
            owners: "张三".into(),
            rows: (0..rows)
                .map(|i| UnitHistoryRow {
                    ticket_no: format!("BX-2026-{i:05}"),
                    reported_at: "2026-03-01 09:00".into(),
                    part: "卫生间".into(),
                    defect: "卫生间地面渗水到楼下，天花板有水印".into(),
                    status: "已回访".into(),
                    completed_at: "2026-03-05 16:00".into(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        render_unit_history(&h, created).expect("history renders")
    }

    /// Dark pixels in the image: the page's text and lines, not a blank sheet.
    fn ink(png: &[u8]) -> usize {
        let img = image::load_from_memory(png).expect("a PNG").to_rgb8();
        img.pixels().filter(|p| p.0.iter().all(|c| *c < 128)).count()
    }

    #[test]
    fn a_preview_shows_the_printed_pages_with_their_text() {
        let pdf = history(3);
        let p = preview_pages(&pdf, 800, 10).expect("preview");
        assert_eq!(p.page_count, 1);
        assert_eq!(p.pages.len(), 1);
        let page = &p.pages[0];
        assert_eq!(page.width, 800);
        // A4 portrait: the height follows the page's shape.
        assert!((1120..=1135).contains(&page.height), "A4 at 800 px wide, got {}", page.height);
        assert!(ink(&page.png) > 2_000, "the page has text and lines drawn on it");
    }

    #[test]
    fn a_long_document_is_previewed_up_to_its_limit_and_says_how_many_pages_it_has() {
        let pdf = history(200);
        let p = preview_pages(&pdf, 400, 2).expect("preview");
        assert!(p.page_count > 2, "200 rows take several pages, got {}", p.page_count);
        assert_eq!(p.pages.len(), 2);
    }

    #[test]
    fn a_damaged_file_is_an_error_not_a_panic() {
        let err = preview_pages(b"%PDF-1.7\nnot really", 400, 2).expect_err("damaged");
        assert!(err.contains("PDF"), "{err}");
    }
}
