//! `pyopt validate ORIGINAL OPTIMIZED`: checks every changed code object of
//! an optimized file or tree against the original with the translation
//! validator (`pyopt::validate`), whatever rewrote it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Args;
use rayon::prelude::*;

use super::{collect_pycs, thread_pool, Progress};

#[derive(Args)]
pub struct ValidateArgs {
    /// The original .pyc file or tree.
    original: PathBuf,
    /// The rewritten .pyc file or tree (same relative paths).
    optimized: PathBuf,
    #[arg(short, long)]
    jobs: Option<usize>,
    /// What must be the same: `safe` (default) also compares the lines
    /// executed between effects; `aggressive` only effects and results.
    #[arg(long, default_value = "safe")]
    level: pyopt::config::Level,
}

pub fn run(args: ValidateArgs) -> Result<ExitCode> {
    let pairs: Vec<(PathBuf, PathBuf)> = if args.original.is_dir() {
        if !args.optimized.is_dir() {
            bail!(
                "{} is a directory but {} is not",
                args.original.display(),
                args.optimized.display()
            );
        }
        let found = collect_pycs(std::slice::from_ref(&args.original), false);
        found
            .files
            .iter()
            .map(|p| {
                let rel = p.strip_prefix(&args.original).unwrap_or(p);
                (p.clone(), args.optimized.join(rel))
            })
            .collect()
    } else {
        vec![(args.original.clone(), args.optimized.clone())]
    };
    let pool = thread_pool(args.jobs)?;
    let progress = Progress::new(pairs.len(), pairs.len() > 200);
    let results: Vec<Result<pyopt::validate::FileVerdict, String>> = pool.install(|| {
        pairs
            .par_iter()
            .map(|(a, b)| {
                let r = compare(a, b, pyopt::validate::Strictness::of(args.level));
                progress.tick();
                r
            })
            .collect()
    });
    progress.finish();
    let (mut codes, mut changed, mut bad, mut errors) = (0u64, 0u64, 0u64, 0u64);
    for ((_, b), r) in pairs.iter().zip(&results) {
        match r {
            Ok(v) => {
                codes += v.code_objects;
                changed += v.changed;
                for (q, why) in &v.not_shown {
                    bad += 1;
                    outln!(
                        "{}: code object {q}: not shown equivalent: {why}",
                        b.display()
                    );
                }
            }
            Err(e) => {
                errors += 1;
                eprintln!("pyopt: {}: {e}", b.display());
            }
        }
    }
    outln!(
        "{} files, {codes} code objects, {changed} changed: {} shown equivalent, {bad} not shown equivalent, {errors} files unreadable",
        pairs.len(),
        changed - bad
    );
    outln!(
        "checked: effects, their operands and order, branches, results, locals and exception handlers at every step that can raise{}",
        if args.level == pyopt::config::Level::Safe {
            ", the lines executed between them (not each version's exact line-event rules)"
        } else {
            "; not checked: line events"
        }
    );
    Ok(if bad == 0 && errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn compare(
    a: &Path,
    b: &Path,
    strictness: pyopt::validate::Strictness,
) -> Result<pyopt::validate::FileVerdict, String> {
    let da = std::fs::read(a).map_err(|e| format!("cannot read {}: {e}", a.display()))?;
    let db = std::fs::read(b).map_err(|e| format!("cannot read: {e}"))?;
    pyopt::validate::check_files(&da, &db, strictness).map_err(|e| e.to_string())
}
