//! Developer commands: what the installed wdesk.exe says to them, and the bench's cold-start figure.

use super::*;

/// What the installed wdesk.exe (built without `devtools`) says to `demo`, `bench` and `stress`.
#[cfg(not(feature = "devtools"))]
pub(crate) fn without_devtools(command: &str) -> Failure {
    Failure::Refused(DeskError::new(
        desk_service::ErrorKind::Refused,
        format!("「wdesk {command}」是开发工具，安装版不含演示数据、性能测试和压力测试；请在开发版中使用（见 README）"),
    ))
}

/// `cold_start_today`: a new `wdesk` process opening the bench database and printing 今日待办
/// (what a clerk's script or the first screen pays), five times; each must succeed.
#[cfg(feature = "devtools")]
pub(crate) fn cold_start_today(dir: &std::path::Path, out: &mut std::collections::BTreeMap<String, desk_service::bench::Figure>) -> Result<(), Failure> {
    let exe = std::env::current_exe().map_err(|e| Failure::Refused(DeskError::storage(e.to_string())))?;
    let mut samples = Vec::new();
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let o = std::process::Command::new(&exe)
            .arg("--data")
            .arg(dir)
            .args(["today", "--json"])
            .output()
            .map_err(|e| Failure::Refused(DeskError::storage(format!("无法启动 wdesk：{e}"))))?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let ok = o.status.success()
            && serde_json::from_slice::<serde_json::Value>(&o.stdout).ok().and_then(|v| v.get("items").map(|i| i.is_array())).unwrap_or(false);
        if !ok {
            return Err(Failure::Refused(DeskError::storage(format!(
                "基准测试「cold_start_today」结果核对失败：wdesk today 没有输出待办列表（{}）",
                String::from_utf8_lossy(&o.stderr).trim()
            ))));
        }
        samples.push(ms);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    out.insert("cold_start_today".into(), desk_service::bench::Figure::new(samples[2], samples[4], 5));
    Ok(())
}
