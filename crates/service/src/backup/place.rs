//! Where backups are: on the disk that holds the data (one failure takes both) or elsewhere,
//! and which other drive of this PC could hold them instead.

use std::path::{Component, Path, PathBuf};

/// The nearest part of `p` that exists (a backup folder may not have been made yet).
fn existing_ancestor(p: &Path) -> Option<PathBuf> {
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().ok()?.join(p) };
    abs.ancestors().find(|a| a.exists()).map(Path::to_path_buf)
}

/// Whether `a` and `b` are on the same disk. Unknown (a folder we cannot look at) counts as
/// not the same: the warning is for what we know.
pub fn same_disk(a: &Path, b: &Path) -> bool {
    let (Some(a), Some(b)) = (existing_ancestor(a), existing_ancestor(b)) else { return false };
    same_device(&a, &b)
}

#[cfg(unix)]
fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev(),
        _ => false,
    }
}

/// On Windows a disk is a drive letter or a network share: the paths' prefixes say it.
#[cfg(not(unix))]
fn same_device(a: &Path, b: &Path) -> bool {
    match (prefix(a), prefix(b)) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(&y),
        _ => false,
    }
}

#[cfg_attr(unix, allow(dead_code))]
fn prefix(p: &Path) -> Option<String> {
    match p.components().next()? {
        Component::Prefix(x) => Some(x.as_os_str().to_string_lossy().into_owned()),
        _ => None,
    }
}

/// Windows: the first other fixed-looking drive (D: to Z:) that exists, with a folder name for
/// the backups. Elsewhere there are no drive letters to propose.
pub fn other_drive(data_dir: &Path) -> Option<String> {
    if !cfg!(windows) {
        return None;
    }
    let data = existing_ancestor(data_dir).and_then(|p| prefix(&p)).unwrap_or_default();
    ('D'..='Z')
        .map(|d| format!("{d}:\\"))
        .find(|root| !data.eq_ignore_ascii_case(&root[..2]) && Path::new(root).is_dir())
        .map(|root| format!("{root}保修中心工作台备份"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_inside_the_data_folder_is_on_the_same_disk_even_before_it_exists() {
        let dir = tempfile::tempdir().expect("a temp dir");
        assert!(same_disk(&dir.path().join("backups/not-yet"), dir.path()));
    }
}
