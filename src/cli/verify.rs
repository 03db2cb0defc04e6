//! `pyopt verify PATH...`: structural checks of every code object.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use rayon::prelude::*;

use pyopt::opt::verify;

use super::{collect_pycs, thread_pool, Progress};

#[derive(Args)]
pub struct VerifyArgs {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(short, long)]
    jobs: Option<usize>,
    /// Follow symbolic links while walking directories (loops are detected).
    #[arg(long)]
    follow_symlinks: bool,
}

pub fn run(args: VerifyArgs) -> Result<ExitCode> {
    let found = collect_pycs(&args.paths, args.follow_symlinks);
    let files = &found.files;
    let pool = thread_pool(args.jobs)?;
    let progress = Progress::new(files.len(), files.len() > 200);
    let results: Vec<Result<verify::FileVerdict, String>> = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let r = std::fs::read(path)
                    .map_err(|e| format!("cannot read: {e}"))
                    .and_then(|d| verify::verify_bytes(&d).map_err(|e| e.to_string()));
                progress.tick();
                r
            })
            .collect()
    });
    progress.finish();
    let (mut ok, mut bad, mut errors, mut codes) = (0u64, 0u64, 0u64, 0u64);
    for (path, r) in files.iter().zip(&results) {
        match r {
            Ok(v) => {
                codes += v.code_objects;
                if v.problems.is_empty() {
                    ok += 1;
                } else {
                    bad += 1;
                    for p in &v.problems {
                        outln!("{}: {p}", path.display());
                    }
                }
            }
            Err(e) => {
                errors += 1;
                eprintln!("pyopt: {}: {e}", path.display());
            }
        }
    }
    outln!(
        "{} files, {codes} code objects: {ok} ok, {bad} with problems, {errors} unreadable",
        files.len()
    );
    Ok(
        if bad == 0 && errors == 0 && found.errors.is_empty() && !files.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        },
    )
}
