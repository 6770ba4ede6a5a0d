//! Making a written file survive a power cut before it is renamed into place.
//!
//! The one place the desk flushes files to disk. On Windows `FlushFileBuffers` needs a handle
//! opened for writing: flushing through `File::open` (read-only) fails with "Access denied.
//! (os error 5)" there while working on Linux — which once made every backup fail on the
//! users' PCs. So files are flushed only through [`flush_file`], and the Windows build runs
//! the backup under Wine on every CI run (`scripts/wine-scenario.sh`).

use std::fs::OpenOptions;
use std::io;
use std::path::Path;

/// Flushes the file at `path` to disk (opened for writing, never truncated or changed).
pub fn flush_file(path: &Path) -> io::Result<()> {
    OpenOptions::new().write(true).open(path)?.sync_all()
}

/// Renames `from` to `to` (replacing it) after flushing `from`, then flushes the folder on
/// Unix so the new name itself survives a power cut (Windows has no folder handle to flush;
/// NTFS journals the rename).
pub fn flush_and_rename(from: &Path, to: &Path) -> io::Result<()> {
    flush_file(from)?;
    std::fs::rename(from, to)?;
    #[cfg(unix)]
    if let Some(dir) = to.parent() {
        // Best effort: some file systems (network shares) refuse to fsync a folder.
        let _ = std::fs::File::open(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }).and_then(|d| d.sync_all());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flushed_file_is_renamed_with_its_content() {
        let dir = tempfile::tempdir().expect("temp dir");
        let part = dir.path().join("b.part");
        let dest = dir.path().join("b.sqlite");
        std::fs::write(&part, b"snapshot").expect("write");
        std::fs::write(&dest, b"older").expect("write");
        flush_and_rename(&part, &dest).expect("flush and rename");
        assert_eq!(std::fs::read(&dest).expect("read"), b"snapshot");
        assert!(!part.exists());
    }

    #[test]
    fn flushing_a_missing_file_is_an_error_not_a_new_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("nothing.part");
        assert!(flush_file(&missing).is_err());
        assert!(!missing.exists());
    }
}
