//! What the window holds between commands: the open desk (or why it could not open), the
//! signed-in session, and the long jobs running now.
//!
//! The desk is an `Arc<Desk>`: `Desk` is `Sync` (one writer connection, pooled readers), so
//! commands run side by side on blocking threads; a command clones the `Arc` and releases the
//! `RwLock` at once, which is taken for writing only to put a reopened desk in place.

use desk_service::job::{JobStep, Progress};
use desk_service::{Desk, DeskError, DeskResult, Session};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use tauri::{AppHandle, Emitter, Manager};

pub struct AppState {
    pub data_dir: PathBuf,
    desk: RwLock<Result<Arc<Desk>, DeskError>>,
    session: Mutex<Option<Session>>,
    jobs: Jobs,
    /// Set once the app is built (for events and the opener plugin).
    app: OnceLock<AppHandle>,
}

/// The event a long job reports on, `{job, done, total, label}`.
pub const JOB_EVENT: &str = "job-progress";

/// One progress report of a long job, as the window receives it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct JobProgress {
    /// The id the window chose when it started the job.
    pub job: String,
    pub done: u64,
    /// 0 while the total is not known yet (the bar then shows no percentage).
    pub total: u64,
    pub label: String,
}

/// The cancel flags of the jobs running now, by the window's job id.
#[derive(Default)]
struct Jobs(Mutex<HashMap<String, Arc<AtomicBool>>>);

fn lock_error() -> DeskError {
    DeskError::storage("程序内部错误（状态锁），请重启程序")
}

impl AppState {
    pub fn open(data_dir: PathBuf) -> AppState {
        let desk = Desk::open(&data_dir);
        // A demo database opens signed in as the demo clerk.
        let session = match desk.as_ref() {
            Ok(d) => match d.is_demo() {
                Ok(true) => d.session_for(Some(desk_service::demo::DEMO_USER)).ok(),
                _ => None,
            },
            Err(_) => None,
        };
        AppState { data_dir, desk: RwLock::new(desk.map(Arc::new)), session: Mutex::new(session), jobs: Jobs::default(), app: OnceLock::new() }
    }

    /// Remembers the app once it is built.
    pub fn set_app(&self, app: AppHandle) {
        let _ = self.app.set(app);
    }

    pub fn app(&self) -> DeskResult<AppHandle> {
        self.app.get().cloned().ok_or_else(|| DeskError::storage("程序尚未启动完成，请稍后再试"))
    }

    /// The open desk, or why it is not open. The lock is held only to clone the `Arc`.
    fn current(&self) -> DeskResult<Arc<Desk>> {
        match &*self.desk.read().map_err(|_| lock_error())? {
            Ok(d) => Ok(Arc::clone(d)),
            Err(e) => Err(e.clone()),
        }
    }

    /// Runs `f` on the desk, or returns why the desk is not open.
    pub fn desk<T>(&self, f: impl FnOnce(&Desk) -> DeskResult<T>) -> DeskResult<T> {
        let desk = self.current()?;
        f(&desk)
    }

    /// Runs `f` with the signed-in session; refuses when nobody is signed in.
    pub fn signed_in<T>(&self, f: impl FnOnce(&Desk, &Session) -> DeskResult<T>) -> DeskResult<T> {
        let session = self.session()?.ok_or_else(|| DeskError::denied("请先登录"))?;
        self.desk(|d| f(d, &session))
    }

    pub fn session(&self) -> DeskResult<Option<Session>> {
        Ok(self.session.lock().map_err(|_| lock_error())?.clone())
    }

    pub fn set_session(&self, s: Option<Session>) -> DeskResult<()> {
        *self.session.lock().map_err(|_| lock_error())? = s;
        Ok(())
    }

    /// Opens the desk again over the same folder (after a damaged database was replaced).
    pub fn reopen(&self) -> DeskResult<()> {
        let desk = Desk::open(&self.data_dir).map(Arc::new);
        let err = desk.as_ref().err().cloned();
        *self.desk.write().map_err(|_| lock_error())? = desk;
        err.map_or(Ok(()), Err)
    }

    /// Runs the long job `f` under the window's id `job`: its steps go to the `job-progress`
    /// event, and `cancel_job(job)` sets the flag `f` checks. A job id already running is refused.
    pub fn job<T>(&self, job: &str, f: impl FnOnce(&Progress) -> DeskResult<T>) -> DeskResult<T> {
        let flag = Arc::new(AtomicBool::new(false));
        {
            let mut running = self.jobs.0.lock().map_err(|_| lock_error())?;
            if running.contains_key(job) {
                return Err(DeskError::new(desk_service::ErrorKind::Conflict, "该任务正在进行中，请等待完成"));
            }
            running.insert(job.to_string(), Arc::clone(&flag));
        }
        let app = self.app.get().cloned();
        let id = job.to_string();
        let sink = Box::new(move |s: &JobStep| {
            if let Some(app) = &app {
                // A window that is closing cannot show it; nothing else to do.
                let _ = app.emit(JOB_EVENT, JobProgress { job: id.clone(), done: s.done, total: s.total, label: s.label.clone() });
            }
        });
        let out = f(&Progress::new(sink, flag));
        if let Ok(mut running) = self.jobs.0.lock() {
            running.remove(job);
        }
        out
    }

    /// Asks the job `job` to stop; false when no such job runs (it has just finished).
    pub fn cancel_job(&self, job: &str) -> DeskResult<bool> {
        let running = self.jobs.0.lock().map_err(|_| lock_error())?;
        Ok(running.get(job).map(|f| f.store(true, Ordering::Relaxed)).is_some())
    }

    /// A backup made from a background thread (start, timer, exit). Failures are only logged:
    /// the window shows the list of backups, and a missing one is visible there.
    pub fn backup_in_background(&self, reason: desk_service::backup::BackupReason, only_if_due: bool) {
        let r = self.desk(|d| {
            if only_if_due && !d.backup_due()? {
                return Ok(None);
            }
            d.backup(reason, None).map(Some)
        });
        if let Err(e) = r {
            eprintln!("自动备份失败：{}", e.message);
        }
    }

    pub fn open_error(&self) -> Option<DeskError> {
        self.desk.read().ok().and_then(|g| g.as_ref().err().cloned())
    }
}

/// Runs a command's work on a blocking thread: the main thread and Tauri's async workers never
/// wait on the database, a file or a long job.
pub async fn blocking<T: Send + 'static>(app: AppHandle, f: impl FnOnce(&AppState) -> DeskResult<T> + Send + 'static) -> DeskResult<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|e| DeskError::storage(format!("程序内部错误（后台任务中断：{e}），请重试")))?
}
