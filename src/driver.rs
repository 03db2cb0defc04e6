//! `pyopt optimize` over trees: walk them for `.pyc` files and archives,
//! optimize each file in parallel (one file: [`crate::opt::optimize_bytes`];
//! an archive: [`crate::archive`]), and write the changed ones atomically
//! ([`crate::atomic`]). The version comes from each file's own magic, so a
//! tree may mix versions. A file whose bytes come out unchanged is not
//! touched. Temporary files left by a killed run are removed by the next run
//! over the same tree.
//!
//! Output bytes never depend on the number of threads: every file is
//! processed independently and results are reported in path order.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::atomic::{write_atomically, TEMP_MARKER};
use crate::config::Settings;
use crate::error::{Error, ErrorKind};
use crate::opt::file::panic_message;
use crate::opt::{optimize_bytes, FileReport, Pipeline, Stats, Status};
use crate::version::PyVersion;

/// What the run does with changed files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Write changed files.
    Write,
    /// Write nothing; report what would change (`--check`, `--dry-run`).
    ReadOnly,
}

/// Everything a run needs besides the paths.
pub struct Options {
    pub settings: Settings,
    pub pipeline: Pipeline,
    pub mode: Mode,
    pub follow_symlinks: bool,
    /// Collect a before/after listing of every changed code object.
    pub diff: bool,
}

/// The outcome of a whole run.
#[derive(Debug, Default)]
pub struct TreeReport {
    /// One entry per `.pyc` found, in path order.
    pub files: Vec<FileReport>,
    /// Problems met while walking (unreadable directories, symlink loops, ...).
    pub walk_errors: Vec<(PathBuf, String)>,
    /// Stale temporary files of an earlier, interrupted run that were removed.
    pub stale_removed: Vec<PathBuf>,
    pub stats: Stats,
    pub elapsed: Duration,
}

impl TreeReport {
    pub fn count(&self, s: Status) -> usize {
        self.files.iter().filter(|f| f.status == s).count()
    }

    pub fn rejected(&self) -> usize {
        self.files.iter().map(|f| f.rejected.len()).sum()
    }
}

/// Finds the `.pyc` files and wheels under `roots`: plain files are taken
/// as given (a `.zip`/`.pyz` archive only this way), directories are walked
/// (symlinks followed only when asked, loops detected), excluded paths
/// skipped.
pub fn collect(
    roots: &[PathBuf],
    settings: &Settings,
    follow_symlinks: bool,
) -> (Vec<PathBuf>, Vec<(PathBuf, String)>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut stale = Vec::new();
    for root in roots {
        // Paths named on the command line are always followed (like `find -H`).
        match std::fs::metadata(root) {
            Err(e) => {
                errors.push((root.clone(), e.to_string()));
                continue;
            }
            Ok(m) if m.is_file() => {
                files.push(root.clone());
                continue;
            }
            Ok(_) => {}
        }
        // Exclude patterns are matched on canonical paths: the configuration
        // file was found from the canonical target, and `..` or a symlinked
        // target must not make its patterns miss.
        let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        let excluded = |p: &Path| {
            let rel = p.strip_prefix(root).unwrap_or(p);
            settings.is_excluded(&canon_root.join(rel), &canon_root)
        };
        let walker = walkdir::WalkDir::new(root)
            .follow_links(follow_symlinks)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !excluded(e.path()));
        for entry in walker {
            match entry {
                Ok(e) => {
                    let name = e.file_name().to_string_lossy();
                    if !e.file_type().is_file() {
                        continue;
                    }
                    if name.contains(TEMP_MARKER) {
                        stale.push(e.into_path());
                    } else if name.ends_with(".pyc") || name.ends_with(".whl") {
                        files.push(e.into_path());
                    }
                }
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    };
                    errors.push((path, reason));
                }
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors, stale)
}

/// Optimizes every `.pyc` under `roots`. `tick` is called once per file done.
pub fn optimize_tree(roots: &[PathBuf], opts: &Options, tick: &(dyn Fn() + Sync)) -> TreeReport {
    let start = Instant::now();
    let (files, walk_errors, stale) = collect(roots, &opts.settings, opts.follow_symlinks);
    let mut stale_removed = Vec::new();
    if opts.mode == Mode::Write {
        for s in stale {
            if std::fs::remove_file(&s).is_ok() {
                stale_removed.push(s);
            }
        }
    }
    let run = |path: &PathBuf| {
        let r = optimize_path(path, opts);
        tick();
        r
    };
    let reports: Vec<FileReport> = if opts.pipeline.debug.bisect_limit.is_some() {
        // "The first N applications" must mean the same thing in every run.
        files.iter().map(run).collect()
    } else {
        files.par_iter().map(run).collect()
    };
    let mut stats = Stats::default();
    for r in &reports {
        stats.merge(&r.stats);
    }
    TreeReport {
        files: reports,
        walk_errors,
        stale_removed,
        stats,
        elapsed: start.elapsed(),
    }
}

/// One file: read, optimize, write if changed. Never panics.
pub fn optimize_path(path: &Path, opts: &Options) -> FileReport {
    if crate::archive::is_archive(path) {
        return crate::archive::optimize_archive(
            path,
            &opts.pipeline,
            opts.mode == Mode::Write,
            opts.diff,
        );
    }
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) => return FileReport::failed(path, None, format!("cannot read: {e}"), 0),
    };
    let size = data.len() as u64;
    let applied_before = opts.pipeline.debug.applied.load(Ordering::SeqCst);
    let result = catch_unwind(AssertUnwindSafe(|| {
        optimize_bytes(&data, &opts.pipeline, opts.diff)
    }));
    if opts.pipeline.debug.bisect_limit.is_some()
        && opts.pipeline.debug.applied.load(Ordering::SeqCst) != applied_before
    {
        // Bisection runs one file at a time, so this names the file of the
        // last application.
        if let Ok(mut f) = opts.pipeline.debug.last_file.lock() {
            *f = Some(path.to_path_buf());
        }
    }
    let (mut report, out) = match result {
        Ok(Ok(pair)) => pair,
        Ok(Err(e)) => {
            let version = crate::pyc::Header::parse(&data).ok().map(|h| h.version);
            return FileReport::failed(path, version, e.to_string(), size);
        }
        Err(panic) => {
            return FileReport::failed(
                path,
                None,
                format!("internal error (panic): {}", panic_message(&panic)),
                size,
            )
        }
    };
    report.path = path.to_path_buf();
    if let (Some(out), Mode::Write) = (&out, opts.mode) {
        if let Err(e) = write_atomically(path, out) {
            let mut failed = FileReport::failed(path, None, e, size);
            failed.version = report.version;
            return failed;
        }
    }
    report
}

/// Seconds, for reports.
pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// An error value for a version a pass list cannot handle (kept for callers
/// that want the codec's error type).
pub fn unsupported(v: PyVersion) -> Error {
    Error::at(
        0,
        ErrorKind::Encode(format!("no pass supports CPython {v}")),
    )
}
