//! Helpers shared by the integration tests that run real CPython
//! interpreters (`mod common;` in the test file).
//!
//! Interpreters are looked up as pyenv installs them:
//! `$PYENV_ROOT/versions/3.X.Y/bin/python`, with `PYENV_ROOT` defaulting to
//! `$HOME/.pyenv`; for each minor version the newest patch release wins.
//! CPython 3.14, when pyenv has none, is pyodide's WebAssembly build run by
//! Node.js through `tools/py314/bin/python3.14`, available once
//! `tools/py314/setup.sh` has installed it (`.ci/run` does).

#![allow(dead_code)] // each test binary uses its own subset

use std::path::PathBuf;

/// Whether the environment variable `CI` is `true` (as CI services set it).
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
}

/// `$PYENV_ROOT`, or `$HOME/.pyenv` when unset or empty.
pub fn pyenv_root() -> Option<PathBuf> {
    match std::env::var_os("PYENV_ROOT") {
        Some(root) if !root.is_empty() => Some(PathBuf::from(root)),
        _ => std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".pyenv")),
    }
}

/// The interpreter of the newest installed `3.<minor>.*` under
/// `$PYENV_ROOT/versions`, if any. Only plain `3.X.Y` directories count (not
/// `3.13.0t`, `3.12-dev`, virtualenvs, ...).
pub fn find_python(minor: u8) -> Option<PathBuf> {
    find_pyenv_python(minor).or_else(|| if minor == 14 { py314() } else { None })
}

/// The repository's pyodide-backed `python3.14`, if `tools/py314/setup.sh` ran.
pub fn py314() -> Option<PathBuf> {
    let dir = repo().join("tools").join("py314");
    let ready = dir.join("node_modules").join("pyodide").join("pyodide.mjs");
    ready.is_file().then(|| dir.join("bin").join("python3.14"))
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

fn find_pyenv_python(minor: u8) -> Option<PathBuf> {
    let versions = pyenv_root()?.join("versions");
    let mut best: Option<(u32, PathBuf)> = None;
    for entry in std::fs::read_dir(versions).ok()?.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let mut parts = name.split('.');
        let (Some("3"), Some(m), Some(patch), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if m.parse::<u8>().ok() != Some(minor) {
            continue;
        }
        let Ok(patch) = patch.parse::<u32>() else {
            continue;
        };
        let python = entry.path().join("bin").join("python");
        let newer = match &best {
            Some((p, _)) => patch > *p,
            None => true,
        };
        if newer && python.is_file() {
            best = Some((patch, python));
        }
    }
    best.map(|(_, python)| python)
}

/// [`find_python`], or `None` after printing `skipping 3.X: interpreter not
/// found`. Under `CI=true` a missing interpreter panics instead.
pub fn require_or_skip(minor: u8) -> Option<PathBuf> {
    if let Some(python) = find_python(minor) {
        return Some(python);
    }
    if on_ci() {
        panic!(
            "3.{minor}: interpreter not found under {}/versions{} (CI=true, so this is an error)",
            pyenv_root().map_or("$PYENV_ROOT".into(), |r| r.display().to_string()),
            if minor == 14 {
                " nor as tools/py314/bin/python3.14 (run tools/py314/setup.sh)"
            } else {
                ""
            }
        );
    }
    println!(
        "skipping 3.{minor}: interpreter not found{}",
        if minor == 14 {
            " (run tools/py314/setup.sh for pyodide's 3.14)"
        } else {
            ""
        }
    );
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
