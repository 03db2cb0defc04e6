//! Every `.pyc` of every installed CPython 3.8–3.13 standard library (with
//! `test/`, site-packages and the `-O`/`-OO` variants), and of the 3.14 corpus
//! (`tools/py314/make_corpus.sh`: pyodide's standard library and `corpus/`
//! compiled by its 3.14 at every optimization level), goes through the full
//! codec — marshal, instruction IR, line and exception tables, stack depth —
//! and must come back byte-identical. The recomputed `co_stacksize` must
//! equal the stored one, or be smaller only where CPython's value is a
//! documented over-approximation:
//!
//! * 3.8/3.9 size the stack before their bytecode peephole pass runs;
//! * 3.11+ size it while handlers of empty `try` bodies (and other blocks
//!   that end up unreachable) are still reachable, and keep that code; the
//!   recomputed value may only be smaller for code objects that contain
//!   instructions no path reaches.
//!
//! It also runs the verifier over the same files: no stdlib code object may
//! have a structural problem.

mod common;

use std::path::PathBuf;

use rayon::prelude::*;

use pyopt::roundtrip::{roundtrip_to, Depth, StackStats};
use pyopt::PyVersion;

use common::pycs;

#[test]
fn every_stdlib_pyc_roundtrips_byte_identically() {
    roundtrip_all(Depth::Instructions);
}

/// The CFG identity: decode → CFG → linearize → encode is byte-identical.
#[test]
fn every_stdlib_pyc_survives_the_cfg_byte_identically() {
    roundtrip_all(Depth::Cfg);
}

fn roundtrip_all(depth: Depth) {
    let mut checked = 0;
    for v in PyVersion::ALL {
        let Some(python) = common::require_or_skip(v.minor()) else {
            continue;
        };
        let files = pycs(&common::stdlib_pycs(v.minor(), &python));
        assert!(
            files.len() > 1000,
            "{v}: only {} pyc files found",
            files.len()
        );
        let results: Vec<(PathBuf, Result<pyopt::roundtrip::RoundTrip, String>)> = files
            .par_iter()
            .map(|p| {
                let data = std::fs::read(p).expect("read pyc");
                (
                    p.clone(),
                    roundtrip_to(&data, depth).map_err(|e| e.to_string()),
                )
            })
            .collect();
        let mut stack = StackStats::default();
        let mut failures = Vec::new();
        let mut codes = 0;
        for (path, r) in &results {
            match r {
                Err(e) => failures.push(format!("{}: {e}", path.display())),
                Ok(rt) => {
                    codes += rt.code_objects;
                    stack.add(&rt.stack);
                    if rt.version != Some(v) {
                        failures.push(format!("{}: read as {:?}", path.display(), rt.version));
                    }
                    if !rt.identical {
                        failures.push(format!(
                            "{}: differs at byte {:?}",
                            path.display(),
                            rt.first_difference
                        ));
                    }
                }
            }
        }
        println!(
            "{v} ({depth:?}): {} files, {codes} code objects byte-identical; co_stacksize equal {}, \
             smaller {} (of which {} with unreachable code), larger {}",
            files.len(),
            stack.equal,
            stack.smaller,
            stack.smaller_dead_code,
            stack.larger
        );
        assert!(
            failures.is_empty(),
            "{v}: {} failures:\n{}",
            failures.len(),
            failures[..failures.len().min(20)].join("\n")
        );
        assert_eq!(
            stack.larger, 0,
            "{v}: recomputed stack size above CPython's"
        );
        if v >= PyVersion::V3_10 {
            assert_eq!(
                stack.smaller, stack.smaller_dead_code,
                "{v}: a smaller recomputed stack size without unreachable code to explain it"
            );
        }
        checked += 1;
    }
    println!("{checked} versions checked");
}

/// The reachability walk alone (the driver's precheck uses it) finds
/// unreachable code exactly where the full stack walk does.
#[test]
fn reachability_walk_agrees_with_the_stack_walk() {
    for v in PyVersion::ALL {
        let Some(files) = common::stdlib_sample(v.minor(), 3) else {
            continue;
        };
        let (codes, dead, disagree): (u64, u64, Vec<String>) = files
            .par_iter()
            .map(|p| {
                let data = std::fs::read(p).expect("read pyc");
                let file = pyopt::roundtrip::PycFile::parse(&data).expect("parse");
                let mut scratch = pyopt::bytecode::Scratch::default();
                let (mut n, mut d, mut bad) = (0, 0, Vec::new());
                for id in file.code_ids() {
                    let ir = file.decode_code(id).expect("decode");
                    let flags = file.module.arena.code(id).flags;
                    let full = pyopt::bytecode::stack_depth(&ir, flags).has_unreachable();
                    let quick = pyopt::bytecode::has_unreachable(&ir, &mut scratch);
                    n += 1;
                    d += u64::from(full);
                    if full != quick {
                        bad.push(format!(
                            "{} {}: walk {full}, quick {quick}",
                            p.display(),
                            file.qualname(id)
                        ));
                    }
                }
                (n, d, bad)
            })
            .reduce(
                || (0, 0, Vec::new()),
                |mut a, b| {
                    a.0 += b.0;
                    a.1 += b.1;
                    a.2.extend(b.2);
                    a
                },
            );
        println!(
            "{v}: {codes} code objects, {dead} with unreachable code, {} disagreements",
            disagree.len()
        );
        assert!(
            disagree.is_empty(),
            "{v}:\n{}",
            disagree[..disagree.len().min(20)].join("\n")
        );
    }
}

#[test]
fn every_stdlib_code_object_verifies() {
    for v in PyVersion::ALL {
        // Every third file keeps the test fast; the round-trip test covers all.
        let Some(files) = common::stdlib_sample(v.minor(), 3) else {
            continue;
        };
        let problems: Vec<String> = files
            .par_iter()
            .flat_map_iter(|p| {
                let data = std::fs::read(p).expect("read pyc");
                match pyopt::opt::verify::verify_bytes(&data) {
                    Ok(verdict) => verdict
                        .problems
                        .into_iter()
                        .map(|m| format!("{}: {m}", p.display()))
                        .collect::<Vec<_>>(),
                    Err(e) => vec![format!("{}: {e}", p.display())],
                }
            })
            .collect();
        println!("{v}: verified {} files", files.len());
        assert!(
            problems.is_empty(),
            "{v}:\n{}",
            problems[..problems.len().min(20)].join("\n")
        );
    }
}

/// 3.8/3.9: when a pass changed a code object its lnotab is written from the
/// instructions alone (the entries as read no longer apply). That table must
/// trace the same: the same line for every instruction and a line-range start
/// at the same instructions. Checked on every stdlib code object by dropping
/// the hint and re-encoding.
#[test]
fn lnotab_written_from_instructions_traces_the_same() {
    for v in [PyVersion::V3_8, PyVersion::V3_9] {
        let Some(python) = common::require_or_skip(v.minor()) else {
            continue;
        };
        let files = pycs(&common::stdlib_pycs(v.minor(), &python));
        let (codes, mismatches): (u64, Vec<String>) = files
            .par_iter()
            .map(|p| {
                let data = std::fs::read(p).expect("read pyc");
                let file = pyopt::roundtrip::PycFile::parse(&data).expect("parse");
                let mut n = 0;
                let mut bad = Vec::new();
                for id in file.code_ids() {
                    let ir = file.decode_code(id).expect("decode");
                    let mut canon = ir.clone();
                    canon.lnotab_hint.clear();
                    let enc = pyopt::bytecode::encode(&canon).expect("encode");
                    let back =
                        pyopt::bytecode::decode(v, &enc.code, &enc.linetable, None, ir.firstlineno)
                            .expect("decode");
                    n += 1;
                    let same = ir
                        .instrs
                        .iter()
                        .zip(&back.instrs)
                        .all(|(a, b)| a.loc.line == b.loc.line && a.line_start == b.line_start);
                    if !same {
                        bad.push(format!("{}: {}", p.display(), file.qualname(id)));
                    }
                }
                (n, bad)
            })
            .reduce(
                || (0, Vec::new()),
                |(a, mut x), (b, y)| {
                    x.extend(y);
                    (a + b, x)
                },
            );
        println!(
            "{v}: {codes} code objects, {} trace differently without the hint",
            mismatches.len()
        );
        assert!(
            mismatches.is_empty(),
            "{}",
            mismatches[..mismatches.len().min(10)].join("\n")
        );
    }
}
