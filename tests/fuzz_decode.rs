//! Property tests over mutated real `.pyc` files: whatever the bytes,
//! `roundtrip_bytes`, `verify_bytes` and `disassemble` return (`Ok` or `Err`)
//! without panicking, in bounded time and memory; every error's message
//! names its offset, which lies inside the file (except the writer's).
//!
//! The corpus is a few small standard-library modules compiled by each
//! installed CPython 3.8–3.13 (`$PYENV_ROOT/versions/3.X.*/lib/python3.X/
//! __pycache__/`, `PYENV_ROOT` defaulting to `~/.pyenv`). Without any of them
//! the tests are skipped with a message, or fail when `CI=true`.
//!
//! The random seed is printed on failure; set `PYOPT_FUZZ_SEED=<n>` to replay
//! it, and `PYOPT_FUZZ_CASES=<n>` to run more (or fewer) cases per strategy.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use pyopt::opt::verify::verify_bytes;
use pyopt::roundtrip::{roundtrip_bytes, PycFile};
use pyopt::ErrorKind;

// ------------------------------------------------------------ allocation probe

#[path = "common/alloc_probe.rs"]
mod alloc_probe;

#[global_allocator]
static PROBE: alloc_probe::Probe = alloc_probe::Probe;

use alloc_probe::measure;

// ------------------------------------------------------------------ corpus

const MODULES: [&str; 6] = ["keyword", "bisect", "colorsys", "copyreg", "stat", "this"];
const MINORS: [u32; 6] = [8, 9, 10, 11, 12, 13];

struct Pyc {
    name: String,
    data: Vec<u8>,
}

fn find_corpus() -> Vec<Pyc> {
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")));
    let Some(root) = root else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(root.join("versions")) else {
        return Vec::new();
    };
    let mut dirs: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for minor in MINORS {
        // The first installed 3.X.* only: one file per module and version.
        let prefix = format!("3.{minor}.");
        let Some(dir) = dirs.iter().find(|d| d.starts_with(&prefix)) else {
            continue;
        };
        let cache = root
            .join("versions")
            .join(dir)
            .join(format!("lib/python3.{minor}/__pycache__"));
        for m in MODULES {
            let file = cache.join(format!("{m}.cpython-3{minor}.pyc"));
            if let Ok(data) = std::fs::read(&file) {
                out.push(Pyc {
                    name: format!("3.{minor}/{m}"),
                    data,
                });
            }
        }
    }
    out
}

fn corpus() -> &'static [Pyc] {
    static CORPUS: OnceLock<Vec<Pyc>> = OnceLock::new();
    CORPUS.get_or_init(find_corpus)
}

/// The corpus, or `None` (after saying why) when there is none outside CI.
fn corpus_or_skip(test: &str) -> Option<&'static [Pyc]> {
    let c = corpus();
    if !c.is_empty() {
        return Some(c);
    }
    let msg = "no stdlib .pyc files of CPython 3.8-3.13 found under \
               $PYENV_ROOT/versions/3.X.*/lib/python3.X/__pycache__/";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {msg} (required because CI=true)");
    }
    eprintln!("skipping {test}: {msg}");
    None
}

// --------------------------------------------------------------- mutations

/// One way to damage a file. Positions are chosen relative to the file's
/// length; [`Mutation::apply`] resolves them and describes what it did.
#[derive(Clone, Debug)]
enum Mutation {
    Truncate {
        file: usize,
        at: Index,
    },
    FlipBits {
        file: usize,
        flips: Vec<(Index, u8)>,
    },
    Splice {
        dst: usize,
        src: usize,
        from: Index,
        len: usize,
        at: Index,
        /// Overwrite `len` bytes of `dst` instead of inserting.
        replace: bool,
    },
    Overwrite {
        file: usize,
        at: Index,
        /// Put the window right after a marshal type byte that is followed
        /// by a length or index, instead of anywhere.
        after_type_code: bool,
        value: i32,
    },
}

/// Type codes (without FLAG_REF) followed by an i32 length, count or index.
const I32_CODES: &[u8] = b"sauAt([<>lrc";

impl Mutation {
    fn apply(&self, corpus: &[Pyc]) -> (Vec<u8>, String) {
        match self {
            Mutation::Truncate { file, at } => {
                let f = &corpus[*file];
                let at = at.index(f.data.len());
                (
                    f.data[..at].to_vec(),
                    format!("truncate {} ({} bytes) at {at}", f.name, f.data.len()),
                )
            }
            Mutation::FlipBits { file, flips } => {
                let f = &corpus[*file];
                let mut data = f.data.clone();
                let mut what = Vec::new();
                for (at, bit) in flips {
                    let at = at.index(data.len());
                    data[at] ^= 1 << bit;
                    what.push(format!("{at}.{bit}"));
                }
                (
                    data,
                    format!("flip bits (byte.bit) {} in {}", what.join(" "), f.name),
                )
            }
            Mutation::Splice {
                dst,
                src,
                from,
                len,
                at,
                replace,
            } => {
                let (d, s) = (&corpus[*dst], &corpus[*src]);
                let from = from.index(s.data.len());
                let len = (*len).min(s.data.len() - from);
                let slice = &s.data[from..from + len];
                let at = at.index(d.data.len() + 1);
                let mut data = d.data.clone();
                let end = if *replace {
                    (at + len).min(data.len())
                } else {
                    at
                };
                data.splice(at..end, slice.iter().copied());
                let how = if *replace { "over" } else { "into" };
                (
                    data,
                    format!(
                        "splice {}[{from}..{}] {how} {} at {at}",
                        s.name,
                        from + len,
                        d.name
                    ),
                )
            }
            Mutation::Overwrite {
                file,
                at,
                after_type_code,
                value,
            } => {
                let f = &corpus[*file];
                let mut data = f.data.clone();
                let spots: Vec<usize> = if *after_type_code {
                    (16..data.len().saturating_sub(4))
                        .filter(|&i| I32_CODES.contains(&(data[i] & 0x7f)))
                        .map(|i| i + 1)
                        .collect()
                } else {
                    (0..data.len().saturating_sub(3)).collect()
                };
                if spots.is_empty() {
                    return (data, format!("nothing to overwrite in {}", f.name));
                }
                let at = spots[at.index(spots.len())];
                data[at..at + 4].copy_from_slice(&value.to_le_bytes());
                (
                    data,
                    format!(
                        "overwrite {}[{at}..{}] with {value} ({:#x})",
                        f.name,
                        at + 4,
                        *value as u32
                    ),
                )
            }
        }
    }
}

fn file_index() -> BoxedStrategy<usize> {
    (0..corpus().len()).boxed()
}

fn truncate() -> BoxedStrategy<Mutation> {
    (file_index(), any::<Index>())
        .prop_map(|(file, at)| Mutation::Truncate { file, at })
        .boxed()
}

fn flip_bits() -> BoxedStrategy<Mutation> {
    (
        file_index(),
        prop::collection::vec((any::<Index>(), 0u8..8), 1..=8),
    )
        .prop_map(|(file, flips)| Mutation::FlipBits { file, flips })
        .boxed()
}

fn splice() -> BoxedStrategy<Mutation> {
    (
        file_index(),
        file_index(),
        any::<Index>(),
        prop_oneof![1usize..16, 16usize..512, 512usize..10_000],
        any::<Index>(),
        any::<bool>(),
    )
        .prop_map(|(dst, src, from, len, at, replace)| Mutation::Splice {
            dst,
            src,
            from,
            len,
            at,
            replace,
        })
        .boxed()
}

fn overwrite_i32() -> BoxedStrategy<Mutation> {
    let value = prop_oneof![
        Just(i32::MAX),
        Just(i32::MIN),
        Just(-1),
        Just(0),
        0i32..300,
        any::<i32>(),
    ];
    (file_index(), any::<Index>(), any::<bool>(), value)
        .prop_map(|(file, at, after_type_code, value)| Mutation::Overwrite {
            file,
            at,
            after_type_code,
            value,
        })
        .boxed()
}

// ----------------------------------------------------------------- checks

thread_local! {
    /// Set while [`guarded`] runs its closure on this thread.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// Where the last guarded panic on this thread happened.
    static PANIC_AT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Runs `f`, turning a panic into an error with its message and location.
/// Guarded panics are not printed (shrinking would repeat them many times);
/// any other panic goes to the default hook.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(|g| g.get()) {
                let at = info
                    .location()
                    .map_or_else(String::new, |l| format!(" at {l}"));
                PANIC_AT.with(|p| *p.borrow_mut() = at);
            } else {
                default(info);
            }
        }));
    });
    GUARDED.with(|g| g.set(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    r.map_err(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "<non-string panic payload>".into());
        format!("{msg}{}", PANIC_AT.with(|p| p.take()))
    })
}

/// Whether errors of this kind carry an offset in the input file (all but
/// the writer's, which name an offset in its output).
fn offset_in_input(k: &ErrorKind) -> bool {
    !matches!(k, ErrorKind::Encode(_))
}

/// What the entry points made of one input.
#[derive(Clone, Copy, Debug, Default)]
struct Outcome {
    /// Header and marshal body decoded.
    parsed: bool,
    /// `roundtrip_bytes` returned `Ok`.
    round_tripped: bool,
    /// The largest peak of live bytes of the three calls.
    peak: usize,
}

/// Runs the three entry points on `data`; `Err` describes a violation.
fn check(data: &[u8]) -> Result<Outcome, String> {
    let start = Instant::now();
    let parsed = guarded(|| PycFile::parse(data).err())
        .map_err(|p| format!("PycFile::parse panicked: {p}"))?;
    // Generous: the decoder's arenas are a few times the input, the bytecode
    // IR and listing some tens of times; a length taken from the file on
    // trust would be gigabytes.
    let limit = 64 * data.len() + (1 << 20);
    let mut top = 0;
    macro_rules! run {
        ($name:literal, $call:expr) => {{
            let (r, peak, _) =
                guarded(|| measure(|| $call)).map_err(|p| format!("{} panicked: {p}", $name))?;
            top = top.max(peak);
            if peak > limit {
                return Err(format!(
                    "{} allocated {peak} bytes for {} input bytes",
                    $name,
                    data.len()
                ));
            }
            if let (Some(pe), Err(e)) = (&parsed, &r) {
                if pe != e {
                    return Err(format!("{} failed with {e} but parsing with {pe}", $name));
                }
            }
            if parsed.is_some() && r.is_ok() {
                return Err(format!("{} accepted a file that does not parse", $name));
            }
            r.map(|_| ())
        }};
    }
    let results = [
        run!("roundtrip_bytes", roundtrip_bytes(data)),
        run!("verify_bytes", verify_bytes(data)),
        run!("disassemble", pyopt::dis::disassemble(data, None)),
    ];
    for e in results.iter().filter_map(|r| r.as_ref().err()) {
        let text = e.to_string();
        if !text.contains(&format!("at byte {}", e.offset)) {
            return Err(format!("error message without its offset: {text}"));
        }
        if offset_in_input(&e.kind) && e.offset > data.len() {
            return Err(format!(
                "error offset {} past the end of the {}-byte input: {text}",
                e.offset,
                data.len()
            ));
        }
    }
    let took = start.elapsed();
    if took > Duration::from_secs(5) {
        return Err(format!("took {took:?}"));
    }
    Ok(Outcome {
        parsed: parsed.is_none(),
        round_tripped: results[0].is_ok(),
        peak: top,
    })
}

fn seed() -> u64 {
    if let Some(s) = std::env::var("PYOPT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return s;
    }
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    t ^ (std::process::id() as u64).rotate_left(32)
}

fn cases(default: u32) -> u32 {
    std::env::var("PYOPT_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Counts over the cases of one run.
#[derive(Debug, Default)]
struct Stats {
    cases: u32,
    parsed: u32,
    round_tripped: u32,
}

/// Runs `strategy` for `n` cases from a fresh seed; panics with the seed and
/// the (shrunk) mutation on the first violation. `None` when skipped.
fn fuzz(test: &str, strategy: fn() -> BoxedStrategy<Mutation>, n: u32) -> Option<Stats> {
    let corpus = corpus_or_skip(test)?;
    let seed = seed();
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases: cases(n),
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let stats = std::cell::RefCell::new(Stats::default());
    let start = Instant::now();
    let result = runner.run(&strategy(), |m| {
        let (data, what) = m.apply(corpus);
        let o = check(&data).map_err(|e| TestCaseError::fail(format!("{what}: {e}")))?;
        let mut s = stats.borrow_mut();
        s.cases += 1;
        s.parsed += o.parsed as u32;
        s.round_tripped += o.round_tripped as u32;
        Ok(())
    });
    let stats = stats.into_inner();
    eprintln!(
        "{test}: {} cases in {:?} (seed {seed}): {} parsed, {} round-tripped",
        stats.cases,
        start.elapsed(),
        stats.parsed,
        stats.round_tripped
    );
    match result {
        Ok(()) => Some(stats),
        Err(TestError::Fail(why, m)) => {
            panic!("{test} failed (replay with PYOPT_FUZZ_SEED={seed}): {why}\nmutation: {m:?}")
        }
        Err(TestError::Abort(why)) => {
            panic!("{test} aborted (PYOPT_FUZZ_SEED={seed}): {why}")
        }
    }
}

// ------------------------------------------------------------------ tests

#[test]
fn unmutated_files_round_trip_identically() {
    let Some(corpus) = corpus_or_skip("unmutated_files_round_trip_identically") else {
        return;
    };
    let mut versions = std::collections::BTreeSet::new();
    let mut worst = 0f64;
    for f in corpus {
        let rt = roundtrip_bytes(&f.data).unwrap_or_else(|e| panic!("{}: {e}", f.name));
        let o = check(&f.data).unwrap_or_else(|e| panic!("{}: {e}", f.name));
        worst = worst.max(o.peak as f64 / f.data.len() as f64);
        assert!(
            rt.identical,
            "{}: round trip differs at byte {:?}",
            f.name, rt.first_difference
        );
        assert!(rt.code_objects >= 1, "{}", f.name);
        versions.extend(rt.version);
    }
    eprintln!(
        "{} files of {} versions round-trip identically; peak memory at most {worst:.1}x the file size",
        corpus.len(),
        versions.len()
    );
}

#[test]
fn every_prefix_of_one_file_per_version() {
    // Exhaustive for the smallest file of each version: cheap and catches
    // any truncation the random cases miss.
    let Some(corpus) = corpus_or_skip("every_prefix_of_one_file_per_version") else {
        return;
    };
    let mut smallest: std::collections::BTreeMap<&str, &Pyc> = Default::default();
    for f in corpus {
        let v = f.name.split('/').next().unwrap_or("");
        let e = smallest.entry(v).or_insert(f);
        if f.data.len() < e.data.len() {
            *e = f;
        }
    }
    for f in smallest.values() {
        for cut in 0..f.data.len() {
            let data = &f.data[..cut];
            check(data).unwrap_or_else(|e| panic!("{} cut at {cut}: {e}", f.name));
            assert!(
                PycFile::parse(data).is_err(),
                "{} cut at {cut} still parses",
                f.name
            );
        }
    }
}

#[test]
fn truncated_files() {
    if let Some(s) = fuzz("truncated_files", truncate, 3000) {
        // A strict prefix never holds a whole marshal object.
        assert_eq!(s.parsed, 0, "{s:?}");
    }
}

#[test]
fn files_with_flipped_bits() {
    if let Some(s) = fuzz("files_with_flipped_bits", flip_bits, 12_000) {
        // Flips inside strings and bytes keep the file parseable: make sure
        // the bytecode layers were exercised, not just the marshal reader.
        assert!(s.parsed >= s.cases / 50, "{s:?}");
        assert!(s.round_tripped > 0, "{s:?}");
    }
}

#[test]
fn files_spliced_into_each_other() {
    fuzz("files_spliced_into_each_other", splice, 6000);
}

#[test]
fn files_with_an_overwritten_i32() {
    if let Some(s) = fuzz("files_with_an_overwritten_i32", overwrite_i32, 12_000) {
        assert!(s.parsed >= s.cases / 50, "{s:?}");
    }
}
