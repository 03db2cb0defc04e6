//! `pyopt compile` end to end with real CPython 3.8 and 3.13: the stdlib
//! `json` and `email` packages, copied as bare `.py` sources, are compiled
//! and optimized in one step; every source gets its pyc, nothing is left
//! for `pyopt optimize --check` to change, and a program using both
//! packages prints the same as with plain `python -m compileall` pycs.
//! A syntax error is reported with CPython's message and costs only its
//! own file (exit 2); `--invalidation-mode checked-hash` gives flags 3.

mod common;

use common::{finish, Run};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const MINORS: [u8; 2] = [8, 13];

fn pyopt(args: &[&str]) -> Run {
    finish(Command::new(env!("CARGO_BIN_EXE_pyopt")).args(args))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A fresh, empty scratch directory under the target dir.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("compile")
        .join(name);
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("remove {}: {e}", dir.display()));
    }
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// The interpreter's standard library directory (where `json/` lives).
fn stdlib(python: &Path) -> PathBuf {
    let r = finish(Command::new(python).args([
        "-I",
        "-c",
        "import json, os; print(os.path.dirname(os.path.dirname(json.__file__)))",
    ]));
    assert_eq!(r.code, Some(0), "{r}");
    PathBuf::from(r.out.trim())
}

/// Copies the `.py` files under `from` to `to` (no `__pycache__`, no pycs).
fn copy_sources(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let path = e.path();
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != "__pycache__" {
                copy_sources(&path, &to.join(e.file_name()));
            }
        } else if path.extension().is_some_and(|x| x == "py") {
            fs::copy(&path, to.join(e.file_name())).unwrap();
        }
    }
}

/// Every file under `dir` whose name ends with `suffix`, sorted.
fn files_with(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else if e.file_name().to_string_lossy().ends_with(suffix) {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// Where CPython 3.`minor` puts the level-0 pyc of `source`.
fn pyc_of(source: &Path, minor: u8) -> PathBuf {
    let stem = source.file_stem().unwrap().to_string_lossy();
    source
        .parent()
        .unwrap()
        .join("__pycache__")
        .join(format!("{stem}.cpython-3{minor}.pyc"))
}

/// Uses `json` and `email` (imported from the directory given as argv[1])
/// and prints what they do. Also prints which of their modules were
/// compiled from source on import (none should be: the pycs must be used).
const PROGRAM: &str = r#"
import sys
root = sys.argv[1]
sys.path.insert(0, root)
import importlib._bootstrap_external as be
from_source = []
_orig = be.SourceLoader.source_to_code
def _patched(self, data, path, *a, **k):
    from_source.append(path)
    return _orig(self, data, path, *a, **k)
be.SourceLoader.source_to_code = _patched

import json, json.decoder, json.scanner, json.encoder
import email, email.utils, email.header, email.policy
from email.parser import BytesParser
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.mime.application import MIMEApplication

data = {"a": [1, 2.5, None, True, False, -0.0], "b": {"nested": "caf\u00e9 \u2603\n\t\"q\""},
        "c": list(range(12)), "big": 10**30, "f": 1e-7, "": {}}
text = json.dumps(data, sort_keys=True, indent=2)
print(text)
print(json.loads(text) == data)
print(json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True))
# The pure-Python scanner and encoder, not only the C accelerator.
dec = json.JSONDecoder()
dec.parse_string = json.decoder.py_scanstring
dec.scan_once = json.scanner.py_make_scanner(dec)
print(dec.decode(text) == data, dec.decode('[1, {"x": "\\u00e9\\ud83d\\ude00"}, 3.25e2]'))
print(json.encoder.py_encode_basestring_ascii("\u2603\ud83d\ude00\x01"))
for bad in ['{"a":', "[1,]", "nul", '{"a" 1}', '"\\x"', "[1] x"]:
    try:
        json.loads(bad)
    except json.JSONDecodeError as e:
        print("JSONDecodeError", e.msg, e.pos, e.lineno, e.colno)
    try:
        dec.decode(bad)
    except json.JSONDecodeError as e:
        print("py JSONDecodeError", e.msg, e.pos)
class SetEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, frozenset):
            return sorted(o)
        return super().default(o)
print(SetEncoder(indent=1).encode({"s": frozenset([3, 1, 2]), "t": (1, 2)}))
print(json.loads('{"x": 1.5, "y": [1, 2], "x": 2}', object_pairs_hook=list, parse_float=str))
for bad in [{"x": object()}, {(1, 2): 3}, float("nan")]:
    try:
        print(json.dumps(bad, allow_nan=False))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, str(e).split(" at 0x")[0])
circular = []
circular.append(circular)
try:
    json.dumps(circular)
except ValueError as e:
    print("ValueError", e)

raw = b"""From: Alice <alice@example.com>
To: Bob <bob@example.com>, "Carol, C." <carol@example.com>
Subject: =?utf-8?q?Caf=C3=A9_menu?=
Date: Mon, 01 Jan 2024 10:00:00 +0000
Message-ID: <1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XYZ"

preamble
--XYZ
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

Hello =E2=98=83 world, a long line that goes on=
 and on
--XYZ
Content-Type: application/octet-stream; name="a.bin"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="a.bin"

AAECAwQ=
--XYZ--
"""
for pol in (email.policy.compat32, email.policy.default, email.policy.SMTP):
    m = BytesParser(policy=pol).parsebytes(raw)
    print(str(m["subject"]), m.get_all("to"), m.get_content_type(), m.is_multipart(), m.defects)
    for part in m.walk():
        print(" ", part.get_content_type(), part.get_filename(), part.get_payload(decode=True))
    print(m.as_bytes())
    print(m.as_string(maxheaderlen=40))
m = BytesParser(policy=email.policy.default).parsebytes(raw)
print([(a.display_name, a.username, a.domain) for a in m["to"].addresses])
print(m["date"].datetime, m.get_body(("plain",)).get_content())

msg = EmailMessage()
msg["From"] = "Zo\u00eb <zoe@example.com>"
msg["To"] = "x@example.com, y@example.org"
msg["Subject"] = "\u00dcn\u00efcode subject that is fairly long so that it must be folded over more than one header line"
msg.set_content("body \u2603\n" * 3)
msg.add_attachment(b"\x00\x01binary" * 20, maintype="application", subtype="octet-stream", filename="f.bin")
msg.set_boundary("BOUNDARY")
out = msg.as_string()
print(out)
back = email.message_from_string(out, policy=email.policy.default)
print(back.get_body(("plain",)).get_content(), [p.get_filename() for p in back.iter_attachments()])

mm = MIMEMultipart("alternative", boundary="B2")
mm["Subject"] = email.header.Header("Gr\u00fc\u00dfe aus K\u00f6ln", "utf-8")
mm.attach(MIMEText("plain \u00e9", "plain", "utf-8"))
mm.attach(MIMEText("<b>html</b>", "html"))
mm.attach(MIMEApplication(b"\xff\xfe", Name="x.bin"))
print(mm.as_string())
print(email.utils.parseaddr('"Doe, J." <j@x.org>'), email.utils.formataddr(("J\u00f6", "j@x.org")))
print(email.utils.parsedate_to_datetime("Mon, 01 Jan 2024 10:00:00 +0000"), email.utils.quote('a"b'))
print(email.header.decode_header("=?utf-8?q?Caf=C3=A9?= =?iso-8859-1?b?4Q==?="))
print(email.utils.getaddresses(["a@b.c, D <d@e.f>", "g@h.i"]))

loaded = sorted(n for n, mod in sys.modules.items() if n.split(".")[0] in ("json", "email"))
print("outside root:", [n for n in loaded if not (getattr(sys.modules[n], "__file__", None) or "").startswith(root)])
print("from source:", [p for p in from_source if p.startswith(root)])
print(len(loaded), "modules")
"#;

/// Runs [`PROGRAM`] with `python` against the packages in `dir`.
fn run_program(python: &Path, dir: &Path) -> Run {
    finish(
        Command::new(python)
            .args(["-c", PROGRAM, s(dir)])
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONPYCACHEPREFIX")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONHASHSEED", "0")
            .env("PYTHONIOENCODING", "utf-8"),
    )
}

/// A tree with the stdlib `json` and `email` sources of `python` under `dir`.
fn json_email_tree(python: &Path, dir: &Path) {
    let lib = stdlib(python);
    copy_sources(&lib.join("json"), &dir.join("json"));
    copy_sources(&lib.join("email"), &dir.join("email"));
}

#[test]
fn compile_json_and_email_behaves_like_compileall() {
    for minor in MINORS {
        let Some(python) = common::require_or_skip(minor) else {
            continue;
        };
        let base = scratch(&format!("stdlib-3{minor}"));
        let optimized = base.join("optimized");
        let plain = base.join("plain");
        json_email_tree(&python, &optimized);
        json_email_tree(&python, &plain);
        assert!(files_with(&optimized, ".pyc").is_empty());

        let r = pyopt(&["compile", "--python", &format!("3.{minor}"), s(&optimized)]);
        assert_eq!(r.code, Some(0), "3.{minor}: pyopt compile\n{r}");
        assert!(
            r.out.contains(&format!("(CPython 3.{minor}.")),
            "3.{minor}: interpreter not named\n{r}"
        );
        assert!(
            r.out.contains(" optimized, "),
            "3.{minor}: no optimize summary\n{r}"
        );

        let sources = files_with(&optimized, ".py");
        assert!(sources.len() > 30, "3.{minor}: {} sources", sources.len());
        for src in &sources {
            let pyc = pyc_of(src, minor);
            assert!(pyc.is_file(), "3.{minor}: no {}", pyc.display());
        }
        assert_eq!(files_with(&optimized, ".pyc").len(), sources.len());

        // Nothing left to optimize.
        let r = pyopt(&["optimize", "--check", s(&optimized)]);
        assert_eq!(r.code, Some(0), "3.{minor}: optimize --check\n{r}");

        // The same sources compiled by CPython alone.
        let r = finish(Command::new(&python).args(["-I", "-m", "compileall", "-q", s(&plain)]));
        assert_eq!(r.code, Some(0), "3.{minor}: compileall\n{r}");

        // pyopt changed some code (beyond the 16-byte header, which holds mtimes).
        let changed = sources
            .iter()
            .filter(|src| {
                let rel = src.strip_prefix(&optimized).unwrap();
                let a = fs::read(pyc_of(src, minor)).unwrap();
                let b = fs::read(pyc_of(&plain.join(rel), minor)).unwrap();
                a[16..] != b[16..]
            })
            .count();
        assert!(changed > 0, "3.{minor}: no pyc differs from compileall's");

        let with_pyopt = run_program(&python, &optimized);
        let without = run_program(&python, &plain);
        assert_eq!(with_pyopt.code, Some(0), "3.{minor}: program\n{with_pyopt}");
        assert!(
            with_pyopt
                .out
                .contains("outside root: []\nfrom source: []\n"),
            "3.{minor}: packages not loaded from the optimized pycs\n{with_pyopt}"
        );
        assert_eq!(
            (&with_pyopt.code, &with_pyopt.out, &with_pyopt.err),
            (&without.code, &without.out, &without.err),
            "3.{minor}: optimized ({changed} pycs changed) and plain pycs behave differently\n\
             === optimized:\n{with_pyopt}\n=== plain:\n{without}"
        );
    }
}

#[test]
fn syntax_error_is_reported_and_the_rest_compiled() {
    for minor in MINORS {
        let Some(_python) = common::require_or_skip(minor) else {
            continue;
        };
        let dir = scratch(&format!("syntax-error-3{minor}"));
        fs::create_dir_all(dir.join("pkg")).unwrap();
        fs::write(
            dir.join("good.py"),
            "def f(x):\n    if x:\n        return 1\n    return 2\n",
        )
        .unwrap();
        fs::write(dir.join("pkg/__init__.py"), "").unwrap();
        fs::write(dir.join("pkg/mod.py"), "X = [i * 2 for i in range(3)]\n").unwrap();
        fs::write(dir.join("broken_module.py"), "def f(:\n    pass\n").unwrap();
        fs::write(dir.join("zlast.py"), "Y = 1\n").unwrap();

        let r = pyopt(&["compile", "--python", &format!("3.{minor}"), s(&dir)]);
        assert_eq!(r.code, Some(2), "3.{minor}\n{r}");
        assert!(r.err.contains("SyntaxError"), "3.{minor}\n{r}");
        assert!(r.err.contains("broken_module.py"), "3.{minor}\n{r}");
        assert!(r.out.contains(" optimized, "), "3.{minor}: no summary\n{r}");
        for good in ["good.py", "pkg/__init__.py", "pkg/mod.py", "zlast.py"] {
            let pyc = pyc_of(&dir.join(good), minor);
            assert!(pyc.is_file(), "3.{minor}: no {}\n{r}", pyc.display());
        }
        assert!(!pyc_of(&dir.join("broken_module.py"), minor).exists());
        let r = pyopt(&["optimize", "--check", s(&dir)]);
        assert_eq!(r.code, Some(0), "3.{minor}: optimize --check\n{r}");
    }
}

#[test]
fn checked_hash_pycs_have_flags_3() {
    for minor in MINORS {
        let Some(python) = common::require_or_skip(minor) else {
            continue;
        };
        let dir = scratch(&format!("checked-hash-3{minor}"));
        fs::write(
            dir.join("hashed.py"),
            "def f(x):\n    \"\"\"doc\"\"\"\n    assert x\n    while x:\n        x -= 1\n    return x\n",
        )
        .unwrap();
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("sub/other.py"), "Z = 'z' * 3\n").unwrap();

        let r = pyopt(&[
            "compile",
            "--python",
            &format!("3.{minor}"),
            "--invalidation-mode",
            "checked-hash",
            "-O",
            "0",
            "-O",
            "2",
            s(&dir),
        ]);
        assert_eq!(r.code, Some(0), "3.{minor}\n{r}");
        let pycs = files_with(&dir, ".pyc");
        // Two sources at levels 0 and 2.
        assert_eq!(pycs.len(), 4, "3.{minor}: {pycs:?}");
        assert_eq!(
            pycs.iter()
                .filter(|p| p.to_string_lossy().ends_with(".opt-2.pyc"))
                .count(),
            2,
            "3.{minor}: {pycs:?}"
        );
        for pyc in &pycs {
            let data = fs::read(pyc).unwrap();
            let flags = u32::from_le_bytes(data[4..8].try_into().unwrap());
            assert_eq!(flags, 3, "3.{minor}: {}", pyc.display());
        }
        // CPython accepts them (the hash still matches the source).
        let r = finish(
            Command::new(&python)
                .args([
                    "-c",
                    "import sys; sys.path.insert(0, sys.argv[1]); import hashed, sub.other; \
                     print(hashed.f(3), sub.other.Z, hashed.__cached__.endswith('.pyc'))",
                    s(&dir),
                ])
                .env_remove("PYTHONPATH")
                .env("PYTHONDONTWRITEBYTECODE", "1"),
        );
        assert_eq!(r.code, Some(0), "3.{minor}\n{r}");
        assert_eq!(r.out, "0 zzz True\n", "3.{minor}\n{r}");
    }
}

#[test]
fn missing_interpreter_or_path_is_an_error() {
    let r = pyopt(&["compile", "--python", "3.7", "."]);
    assert_eq!(r.code, Some(2), "{r}");
    assert!(r.err.contains("3.7"), "{r}");
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("compile/does-not-exist");
    let r = pyopt(&["compile", s(&missing)]);
    assert_eq!(r.code, Some(2), "{r}");
    assert!(r.err.contains("no such file or directory"), "{r}");
}
