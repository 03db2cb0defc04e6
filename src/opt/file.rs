//! One file's bytes through the optimizer: parse, and for every code object
//! decode → precheck → CFG → passes → verify → encode, each code object
//! under `catch_unwind`; a code object whose pass panics or whose result
//! fails verification keeps its original bytes and is reported. The one-file
//! API ([`optimize_bytes`]) is what the tree driver, archives, difftest, the
//! golden tests and the benches call.

use std::cell::RefCell;
use std::io::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::manager::{Pipeline, RawCode, RawScratch, RawVerdict, Stats};
use super::pass::{MayChange, Precheck};
use super::unit::CodeUnit;
use super::verify::{check_ir_encoded_with, Buffers, TableSizes};
use crate::bytecode::{CodeIr, Encoded};
use crate::cfg::Cfg;
use crate::error::Error;
use crate::marshal::CodeId;
use crate::roundtrip::PycFile;
use crate::version::PyVersion;

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

/// Buffers one thread reuses for every code object it optimizes: the
/// codec's and the verifier's.
#[derive(Debug, Default)]
struct Workspace {
    codec: crate::roundtrip::Workspace,
    verify: Buffers,
    raw: RawScratch,
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

/// Optimizes a whole file in memory. Returns the report and the new bytes
/// when they differ from `data`.
pub fn optimize_bytes(
    data: &[u8],
    pipeline: &Pipeline,
    want_diff: bool,
) -> Result<(FileReport, Option<Vec<u8>>), Error> {
    WORKSPACE.with(|ws| {
        let mut fresh = Workspace::default();
        let mut held = ws.try_borrow_mut();
        // A fresh workspace if this thread's is in use further up the stack.
        let ws = match held.as_deref_mut() {
            Ok(ws) => ws,
            Err(_) => &mut fresh,
        };
        let mut file = PycFile::parse_with(data, &mut ws.codec.recycled)?;
        let result = optimize_file(&mut file, data, pipeline, want_diff, ws);
        ws.codec.recycled.recycle(file.module);
        result
    })
}

fn optimize_file(
    file: &mut PycFile<'_>,
    data: &[u8],
    pipeline: &Pipeline,
    want_diff: bool,
    ws: &mut Workspace,
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
        // The raw instructions first: a code object no pass may change is
        // not decoded at all.
        let among = match raw_check(file, id, pipeline, &mut ws.raw) {
            RawVerdict::Skip { instructions } => {
                report.instructions_before += instructions as u64;
                report.instructions_after += instructions as u64;
                continue;
            }
            RawVerdict::Decode(among) => among,
        };
        file.decode_code_into(id, &mut ws.codec.ir, &mut ws.codec.scratch)?;
        let ir = &ws.codec.ir;
        let sizes = TableSizes::of(file, id);
        report.instructions_before += ir.instrs.len() as u64;
        let pre = Precheck::new(ir, pipeline.level, sizes.locals, &mut ws.codec.scratch);
        let maybe = pipeline.may_change_among(&pre, among);
        if !maybe.any() {
            report.instructions_after += ir.instrs.len() as u64;
            continue;
        }
        let qualname = file.qualname(id);
        // The listing before, while the file's tables are still the old ones.
        let before = want_diff.then(|| crate::dis::Listing::of(file, id, ir));
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
                if let Some(before) = &before {
                    let after = crate::dis::Listing::of(file, id, &new_ir);
                    diff.push_str(&before.unified_diff(&after, &qualname));
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
        if s.changes > 0 && *name != VALIDATE {
            report.pass_changes.insert(name.to_string(), s.changes);
        }
    }
    // Nothing changed: the file stays as it is (the codec is exact, so
    // encoding it would only give back `data`).
    if report.changed_code_objects == 0 {
        return Ok((report, None));
    }
    let mut out = Vec::with_capacity(data.len());
    if pipeline.debug.no_precheck {
        // Every code object encoded: what the copies must equal.
        file.write(&mut out)?;
    } else {
        file.write_reusing(&mut out)?;
    }
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

/// [`Pipeline::raw_check`] of one code object of `file`; `Decode` (of
/// every pass) where its fields are not byte strings, so that decoding
/// reports the error.
fn raw_check(
    file: &PycFile<'_>,
    id: CodeId,
    pipeline: &Pipeline,
    scratch: &mut RawScratch,
) -> RawVerdict {
    let arena = &file.module.arena;
    let c = arena.code(id);
    let (Some(code), Some(linetable)) = (arena.as_bytes(c.code), arena.as_bytes(c.linetable))
    else {
        return RawVerdict::Decode(MayChange::ALL);
    };
    let exceptiontable = match c.exceptiontable.map(|e| arena.as_bytes(e)) {
        Some(None) => return RawVerdict::Decode(MayChange::ALL),
        Some(Some(t)) => Some(t),
        None => None,
    };
    let raw = RawCode {
        version: file.version(),
        code,
        linetable,
        firstlineno: c.firstlineno,
        exceptiontable,
    };
    pipeline.raw_check(raw, scratch)
}

/// One code object of a file, as the driver hands it to [`optimize_code`].
struct CodeObject<'c> {
    id: CodeId,
    ir: &'c CodeIr,
    qualname: &'c str,
    sizes: TableSizes,
    /// Which passes may change it ([`Pipeline::may_change`]).
    maybe: MayChange,
}

/// Runs the pipeline on one code object. `Ok(Some(ir))` when it changed and
/// passed verification (the file's arena already holds the new code),
/// `Ok(None)` when nothing changed, `Err` when it was rejected.
fn optimize_code(
    file: &mut PycFile<'_>,
    code: CodeObject<'_>,
    pipeline: &Pipeline,
    buffers: &mut Buffers,
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
    let t = pipeline.timings.then(std::time::Instant::now);
    let mut cfg = Cfg::build(ir);
    stats.cfg_build.runs += 1;
    stats.cfg_build.time += t.map_or(std::time::Duration::ZERO, |t| t.elapsed());
    // EXTENDED_ARG widths as read are a hint for reproducing unchanged code;
    // changed code gets the minimal widths, as CPython writes them (a prefix
    // an instruction does not need can change behaviour, see
    // `verify::check_ir`).
    cfg.clear_ext();
    let mut unit = CodeUnit::new(
        &mut file.module.arena,
        id,
        cfg,
        sizes.locals,
        qualname.to_string(),
        pipeline.level,
    );
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
        let text = format!("# after {pass}: {}\n{}", u.qualname, u.cfg.dump());
        let _ = std::io::stderr().write_all(text.as_bytes());
    };
    let before: Vec<(&'static str, u64)> = if pipeline.validate {
        stats.passes.iter().map(|(k, v)| (*k, v.changes)).collect()
    } else {
        Vec::new()
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
    if pipeline.validate {
        let t = std::time::Instant::now();
        let result = validate_unit(&unit, ir, &new_ir, sizes.locals, pipeline);
        let e = stats.passes.entry(VALIDATE).or_default();
        e.runs += 1;
        e.time += t.elapsed();
        if let Err(why) = result {
            e.changes += 1;
            let passes = passes_that_changed(stats, &before);
            return Err(reject(
                None,
                format!("not shown equivalent (after {passes}): {why}"),
            ));
        }
    }
    // The new stack size is exactly what the code needs.
    let stacksize = i32::try_from(max_depth).map_err(|_| reject(None, "stack too deep".into()))?;
    unit.write_back();
    file.store_code(id, &enc, stacksize);
    Ok(Some(new_ir))
}

pub(crate) fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// The statistics key of the validator's time and rejections (`--validate`).
pub const VALIDATE: &str = "(validate)";

/// The passes whose change counts grew since `before`, comma-separated.
fn passes_that_changed(stats: &Stats, before: &[(&'static str, u64)]) -> String {
    let names: Vec<&str> = stats
        .passes
        .iter()
        .filter(|(k, v)| {
            **k != VALIDATE
                && v.changes > before.iter().find(|(n, _)| n == *k).map_or(0, |(_, c)| *c)
        })
        .map(|(k, _)| *k)
        .collect();
    names.join(", ")
}

/// Validates the unit's final code against the code object as read.
fn validate_unit(
    unit: &CodeUnit<'_, '_>,
    original: &CodeIr,
    optimized: &CodeIr,
    nlocals: usize,
    pipeline: &Pipeline,
) -> Result<(), String> {
    let arena = &*unit.arena;
    let c = arena.code(unit.id);
    let tuple = |n| arena.as_tuple(n).unwrap_or(&[]);
    let nargs = crate::validate::parameter_count(c.argcount, c.kwonlyargcount, c.flags);
    let a = crate::validate::Code {
        ir: original,
        arena,
        consts: tuple(c.consts),
        names: tuple(c.names),
        nargs,
        nlocals,
        flags: c.flags,
    };
    let b = crate::validate::Code {
        ir: optimized,
        arena,
        consts: &unit.consts,
        names: &unit.names,
        nargs,
        nlocals,
        flags: unit.flags,
    };
    let strictness = crate::validate::Strictness::of(pipeline.level);
    crate::validate::check_with(&a, &b, strictness, !pipeline.validate_walk_only)
}
