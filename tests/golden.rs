//! Golden before/after listings of each pass, per CPython version.
//!
//! For every `tests/golden/<pass>/input.py` and every installed version, the
//! input is compiled by that interpreter, optimized with `<pass>` alone, and
//! the `pyopt dis` listings before and after are compared with
//! `tests/golden/<pass>/3.X.txt`. `BLESS=1 cargo test --test golden` rewrites
//! the snapshots (review the diff before committing them).
//!
//! Passes that exist to mimic an interpreter flag are also checked against
//! it: `strip-docstrings` output must print what `python -OO` prints.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use pyopt::difftest::Worker;
use pyopt::pipeline::{Debug, Pipeline};
use pyopt::PyVersion;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
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
        .filter(|p| p.join("input.py").is_file())
        .collect();
    passes.sort();
    for dir in passes {
        let pass = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        assert!(
            pyopt::passes::find(&pass).is_some(),
            "tests/golden/{pass}: no such pass"
        );
        let source = std::fs::read_to_string(dir.join("input.py")).expect("input.py");
        for v in PyVersion::ALL {
            let Some(python) = common::require_or_skip(v.minor()) else {
                continue;
            };
            let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden-worker");
            let mut worker =
                Worker::new(&python, &scratch, Duration::from_secs(20)).expect("worker");
            let pyc = worker.compile(&source, "input.py").expect("compile");
            let pipeline = Pipeline::new(&[pass.as_str()], Debug::default());
            let (_, out) = pyopt::driver::optimize_bytes(&pyc, &pipeline, false).expect("optimize");
            let after = out.unwrap_or_else(|| pyc.clone());
            let text = format!(
                "# {pass} on CPython {v}\n\n=== before\n{}\n=== after\n{}",
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
        let (_, out) = pyopt::driver::optimize_bytes(&pyc, &pipeline, false).expect("optimize");
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
