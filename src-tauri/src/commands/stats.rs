//! 统计分析 (§4.3.3, §8): the statistics of a period and their Excel export.
//! Dates cross as `YYYY-MM-DD` text; the period is `[from, to)`.

use crate::state::AppState;
use desk_service::export::ExportResult;
use desk_service::stats::{parse_date, Statistics};
use desk_service::DeskResult;
use std::path::PathBuf;

pub fn statistics(state: &AppState, job: String, from: String, to: String) -> DeskResult<Statistics> {
    let (from, to) = (parse_date(&from, "from", "统计开始日期")?, parse_date(&to, "to", "统计截止日期")?);
    state.signed_in(|d, _| state.job(&job, |p| d.statistics_with(from, to, p)))
}

pub fn export_statistics(state: &AppState, job: String, from: String, to: String, path: PathBuf) -> DeskResult<ExportResult> {
    let (from, to) = (parse_date(&from, "from", "统计开始日期")?, parse_date(&to, "to", "统计截止日期")?);
    state.signed_in(|d, _| state.job(&job, |p| d.export_statistics_with(from, to, &path, p)))
}
