//! Atomic file replacement: a changed file is written to a temporary file
//! in the same directory, synced, given the original's permissions and
//! owner, and renamed over the original, so a reader (or a kill at any
//! moment) sees either the old or the new file, never half of one.
//! Temporary files carry [`TEMP_MARKER`] so that a later run can remove
//! the ones a killed run left behind.

use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Marker in the names of temporary files, so that a later run can remove
/// the ones a killed run left behind.
pub const TEMP_MARKER: &str = ".pyopt-tmp-";

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Replaces `path` with `data`: temporary file in the same directory, fsync,
/// the original's permissions and owner, rename. A read-only file is an error (pyopt
/// does not override a file someone protected).
pub fn write_atomically(path: &Path, data: &[u8]) -> Result<(), String> {
    // Through a symlink, rewrite the file it points to, not the link.
    let resolved;
    let path = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            resolved =
                std::fs::canonicalize(path).map_err(|e| format!("cannot resolve link: {e}"))?;
            resolved.as_path()
        }
        _ => path,
    };
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot stat: {e}"))?;
    if meta.permissions().readonly() {
        return Err("read-only file: not rewritten".into());
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}{TEMP_MARKER}{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(data)?;
        f.set_permissions(meta.permissions())?;
        #[cfg(unix)]
        {
            // Keep the owner too (a root build step must not take over files);
            // an unprivileged user can only "change" to its own ids, which is a no-op.
            use std::os::unix::fs::MetadataExt;
            let _ = std::os::unix::fs::fchown(&f, Some(meta.uid()), Some(meta.gid()));
        }
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write: {e}"));
    }
    Ok(())
}
