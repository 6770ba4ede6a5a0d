//! Reading the QR code on a scanned or photographed paper slip (F02), so the signed slip can be
//! matched back to its dispatch notice without typing its number.

/// Largest image side we decode at full size; bigger phone photos are scaled down first (a QR
/// code of a printed slip stays readable, and memory stays bounded).
const MAX_SIDE: u32 = 2000;
const MAX_FILE_BYTES: u64 = 30 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    #[error("无法读取图片「{0}」")]
    Unreadable(String),
    #[error("图片过大（超过 30 MB）")]
    TooLarge,
    #[error("图片中没有找到二维码：请拍清楚调度单左上角的二维码后重试")]
    NoCode,
}

/// The texts of every QR code found in the image at `path` (PNG or JPEG).
pub fn read_codes(path: &std::path::Path) -> Result<Vec<String>, ScanError> {
    let shown = path.display().to_string();
    let len = std::fs::metadata(path).map_err(|_| ScanError::Unreadable(shown.clone()))?.len();
    if len > MAX_FILE_BYTES {
        return Err(ScanError::TooLarge);
    }
    let img = image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|_| ScanError::Unreadable(shown.clone()))?
        .decode()
        .map_err(|_| ScanError::Unreadable(shown.clone()))?;
    let img = if img.width().max(img.height()) > MAX_SIDE { img.thumbnail(MAX_SIDE, MAX_SIDE) } else { img };
    let luma = img.to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    let codes: Vec<String> = prepared.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect();
    if codes.is_empty() {
        Err(ScanError::NoCode)
    } else {
        Ok(codes)
    }
}
