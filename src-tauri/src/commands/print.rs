//! Printing (F02, F01, a unit's history) and the owner's archive. Printing hands the saved PDF
//! to the system's print path (see `crate::printing`), where the clerk prints it at 100 %.

use crate::state::AppState;
use desk_service::print::{PrintLayout, PrintResult, SlipMatch, UnitArchive};
use desk_service::{DeskError, DeskResult};
use tauri_plugin_opener::OpenerExt;

pub fn print_f02(state: &AppState, no: String, dispatch: Option<String>, layout: PrintLayout, full_phone: bool) -> DeskResult<PrintResult> {
    state.signed_in(|d, s| d.print_f02(Some(s), &no, dispatch.as_deref(), layout, full_phone))
}

pub fn print_f01(state: &AppState, no: String, full_phone: bool) -> DeskResult<PrintResult> {
    state.signed_in(|d, s| d.print_f01(Some(s), &no, full_phone))
}

pub fn unit_archive(state: &AppState, unit_id: i64) -> DeskResult<UnitArchive> {
    state.desk(|d| d.unit_archive(unit_id))
}

pub fn print_unit_history(state: &AppState, unit_id: i64) -> DeskResult<PrintResult> {
    state.desk(|d| d.print_unit_history(unit_id))
}

/// Sends a saved print to the printer (Windows print verb) or opens it with the system's PDF
/// program. Only files the desk printed (under `prints/` in the data folder) are accepted.
/// Returns true when the print dialog was reached directly, false when the PDF was opened.
pub fn open_print(state: &AppState, path: String) -> DeskResult<bool> {
    let app = state.app()?;
    let prints = state.data_dir.join("prints");
    let p = std::path::Path::new(&path);
    let inside = p.canonicalize().ok().zip(prints.canonicalize().ok()).map(|(f, d)| f.starts_with(d)).unwrap_or(false);
    if !inside {
        return Err(DeskError::invalid("path", "只能打开本系统生成的打印文件"));
    }
    let handed = crate::printing::print_or_open(p, |p| app.opener().open_path(p.to_string_lossy(), None::<&str>).map_err(|e| e.to_string()))
        .map_err(|e| DeskError::storage(format!("无法打开 PDF（请确认已安装 PDF 阅读器）：{e}")))?;
    Ok(matches!(handed, crate::printing::Handed::PrintVerb))
}

/// Reads the QR code on a scanned paper slip and names its dispatch notice and ticket.
pub fn find_slip_by_scan(state: &AppState, path: String) -> DeskResult<SlipMatch> {
    state.desk(|d| d.find_slip_by_scan(std::path::Path::new(&path)))
}
