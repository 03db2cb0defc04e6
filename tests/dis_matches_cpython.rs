//! pyopt's decoded instruction stream must equal what each interpreter's own
//! `dis` reports, for CPython 3.8–3.14 (3.14: the corpus of `tools/py314/make_corpus.sh`).
//!
//! For every installed version (see `common::require_or_skip`: a missing
//! interpreter is skipped, or fails under `CI=true`) a deterministic sample of
//! the interpreter's own stdlib `.pyc` files — every k-th file of the sorted
//! list, k halved until those files alone hold [`TARGET_CODE_OBJECTS`] code
//! objects, plus a few big or unusual modules named in [`EXPLICIT`] — is dumped
//! with `tests/support/dis_dump.py` (one interpreter process per version)
//! and decoded with [`PycFile`]. Per code object (in marshal pre-order,
//! matched by index, qualname and first line) and per instruction (without
//! EXTENDED_ARG and CACHE rows) these must agree:
//!
//! * the offset of the op (after its EXTENDED_ARG prefixes) in bytes;
//! * the opname;
//! * the raw argument, `-` for ops without one (for jumps recomputed from
//!   pyopt's target index, its jump kind and the instruction offsets);
//! * for jumps, the target's byte offset (`dis`'s argval);
//! * the line (3.8/3.9 `dis.findlinestarts`, 3.10 `co_lines()`, 3.11+
//!   `positions.lineno`) and on 3.11+ also end line and columns.
//!
//! The `.pyc` files are only read. Run with
//! `cargo test --release --test dis_matches_cpython -- --nocapture`.

mod common;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use pyopt::bytecode::{CodeIr, NO_POS};
use pyopt::roundtrip::PycFile;
use pyopt::version::{JumpKind, PyVersion};

/// Code objects the every-k-th part of the sample aims for per version.
const TARGET_CODE_OBJECTS: usize = 3000;
/// Code objects that must have been compared per version.
const MIN_CODE_OBJECTS: usize = 2000;
/// Mismatches reported per version (all are counted).
const MAX_REPORTED: usize = 25;

/// Modules always in the sample (path under `lib/python3.X` without `.py`),
/// with the first minor version that has them: big modules, and tests that
/// exercise unusual syntax.
const EXPLICIT: &[(&str, u8)] = &[
    ("typing", 8),
    ("_pydecimal", 8),
    ("argparse", 8),
    ("asyncio/base_events", 8),
    ("test/test_grammar", 8),
    ("test/test_exceptions", 8),
    ("test/test_coroutines", 8),
    ("test/test_patma", 10),
    ("test/test_except_star", 11),
];

const FIELDS: &str = "offset opname arg target line [end_line col end_col]";

/// One code object as `dis_dump.py` printed it.
struct DumpCode {
    index: usize,
    name: String,
    firstlineno: i32,
    rows: Vec<String>,
}

/// One file as `dis_dump.py` printed it.
struct DumpFile {
    path: String,
    error: Option<String>,
    codes: Vec<DumpCode>,
}

/// What one version's comparison found.
#[derive(Default)]
struct Outcome {
    minor: u8,
    skipped: bool,
    files: usize,
    stride: usize,
    named: usize,
    code_objects: usize,
    instructions: usize,
    failures: Vec<String>,
    failure_count: usize,
    seconds: f64,
}

impl Outcome {
    fn fail(&mut self, msg: String) {
        self.failure_count += 1;
        if self.failures.len() < MAX_REPORTED {
            self.failures.push(msg);
        }
    }
}

#[test]
fn decoded_instructions_equal_cpython_dis() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("tests").join("support").join("dis_dump.py");
    assert!(script.is_file(), "missing {}", script.display());
    let start = Instant::now();
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let handles: Vec<_> = PyVersion::ALL
            .iter()
            .map(|v| {
                let minor = v.minor();
                // Looked up here so that skip messages come in version order.
                let python = common::require_or_skip(minor);
                let script = &script;
                s.spawn(move || match python {
                    Some(python) => check_version(minor, &python, script),
                    None => Outcome {
                        minor,
                        skipped: true,
                        ..Outcome::default()
                    },
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("version thread panicked"))
            .collect()
    });

    let mut report = String::new();
    for o in &outcomes {
        if o.skipped {
            continue;
        }
        println!(
            "3.{}: {} code objects, {} instructions equal to dis ({} files: every {}-th sorted file + {} named modules, {:.1}s)",
            o.minor,
            o.code_objects,
            o.instructions,
            o.files,
            o.stride,
            o.named,
            o.seconds
        );
        if o.failure_count > 0 {
            let _ = writeln!(
                report,
                "3.{}: {} mismatches (fields: {FIELDS}); the first {}:",
                o.minor,
                o.failure_count,
                o.failures.len()
            );
            for f in &o.failures {
                let _ = writeln!(report, "  {f}");
            }
        }
        if o.code_objects < MIN_CODE_OBJECTS {
            let _ = writeln!(
                report,
                "3.{}: only {} code objects compared, need at least {MIN_CODE_OBJECTS}",
                o.minor, o.code_objects
            );
        }
    }
    println!("total time {:.1}s", start.elapsed().as_secs_f64());
    assert!(report.is_empty(), "pyopt disagrees with dis:\n{report}");
}

/// Samples, dumps and compares one version.
fn check_version(minor: u8, python: &Path, script: &Path) -> Outcome {
    let start = Instant::now();
    let mut out = Outcome {
        minor,
        ..Outcome::default()
    };
    let version = PyVersion::from_minor(minor).expect("supported version");
    let lib = common::stdlib_pycs(minor, python);
    let (files, stride, named) = sample(&lib, minor);
    out.stride = stride;
    out.named = named;
    out.files = files.len();
    let dump = match run_dump(python, script, &files) {
        Ok(d) => d,
        Err(e) => {
            out.fail(e);
            return out;
        }
    };
    if dump.len() != files.len() {
        out.fail(format!(
            "dis_dump.py reported {} files, {} were asked for",
            dump.len(),
            files.len()
        ));
    }
    for (path, d) in files.iter().zip(&dump) {
        let shown = path
            .strip_prefix(&lib)
            .unwrap_or(path)
            .display()
            .to_string();
        compare_file(version, path, &shown, d, &mut out);
    }
    out.seconds = start.elapsed().as_secs_f64();
    out
}

/// The sample: the [`EXPLICIT`] modules, then every k-th path of the sorted
/// list of `__pycache__/*.cpython-3X.pyc` files outside `site-packages`, for
/// the largest k in 64, 32, …, 1 whose files alone (without the explicit
/// ones) hold [`TARGET_CODE_OBJECTS`] code objects.
fn sample(lib: &Path, minor: u8) -> (Vec<PathBuf>, usize, usize) {
    let suffix = format!(".cpython-3{minor}.pyc");
    let mut all: Vec<PathBuf> = walkdir::WalkDir::new(lib)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let in_pycache = p
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == "__pycache__");
            let name_ok = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(&suffix));
            let site = p
                .strip_prefix(lib)
                .ok()
                .and_then(|r| r.components().next())
                .is_some_and(|c| c.as_os_str() == "site-packages");
            in_pycache && name_ok && !site
        })
        .collect();
    all.sort();

    let mut chosen: Vec<PathBuf> = Vec::new();
    // The 3.14 corpus keeps the standard library under `stdlib/`.
    let named_root = Some(lib.join("stdlib"))
        .filter(|d| d.is_dir())
        .unwrap_or_else(|| lib.to_path_buf());
    for (module, since) in EXPLICIT {
        if minor < *since {
            continue;
        }
        let (dir, base) = match module.rsplit_once('/') {
            Some((d, b)) => (named_root.join(d), b),
            None => (named_root.clone(), *module),
        };
        let p = dir.join("__pycache__").join(format!("{base}{suffix}"));
        if p.is_file() {
            chosen.push(p);
        } else {
            println!("3.{minor}: note: {} not installed", p.display());
        }
    }
    let explicit: HashSet<PathBuf> = chosen.iter().cloned().collect();

    let mut counts: HashMap<PathBuf, usize> = HashMap::new();
    let mut count = |p: &PathBuf| -> usize {
        *counts.entry(p.clone()).or_insert_with(|| {
            // A file pyopt cannot parse counts 0 here; the comparison reports it.
            std::fs::read(p)
                .ok()
                .and_then(|d| PycFile::parse(&d).ok().map(|f| f.code_ids().count()))
                .unwrap_or(0)
        })
    };
    let mut k = 64;
    loop {
        let strided: Vec<PathBuf> = all
            .iter()
            .skip(k / 2)
            .step_by(k)
            .filter(|p| !explicit.contains(*p))
            .cloned()
            .collect();
        let total: usize = strided.iter().map(&mut count).sum();
        if total >= TARGET_CODE_OBJECTS || k == 1 {
            let named = explicit.len();
            chosen.extend(strided);
            return (chosen, k, named);
        }
        k /= 2;
    }
}

/// Runs `dis_dump.py` once over all files and parses its output.
fn run_dump(python: &Path, script: &Path, files: &[PathBuf]) -> Result<Vec<DumpFile>, String> {
    let mut child = Command::new(python)
        .args(["-I", "-S", "-B"])
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let mut input = String::new();
    for f in files {
        let s = f
            .to_str()
            .ok_or_else(|| format!("non-UTF-8 path {}", f.display()))?;
        input.push_str(s);
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("waiting for {}: {e}", python.display()))?;
    writer
        .join()
        .expect("stdin writer panicked")
        .map_err(|e| format!("writing the file list to {}: {e}", python.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} {} failed ({}):\n{}",
            python.display(),
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    parse_dump(&String::from_utf8_lossy(&output.stdout))
}

fn parse_dump(text: &str) -> Result<Vec<DumpFile>, String> {
    let mut files: Vec<DumpFile> = Vec::new();
    let mut ended = false;
    for (n, line) in text.lines().enumerate() {
        let bad = || format!("dis_dump.py output line {}: {line:?}", n + 1);
        let (tag, rest) = line.split_once('\t').unwrap_or((line, ""));
        match tag {
            "F" | "E" => {
                let (path, tail) = rest.split_once('\t').ok_or_else(bad)?;
                files.push(DumpFile {
                    path: path.to_string(),
                    error: (tag == "E").then(|| tail.to_string()),
                    codes: Vec::new(),
                });
            }
            "C" => {
                let f: Vec<&str> = rest.split('\t').collect();
                let [index, name, first, _count] = f[..] else {
                    return Err(bad());
                };
                let code = DumpCode {
                    index: index.parse().map_err(|_| bad())?,
                    name: name.to_string(),
                    firstlineno: first.parse().map_err(|_| bad())?,
                    rows: Vec::new(),
                };
                files.last_mut().ok_or_else(bad)?.codes.push(code);
            }
            "I" => {
                let code = files
                    .last_mut()
                    .and_then(|f| f.codes.last_mut())
                    .ok_or_else(bad)?;
                code.rows.push(rest.to_string());
            }
            "END" => ended = true,
            _ => return Err(bad()),
        }
    }
    if !ended {
        return Err("dis_dump.py output is truncated (no END)".into());
    }
    Ok(files)
}

/// Compares one file's code objects with the dump.
fn compare_file(version: PyVersion, path: &Path, shown: &str, d: &DumpFile, out: &mut Outcome) {
    let v = version;
    if Path::new(&d.path) != path {
        out.fail(format!("{v} {shown}: dis_dump.py answered for {}", d.path));
        return;
    }
    if let Some(e) = &d.error {
        out.fail(format!("{v} {shown}: dis_dump.py could not read it: {e}"));
        return;
    }
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) => return out.fail(format!("{v} {shown}: {e}")),
    };
    let file = match PycFile::parse(&data) {
        Ok(f) => f,
        Err(e) => return out.fail(format!("{v} {shown}: pyopt cannot parse it: {e}")),
    };
    if file.version() != version {
        return out.fail(format!("{v} {shown}: pyopt reads it as {}", file.version()));
    }
    let ids: Vec<_> = file.code_ids().collect();
    if ids.len() != d.codes.len() {
        out.fail(format!(
            "{v} {shown}: pyopt finds {} code objects, dis_dump.py {}",
            ids.len(),
            d.codes.len()
        ));
    }
    for (index, (&id, dc)) in ids.iter().zip(&d.codes).enumerate() {
        let name = file.qualname(id);
        let first = file.module.arena.code(id).firstlineno;
        let what = format!("{v} {shown}, code object #{index} `{name}` (line {first})");
        if (dc.index, dc.name.as_str(), dc.firstlineno) != (index, name.as_str(), first) {
            out.fail(format!(
                "{what}: marshal order differs: dis_dump.py has #{} `{}` (line {}) here",
                dc.index, dc.name, dc.firstlineno
            ));
            continue;
        }
        let ir = match file.decode_code(id) {
            Ok(ir) => ir,
            Err(e) => {
                out.fail(format!("{what}: pyopt cannot decode it: {e}"));
                continue;
            }
        };
        let ours = rows(&ir);
        out.code_objects += 1;
        let mut equal = 0;
        let mut first_diff = None;
        for (i, (a, b)) in ours.iter().zip(&dc.rows).enumerate() {
            if a == b {
                equal += 1;
            } else if first_diff.is_none() {
                first_diff = Some(i);
            }
        }
        out.instructions += equal;
        if let Some(i) = first_diff {
            out.fail(format!(
                "{what}, instruction {i}: pyopt `{}` != dis `{}` ({} of {} instructions differ)",
                ours[i].replace('\t', " "),
                dc.rows[i].replace('\t', " "),
                ours.len().min(dc.rows.len()) - equal,
                dc.rows.len()
            ));
        } else if ours.len() != dc.rows.len() {
            let n = ours.len().min(dc.rows.len());
            let show = |r: Option<&String>| r.map_or("<none>".into(), |s| s.replace('\t', " "));
            out.fail(format!(
                "{what}: pyopt has {} instructions, dis {}; instruction {n}: pyopt `{}` != dis `{}`",
                ours.len(),
                dc.rows.len(),
                show(ours.get(n)),
                show(dc.rows.get(n))
            ));
        }
    }
}

/// The rows `dis_dump.py` prints, from pyopt's IR.
fn rows(ir: &CodeIr) -> Vec<String> {
    let table = ir.version.table();
    let offsets = ir.unit_offsets();
    // Jump arguments count bytes up to 3.9, code units from 3.10.
    let unit_bytes: i64 = if ir.version <= PyVersion::V3_9 { 2 } else { 1 };
    let positions = ir.version >= PyVersion::V3_11;
    let opt = |v: i32| {
        if v == NO_POS {
            "-".to_string()
        } else {
            v.to_string()
        }
    };
    ir.instrs
        .iter()
        .enumerate()
        .map(|(i, ins)| {
            let info = table
                .info(ins.op)
                .expect("decoded ops exist in their version");
            let op_unit = offsets[i] + ins.ext as u32;
            let (arg, target) = match info.jump {
                JumpKind::None => (
                    if info.has_arg {
                        ins.arg.to_string()
                    } else {
                        "-".into()
                    },
                    "-".to_string(),
                ),
                kind => {
                    let target = offsets[ins.arg as usize] as i64;
                    let end = (op_unit + 1 + info.caches as u32) as i64;
                    let raw = match kind {
                        JumpKind::Forward => target - end,
                        JumpKind::Backward => end - target,
                        _ => target,
                    } * unit_bytes;
                    (raw.to_string(), (2 * target).to_string())
                }
            };
            let mut row = format!(
                "{}\t{}\t{arg}\t{target}\t{}",
                2 * op_unit,
                ins.op.name(),
                opt(ins.loc.line)
            );
            if positions {
                let l = ins.loc;
                let _ = write!(
                    row,
                    "\t{}\t{}\t{}",
                    opt(l.end_line),
                    opt(l.col),
                    opt(l.end_col)
                );
            }
            row
        })
        .collect()
}
