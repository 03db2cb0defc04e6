//! Differential execution under the real CPython: run a program from its
//! original and from its optimized `.pyc` and compare everything observable.
//!
//! A [`Worker`] is one long-lived interpreter process running the embedded
//! `worker.py`, spoken to with one JSON line per request, so thousands of
//! checks do not pay thousands of interpreter start-ups. It compiles source
//! to a `.pyc` (with that interpreter's own compiler) and runs a `.pyc` in a
//! fresh module namespace, recording stdout, stderr, the uncaught exception
//! and its traceback (function, line, and on 3.11+ the caret columns), the
//! `sys.settrace` event sequence of every function, and `repr(main())`.
//! A request that does not answer within the timeout kills the worker
//! ([`RunError::Timeout`]); a worker that dies (a segfault) is
//! [`RunError::Crashed`] — for the optimized side that is a failure, never a
//! skip. The next request starts a fresh worker.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::opt;
use crate::opt::Pipeline;

/// How a worker answer that is not JSON is reported.
const BAD_ANSWER: &str = "bad answer from worker";

/// The worker script, embedded in the binary.
pub const WORKER_PY: &str = include_str!("worker.py");

/// A traceback frame: function, line, and (3.11+) the caret's start and end column.
pub type Frame = (String, Option<i64>, Option<i64>, Option<i64>);

/// What a program did when it ran.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub stdout: String,
    pub stderr: String,
    pub exception: Option<ExceptionInfo>,
    /// One entry per frame, outermost first.
    pub traceback: Vec<Frame>,
    /// `sys.settrace` events: `call <qualname>` and `<qualname>:<line>`.
    pub lines: Vec<String>,
    /// `repr(main())` when the module defines `main`.
    pub main: Option<String>,
    /// The event list hit its cap.
    #[serde(default)]
    pub truncated: bool,
}

/// The uncaught exception of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionInfo {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
}

/// How much of an [`Observation`] must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Everything: for `safe` passes.
    Strict,
    /// stdout, stderr, exception and `main()`; tracebacks and line events may
    /// differ: for `aggressive` passes.
    ResultsOnly,
}

/// Why a request produced no observation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    Timeout,
    Crashed(String),
    Worker(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Timeout => write!(f, "timed out"),
            RunError::Crashed(s) => write!(f, "interpreter crashed: {s}"),
            RunError::Worker(s) => write!(f, "{s}"),
        }
    }
}

/// One interpreter process.
pub struct Worker {
    python: PathBuf,
    script: PathBuf,
    timeout: Duration,
    proc: Option<(Child, ChildStdin, Receiver<Option<String>>)>,
}

impl Worker {
    /// A worker for `python`; the process starts on the first request. The
    /// script is written to `script_dir`.
    pub fn new(python: &Path, script_dir: &Path, timeout: Duration) -> std::io::Result<Worker> {
        std::fs::create_dir_all(script_dir)?;
        let script = script_dir.join("pyopt_difftest_worker.py");
        if std::fs::read_to_string(&script).ok().as_deref() != Some(WORKER_PY) {
            static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let tmp = script_dir.join(format!(
                "pyopt_difftest_worker.py.{}.{seq}",
                std::process::id()
            ));
            std::fs::write(&tmp, WORKER_PY)?;
            std::fs::rename(&tmp, &script)?;
        }
        Ok(Worker {
            python: python.to_path_buf(),
            script,
            timeout,
            proc: None,
        })
    }

    fn start(&mut self) -> Result<(), RunError> {
        let mut child = Command::new(&self.python)
            .arg("-I")
            .arg("-u")
            .arg(&self.script)
            .env("PYTHONHASHSEED", "0")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                RunError::Worker(format!("cannot start {}: {e}", self.python.display()))
            })?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| RunError::Worker("no stdin".into()))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| RunError::Worker("no stdout".into()))?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => {
                        let _ = tx.send(None);
                        return;
                    }
                    Ok(_) => {
                        if tx.send(Some(line)).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        self.proc = Some((child, stdin, rx));
        Ok(())
    }

    fn kill(&mut self) -> Option<std::process::ExitStatus> {
        let (mut child, _, _) = self.proc.take()?;
        let _ = child.kill();
        child.wait().ok()
    }

    /// Sends one request and waits for its answer. A worker whose answer is
    /// not a JSON line has lost the protocol (seen with pyodide's 3.15 after
    /// a few hundred requests): it is replaced by a fresh one and the
    /// request is sent once more; a second bad answer is the request's.
    pub fn request(&mut self, req: &serde_json::Value) -> Result<serde_json::Value, RunError> {
        match self.request_once(req) {
            Err(RunError::Worker(msg)) if msg.starts_with(BAD_ANSWER) => self.request_once(req),
            other => other,
        }
    }

    fn request_once(&mut self, req: &serde_json::Value) -> Result<serde_json::Value, RunError> {
        if self.proc.is_none() {
            self.start()?;
        }
        let line = format!("{req}\n");
        let sent = match &mut self.proc {
            Some((_, stdin, _)) => stdin.write_all(line.as_bytes()).and_then(|_| stdin.flush()),
            None => return Err(RunError::Worker("no worker".into())),
        };
        if sent.is_err() {
            let status = self.kill();
            return Err(RunError::Crashed(format!("{status:?}")));
        }
        let answer = match &self.proc {
            Some((_, _, rx)) => rx.recv_timeout(self.timeout),
            None => return Err(RunError::Worker("no worker".into())),
        };
        match answer {
            Ok(Some(text)) => serde_json::from_str(&text).map_err(|e| {
                self.kill();
                let head: String = text.trim_end().chars().take(120).collect();
                RunError::Worker(format!("{BAD_ANSWER}: {e}: {head:?}"))
            }),
            Ok(None) => {
                let status = self.kill();
                Err(RunError::Crashed(
                    status.map_or("unknown status".into(), |s| s.to_string()),
                ))
            }
            Err(_) => {
                self.kill();
                Err(RunError::Timeout)
            }
        }
    }

    /// Compiles source to `.pyc` bytes with this interpreter.
    pub fn compile(&mut self, source: &str, filename: &str) -> Result<Vec<u8>, RunError> {
        let v = self.request(
            &serde_json::json!({"op": "compile", "source": source, "filename": filename}),
        )?;
        if v["ok"] != serde_json::Value::Bool(true) {
            return Err(RunError::Worker(
                v["error"].as_str().unwrap_or("compile failed").to_string(),
            ));
        }
        hex_decode(v["pyc"].as_str().unwrap_or(""))
            .ok_or_else(|| RunError::Worker("bad hex from worker".into()))
    }

    /// Runs `.pyc` bytes and records what happened.
    pub fn run(
        &mut self,
        pyc: &[u8],
        filename: &str,
        trace: bool,
    ) -> Result<Observation, RunError> {
        self.run_with_modules(pyc, filename, trace, &[])
    }

    /// Runs `.pyc` bytes as `__main__` with other modules importable from
    /// their own `.pyc` bytes: `(name, pyc, filename, is_package)`.
    pub fn run_with_modules(
        &mut self,
        pyc: &[u8],
        filename: &str,
        trace: bool,
        modules: &[(String, Vec<u8>, String, bool)],
    ) -> Result<Observation, RunError> {
        let mods: serde_json::Map<String, serde_json::Value> = modules
            .iter()
            .map(|(name, pyc, file, pkg)| {
                (
                    name.clone(),
                    serde_json::json!({"pyc": hex_encode(pyc), "filename": file, "package": pkg}),
                )
            })
            .collect();
        let v = self.request(&serde_json::json!({
            "op": "run", "pyc": hex_encode(pyc), "filename": filename, "trace": trace,
            "modules": mods
        }))?;
        if v["ok"] != serde_json::Value::Bool(true) {
            return Err(RunError::Worker(
                v["error"].as_str().unwrap_or("run failed").to_string(),
            ));
        }
        serde_json::from_value(v).map_err(|e| RunError::Worker(format!("bad observation: {e}")))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

fn hex_encode(b: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for &x in b {
        s.push(HEX[(x >> 4) as usize] as char);
        s.push(HEX[(x & 15) as usize] as char);
    }
    s
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.len() % 2 != 0 {
        return None;
    }
    let nib = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    b.chunks_exact(2)
        .map(|p| Some(nib(p[0])? << 4 | nib(p[1])?))
        .collect()
}

/// The differences between two observations under a mode (empty = same).
pub fn compare(original: &Observation, optimized: &Observation, mode: Mode) -> Vec<String> {
    let mut out = Vec::new();
    if original.stdout != optimized.stdout {
        out.push(first_difference(
            "stdout",
            &original.stdout,
            &optimized.stdout,
        ));
    }
    if original.stderr != optimized.stderr {
        out.push(first_difference(
            "stderr",
            &original.stderr,
            &optimized.stderr,
        ));
    }
    if original.exception != optimized.exception {
        out.push(format!(
            "exception: {:?} became {:?}",
            original.exception, optimized.exception
        ));
    }
    if original.main != optimized.main {
        out.push(format!(
            "main(): {:?} became {:?}",
            original.main, optimized.main
        ));
    }
    if mode == Mode::Strict {
        if original.traceback != optimized.traceback {
            out.push(format!(
                "traceback: {:?} became {:?}",
                original.traceback, optimized.traceback
            ));
        }
        if original.lines != optimized.lines {
            let i = original
                .lines
                .iter()
                .zip(&optimized.lines)
                .position(|(a, b)| a != b)
                .unwrap_or(original.lines.len().min(optimized.lines.len()));
            out.push(format!(
                "line events differ at event {i}: {:?} became {:?} ({} vs {} events)",
                original.lines.get(i),
                optimized.lines.get(i),
                original.lines.len(),
                optimized.lines.len()
            ));
        }
    }
    out
}

fn first_difference(what: &str, a: &str, b: &str) -> String {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let i = la
        .iter()
        .zip(&lb)
        .position(|(x, y)| x != y)
        .unwrap_or(la.len().min(lb.len()));
    format!(
        "{what} differs at line {}: {:?} became {:?}",
        i + 1,
        la.get(i).copied().unwrap_or("<end>"),
        lb.get(i).copied().unwrap_or("<end>")
    )
}

/// The verdict on one program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Both runs behaved the same.
    Same { changed: bool },
    /// The optimized run differs; the strings say how.
    Different(Vec<String>),
    /// The optimized run crashed or hung (the original did not).
    OptimizedFailed(String),
    /// The program could not be checked (does not compile, or the original run hangs).
    Unusable(String),
}

/// Compiles `source` with the worker's interpreter, optimizes the `.pyc`
/// with `pipeline`, runs both and compares them.
pub fn check_source(
    worker: &mut Worker,
    source: &str,
    filename: &str,
    pipeline: &Pipeline,
    mode: Mode,
) -> Verdict {
    let pyc = match worker.compile(source, filename) {
        Ok(p) => p,
        Err(e) => return Verdict::Unusable(format!("compile: {e}")),
    };
    check_pyc(worker, &pyc, filename, pipeline, mode)
}

/// [`check_source`] for a `.pyc` that is already compiled.
pub fn check_pyc(
    worker: &mut Worker,
    pyc: &[u8],
    filename: &str,
    pipeline: &Pipeline,
    mode: Mode,
) -> Verdict {
    let optimized = match opt::optimize_bytes(pyc, pipeline, false) {
        Ok((_, Some(bytes))) => Some(bytes),
        Ok((_, None)) => None,
        Err(e) => return Verdict::Unusable(format!("optimize: {e}")),
    };
    let trace = mode == Mode::Strict;
    let original = match worker.run(pyc, filename, trace) {
        Ok(o) => o,
        Err(e) => return Verdict::Unusable(format!("original run: {e}")),
    };
    let Some(optimized) = optimized else {
        return Verdict::Same { changed: false };
    };
    match worker.run(&optimized, filename, trace) {
        Ok(o) => {
            let diffs = compare(&original, &o, mode);
            if diffs.is_empty() {
                Verdict::Same { changed: true }
            } else {
                Verdict::Different(diffs)
            }
        }
        Err(e) => Verdict::OptimizedFailed(e.to_string()),
    }
}

/// A module of a multi-module program.
#[derive(Clone, Debug)]
pub struct Module {
    /// Dotted import name (`app.util`; a package's `__init__` is `app`).
    pub name: String,
    pub filename: String,
    pub source: String,
    pub package: bool,
}

/// The modules of a program directory: every `.py` below it except
/// `__main__.py`, named by their path (`app/__init__.py` is package `app`).
pub fn modules_of(dir: &Path) -> std::io::Result<Vec<Module>> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.map_err(std::io::Error::other)?;
        let p = e.path();
        if !e.file_type().is_file() || p.extension().map_or(true, |x| x != "py") {
            continue;
        }
        let rel = p.strip_prefix(dir).unwrap_or(p).with_extension("");
        let parts: Vec<String> = rel
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        if parts == ["__main__"] {
            continue;
        }
        let package = parts.last().is_some_and(|l| l == "__init__");
        let name_parts = if package {
            &parts[..parts.len() - 1]
        } else {
            &parts[..]
        };
        out.push(Module {
            name: name_parts.join("."),
            filename: p.display().to_string(),
            source: std::fs::read_to_string(p)?,
            package,
        });
    }
    Ok(out)
}

/// [`check_source`] for a program of several modules: `main_source` runs as
/// `__main__` and imports `modules`; every module is optimized.
pub fn check_program(
    worker: &mut Worker,
    main_source: &str,
    main_filename: &str,
    modules: &[Module],
    pipeline: &Pipeline,
    mode: Mode,
) -> Verdict {
    let mut original = Vec::new();
    let mut optimized = Vec::new();
    let mut changed = false;
    let main_pyc = match worker.compile(main_source, main_filename) {
        Ok(p) => p,
        Err(e) => return Verdict::Unusable(format!("compile {main_filename}: {e}")),
    };
    let opt = |pyc: &[u8]| match opt::optimize_bytes(pyc, pipeline, false) {
        Ok((_, Some(b))) => Ok((b, true)),
        Ok((_, None)) => Ok((pyc.to_vec(), false)),
        Err(e) => Err(Verdict::Unusable(format!("optimize: {e}"))),
    };
    for m in modules {
        let pyc = match worker.compile(&m.source, &m.filename) {
            Ok(p) => p,
            Err(e) => return Verdict::Unusable(format!("compile {}: {e}", m.filename)),
        };
        let (o, c) = match opt(&pyc) {
            Ok(x) => x,
            Err(v) => return v,
        };
        changed |= c;
        original.push((m.name.clone(), pyc, m.filename.clone(), m.package));
        optimized.push((m.name.clone(), o, m.filename.clone(), m.package));
    }
    let (main_opt, c) = match opt(&main_pyc) {
        Ok(x) => x,
        Err(v) => return v,
    };
    changed |= c;
    let trace = mode == Mode::Strict;
    let before = match worker.run_with_modules(&main_pyc, main_filename, trace, &original) {
        Ok(o) => o,
        Err(e) => return Verdict::Unusable(format!("original run: {e}")),
    };
    if !changed {
        return Verdict::Same { changed: false };
    }
    match worker.run_with_modules(&main_opt, main_filename, trace, &optimized) {
        Ok(after) => {
            let diffs = compare(&before, &after, mode);
            if diffs.is_empty() {
                Verdict::Same { changed: true }
            } else {
                Verdict::Different(diffs)
            }
        }
        Err(e) => Verdict::OptimizedFailed(e.to_string()),
    }
}

/// The `min-version` a corpus file declares (`# min-version: 3.10`), if any.
pub fn min_version(source: &str) -> Option<crate::PyVersion> {
    version_header(source, "min-version:")
}

/// The `max-version` a corpus file declares (`# max-version: 3.13 (why)`),
/// if any: the program cannot run on later versions as they are installed
/// here (e.g. pyodide's 3.14 has no `asyncio.run` under Node.js).
pub fn max_version(source: &str) -> Option<crate::PyVersion> {
    version_header(source, "max-version:")
}

/// Whether a corpus program runs on `v` (its `min-version`/`max-version`).
pub fn runs_on(source: &str, v: crate::PyVersion) -> bool {
    !min_version(source).is_some_and(|m| v < m) && !max_version(source).is_some_and(|m| v > m)
}

fn version_header(source: &str, key: &str) -> Option<crate::PyVersion> {
    source.lines().take(5).find_map(|l| {
        let rest = l.trim().strip_prefix('#')?.trim().strip_prefix(key)?;
        let version = rest.split_whitespace().next()?;
        crate::PyVersion::parse(version)
    })
}

/// The reason a corpus file gives for being checked at `safe` only
/// (`# safe-only: <reason>` in its first lines): a program that does what an
/// aggressive pass documents as its assumption (for example writing a
/// local through `frame.f_locals`, which `const-propagation` assumes
/// nobody does).
pub fn safe_only(source: &str) -> Option<&str> {
    source.lines().take(10).find_map(|l| {
        l.trim()
            .strip_prefix('#')?
            .trim()
            .strip_prefix("safe-only:")
            .map(str::trim)
    })
}

/// The pass application that breaks a program: binary search over the
/// number of pass applications (the pipeline's bisect limit) for the first
/// one after which the program behaves differently. Returns
/// `(application number, pass, code object)`.
pub fn bisect(
    worker: &mut Worker,
    pyc: &[u8],
    filename: &str,
    enabled: &[&str],
    level: crate::config::Level,
    mode: Mode,
) -> Option<(u64, &'static str, String)> {
    let fails = |worker: &mut Worker, limit: Option<u64>| {
        let pipeline = Pipeline::new(
            enabled,
            crate::opt::Debug {
                bisect_limit: limit,
                ..Default::default()
            },
        )
        .with_level(level);
        let v = check_pyc(worker, pyc, filename, &pipeline, mode);
        let last = pipeline.debug.last_application();
        (
            matches!(v, Verdict::Different(_) | Verdict::OptimizedFailed(_)),
            last,
        )
    };
    let (all_fail, last) = fails(worker, None);
    if !all_fail {
        return None;
    }
    // Upper bound: how many applications the full run makes.
    let (_, counted) = fails(worker, Some(u64::MAX));
    let mut hi = counted.map_or(1, |(n, _, _)| n).max(1);
    let _ = last;
    let mut lo = 0u64; // `lo` applications pass, `hi` applications fail
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fails(worker, Some(mid)).0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    fails(worker, Some(hi)).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let data: Vec<u8> = (0..=255).collect();
        assert_eq!(hex_decode(&hex_encode(&data)), Some(data));
        assert_eq!(hex_decode("0"), None);
        assert_eq!(hex_decode("zz"), None);
    }

    #[test]
    fn modes_decide_what_counts() {
        let a = Observation {
            stdout: "1\n".into(),
            lines: vec!["f:1".into()],
            ..Observation::default()
        };
        let mut b = a.clone();
        b.lines.push("f:2".into());
        assert!(compare(&a, &b, Mode::ResultsOnly).is_empty());
        assert_eq!(compare(&a, &b, Mode::Strict).len(), 1);
        b.stdout = "2\n".into();
        assert_eq!(compare(&a, &b, Mode::ResultsOnly).len(), 1);
    }

    #[test]
    fn min_version_header() {
        assert_eq!(
            min_version("# min-version: 3.10\nx = 1\n"),
            Some(crate::PyVersion::V3_10)
        );
        assert_eq!(min_version("x = 1\n"), None);
        let capped = "# max-version: 3.13 (no asyncio.run in pyodide)\nx = 1\n";
        assert_eq!(max_version(capped), Some(crate::PyVersion::V3_13));
        assert!(runs_on(capped, crate::PyVersion::V3_13));
        assert!(!runs_on(capped, crate::PyVersion::V3_14));
        assert!(!runs_on("# min-version: 3.10\n", crate::PyVersion::V3_9));
    }
}
