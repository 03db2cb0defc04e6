//! The `difftest` command: differential execution of Python programs, original
//! vs optimized, under each installed CPython; on a difference, bisection to
//! the pass application and code object responsible.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;

use pyopt::config::{self, Level};

use super::optimize::PassSelection;
use pyopt::difftest::{self, Mode, Verdict, Worker};
use pyopt::interpreters;
use pyopt::opt::{Debug, Pipeline};
use pyopt::walk::{self, Walk};
use pyopt::PyVersion;

#[derive(Args, Debug)]
pub struct DifftestArgs {
    /// Python source files (each a self-contained program) or directories of them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// CPython versions to run under (repeatable; default: every installed 3.8–3.15; 3.14 and 3.15 may be pyodide's, see tools/pyodide).
    #[arg(long = "python", value_name = "3.X")]
    pythons: Vec<String>,
    /// Pass selection; the level also picks the comparison: safe compares
    /// strictly, aggressive compares results only (line events and
    /// tracebacks may differ).
    #[command(flatten)]
    passes: PassSelection,
    /// Compare everything (strict) or only results; default follows the level.
    #[arg(long, value_parser = ["strict", "results"])]
    mode: Option<String>,
    /// Seconds a single run may take before it is killed and reported.
    #[arg(long, default_value_t = 20)]
    timeout: u64,
    /// Do not bisect a difference to the pass application responsible.
    #[arg(long)]
    no_bisect: bool,
    /// Tree mode: `pyopt difftest TREE -- CMD ARGS...` runs CMD in TREE as
    /// it is and in an optimized copy of it (the tree itself is never
    /// modified), compares exit status, stdout and stderr, and bisects a
    /// difference to the file, code object and pass responsible.
    #[arg(last = true, value_name = "CMD")]
    command: Vec<String>,
}

/// The programs under `paths`: each `.py` file is one; a directory with a
/// `__main__.py` is one multi-module program (its `__main__.py` and modules).
/// Directories are walked by [`pyopt::walk`] (symbolic links not followed).
fn programs(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Vec<difftest::Module>)>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let found = walk::collect(std::slice::from_ref(p), &Walk::new(walk::PY));
            if let Some((path, reason)) = found.errors.first() {
                bail!("cannot walk {}: {}: {reason}", p.display(), path.display());
            }
            // The files come sorted, so a program's files follow each other.
            let mut program: Option<PathBuf> = None;
            for file in found.files {
                if program.as_ref().is_some_and(|d| file.starts_with(d)) {
                    continue;
                }
                // The outermost directory (from `p` down) with a `__main__.py`.
                let dir = file
                    .ancestors()
                    .skip(1)
                    .take_while(|a| a.starts_with(p))
                    .filter(|a| a.join("__main__.py").is_file())
                    .last()
                    .map(Path::to_path_buf);
                match dir {
                    Some(dir) => {
                        let modules = difftest::modules_of(&dir)?;
                        out.push((dir.join("__main__.py"), modules));
                        program = Some(dir);
                    }
                    None => out.push((file, Vec::new())),
                }
            }
        } else if p.is_file() {
            out.push((p.clone(), Vec::new()));
        } else {
            bail!("{}: no such file or directory", p.display());
        }
    }
    Ok(out)
}

pub fn run(args: DifftestArgs) -> Result<ExitCode> {
    if !args.command.is_empty() {
        return run_tree(&args);
    }
    let infos = pyopt::passes::infos();
    let settings = config::resolve(&Default::default(), &args.passes.overrides(), &infos)?;
    let mode = match args.mode.as_deref() {
        Some("strict") => Mode::Strict,
        Some(_) => Mode::ResultsOnly,
        None if settings.level == Level::Safe => Mode::Strict,
        None => Mode::ResultsOnly,
    };
    let versions: Vec<PyVersion> = if args.pythons.is_empty() {
        PyVersion::ALL.to_vec()
    } else {
        args.pythons
            .iter()
            .map(|s| {
                PyVersion::parse(s).with_context(|| format!("--python {s}: not a version 3.8–3.15"))
            })
            .collect::<Result<_>>()?
    };
    let files = programs(&args.paths)?;
    let scratch = std::env::temp_dir().join("pyopt-difftest");
    let mut failures = 0u64;
    let mut ran_any = false;
    for v in versions {
        let Some(python) = interpreters::find(v) else {
            eprintln!(
                "pyopt: skipping {v}: no interpreter found ({})",
                interpreters::search_order(v)
            );
            if !args.pythons.is_empty() {
                failures += 1;
            }
            continue;
        };
        ran_any = true;
        let mut worker = Worker::new(&python, &scratch, Duration::from_secs(args.timeout))?;
        let pipeline =
            Pipeline::new(&settings.enabled, Debug::default()).with_level(settings.level);
        let start = Instant::now();
        let (mut same, mut changed, mut different, mut unusable, mut skipped) = (0, 0, 0, 0, 0);
        for (f, modules) in &files {
            let source = std::fs::read_to_string(f)
                .with_context(|| format!("cannot read {}", f.display()))?;
            if !difftest::runs_on(&source, v) {
                skipped += 1;
                continue;
            }
            if settings.level >= Level::Aggressive {
                if let Some(why) = difftest::safe_only(&source) {
                    println!(
                        "skipped {v} {} at aggressive (safe-only: {why})",
                        f.display()
                    );
                    skipped += 1;
                    continue;
                }
            }
            let name = f.display().to_string();
            // A single module can be bisected from its pyc; a multi-module
            // program is bisected through tree mode.
            let (verdict, pyc) = if modules.is_empty() {
                let pyc = match worker.compile(&source, &name) {
                    Ok(p) => p,
                    Err(e) => {
                        unusable += 1;
                        eprintln!("pyopt: {v}: {name}: cannot compile: {e}");
                        continue;
                    }
                };
                (
                    difftest::check_pyc(&mut worker, &pyc, &name, &pipeline, mode),
                    Some(pyc),
                )
            } else {
                let verdict =
                    difftest::check_program(&mut worker, &source, &name, modules, &pipeline, mode);
                (verdict, None)
            };
            match verdict {
                Verdict::Same { changed: c } => {
                    same += 1;
                    changed += c as u64;
                }
                Verdict::Unusable(e) => {
                    unusable += 1;
                    eprintln!("pyopt: {v}: {name}: not checked: {e}");
                }
                verdict => {
                    different += 1;
                    failures += 1;
                    match &verdict {
                        Verdict::Different(d) => {
                            outln!("DIFFERENT {v} {name}");
                            for line in d {
                                outln!("  {line}");
                            }
                        }
                        other => outln!("FAILED {v} {name}: {other:?}"),
                    }
                    match (&pyc, args.no_bisect) {
                        (Some(pyc), false) => {
                            match difftest::bisect(&mut worker, pyc, &name, &settings.enabled, settings.level, mode) {
                                Some((n, pass, code)) => outln!(
                                    "  bisected: pass application #{n}: pass {pass} on code object {code}"
                                ),
                                None => outln!("  bisection found no single responsible application"),
                            }
                        }
                        (None, false) => outln!(
                            "  multi-module program: to bisect, compile it (`python -m compileall DIR`) and run `pyopt difftest DIR -- python __main__.py`"
                        ),
                        _ => {}
                    }
                }
            }
        }
        outln!(
            "{v}: {} programs: {same} same ({changed} changed by the passes), {different} different, \
             {unusable} not checkable, {skipped} skipped (min-/max-version); {:.1}s",
            files.len(),
            start.elapsed().as_secs_f64()
        );
    }
    if !ran_any {
        bail!("no interpreter found for any requested version");
    }
    Ok(if failures > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Copies a tree, keeping modification times (a `.pyc` is only used while
/// its header matches its source's mtime).
pub(crate) fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> Result<()> {
    for e in walkdir::WalkDir::new(from) {
        let e = e.with_context(|| format!("cannot walk {}", from.display()))?;
        let rel = e.path().strip_prefix(from).unwrap_or(e.path());
        let dst = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst)?;
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dst)
                .with_context(|| format!("cannot copy {}", e.path().display()))?;
            let mtime = e.metadata()?.modified()?;
            std::fs::File::options()
                .write(true)
                .open(&dst)?
                .set_modified(mtime)?;
        }
    }
    Ok(())
}

/// What a trial saw: the command's outcome, the last pass application made
/// (number, pass, code object) and the file it was in.
type Trial = (
    Outcome,
    Option<(u64, &'static str, String)>,
    Option<PathBuf>,
);

struct Outcome {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_command(
    cmd: &[String],
    dir: &std::path::Path,
    tree: &std::path::Path,
    original: &std::path::Path,
) -> Result<Outcome> {
    let out = std::process::Command::new(&cmd[0])
        .args(&cmd[1..])
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .with_context(|| format!("cannot run {}", cmd[0]))?;
    // Paths of the copy read as paths of the original tree.
    let norm = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .replace(&tree.display().to_string(), &original.display().to_string())
    };
    Ok(Outcome {
        status: out.status.code(),
        stdout: norm(&out.stdout),
        stderr: norm(&out.stderr),
    })
}

fn same(a: &Outcome, b: &Outcome) -> bool {
    a.status == b.status && a.stdout == b.stdout && a.stderr == b.stderr
}

/// Optimizes a fresh copy of `root` with at most `limit` pass applications
/// and runs the command in it.
fn trial(
    args: &DifftestArgs,
    settings: &pyopt::config::Settings,
    root: &std::path::Path,
    limit: Option<u64>,
) -> Result<Trial> {
    let base = std::env::temp_dir().join(format!("pyopt-difftest-tree-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let copy = base.join(
        root.file_name()
            .unwrap_or_else(|| std::ffi::OsStr::new("tree")),
    );
    copy_tree(root, &copy)?;
    let pipeline = Pipeline::new(
        &settings.enabled,
        Debug {
            bisect_limit: limit,
            ..Default::default()
        },
    )
    .with_level(settings.level);
    let (report, opts) = super::optimize_copy(&copy, settings, pipeline);
    for f in report.files.iter().filter(|f| f.error.is_some()) {
        eprintln!(
            "pyopt: {}: {}",
            f.path.display(),
            f.error.as_deref().unwrap_or("")
        );
    }
    let outcome = run_command(&args.command, &copy, &copy, root);
    let last = opts.pipeline.debug.last_application();
    let file = opts
        .pipeline
        .debug
        .last_application_file()
        .map(|f| root.join(f.strip_prefix(&copy).unwrap_or(&f)));
    let _ = std::fs::remove_dir_all(&base);
    Ok((outcome?, last, file))
}

fn run_tree(args: &DifftestArgs) -> Result<ExitCode> {
    if args.paths.len() != 1 || !args.paths[0].is_dir() {
        bail!("tree mode takes one directory: pyopt difftest TREE -- CMD ARGS...");
    }
    let root = std::fs::canonicalize(&args.paths[0])?;
    let infos = pyopt::passes::infos();
    let raw = pyopt::config::discover(&root)?
        .map(|(_, r)| r)
        .unwrap_or_default();
    let settings = config::resolve(&raw, &args.passes.overrides(), &infos)?;
    let baseline = run_command(&args.command, &root, &root, &root)?;
    let (optimized, _, _) = trial(args, &settings, &root, None)?;
    if same(&baseline, &optimized) {
        outln!(
            "same: `{}` gave the same exit status ({:?}), stdout and stderr on the original and the optimized tree",
            args.command.join(" "),
            baseline.status
        );
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "DIFFERENT: `{}` on the optimized tree",
        args.command.join(" ")
    );
    if baseline.status != optimized.status {
        outln!(
            "  exit status {:?} became {:?}",
            baseline.status,
            optimized.status
        );
    }
    for (what, a, b) in [
        ("stdout", &baseline.stdout, &optimized.stdout),
        ("stderr", &baseline.stderr, &optimized.stderr),
    ] {
        if a != b {
            let i = a
                .lines()
                .zip(b.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            outln!(
                "  {what} differs at line {}: {:?} became {:?}",
                i + 1,
                a.lines().nth(i).unwrap_or("<end>"),
                b.lines().nth(i).unwrap_or("<end>")
            );
        }
    }
    if !args.no_bisect {
        let (_, counted, _) = trial(args, &settings, &root, Some(u64::MAX))?;
        let mut hi = counted.map_or(1, |(n, _, _)| n).max(1);
        let mut lo = 0u64;
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            let (o, _, _) = trial(args, &settings, &root, Some(mid))?;
            if same(&baseline, &o) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let (_, last, file) = trial(args, &settings, &root, Some(hi))?;
        match last {
            Some((n, pass, code)) => outln!(
                "  bisected: pass application #{n}: pass {pass} on code object {code}{}",
                file.map(|f| format!(" in {}", f.display()))
                    .unwrap_or_default()
            ),
            None => outln!("  bisection found no single responsible application"),
        }
    }
    Ok(ExitCode::FAILURE)
}
