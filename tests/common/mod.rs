//! Helpers shared by the integration tests that run real CPython
//! interpreters (`mod common;` in the test file).
//!
//! Interpreters are found by the library's one rule,
//! [`pyopt::interpreters::find`]: `$PYOPT_PYTHON3_X` when set, else pyenv's
//! newest `$PYENV_ROOT/versions/3.X.Y/bin/python` (`PYENV_ROOT` defaulting
//! to `$HOME/.pyenv`), else for CPython 3.14 pyodide's WebAssembly build run
//! by Node.js through `tools/py314/bin/python3.14` (available once
//! `tools/py314/setup.sh` has installed it; `.ci/run` does), else
//! `python3.X` on `PATH`.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::PathBuf;

use pyopt::interpreters::{self, Lookup};
use pyopt::PyVersion;

/// Whether the environment variable `CI` is `true` (as CI services set it).
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
}

/// `$PYENV_ROOT`, or `$HOME/.pyenv` when unset or empty.
pub fn pyenv_root() -> Option<PathBuf> {
    interpreters::pyenv_root(&Lookup::current())
}

/// The interpreter of CPython `3.<minor>` ([`pyopt::interpreters::find`]).
pub fn find_python(minor: u8) -> Option<PathBuf> {
    PyVersion::from_minor(minor).and_then(interpreters::find)
}

/// The repository's pyodide-backed `python3.14`, if `tools/py314/setup.sh` ran.
pub fn py314() -> Option<PathBuf> {
    interpreters::pyodide(&repo())
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory of compiled standard-library `.pyc` files of a version:
/// `versions/3.X.Y/lib/python3.X` next to a pyenv interpreter; for pyodide's
/// 3.14, the corpus `tools/py314/make_corpus.sh` builds (its standard library
/// and the project's `corpus/` compiled at `-o 0/1/2`, cached under `target/`).
pub fn stdlib_pycs(minor: u8, python: &std::path::Path) -> PathBuf {
    if Some(python) == py314().as_deref() {
        let out = std::process::Command::new(repo().join("tools/py314/make_corpus.sh"))
            .output()
            .expect("run tools/py314/make_corpus.sh");
        assert!(
            out.status.success(),
            "tools/py314/make_corpus.sh failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    }
    // .../versions/3.X.Y/bin/python -> .../versions/3.X.Y/lib/python3.X
    let lib = python
        .parent()
        .and_then(std::path::Path::parent)
        .map(|p| p.join("lib").join(format!("python3.{minor}")))
        .expect("pyenv layout");
    assert!(lib.is_dir(), "no stdlib directory {}", lib.display());
    lib
}

/// Every `step`-th `.pyc` (sorted) of a version's standard library (see
/// [`stdlib_pycs`]), or `None` after [`require_or_skip`] when the version's
/// interpreter is missing.
pub fn stdlib_sample(minor: u8, step: usize) -> Option<Vec<PathBuf>> {
    let python = require_or_skip(minor)?;
    Some(
        pycs(&stdlib_pycs(minor, &python))
            .into_iter()
            .step_by(step)
            .collect(),
    )
}

/// Every `*.pyc` file under `dir`, sorted.
pub fn pycs(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "pyc"))
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

/// [`find_python`], or `None` after printing `skipping 3.X: interpreter not
/// found`. Under `CI=true` a missing interpreter panics instead.
pub fn require_or_skip(minor: u8) -> Option<PathBuf> {
    if let Some(python) = find_python(minor) {
        return Some(python);
    }
    let looked = PyVersion::from_minor(minor).map_or_else(
        || format!("3.{minor} is not a version pyopt supports"),
        interpreters::search_order,
    );
    if on_ci() {
        panic!(
            "3.{minor}: interpreter not found (looked at {looked}; for 3.14 run \
             tools/py314/setup.sh) (CI=true, so this is an error)"
        );
    }
    println!("skipping 3.{minor}: interpreter not found (looked at {looked})");
    None
}

/// The outcome of one command.
pub struct Run {
    pub code: Option<i32>,
    pub out: String,
    pub err: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.code, self.out, self.err
        )
    }
}

/// Runs a command to completion and captures its outcome.
pub fn finish(cmd: &mut std::process::Command) -> Run {
    let o = cmd.output().expect("run command");
    Run {
        code: o.status.code(),
        out: String::from_utf8_lossy(&o.stdout).into_owned(),
        err: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}
