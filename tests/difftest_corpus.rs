//! The corpus (`corpus/*.py`), differentially executed under every installed
//! CPython: compiled by the interpreter, optimized, and run original vs
//! optimized in the difftest worker.
//!
//! * at `safe` (strict comparison) and `aggressive` (results only) — today
//!   both pipelines are empty, so these check the harness end to end;
//! * with the test-only `test-pad-extended-args`, which rewrites nearly every
//!   code object (every offset, jump, line and exception table), strictly:
//!   stdout, stderr, exceptions, tracebacks with columns, line events and
//!   `main()` must all be identical;
//! * with the deliberately wrong `test-wrong-sub`: the corpus must notice,
//!   and `pyopt difftest` must bisect to that pass by name.

#![cfg(feature = "test-passes")]

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use pyopt::config::{self, CliOverrides, Level};
use pyopt::difftest::{self, Mode, Verdict, Worker};
use pyopt::opt::{Debug, Pipeline};
use pyopt::PyVersion;

/// Corpus programs: `(path, __main__ source, other modules)`. A directory
/// with a `__main__.py` is one multi-module program.
fn corpus() -> Vec<(PathBuf, String, Vec<difftest::Module>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .flatten()
        .map(|e| e.path())
        .filter(|p| (p.extension().is_some_and(|x| x == "py")) || p.join("__main__.py").is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            if p.is_dir() {
                let main = p.join("__main__.py");
                let src = std::fs::read_to_string(&main).expect("read __main__.py");
                let modules = difftest::modules_of(&p).expect("read package");
                (main, src, modules)
            } else {
                let src = std::fs::read_to_string(&p).expect("read corpus file");
                (p, src, Vec::new())
            }
        })
        .collect()
}

fn pipeline_for(level: Level, enable: &[&str]) -> Pipeline {
    let infos = pyopt::passes::infos();
    let cli = CliOverrides {
        level: Some(level),
        enable: enable.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let settings = config::resolve(&Default::default(), &cli, &infos).expect("settings");
    Pipeline::new(&settings.enabled, Debug::default()).with_level(level)
}

#[test]
fn corpus_behaves_the_same_on_every_version() {
    let files = corpus();
    assert!(
        files.len() >= 80,
        "corpus has only {} programs",
        files.len()
    );
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-worker");
    let mut failures = Vec::new();
    let mut total = 0;
    let mut wrong_caught = 0;
    for v in PyVersion::ALL {
        let Some(python) = common::require_or_skip(v.minor()) else {
            continue;
        };
        let mut worker = Worker::new(&python, &scratch, Duration::from_secs(30)).expect("worker");
        let runs = [
            ("safe", pipeline_for(Level::Safe, &[]), Mode::Strict),
            (
                "aggressive",
                pipeline_for(Level::Aggressive, &[]),
                Mode::ResultsOnly,
            ),
            (
                "test-pad-extended-args",
                pipeline_for(Level::Safe, &["test-pad-extended-args"]),
                Mode::Strict,
            ),
        ];
        let wrong = pipeline_for(Level::Safe, &["test-wrong-sub"]);
        let start = Instant::now();
        let mut checked = 0;
        let mut wrong_here = 0;
        let mut changed = 0;
        for (path, src, modules) in &files {
            if !difftest::runs_on(src, v) {
                continue;
            }
            let name = path.display().to_string();
            if !modules.is_empty() {
                for (label, pipeline, mode) in &runs {
                    if *label == "aggressive" && difftest::safe_only(src).is_some() {
                        continue;
                    }
                    checked += 1;
                    match difftest::check_program(&mut worker, src, &name, modules, pipeline, *mode)
                    {
                        Verdict::Same { changed: c } => changed += c as usize,
                        other => failures.push(format!("{v} {name} [{label}]: {other:?}")),
                    }
                }
                if matches!(
                    difftest::check_program(
                        &mut worker,
                        src,
                        &name,
                        modules,
                        &wrong,
                        Mode::ResultsOnly
                    ),
                    Verdict::Different(_) | Verdict::OptimizedFailed(_)
                ) {
                    wrong_caught += 1;
                    wrong_here += 1;
                }
                continue;
            }
            let pyc = match worker.compile(src, &name) {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!("{v} {name}: does not compile: {e}"));
                    continue;
                }
            };
            for (label, pipeline, mode) in &runs {
                if *label == "aggressive" && difftest::safe_only(src).is_some() {
                    continue;
                }
                checked += 1;
                match difftest::check_pyc(&mut worker, &pyc, &name, pipeline, *mode) {
                    Verdict::Same { changed: c } => changed += c as usize,
                    other => failures.push(format!("{v} {name} [{label}]: {other:?}")),
                }
            }
            if matches!(
                difftest::check_pyc(&mut worker, &pyc, &name, &wrong, Mode::ResultsOnly),
                Verdict::Different(_) | Verdict::OptimizedFailed(_)
            ) {
                wrong_caught += 1;
                wrong_here += 1;
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{v}: {checked} corpus checks ({changed} with changed code) in {secs:.1}s, {:.0} checks/s; \
             the wrong pass was caught by {wrong_here} programs",
            checked as f64 / secs.max(1e-9)
        );
        // The deliberately wrong pass must be caught under every version.
        if checked > 0 && wrong_here == 0 {
            failures.push(format!(
                "{v}: no corpus program noticed that a - b became a + b"
            ));
        }
        total += checked;
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    if total > 0 {
        assert!(
            wrong_caught > 0,
            "no corpus program noticed that a - b became a + b"
        );
        println!("the wrong pass was caught by {wrong_caught} program runs");
    }
}

#[test]
fn difftest_command_bisects_to_the_wrong_pass() {
    let Some(_) = common::require_or_skip(12) else {
        return;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("difftest-cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("prog.py"),
        "def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n\nprint(add(2, 3), sub(7, 4))\n",
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_pyopt"))
        .args(["difftest", "--python", "3.12", "--enable"])
        .arg("test-pad-extended-args,test-wrong-sub")
        .arg(&dir)
        .output()
        .expect("run pyopt");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("DIFFERENT"), "{text}");
    assert!(
        text.contains("pass test-wrong-sub on code object sub"),
        "bisection did not name the pass and code object:\n{text}"
    );
    // A correct pass alone: no difference, exit 0.
    let out = Command::new(env!("CARGO_BIN_EXE_pyopt"))
        .args([
            "difftest",
            "--python",
            "3.12",
            "--enable",
            "test-pad-extended-args",
        ])
        .arg(&dir)
        .output()
        .expect("run pyopt");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_hanging_program_is_reported_not_waited_for() {
    let Some(python) = common::require_or_skip(12) else {
        return;
    };
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hang-worker");
    let mut worker = Worker::new(&python, &scratch, Duration::from_secs(2)).expect("worker");
    let pipeline = pipeline_for(Level::Safe, &["test-pad-extended-args"]);
    let start = Instant::now();
    let v = difftest::check_source(
        &mut worker,
        "while True:\n    pass\n",
        "hang.py",
        &pipeline,
        Mode::Strict,
    );
    assert!(
        matches!(&v, Verdict::Unusable(why) if why.contains("timed out")),
        "{v:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(10));
    // The worker restarts for the next request.
    let v = difftest::check_source(&mut worker, "print(1)\n", "ok.py", &pipeline, Mode::Strict);
    assert!(matches!(v, Verdict::Same { .. }), "{v:?}");
}

#[test]
fn difftest_tree_mode_names_file_code_object_and_pass() {
    let Some(python) = common::require_or_skip(12) else {
        return;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("difftest-tree");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("pkg")).expect("dir");
    std::fs::write(
        dir.join("pkg/__init__.py"),
        "from .calc import diff, total\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("pkg/calc.py"),
        "def diff(a, b):\n    return a - b\n\ndef total(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("run.py"),
        "import pkg\nprint(pkg.diff(10, 4), pkg.total([1, 2, 3]))\n",
    )
    .expect("write");
    let status = Command::new(&python)
        .args(["-m", "compileall", "-q"])
        .arg(&dir)
        .status()
        .expect("compileall");
    assert!(status.success());
    let before: Vec<Vec<u8>> = [
        "pkg/__pycache__/calc.cpython-312.pyc",
        "pkg/__pycache__/__init__.cpython-312.pyc",
    ]
    .iter()
    .map(|p| std::fs::read(dir.join(p)).expect("pyc"))
    .collect();
    let run = |enable: &str| {
        Command::new(env!("CARGO_BIN_EXE_pyopt"))
            .args(["difftest", "--enable", enable])
            .arg(&dir)
            .arg("--")
            .arg(&python)
            .arg("run.py")
            .output()
            .expect("run pyopt")
    };
    let ok = run("test-pad-extended-args");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let bad = run("test-pad-extended-args,test-wrong-sub");
    let text = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{text}");
    assert!(
        text.contains("pass test-wrong-sub on code object diff in")
            && text.contains("calc.cpython-312.pyc"),
        "{text}"
    );
    // The user's tree is never modified.
    let after: Vec<Vec<u8>> = [
        "pkg/__pycache__/calc.cpython-312.pyc",
        "pkg/__pycache__/__init__.cpython-312.pyc",
    ]
    .iter()
    .map(|p| std::fs::read(dir.join(p)).expect("pyc"))
    .collect();
    assert_eq!(before, after);
}

#[test]
fn multi_module_programs_import_their_own_modules() {
    let Some(python) = common::require_or_skip(13) else {
        return;
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/950_pkg_imports");
    let modules = difftest::modules_of(&dir).expect("modules");
    let names: Vec<&str> = modules.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["app", "app.sub", "app.sub.deep", "app.util"]);
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pkg-worker");
    let mut worker = Worker::new(&python, &scratch, Duration::from_secs(20)).expect("worker");
    let main = dir.join("__main__.py");
    let src = std::fs::read_to_string(&main).expect("main");
    let name = main.display().to_string();
    let pyc = worker.compile(&src, &name).expect("compile");
    let mods: Vec<(String, Vec<u8>, String, bool)> = modules
        .iter()
        .map(|m| {
            let pyc = worker
                .compile(&m.source, &m.filename)
                .expect("compile module");
            (m.name.clone(), pyc, m.filename.clone(), m.package)
        })
        .collect();
    let obs = worker
        .run_with_modules(&pyc, &name, true, &mods)
        .expect("run");
    assert_eq!(obs.exception, None, "{obs:?}");
    assert!(obs.stdout.contains("hello, pyopt (4)"), "{}", obs.stdout);
    assert!(
        obs.lines.iter().any(|l| l.starts_with("walk:")),
        "events inside the modules are traced"
    );
}

#[test]
fn a_crash_of_the_optimized_run_is_a_failure() {
    let Some(python) = common::require_or_skip(12) else {
        return;
    };
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("crash-worker");
    let mut worker = Worker::new(&python, &scratch, Duration::from_secs(20)).expect("worker");
    let pipeline = pipeline_for(Level::Safe, &["test-unchecked-load"]);
    let src = "def f(flag):\n    if flag:\n        x = 1\n    return x\n\ntry:\n    f(False)\nexcept UnboundLocalError as e:\n    print('unbound', type(e).__name__)\n";
    let v = difftest::check_source(&mut worker, src, "crash.py", &pipeline, Mode::Strict);
    assert!(
        matches!(&v, Verdict::OptimizedFailed(why) if why.contains("crashed")),
        "{v:?}"
    );
    // The worker comes back for the next program.
    let v = difftest::check_source(&mut worker, "print(2)\n", "ok.py", &pipeline, Mode::Strict);
    assert!(matches!(v, Verdict::Same { .. }), "{v:?}");
}
