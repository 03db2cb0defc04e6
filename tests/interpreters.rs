//! The Python tools find interpreters exactly as pyopt does:
//! `tools/pyopt_tools.py`'s `find_interpreter` against
//! `pyopt::interpreters::find_in`, on made-up layouts (pyenv versions,
//! PATH directories and shims, the pyodide fallbacks, `PYOPT_PYTHON3_X`) and
//! for every version in `PyVersion::ALL`.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use pyopt::interpreters::{find_in, Lookup};
use pyopt::PyVersion;

fn exe(p: &Path) {
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, "#!/bin/sh\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

/// `{minor: path or null}` from the Python tools for `env` and `repo`, for
/// the minors of `PyVersion::ALL`.
fn python_side(python: &Path, env: &BTreeMap<String, String>, repo: &Path) -> serde_json::Value {
    let script = "import json, sys\n\
                  sys.path.insert(0, sys.argv[1])\n\
                  import pyopt_tools\n\
                  env = json.loads(sys.argv[2])\n\
                  print(json.dumps({str(m): pyopt_tools.find_interpreter(m, environ=env, repo=sys.argv[3]) \
                  for m in json.loads(sys.argv[4])}))\n";
    let minors: Vec<u8> = PyVersion::ALL.iter().map(|v| v.minor()).collect();
    let out = Command::new(python)
        .arg("-I")
        .arg("-c")
        .arg(script)
        .arg(common::repo().join("tools"))
        .arg(serde_json::to_string(env).expect("json"))
        .arg(repo)
        .arg(serde_json::to_string(&minors).expect("json"))
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from python")
}

fn rust_side(env: &BTreeMap<String, String>, repo: &Path) -> serde_json::Value {
    let var = |name: &str| env.get(name).map(OsString::from);
    let lookup = Lookup {
        var: &var,
        repo: Some(repo),
    };
    let mut m = serde_json::Map::new();
    for v in PyVersion::ALL {
        let found = find_in(v, &lookup).map(|f| f.path.display().to_string());
        m.insert(v.minor().to_string(), serde_json::json!(found));
    }
    serde_json::Value::Object(m)
}

#[test]
fn python_tools_find_the_same_interpreters() {
    // Any interpreter runs the tools (they need Python 3.8+).
    let Some(python) = [13u8, 12, 11, 10, 9, 8]
        .into_iter()
        .find_map(common::find_python)
    else {
        let _ = common::require_or_skip(13);
        return;
    };
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("interpreters");
    let _ = std::fs::remove_dir_all(&d);
    let pyenv = d.join("pyenv");
    for name in [
        "3.8.1", "3.12.1", "3.12.10", "3.12.9", "3.13.0", "3.13.01", "3.11.4",
    ] {
        exe(&pyenv.join("versions").join(name).join("bin/python"));
    }
    exe(&pyenv.join("versions/3.12.11t/bin/python"));
    exe(&pyenv.join("versions/3.12-dev/bin/python"));
    std::fs::create_dir_all(pyenv.join("versions/3.12.12/bin")).expect("mkdir");
    // Not executable: not an interpreter.
    std::fs::write(pyenv.join("versions/3.12.12/bin/python"), "").expect("write");
    let (bin, shims, other) = (d.join("bin"), d.join("pyenv/shims"), d.join("other/"));
    for v in ["3.9", "3.11", "3.14"] {
        exe(&bin.join(format!("python{v}")));
    }
    exe(&other.join("python3.10"));
    exe(&shims.join("python3.10"));
    let repo = d.join("repo");
    // A pyodide runtime (tools/py3X/bin/python3.X) for every version, so that
    // both rules must agree on which versions use it (Facts::pyodide_in_repo,
    // pyopt_tools.PYODIDE_MINORS).
    let minors: Vec<u8> = PyVersion::ALL.iter().map(|v| v.minor()).collect();
    for m in &minors {
        exe(&repo.join(format!("tools/py3{m}/bin/python3.{m}")));
    }
    let explicit = d.join("explicit/python");
    exe(&explicit);

    let path = |dirs: &[&Path]| {
        std::env::join_paths(dirs)
            .expect("PATH")
            .to_string_lossy()
            .into_owned()
    };
    let s = |p: &Path| p.display().to_string();
    let mut cases: Vec<BTreeMap<String, String>> = Vec::new();
    let case = |pairs: &[(&str, String)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    };
    cases.push(case(&[
        ("PYENV_ROOT", s(&pyenv)),
        ("PATH", path(&[&shims, &bin, &other])),
    ]));
    cases.push(case(&[
        ("PYENV_ROOT", String::new()),
        ("HOME", s(&d.join("nohome"))),
        ("PATH", format!(":{}", path(&[&shims, &other, &bin]))),
        ("PYOPT_PYTHON3_9", s(&explicit)),
        ("PYOPT_PYTHON3_11", s(&d.join("missing"))),
        ("PYOPT_PYTHON3_12", String::new()),
    ]));
    cases.push(case(&[("HOME", s(&d)), ("PATH", path(&[&bin]))]));
    let mut results = Vec::new();
    for (i, env) in cases.iter().enumerate() {
        for ready in [false, true] {
            for m in &minors {
                let marker = repo.join(format!("tools/py3{m}/node_modules/pyodide/pyodide.mjs"));
                if ready {
                    std::fs::create_dir_all(marker.parent().expect("parent")).expect("mkdir");
                    std::fs::write(&marker, "").expect("write");
                } else {
                    let _ = std::fs::remove_file(&marker);
                }
            }
            let py = python_side(&python, env, &repo);
            let rs = rust_side(env, &repo);
            assert_eq!(py, rs, "case {i} (pyodide ready: {ready}): {env:?}");
            results.push(rs);
        }
    }
    // The layouts do exercise every rule.
    let first = &results[0];
    let at = |r: &serde_json::Value, m: &str| r[m].as_str().map(str::to_string);
    assert_eq!(
        at(first, "8"),
        Some(s(&pyenv.join("versions/3.8.1/bin/python")))
    );
    assert_eq!(at(first, "9"), Some(s(&bin.join("python3.9"))));
    assert_eq!(at(first, "10"), Some(s(&other.join("python3.10"))));
    assert_eq!(
        at(first, "11"),
        Some(s(&pyenv.join("versions/3.11.4/bin/python")))
    );
    assert_eq!(
        at(first, "12"),
        Some(s(&pyenv.join("versions/3.12.10/bin/python")))
    );
    assert_eq!(at(first, "14"), Some(s(&bin.join("python3.14"))));
    assert_eq!(
        at(&results[1], "14"),
        Some(s(&repo.join("tools/py314/bin/python3.14")))
    );
    let second = &results[2];
    assert_eq!(at(second, "9"), Some(s(&explicit)));
    assert_eq!(at(second, "11"), None);
    assert_eq!(at(second, "12"), None);
    assert_eq!(at(second, "8"), None);
    let _ = std::fs::remove_dir_all(&d);
}
