//! Golden before/after listings of each pass, per CPython version.
//!
//! For every `tests/golden/<dir>/input.py` and every installed version, the
//! input is compiled by that interpreter, optimized with the pass `<dir>`
//! alone at `safe` (or with the passes and level in `<dir>/pipeline.txt`),
//! and the `pyopt dis` listings before and after are compared with
//! `tests/golden/<dir>/3.X.txt`. `BLESS=1 cargo test --test golden` rewrites
//! the snapshots (review the diff before committing them). Each input is
//! also run before and after under the interpreter and must behave the same
//! (output, exceptions, and at `safe` the `sys.settrace` line events).
//!
//! Passes that exist to mimic an interpreter flag are also checked against
//! it: `strip-docstrings` output must print what `python -OO` prints.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use pyopt::config::Level;
use pyopt::difftest::{self, Mode, Verdict, Worker};
use pyopt::opt::{Debug, Pipeline};
use pyopt::PyVersion;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// What a golden directory runs: its own name as the only pass at `safe`,
/// or what its `pipeline.txt` says (`passes: a b c`, `level: aggressive`
/// and optionally `input: ../dir/input.py` lines), for snapshots of passes
/// working together.
struct Spec {
    passes: Vec<String>,
    level: Level,
    title: String,
    /// `input.py` of the directory, or the one `input: ../other/input.py`
    /// names (to snapshot the same input through another pipeline).
    input: PathBuf,
}

impl Spec {
    fn read(dir: &std::path::Path, name: &str) -> Spec {
        let Ok(text) = std::fs::read_to_string(dir.join("pipeline.txt")) else {
            return Spec {
                passes: vec![name.to_string()],
                level: Level::Safe,
                title: name.to_string(),
                input: dir.join("input.py"),
            };
        };
        let mut passes = Vec::new();
        let mut level = Level::Safe;
        let mut input = dir.join("input.py");
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("input:") {
                input = dir.join(rest.trim());
            }
            if let Some(rest) = line.strip_prefix("passes:") {
                passes = rest.split_whitespace().map(str::to_string).collect();
            } else if let Some(rest) = line.strip_prefix("level:") {
                level = match rest.trim() {
                    "safe" => Level::Safe,
                    "aggressive" => Level::Aggressive,
                    other => panic!("{name}/pipeline.txt: unknown level {other}"),
                };
            }
        }
        assert!(!passes.is_empty(), "{name}/pipeline.txt: no passes line");
        let title = format!("{} at {}", passes.join(" + "), level);
        Spec {
            passes,
            level,
            title,
            input,
        }
    }
}

fn listing(pyc: &[u8]) -> String {
    pyopt::dis::disassemble(pyc, None).expect("disassemble")
}

#[test]
fn golden_listings_match() {
    let bless = std::env::var("BLESS").is_ok_and(|v| v == "1");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut passes: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("tests/golden")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("input.py").is_file() || p.join("pipeline.txt").is_file())
        .collect();
    passes.sort();
    for dir in passes {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        let spec = Spec::read(&dir, &name);
        for p in &spec.passes {
            assert!(
                pyopt::passes::find(p).is_some(),
                "tests/golden/{name}: no such pass {p}"
            );
        }
        let source = std::fs::read_to_string(&spec.input).expect("input.py");
        for v in PyVersion::ALL {
            // Inputs may need a newer version (`# min-version: 3.10`).
            if !difftest::runs_on(&source, v) {
                continue;
            }
            let Some(python) = common::require_or_skip(v.minor()) else {
                continue;
            };
            let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden-worker");
            let mut worker =
                Worker::new(&python, &scratch, Duration::from_secs(20)).expect("worker");
            let pyc = worker.compile(&source, "input.py").expect("compile");
            let names: Vec<&str> = spec.passes.iter().map(String::as_str).collect();
            let pipeline = Pipeline::new(&names, Debug::default()).with_level(spec.level);
            let (_, out) = pyopt::opt::optimize_bytes(&pyc, &pipeline, false).expect("optimize");
            let after = out.unwrap_or_else(|| pyc.clone());
            // The snapshot is also a differential test: the optimized input
            // must behave like the original (line events included at safe).
            let mode = if spec.level >= Level::Aggressive {
                Mode::ResultsOnly
            } else {
                Mode::Strict
            };
            // (Opt-in passes change behaviour on purpose; strip-docstrings
            // has its own comparison with `python -OO` below.)
            let opt_in = pipeline.passes.iter().any(|p| p.level() == Level::OptIn);
            if !opt_in {
                match difftest::check_pyc(&mut worker, &pyc, "input.py", &pipeline, mode) {
                    Verdict::Same { .. } => {}
                    other => {
                        failures.push(format!("{name} on {v}: behaves differently: {other:?}"))
                    }
                }
            }
            let text = format!(
                "# {} on CPython {v}\n\n=== before\n{}\n=== after\n{}",
                spec.title,
                listing(&pyc),
                listing(&after)
            );
            let file = dir.join(format!("{v}.txt"));
            if bless {
                std::fs::write(&file, &text).expect("write snapshot");
            } else {
                match std::fs::read_to_string(&file) {
                    Ok(expected) if expected == text => {}
                    Ok(_) => failures.push(format!(
                        "{}: listing differs (BLESS=1 to update)",
                        file.display()
                    )),
                    Err(_) => {
                        failures.push(format!("{}: missing (BLESS=1 to create)", file.display()))
                    }
                }
            }
            checked += 1;
        }
    }
    println!("{checked} golden listings checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn strip_docstrings_prints_what_python_oo_prints() {
    let input = golden_dir().join("strip-docstrings/input.py");
    let source = std::fs::read_to_string(&input).expect("input.py");
    for v in PyVersion::ALL {
        let Some(python) = common::require_or_skip(v.minor()) else {
            continue;
        };
        let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("oo-worker");
        let mut worker = Worker::new(&python, &scratch, Duration::from_secs(20)).expect("worker");
        let pyc = worker.compile(&source, "input.py").expect("compile");
        let pipeline = Pipeline::new(&["strip-docstrings"], Debug::default());
        let (_, out) = pyopt::opt::optimize_bytes(&pyc, &pipeline, false).expect("optimize");
        let stripped = out.expect("docstrings were stripped");
        let ours = worker.run(&stripped, "input.py", false).expect("run");
        let oo = Command::new(&python)
            .arg("-OO")
            .arg(&input)
            .output()
            .expect("python -OO");
        assert_eq!(ours.exception, None, "{v}");
        assert_eq!(
            ours.stdout,
            String::from_utf8_lossy(&oo.stdout),
            "{v}: differs from python -OO"
        );
        let plain = worker.run(&pyc, "input.py", false).expect("run");
        assert_ne!(
            plain.stdout, ours.stdout,
            "{v}: the input has docstrings to strip"
        );
    }
}
