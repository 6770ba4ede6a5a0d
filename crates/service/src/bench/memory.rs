//! Peak memory per part of the bench: Linux keeps the process's high-water mark (VmHWM), and
//! writing 5 to `/proc/self/clear_refs` resets it to the current size, so each part's figure is
//! its own peak, not the whole run's. Elsewhere the figures are 0 / the run's peak so far.

use super::Figure;
use std::collections::BTreeMap;

/// Peak resident memory (VmHWM) in MB since the last reset; 0 where /proc is absent.
pub fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Resets the high-water mark to what the process holds now.
pub fn reset_peak() {
    // Not every kernel allows it (containers): the figure is then the peak so far, still an upper bound.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Records `<part>_peak_rss_mb` (the value in `median_ms`, as the size figures do).
pub fn record(out: &mut BTreeMap<String, Figure>, part: &str) {
    let mb = (peak_mb() * 10.0).round() / 10.0;
    out.insert(format!("{part}_peak_rss_mb"), Figure::new(mb, mb, 1));
}
