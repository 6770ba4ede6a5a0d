//! How the app process's C allocator (glibc's malloc, on Linux) keeps freed memory.
//!
//! With glibc's defaults, a working day of print previews, statistics and F03 left the app
//! process 65 MB bigger than at start, and it never went back (the `screens` example's `--days`):
//! every thread that allocates gets an arena of its own (up to 16 on two cores) that keeps what
//! it freed, and after the first large buffer is freed glibc raises its thresholds so later large
//! buffers (a preview page, a report) are carved from those arenas instead of being mapped and
//! returned. Three tunables change that: two arenas, buffers from 256 KB up mapped and returned on
//! free, and the heap's free top given back above 1 MB. Measured: the app process ends the day at
//! 137 instead of 164 MB. (mimalloc as Rust's allocator was tried too: 222 MB, worse.)
//!
//! glibc reads its tunables only when a process starts, and the program has no safe way to ask
//! malloc to trim later, so the app starts itself once more with them set: `exec` replaces the
//! process (same pid, same arguments, same environment plus `GLIBC_TUNABLES`) before anything
//! else has run. A `GLIBC_TUNABLES` already set — by that second start or by whoever launched the
//! desk — is left as it is. Windows keeps its own heap, which does not hold memory this way.

/// The tunables; see the module's documentation.
#[cfg(target_os = "linux")]
const TUNABLES: &str = "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=262144:glibc.malloc.trim_threshold=1048576";

/// Restarts the process with [`TUNABLES`] unless `GLIBC_TUNABLES` is set. Must be the first thing
/// `main` does: no thread may exist yet. If the restart cannot happen, the desk runs on with
/// glibc's defaults (only memory is at stake).
pub fn settle() {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        if std::env::var_os("GLIBC_TUNABLES").is_some() {
            return;
        }
        // /proc/self/exe: the very file this process runs, wherever it was started from.
        let Ok(exe) = std::env::current_exe() else { return };
        let mut again = std::process::Command::new(exe);
        if let Some(arg0) = std::env::args_os().next() {
            again.arg0(arg0);
        }
        let error = again.args(std::env::args_os().skip(1)).env("GLIBC_TUNABLES", TUNABLES).exec();
        // `exec` returns only when it failed.
        eprintln!("app process memory settings not applied: {error}");
    }
}
