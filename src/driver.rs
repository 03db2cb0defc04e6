//! `pyopt optimize` over trees: walk them for `.pyc` files and archives,
//! optimize each file in parallel (one file: [`crate::opt::optimize_bytes`];
//! an archive: [`crate::archive`]), and write the changed ones atomically
//! with the run's durability mode ([`crate::atomic`]). The version comes from each file's own magic, so a
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

use crate::atomic::{Durability, Writer};
use crate::config::Settings;
use crate::error::{Error, ErrorKind};
use crate::opt::file::panic_message;
use crate::opt::{optimize_bytes, FileReport, Pipeline, Stats, Status};
use crate::version::PyVersion;
use crate::walk::{self, Walk};

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
    /// When written files are synced to disk (write mode).
    pub durability: Durability,
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

/// Optimizes every `.pyc` under `roots`. `tick` is called once per file done.
pub fn optimize_tree(roots: &[PathBuf], opts: &Options, tick: &(dyn Fn() + Sync)) -> TreeReport {
    optimize_tree_with(roots, opts, &|_| {}, tick)
}

/// [`optimize_tree`], telling `found` how many files there are before the
/// first one is done (for a progress display).
pub fn optimize_tree_with(
    roots: &[PathBuf],
    opts: &Options,
    found: &dyn Fn(usize),
    tick: &(dyn Fn() + Sync),
) -> TreeReport {
    let start = Instant::now();
    let walk = Walk::new(walk::PYC_AND_WHEELS)
        .follow_symlinks(opts.follow_symlinks)
        .exclude(&opts.settings);
    let walk::Found {
        files,
        errors: walk_errors,
        stale,
    } = walk::collect(roots, &walk);
    found(files.len());
    let mut stale_removed = Vec::new();
    if opts.mode == Mode::Write {
        for s in stale {
            if std::fs::remove_file(&s).is_ok() {
                stale_removed.push(s);
            }
        }
    }
    let writer = (opts.mode == Mode::Write).then(|| Writer::new(opts.durability));
    let run = |(index, path): (usize, &PathBuf)| {
        let r = optimize_path_with(path, opts, writer.as_ref().map(|w| (w, index)));
        tick();
        r
    };
    let mut reports: Vec<FileReport> = if opts.pipeline.debug.bisect_limit.is_some() {
        // "The first N applications" must mean the same thing in every run.
        files.iter().enumerate().map(run).collect()
    } else {
        files.par_iter().enumerate().map(run).collect()
    };
    // Batch mode renames at its flushes; a file that failed there failed.
    for (index, error) in writer.map(|w| w.finish()).unwrap_or_default() {
        if let Some(r) = reports.get_mut(index) {
            let mut failed = FileReport::failed(&r.path, None, error, r.bytes_before);
            failed.version = r.version.take();
            *r = failed;
        }
    }
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

/// One file: read, optimize, write if changed (in write mode, fsynced
/// before its rename). Never panics.
pub fn optimize_path(path: &Path, opts: &Options) -> FileReport {
    let writer = Writer::new(Durability::Always);
    optimize_path_with(
        path,
        opts,
        (opts.mode == Mode::Write).then_some((&writer, 0)),
    )
}

/// [`optimize_path`] writing through `writer` (the caller's index of this
/// file with it), if any.
fn optimize_path_with(path: &Path, opts: &Options, writer: Option<(&Writer, usize)>) -> FileReport {
    if crate::archive::is_archive(path) {
        return crate::archive::optimize_archive(path, &opts.pipeline, writer, opts.diff);
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
    if let (Some(out), Some((writer, index))) = (out, writer) {
        if let Err(e) = writer.write(index, path, out) {
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
