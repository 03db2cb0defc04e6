//! The `pyopt` command line: parse arguments, call the library, print, exit.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use rayon::prelude::*;

use pyopt::opt::verify;
use pyopt::roundtrip::{roundtrip_to, Depth, StackStats};
use pyopt::{dis, PyVersion};

/// mimalloc: the codec allocates many small vectors per code object; glibc's
/// allocator spent a fifth of a run in malloc/free and scaled worse across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "pyopt",
    version,
    about = "Ahead-of-time optimizer for CPython 3.8–3.14 bytecode (.pyc files)",
    long_about = "pyopt reads compiled CPython bytecode (.pyc files, also inside wheels \
                  and zip archives), rewrites it through a pipeline of peephole passes and \
                  writes it back so that CPython loads it exactly as before, only faster. \
                  CPython 3.8 to 3.14; each file's version comes from its magic number.\n\n\
                  Start with `pyopt optimize --check DIR` (what would change) and \
                  `pyopt passes` (what each pass does, at which level). `difftest` runs \
                  programs original vs optimized under the real interpreters; `roundtrip`, \
                  `dis` and `verify` inspect the codec and the code."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Optimize every .pyc under PATHs in place (atomically: temporary file,
    /// fsync, rename). Each file's CPython version comes from its own magic
    /// number. Unchanged files are not touched.
    ///
    /// Exit codes: 0 success; 1 --check found files that would change; 2 some
    /// files failed (unreadable, corrupt, unsupported version, read-only, ...)
    /// or, with --strict, a code object was rejected by the verifier.
    Optimize(OptimizeArgs),
    /// Byte-compile .py sources with CPython's compileall (the matching
    /// interpreter), then optimize the .pyc files it wrote, in one step.
    /// Exit 2 if any source failed to compile (the rest is still done).
    Compile(compile::CompileArgs),
    /// Differential execution of Python programs: compile each with every
    /// installed CPython, optimize, run original and optimized, compare
    /// stdout, stderr, exceptions, tracebacks, line events and main(); bisect
    /// a difference to the pass and code object responsible. Exit 1 on any
    /// difference.
    Difftest(difftest_cli::DifftestArgs),
    /// List every pass with its level, supported versions and summary.
    Passes {
        /// Print the full documentation of one pass.
        #[arg(long, value_name = "NAME")]
        explain: Option<String>,
    },
    /// Decode every .pyc under PATHs to the full instruction IR and encode it
    /// again, in memory; report per version how many files came back
    /// byte-identical. Exits 0 only if all of them did. Writes nothing.
    Roundtrip {
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
    },
    /// Print the instruction IR of a .pyc: offset, line, opname, argument and its value.
    Dis {
        file: PathBuf,
        /// Only code objects whose qualified name contains this text.
        #[arg(long)]
        function: Option<String>,
    },
    /// Structural checks of every code object: stack depth (no underflow,
    /// consistent at merges, recomputed co_stacksize not above the stored
    /// one), jump targets, exception-table entries, encodability.
    Verify {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(short, long)]
        jobs: Option<usize>,
    },
}

/// `println!` that ends the process quietly when stdout is closed
/// (`pyopt roundtrip ... | head`), like a command killed by SIGPIPE.
macro_rules! outln {
    ($($arg:tt)*) => {{
        let mut out = std::io::stdout().lock();
        if writeln!(out, $($arg)*).is_err() {
            std::process::exit(141);
        }
    }};
}

#[path = "cli_compile.rs"]
mod compile;
#[path = "cli_difftest.rs"]
mod difftest_cli;
#[path = "cli_optimize.rs"]
mod optimize;

use optimize::OptimizeArgs;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Roundtrip {
            paths,
            jobs,
            verbose,
            stack_details,
            marshal_only,
            through_cfg,
        } => {
            let depth = if marshal_only {
                Depth::Marshal
            } else if through_cfg {
                Depth::Cfg
            } else {
                Depth::Instructions
            };
            cmd_roundtrip(&paths, jobs, verbose, stack_details, depth)
        }
        Command::Dis { file, function } => cmd_dis(&file, function.as_deref()),
        Command::Verify { paths, jobs } => cmd_verify(&paths, jobs),
        Command::Optimize(args) => optimize::run(args),
        Command::Compile(args) => compile::run(args),
        Command::Passes { explain } => optimize::passes(explain.as_deref()),
        Command::Difftest(args) => difftest_cli::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pyopt: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Every `*.pyc` under `paths`, sorted, plus errors met while walking.
fn collect_pycs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_file() {
            files.push(p.clone());
            continue;
        }
        if !p.exists() {
            errors.push(format!("{}: no such file or directory", p.display()));
            continue;
        }
        for entry in walkdir::WalkDir::new(p).follow_links(true) {
            match entry {
                Ok(e) => {
                    if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "pyc") {
                        files.push(e.into_path());
                    }
                }
                Err(e) => {
                    let path = e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    errors.push(format!("{path}: {e}"));
                }
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn thread_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(j) = jobs {
        b = b.num_threads(j.max(1));
    }
    b.build().context("cannot start worker threads")
}

/// A progress line on stderr, shown only when stderr is a terminal.
struct Progress {
    total: usize,
    done: AtomicUsize,
    start: Instant,
    last: std::sync::Mutex<Instant>,
    enabled: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            start: Instant::now(),
            last: std::sync::Mutex::new(Instant::now()),
            enabled: std::io::stderr().is_terminal() && total > 200,
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.enabled {
            return;
        }
        if let Ok(mut last) = self.last.try_lock() {
            if last.elapsed() >= Duration::from_millis(200) || done == self.total {
                *last = Instant::now();
                let width = 30;
                let filled = width * done / self.total.max(1);
                eprint!(
                    "\r[{}{}] {done}/{} files",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    self.total
                );
                let _ = std::io::stderr().flush();
            }
        }
    }

    fn finish(&self) {
        if self.enabled {
            eprint!("\r{}\r", " ".repeat(60));
        }
    }
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

fn cmd_roundtrip(
    paths: &[PathBuf],
    jobs: Option<usize>,
    verbose: bool,
    stack_details: bool,
    depth: Depth,
) -> Result<ExitCode> {
    let (files, walk_errors) = collect_pycs(paths);
    for e in &walk_errors {
        eprintln!("pyopt: {e}");
    }
    let pool = thread_pool(jobs)?;
    let progress = Progress::new(files.len());
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
                    if verbose {
                        outln!(
                            "DIFFERENT {} (first difference at byte {})",
                            path.display(),
                            rt.first_difference.unwrap_or(0)
                        );
                    }
                }
                if stack_details {
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
        progress.start.elapsed().as_secs_f64(),
        codec,
        total.bytes as f64 / 1e6 / codec.max(1e-9)
    );
    if failures == 0 && walk_errors.is_empty() && !files.is_empty() {
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

fn cmd_dis(file: &Path, function: Option<&str>) -> Result<ExitCode> {
    let data = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = dis::disassemble(&data, function).with_context(|| format!("{}", file.display()))?;
    let mut out = std::io::stdout().lock();
    // A closed pipe (`pyopt dis x | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}

fn cmd_verify(paths: &[PathBuf], jobs: Option<usize>) -> Result<ExitCode> {
    let (files, walk_errors) = collect_pycs(paths);
    for e in &walk_errors {
        eprintln!("pyopt: {e}");
    }
    let pool = thread_pool(jobs)?;
    let progress = Progress::new(files.len());
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
        if bad == 0 && errors == 0 && walk_errors.is_empty() && !files.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        },
    )
}
