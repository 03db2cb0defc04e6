//! The inputs of the criterion benches: the `typing` .pyc of every installed
//! CPython 3.8–3.13 and `_pydecimal` of 3.8 and 3.13
//! (`$PYENV_ROOT/versions/3.X.*`), and `typing` of the 3.14 corpus (`target/py314-corpus`, built by
//! `tools/py314/make_corpus.sh`; pyodide ships no `_pydecimal`); a missing
//! input is skipped with a message.

use std::path::PathBuf;

/// `(label, bytes)` of the benchmark inputs that exist on this machine.
pub fn inputs() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")));
    let Some(versions) = root.map(|r| r.join("versions")) else {
        eprintln!("skipping: no pyenv versions directory");
        return out;
    };
    for minor in [8u8, 9, 10, 11, 12, 13] {
        let dir = std::fs::read_dir(&versions).ok().and_then(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&format!("3.{minor}.")))
                })
                .max()
        });
        let Some(dir) = dir else {
            eprintln!("skipping CPython 3.{minor}: not installed");
            continue;
        };
        // typing for every version, _pydecimal (the largest) for 3.8 and 3.13.
        let modules: &[&str] = if matches!(minor, 8 | 13) {
            &["typing", "_pydecimal"]
        } else {
            &["typing"]
        };
        for &module in modules {
            let path = dir
                .join("lib")
                .join(format!("python3.{minor}"))
                .join("__pycache__")
                .join(format!("{module}.cpython-3{minor}.pyc"));
            match std::fs::read(&path) {
                Ok(data) => out.push((format!("3.{minor}/{module}"), data)),
                Err(e) => eprintln!("skipping {}: {e}", path.display()),
            }
        }
    }
    let typing314 = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/py314-corpus/stdlib/__pycache__/typing.cpython-314.pyc");
    match std::fs::read(&typing314) {
        Ok(data) => out.push(("3.14/typing".to_string(), data)),
        Err(e) => eprintln!(
            "skipping {} ({e}; tools/py314/make_corpus.sh builds it)",
            typing314.display()
        ),
    }
    out
}
