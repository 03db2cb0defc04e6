//! Every registered pass keeps the pass contract's paperwork: its
//! documentation has the fixed headings in order (what it does, assumes,
//! guarantees, must never do, versions), it states a range of versions it
//! supports, and it has golden listings for each of them.
//!
//! The `test-*` passes (feature `test-passes`) are exempt: they exist to
//! break things on purpose.

use std::path::PathBuf;

use pyopt::opt::doc_text;
use pyopt::passes::registry;
use pyopt::PyVersion;

/// The headings each pass's `//!` header must have, in this order.
const HEADINGS: [&str; 5] = [
    "What it does",
    "What it assumes",
    "What it guarantees",
    "What it must never do",
    "Versions:",
];

fn real_passes() -> impl Iterator<Item = &'static dyn pyopt::opt::Pass> {
    registry()
        .iter()
        .copied()
        .filter(|p| !p.name().starts_with("test-"))
}

#[test]
fn every_pass_documents_does_assumes_guarantees_never_versions() {
    let mut missing = Vec::new();
    for p in real_passes() {
        let doc = doc_text(p);
        let mut from = 0;
        for h in HEADINGS {
            // A heading starts a paragraph: at the start of a line.
            match doc[from..]
                .match_indices(h)
                .find(|(i, _)| from + i == 0 || doc.as_bytes()[from + i - 1] == b'\n')
            {
                Some((i, _)) => from += i + h.len(),
                None => {
                    missing.push(format!(
                        "{}: no `{h}` paragraph (after the previous heading)",
                        p.name()
                    ));
                    break;
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "pass documentation:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_pass_has_golden_listings_for_every_version_it_supports() {
    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut missing = Vec::new();
    for p in real_passes() {
        let dir = golden.join(p.name());
        // Its own input, or a `pipeline.txt` running it on another's input.
        let pipeline = std::fs::read_to_string(dir.join("pipeline.txt")).unwrap_or_default();
        let runs_it = pipeline
            .lines()
            .filter_map(|l| l.strip_prefix("passes:"))
            .any(|l| l.split_whitespace().any(|n| n == p.name()));
        if !dir.join("input.py").is_file() && !runs_it {
            missing.push(format!(
                "{}: neither tests/golden/{}/input.py nor a pipeline.txt that runs it",
                p.name(),
                p.name()
            ));
            continue;
        }
        let supported: Vec<PyVersion> = PyVersion::ALL
            .into_iter()
            .filter(|&v| p.supports(v))
            .collect();
        if supported.is_empty() {
            missing.push(format!("{}: supports no version", p.name()));
        }
        for v in supported {
            if !dir.join(format!("{v}.txt")).is_file() {
                missing.push(format!(
                    "{}: no tests/golden/{}/{v}.txt",
                    p.name(),
                    p.name()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "golden listings:\n{}",
        missing.join("\n")
    );
}
