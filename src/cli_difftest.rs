//! The `difftest` command: differential execution of Python programs, original
//! vs optimized, under each installed CPython; on a difference, bisection to
//! the pass application and code object responsible.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;

use pyopt::config::{self, CliOverrides, Level, PassInfo};
use pyopt::difftest::{self, Mode, Verdict, Worker};
use pyopt::pipeline::{Debug, Pipeline};
use pyopt::PyVersion;

#[derive(Args, Debug)]
pub struct DifftestArgs {
    /// Python source files (each a self-contained program) or directories of them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// CPython versions to run under (repeatable; default: every installed 3.8–3.13).
    #[arg(long = "python", value_name = "3.X")]
    pythons: Vec<String>,
    /// Optimization level: safe (default; strict comparison) or aggressive
    /// (results-only comparison: line events and tracebacks may differ).
    #[arg(long)]
    level: Option<Level>,
    /// Enable passes (comma-separated; `all` for every pass).
    #[arg(long, value_delimiter = ',', value_name = "PASS,...")]
    enable: Vec<String>,
    /// Disable passes (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "PASS,...")]
    disable: Vec<String>,
    /// Compare everything (strict) or only results; default follows the level.
    #[arg(long, value_parser = ["strict", "results"])]
    mode: Option<String>,
    /// Seconds a single run may take before it is killed and reported.
    #[arg(long, default_value_t = 20)]
    timeout: u64,
    /// Do not bisect a difference to the pass application responsible.
    #[arg(long)]
    no_bisect: bool,
}

fn programs(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            for e in walkdir::WalkDir::new(p).sort_by_file_name() {
                let e = e.with_context(|| format!("cannot walk {}", p.display()))?;
                if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "py") {
                    out.push(e.into_path());
                }
            }
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            bail!("{}: no such file or directory", p.display());
        }
    }
    Ok(out)
}

pub fn run(args: DifftestArgs) -> Result<ExitCode> {
    let infos: Vec<PassInfo> = pyopt::passes::registry()
        .iter()
        .map(|p| PassInfo {
            name: p.name(),
            level: p.level(),
        })
        .collect();
    let cli = CliOverrides {
        level: args.level,
        enable: args.enable.clone(),
        disable: args.disable.clone(),
        ..Default::default()
    };
    let settings = config::resolve(&Default::default(), &cli, &infos)?;
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
                PyVersion::parse(s).with_context(|| format!("--python {s}: not a version 3.8–3.13"))
            })
            .collect::<Result<_>>()?
    };
    let files = programs(&args.paths)?;
    let scratch = std::env::temp_dir().join("pyopt-difftest");
    let mut failures = 0u64;
    let mut ran_any = false;
    for v in versions {
        let Some(python) = difftest::find_interpreter(v) else {
            eprintln!("pyopt: skipping {v}: no interpreter found (python{v} on PATH or pyenv)");
            if !args.pythons.is_empty() {
                failures += 1;
            }
            continue;
        };
        ran_any = true;
        let mut worker = Worker::new(&python, &scratch, Duration::from_secs(args.timeout))?;
        let pipeline = Pipeline::new(&settings.enabled, Debug::default());
        let start = Instant::now();
        let (mut same, mut changed, mut different, mut unusable, mut skipped) = (0, 0, 0, 0, 0);
        for f in &files {
            let source = std::fs::read_to_string(f)
                .with_context(|| format!("cannot read {}", f.display()))?;
            if difftest::min_version(&source).is_some_and(|m| v < m) {
                skipped += 1;
                continue;
            }
            let name = f.display().to_string();
            let pyc = match worker.compile(&source, &name) {
                Ok(p) => p,
                Err(e) => {
                    unusable += 1;
                    eprintln!("pyopt: {v}: {name}: cannot compile: {e}");
                    continue;
                }
            };
            match difftest::check_pyc(&mut worker, &pyc, &name, &pipeline, mode) {
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
                    if !args.no_bisect {
                        match difftest::bisect(&mut worker, &pyc, &name, &settings.enabled, mode) {
                            Some((n, pass, code)) => outln!(
                                "  bisected: pass application #{n}: pass {pass} on code object {code}"
                            ),
                            None => outln!("  bisection found no single responsible application"),
                        }
                    }
                }
            }
        }
        outln!(
            "{v}: {} programs: {same} same ({changed} changed by the passes), {different} different, \
             {unusable} not checkable, {skipped} skipped (min-version); {:.1}s",
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
