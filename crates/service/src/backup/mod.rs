//! Backups: automatic (at start, every few hours while open, at exit) and by hand, into a
//! folder that may be a USB drive or a network share; each one verified, then the folder is
//! thinned to 7 daily, 4 weekly and 12 monthly copies. Restore shows what a backup holds first,
//! and keeps a safety copy of what it replaces.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use crate::job::Progress;
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::staff::Role;
use desk_domain::time::desk_tz;
use desk_store::backup::{self, DbSummary};
use desk_store::{audit, settings};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod place;

const DIR_KEY: &str = crate::settings::BACKUP_DIR;
const INTERVAL_KEY: &str = crate::settings::BACKUP_INTERVAL;
/// Every four hours by default: a working day is covered by start, two copies and exit.
pub const DEFAULT_INTERVAL_HOURS: u32 = 4;
const PREFIX: &str = "warranty-desk-";
const SUFFIX: &str = ".sqlite";

/// Why a backup was made (part of its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub enum BackupReason {
    Start,
    Timer,
    Exit,
    Manual,
    BeforeRestore,
}

impl BackupReason {
    fn code(self) -> &'static str {
        match self {
            BackupReason::Start => "start",
            BackupReason::Timer => "timer",
            BackupReason::Exit => "exit",
            BackupReason::Manual => "manual",
            BackupReason::BeforeRestore => "before-restore",
        }
    }
    fn label_of(code: &str) -> &'static str {
        match code {
            "start" => "启动时",
            "timer" => "定时",
            "exit" => "退出时",
            "manual" => "手动",
            "before-restore" => "恢复前自动保存",
            _ => "其他",
        }
    }
}

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BackupFile {
    pub path: String,
    pub file_name: String,
    /// Local time it was made, `2026-11-27 10:15:00`.
    pub made_at: String,
    pub reason: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BackupSettings {
    pub dir: String,
    pub interval_hours: u32,
    /// The newest backup in the folder (local time, `2026-11-27 10:15:00`): every backup file is
    /// checked before it gets its name, so the newest is the last good one.
    pub last_backup_at: Option<String>,
    /// Whole hours since then.
    pub last_backup_age_hours: Option<i64>,
    /// The backups are on the disk that holds the data: one disk failure takes both.
    pub on_data_disk: bool,
    /// Another drive of this PC a backup folder could go to (Windows: `D:\保修中心工作台备份`).
    pub suggested_dir: Option<String>,
    /// What the desk asks the user to act on, in words (shown on the backup page and 今日待办).
    pub warnings: Vec<String>,
}

/// A backup older than this is worth a warning on 今日待办.
pub const STALE_BACKUP_HOURS: i64 = 24;

/// What a backup holds next to what the desk holds now, for the restore dialog.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RestorePreview {
    pub file: String,
    pub backup: DbSummary,
    pub current: DbSummary,
}

impl Desk {
    /// The backups folder: the setting, else `backups/` in the data folder.
    pub fn backup_dir(&self) -> PathBuf {
        // A setting that cannot be read falls back to the default folder, where backups are
        // still made (and listed) rather than not at all.
        match self.store.read(|c| settings::get(c, DIR_KEY)) {
            Ok(Some(d)) if !d.trim().is_empty() => PathBuf::from(d),
            _ => self.data_dir.join("backups"),
        }
    }

    pub fn backup_settings(&self) -> DeskResult<BackupSettings> {
        // A damaged interval is the default (reported by `damaged_settings` on this page).
        let hours = crate::settings::integer_or(&self.store.reader()?.db(), INTERVAL_KEY, 1, 24, i64::from(DEFAULT_INTERVAL_HOURS))? as u32;
        let dir = self.backup_dir();
        let newest = self.backups()?.into_iter().filter_map(|b| parse_stamp(&b.file_name)).max();
        let now = self.now().with_timezone(&desk_tz()).naive_local();
        let age = newest.map(|t| (now - t).num_hours().max(0));
        let on_data_disk = place::same_disk(&dir, &self.data_dir);
        let suggested_dir = if on_data_disk { place::other_drive(&self.data_dir) } else { None };
        let mut warnings = Vec::new();
        match age {
            None => warnings.push("还没有任何备份。请点「立即备份」，或检查备份位置是否可写入".to_string()),
            Some(h) if h >= STALE_BACKUP_HOURS => warnings.push(format!(
                "最近一次备份是 {} 前（{}），已超过一天。请检查备份位置是否可用，并立即备份",
                age_text(h),
                newest.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
            )),
            Some(_) => {}
        }
        if on_data_disk {
            warnings.push(match &suggested_dir {
                Some(d) => format!("备份和数据在同一块磁盘上，磁盘损坏会同时失去两者。建议把备份位置改为另一块磁盘，例如「{d}」，或U盘、共享文件夹"),
                None => "备份和数据在同一块磁盘上，磁盘损坏会同时失去两者。建议把备份位置改为U盘或共享文件夹".to_string(),
            });
        }
        Ok(BackupSettings {
            dir: dir.display().to_string(),
            interval_hours: hours,
            last_backup_at: newest.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
            last_backup_age_hours: age,
            on_data_disk,
            suggested_dir,
            warnings,
        })
    }

    /// Sets where backups go and how often (director only). The folder must be writable now.
    pub fn set_backup_settings(&self, s: &Session, dir: &str, interval_hours: u32) -> DeskResult<BackupSettings> {
        require_role(s, &[Role::Director], "修改备份设置")?;
        if !(1..=24).contains(&interval_hours) {
            return Err(DeskError::invalid("intervalHours", "备份间隔应为 1 到 24 小时"));
        }
        let dir = dir.trim();
        if !dir.is_empty() {
            probe_writable(Path::new(dir))?;
        }
        let now = self.now();
        self.store.with_tx(|tx| -> DeskResult<()> {
            settings::set(tx, DIR_KEY, dir)?;
            settings::set(tx, INTERVAL_KEY, &interval_hours.to_string())?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::BackupSettings, "setting", 0, &format!("备份位置「{dir}」，每 {interval_hours} 小时"))?;
            Ok(())
        })?;
        self.backup_settings()
    }

    /// Makes a verified backup into `to` (or the backups folder) and thins the folder.
    pub fn backup(&self, reason: BackupReason, to: Option<&Path>) -> DeskResult<BackupFile> {
        self.backup_with(reason, to, &Progress::none())
    }

    /// [`Desk::backup`] reporting the pages copied to `p`; a cancel removes the unfinished copy.
    pub fn backup_with(&self, reason: BackupReason, to: Option<&Path>, p: &Progress) -> DeskResult<BackupFile> {
        let dir = to.map(Path::to_path_buf).unwrap_or_else(|| self.backup_dir());
        probe_writable(&dir)?;
        let now = self.now();
        let stamp = now.with_timezone(&desk_tz()).format("%Y%m%d-%H%M%S");
        let name = format!("{PREFIX}{stamp}-{}{SUFFIX}", reason.code());
        let path = dir.join(&name);
        p.check()?;
        let copied = self.store.backup_to_with(&path, &mut |done, total| {
            p.step(done, total, "正在备份（页）");
            !p.is_cancelled()
        });
        // A copy that finished stands even if 取消 came at the last moment; one stopped midway
        // left no file.
        copied.map_err(|e| if p.is_cancelled() { crate::job::cancelled() } else { DeskError::new(ErrorKind::Storage, e.to_string()) })?;
        // Thinning only ever removes files this desk named, in the folder it just wrote to.
        let _ = self.rotate(&dir, now);
        describe(&path).ok_or_else(|| DeskError::storage(format!("备份「{}」写入后无法读取", path.display())))
    }

    /// A backup someone asked for (the window's 立即备份, `wdesk backup`), on the audit log with
    /// who asked (`None`: the machine's operator at the command line) and where it went.
    pub fn backup_by(&self, s: Option<&Session>, to: Option<&Path>) -> DeskResult<BackupFile> {
        self.backup_by_with(s, to, &Progress::none())
    }

    /// [`Desk::backup_by`] reporting the pages copied to `p`.
    pub fn backup_by_with(&self, s: Option<&Session>, to: Option<&Path>, p: &Progress) -> DeskResult<BackupFile> {
        let b = self.backup_with(BackupReason::Manual, to, p)?;
        let now = self.now();
        self.store
            .with_tx(|tx| audit::append(tx, now, s.map(|s| s.staff_id), AuditAction::Backup, "database", 0, &format!("手动备份到「{}」（已校验）", b.path)))?;
        Ok(b)
    }

    /// Backups in the folder, newest first.
    pub fn backups(&self) -> DeskResult<Vec<BackupFile>> {
        Ok(list_backups_in(&self.backup_dir()))
    }

    /// What `file` holds (checked: a junk or damaged file is refused) beside the current data.
    pub fn restore_preview(&self, file: &Path) -> DeskResult<RestorePreview> {
        let b = backup::inspect(file).map_err(|e| DeskError::invalid("file", e.to_string()))?;
        if !b.intact {
            return Err(DeskError::invalid("file", format!("备份「{}」已损坏（完整性检查未通过），不能用来恢复", file.display())));
        }
        Ok(RestorePreview { file: file.display().to_string(), backup: b, current: self.store.summary(false)? })
    }

    /// Replaces the data with the backup `file` (director only from the window; `None` = the
    /// machine's operator using `wdesk restore`). A safety backup of the current data is made first.
    pub fn restore(&self, s: Option<&Session>, file: &Path) -> DeskResult<RestorePreview> {
        self.restore_with(s, file, &Progress::none())
    }

    /// [`Desk::restore`] reporting to `p`: the safety backup may be cancelled (nothing is
    /// replaced then); once the copy into the open database begins it runs to the end.
    pub fn restore_with(&self, s: Option<&Session>, file: &Path, p: &Progress) -> DeskResult<RestorePreview> {
        if let Some(s) = s {
            require_role(s, &[Role::Director], "从备份恢复数据")?;
        }
        let preview = self.restore_preview(file)?;
        let safety = self.backup_with(BackupReason::BeforeRestore, None, p)?;
        p.check()?;
        self.store
            .restore_from_with(file, &mut |done, total| p.step(done, total, "正在恢复（页），请勿关闭程序"))
            .map_err(|e| DeskError::new(ErrorKind::Storage, format!("恢复失败（{e}）；恢复前的数据已保存在「{}」", safety.path)))?;
        let now = self.now();
        let detail = format!("从「{}」恢复；恢复前的数据保存在「{}」", file.display(), safety.path);
        self.store.with_tx(|tx| audit::append(tx, now, s.map(|s| s.staff_id), AuditAction::Restore, "database", 0, &detail))?;
        Ok(RestorePreview { current: self.store.summary(false)?, ..preview })
    }

    /// Whether a timer backup is due: the newest backup is older than the interval.
    pub fn backup_due(&self) -> DeskResult<bool> {
        let hours = i64::from(self.backup_settings()?.interval_hours);
        let newest = self.backups()?.into_iter().filter_map(|b| parse_stamp(&b.file_name)).max();
        let now = self.now().with_timezone(&desk_tz()).naive_local();
        Ok(newest.is_none_or(|t| (now - t).num_minutes() >= hours * 60))
    }

    fn rotate(&self, dir: &Path, now: DateTime<Utc>) -> std::io::Result<()> {
        let mut stamps: Vec<(NaiveDateTime, PathBuf)> = std::fs::read_dir(dir)?
            .flatten()
            .filter_map(|e| {
                let p = e.path();
                let name = p.file_name()?.to_str()?.to_string();
                Some((parse_stamp(&name)?, p))
            })
            .collect();
        stamps.sort();
        let keep = keep_set(&stamps.iter().map(|(t, _)| *t).collect::<Vec<_>>(), now.with_timezone(&desk_tz()).naive_local());
        for (t, p) in &stamps {
            if !keep.contains(t) {
                std::fs::remove_file(p)?;
            }
        }
        remove_abandoned_scratch(dir, std::time::SystemTime::now());
        Ok(())
    }
}

/// A backup being written is `<name>.part` until checked and renamed; a program killed or a
/// machine switched off midway leaves it behind (with SQLite's `-shm` / `-wal` beside it) — the
/// size of the whole database each time. Scratch files of this desk's naming that nobody has
/// written to for ten minutes (a running copy writes every step) are removed.
fn remove_abandoned_scratch(dir: &Path, now: std::time::SystemTime) {
    let Ok(read) = std::fs::read_dir(dir) else { return };
    for e in read.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let scratch = [".part", ".part-shm", ".part-wal", ".part-journal"].iter().any(|x| name.ends_with(x));
        if !name.starts_with(PREFIX) || !scratch {
            continue;
        }
        let idle = e.metadata().and_then(|m| m.modified()).ok().and_then(|t| now.duration_since(t).ok());
        if idle.is_some_and(|d| d >= std::time::Duration::from_secs(600)) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Backups in `dir`, newest first — usable when the database itself cannot be opened.
pub fn list_backups_in(dir: &Path) -> Vec<BackupFile> {
    let Ok(read) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<BackupFile> = read.flatten().filter_map(|e| describe(&e.path())).collect();
    out.sort_by(|a, b| b.file_name.cmp(&a.file_name));
    out
}

/// The newest backup in `dir` that opens and passes the integrity check.
pub fn latest_good_backup(dir: &Path) -> Option<BackupFile> {
    list_backups_in(dir).into_iter().find(|b| backup::inspect(Path::new(&b.path)).is_ok_and(|s| s.intact))
}

/// The system clock, for callers that have no open [`Desk`] to ask (the damaged-database screen).
pub fn wall_clock() -> DateTime<Utc> {
    Utc::now()
}

/// When the database cannot be opened (damaged, replaced by junk): puts it aside — renamed
/// with `.damaged-<time>`, never deleted — and copies the verified backup `file` in its place.
/// Returns where the damaged file went.
pub fn replace_damaged_database(data_dir: &Path, file: &Path, now: DateTime<Utc>) -> DeskResult<PathBuf> {
    let summary = backup::inspect(file).map_err(|e| DeskError::invalid("file", e.to_string()))?;
    if !summary.intact {
        return Err(DeskError::invalid("file", format!("备份「{}」已损坏，不能用来恢复", file.display())));
    }
    let db = data_dir.join(crate::desk::DB_FILE);
    let stamp = now.with_timezone(&desk_tz()).format("%Y%m%d-%H%M%S");
    let aside = data_dir.join(format!("{}.damaged-{stamp}", crate::desk::DB_FILE));
    let io = |e: std::io::Error| DeskError::storage(format!("无法替换损坏的数据库（{e}）"));
    if db.exists() {
        std::fs::rename(&db, &aside).map_err(io)?;
    }
    for ext in ["-wal", "-shm"] {
        let side = data_dir.join(format!("{}{ext}", crate::desk::DB_FILE));
        if side.exists() {
            std::fs::rename(&side, data_dir.join(format!("{}.damaged-{stamp}{ext}", crate::desk::DB_FILE))).map_err(io)?;
        }
    }
    let part = db.with_extension("restoring");
    std::fs::copy(file, &part).map_err(io)?;
    desk_store::durable::flush_and_rename(&part, &db).map_err(io)?;
    Ok(aside)
}

/// Which backups to keep: everything from the last 24 hours; then the newest of each of the
/// last 7 days, of each of the last 4 ISO weeks, and of each of the last 12 months.
pub fn keep_set(stamps: &[NaiveDateTime], now: NaiveDateTime) -> BTreeSet<NaiveDateTime> {
    let mut keep = BTreeSet::new();
    let mut newest_per = |key: &dyn Fn(&NaiveDateTime) -> (i32, u32), span: usize| {
        let mut seen: Vec<(i32, u32)> = Vec::new();
        for t in stamps.iter().rev() {
            let k = key(t);
            if !seen.contains(&k) {
                if seen.len() == span {
                    break;
                }
                seen.push(k);
                keep.insert(*t);
            }
        }
    };
    newest_per(&|t| (t.year(), t.ordinal()), 7);
    newest_per(&|t| (t.iso_week().year(), t.iso_week().week()), 4);
    newest_per(&|t| (t.year(), t.month()), 12);
    keep.extend(stamps.iter().filter(|t| (now - **t).num_hours() < 24));
    keep
}

/// `warranty-desk-20261127-101500-start.sqlite` → its local time.
/// `5 小时` / `3 天`.
fn age_text(hours: i64) -> String {
    if hours >= 48 {
        format!("{} 天", hours / 24)
    } else {
        format!("{hours} 小时")
    }
}

fn parse_stamp(name: &str) -> Option<NaiveDateTime> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDateTime::parse_from_str(rest.get(..15)?, "%Y%m%d-%H%M%S").ok()
}

fn describe(path: &Path) -> Option<BackupFile> {
    let name = path.file_name()?.to_str()?.to_string();
    let t = parse_stamp(&name)?;
    let reason = name.strip_suffix(SUFFIX)?.get(PREFIX.len() + 16..).unwrap_or("");
    Some(BackupFile {
        path: path.display().to_string(),
        made_at: t.format("%Y-%m-%d %H:%M:%S").to_string(),
        reason: BackupReason::label_of(reason).to_string(),
        bytes: std::fs::metadata(path).ok()?.len(),
        file_name: name,
    })
}

/// Creates the folder if needed and proves it takes a file (a USB drive pulled out, a share
/// gone offline or a read-only folder is said plainly).
fn probe_writable(dir: &Path) -> DeskResult<()> {
    let fail = |e: std::io::Error| {
        DeskError::new(ErrorKind::Storage, format!("备份位置「{}」不可写入（{e}）。请插好U盘、连上共享文件夹，或在设置中换一个位置", dir.display()))
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(fail)?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate};

    #[test]
    fn rotation_keeps_dailies_weeklies_and_monthlies() {
        let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
        // Three backups a day for 400 days.
        let stamps: Vec<NaiveDateTime> = (0..400 * 3).map(|i| start + Duration::hours(8 * i)).collect();
        let now = *stamps.last().unwrap();
        let keep = keep_set(&stamps, now);
        // Last 24 h: 3; older dailies/weeklies/monthlies overlap; never more than 3 + 7 + 4 + 12.
        assert!(keep.len() <= 26, "{}", keep.len());
        assert!(keep.contains(&now));
        let oldest = keep.iter().next().unwrap();
        assert!((now - *oldest).num_days() >= 300, "a monthly from ~11 months back is kept");
        assert!((now - *oldest).num_days() < 366);
    }

    #[test]
    fn scratch_files_left_by_a_killed_backup_are_removed_and_a_running_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("warranty-desk-20261205-092802-start.part");
        let running = dir.path().join("warranty-desk-20261205-121508-start.part");
        let backup = dir.path().join("warranty-desk-20261205-092043-start.sqlite");
        let theirs = dir.path().join("notes.part");
        for f in [&old, &running, &backup, &theirs] {
            std::fs::write(f, b"x").unwrap();
        }
        std::fs::write(dir.path().join("warranty-desk-20261205-092802-start.part-shm"), b"x").unwrap();
        // A minute after they were written: a copy still running writes more often than that.
        let written = std::fs::metadata(&running).unwrap().modified().unwrap();
        remove_abandoned_scratch(dir.path(), written + std::time::Duration::from_secs(60));
        assert!(old.exists() && running.exists(), "nothing is idle for ten minutes yet");
        remove_abandoned_scratch(dir.path(), written + std::time::Duration::from_secs(660));
        assert!(!old.exists() && !dir.path().join("warranty-desk-20261205-092802-start.part-shm").exists());
        assert!(backup.exists(), "a finished backup is the rotation's business, not this");
        assert!(theirs.exists(), "a file this desk did not name is left alone");
    }

    #[test]
    fn names_carry_time_and_reason() {
        let t = parse_stamp("warranty-desk-20261127-101500-start.sqlite").unwrap();
        assert_eq!(t.to_string(), "2026-11-27 10:15:00");
        assert!(parse_stamp("other.sqlite").is_none());
    }
}
