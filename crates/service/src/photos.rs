//! Photos are copied into the data folder (`photos/<ticket no>/`), so the record does not
//! depend on a USB stick or a phone folder that goes away.

use crate::error::{DeskError, DeskResult};
use std::path::Path;

const MAX_PHOTO_BYTES: u64 = 25 * 1024 * 1024;
const EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "bmp", "gif"];

/// Copies `src` to `photos_dir/<no>/<n>.<ext>` and returns the path relative to `data_dir`.
pub(crate) fn copy_in(data_dir: &Path, photos_dir: &Path, no: &str, src: &str) -> DeskResult<String> {
    let src = Path::new(src);
    let ext = src.extension().and_then(|e| e.to_str()).map(str::to_lowercase).unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(DeskError::invalid("photos", format!("照片「{}」不是图片文件（支持 jpg、png、webp、bmp、gif）", src.display())));
    }
    let meta = std::fs::metadata(src).map_err(|e| DeskError::invalid("photos", format!("读不到照片「{}」：{e}", src.display())))?;
    if meta.len() > MAX_PHOTO_BYTES {
        return Err(DeskError::invalid("photos", format!("照片「{}」超过 25 MB", src.display())));
    }
    let dir = photos_dir.join(no);
    std::fs::create_dir_all(&dir).map_err(|e| DeskError::storage(format!("无法创建照片文件夹：{e}")))?;
    let n = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0) + 1;
    let dest = dir.join(format!("{n:03}.{ext}"));
    std::fs::copy(src, &dest).map_err(|e| DeskError::storage(format!("照片复制失败：{e}")))?;
    let rel = dest.strip_prefix(data_dir).unwrap_or(&dest).to_string_lossy().replace('\\', "/");
    Ok(rel)
}

/// The signed compensation agreement's scans or photos (§6.3) — images or a PDF.
const AGREEMENT_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "bmp", "gif", "pdf"];

/// Copies a signed agreement's file to `photos/<no>/agreement-<n>.<ext>` (beside the ticket's
/// photos, so the photo viewer shows it) and returns the path relative to `data_dir`.
pub(crate) fn copy_agreement(data_dir: &Path, no: &str, src: &str) -> DeskResult<String> {
    let src = Path::new(src.trim());
    let ext = src.extension().and_then(|e| e.to_str()).map(str::to_lowercase).unwrap_or_default();
    if !AGREEMENT_EXTENSIONS.contains(&ext.as_str()) {
        return Err(DeskError::invalid("files", format!("协议文件「{}」不是图片或 PDF（支持 jpg、png、webp、bmp、gif、pdf）", src.display())));
    }
    let meta = std::fs::metadata(src).map_err(|e| DeskError::invalid("files", format!("读不到协议文件「{}」：{e}", src.display())))?;
    if meta.len() > MAX_PHOTO_BYTES {
        return Err(DeskError::invalid("files", format!("协议文件「{}」超过 25 MB", src.display())));
    }
    let dir = data_dir.join("photos").join(no);
    std::fs::create_dir_all(&dir).map_err(|e| DeskError::storage(format!("无法创建协议文件夹：{e}")))?;
    let n =
        std::fs::read_dir(&dir).map(|d| d.filter_map(Result::ok).filter(|e| e.file_name().to_string_lossy().starts_with("agreement-")).count()).unwrap_or(0)
            + 1;
    let dest = dir.join(format!("agreement-{n:03}.{ext}"));
    std::fs::copy(src, &dest).map_err(|e| DeskError::storage(format!("协议文件复制失败：{e}")))?;
    Ok(dest.strip_prefix(data_dir).unwrap_or(&dest).to_string_lossy().replace('\\', "/"))
}
