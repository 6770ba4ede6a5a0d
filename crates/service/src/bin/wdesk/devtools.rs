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

/// The heavy parts, each in a `wdesk` process of its own (`bench --only PART`), so each part's
/// peak memory is what that part needs: in one long bench process a part's peak also holds what
/// the parts before it left in the heap (F03 measured 360 MB there, 254 MB alone). F03 runs on the
/// desk just measured (its 500-event day is in it); the ledger and the reconciliation build
/// 100,000-row funds in folders of their own, as they always have.
#[cfg(feature = "devtools")]
pub(crate) fn parts_alone(
    dir: &std::path::Path,
    ledger_rows: usize,
    out: &mut std::collections::BTreeMap<String, desk_service::bench::Figure>,
) -> Result<(), Failure> {
    let exe = std::env::current_exe().map_err(|e| Failure::Refused(DeskError::storage(e.to_string())))?;
    let rows = ledger_rows.to_string();
    for (part, folder) in [("report", dir.to_path_buf()), ("ledger", dir.join("ledger")), ("reconcile", dir.join("reconcile"))] {
        eprintln!("单独进程测量：{part}…");
        let o = std::process::Command::new(&exe)
            .args(["bench", "--only", part, "--ledger-rows", &rows, "--json", "--keep", "--dir"])
            .arg(&folder)
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| Failure::Refused(DeskError::storage(format!("无法启动 wdesk：{e}"))))?;
        let figures = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&o.stdout).ok().filter(|_| o.status.success());
        let Some(figures) = figures else {
            return Err(Failure::Refused(DeskError::storage(format!("基准测试「{part}」在单独进程中失败（退出码 {:?}）", o.status.code()))));
        };
        for (name, v) in figures {
            let num = |k: &str| v.get(k).and_then(serde_json::Value::as_f64).unwrap_or(0.0);
            let mut f = desk_service::bench::Figure::new(num("median_ms"), num("p95_ms"), num("n") as usize);
            f.ratio = v.get("ratio").and_then(serde_json::Value::as_f64);
            out.insert(name, f);
        }
    }
    Ok(())
}
