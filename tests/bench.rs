//! `pyopt bench TREE -- CMD`: the report's structure, executed-instruction
//! counts, a failing command named with its side, and that the user's tree
//! is never modified. No test asserts a time: times are not deterministic.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// A scratch directory under the target dir, fresh for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// The interpreter the tests use: CPython 3.13 (3.12+ counts instructions).
fn python() -> Option<PathBuf> {
    common::require_or_skip(13)
}

/// A tree with one module whose function const-propagation rewrites, compiled.
fn tree(python: &Path, name: &str) -> PathBuf {
    let dir = scratch(name).join("tree");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("m.py"),
        "def f():\n    t = 0\n    k = 7\n    for i in range(2000):\n        if k:\n            t += k + i\n    return t\n",
    )
    .unwrap();
    let o = Command::new(python)
        .args(["-m", "compileall", "-q"])
        .arg(&dir)
        .output()
        .expect("run compileall");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

/// Every file under `dir`: relative path -> hash of its bytes and mtime.
fn hashes(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let mut h = Sha256::new();
            h.update(std::fs::read(e.path()).unwrap());
            let mtime = e.metadata().unwrap().modified().unwrap();
            h.update(format!("{mtime:?}"));
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                format!("{:x}", h.finalize()),
            )
        })
        .collect()
}

fn bench(tree: &Path, flags: &[&str], cmd: &[&str]) -> common::Run {
    common::finish(
        Command::new(env!("CARGO_BIN_EXE_pyopt"))
            .arg("bench")
            .arg(tree)
            .args(flags)
            .arg("--")
            .args(cmd),
    )
}

fn json(run: &common::Run) -> serde_json::Value {
    assert_eq!(run.code, Some(0), "{run}");
    serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("not JSON ({e}): {run}"))
}

const VERDICTS: [&str; 3] = ["faster", "slower", "no measurable difference"];

#[test]
fn identical_trees_report_structure_and_equal_instruction_counts() {
    let Some(py) = python() else { return };
    let tree = tree(&py, "bench-identical");
    let py = py.to_str().unwrap();
    let run = bench(
        &tree,
        &[
            "--disable",
            "all",
            "--runs",
            "5",
            "--warmup",
            "1",
            "--json",
            "--count-instructions",
        ],
        &[py, "-c", "import m; m.f()"],
    );
    let v = json(&run);
    assert_eq!(v["schema"], "pyopt-bench");
    assert_eq!(v["runs"], 5);
    assert_eq!(v["optimize"]["changed"], 0, "{run}");
    let sides = v["sides"].as_object().unwrap();
    assert_eq!(
        sides.keys().collect::<Vec<_>>(),
        ["control", "optimized", "original"]
    );
    for (name, side) in sides {
        assert_eq!(side["runs"].as_array().unwrap().len(), 5, "{name}");
        for metric in ["wall_s", "cpu_s", "max_rss_kb"] {
            let s = &side[metric];
            let (lo, med, hi) = (
                s["min"].as_f64().unwrap(),
                s["median"].as_f64().unwrap(),
                s["max"].as_f64().unwrap(),
            );
            assert!(lo <= med && med <= hi, "{name} {metric}: {s}");
        }
        assert!(side["wall_s"]["min"].as_f64().unwrap() > 0.0);
    }
    // Identical trees execute the same instructions, exactly.
    let count = |s: &str| {
        sides[s]["instructions"]
            .as_u64()
            .expect("instruction count")
    };
    assert!(count("original") > 1000, "{run}");
    assert_eq!(count("optimized"), count("original"));
    assert_eq!(count("control"), count("original"));
    let units = |s: &str| sides[s]["code_units"].as_u64().expect("code units");
    assert!(units("original") >= count("original"), "{run}");
    assert_eq!(units("optimized"), units("original"));
    assert_eq!(units("control"), units("original"));
    for metric in ["wall", "cpu"] {
        let m = &v[metric];
        for r in ["optimized_vs_original", "control_vs_original"] {
            let (lo, med, hi) = (
                m[r]["ci95_low"].as_f64().unwrap(),
                m[r]["median"].as_f64().unwrap(),
                m[r]["ci95_high"].as_f64().unwrap(),
            );
            assert!(0.0 < lo && lo <= med && med <= hi, "{metric} {r}: {m}");
        }
        assert!(VERDICTS.contains(&m["verdict"].as_str().unwrap()), "{m}");
    }
    assert!(VERDICTS.contains(&v["verdict"].as_str().unwrap()));
}

/// `pyopt bench` of `tree` with only `pass` enabled (by a config file
/// outside the tree), one timed run, counting: the JSON report.
fn bench_with_only(python: &Path, tree: &Path, pass: &str) -> serde_json::Value {
    let config = tree.parent().unwrap().join(format!("{pass}.toml"));
    std::fs::write(&config, format!("[passes]\nall = false\n{pass} = true\n")).unwrap();
    let run = bench(
        tree,
        &[
            "--config",
            config.to_str().unwrap(),
            "--runs",
            "1",
            "--warmup",
            "0",
            "--json",
            "--count-instructions",
        ],
        &[python.to_str().unwrap(), "-c", "import m; m.f()"],
    );
    let v = json(&run);
    assert_eq!(v["optimize"]["changed"], 1, "{pass}: {run}");
    assert_eq!(v["optimize"]["passes_enabled"], 1, "{pass}: {run}");
    v
}

/// (instructions, code units) of a side.
fn executed(v: &serde_json::Value, side: &str) -> (u64, u64) {
    let s = &v["sides"][side];
    (
        s["instructions"]
            .as_u64()
            .unwrap_or_else(|| panic!("{side}: {v}")),
        s["code_units"]
            .as_u64()
            .unwrap_or_else(|| panic!("{side}: {v}")),
    )
}

/// A slowing pass (`test-pad-loop-nops`: 4 NOPs at each loop head) makes the
/// optimized side execute more, and `EXTENDED_ARG 0` prefixes
/// (`test-pad-extended-args`) more code units for the same instructions:
/// on 3.13 (sys.monitoring) and 3.8 (sys.settrace opcode events).
#[test]
fn slowing_passes_show_as_more_executed_code() {
    for minor in [13, 8] {
        let Some(py) = common::require_or_skip(minor) else {
            continue;
        };
        let tree = tree(&py, &format!("bench-slower-3{minor}"));

        let v = bench_with_only(&py, &tree, "test-pad-loop-nops");
        let (orig_i, orig_u) = executed(&v, "original");
        let (opt_i, opt_u) = executed(&v, "optimized");
        assert_eq!(executed(&v, "control"), (orig_i, orig_u), "3.{minor}: {v}");
        assert!(orig_i > 1000 && orig_u >= orig_i, "3.{minor}: {v}");
        // `for i in range(2000)` enters its head 2001 times (once from
        // above, 2000 times from the back edge): 4 NOPs each.
        assert_eq!(opt_i - orig_i, 4 * 2001, "3.{minor}: {v}");
        assert_eq!(opt_u - orig_u, 4 * 2001, "3.{minor}: {v}");

        let v = bench_with_only(&py, &tree, "test-pad-extended-args");
        let (orig_i, orig_u) = executed(&v, "original");
        let (opt_i, opt_u) = executed(&v, "optimized");
        assert_eq!(
            opt_i, orig_i,
            "3.{minor}: prefixes are no instructions: {v}"
        );
        // Every iteration runs padded LOAD_FAST/STORE_FAST instructions.
        assert!(
            opt_u >= orig_u + 2000,
            "3.{minor}: prefixes are code units: {v}"
        );
    }
}

#[test]
fn fewer_than_five_runs_never_give_a_verdict() {
    let Some(py) = python() else { return };
    let tree = tree(&py, "bench-few");
    let run = bench(
        &tree,
        &["--runs", "2", "--warmup", "0"],
        &[py.to_str().unwrap(), "-c", "import m"],
    );
    assert_eq!(run.code, Some(0), "{run}");
    assert!(
        run.out
            .contains("verdict: no measurable difference (fewer than 5 runs"),
        "{run}"
    );
    for side in ["A optimized", "B original", "C control"] {
        assert!(run.out.contains(side), "{run}");
    }
}

#[test]
fn optimized_tree_executes_fewer_instructions_and_the_tree_is_unchanged() {
    let Some(py) = python() else { return };
    let tree = tree(&py, "bench-unchanged");
    let before = hashes(&tree);
    let run = bench(
        &tree,
        &[
            "--level",
            "aggressive",
            "--runs",
            "3",
            "--json",
            "--count-instructions",
        ],
        // `{}` is the copy's path.
        &[
            py.to_str().unwrap(),
            "-c",
            "import os, sys; assert sys.argv[1] == os.environ['PYOPT_BENCH_TREE'] == os.getcwd(); \
             import m; assert m.__file__ == os.path.join(sys.argv[1], 'm.py'); m.f()",
            "{}",
        ],
    );
    let v = json(&run);
    assert_eq!(before, hashes(&tree), "bench modified the tree");
    assert_eq!(v["optimize"]["changed"], 1, "{run}");
    let count = |s: &str| v["sides"][s]["instructions"].as_u64().expect("count");
    assert!(count("optimized") < count("original"), "{run}");
    assert_eq!(count("control"), count("original"));
    // The copies are gone.
    for side in ["optimized", "original", "control"] {
        let path = v["sides"][side]["path"].as_str().unwrap();
        assert!(!Path::new(path).exists(), "{path} left behind");
    }
}

#[test]
fn failing_command_exits_2_naming_the_side() {
    let Some(py) = python() else { return };
    let tree = tree(&py, "bench-fails");
    let before = hashes(&tree);
    // Fails only in the original copy (B), found through PYOPT_BENCH_TREE.
    let run = bench(
        &tree,
        &["--runs", "2"],
        &[
            py.to_str().unwrap(),
            "-c",
            "import os, sys; print('oops', file=sys.stderr); \
             sys.exit(7 if '/b/' in os.environ['PYOPT_BENCH_TREE'] else 0)",
        ],
    );
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.err.contains("failed on the original copy (side B)"),
        "{run}"
    );
    assert!(run.err.contains("exit status 7"), "{run}");
    assert!(run.err.contains("oops"), "{run}");
    assert!(run.err.contains("sys.exit"), "the command is named: {run}");
    assert_eq!(before, hashes(&tree));
    // A run that takes longer than --timeout is killed and is a failure.
    let start = std::time::Instant::now();
    let run = bench(&tree, &["--timeout", "1"], &["sleep", "60"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.err
            .contains("failed on the optimized copy (side A): timed out after 1s"),
        "{run}"
    );
    assert!(start.elapsed().as_secs() < 50, "not killed: {run}");
    // A command that cannot start is bad input too.
    let run = bench(&tree, &[], &["/nonexistent/pyopt-bench-cmd"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.err.contains("cannot run"), "{run}");
}

#[test]
fn a_tree_holding_the_temporary_directory_is_refused() {
    let dir = scratch("bench-tmp-inside");
    std::fs::create_dir_all(dir.join("tmp")).unwrap();
    let run = common::finish(
        Command::new(env!("CARGO_BIN_EXE_pyopt"))
            .args(["bench", "--runs", "1"])
            .arg(&dir)
            .args(["--", "true"])
            .env("TMPDIR", dir.join("tmp")),
    );
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.err.contains("contains the temporary directory"),
        "{run}"
    );
    assert_eq!(
        std::fs::read_dir(dir.join("tmp")).unwrap().count(),
        0,
        "nothing copied"
    );
}

#[test]
fn help_documents_how_cmd_sees_the_tree() {
    let run = common::finish(Command::new(env!("CARGO_BIN_EXE_pyopt")).args(["bench", "--help"]));
    assert_eq!(run.code, Some(0), "{run}");
    for needle in [
        "{}",
        "PYOPT_BENCH_TREE",
        "PYTHONPATH",
        "--count-instructions",
    ] {
        assert!(run.out.contains(needle), "--help lacks {needle}: {run}");
    }
}
