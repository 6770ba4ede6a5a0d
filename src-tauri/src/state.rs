//! What the window holds between commands: the open desk (or why it could not open) and the
//! signed-in session.

use desk_service::{Desk, DeskError, DeskResult, Session};
use std::path::PathBuf;
use std::sync::Mutex;

pub struct AppState {
    pub data_dir: PathBuf,
    desk: Mutex<Result<Desk, DeskError>>,
    session: Mutex<Option<Session>>,
}

impl AppState {
    pub fn open(data_dir: PathBuf) -> AppState {
        let mut desk = Desk::open(&data_dir);
        // A demo database opens signed in as the demo clerk.
        let session = match desk.as_mut() {
            Ok(d) => match d.is_demo() {
                Ok(true) => d.session_for(Some(desk_service::demo::DEMO_USER)).ok(),
                _ => None,
            },
            Err(_) => None,
        };
        AppState { data_dir, desk: Mutex::new(desk), session: Mutex::new(session) }
    }

    /// Runs `f` on the desk, or returns why the desk is not open.
    pub fn desk<T>(&self, f: impl FnOnce(&mut Desk) -> DeskResult<T>) -> DeskResult<T> {
        let mut guard = self.desk.lock().map_err(|_| DeskError::storage("程序内部错误（数据库锁），请重启程序"))?;
        match guard.as_mut() {
            Ok(d) => f(d),
            Err(e) => Err(e.clone()),
        }
    }

    /// Runs `f` with the signed-in session; refuses when nobody is signed in.
    pub fn signed_in<T>(&self, f: impl FnOnce(&mut Desk, &Session) -> DeskResult<T>) -> DeskResult<T> {
        let session = self.session()?.ok_or_else(|| DeskError::denied("请先登录"))?;
        self.desk(|d| f(d, &session))
    }

    pub fn session(&self) -> DeskResult<Option<Session>> {
        Ok(self.session.lock().map_err(|_| DeskError::storage("程序内部错误（会话锁），请重启程序"))?.clone())
    }

    pub fn set_session(&self, s: Option<Session>) -> DeskResult<()> {
        *self.session.lock().map_err(|_| DeskError::storage("程序内部错误（会话锁），请重启程序"))? = s;
        Ok(())
    }

    /// Opens the desk again over the same folder (after a damaged database was replaced).
    pub fn reopen(&self) -> DeskResult<()> {
        let desk = Desk::open(&self.data_dir);
        let err = desk.as_ref().err().cloned();
        *self.desk.lock().map_err(|_| DeskError::storage("程序内部错误（数据库锁），请重启程序"))? = desk;
        err.map_or(Ok(()), Err)
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
        self.desk.lock().ok().and_then(|g| g.as_ref().err().cloned())
    }
}
