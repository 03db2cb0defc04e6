//! The `pyopt` command line: the clap types of every subcommand, dispatch,
//! and what the subcommands share (stdout that tolerates a closed pipe,
//! worker threads, the progress display). Each subcommand lives in its own
//! file; the work itself is the library's.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

/// `println!` that ends the process quietly when stdout is closed
/// (`pyopt roundtrip ... | head`), like a command killed by SIGPIPE.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        if writeln!(out, $($arg)*).is_err() {
            std::process::exit(141);
        }
    }};
}

pub mod bench;
pub mod compile;
pub mod difftest;
pub mod dis;
pub mod optimize;
pub mod passes;
pub mod roundtrip;
pub mod validate;
pub mod verify;

#[derive(Parser)]
#[command(
    name = "pyopt",
    version,
    about = "Ahead-of-time optimizer for CPython 3.8–3.15 bytecode (.pyc files)",
    long_about = "pyopt reads compiled CPython bytecode (.pyc files, also inside wheels \
                  and zip archives), rewrites it through a pipeline of peephole passes and \
                  writes it back so that CPython loads it exactly as before, only faster. \
                  CPython 3.8 to 3.15; each file's version comes from its magic number.\n\n\
                  Start with `pyopt optimize --check DIR` (what would change) and \
                  `pyopt passes` (what each pass does, at which level). `difftest` runs \
                  programs original vs optimized under the real interpreters; `roundtrip`, \
                  `dis` and `verify` inspect the codec and the code."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Optimize every .pyc under PATHs in place (atomically: temporary file,
    /// synced as --fsync says, rename). Each file's CPython version comes from its own magic
    /// number. Unchanged files are not touched.
    ///
    /// Exit codes: 0 success; 1 --check found files that would change; 2 some
    /// files failed (unreadable, corrupt, unsupported version, read-only, ...)
    /// or, with --strict, a code object was rejected by the verifier.
    Optimize(optimize::OptimizeArgs),
    /// Byte-compile .py sources with CPython's compileall (the matching
    /// interpreter), then optimize the .pyc files it wrote, in one step.
    /// Exit 2 if any source failed to compile (the rest is still done).
    Compile(compile::CompileArgs),
    /// Differential execution of Python programs: compile each with every
    /// installed CPython, optimize, run original and optimized, compare
    /// stdout, stderr, exceptions, tracebacks, line events and main(); bisect
    /// a difference to the pass and code object responsible. Exit 1 on any
    /// difference.
    Difftest(difftest::DifftestArgs),
    /// Measure what optimizing gives a program: `pyopt bench TREE -- CMD`
    /// runs CMD alternately on an optimized copy of TREE, an original copy
    /// and a second original copy (the control, for the noise); reports
    /// wall time, CPU time and peak RSS per side, ratios with confidence
    /// intervals and a verdict. TREE is never modified. Exit 2 if CMD fails.
    Bench(bench::BenchArgs),
    /// List every pass with its level, supported versions and summary.
    Passes(passes::PassesArgs),
    /// Decode every .pyc under PATHs to the full instruction IR and encode it
    /// again, in memory; report per version how many files came back
    /// byte-identical. Exits 0 only if all of them did. Writes nothing.
    Roundtrip(roundtrip::RoundtripArgs),
    /// Print the instruction IR of a .pyc: offset, line, opname, argument and its value.
    Dis(dis::DisArgs),
    /// Structural checks of every code object: stack depth (no underflow,
    /// consistent at merges, recomputed co_stacksize not above the stored
    /// one), jump targets, exception-table entries, encodability.
    Verify(verify::VerifyArgs),
    /// Translation validation: check every changed code object of an
    /// optimized file or tree (ORIGINAL OPTIMIZED, same relative paths)
    /// against the original by symbolic execution of both, without running
    /// anything. Works on the output of any bytecode rewriter. Exit 1 if a
    /// code object is not shown equivalent.
    Validate(validate::ValidateArgs),
}

/// Runs a parsed command line: the subcommand's exit code, or 2 after
/// printing `pyopt: error: ...` when it could not run.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Optimize(args) => optimize::run(args),
        Command::Compile(args) => compile::run(args),
        Command::Difftest(args) => difftest::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Passes(args) => passes::run(args),
        Command::Roundtrip(args) => roundtrip::run(args),
        Command::Dis(args) => dis::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Validate(args) => validate::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pyopt: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Writes `text` to stdout as it is; like [`outln!`], a closed stdout ends
/// the process quietly.
pub fn print_out(text: &str) {
    use std::io::Write as _;
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        std::process::exit(141);
    }
}

/// A pool of `jobs` worker threads (default: one per core).
pub fn thread_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(j) = jobs {
        b = b.num_threads(j.max(1));
    }
    b.build().context("cannot start worker threads")
}

/// The progress display on stderr: a bar with files done/total, the rate
/// and the elapsed time. Shown only when stderr is a terminal and the
/// command was not asked to be quiet; cleared when done, so that it leaves
/// nothing in the output.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// A display for `total` files (0: not known yet, see
    /// [`Progress::set_total`]); never shown when `show` is false or stderr
    /// is not a terminal.
    pub fn new(total: usize, show: bool) -> Progress {
        let bar = (show && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::hidden();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{prefix}[{bar:30}] {pos}/{len} files, {rate}, {elapsed}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.0} files/s", state.per_sec());
                    },
                )
                .progress_chars("#> "),
            );
            bar
        });
        let progress = Progress { bar };
        if total > 0 {
            progress.set_total(total);
        }
        progress
    }

    /// Shows `text` before the bar (`optimizing: `).
    pub fn with_prefix(self, text: &'static str) -> Progress {
        if let Some(bar) = &self.bar {
            bar.set_prefix(text);
        }
        self
    }

    /// The number of files; the display appears from now on.
    pub fn set_total(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// One more file done.
    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Prints the errors a tree walk met as `pyopt: PATH: REASON` on stderr.
pub fn print_walk_errors(errors: &[(std::path::PathBuf, String)]) {
    for (path, reason) in errors {
        eprintln!("pyopt: {}: {reason}", path.display());
    }
}

/// The `.pyc` files under `paths` (the one tree walker), with the walk's
/// problems already printed.
pub fn collect_pycs(paths: &[std::path::PathBuf], follow_symlinks: bool) -> pyopt::walk::Found {
    let found = pyopt::walk::collect(
        paths,
        &pyopt::walk::Walk::new(pyopt::walk::PYC).follow_symlinks(follow_symlinks),
    );
    print_walk_errors(&found.errors);
    found
}

/// Optimizes, in place, a copy of the user's tree that pyopt made itself
/// (`difftest TREE -- CMD`, `bench`): written without syncing (a scratch
/// copy needs no durability), symbolic links not followed.
/// Returns the report and the options it ran with (the pipeline's debug
/// state tells the last pass application).
pub fn optimize_copy(
    copy: &std::path::Path,
    settings: &pyopt::config::Settings,
    pipeline: pyopt::opt::Pipeline,
) -> (pyopt::driver::TreeReport, pyopt::driver::Options) {
    let opts = pyopt::driver::Options {
        settings: settings.clone(),
        pipeline,
        mode: pyopt::driver::Mode::Write,
        follow_symlinks: false,
        diff: false,
        durability: pyopt::atomic::Durability::Never,
    };
    let report =
        pyopt::driver::optimize_tree(std::slice::from_ref(&copy.to_path_buf()), &opts, &|| {});
    (report, opts)
}
