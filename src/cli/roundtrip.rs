//! `pyopt roundtrip PATH...`: decode → IR → encode every `.pyc`, in memory,
//! and a per-version table of how many files came back byte-identical.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use rayon::prelude::*;

use pyopt::roundtrip::{roundtrip_to, Depth, StackStats};
use pyopt::PyVersion;

use super::{collect_pycs, thread_pool, Progress};

#[derive(Args)]
pub struct RoundtripArgs {
    /// Files or directories (searched recursively for *.pyc).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short, long)]
    jobs: Option<usize>,
    /// List every file that is not byte-identical or failed.
    #[arg(short, long)]
    verbose: bool,
    /// Also list code objects whose recomputed co_stacksize differs from the stored one.
    #[arg(long)]
    stack_details: bool,
    /// Stop at the marshal object tree: code objects' bytecode and tables
    /// are copied, not decoded (measures the marshal layer on its own).
    #[arg(long, conflicts_with = "through_cfg")]
    marshal_only: bool,
    /// Also build each code object's control-flow graph and linearize it
    /// back before encoding (decode → CFG → linearize → encode).
    #[arg(long)]
    through_cfg: bool,
    /// Follow symbolic links while walking directories (loops are detected).
    #[arg(long)]
    follow_symlinks: bool,
}

#[derive(Default)]
struct VersionRow {
    files: u64,
    identical: u64,
    different: u64,
    errors: u64,
    code_objects: u64,
    bytes: u64,
    stack: StackStats,
}

enum Outcome {
    Done(pyopt::roundtrip::RoundTrip, u64),
    Failed(Option<PyVersion>, String),
}

pub fn run(args: RoundtripArgs) -> Result<ExitCode> {
    let depth = if args.marshal_only {
        Depth::Marshal
    } else if args.through_cfg {
        Depth::Cfg
    } else {
        Depth::Instructions
    };
    let found = collect_pycs(&args.paths, args.follow_symlinks);
    let files = &found.files;
    let pool = thread_pool(args.jobs)?;
    let start = Instant::now();
    let progress = Progress::new(files.len(), files.len() > 200);
    let codec_nanos = AtomicU64::new(0);
    let outcomes: Vec<Outcome> = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let r = match std::fs::read(path) {
                    Err(e) => Outcome::Failed(None, format!("cannot read: {e}")),
                    Ok(data) => {
                        let version = pyopt::pyc::Header::parse(&data).ok().map(|h| h.version);
                        let t = Instant::now();
                        let result = roundtrip_to(&data, depth);
                        codec_nanos.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
                        match result {
                            Ok(rt) => Outcome::Done(rt, data.len() as u64),
                            Err(e) => Outcome::Failed(version, e.to_string()),
                        }
                    }
                };
                progress.tick();
                r
            })
            .collect()
    });
    progress.finish();
    let mut rows: BTreeMap<Option<PyVersion>, VersionRow> = BTreeMap::new();
    let mut failures = 0u64;
    for (path, o) in files.iter().zip(&outcomes) {
        match o {
            Outcome::Done(rt, size) => {
                let row = rows.entry(rt.version).or_default();
                row.files += 1;
                row.code_objects += rt.code_objects;
                row.bytes += size;
                row.stack.add(&rt.stack);
                if rt.identical {
                    row.identical += 1;
                } else {
                    row.different += 1;
                    failures += 1;
                    if args.verbose {
                        outln!(
                            "DIFFERENT {} (first difference at byte {})",
                            path.display(),
                            rt.first_difference.unwrap_or(0)
                        );
                    }
                }
                if args.stack_details {
                    for (name, stored, computed) in &rt.stack_mismatches {
                        outln!(
                            "STACKSIZE {}: {name}: stored {stored}, recomputed {computed}",
                            path.display()
                        );
                    }
                }
            }
            Outcome::Failed(v, msg) => {
                let row = rows.entry(*v).or_default();
                row.files += 1;
                row.errors += 1;
                failures += 1;
                eprintln!("pyopt: {}: {msg}", path.display());
            }
        }
    }
    outln!(
        "{:<8} {:>8} {:>10} {:>10} {:>7} {:>12} {:>10} {:>24}",
        "version",
        "files",
        "identical",
        "different",
        "errors",
        "code objs",
        "MB",
        "co_stacksize =/</>"
    );
    let mut total = VersionRow::default();
    for (v, r) in &rows {
        let name = v.map_or("unknown".to_string(), |v| v.to_string());
        print_row(&name, r);
        total.files += r.files;
        total.identical += r.identical;
        total.different += r.different;
        total.errors += r.errors;
        total.code_objects += r.code_objects;
        total.bytes += r.bytes;
        total.stack.add(&r.stack);
    }
    if rows.len() > 1 {
        print_row("total", &total);
    }
    let codec = codec_nanos.load(Ordering::Relaxed) as f64 / 1e9;
    outln!(
        "{} files in {:.2}s wall; decode+encode {:.3}s summed over threads ({:.0} MB/s per thread)",
        files.len(),
        start.elapsed().as_secs_f64(),
        codec,
        total.bytes as f64 / 1e6 / codec.max(1e-9)
    );
    if failures == 0 && found.errors.is_empty() && !files.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        if files.is_empty() {
            eprintln!("pyopt: no .pyc files found");
        }
        Ok(ExitCode::FAILURE)
    }
}

fn print_row(name: &str, r: &VersionRow) {
    outln!(
        "{:<8} {:>8} {:>10} {:>10} {:>7} {:>12} {:>10.1} {:>24}",
        name,
        r.files,
        r.identical,
        r.different,
        r.errors,
        r.code_objects,
        r.bytes as f64 / 1e6,
        format!("{}/{}/{}", r.stack.equal, r.stack.smaller, r.stack.larger)
    );
}
