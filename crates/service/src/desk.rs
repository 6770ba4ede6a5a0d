//! [`Desk`]: the one service API. Every use case the window or the CLI can run is a method
//! here, runs in one transaction, and records the signed-in [`Session`] as its actor.

use crate::error::{DeskError, DeskResult};
use chrono::{DateTime, Utc};
use desk_domain::staff::Role;
use desk_store::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The file name of the database inside the data folder.
pub const DB_FILE: &str = "warranty-desk.sqlite";

/// Where time comes from: the system clock in the app, a fixed or stepping clock in tests.
pub type Clock = Box<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Who is at the desk. Every write is tagged with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Session {
    pub staff_id: i64,
    pub name: String,
    pub role: Role,
}

pub struct Desk {
    pub(crate) store: Store,
    pub(crate) data_dir: PathBuf,
    clock: Clock,
}

impl Desk {
    /// Opens the desk over `data_dir/warranty-desk.sqlite`, creating folder and file if needed.
    pub fn open(data_dir: &Path) -> DeskResult<Desk> {
        Self::open_with_clock(data_dir, Box::new(Utc::now))
    }

    pub fn open_with_clock(data_dir: &Path, clock: Clock) -> DeskResult<Desk> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| DeskError::storage(format!("无法创建数据文件夹「{}」：{e}。请用 --data 指定可写的文件夹", data_dir.display())))?;
        check_writable(data_dir)?;
        let store = Store::open(&data_dir.join(DB_FILE))?;
        Ok(Desk { store, data_dir: data_dir.to_path_buf(), clock })
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Caps the database file at `pages` pages (see [`Store::set_max_pages`]) until the desk is
    /// closed; returns the cap in effect. Writes beyond it are refused like on a full disk —
    /// how the tests check that a full disk leaves nothing half-written. `u32::MAX` lifts it.
    pub fn set_max_pages(&self, pages: u32) -> DeskResult<u64> {
        Ok(self.store.set_max_pages(pages)?)
    }
}

/// A read-only data folder is found at start, with a message, rather than at the first save.
fn check_writable(dir: &Path) -> DeskResult<()> {
    let probe = dir.join(".write-test");
    match std::fs::write(&probe, b"ok") {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(DeskError::storage(format!("数据文件夹「{}」不可写入（{e}）。请检查文件夹权限，或用 --data 指定其他文件夹", dir.display()))),
    }
}

/// The data folder: `--data DIR`, else `WDESK_DATA_DIR`, else the OS's app-data folder
/// (%APPDATA%\WarrantyDesk\data on Windows, ~/.local/share/warranty-desk on Linux).
pub fn default_data_dir(explicit: Option<&Path>) -> DeskResult<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("WDESK_DATA_DIR").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("cn", "WarrantyDesk", "WarrantyDesk")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| DeskError::storage("找不到用户的应用数据文件夹，请用 --data 指定数据文件夹"))
}
