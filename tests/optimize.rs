#![cfg(feature = "test-passes")]
//! `pyopt optimize` end to end, on copies of real standard libraries of every
//! installed CPython 3.8–3.13: nothing changes without passes; the opt-in
//! test passes give deterministic, idempotent, valid output that every
//! interpreter loads and runs the same; bad files, panics and verifier
//! rejections cost only themselves; a SIGKILL (also in the middle of a
//! batch-mode flush) leaves every file old or new;
//! the command-line options and the configuration file do what they say.
//!
//! Needs the `test-passes` feature (`cargo test --features test-passes`),
//! which builds the `test-*` passes into the binary.

mod common;

use common::{finish, Run};

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MINORS: [u8; 6] = [8, 9, 10, 11, 12, 13];
const PAD: &str = "test-pad-extended-args";
const TEMP_MARKER: &str = ".pyopt-tmp-";

// ---------------------------------------------------------------------------
// Helpers

fn pyopt_cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pyopt"));
    // Panics of the test-panic pass print through the panic hook; keep that short.
    c.env("RUST_BACKTRACE", "0");
    c
}

fn pyopt(args: &[&str]) -> Run {
    finish(pyopt_cmd().args(args))
}

fn pyopt_in(dir: &Path, args: &[&str]) -> Run {
    finish(pyopt_cmd().current_dir(dir).args(args))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A fresh scratch directory under the target dir.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("optimize")
        .join(name);
    if dir.exists() {
        make_dirs_accessible(&dir);
        fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("remove {}: {e}", dir.display()));
    }
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// chmod 755 every directory below `dir` (a run may have left one at 000).
fn make_dirs_accessible(dir: &Path) {
    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o755));
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                make_dirs_accessible(&e.path());
            }
        }
    }
}

/// `lib/python3.X` of the installed interpreter (skips with a message when
/// it is missing, fails under CI=true).
fn stdlib(minor: u8) -> Option<PathBuf> {
    let python = common::require_or_skip(minor)?;
    Some(
        python
            .parent()?
            .parent()?
            .join("lib")
            .join(format!("python3.{minor}")),
    )
}

fn python_of(minor: u8) -> PathBuf {
    common::find_python(minor).expect("interpreter found before")
}

/// Every regular file below `root` (symlinks are not followed), relative, sorted.
fn files_below(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .expect("below root")
                .to_path_buf()
        })
        .collect();
    out.sort();
    out
}

/// Copies the files below `src` for which `keep(relative path)` holds;
/// with `mtimes`, modification times are preserved (needed for sources and
/// their timestamp pycs).
fn copy_filtered(src: &Path, dst: &Path, keep: &dyn Fn(&Path) -> bool, mtimes: bool) -> usize {
    let mut n = 0;
    for rel in files_below(src) {
        if !keep(&rel) {
            continue;
        }
        let (from, to) = (src.join(&rel), dst.join(&rel));
        fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        fs::copy(&from, &to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
        if mtimes {
            let m = fs::metadata(&from)
                .and_then(|m| m.modified())
                .expect("mtime");
            fs::File::options()
                .write(true)
                .open(&to)
                .and_then(|f| f.set_modified(m))
                .expect("set mtime");
        }
        n += 1;
    }
    n
}

fn copy_all(src: &Path, dst: &Path) -> usize {
    copy_filtered(src, dst, &|_| true, false)
}

fn is_pyc(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "pyc")
}

/// Copies the `json`, `email`, `asyncio` and `collections` packages' pycs
/// and those of a few top-level modules of `lib` into `dst`.
fn copy_stdlib_subset(lib: &Path, minor: u8, dst: &Path) -> usize {
    let mut n = 0;
    for pkg in ["json", "email", "asyncio", "collections"] {
        n += copy_filtered(&lib.join(pkg), &dst.join(pkg), &is_pyc, false);
    }
    let top = [
        "os",
        "functools",
        "typing",
        "bisect",
        "keyword",
        "dataclasses",
    ];
    let prefix = |m: &str| format!("{m}.cpython-3{minor}");
    n += copy_filtered(
        &lib.join("__pycache__"),
        &dst.join("__pycache__"),
        &|rel: &Path| {
            let name = rel.to_string_lossy();
            is_pyc(rel) && top.iter().any(|m| name.starts_with(&prefix(m)))
        },
        false,
    );
    assert!(
        n > 150,
        "3.{minor}: only {n} files copied from {}",
        lib.display()
    );
    n
}

type Contents = BTreeMap<PathBuf, Vec<u8>>;

/// The bytes of every regular file below `root`.
fn contents(root: &Path) -> Contents {
    files_below(root)
        .into_iter()
        .map(|rel| {
            let data = fs::read(root.join(&rel)).expect("read");
            (rel, data)
        })
        .collect()
}

/// (mtime seconds, mtime nanoseconds, inode, mode) of every regular file below `root`.
fn stamps(root: &Path) -> BTreeMap<PathBuf, (i64, i64, u64, u32)> {
    files_below(root)
        .into_iter()
        .map(|rel| {
            let m = fs::metadata(root.join(&rel)).expect("stat");
            (rel, (m.mtime(), m.mtime_nsec(), m.ino(), m.mode()))
        })
        .collect()
}

/// Names of the files whose bytes differ between two snapshots (or exist in
/// only one).
fn differing(a: &Contents, b: &Contents) -> Vec<PathBuf> {
    let mut keys: Vec<&PathBuf> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

fn assert_same(a: &Contents, b: &Contents, what: &str) {
    let diff = differing(a, b);
    assert!(
        diff.is_empty(),
        "{what}: {} files differ, e.g. {:?}",
        diff.len(),
        &diff[..diff.len().min(10)]
    );
}

/// `[files, changed, unchanged, failed]` from the summary line of `optimize`.
fn summary(out: &str) -> [usize; 4] {
    let line = out
        .lines()
        .rev()
        .find(|l| l.contains(" files: "))
        .unwrap_or_else(|| panic!("no summary line in:\n{out}"));
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .take(4)
        .map(|t| t.parse().expect("number"))
        .collect();
    nums.try_into()
        .unwrap_or_else(|_| panic!("bad summary line: {line}"))
}

/// Whether some line of `text` contains every needle.
fn has_line(text: &str, needles: &[&str]) -> bool {
    text.lines().any(|l| needles.iter().all(|n| l.contains(n)))
}

fn python(minor: u8, args: &[&str], pythonpath: Option<&Path>, cwd: &Path) -> Run {
    let mut c = Command::new(python_of(minor));
    c.args(args)
        .current_dir(cwd)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("PYTHONHOME")
        .env_remove("PYTHONSTARTUP")
        .env_remove("PYTHONOPTIMIZE");
    match pythonpath {
        Some(p) => c.env("PYTHONPATH", p),
        None => c.env_remove("PYTHONPATH"),
    };
    finish(&mut c)
}

/// Compiles `source` with 3.`minor`'s `py_compile` into `cfile`.
fn py_compile(minor: u8, source: &Path, cfile: &Path) {
    let r = python(
        minor,
        &[
            "-c",
            "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
            s(source),
            s(cfile),
        ],
        None,
        source.parent().expect("parent"),
    );
    assert_eq!(r.code, Some(0), "py_compile 3.{minor}: {r}");
}

/// The installed interpreters among `minors`, with a skip message for the
/// missing ones.
fn available(minors: &[u8]) -> Vec<u8> {
    minors
        .iter()
        .copied()
        .filter(|&m| common::require_or_skip(m).is_some())
        .collect()
}

// ---------------------------------------------------------------------------
// 1. No passes: nothing changes

/// Every pass on at the default `safe` level: tests that exercise the
/// driver with a test-only pass alone switch these off.
const SAFE_PASSES: &str =
    "constant-folding,jump-threading,dead-code,redundant-to-bool,loop-rotation,swap-stores,superinstructions,nop-removal";

#[test]
fn without_passes_no_file_of_any_stdlib_changes() {
    let dir = scratch("no_passes");
    let mut n = 0;
    for minor in MINORS {
        if let Some(lib) = stdlib(minor) {
            n += copy_stdlib_subset(&lib, minor, &dir.join(format!("3{minor}")));
        }
    }
    if n == 0 {
        return;
    }
    let before = contents(&dir);
    let stamps_before = stamps(&dir);
    assert_eq!(before.len(), n);
    let d = s(&dir);
    for args in [
        vec!["optimize", "--disable", "all", d],
        // No configuration, the safe level without its passes.
        vec!["optimize", "--level", "safe", "--disable", SAFE_PASSES, d],
        vec![
            "optimize",
            "--enable",
            "all",
            "--disable",
            "all",
            "--jobs",
            "2",
            d,
        ],
    ] {
        let r = pyopt(&args);
        assert_eq!(r.code, Some(0), "{args:?}: {r}");
        assert_eq!(summary(&r.out), [n, 0, n, 0], "{args:?}: {r}");
        assert!(r.out.contains("(0 passes enabled)"), "{args:?}: {r}");
        assert_same(&contents(&dir), &before, &format!("{args:?}"));
        // Unchanged files are not even rewritten.
        assert_eq!(stamps(&dir), stamps_before, "{args:?}: files were touched");
    }
}

// ---------------------------------------------------------------------------
// 2. Determinism and idempotence

#[test]
fn output_is_deterministic_and_idempotent() {
    let base = scratch("determinism");
    let orig = base.join("orig");
    let mut n = 0;
    for minor in available(&[8, 13]) {
        let lib = stdlib(minor).expect("available");
        n += copy_stdlib_subset(&lib, minor, &orig.join(format!("3{minor}")));
    }
    if n == 0 {
        return;
    }
    let original = contents(&orig);
    let (a, b, c, d) = (
        base.join("a"),
        base.join("b"),
        base.join("c"),
        base.join("d"),
    );
    for dir in [&a, &b, &c, &d] {
        assert_eq!(copy_all(&orig, dir), n);
    }

    // Every durability mode writes the same bytes (`batch` is the default).
    let r1 = pyopt(&["optimize", "--enable", PAD, "--jobs", "1", s(&a)]);
    assert_eq!(r1.code, Some(0), "{r1}");
    let r2 = pyopt(&[
        "optimize",
        "--enable",
        PAD,
        "--jobs",
        "2",
        "--fsync",
        "always",
        s(&b),
    ]);
    assert_eq!(r2.code, Some(0), "{r2}");
    let r3 = pyopt(&[
        "optimize",
        "--enable",
        PAD,
        "--jobs",
        "2",
        "--fsync",
        "never",
        s(&d),
    ]);
    assert_eq!(r3.code, Some(0), "{r3}");
    let out_a = contents(&a);
    assert_same(&out_a, &contents(&b), "--jobs 1 vs --jobs 2 --fsync always");
    assert_same(&out_a, &contents(&d), "--jobs 1 vs --jobs 2 --fsync never");
    for dir in [&a, &b, &d] {
        assert!(
            files_below(dir)
                .iter()
                .all(|p| !p.to_string_lossy().contains(TEMP_MARKER)),
            "{}: temporary files left",
            dir.display()
        );
    }

    // Nearly every file changed (an empty module of 3.12+ has nothing to
    // pad), and the summary counts exactly the changed files.
    let changed = differing(&original, &out_a);
    assert!(
        changed.len() * 10 >= n * 9,
        "only {} of {n} files changed",
        changed.len()
    );
    assert_eq!(
        summary(&r1.out),
        [n, changed.len(), n - changed.len(), 0],
        "{r1}"
    );
    assert_eq!(summary(&r2.out), summary(&r1.out), "{r2}");
    assert_eq!(summary(&r3.out), summary(&r1.out), "{r3}");

    // A second run changes nothing and touches nothing.
    let stamps_a = stamps(&a);
    let again = pyopt(&["optimize", "--enable", PAD, s(&a)]);
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(summary(&again.out), [n, 0, n, 0], "{again}");
    assert_same(&contents(&a), &out_a, "second run");
    assert_eq!(stamps(&a), stamps_a, "second run touched files");

    // --check: 0 on the optimized tree, 1 on an unoptimized one, writes nothing.
    let check = pyopt(&["optimize", "--check", "--enable", PAD, s(&a)]);
    assert_eq!(check.code, Some(0), "{check}");
    let stamps_c = stamps(&c);
    let check = pyopt(&["optimize", "--check", "--enable", PAD, s(&c)]);
    assert_eq!(check.code, Some(1), "{check}");
    assert!(check.out.contains("would change"), "{check}");
    assert_eq!(summary(&check.out)[1], changed.len(), "{check}");
    assert_same(&contents(&c), &original, "--check wrote");
    assert_eq!(stamps(&c), stamps_c, "--check touched files");
    assert!(
        files_below(&c)
            .iter()
            .all(|p| !p.to_string_lossy().contains(TEMP_MARKER)),
        "--check left temporary files"
    );
}

// ---------------------------------------------------------------------------
// 3. The optimized files are valid and behave the same

const MARSHAL_CHECK: &str = r#"
import dis, importlib.util, marshal, os, sys, types
root, tag = sys.argv[1], "." + sys.argv[2] + "."
n = 0
def walk(code):
    list(dis.get_instructions(code))
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            walk(c)
for d, _, files in os.walk(root):
    for f in sorted(files):
        if f.endswith(".pyc") and tag in f:
            data = open(os.path.join(d, f), "rb").read()
            assert data[:4] == importlib.util.MAGIC_NUMBER, f
            code = marshal.loads(data[16:])
            assert isinstance(code, types.CodeType), f
            walk(code)
            n += 1
print(n)
"#;

const JSON_EXERCISE: &str = r#"
import json, json.decoder, json.encoder, json.scanner, os
data = {"b": [1, 2.5, None, True, False, "x\u00e9\n\"q\""], "a": {"nested": [[], {}], "n": -3e-7},
        "c": "tab\t", "d": list(range(5))}
print(json.dumps(data, indent=2, sort_keys=True))
print(json.dumps(data, indent="\t", sort_keys=True, ensure_ascii=False))
print(json.dumps(data, separators=(",", ":"), sort_keys=True))
print(json.loads('{"k": [1, 2, {"z": null}], "s": "\\u00e9", "f": 1.5e3}'))
dec = json.JSONDecoder()
dec.parse_string = json.decoder.py_scanstring
dec.scan_once = json.scanner.py_make_scanner(dec)
print(dec.decode('[1, "two", {"3": 4.0, "t": [true, false, null]}, -0.5e2]'))
print(list(json.encoder.JSONEncoder(indent=1, sort_keys=True).iterencode({"x": [1, {"y": 2}]})))
for bad in ['{"a": 1,}', '[1, 2', '{"a" 1}', '"unterminated', '[1, 2] x']:
    for decode in (json.loads, dec.decode):
        try:
            decode(bad)
        except json.JSONDecodeError as e:
            print(type(e).__name__, repr(e.msg), e.pos, e.lineno, e.colno, str(e))
print(os.path.relpath(json.__cached__, os.environ["PYTHONPATH"]))
"#;

#[test]
fn optimized_files_load_and_behave_the_same_in_every_interpreter() {
    let base = scratch("valid");
    let minors = available(&MINORS);
    if minors.is_empty() {
        return;
    }
    let mut opt_roots = Vec::new();
    for &minor in &minors {
        let lib = stdlib(minor).expect("available");
        let v = base.join(format!("3{minor}"));
        // Sources with their mtimes, so that the timestamp pycs are used.
        let all = |_: &Path| true;
        copy_filtered(&lib.join("json"), &v.join("orig").join("json"), &all, true);
        copy_filtered(&lib.join("json"), &v.join("opt").join("json"), &all, true);
        copy_stdlib_subset(&lib, minor, &v.join("opt").join("extra"));
        opt_roots.push(v.join("opt"));
    }
    let mut args = vec!["optimize", "--enable", PAD];
    args.extend(opt_roots.iter().map(|p| s(p)));
    let r = pyopt(&args);
    assert_eq!(r.code, Some(0), "{r}");
    let [files, changed, _, failed] = summary(&r.out);
    assert!(files > 0 && changed * 10 >= files * 9 && failed == 0, "{r}");

    let mut args = vec!["verify"];
    args.extend(opt_roots.iter().map(|p| s(p)));
    let r = pyopt(&args);
    assert_eq!(r.code, Some(0), "pyopt verify on the optimized trees: {r}");

    for &minor in &minors {
        let v = base.join(format!("3{minor}"));
        let (orig, opt) = (v.join("orig"), v.join("opt"));
        let tag = format!("cpython-3{minor}");

        // Every optimized file of this version loads with marshal.
        let expected = files_below(&opt)
            .iter()
            .filter(|p| is_pyc(p) && p.to_string_lossy().contains(&format!(".{tag}.")))
            .count();
        let r = python(minor, &["-c", MARSHAL_CHECK, s(&opt), &tag], None, &base);
        assert_eq!(r.code, Some(0), "3.{minor} marshal.loads: {r}");
        assert_eq!(r.out.trim(), expected.to_string(), "3.{minor}: {r}");

        // The json package behaves the same with the optimized pycs, and
        // they are really what was imported.
        let want = python(minor, &["-v", "-c", JSON_EXERCISE], Some(&orig), &base);
        let got = python(minor, &["-v", "-c", JSON_EXERCISE], Some(&opt), &base);
        assert_eq!(want.code, Some(0), "3.{minor} original: {want}");
        assert_eq!(got.code, Some(0), "3.{minor} optimized: {got}");
        assert!(want.out.contains("JSONDecodeError"), "{want}");
        assert_eq!(got.out, want.out, "3.{minor}: output differs");
        for module in ["__init__", "decoder", "scanner", "encoder"] {
            let rel = format!("json/__pycache__/{module}.{tag}.pyc");
            for (root, run) in [(&orig, &want), (&opt, &got)] {
                let line = format!("code object from '{}'", root.join(&rel).display());
                assert!(
                    run.err.contains(&line),
                    "3.{minor}: {} was not imported from its pyc (no `{line}` in python -v output)",
                    root.join(&rel).display()
                );
            }
            assert_ne!(
                fs::read(orig.join(&rel)).expect("read"),
                fs::read(opt.join(&rel)).expect("read"),
                "3.{minor}: {rel} was not optimized"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 4. Bad input costs only itself

struct FaultTree {
    root: PathBuf,
    good: Vec<PathBuf>,
    bad: Vec<PathBuf>,
    readonly: PathBuf,
    noread: PathBuf,
}

fn fault_tree(name: &str, l12: &Path, l8: &Path) -> FaultTree {
    let root = scratch(name);
    let c12 = l12.join("__pycache__");
    let good12 = fs::read(c12.join("bisect.cpython-312.pyc")).expect("read");
    let w = |rel: &str, data: &[u8]| {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(&p, data).expect("write");
        p
    };
    let empty = w("a_empty.pyc", b"");
    let mut future = good12.clone();
    future[..4].copy_from_slice(&[0x47, 0x0e, 0x0d, 0x0a]);
    let future = w("b_future.pyc", &future);
    let readonly = w(
        "c_readonly.pyc",
        &fs::read(c12.join("keyword.cpython-312.pyc")).expect("read"),
    );
    fs::set_permissions(&readonly, fs::Permissions::from_mode(0o444)).expect("chmod");
    let truncated = w("d_truncated.pyc", &good12[..good12.len() / 2]);
    std::os::unix::fs::symlink(".", root.join("loop")).expect("symlink");
    let good38 = w(
        "m_good38.pyc",
        &fs::read(l8.join("__pycache__").join("bisect.cpython-38.pyc")).expect("read"),
    );
    let noread = w(
        "noread/colorsys.cpython-312.pyc",
        &fs::read(c12.join("colorsys.cpython-312.pyc")).expect("read"),
    );
    let noread = noread.parent().expect("parent").to_path_buf();
    fs::set_permissions(&noread, fs::Permissions::from_mode(0o000)).expect("chmod");
    let good312 = w("z_good312.pyc", &good12);
    FaultTree {
        root,
        good: vec![good38, good312],
        bad: vec![empty, future, truncated],
        readonly,
        noread,
    }
}

#[test]
fn bad_files_are_reported_and_the_run_goes_on() {
    let (Some(l12), Some(l8)) = (stdlib(12), stdlib(8)) else {
        return;
    };
    for follow in [false, true] {
        let t = fault_tree(if follow { "faults_follow" } else { "faults" }, &l12, &l8);
        let noread_testable = fs::read_dir(&t.noread).is_err();
        if !noread_testable {
            println!(
                "the unreadable-directory case is not testable as root (read_dir succeeds on a 000 directory); skipping that assertion"
            );
        }
        let before = |p: &Path| fs::read(p).expect("read");
        let good_before: Vec<Vec<u8>> = t.good.iter().map(|p| before(p)).collect();
        let bad_before: Vec<Vec<u8>> = t.bad.iter().map(|p| before(p)).collect();
        let ro_before = before(&t.readonly);

        let mut args = vec!["optimize", "--enable", PAD];
        if follow {
            args.push("--follow-symlinks");
        } else {
            // One thread: files in path order, the good ones after the bad ones.
            args.extend(["--jobs", "1"]);
        }
        args.push(s(&t.root));
        let r = pyopt(&args);
        // Restore before asserting, so that the directory can be removed.
        let _ = fs::set_permissions(&t.noread, fs::Permissions::from_mode(0o755));
        let ctx = format!("follow={follow}: {r}");
        assert_eq!(r.code, Some(2), "{ctx}");

        let reasons: [(&str, &[&str]); 4] = [
            ("a_empty.pyc", &["truncated"]),
            ("b_future.pyc", &["3.15", "470e0d0a"]),
            ("c_readonly.pyc", &["read-only"]),
            ("d_truncated.pyc", &["truncated"]),
        ];
        for (name, words) in reasons {
            let mut needles = vec![name];
            needles.extend_from_slice(words);
            assert!(
                has_line(&r.err, &needles),
                "no line with {needles:?}; {ctx}"
            );
        }
        let loop_path = format!("{}: ", t.root.join("loop").display());
        if follow {
            assert!(
                has_line(&r.err, &[&loop_path, "loop"]),
                "loop not reported; {ctx}"
            );
        } else {
            assert!(
                !r.err.contains(&loop_path),
                "unfollowed link reported; {ctx}"
            );
        }
        let mut failed = 4 + usize::from(follow);
        let mut files = 6; // a, b, c, d, m, z
        let mut changed = 2;
        if noread_testable {
            assert!(has_line(&r.err, &["noread", "ermission denied"]), "{ctx}");
            failed += 1;
        } else {
            files += 1;
            changed += 1;
        }
        assert_eq!(summary(&r.out), [files, changed, 0, failed], "{ctx}");

        for (p, old) in t.good.iter().zip(&good_before) {
            assert_ne!(&before(p), old, "{} not optimized; {ctx}", p.display());
        }
        for (p, old) in t.bad.iter().zip(&bad_before) {
            assert_eq!(&before(p), old, "{} was changed; {ctx}", p.display());
        }
        assert_eq!(
            before(&t.readonly),
            ro_before,
            "read-only file rewritten; {ctx}"
        );
        let mode = fs::metadata(&t.readonly).expect("stat").mode() & 0o777;
        assert_eq!(mode, 0o444, "read-only file's mode changed; {ctx}");
        assert!(
            files_below(&t.root)
                .iter()
                .all(|p| !p.to_string_lossy().contains(TEMP_MARKER)),
            "temporary file left behind; {ctx}"
        );
    }
}

// ---------------------------------------------------------------------------
// 5. SIGKILL at any moment leaves every file old or new

#[test]
fn sigkill_leaves_every_file_either_old_or_new() {
    let Some(minor) = [11u8, 13, 12, 10, 9, 8]
        .into_iter()
        .find(|&m| common::find_python(m).is_some())
        .or_else(|| common::require_or_skip(11).map(|_| 11))
    else {
        return;
    };
    let lib = stdlib(minor).expect("found");
    let base = scratch("sigkill");
    let orig = base.join("orig");
    let n = copy_filtered(
        &lib,
        &orig,
        &|rel: &Path| is_pyc(rel) && !rel.starts_with("test") && !rel.starts_with("site-packages"),
        false,
    );
    assert!(n >= 1000, "3.{minor}: only {n} files");
    let original = contents(&orig);

    let expected_dir = base.join("expected");
    copy_all(&orig, &expected_dir);
    let r = pyopt(&["optimize", "--enable", PAD, "--jobs", "2", s(&expected_dir)]);
    assert_eq!(r.code, Some(0), "{r}");
    let expected = contents(&expected_dir);
    let changeable: Vec<&PathBuf> = original
        .keys()
        .filter(|k| original[*k] != expected[*k])
        .collect();
    assert!(changeable.len() * 10 >= n * 9, "{r}");
    // The first files in path order are the first the first worker takes.
    let probes: Vec<&PathBuf> = changeable.iter().copied().take(16).collect();

    for (attempt, delay_ms) in [150u64, 40, 5, 0].into_iter().enumerate() {
        let victim = base.join(format!("victim{attempt}"));
        copy_all(&orig, &victim);
        let mut child = pyopt_cmd()
            .args(["optimize", "--enable", PAD, "--jobs", "2", s(&victim)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn pyopt");
        let start = Instant::now();
        let mut exited = false;
        loop {
            if child.try_wait().expect("try_wait").is_some() {
                exited = true;
                break;
            }
            let started = probes
                .iter()
                .any(|p| fs::read(victim.join(p)).is_ok_and(|d| d != original[*p]));
            if started {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no file changed in 60 s"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        if !exited {
            std::thread::sleep(Duration::from_millis(delay_ms));
            child.kill().expect("SIGKILL");
        }
        let status = child.wait().expect("wait");

        let (mut old, mut new) = (0usize, 0usize);
        for rel in original.keys() {
            let d = fs::read(victim.join(rel)).unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
            if d == expected[rel] {
                if d != original[rel] {
                    new += 1;
                }
            } else if d == original[rel] {
                old += 1;
            } else {
                panic!(
                    "{}: neither the original nor the optimized bytes after SIGKILL ({} bytes, original {}, optimized {})",
                    rel.display(),
                    d.len(),
                    original[rel].len(),
                    expected[rel].len()
                );
            }
        }
        let temps: Vec<PathBuf> = files_below(&victim)
            .into_iter()
            .filter(|p| p.to_string_lossy().contains(TEMP_MARKER))
            .collect();
        let others = files_below(&victim).len() - temps.len();
        assert_eq!(others, n, "files appeared or vanished: {status}");
        println!(
            "attempt {attempt}: killed after {:?} ({status}): {old} old, {new} new, {} temporary files",
            start.elapsed(),
            temps.len()
        );
        if old == 0 || new == 0 {
            println!("attempt {attempt}: the kill did not land mid-run; retrying");
            continue;
        }

        // The next run removes the temporary files and finishes the job.
        let r = pyopt(&["optimize", "--enable", PAD, "--jobs", "2", s(&victim)]);
        assert_eq!(r.code, Some(0), "{r}");
        assert_eq!(summary(&r.out), [n, old, n - old, 0], "{r}");
        if !temps.is_empty() {
            assert!(
                r.out
                    .contains(&format!("removed {} temporary files", temps.len())),
                "{r}"
            );
        }
        let left: Vec<PathBuf> = files_below(&victim)
            .into_iter()
            .filter(|p| p.to_string_lossy().contains(TEMP_MARKER))
            .collect();
        assert!(left.is_empty(), "temporary files remain: {left:?}");
        assert_same(&contents(&victim), &expected, "after the second run");
        return;
    }
    panic!("the kill never landed mid-run in 4 attempts");
}

/// `--fsync batch` writes every temporary file of a batch, syncs them, then
/// renames them one by one: a SIGKILL in that rename phase leaves each file
/// renamed (new) or still beside its temporary file (old), and the next run
/// removes the temporary files and finishes. The test build's
/// `PYOPT_TEST_RENAME_PAUSE_MS` slows the renames (each of the flush's
/// rename threads pauses before each rename) so that the kill lands between
/// two of them.
#[test]
fn sigkill_during_the_batch_flush_leaves_every_file_either_old_or_new() {
    let Some(minor) = [13u8, 12, 11, 10, 9, 8]
        .into_iter()
        .find(|&m| common::find_python(m).is_some())
        .or_else(|| common::require_or_skip(13).map(|_| 13))
    else {
        return;
    };
    let lib = stdlib(minor).expect("found");
    let base = scratch("sigkill_flush");
    let orig = base.join("orig");
    let n = copy_stdlib_subset(&lib, minor, &orig);
    assert!(n >= 50, "3.{minor}: only {n} files");
    let original = contents(&orig);
    let expected_dir = base.join("expected");
    copy_all(&orig, &expected_dir);
    let args = |dir: &Path| {
        [
            "optimize", "--enable", PAD, "--jobs", "1", "--fsync", "batch",
        ]
        .map(String::from)
        .into_iter()
        .chain([s(dir).to_string()])
        .collect::<Vec<_>>()
    };
    let r = finish(pyopt_cmd().args(args(&expected_dir)));
    assert_eq!(r.code, Some(0), "{r}");
    let expected = contents(&expected_dir);
    let changeable: Vec<&PathBuf> = original
        .keys()
        .filter(|k| original[*k] != expected[*k])
        .collect();
    assert!(changeable.len() * 10 >= n * 9, "{r}");
    // Fewer files than one batch: nothing is renamed before every temporary
    // file is written and synced. A rename gives a file a new inode.
    assert!(n < 1024, "{n} files: more than one batch");
    let inode = |dir: &Path, rel: &Path| fs::metadata(dir.join(rel)).map(|m| m.ino()).ok();

    let victim = base.join("victim");
    copy_all(&orig, &victim);
    let inodes: Vec<Option<u64>> = changeable.iter().map(|rel| inode(&victim, rel)).collect();
    let mut child = pyopt_cmd()
        .args(args(&victim))
        .env("PYOPT_TEST_RENAME_PAUSE_MS", "50")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn pyopt");
    let start = Instant::now();
    loop {
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "the run ended before its flush was seen"
        );
        if changeable
            .iter()
            .zip(&inodes)
            .any(|(rel, ino)| inode(&victim, rel) != *ino)
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no file renamed in 120 s"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");

    let temps: Vec<PathBuf> = files_below(&victim)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(TEMP_MARKER))
        .collect();
    let (mut old, mut new) = (0usize, 0usize);
    for rel in original.keys() {
        let d = fs::read(victim.join(rel)).unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
        if d == original[rel] {
            old += usize::from(expected[rel] != original[rel]);
        } else if d == expected[rel] {
            new += 1;
        } else {
            panic!(
                "{}: neither the original nor the optimized bytes",
                rel.display()
            );
        }
    }
    println!(
        "killed after {:?} ({status}): {old} old, {new} new, {} temporary files",
        start.elapsed(),
        temps.len()
    );
    assert_eq!(
        files_below(&victim).len() - temps.len(),
        n,
        "files appeared or vanished"
    );
    // Killed mid-flush: some renamed, and every other changed file's new
    // bytes wait in a temporary file.
    assert!(
        new >= 1 && old >= 1,
        "{old} old, {new} new: not killed mid-flush"
    );
    assert_eq!(
        temps.len(),
        old,
        "one temporary file per file not yet renamed"
    );
    assert_eq!(new + old, changeable.len());

    let r = finish(pyopt_cmd().args(args(&victim)));
    assert_eq!(r.code, Some(0), "{r}");
    assert_eq!(summary(&r.out), [n, old, n - old, 0], "{r}");
    assert!(
        r.out
            .contains(&format!("removed {} temporary files", temps.len())),
        "{r}"
    );
    let left: Vec<PathBuf> = files_below(&victim)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(TEMP_MARKER))
        .collect();
    assert!(left.is_empty(), "temporary files remain: {left:?}");
    assert_same(&contents(&victim), &expected, "after the second run");
}

// ---------------------------------------------------------------------------
// 6. Panicking passes and verifier rejections

const MARKED_MODULE: &str = r#"
def pyopt_test_panic(a, b):
    x = a + b
    return x * 2


def pyopt_test_miscompile(a):
    y = a - 1
    return y


def normal(a):
    z = a * 3
    return z + 1
"#;

/// `mod.py` compiled by every available interpreter among `minors`, in
/// `dir/3X/mod.pyc`.
fn marked_pycs(dir: &Path, source: &str, minors: &[u8]) -> Vec<(u8, PathBuf)> {
    let src = dir.join("src").join("mod.py");
    fs::create_dir_all(src.parent().expect("parent")).expect("mkdir");
    fs::write(&src, source).expect("write");
    available(minors)
        .into_iter()
        .map(|minor| {
            let out = dir.join("pyc").join(format!("3{minor}")).join("mod.pyc");
            fs::create_dir_all(out.parent().expect("parent")).expect("mkdir");
            py_compile(minor, &src, &out);
            (minor, out)
        })
        .collect()
}

fn dis(file: &Path, function: &str) -> String {
    let r = pyopt(&["dis", s(file), "--function", function]);
    assert_eq!(r.code, Some(0), "{r}");
    assert!(r.out.contains("## "), "no code object {function}: {r}");
    r.out
}

#[test]
fn panics_and_verifier_rejections_keep_the_code_object() {
    let base = scratch("rejections");
    let pycs = marked_pycs(&base, MARKED_MODULE, &[8, 12, 13]);
    if pycs.is_empty() {
        return;
    }
    let tree = base.join("pyc");
    let pristine = base.join("pristine");
    copy_all(&tree, &pristine);
    let passes = format!("{PAD},test-panic,test-miscompile");

    let r = pyopt(&["optimize", "--enable", &passes, s(&tree)]);
    assert_eq!(r.code, Some(0), "not strict: {r}");
    for (minor, pyc) in &pycs {
        let p = pyc.display().to_string();
        assert!(
            has_line(&r.err, &[&p, "pyopt_test_panic", "panic"]),
            "3.{minor}: panic not reported: {r}"
        );
        assert!(
            has_line(&r.err, &[&p, "pyopt_test_miscompile", "underflow"]),
            "3.{minor}: rejection not reported: {r}"
        );
        let old = pristine.join(format!("3{minor}")).join("mod.pyc");
        assert_ne!(
            fs::read(pyc).expect("read"),
            fs::read(&old).expect("read"),
            "3.{minor}: file unchanged"
        );
        for f in ["pyopt_test_panic", "pyopt_test_miscompile"] {
            assert_eq!(dis(pyc, f), dis(&old, f), "3.{minor}: {f} was changed");
        }
        let (new, before) = (dis(pyc, "normal"), dis(&old, "normal"));
        assert_ne!(new, before, "3.{minor}: normal not optimized");
        assert_eq!(
            new.lines().count(),
            before.lines().count(),
            "3.{minor}: {new}"
        );
    }
    assert!(
        r.out
            .contains(&format!("{} code objects rejected", 2 * pycs.len())),
        "{r}"
    );
    let v = pyopt(&["verify", s(&tree)]);
    assert_eq!(v.code, Some(0), "{v}");

    // --strict turns rejections into exit 2; --verify-each names the pass.
    let fresh = base.join("strict");
    copy_all(&pristine, &fresh);
    let r = pyopt(&[
        "optimize",
        "--enable",
        &passes,
        "--strict",
        "--verify-each",
        s(&fresh),
    ]);
    assert_eq!(r.code, Some(2), "--strict: {r}");
    assert!(
        has_line(
            &r.err,
            &[
                "pyopt_test_miscompile",
                "after pass test-miscompile",
                "underflow"
            ]
        ),
        "{r}"
    );
    assert!(has_line(&r.err, &["pyopt_test_panic", "panic"]), "{r}");
    assert_same(&contents(&fresh), &contents(&tree), "--verify-each result");
}

// ---------------------------------------------------------------------------
// 7. Options

/// The 3.12 (or newest available) `json` package's pycs in `dir`.
fn json_tree(dir: &Path) -> Option<usize> {
    let minor = [12u8, 13, 11, 10, 9, 8]
        .into_iter()
        .find(|&m| common::find_python(m).is_some())
        .or_else(|| common::require_or_skip(12).map(|_| 12))?;
    let lib = stdlib(minor)?;
    Some(copy_filtered(&lib.join("json"), dir, &is_pyc, false))
}

#[test]
fn dry_run_report_and_diff() {
    let base = scratch("options");
    let tree = base.join("tree");
    let Some(n) = json_tree(&tree) else { return };
    let original = contents(&tree);
    let stamps0 = stamps(&tree);

    // --dry-run: reports, writes nothing.
    let r = pyopt(&["optimize", "--enable", PAD, "--dry-run", s(&tree)]);
    assert_eq!(r.code, Some(0), "{r}");
    assert!(r.out.contains("would change"), "{r}");
    assert_eq!(summary(&r.out), [n, n, 0, 0], "{r}");
    assert_same(&contents(&tree), &original, "--dry-run");
    assert_eq!(stamps(&tree), stamps0, "--dry-run touched files");

    // --diff (with --dry-run): a unified diff per changed code object,
    // still nothing written. The padding pass changes nothing but offsets,
    // which is what the diff then shows.
    let r = pyopt(&["optimize", "--enable", PAD, "--dry-run", "--diff", s(&tree)]);
    assert_eq!(r.code, Some(0), "{r}");
    assert!(
        r.out
            .lines()
            .any(|l| l.starts_with(&format!("--- {}", s(&tree))) && l.ends_with("(before)")),
        "{r}"
    );
    assert!(
        r.out
            .lines()
            .any(|l| l.starts_with(&format!("+++ {}", s(&tree))) && l.ends_with("(after)")),
        "{r}"
    );
    assert!(r.out.lines().any(|l| l.starts_with("@@ -")), "{r}");
    assert!(
        r.out.contains("LOAD_CONST") || r.out.contains("LOAD_FAST"),
        "{r}"
    );
    assert_same(&contents(&tree), &original, "--diff --dry-run");

    // A real pass: hunks with their context, not whole listings.
    let init = files_below(&tree)
        .into_iter()
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("__init__.") && !n.contains(".opt-"))
        })
        .map(|p| tree.join(p))
        .expect("json/__init__ pyc");
    let r = pyopt(&[
        "optimize",
        "--enable",
        "strip-docstrings",
        "--dry-run",
        "--diff",
        s(&init),
    ]);
    assert_eq!(r.code, Some(0), "{r}");
    let header = format!("--- {}: <module> (before)", s(&init));
    let module: Vec<&str> = r
        .out
        .lines()
        .skip_while(|l| *l != header)
        .skip(1)
        .take_while(|l| !l.starts_with("--- "))
        .collect();
    assert!(!module.is_empty(), "no diff of <module>: {r}");
    assert!(
        module[0].starts_with("+++ ") && module[0].ends_with(": <module> (after)"),
        "{r}"
    );
    assert!(
        module[1].starts_with("@@ -1,") && module[1].ends_with(" @@"),
        "{r}"
    );
    // The docstring's store is removed...
    assert!(
        module
            .iter()
            .any(|l| l.starts_with('-') && l.contains("STORE_NAME") && l.contains("__doc__")),
        "{r}"
    );
    // ... with a few lines of context, not the whole module.
    let listing = pyopt(&["dis", s(&init), "--function", "<module>"]);
    let instructions = listing.out.lines().filter(|l| l.starts_with(' ')).count();
    let context = module.iter().filter(|l| l.starts_with(' ')).count();
    assert!(
        context > 0 && context < instructions / 2,
        "context {context}, instructions {instructions}: {r}"
    );
    assert_same(&contents(&tree), &original, "--diff --dry-run");

    // --report, writing.
    let report = base.join("out.json");
    let r = pyopt(&[
        "optimize",
        "--enable",
        PAD,
        "--report",
        s(&report),
        s(&tree),
    ]);
    assert_eq!(r.code, Some(0), "{r}");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).expect("report written")).expect("JSON");
    assert_eq!(json["schema"], "pyopt-report");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["mode"], "write");
    let after = contents(&tree);
    let changed_on_disk = differing(&original, &after);
    assert_eq!(json["summary"]["changed"], changed_on_disk.len());
    assert_eq!(json["summary"]["files"], n);
    let files = json["files"].as_array().expect("files array");
    assert_eq!(files.len(), n);
    let mut changed = 0;
    for f in files {
        let path = PathBuf::from(f["path"].as_str().expect("path"));
        let rel = path
            .strip_prefix(&tree)
            .expect("path below tree")
            .to_path_buf();
        let status = f["status"].as_str().expect("status");
        let pass_changes = f["pass_changes"].as_object().expect("pass_changes");
        let on_disk = changed_on_disk.contains(&rel);
        match status {
            "changed" => {
                changed += 1;
                assert!(on_disk, "{}: reported changed, bytes equal", rel.display());
                assert!(
                    pass_changes.get(PAD).and_then(|v| v.as_u64()).unwrap_or(0) > 0,
                    "{f}"
                );
                assert!(f["changed_code_objects"].as_u64().unwrap_or(0) > 0, "{f}");
                assert_eq!(f["bytes_after"], after[&rel].len(), "{f}");
            }
            "unchanged" => assert!(
                !on_disk,
                "{}: reported unchanged, bytes differ",
                rel.display()
            ),
            other => panic!("{}: status {other}: {f}", rel.display()),
        }
        assert_eq!(f["bytes_before"], original[&rel].len(), "{f}");
    }
    assert_eq!(changed, changed_on_disk.len());
    assert!(
        json["passes"][PAD]["changes"].as_u64().unwrap_or(0) > 0,
        "{json}"
    );
}

#[test]
fn bisect_limit_bounds_the_changes() {
    let base = scratch("bisect");
    let orig = base.join("orig");
    let Some(n) = json_tree(&orig) else { return };
    let original = contents(&orig);
    let mut changed_files = Vec::new();
    for limit in [Some("0"), Some("3"), None] {
        let tree = base.join(format!("t{}", limit.unwrap_or("all")));
        copy_all(&orig, &tree);
        let mut args = vec!["optimize", "--enable", PAD];
        if let Some(l) = limit {
            args.extend(["--bisect-limit", l]);
        }
        args.push(s(&tree));
        let r = pyopt(&args);
        assert_eq!(r.code, Some(0), "{r}");
        let changed = differing(&original, &contents(&tree)).len();
        assert_eq!(summary(&r.out)[1], changed, "{r}");
        match limit {
            Some("0") => assert!(r.err.contains("no pass application was made"), "{r}"),
            Some(l) => assert!(
                r.err
                    .contains(&format!("last application #{l}: pass {PAD}")),
                "{r}"
            ),
            None => {}
        }
        changed_files.push(changed);
    }
    assert_eq!(changed_files[0], 0, "--bisect-limit 0 changed files");
    assert!(
        (1..=3).contains(&changed_files[1]),
        "--bisect-limit 3 changed {} files",
        changed_files[1]
    );
    assert_eq!(
        changed_files[2], n,
        "without a limit every json file changes"
    );
}

/// Sum of `changed_code_objects` of a `--report`.
fn changed_code_objects(report: &Path) -> u64 {
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(report).expect("report")).expect("JSON");
    json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["changed_code_objects"].as_u64().expect("count"))
        .sum()
}

/// `--bisect-limit N` applies exactly the first N applications (here each
/// code object gets exactly one: test-pad-extended-args is idempotent), and
/// enabling a pass that never changes anything must not change that.
#[test]
fn bisect_limit_applies_exactly_n_applications() {
    let base = scratch("bisect_exact");
    let tree = base.join("tree");
    let Some(_) = json_tree(&tree) else { return };
    for passes in [PAD.to_string(), format!("{PAD},test-panic")] {
        for limit in 1..=4u64 {
            let report = base.join("r.json");
            let l = limit.to_string();
            let r = pyopt(&[
                "optimize",
                "--disable",
                SAFE_PASSES,
                "--enable",
                &passes,
                "--dry-run",
                "--bisect-limit",
                &l,
                "--report",
                s(&report),
                s(&tree),
            ]);
            assert_eq!(r.code, Some(0), "{r}");
            assert!(
                r.err
                    .contains(&format!("last application #{limit}: pass {PAD}")),
                "{r}"
            );
            assert_eq!(
                changed_code_objects(&report),
                limit,
                "--enable {passes} --bisect-limit {limit}: the report's changed code objects \
                 differ from the applications made ({})",
                r.err.trim()
            );
        }
    }
}

/// Whatever the limit, the pipeline's verifier must still run: a code
/// object broken by test-miscompile is never written.
#[test]
fn bisect_limit_never_writes_unverified_code() {
    let base = scratch("bisect_verify");
    let source = "def pyopt_test_miscompile(a):\n    y = a - 1\n    return y\n";
    let pycs = marked_pycs(&base, source, &[12, 13, 8]);
    let Some((minor, _)) = pycs.first() else {
        return;
    };
    let pristine = base.join("pyc").join(format!("3{minor}"));
    let passes = format!("{PAD},test-miscompile");
    let mut broken = Vec::new();
    for limit in 1..=6 {
        let tree = base.join(format!("limit{limit}"));
        copy_all(&pristine, &tree);
        let l = limit.to_string();
        let r = pyopt(&[
            "optimize",
            "--enable",
            &passes,
            "--bisect-limit",
            &l,
            s(&tree),
        ]);
        assert_eq!(r.code, Some(0), "{r}");
        let v = pyopt(&["verify", s(&tree)]);
        let old = pristine.join("mod.pyc");
        let new = tree.join("mod.pyc");
        // The function may legitimately be padded; it must never hold the
        // POP_TOPs test-miscompile inserts (neither version's original has one).
        assert!(!dis(&old, "pyopt_test_miscompile").contains("POP_TOP"));
        let broken_code = dis(&new, "pyopt_test_miscompile").contains("POP_TOP");
        if v.code != Some(0) || broken_code {
            broken.push(format!(
                "--bisect-limit {limit}: optimize said:\n{}{}\nverify said (exit {:?}):\n{}",
                r.out, r.err, v.code, v.out
            ));
        }
    }
    assert!(
        broken.is_empty(),
        "3.{minor}: a code object that fails verification was written:\n{}",
        broken.join("\n")
    );
}

#[test]
fn passes_listing_and_unknown_names() {
    let r = pyopt(&["passes"]);
    assert_eq!(r.code, Some(0), "{r}");
    for p in [PAD, "test-panic", "test-miscompile"] {
        assert!(
            has_line(&r.out, &[p, "opt-in", "3.8-3.15"]),
            "{p} not listed: {r}"
        );
    }
    let r = pyopt(&["passes", "--explain", PAD]);
    assert_eq!(r.code, Some(0), "{r}");
    assert!(
        r.out
            .starts_with(&format!("{PAD} (level opt-in, CPython 3.8-3.15)")),
        "{r}"
    );
    assert!(r.out.contains("EXTENDED_ARG 0"), "{r}");
    assert!(r.out.contains("idempotent"), "{r}");

    let r = pyopt(&["passes", "--explain", "no-such-pass"]);
    assert_eq!(r.code, Some(2), "{r}");
    assert!(r.err.contains("no-such-pass") && r.err.contains(PAD), "{r}");

    let base = scratch("unknown_pass");
    let Some(_) = json_tree(&base) else { return };
    let before = contents(&base);
    for flag in ["--enable", "--disable"] {
        let r = pyopt(&["optimize", flag, &format!("{PAD},no-such-pass"), s(&base)]);
        assert_eq!(r.code, Some(2), "{r}");
        assert!(
            has_line(
                &r.err,
                &[flag, "no-such-pass", PAD, "test-panic", "test-miscompile"]
            ),
            "{r}"
        );
        assert_same(&contents(&base), &before, "a failed run wrote");
    }
}

// ---------------------------------------------------------------------------
// 8. Configuration files

/// `root/{top.pyc, keep/x.pyc, skip/x.pyc, skip/deep/y.pyc}` from json's pycs.
fn config_tree(root: &Path) -> Option<Vec<(&'static str, bool)>> {
    let src = root.join("src");
    json_tree(&src)?;
    let pycs: Vec<PathBuf> = files_below(&src)
        .into_iter()
        .filter(|p| {
            p.to_string_lossy().contains("decoder") && !p.to_string_lossy().contains("opt-")
        })
        .collect();
    let data = fs::read(src.join(&pycs[0])).expect("read");
    fs::remove_dir_all(&src).expect("rm");
    // (path, excluded)
    let layout = vec![
        ("top.pyc", false),
        ("keep/x.pyc", false),
        ("skip/x.pyc", true),
        ("skip/deep/y.pyc", true),
    ];
    for (rel, _) in &layout {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, &data).expect("write");
    }
    Some(layout)
}

/// Asserts that exactly the non-excluded files of `config_tree` changed.
fn assert_exclusion(root: &Path, layout: &[(&str, bool)], original: &Contents, ctx: &str) {
    let now = contents(root);
    for (rel, excluded) in layout {
        let same = now[Path::new(rel)] == original[Path::new(rel)];
        if *excluded {
            assert!(same, "{rel} is excluded but was changed; {ctx}");
        } else {
            assert!(!same, "{rel} was not optimized; {ctx}");
        }
    }
}

#[test]
fn pyopt_toml_and_pyproject_enable_passes_and_exclude() {
    for (name, file, text) in [
        (
            "cfg_pyopt_toml",
            "pyopt.toml",
            "exclude = [\"skip/**\"]\n\n[passes]\nall = false\ntest-pad-extended-args = true\n",
        ),
        (
            "cfg_pyproject",
            "pyproject.toml",
            "[project]\nname = \"x\"\n\n[tool.pyopt]\nexclude = [\"skip/**\"]\n\n\
             [tool.pyopt.passes]\nall = false\ntest-pad-extended-args = true\n",
        ),
    ] {
        let root = scratch(name);
        let Some(layout) = config_tree(&root) else {
            return;
        };
        fs::write(root.join(file), text).expect("write config");
        let original = contents(&root);
        let r = pyopt(&["optimize", s(&root)]);
        assert_eq!(r.code, Some(0), "{file}: {r}");
        assert!(r.out.contains("(1 passes enabled)"), "{file}: {r}");
        assert_eq!(summary(&r.out), [2, 2, 0, 0], "{file}: {r}");
        assert_exclusion(&root, &layout, &original, &format!("{file}: {r}"));
    }
}

#[test]
fn unknown_config_key_is_an_error() {
    for (file, text, table) in [
        (
            "pyopt.toml",
            "bogus-key = 1\n[passes]\ntest-pad-extended-args = true\n",
            "",
        ),
        (
            "pyproject.toml",
            "[tool.pyopt]\nbogus-key = 1\n[tool.pyopt.passes]\nall = false\ntest-pad-extended-args = true\n",
            " in [tool.pyopt]",
        ),
    ] {
        let root = scratch(&format!("cfg_unknown_{file}"));
        let Some(_) = config_tree(&root) else { return };
        fs::write(root.join(file), text).expect("write config");
        let original = contents(&root);
        let r = pyopt(&["optimize", s(&root)]);
        // Configuration errors are `anyhow` errors: "pyopt: error: ...", exit 2.
        assert_eq!(r.code, Some(2), "{file}: {r}");
        let msg =
            format!("unknown key \"bogus-key\"{table} (valid keys: level, exclude, jobs, passes)");
        assert!(
            has_line(&r.err, &["pyopt: error:", file, &msg]),
            "{file}: {r}"
        );
        assert_same(&contents(&root), &original, "a failed run wrote");
    }
}

/// The configuration is found from a target given as `..`, so its
/// `exclude` must apply too.
#[test]
fn config_exclude_applies_to_a_relative_target_with_dotdot() {
    let root = scratch("cfg_dotdot");
    let Some(layout) = config_tree(&root) else {
        return;
    };
    fs::write(
        root.join("pyopt.toml"),
        "exclude = [\"skip/**\"]\n[passes]\nall = false\ntest-pad-extended-args = true\n",
    )
    .expect("write config");
    let original = contents(&root);
    let r = pyopt_in(&root.join("keep"), &["optimize", "--verbose", ".."]);
    assert_eq!(r.code, Some(0), "{r}");
    assert!(
        r.out.contains("(1 passes enabled)"),
        "config not found: {r}"
    );
    assert_exclusion(
        &root,
        &layout,
        &original,
        &format!("cwd keep/, target ..: {r}"),
    );
}

/// The configuration is found through a symlinked target directory (the
/// search starts from its canonical path), so its `exclude` must apply too.
#[test]
fn config_exclude_applies_through_a_symlinked_target() {
    let base = scratch("cfg_symlink");
    let root = base.join("real");
    let Some(layout) = config_tree(&root) else {
        return;
    };
    fs::write(
        root.join("pyopt.toml"),
        "exclude = [\"skip/**\"]\n[passes]\nall = false\ntest-pad-extended-args = true\n",
    )
    .expect("write config");
    let link = base.join("link");
    std::os::unix::fs::symlink("real", &link).expect("symlink");
    let original = contents(&root);
    let r = pyopt(&["optimize", "--verbose", s(&link)]);
    assert_eq!(r.code, Some(0), "{r}");
    assert!(
        r.out.contains("(1 passes enabled)"),
        "config not found: {r}"
    );
    assert_exclusion(
        &root,
        &layout,
        &original,
        &format!("target {}: {r}", link.display()),
    );
}

#[test]
fn safe_passes_list_of_these_tests_is_current() {
    let safe: Vec<&str> = pyopt::passes::infos()
        .iter()
        .filter(|p| p.level == pyopt::config::Level::Safe)
        .map(|p| p.name)
        .collect();
    assert_eq!(safe.join(","), SAFE_PASSES);
}

/// The default passes reach a fixpoint: after one run over real packages of
/// every version, at either level, a second run (`--check`) finds nothing
/// to change. (An optimized file laid out differently from CPython's output
/// must not give the passes new work: a NOP at a block boundary that
/// disappeared with a folded jump once did.)
#[test]
fn passes_reach_a_fixpoint_on_stdlib_packages() {
    for minor in 8u8..=13 {
        let Some(lib) = stdlib(minor) else { continue };
        for level in ["safe", "aggressive"] {
            let base = scratch(&format!("fixpoint-3.{minor}-{level}"));
            let mut n = 0;
            for pkg in ["json", "email", "asyncio", "collections", "importlib"] {
                n += copy_filtered(&lib.join(pkg), &base.join(pkg), &is_pyc, false);
            }
            // Test modules whose second aggressive run once found more to
            // do (blocks left split by folded branches).
            let tricky = |p: &Path| {
                let name = p.to_string_lossy();
                is_pyc(p)
                    && ["test_poll", "test_patma", "test_exception_variations"]
                        .iter()
                        .any(|t| name.contains(t))
            };
            n += copy_filtered(&lib.join("test"), &base.join("test"), &tricky, false);
            assert!(n > 0, "3.{minor}: no pycs copied");
            let r = pyopt(&["optimize", "-q", "--level", level, s(&base)]);
            assert_eq!(r.code, Some(0), "3.{minor} {level}: {r}");
            let r = pyopt(&["optimize", "--check", "--level", level, s(&base)]);
            assert_eq!(
                r.code,
                Some(0),
                "3.{minor} {level}: a second run would change files: {r}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The precheck: `Pass::may_change` may only skip what would not change.

/// Every third `.pyc` of every standard library (the 3.14 corpus for 3.14),
/// optimized at `safe` and at `aggressive` with every non-opt-in pass, once
/// with the driver's precheck and once without it (`Debug::no_precheck`):
/// the bytes and each pass's change count must be the same. Then every
/// ninth file with each pass alone (safe passes at both levels,
/// `const-propagation` and `augassign-reload` at `aggressive`): in a whole pipeline another pass's
/// "maybe" can hide a pass whose `may_change` said "nothing to do" for a
/// code object it would have changed; alone, that shows up as a difference.
#[test]
fn precheck_skips_only_code_objects_no_pass_changes() {
    use pyopt::config::Level;
    let safe: Vec<&str> = SAFE_PASSES.split(',').collect();
    let mut aggressive = vec!["const-propagation", "augassign-reload"];
    aggressive.extend(&safe);
    for v in pyopt::PyVersion::ALL {
        let Some(files) = common::stdlib_sample(v.minor(), 3) else {
            continue;
        };
        let mut runs: Vec<(Level, Vec<&str>, usize)> = vec![
            (Level::Safe, safe.clone(), 1),
            (Level::Aggressive, aggressive.clone(), 1),
        ];
        for &p in &aggressive {
            if !["const-propagation", "augassign-reload"].contains(&p) {
                runs.push((Level::Safe, vec![p], 3));
            }
            runs.push((Level::Aggressive, vec![p], 3));
        }
        for (level, passes, step) in runs {
            let files: Vec<_> = files.iter().step_by(step).collect();
            let changed = precheck_agrees(v, level, &passes, &files);
            println!(
                "{v} {level} {}: {} files, {changed} code objects changed, same with and without the precheck",
                passes.join(","),
                files.len()
            );
            if passes.len() > 1 {
                assert!(changed > 0, "{v} {level}: nothing changed at all");
            }
        }
    }
}

/// Optimizes `files` with `passes` at `level` with and without the
/// precheck (without it, every code object is decoded and every changed
/// file encoded whole; with it, the raw precheck skips code objects and
/// unchanged ones are copied); panics listing the files whose bytes,
/// instruction counts or per-pass change counts differ. Returns how many
/// code objects changed.
fn precheck_agrees(
    v: pyopt::PyVersion,
    level: pyopt::config::Level,
    passes: &[&str],
    files: &[&std::path::PathBuf],
) -> u64 {
    use pyopt::opt::{Debug, Pipeline};
    use rayon::prelude::*;
    let with = Pipeline::new(passes, Debug::default()).with_level(level);
    let without = Pipeline::new(
        passes,
        Debug {
            no_precheck: true,
            ..Debug::default()
        },
    )
    .with_level(level);
    let outcome: Vec<(u64, Vec<String>)> = files
        .par_iter()
        .map(|p| {
            let data = fs::read(p).expect("read pyc");
            let a = pyopt::opt::optimize_bytes(&data, &with, false);
            let b = pyopt::opt::optimize_bytes(&data, &without, false);
            let mut problems = Vec::new();
            let changed = match (a, b) {
                (Ok((ra, oa)), Ok((rb, ob))) => {
                    if oa != ob {
                        problems.push(format!("{}: bytes differ", p.display()));
                    }
                    // Code objects the raw precheck skips are counted
                    // from their raw instructions.
                    let counts =
                        |r: &pyopt::opt::FileReport| (r.instructions_before, r.instructions_after);
                    if counts(&ra) != counts(&rb) {
                        problems.push(format!(
                            "{}: instructions {:?} with the precheck, {:?} without",
                            p.display(),
                            counts(&ra),
                            counts(&rb)
                        ));
                    }
                    if ra.pass_changes != rb.pass_changes {
                        problems.push(format!(
                            "{}: pass changes {:?} with the precheck, {:?} without",
                            p.display(),
                            ra.pass_changes,
                            rb.pass_changes
                        ));
                    }
                    rb.changed_code_objects
                }
                (a, b) => {
                    problems.push(format!(
                        "{}: failed: {:?} / {:?}",
                        p.display(),
                        a.err(),
                        b.err()
                    ));
                    0
                }
            };
            (changed, problems)
        })
        .collect();
    let problems: Vec<&String> = outcome.iter().flat_map(|(_, p)| p).collect();
    assert!(
        problems.is_empty(),
        "{v} {level} {}: {} files differ:\n{}",
        passes.join(","),
        problems.len(),
        problems
            .iter()
            .take(20)
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    outcome.iter().map(|(c, _)| c).sum()
}
