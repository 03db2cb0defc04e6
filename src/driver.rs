//! `pyopt optimize`: walk trees of `.pyc` files, optimize each in parallel,
//! and write the changed ones atomically.
//!
//! Per file: read; parse (the version comes from the file's own magic, so a
//! tree may mix versions); for every code object decode → CFG → passes →
//! linearize → verify → encode, each code object under `catch_unwind`; a code
//! object whose pass panics or whose result fails verification keeps its
//! original bytes and is reported. A file whose bytes come out unchanged is
//! not touched. A changed file is written to a temporary file in the same
//! directory, synced, given the original's permissions and renamed over the
//! original, so a reader (or a kill at any moment) sees either the old or
//! the new file, never half of one. Temporary files left by a killed run are
//! removed by the next run over the same tree.
//!
//! Output bytes never depend on the number of threads: every file is
//! processed independently and results are reported in path order.

use std::fmt::Write as _;
use std::io::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use std::cell::RefCell;

use crate::bytecode::{CodeIr, Encoded};
use crate::cfg::Cfg;
use crate::config::Settings;
use crate::error::{Error, ErrorKind};
use crate::marshal::{CodeId, NodeId, Value};
use crate::pipeline::{CodeUnit, Pipeline, Stats};
use crate::roundtrip::PycFile;
use crate::verify::{check_ir_encoded_with, TableSizes};
use crate::version::PyVersion;

/// Marker in the names of temporary files, so that a later run can remove
/// the ones a killed run left behind.
pub const TEMP_MARKER: &str = ".pyopt-tmp-";

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

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Changed,
    Unchanged,
    Failed,
}

/// A code object left unchanged because a pass broke it or panicked.
#[derive(Clone, Debug, Serialize)]
pub struct Rejection {
    pub code_object: String,
    /// The pass after which it was found (`null`: at the final verification).
    pub pass: Option<String>,
    pub reason: String,
}

/// The outcome for one file.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub path: PathBuf,
    pub version: Option<String>,
    pub status: Status,
    /// Why the file failed, when it did.
    pub error: Option<String>,
    pub bytes_before: u64,
    pub bytes_after: u64,
    pub code_objects: u64,
    pub changed_code_objects: u64,
    /// Instructions (without EXTENDED_ARG and caches) of every code object
    /// the passes looked at, before and after.
    pub instructions_before: u64,
    pub instructions_after: u64,
    pub rejected: Vec<Rejection>,
    /// Per-pass changes in this file.
    pub pass_changes: std::collections::BTreeMap<String, u64>,
    #[serde(skip)]
    pub stats: Stats,
    /// Before/after listings of changed code objects (`--diff`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

impl FileReport {
    /// A file nothing was done to (yet): unchanged, no statistics.
    pub(crate) fn unchanged(path: &Path, version: Option<PyVersion>, size: u64) -> FileReport {
        FileReport {
            path: path.to_path_buf(),
            version: version.map(|v| v.to_string()),
            status: Status::Unchanged,
            error: None,
            bytes_before: size,
            bytes_after: size,
            code_objects: 0,
            changed_code_objects: 0,
            instructions_before: 0,
            instructions_after: 0,
            rejected: Vec::new(),
            pass_changes: Default::default(),
            stats: Stats::default(),
            diff: None,
        }
    }

    pub(crate) fn failed(
        path: &Path,
        version: Option<PyVersion>,
        error: String,
        size: u64,
    ) -> FileReport {
        FileReport {
            status: Status::Failed,
            error: Some(error),
            ..FileReport::unchanged(path, version, size)
        }
    }
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
        return crate::archive::optimize_archive(path, opts);
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

/// Optimizes a whole file in memory. Returns the report and the new bytes
/// when they differ from `data`.
pub fn optimize_bytes(
    data: &[u8],
    pipeline: &Pipeline,
    want_diff: bool,
) -> Result<(FileReport, Option<Vec<u8>>), Error> {
    crate::roundtrip::with_workspace(|ws| {
        let mut file = PycFile::parse_with(data, &mut ws.recycled)?;
        let result = optimize_file(&mut file, data, pipeline, want_diff, ws);
        ws.recycled.recycle(file.module);
        result
    })
}

fn optimize_file(
    file: &mut PycFile<'_>,
    data: &[u8],
    pipeline: &Pipeline,
    want_diff: bool,
    ws: &mut crate::roundtrip::Workspace,
) -> Result<(FileReport, Option<Vec<u8>>), Error> {
    let version = file.version();
    let mut report = FileReport {
        code_objects: file.module.arena.codes.len() as u64,
        ..FileReport::unchanged(Path::new(""), Some(version), data.len() as u64)
    };
    if !pipeline.any_for(version) {
        return Ok((report, None));
    }
    let mut diff = String::new();
    for id in file.code_ids().collect::<Vec<_>>() {
        file.decode_code_into(id, &mut ws.ir, &mut ws.scratch)?;
        let ir = &ws.ir;
        let sizes = TableSizes::of(file, id);
        report.instructions_before += ir.instrs.len() as u64;
        let pre = crate::pipeline::Precheck::new(ir, pipeline.level, sizes.locals, &mut ws.scratch);
        let maybe = pipeline.may_change(&pre);
        if !maybe.any() {
            report.instructions_after += ir.instrs.len() as u64;
            continue;
        }
        let qualname = file.qualname(id);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let code = CodeObject {
                id,
                ir,
                qualname: &qualname,
                sizes,
                maybe,
            };
            optimize_code(file, code, pipeline, &mut ws.verify, &mut report.stats)
        }));
        match outcome {
            Ok(Ok(None)) => report.instructions_after += ir.instrs.len() as u64,
            Ok(Ok(Some(new_ir))) => {
                report.instructions_after += new_ir.instrs.len() as u64;
                if want_diff {
                    let _ = writeln!(diff, "--- {qualname} (before)");
                    diff.push_str(&crate::dis::listing_ir(file, id, ir));
                    let _ = writeln!(diff, "+++ {qualname} (after)");
                    diff.push_str(&crate::dis::listing_ir(file, id, &new_ir));
                }
                report.changed_code_objects += 1;
            }
            Ok(Err(rejection)) => {
                report.instructions_after += ir.instrs.len() as u64;
                report.rejected.push(rejection);
            }
            Err(panic) => {
                report.instructions_after += ir.instrs.len() as u64;
                report.rejected.push(Rejection {
                    code_object: qualname.clone(),
                    pass: None,
                    reason: format!("panic: {}", panic_message(&panic)),
                });
            }
        }
    }
    for (name, s) in &report.stats.passes {
        if s.changes > 0 {
            report.pass_changes.insert(name.to_string(), s.changes);
        }
    }
    // Nothing changed: the file stays as it is (the codec is exact, so
    // encoding it would only give back `data`).
    if report.changed_code_objects == 0 {
        return Ok((report, None));
    }
    let mut out = Vec::with_capacity(data.len());
    file.write(&mut out)?;
    report.bytes_after = out.len() as u64;
    if want_diff && !diff.is_empty() {
        report.diff = Some(diff);
    }
    if out == data {
        return Ok((report, None));
    }
    report.status = Status::Changed;
    Ok((report, Some(out)))
}

/// One code object of a file, as the driver hands it to [`optimize_code`].
struct CodeObject<'c> {
    id: CodeId,
    ir: &'c CodeIr,
    qualname: &'c str,
    sizes: TableSizes,
    /// Which passes may change it ([`Pipeline::may_change`]).
    maybe: crate::pipeline::MayChange,
}

/// Runs the pipeline on one code object. `Ok(Some(ir))` when it changed and
/// passed verification (the file's arena already holds the new code),
/// `Ok(None)` when nothing changed, `Err` when it was rejected.
fn optimize_code(
    file: &mut PycFile<'_>,
    code: CodeObject<'_>,
    pipeline: &Pipeline,
    buffers: &mut crate::verify::Buffers,
    stats: &mut Stats,
) -> Result<Option<CodeIr>, Rejection> {
    let CodeObject {
        id,
        ir,
        qualname,
        sizes,
        maybe,
    } = code;
    let buffers = RefCell::new(buffers);
    let arena = &mut file.module.arena;
    let c = arena.code(id).clone();
    let tuple = |n: NodeId| {
        arena
            .as_tuple(n)
            .map(<[NodeId]>::to_vec)
            .unwrap_or_default()
    };
    let consts = tuple(c.consts);
    let names = tuple(c.names);
    let (old_consts, old_names, old_flags) = (consts.clone(), names.clone(), c.flags);
    let mut cfg = Cfg::build(ir);
    // EXTENDED_ARG widths as read are a hint for reproducing unchanged code;
    // changed code gets the minimal widths, as CPython writes them (a prefix
    // an instruction does not need can change behaviour, see
    // `verify::check_ir`).
    cfg.clear_ext();
    let mut unit = CodeUnit {
        cfg,
        arena,
        id,
        consts,
        names,
        flags: c.flags,
        nargs: parameter_count(c.argcount, c.kwonlyargcount, c.flags),
        nlocals: sizes.locals,
        qualname: qualname.to_string(),
        level: pipeline.level,
    };
    let reject = |pass: Option<&str>, reason: String| Rejection {
        code_object: qualname.to_string(),
        pass: pass.map(str::to_string),
        reason,
    };
    // The last verified layout and encoding: after the pipeline's final
    // check it is exactly what gets written, so nothing is encoded twice.
    let verified: RefCell<Option<(CodeIr, Encoded, u32)>> = RefCell::new(None);
    let check = |u: &CodeUnit<'_, '_>| -> Result<(), String> {
        let ir = u.cfg.linearize().map_err(|e| e.to_string())?;
        let sizes = TableSizes {
            consts: u.consts.len(),
            names: u.names.len(),
            ..sizes
        };
        match check_ir_encoded_with(&ir, u.flags, None, sizes, &mut buffers.borrow_mut()) {
            (problems, Some(enc), depth) if problems.is_empty() => {
                *verified.borrow_mut() = Some((ir, enc, depth));
                Ok(())
            }
            (problems, _, _) => Err(problems.join("; ")),
        }
    };
    let mut dump = |pass: &str, u: &CodeUnit<'_, '_>| {
        let mut text = format!("# after {pass}: {}\n", u.qualname);
        for &b in u.cfg.order() {
            let _ = writeln!(text, "{b}:");
            let blk = u.cfg.block(b);
            for (i, ins) in blk.instrs().iter().enumerate() {
                let _ = match blk.target().filter(|_| i + 1 == blk.len()) {
                    Some(t) => writeln!(text, "    {} {t}", ins.op.name()),
                    None => writeln!(text, "    {} {}", ins.op.name(), ins.arg),
                };
            }
        }
        let _ = std::io::stderr().write_all(text.as_bytes());
    };
    let changes = pipeline
        .run(&mut unit, stats, &check, &mut dump, maybe)
        .map_err(|r| reject(r.pass, r.reason))?;
    if changes == 0 {
        return Ok(None);
    }
    // The pipeline's final check verified exactly this layout and encoding.
    let Some((new_ir, enc, max_depth)) = verified.borrow_mut().take() else {
        return Err(reject(None, "changed code was not verified".into()));
    };
    let consts = unit.consts;
    let names = unit.names;
    let new_flags = unit.flags;
    // The new stack size is exactly what the code needs.
    let stacksize = i32::try_from(max_depth).map_err(|_| reject(None, "stack too deep".into()))?;
    // A changed table becomes a new tuple node (the old one may be shared).
    if consts != old_consts {
        let items = file.module.arena.push_items(&consts);
        let small = consts.len() < 256;
        let node = file.module.arena.push(Value::Tuple { small, items }, false);
        file.module.arena.codes[id.0 as usize].consts = node;
    }
    if names != old_names {
        let items = file.module.arena.push_items(&names);
        let small = names.len() < 256;
        let node = file.module.arena.push(Value::Tuple { small, items }, false);
        file.module.arena.codes[id.0 as usize].names = node;
    }
    // Passes may clear flags (3.14's CO_HAS_DOCSTRING, strip-docstrings).
    if new_flags != old_flags {
        file.module.arena.codes[id.0 as usize].flags = new_flags;
    }
    file.store_code(id, &enc, stacksize);
    Ok(Some(new_ir))
}

/// Locals bound on entry: positional (incl. positional-only) and keyword-only
/// parameters, then `*args` and `**kwargs` when the flags say they exist.
fn parameter_count(argcount: i32, kwonly: i32, flags: i32) -> usize {
    const CO_VARARGS: i32 = 0x04;
    const CO_VARKEYWORDS: i32 = 0x08;
    argcount.max(0) as usize
        + kwonly.max(0) as usize
        + usize::from(flags & CO_VARARGS != 0)
        + usize::from(flags & CO_VARKEYWORDS != 0)
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

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
