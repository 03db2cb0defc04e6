//! The `pyopt` command line: exit codes, summaries, errors that name the
//! file, and that bad files do not stop a run over a tree.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pyopt::roundtrip::PycFile;

fn pyopt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyopt"))
        .args(args)
        .output()
        .expect("run pyopt")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A scratch directory under the target dir, fresh for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// A few real .pyc files of one interpreter's stdlib, copied into `dir`.
fn copy_stdlib_pycs(minor: u8, dir: &Path) -> Option<Vec<PathBuf>> {
    let python = common::require_or_skip(minor)?;
    let root = python.parent()?.parent()?;
    let cache = root
        .join("lib")
        .join(format!("python3.{minor}"))
        .join("__pycache__");
    let mut out = Vec::new();
    for module in ["bisect", "keyword", "colorsys", "json/__init__"] {
        let (sub, name) = match module.split_once('/') {
            Some((pkg, m)) => (cache.parent()?.join(pkg).join("__pycache__"), m),
            None => (cache.clone(), module),
        };
        let src = sub.join(format!("{name}.cpython-3{minor}.pyc"));
        let dst = dir.join(format!(
            "{}_{name}.cpython-3{minor}.pyc",
            module.replace('/', "_")
        ));
        std::fs::copy(&src, &dst).unwrap_or_else(|e| panic!("copy {}: {e}", src.display()));
        out.push(dst);
    }
    Some(out)
}

#[test]
fn help_explains_every_command() {
    let o = pyopt(&["--help"]);
    assert!(o.status.success());
    let (out, _) = text(&o);
    for cmd in ["roundtrip", "dis", "verify", "bench"] {
        assert!(out.contains(cmd), "--help lacks {cmd}:\n{out}");
    }
    let o = pyopt(&["roundtrip", "--help"]);
    let (out, _) = text(&o);
    assert!(out.contains("byte-identical"), "{out}");
}

#[test]
fn roundtrip_of_clean_files_succeeds_with_a_summary() {
    let dir = scratch("cli_clean");
    let mut n = 0;
    for minor in [8u8, 13] {
        if let Some(files) = copy_stdlib_pycs(minor, &dir) {
            n += files.len();
        }
    }
    if n == 0 {
        return;
    }
    let o = pyopt(&["roundtrip", dir.to_str().expect("utf-8 path")]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.contains("identical"), "{out}");
    assert!(out.contains(&format!("{n} files in")), "{out}");
}

#[test]
fn bad_files_are_reported_by_name_and_the_run_continues() {
    let dir = scratch("cli_bad");
    let Some(good) = copy_stdlib_pycs(12, &dir) else {
        return;
    };
    let data = std::fs::read(&good[0]).expect("read");
    std::fs::write(dir.join("truncated.pyc"), &data[..data.len() / 2]).expect("write");
    let mut future = data.clone();
    future[..4].copy_from_slice(&[0x47, 0x0e, 0x0d, 0x0a]);
    std::fs::write(dir.join("future.pyc"), &future).expect("write");
    std::fs::write(dir.join("empty.pyc"), b"").expect("write");
    let o = pyopt(&["roundtrip", dir.to_str().expect("utf-8 path")]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        err.contains("truncated.pyc") && err.contains("truncated"),
        "{err}"
    );
    assert!(err.contains("future.pyc") && err.contains("3.15"), "{err}");
    assert!(err.contains("empty.pyc"), "{err}");
    // The good files were still checked and counted.
    assert!(out.contains(&format!("{}", good.len())), "{out}");
    assert!(out.contains("errors"), "{out}");
}

#[test]
fn missing_path_is_an_error() {
    let o = pyopt(&["roundtrip", "/definitely/not/here"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("/definitely/not/here"), "{err}");
}

#[test]
fn dis_shows_instructions_with_resolved_arguments() {
    let dir = scratch("cli_dis");
    for minor in [8u8, 11, 13] {
        let Some(files) = copy_stdlib_pycs(minor, &dir) else {
            continue;
        };
        let bisect = files
            .iter()
            .find(|p| p.to_string_lossy().contains("bisect"))
            .expect("bisect copied");
        let o = pyopt(&[
            "dis",
            bisect.to_str().expect("utf-8"),
            "--function",
            "bisect_right",
        ]);
        let (out, err) = text(&o);
        assert!(o.status.success(), "{err}");
        assert!(out.contains("## bisect_right"), "{out}");
        assert!(
            out.contains("LOAD_FAST") && out.contains("(lo)"),
            "3.{minor}:\n{out}"
        );
        assert!(out.contains("-> "), "jump targets shown:\n{out}");
        assert!(!out.contains("## insort_right"), "filter ignored:\n{out}");
    }
}

#[test]
fn verify_reports_a_stack_size_that_is_too_small() {
    let dir = scratch("cli_verify");
    let Some(files) = copy_stdlib_pycs(12, &dir) else {
        return;
    };
    let o = pyopt(&["verify", dir.to_str().expect("utf-8")]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");

    // Rewrite one file with co_stacksize 0 for its module code object.
    let data = std::fs::read(&files[0]).expect("read");
    let mut file = PycFile::parse(&data).expect("parse");
    file.module.arena.codes[0].stacksize = 0;
    let mut bad = Vec::new();
    file.write(&mut bad).expect("encode");
    let bad_path = dir.join("small_stack.pyc");
    std::fs::write(&bad_path, &bad).expect("write");
    let o = pyopt(&["verify", bad_path.to_str().expect("utf-8")]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("small_stack.pyc") && out.contains("co_stacksize 0"),
        "{out}"
    );
}

/// `--dump-after PASS` prints the CFG after each application of PASS that
/// changed something; `-v` prints per-pass runs, changes and time, and the
/// CFG builds and verifications with their time.
#[cfg(feature = "test-passes")]
#[test]
fn dump_after_and_pass_statistics() {
    let dir = scratch("cli_dump");
    let Some(files) = copy_stdlib_pycs(13, &dir) else {
        return;
    };
    let o = pyopt(&[
        "optimize",
        "--dry-run",
        "-v",
        "--enable",
        "test-pad-extended-args",
        "--dump-after",
        "test-pad-extended-args",
        files[0].to_str().expect("utf-8"),
    ]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(err.contains("# after test-pad-extended-args: "), "{err}");
    assert!(err.contains("B0:") && err.contains("LOAD_CONST"), "{err}");
    let stats = out
        .lines()
        .find(|l| l.trim_start().starts_with("test-pad-extended-args"))
        .unwrap_or_else(|| panic!("no statistics line:\n{out}"));
    let numbers: Vec<u64> = stats
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        numbers.len() >= 2 && numbers[0] > 0 && numbers[1] > 0,
        "{stats}"
    );
    // The work around the passes: every changed code object had its CFG
    // built and its result verified, and none was rejected.
    let stage = |name: &str| -> Vec<u64> {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no {name} line:\n{out}"));
        line.split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect()
    };
    let build = stage("(build CFG)");
    let verify = stage("(verify)");
    assert!(build.first().is_some_and(|&n| n > 0), "{out}");
    assert!(
        verify.len() >= 2 && verify[0] > 0 && verify[0] <= build[0] && verify[1] == 0,
        "{out}"
    );
    // An unknown pass name is an error that names it.
    let o = pyopt(&[
        "optimize",
        "--dump-after",
        "no-such-pass",
        files[0].to_str().expect("utf-8"),
    ]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("no-such-pass"), "{err}");
}

/// A rewritten file keeps its permissions and (where the run may set it) its owner.
#[cfg(unix)]
#[test]
fn rewritten_files_keep_mode_and_owner() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = scratch("cli_owner");
    let Some(files) = copy_stdlib_pycs(12, &dir) else {
        return;
    };
    // json/__init__ has a module docstring, so strip-docstrings changes it.
    let target = files
        .iter()
        .find(|p| p.to_string_lossy().contains("json"))
        .expect("json copied");
    std::fs::set_permissions(target, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let owner_changed = std::os::unix::fs::chown(target, Some(1234), Some(2345)).is_ok();
    let before = std::fs::metadata(target).expect("stat");
    let o = pyopt(&[
        "optimize",
        "--enable",
        "strip-docstrings",
        target.to_str().expect("utf-8"),
    ]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("1 optimized"), "{out}");
    let after = std::fs::metadata(target).expect("stat");
    assert_eq!(after.permissions().mode() & 0o777, 0o640);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    if !owner_changed {
        println!("not root: owner preservation only checked for the current user");
    }
}

/// Every `--fsync` mode rewrites the file with its mode and owner kept,
/// leaves no temporary file and names itself in the report; an unknown mode
/// is refused before anything is read.
#[test]
fn every_fsync_mode_writes_and_is_reported() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    for mode in ["always", "batch", "never"] {
        let dir = scratch(&format!("cli_fsync_{mode}"));
        let Some(files) = copy_stdlib_pycs(12, &dir) else {
            return;
        };
        let target = files
            .iter()
            .find(|p| p.to_string_lossy().contains("json"))
            .expect("json copied");
        std::fs::set_permissions(target, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let old = std::fs::read(target).expect("read");
        let before = std::fs::metadata(target).expect("stat");
        let report = dir.join("report.json");
        let o = pyopt(&[
            "optimize",
            "--enable",
            "strip-docstrings",
            "--fsync",
            mode,
            "--report",
            report.to_str().expect("utf-8"),
            target.to_str().expect("utf-8"),
        ]);
        let (out, err) = text(&o);
        assert!(o.status.success(), "{mode}: {out}\n{err}");
        assert!(out.contains("1 optimized"), "{mode}: {out}");
        assert_ne!(
            std::fs::read(target).expect("read"),
            old,
            "{mode}: not rewritten"
        );
        let after = std::fs::metadata(target).expect("stat");
        assert_eq!(after.permissions().mode() & 0o777, 0o640, "{mode}");
        assert_eq!(
            (after.uid(), after.gid()),
            (before.uid(), before.gid()),
            "{mode}"
        );
        let names: Vec<String> = std::fs::read_dir(&dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".pyopt-tmp-"))
            .collect();
        assert!(names.is_empty(), "{mode}: temporary files left: {names:?}");
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&report).expect("read report")).expect("json");
        assert_eq!(json["fsync"], mode, "{mode}");
    }
    let o = pyopt(&["optimize", "--fsync", "sometimes", "."]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}\n{err}");
    assert!(err.contains("always, batch or never"), "{err}");
}

/// `PYOPT_PYTHON3_X` names the interpreter of a version: with it, `pyopt
/// difftest --python 3.X` runs under that file even when nothing on PATH
/// or under pyenv is 3.X; a missing file is reported, not skipped silently.
#[test]
fn interpreter_named_by_environment_variable() {
    // Any installed version will do; 3.14 (pyodide) is the case it exists for.
    let Some((minor, python)) = [14u8, 13, 12, 11, 10, 9, 8]
        .into_iter()
        .find_map(|m| common::find_python(m).map(|p| (m, p)))
    else {
        let _ = common::require_or_skip(13);
        return;
    };
    let program = common::repo()
        .join("corpus")
        .join("001_const_signed_zero.py");
    let version = format!("3.{minor}");
    let var = format!("PYOPT_PYTHON3_{minor}");
    let run = |value: &Path| {
        Command::new(env!("CARGO_BIN_EXE_pyopt"))
            .args(["difftest", "--python", &version])
            .arg(&program)
            .env(&var, value)
            // Nothing else to find it by.
            .env("PATH", "/usr/bin:/bin")
            .env("PYENV_ROOT", "/nonexistent")
            .output()
            .expect("run pyopt")
    };
    let o = run(&python);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        out.contains(&format!("{version}: 1 programs: 1 same")),
        "{out}"
    );
    let o = run(Path::new("/nonexistent/python"));
    let (out, err) = text(&o);
    assert_ne!(o.status.code(), Some(0), "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        err.contains(&var) && err.contains("no interpreter"),
        "{err}"
    );
}
