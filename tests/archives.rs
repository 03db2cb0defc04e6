//! `pyopt optimize` on wheels and zip archives: a wheel with `.pyc` files
//! built by two CPython versions is optimized, stays a valid zip whose
//! RECORD verifies, keeps every entry's compression method and timestamp,
//! installs with pip into a fresh venv and runs the same as the original;
//! corrupt archives are errors that leave the file untouched.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("archives")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn tool() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/wheel_tool.py")
}

fn pyopt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyopt"))
        .args(args)
        .output()
        .expect("run pyopt")
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run command");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Installs a wheel into a fresh venv without byte-compiling (so the
/// shipped `.pyc` files are the ones used) and runs the package.
fn install_and_run(python: &Path, wheel: &Path, venv: &Path) -> String {
    run(Command::new(python)
        .args(["-m", "venv", "--without-pip"])
        .arg(venv));
    // pip from the base interpreter, installing into the venv's prefix.
    let venv_python = venv.join("bin/python");
    let site = String::from_utf8_lossy(
        &run(Command::new(&venv_python).args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ]))
        .stdout,
    )
    .trim()
    .to_string();
    run(Command::new(python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--no-deps",
            "--no-compile",
            "--disable-pip-version-check",
            "--target",
        ])
        .arg(&site)
        .arg(wheel));
    let out = run(Command::new(&venv_python)
        .arg(tool())
        .arg("run")
        .env("PYTHONDONTWRITEBYTECODE", "1"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// (name, compression, timestamp) of an entry.
type EntryMeta = (String, String, String);
/// (name, contents) of an entry.
type EntryData = (String, Vec<u8>);

/// The metadata of every entry, and the contents of the entries that are
/// neither `.pyc` nor RECORD.
fn entries(path: &Path) -> (Vec<EntryMeta>, Vec<EntryData>) {
    let file = std::fs::File::open(path).expect("open wheel");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut meta = Vec::new();
    let mut other = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).expect("entry");
        let name = e.name().to_string();
        meta.push((
            name.clone(),
            format!("{:?}", e.compression()),
            format!("{:?}", e.last_modified()),
        ));
        if !name.ends_with(".pyc") && !name.ends_with("RECORD") {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut b).expect("read");
            other.push((name, b));
        }
    }
    (meta, other)
}

#[test]
fn optimized_wheels_verify_install_and_run_the_same() {
    for minor in [8u8, 13] {
        let Some(python) = common::require_or_skip(minor) else {
            continue;
        };
        let dir = scratch(&format!("wheel-3.{minor}"));
        let built = run(Command::new(&python).arg(tool()).arg("build").arg(&dir));
        let wheel = PathBuf::from(String::from_utf8_lossy(&built.stdout).trim());
        // The untouched copy keeps a wheel file name (pip insists on one).
        std::fs::create_dir_all(dir.join("original")).expect("mkdir");
        let original = dir.join("original").join(wheel.file_name().expect("name"));
        std::fs::copy(&wheel, &original).expect("copy");

        // --check sees the work and changes nothing.
        let r = pyopt(&["optimize", "--check", wheel.to_str().expect("utf8")]);
        assert_eq!(r.status.code(), Some(1), "{}", text(&r));
        assert_eq!(
            std::fs::read(&wheel).expect("read"),
            std::fs::read(&original).expect("read")
        );

        let r = pyopt(&["optimize", wheel.to_str().expect("utf8")]);
        assert_eq!(r.status.code(), Some(0), "{}", text(&r));
        assert!(text(&r).contains("1 optimized"), "{}", text(&r));
        assert_ne!(
            std::fs::read(&wheel).expect("read"),
            std::fs::read(&original).expect("read"),
            "3.{minor}: the wheel's pycs were not changed"
        );
        // A second run finds nothing left to do.
        let r = pyopt(&["optimize", "--check", wheel.to_str().expect("utf8")]);
        assert_eq!(r.status.code(), Some(0), "{}", text(&r));

        // A valid zip whose RECORD verifies; entries keep their method and time.
        run(Command::new(&python)
            .args(["-m", "zipfile", "-t"])
            .arg(&wheel));
        let v = run(Command::new(&python).arg(tool()).arg("verify").arg(&wheel));
        assert!(text(&v).contains("verified"), "{}", text(&v));
        let (meta_a, other_a) = entries(&original);
        let (meta_b, other_b) = entries(&wheel);
        assert_eq!(
            meta_a, meta_b,
            "3.{minor}: names, methods or timestamps changed"
        );
        assert_eq!(
            other_a, other_b,
            "3.{minor}: an entry pyopt had no reason to touch changed"
        );

        // Installs and runs like the original, from the shipped pycs.
        let before = install_and_run(&python, &original, &dir.join("venv-original"));
        let after = install_and_run(&python, &wheel, &dir.join("venv-optimized"));
        assert!(after.contains("loaded from pyc"), "{after}");
        assert_eq!(
            before, after,
            "3.{minor}: the optimized wheel behaves differently"
        );
    }
}

#[test]
fn corrupt_archives_are_errors_and_stay_untouched() {
    let Some(python) = common::require_or_skip(12) else {
        return;
    };
    let dir = scratch("corrupt");
    let built = run(Command::new(&python).arg(tool()).arg("build").arg(&dir));
    let wheel = PathBuf::from(String::from_utf8_lossy(&built.stdout).trim());
    let data = std::fs::read(&wheel).expect("read");
    let truncated = dir.join("truncated.whl");
    std::fs::write(&truncated, &data[..data.len() - 30]).expect("write");
    let garbage = dir.join("garbage.zip");
    std::fs::write(&garbage, b"this is not a zip file at all").expect("write");
    let good = dir.join("good.whl");
    std::fs::copy(&wheel, &good).expect("copy");
    for bad in [&truncated, &garbage] {
        let before = std::fs::read(bad).expect("read");
        let r = pyopt(&[
            "optimize",
            bad.to_str().expect("utf8"),
            good.to_str().expect("utf8"),
        ]);
        let out = text(&r);
        assert_eq!(r.status.code(), Some(2), "{out}");
        assert!(
            out.contains(bad.to_str().expect("utf8")) && out.contains("corrupt archive"),
            "{out}"
        );
        assert_eq!(
            std::fs::read(bad).expect("read"),
            before,
            "a corrupt archive was modified"
        );
    }
    // The good wheel next to them was optimized anyway.
    let r = pyopt(&["optimize", "--check", good.to_str().expect("utf8")]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    // Wheels are also found by walking a directory (`pyopt optimize dist/`).
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).expect("mkdir");
    std::fs::copy(&wheel, dist.join(wheel.file_name().expect("name"))).expect("copy");
    let r = pyopt(&["optimize", dist.to_str().expect("utf8")]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    assert!(text(&r).contains("1 optimized"), "{}", text(&r));
}

#[test]
fn zipapps_keep_their_prefix_and_run_the_same() {
    let Some(python) = common::require_or_skip(13) else {
        return;
    };
    let dir = scratch("zipapp");
    let built = run(Command::new(&python).arg(tool()).arg("zipapp").arg(&dir));
    let app = PathBuf::from(String::from_utf8_lossy(&built.stdout).trim());
    let before = run(Command::new(&python).arg(&app));
    let original = std::fs::read(&app).expect("read");
    let r = pyopt(&["optimize", app.to_str().expect("utf8")]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    assert!(text(&r).contains("1 optimized"), "{}", text(&r));
    let data = std::fs::read(&app).expect("read");
    assert_ne!(data, original);
    assert!(
        data.starts_with(b"#!/usr/bin/env python3\n"),
        "the #! line is gone"
    );
    run(Command::new(&python)
        .args(["-m", "zipfile", "-t"])
        .arg(&app));
    let after = run(Command::new(&python).arg(&app));
    assert_eq!(before.stdout, after.stdout);
}
