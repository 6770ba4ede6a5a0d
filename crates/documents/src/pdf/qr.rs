//! QR code of a slip number, drawn as filled rectangles (one per horizontal run of dark
//! modules), so a signed paper slip can be scanned and matched back to its record.

use qrcode::{Color as QrColor, EcLevel, QrCode};

use super::canvas::Canvas;
use super::PdfError;

/// Dark modules of the QR code for `data`: (modules per side, row-major dark flags).
pub fn modules(data: &str) -> Result<(usize, Vec<bool>), PdfError> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|e| PdfError::Qr(format!("{data}：{e}")))?;
    let flags = code.to_colors().into_iter().map(|c| c == QrColor::Dark).collect();
    Ok((code.width(), flags))
}

/// Draws the code for `data` as a `side` mm square with its top-left corner at (x, y). The
/// caller leaves a light margin around it (the quiet zone).
pub fn draw(c: &mut Canvas<'_>, data: &str, x: f32, y: f32, side: f32) -> Result<(), PdfError> {
    let (n, dark) = modules(data)?;
    if n == 0 {
        return Ok(());
    }
    let m = side / n as f32;
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if dark[row * n + col] {
                let start = col;
                while col < n && dark[row * n + col] {
                    col += 1;
                }
                // A hair of overlap so adjacent runs print without white seams.
                c.fill(x + start as f32 * m, y + row as f32 * m, (col - start) as f32 * m, m + 0.02, 0.0);
            } else {
                col += 1;
            }
        }
    }
    Ok(())
}
