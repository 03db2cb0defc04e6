//! Which CPython interpreter pyopt runs for a version: one rule for
//! `pyopt difftest`, `pyopt compile --python 3.X`, the integration tests
//! (`tests/common`) and the Python tools (`tools/pyopt_tools.py`'s
//! `find_interpreter`, which `tests/interpreters.rs` checks against this
//! module).
//!
//! For CPython 3.X the first of these that exists wins:
//!
//! 1. `$PYOPT_PYTHON3_X`, when set and not empty: that file, or no
//!    interpreter at all (an explicit choice is never replaced by another
//!    interpreter). A relative path is relative to the working directory.
//! 2. pyenv's newest patch release: `$PYENV_ROOT/versions/3.X.Y/bin/python`
//!    with the highest `Y` (`PYENV_ROOT` defaults to `$HOME/.pyenv`; only
//!    plain `3.X.Y` directories count, not `3.13.0t`, `3.12-dev` or
//!    virtualenvs).
//! 3. For the versions the repository runs on pyodide (3.14 and 3.15:
//!    `PyVersion::facts().pyodide_in_repo`): the repository's
//!    `tools/py3X/bin/python3.X` (CPython compiled to WebAssembly, run by
//!    Node.js), once `tools/pyodide/setup.sh 3.X` has installed pyodide
//!    (`tools/py3X/node_modules/pyodide/pyodide.mjs` exists). The
//!    repository is the one pyopt was built from.
//! 4. `python3.X` on `PATH`, skipping pyenv's `shims` directories (a shim
//!    runs whatever version pyenv selects, not necessarily 3.X).
//!
//! "Exists" means an executable regular file (symbolic links followed).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::PyVersion;

/// Where an interpreter was found (the step of the precedence above).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `$PYOPT_PYTHON3_X`.
    Variable,
    /// `$PYENV_ROOT/versions/3.X.Y/bin/python`.
    Pyenv,
    /// The repository's pyodide-backed `tools/py3X/bin/python3.X`.
    Pyodide,
    /// `python3.X` on `PATH`.
    Path,
}

/// An interpreter and where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub origin: Origin,
}

/// What the search reads: environment variables (`PYOPT_PYTHON3_X`,
/// `PYENV_ROOT`, `HOME`, `PATH`) and the repository holding `tools/py3X`.
pub struct Lookup<'a> {
    pub var: &'a dyn Fn(&str) -> Option<OsString>,
    pub repo: Option<&'a Path>,
}

fn process_var(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

impl Lookup<'static> {
    /// The process environment and the repository pyopt was built from.
    pub fn current() -> Lookup<'static> {
        Lookup {
            var: &process_var,
            repo: Some(repo()),
        }
    }
}

/// The repository pyopt was built from (its `tools/py3X` may or may not
/// exist where pyopt runs).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The interpreter of `v` (see the module documentation for the order).
pub fn find(v: PyVersion) -> Option<PathBuf> {
    find_in(v, &Lookup::current()).map(|f| f.path)
}

/// [`find`], reading the environment through `lookup`.
pub fn find_in(v: PyVersion, lookup: &Lookup<'_>) -> Option<Found> {
    let var = |name: &str| (lookup.var)(name).filter(|s| !s.is_empty());
    let found = |path: PathBuf, origin: Origin| Some(Found { path, origin });
    if let Some(p) = var(&variable(v)) {
        // Named explicitly: that file or nothing.
        let p = PathBuf::from(p);
        return if is_executable(&p) {
            found(p, Origin::Variable)
        } else {
            None
        };
    }
    if let Some(p) = pyenv_root(lookup).and_then(|root| newest_pyenv(&root, v)) {
        return found(p, Origin::Pyenv);
    }
    if v.facts().pyodide_in_repo {
        if let Some(p) = lookup.repo.and_then(|r| pyodide(r, v)) {
            return found(p, Origin::Pyodide);
        }
    }
    let name = format!("python{v}");
    let path = var("PATH")?;
    for dir in std::env::split_paths(&path) {
        // Empty entries (the working directory) and pyenv's shims are skipped.
        if dir.as_os_str().is_empty() || dir.ends_with("shims") {
            continue;
        }
        let p = dir.join(&name);
        if is_executable(&p) {
            return found(p, Origin::Path);
        }
    }
    None
}

/// The environment variable that names the interpreter of `v`: `PYOPT_PYTHON3_X`.
pub fn variable(v: PyVersion) -> String {
    format!("PYOPT_PYTHON3_{}", v.minor())
}

/// Where [`find`] looks, in order, for messages ("no interpreter found (...)").
pub fn search_order(v: PyVersion) -> String {
    let mut s = format!(
        "${}, pyenv's $PYENV_ROOT/versions/{v}.*/bin/python",
        variable(v)
    );
    if v.facts().pyodide_in_repo {
        s.push_str(&format!(
            ", tools/py3{m}/bin/python{v} (after tools/pyodide/setup.sh {v})",
            m = v.minor()
        ));
    }
    s.push_str(&format!(", python{v} on PATH"));
    s
}

/// `$PYENV_ROOT`, or `$HOME/.pyenv` when it is unset or empty.
pub fn pyenv_root(lookup: &Lookup<'_>) -> Option<PathBuf> {
    let var = |name: &str| (lookup.var)(name).filter(|s| !s.is_empty());
    var("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".pyenv")))
}

/// `ROOT/versions/3.X.Y/bin/python` with the highest `Y` (ties between
/// spellings of one number, `3.12.1` and `3.12.01`, go to the greater name).
fn newest_pyenv(root: &Path, v: PyVersion) -> Option<PathBuf> {
    let prefix = format!("{v}.");
    let mut best: Option<(u64, String, PathBuf)> = None;
    for entry in std::fs::read_dir(root.join("versions")).ok()?.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(patch) = name.strip_prefix(&prefix) else {
            continue;
        };
        if patch.is_empty() || !patch.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(patch) = patch.parse::<u64>() else {
            continue;
        };
        let python = entry.path().join("bin").join("python");
        let newer = best
            .as_ref()
            .map_or(true, |(p, n, _)| (patch, name) > (*p, n.as_str()));
        if newer && is_executable(&python) {
            best = Some((patch, name.to_string(), python));
        }
    }
    best.map(|(_, _, p)| p)
}

/// The pyodide-backed `tools/py3X/bin/python3.X` of `repo`, once
/// `tools/pyodide/setup.sh 3.X` has installed pyodide there.
pub fn pyodide(repo: &Path, v: PyVersion) -> Option<PathBuf> {
    let dir = repo.join("tools").join(format!("py3{}", v.minor()));
    let ready = dir.join("node_modules").join("pyodide").join("pyodide.mjs");
    let python = dir.join("bin").join(format!("python{v}"));
    (ready.is_file() && is_executable(&python)).then_some(python)
}

fn is_executable(p: &Path) -> bool {
    match std::fs::metadata(p) {
        #[cfg(unix)]
        Ok(m) => {
            use std::os::unix::fs::PermissionsExt;
            m.is_file() && m.permissions().mode() & 0o111 != 0
        }
        #[cfg(not(unix))]
        Ok(m) => m.is_file(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn exe(p: &Path) {
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, "#!/bin/sh\n").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
    }

    fn search(v: PyVersion, vars: &HashMap<&str, OsString>, repo: &Path) -> Option<Found> {
        let var = |name: &str| vars.get(name).cloned();
        find_in(
            v,
            &Lookup {
                var: &var,
                repo: Some(repo),
            },
        )
    }

    #[test]
    fn precedence() {
        let d = std::env::temp_dir().join(format!("pyopt-interpreters-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        let pyenv = d.join("pyenv");
        for name in ["3.12.1", "3.12.10", "3.12.9", "3.13.0", "3.11.4"] {
            exe(&pyenv.join("versions").join(name).join("bin/python"));
        }
        // Not plain releases, or without an interpreter: ignored.
        exe(&pyenv.join("versions/3.12.11t/bin/python"));
        exe(&pyenv.join("versions/3.12-dev/bin/python"));
        std::fs::create_dir_all(pyenv.join("versions/3.12.12/bin")).expect("mkdir");
        let bin = d.join("bin");
        let shims = d.join("shims");
        for v in ["3.8", "3.11", "3.14"] {
            exe(&bin.join(format!("python{v}")));
        }
        exe(&shims.join("python3.9"));
        let repo = d.join("repo");
        exe(&repo.join("tools/py314/bin/python3.14"));
        let explicit = d.join("explicit/python");
        exe(&explicit);

        let path = std::env::join_paths([&shims, &bin]).expect("PATH");
        let mut vars: HashMap<&str, OsString> = HashMap::new();
        vars.insert("PYENV_ROOT", pyenv.clone().into());
        vars.insert("PATH", path);
        vars.insert("PYOPT_PYTHON3_13", explicit.clone().into());
        vars.insert("PYOPT_PYTHON3_10", d.join("missing").into());
        let want = |p: PathBuf, origin| Some(Found { path: p, origin });
        assert_eq!(
            search(PyVersion::V3_8, &vars, &repo),
            want(bin.join("python3.8"), Origin::Path)
        );
        assert_eq!(
            search(PyVersion::V3_9, &vars, &repo),
            None,
            "shims are skipped"
        );
        assert_eq!(
            search(PyVersion::V3_10, &vars, &repo),
            None,
            "a named missing file is final"
        );
        assert_eq!(
            search(PyVersion::V3_11, &vars, &repo),
            want(pyenv.join("versions/3.11.4/bin/python"), Origin::Pyenv),
            "pyenv before PATH"
        );
        assert_eq!(
            search(PyVersion::V3_12, &vars, &repo),
            want(pyenv.join("versions/3.12.10/bin/python"), Origin::Pyenv)
        );
        assert_eq!(
            search(PyVersion::V3_13, &vars, &repo),
            want(explicit.clone(), Origin::Variable)
        );
        // pyodide not set up: PATH.
        assert_eq!(
            search(PyVersion::V3_14, &vars, &repo),
            want(bin.join("python3.14"), Origin::Path)
        );
        std::fs::create_dir_all(repo.join("tools/py314/node_modules/pyodide")).expect("mkdir");
        std::fs::write(
            repo.join("tools/py314/node_modules/pyodide/pyodide.mjs"),
            "",
        )
        .expect("w");
        assert_eq!(
            search(PyVersion::V3_14, &vars, &repo),
            want(repo.join("tools/py314/bin/python3.14"), Origin::Pyodide)
        );
        exe(&pyenv.join("versions/3.14.2/bin/python"));
        assert_eq!(
            search(PyVersion::V3_14, &vars, &repo),
            want(pyenv.join("versions/3.14.2/bin/python"), Origin::Pyenv)
        );
        // PYENV_ROOT empty or unset: $HOME/.pyenv.
        vars.insert("PYENV_ROOT", OsString::new());
        assert_eq!(
            search(PyVersion::V3_11, &vars, &repo),
            want(bin.join("python3.11"), Origin::Path)
        );
        std::fs::rename(&pyenv, d.join(".pyenv")).expect("rename");
        vars.insert("HOME", d.clone().into());
        vars.remove("PYENV_ROOT");
        assert_eq!(
            search(PyVersion::V3_12, &vars, &repo),
            want(d.join(".pyenv/versions/3.12.10/bin/python"), Origin::Pyenv)
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn search_order_names_every_place() {
        let s = search_order(PyVersion::V3_14);
        for needle in [
            "$PYOPT_PYTHON3_14",
            "versions/3.14.*",
            "tools/py314",
            "python3.14 on PATH",
        ] {
            assert!(s.contains(needle), "{s}");
        }
        assert!(!search_order(PyVersion::V3_12).contains("py314"));
    }
}
