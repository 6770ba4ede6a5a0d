//! [`Progress`]: how a long use case (an import, an export, the statistics, a backup) says how
//! far it has come and learns that the user asked it to stop.
//!
//! The use case calls [`Progress::step`] with real counts (rows or steps done of the total) and
//! [`Progress::check`] at the points where stopping leaves nothing written: before its
//! transaction commits (a rollback undoes everything) or before it writes a file. The window
//! passes a progress that forwards steps to the progress bar and carries a cancel flag; the CLI
//! and the tests pass [`Progress::none`].

use crate::error::{DeskError, DeskResult, ErrorKind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One report of a long job: `done` of `total` (`total == 0`: not known yet), and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStep {
    pub done: u64,
    pub total: u64,
    pub label: String,
}

/// Where the steps go (the window's event, a test's list).
pub type StepSink = Box<dyn Fn(&JobStep) + Send + Sync>;

/// Reports faster than this are dropped (a 100,000-row loop must not flood the window), except
/// a new label or the last step, which always go through.
const MIN_INTERVAL: Duration = Duration::from_millis(50);

/// The progress of one job; see the module doc.
pub struct Progress {
    sink: Option<StepSink>,
    cancel: Arc<AtomicBool>,
    /// When the last step went out and under which label (throttling).
    last: Mutex<Option<(Instant, String)>>,
}

impl Progress {
    /// Reports nowhere and is never cancelled (the CLI, the tests).
    pub fn none() -> Progress {
        Progress { sink: None, cancel: Arc::new(AtomicBool::new(false)), last: Mutex::new(None) }
    }

    /// Reports to `sink`; cancelled when `cancel` is set (by another thread).
    pub fn new(sink: StepSink, cancel: Arc<AtomicBool>) -> Progress {
        Progress { sink: Some(sink), cancel, last: Mutex::new(None) }
    }

    /// `done` of `total` under `label`. Cheap to call per row: throttled to one report per 50 ms.
    pub fn step(&self, done: u64, total: u64, label: &str) {
        let Some(sink) = &self.sink else { return };
        let now = Instant::now();
        {
            // A poisoned lock only means a sink panicked once: keep reporting.
            let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
            let due = match &*last {
                Some((at, l)) => l != label || done >= total || now.duration_since(*at) >= MIN_INTERVAL,
                None => true,
            };
            if !due {
                return;
            }
            *last = Some((now, label.to_string()));
        }
        sink(&JobStep { done, total, label: label.to_string() });
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Stops the use case when the user cancelled: call it only where nothing has been
    /// committed yet (returning the error rolls the transaction back).
    pub fn check(&self) -> DeskResult<()> {
        if self.is_cancelled() {
            Err(cancelled())
        } else {
            Ok(())
        }
    }
}

/// The error a cancelled job ends with; the window shows it as a notice, not a failure.
pub fn cancelled() -> DeskError {
    DeskError::new(ErrorKind::Cancelled, "已取消，未写入任何数据")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recording() -> (Progress, Arc<Mutex<Vec<JobStep>>>, Arc<AtomicBool>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let cancel = Arc::new(AtomicBool::new(false));
        let s = Arc::clone(&seen);
        let p = Progress::new(Box::new(move |st| s.lock().unwrap().push(st.clone())), Arc::clone(&cancel));
        (p, seen, cancel)
    }

    #[test]
    fn a_tight_loop_is_throttled_but_the_first_new_label_and_last_step_go_through() {
        let (p, seen, _) = recording();
        for i in 0..=10_000 {
            p.step(i, 10_000, "写入");
        }
        p.step(0, 3, "核对");
        let seen = seen.lock().unwrap();
        assert!(seen.len() < 100, "{} reports for one fast loop", seen.len());
        assert_eq!(seen[0], JobStep { done: 0, total: 10_000, label: "写入".into() });
        assert!(seen.iter().any(|s| s.done == 10_000 && s.label == "写入"), "the last step is reported");
        assert_eq!(seen.last().map(|s| s.label.as_str()), Some("核对"));
    }

    #[test]
    fn check_fails_with_cancelled_once_the_flag_is_set() {
        let (p, _, cancel) = recording();
        assert!(p.check().is_ok());
        cancel.store(true, Ordering::Relaxed);
        let e = p.check().unwrap_err();
        assert_eq!(e.kind, ErrorKind::Cancelled);
        assert!(Progress::none().check().is_ok());
    }
}
