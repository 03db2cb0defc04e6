//! The translation validator (`pyopt::validate`, `optimize --validate`)
//! against passes known to be wrong and one known to be right, over a
//! sample of every installed standard library (the 3.14/3.15 corpora):
//!
//! * `test-wrong-sub` (`a - b` compiled as `a + b`) is rejected on every
//!   code object it changes;
//! * `test-unchecked-load` (3.12+: `LOAD_FAST_CHECK` → `LOAD_FAST`) is
//!   rejected wherever the validator cannot prove the local bound; where it
//!   can, the change is correct and accepted (counts printed);
//! * `test-pad-extended-args` (behaviour-preserving, touches every table)
//!   is accepted on every code object (no false alarm);
//! * `test-mutate` (one random miscompile per code object, seven kinds) is
//!   caught in at least 99% of its applications per version; the figures
//!   per kind are printed (`cargo test --release --features test-passes
//!   --test validate -- --nocapture`).
//!
//! The validator runs nothing: these tests need the interpreters only for
//! their compiled standard libraries.
#![cfg(feature = "test-passes")]

mod common;

use pyopt::config::Level;
use pyopt::opt::{optimize_bytes, Debug, Pipeline};
use pyopt::passes::test_mutate::{KINDS, MUTATIONS};
use pyopt::PyVersion;

/// Every n-th standard-library file is used.
const STEP: usize = 8;

/// Totals of one pass over one sample.
#[derive(Debug, Default)]
struct Tally {
    /// Changed code objects the validator accepted (written).
    accepted: u64,
    /// Rejected by the validator.
    not_shown: u64,
    /// Rejected by the verifier (or a panic).
    other: u64,
}

fn pipeline(passes: &[&str], level: Level, rounds: Option<u32>) -> Pipeline {
    let mut p = Pipeline::new(passes, Debug::default()).with_level(level);
    p.validate = true;
    if let Some(r) = rounds {
        p.max_rounds = r;
    }
    p
}

fn run(minor: u8, passes: &[&str], level: Level) -> Option<Tally> {
    run_with(minor, passes, level, false)
}

/// `walk_only`: every changed code object is walked (no normal-form
/// shortcut).
fn run_with(minor: u8, passes: &[&str], level: Level, walk_only: bool) -> Option<Tally> {
    let files = common::stdlib_sample(minor, STEP)?;
    let mut pipeline = pipeline(passes, level, None);
    pipeline.validate_walk_only = walk_only;
    let mut t = Tally::default();
    for path in files {
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        let Ok((report, _)) = optimize_bytes(&data, &pipeline, false) else {
            continue;
        };
        t.accepted += report.changed_code_objects;
        for r in &report.rejected {
            if r.reason.starts_with("not shown equivalent") {
                t.not_shown += 1;
            } else {
                t.other += 1;
            }
        }
    }
    Some(t)
}

#[test]
fn wrong_subtraction_is_rejected_on_every_code_object_it_changes() {
    let mut rejected = 0;
    for v in PyVersion::ALL {
        let Some(t) = run(v.minor(), &["test-wrong-sub"], Level::Aggressive) else {
            continue;
        };
        println!("{v}: test-wrong-sub: {t:?}");
        assert_eq!(t.accepted, 0, "{v}: a wrong subtraction was accepted");
        rejected += t.not_shown;
    }
    assert!(rejected > 0 || !common::on_ci(), "no subtraction was found");
}

#[test]
fn unchecked_loads_are_rejected_unless_provably_bound() {
    for v in PyVersion::ALL
        .into_iter()
        .filter(|v| *v >= PyVersion::V3_12)
    {
        let Some(t) = run(v.minor(), &["test-unchecked-load"], Level::Safe) else {
            continue;
        };
        println!("{v}: test-unchecked-load: {t:?}");
        assert!(t.not_shown > 0, "{v}: no unchecked load was rejected");
    }
}

/// On 3.8 `return`/`break`/`continue` inside a `finally` body
/// (`POP_FINALLY`, `CALL_FINALLY`), `async with` exits and `async for`
/// exits (`END_ASYNC_FOR`) validate too (docs/validation.md). Padding
/// changes only `EXTENDED_ARG`s, which the normal-form shortcut accepts
/// without a walk: the walk is forced, since looking for its false alarms
/// is what this test is for.
#[test]
fn extended_arg_padding_is_always_accepted() {
    for v in PyVersion::ALL {
        for level in [Level::Safe, Level::Aggressive] {
            let Some(t) = run_with(v.minor(), &["test-pad-extended-args"], level, true) else {
                continue;
            };
            println!("{v} {level:?}: test-pad-extended-args: {t:?}");
            assert_eq!(t.not_shown + t.other, 0, "{v}: a false alarm");
            assert!(t.accepted > 0);
        }
    }
}

/// Per mutation kind: (applied, caught by the validator, caught by the
/// verifier, missed).
type KindTally = [(u64, u64, u64, u64); KINDS.len()];

fn mutate(minor: u8, level: Level) -> Option<KindTally> {
    let files = common::stdlib_sample(minor, STEP)?;
    // One application per code object: a single round.
    let pipeline = pipeline(&["test-mutate"], level, Some(1));
    let mut t: KindTally = Default::default();
    for path in files {
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        if let Ok(mut m) = MUTATIONS.lock() {
            m.clear();
        }
        let Ok((report, _)) = optimize_bytes(&data, &pipeline, false) else {
            continue;
        };
        let applied = MUTATIONS.lock().map(|m| m.clone()).unwrap_or_default();
        let mut rejected: Vec<(String, bool)> = report
            .rejected
            .iter()
            .map(|r| {
                let by_validator = r.reason.starts_with("not shown equivalent");
                (r.code_object.clone(), by_validator)
            })
            .collect();
        for (name, kind) in applied {
            t[kind].0 += 1;
            match rejected.iter().position(|(n, _)| *n == name) {
                Some(k) => {
                    if rejected.remove(k).1 {
                        t[kind].1 += 1;
                    } else {
                        t[kind].2 += 1;
                    }
                }
                None => t[kind].3 += 1,
            }
        }
    }
    Some(t)
}

#[test]
fn mutations_are_caught() {
    let level = Level::Safe;
    for v in PyVersion::ALL {
        let Some(t) = mutate(v.minor(), level) else {
            continue;
        };
        let (mut applied, mut caught) = (0, 0);
        for (k, (n, val, ver, missed)) in t.iter().enumerate() {
            println!(
                "{v} {:<18} applied {n:>6}  validator {val:>6}  verifier {ver:>4}  missed {missed:>4}",
                KINDS[k]
            );
            applied += n;
            caught += val + ver;
        }
        let rate = caught as f64 / applied.max(1) as f64;
        println!("{v}: caught {caught} of {applied} ({:.2}%)", 100.0 * rate);
        assert!(applied > 0);
        assert!(rate >= 0.99, "{v}: caught only {:.2}%", 100.0 * rate);
    }
}

/// `pyopt validate A B`'s core: the files pyopt writes validate against
/// their originals at each level (lines compared at `safe`: 3.8/3.9's
/// loop rotation keeps them); files a wrong pass wrote (without
/// `--validate`) do not.
#[test]
fn check_files_accepts_our_output_and_rejects_a_wrong_passs() {
    let versions = [
        PyVersion::V3_8,
        PyVersion::V3_9,
        PyVersion::V3_11,
        PyVersion::V3_13,
    ];
    for (v, level) in versions
        .into_iter()
        .flat_map(|v| [(v, Level::Safe), (v, Level::Aggressive)])
    {
        let Some(files) = common::stdlib_sample(v.minor(), 64) else {
            continue;
        };
        let strictness = pyopt::validate::Strictness::of(level);
        let ours = Pipeline::new(
            &pyopt::passes::registry()
                .iter()
                .filter(|p| p.level() != Level::OptIn)
                .map(|p| p.name())
                .collect::<Vec<_>>(),
            Debug::default(),
        )
        .with_level(level);
        let wrong = Pipeline::new(&["test-wrong-sub"], Debug::default());
        let (mut changed, mut caught) = (0, 0);
        for path in files {
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            if let Ok((_, Some(out))) = optimize_bytes(&data, &ours, false) {
                let verdict = pyopt::validate::check_files(&data, &out, strictness)
                    .expect("pyopt's own output parses");
                changed += verdict.changed;
                // The one known disagreement: `b'\0' == 0` folded away,
                // which warns under `python -b` (docs/measurements.md).
                let bytes_int =
                    |why: &str| why.contains("COMPARE_OP at") && why.contains("(Bytes(");
                assert!(
                    verdict.not_shown.iter().all(|(_, why)| bytes_int(why)),
                    "{}: {:?}",
                    path.display(),
                    verdict.not_shown
                );
            }
            if let Ok((_, Some(out))) = optimize_bytes(&data, &wrong, false) {
                let verdict =
                    pyopt::validate::check_files(&data, &out, pyopt::validate::Strictness::Results)
                        .expect("parses");
                assert_eq!(verdict.not_shown.len() as u64, verdict.changed);
                caught += verdict.not_shown.len();
            }
        }
        println!(
            "{v} {level:?}: check_files: {changed} changed code objects of ours, {caught} wrong ones caught"
        );
        assert!(changed > 0 && caught > 0, "{v} {level:?}");
    }
}

/// Each version's line-event rule, checked against the interpreter itself:
/// `tests/support/line_event_pair.py` writes two code objects that differ
/// only in where one jump lands (the first or the second instruction of
/// line 4, both NOPs) and prints what `sys.settrace` reports for each. The
/// validator must refuse the pair at `safe` exactly when the interpreter's
/// line events differ (3.8/3.9: the second NOP is inside a `co_lnotab`
/// range, so arriving there by a forward jump reports nothing; 3.10+: a
/// jump from another line reports the line wherever it lands), and accept
/// it at `aggressive`. The former "lines executed, repeats collapsed"
/// comparison accepted the 3.8/3.9 pair.
#[test]
fn line_events_follow_each_versions_rule() {
    let script = common::repo().join("tests/support/line_event_pair.py");
    let (mut ran, mut differ) = (0, 0);
    for v in PyVersion::ALL {
        let Some(python) = common::require_or_skip(v.minor()) else {
            continue;
        };
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("line-event-pair-{}", v.minor()));
        std::fs::create_dir_all(&dir).expect("create the pair's directory");
        let run = common::finish(std::process::Command::new(&python).arg(&script).arg(&dir));
        assert_eq!(run.code, Some(0), "{v}: {run}");
        let out: serde_json::Value =
            serde_json::from_str(run.out.trim()).unwrap_or_else(|e| panic!("{v}: {e}: {run}"));
        let events_differ = out["ORIG"] != out["MUT"];
        let read = |name: &str| std::fs::read(dir.join(name)).expect("the script wrote it");
        let (orig, muta) = (read("ORIG.pyc"), read("MUT.pyc"));
        let check = |s| pyopt::validate::check_files(&orig, &muta, s).expect("parses");
        let lines = check(pyopt::validate::Strictness::Lines);
        let results = check(pyopt::validate::Strictness::Results);
        println!(
            "{v}: settrace {} vs {}; validator at safe: {:?}",
            out["ORIG"], out["MUT"], lines.not_shown
        );
        assert_eq!(lines.changed, 1, "{v}");
        assert!(results.not_shown.is_empty(), "{v}: {:?}", results.not_shown);
        assert_eq!(
            !lines.not_shown.is_empty(),
            events_differ,
            "{v}: the validator's line events disagree with the interpreter's"
        );
        ran += 1;
        differ += usize::from(events_differ);
    }
    assert!(
        (ran > 0 && differ > 0) || !common::on_ci(),
        "no pair with different line events"
    );
}
