//! `pyopt optimize PATH...`: arguments, configuration resolution, progress,
//! summary, `--diff` output, `--report` JSON and exit codes. The work itself
//! is `pyopt::driver`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Args;

use pyopt::atomic::Durability;
use pyopt::config::{self, CliOverrides, Level, RawOptions};
use pyopt::driver::{self, Mode, Options, TreeReport};
use pyopt::opt::{Debug, Pipeline, Status};

use super::Progress;

/// Schema identifier and version of `--report` JSON (see README).
pub const REPORT_SCHEMA: &str = "pyopt-report";
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// The pass-selection flags `optimize` and `difftest` share.
#[derive(Args, Debug, Clone)]
pub struct PassSelection {
    /// Optimization level: safe (default) or aggressive.
    #[arg(long)]
    pub level: Option<Level>,
    /// Enable passes (comma-separated; `all` for every pass).
    #[arg(long, value_delimiter = ',', value_name = "PASS,...")]
    pub enable: Vec<String>,
    /// Disable passes (comma-separated; `all` for every pass). Wins over --enable.
    #[arg(long, value_delimiter = ',', value_name = "PASS,...")]
    pub disable: Vec<String>,
}

impl PassSelection {
    /// As configuration overrides (jobs and excludes left unset).
    pub fn overrides(&self) -> CliOverrides {
        CliOverrides {
            level: self.level,
            enable: self.enable.clone(),
            disable: self.disable.clone(),
            ..Default::default()
        }
    }
}

#[derive(Args, Debug)]
pub struct OptimizeArgs {
    /// Files or directories (searched recursively for *.pyc).
    #[arg(required = true)]
    pub(crate) paths: Vec<PathBuf>,
    /// Write nothing; exit 1 if any file would change (a CI gate).
    #[arg(long)]
    pub(crate) check: bool,
    /// Write nothing; report what would change.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Print a before/after listing of every changed code object (implies
    /// nothing about writing: combine with --dry-run to only look).
    #[arg(long)]
    pub(crate) diff: bool,
    /// When written files reach the disk: `always` (fsync each file before
    /// its rename), `batch` (sync the written files together every 1024
    /// files and at the end, then rename them; the default) or `never` (no
    /// sync). See the README for what each guarantees.
    #[arg(long, value_name = "MODE", default_value = "batch")]
    pub(crate) fsync: Durability,
    /// Write per-file and per-pass statistics and errors as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<PathBuf>,
    /// Worker threads (default: the config's `jobs`, else all cores).
    #[arg(short, long)]
    pub(crate) jobs: Option<usize>,
    /// Use this pyopt.toml or pyproject.toml instead of searching upward
    /// from the first PATH.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) passes: PassSelection,
    /// Skip paths matching this glob (relative to the PATH; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Follow symbolic links while walking directories (loops are detected).
    #[arg(long)]
    pub(crate) follow_symlinks: bool,
    /// Exit 2 when the verifier (or, with --validate, the validator)
    /// rejected any code object (it is always written unchanged and
    /// reported; without --strict that is not a failure).
    #[arg(long)]
    pub(crate) strict: bool,
    /// Check every changed code object against its original with the
    /// translation validator (symbolic execution of both; see
    /// docs/validation.md); one not shown equivalent is written unchanged
    /// and reported. Line events are not checked.
    #[arg(long)]
    pub(crate) validate: bool,
    /// Verify after every pass application, to find which pass broke a code object.
    #[arg(long)]
    pub(crate) verify_each: bool,
    /// Decode every code object, build its CFG and run the passes on it,
    /// even where each pass's quick check on the code as read says it has
    /// nothing to do, and encode changed files whole instead of copying
    /// their unchanged code objects (slower; the output must be the same,
    /// which this flag lets you check).
    #[arg(long)]
    pub(crate) no_precheck: bool,
    /// Print the CFG after every application of PASS that changed something.
    #[arg(long, value_name = "PASS")]
    pub(crate) dump_after: Option<String>,
    /// Apply only the first N pass applications of the run (single thread,
    /// files in path order), to find a miscompile by bisection.
    #[arg(long, value_name = "N")]
    pub(crate) bisect_limit: Option<u64>,
    /// Print only errors.
    #[arg(short, long, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print every changed file and every rejected code object.
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

fn load_config(args: &OptimizeArgs) -> Result<RawOptions> {
    load_config_for(args.config.as_deref(), &args.paths[0])
}

/// The configuration `optimize` would use: the file `--config` names, else
/// the pyopt.toml or pyproject.toml found upward from `first` (a file's
/// directory), else the defaults. `bench` shares it.
pub(crate) fn load_config_for(config: Option<&Path>, first: &Path) -> Result<RawOptions> {
    if let Some(path) = config {
        return Ok(config::load_file(path)?);
    }
    let start = if first.is_dir() {
        first.to_path_buf()
    } else {
        first
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    };
    let start = std::fs::canonicalize(&start).unwrap_or(start);
    Ok(config::discover(&start)?
        .map(|(_, raw)| raw)
        .unwrap_or_default())
}

/// `pyopt optimize PATH...`.
pub fn run(args: OptimizeArgs) -> Result<ExitCode> {
    let raw = load_config(&args)?;
    let cli = CliOverrides {
        jobs: args.jobs,
        exclude: args.exclude.clone(),
        ..args.passes.overrides()
    };
    let settings = config::resolve(&raw, &cli, &pyopt::passes::infos())?;
    if let Some(name) = &args.dump_after {
        if pyopt::passes::find(name).is_none() {
            bail!("--dump-after: unknown pass \"{name}\"");
        }
    }
    let mut pipeline = Pipeline::new(
        &settings.enabled,
        Debug {
            verify_each: args.verify_each,
            no_precheck: args.no_precheck,
            dump_after: args.dump_after.clone(),
            bisect_limit: args.bisect_limit,
            applied: Default::default(),
            last_applied: Default::default(),
            last_file: Default::default(),
        },
    )
    .with_level(settings.level);
    pipeline.validate = args.validate;
    // Only -v and --report show the times.
    pipeline.timings = args.verbose || args.report.is_some();
    let mode = if args.check || args.dry_run {
        Mode::ReadOnly
    } else {
        Mode::Write
    };
    let jobs = settings.jobs;
    let opts = Options {
        settings,
        pipeline,
        mode,
        follow_symlinks: args.follow_symlinks,
        diff: args.diff,
        durability: args.fsync,
    };
    let pool = super::thread_pool(jobs)?;
    let progress = Progress::new(0, !args.quiet).with_prefix("optimizing: ");
    let report = pool.install(|| {
        driver::optimize_tree_with(
            &args.paths,
            &opts,
            &|total| progress.set_total(total),
            &|| progress.tick(),
        )
    });
    progress.finish();
    print_outcome(&args, &report, &opts);
    if let Some(limit) = args.bisect_limit {
        let last = opts.pipeline.debug.last_application();
        match last {
            Some((n, pass, code)) => {
                let file = opts.pipeline.debug.last_application_file();
                eprintln!(
                    "pyopt: --bisect-limit {limit}: last application #{n}: pass {pass} on code object {code}{}",
                    file.map(|f| format!(" in {}", f.display())).unwrap_or_default()
                )
            }
            None => eprintln!("pyopt: --bisect-limit {limit}: no pass application was made"),
        }
    }
    if let Some(path) = &args.report {
        write_report(path, &args, &report, &opts)?;
    }
    let failed = report.count(Status::Failed) + report.walk_errors.len();
    let rejected = report.rejected();
    Ok(if failed > 0 || (args.strict && rejected > 0) {
        ExitCode::from(2)
    } else if args.check && report.count(Status::Changed) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_outcome(args: &OptimizeArgs, report: &TreeReport, opts: &Options) {
    for (path, reason) in &report.walk_errors {
        eprintln!("pyopt: {}: {reason}", path.display());
    }
    for f in &report.files {
        if let Some(e) = &f.error {
            eprintln!("pyopt: {}: {e}", f.path.display());
        }
        for r in &f.rejected {
            eprintln!(
                "pyopt: {}: code object {} kept unchanged: {}{}",
                f.path.display(),
                r.code_object,
                r.pass
                    .as_deref()
                    .map(|p| format!("after pass {p}: "))
                    .unwrap_or_default(),
                r.reason
            );
        }
        if f.status == Status::Changed
            && (args.verbose || args.check || args.dry_run)
            && !args.quiet
        {
            let verb = if opts.mode == Mode::Write {
                "optimized"
            } else {
                "would change"
            };
            outln!(
                "{verb} {} ({} code objects)",
                f.path.display(),
                f.changed_code_objects
            );
        }
        if let Some(d) = &f.diff {
            super::print_out(&pyopt::diff::name_file(d, &f.path.display().to_string()));
        }
    }
    if args.quiet {
        return;
    }
    let sum =
        |field: fn(&pyopt::opt::FileReport) -> u64| report.files.iter().map(field).sum::<u64>();
    let changed = report.count(Status::Changed);
    // Counted only where some enabled pass supports the file's version.
    let (ins_before, ins_after) = (
        sum(|f| f.instructions_before),
        sum(|f| f.instructions_after),
    );
    let instructions = if ins_before == 0 && ins_after == 0 {
        String::new()
    } else {
        format!(
            "{} -> {} instructions{}, ",
            thousands(ins_before),
            thousands(ins_after),
            change(ins_before, ins_after)
        )
    };
    outln!(
        "{} files: {} {}, {} unchanged, {} failed{}; {}{} -> {} bytes{} in {:.2}s ({} passes enabled)",
        report.files.len(),
        changed,
        if opts.mode == Mode::Write { "optimized" } else { "would change" },
        report.count(Status::Unchanged),
        report.count(Status::Failed) + report.walk_errors.len(),
        if report.rejected() > 0 {
            format!(
                ", {} code objects rejected by the verifier{}",
                report.rejected(),
                if opts.pipeline.validate { " or validator" } else { "" }
            )
        } else {
            String::new()
        },
        instructions,
        thousands(sum(|f| f.bytes_before)),
        thousands(sum(|f| f.bytes_after)),
        change(sum(|f| f.bytes_before), sum(|f| f.bytes_after)),
        report.elapsed.as_secs_f64(),
        opts.pipeline.passes.len()
    );
    if args.verbose {
        for (name, s) in &report.stats.passes {
            outln!(
                "  {name:<28} {:>8} runs {:>8} changes {:>9.3}s",
                s.runs,
                s.changes,
                s.time.as_secs_f64()
            );
        }
        // The work around the passes, for the code objects they ran on.
        let (build, verify) = (&report.stats.cfg_build, &report.stats.verify);
        outln!(
            "  {:<28} {:>8} code objects{:>18.3}s",
            "(build CFG)",
            build.runs,
            build.time.as_secs_f64()
        );
        outln!(
            "  {:<28} {:>8} checks {:>8} rejected {:>8.3}s",
            "(verify)",
            verify.runs,
            verify.changes,
            verify.time.as_secs_f64()
        );
    }
    if !report.stale_removed.is_empty() {
        outln!(
            "removed {} temporary files left by an interrupted run",
            report.stale_removed.len()
        );
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The relative change from `before` to `after`: ` (-1.25%)`; nothing when
/// there is nothing to compare or no change.
fn change(before: u64, after: u64) -> String {
    if before == 0 || before == after {
        return String::new();
    }
    let pct = (after as f64 - before as f64) * 100.0 / before as f64;
    format!(" ({pct:+.2}%)")
}

fn write_report(
    path: &Path,
    args: &OptimizeArgs,
    report: &TreeReport,
    opts: &Options,
) -> Result<()> {
    let passes: serde_json::Map<String, serde_json::Value> = report
        .stats
        .passes
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                serde_json::json!({"runs": v.runs, "changes": v.changes, "seconds": v.time.as_secs_f64()}),
            )
        })
        .collect();
    let json = serde_json::json!({
        "schema": REPORT_SCHEMA,
        "schema_version": REPORT_SCHEMA_VERSION,
        "pyopt_version": env!("CARGO_PKG_VERSION"),
        "mode": if args.check { "check" } else if args.dry_run { "dry-run" } else { "write" },
        "level": opts.settings.level.to_string(),
        "fsync": opts.durability.to_string(),
        "passes_enabled": opts.pipeline.passes.iter().map(|p| p.name()).collect::<Vec<_>>(),
        "summary": {
            "files": report.files.len(),
            "changed": report.count(Status::Changed),
            "unchanged": report.count(Status::Unchanged),
            "failed": report.count(Status::Failed),
            "walk_errors": report.walk_errors.len(),
            "rejected_code_objects": report.rejected(),
            "bytes_before": report.files.iter().map(|f| f.bytes_before).sum::<u64>(),
            "bytes_after": report.files.iter().map(|f| f.bytes_after).sum::<u64>(),
            "code_objects": report.files.iter().map(|f| f.code_objects).sum::<u64>(),
            "changed_code_objects": report.files.iter().map(|f| f.changed_code_objects).sum::<u64>(),
            "instructions_before": report.files.iter().map(|f| f.instructions_before).sum::<u64>(),
            "instructions_after": report.files.iter().map(|f| f.instructions_after).sum::<u64>(),
            "seconds": report.elapsed.as_secs_f64(),
        },
        "passes": passes,
        "files": report.files,
        "walk_errors": report.walk_errors.iter().map(|(p, r)| serde_json::json!({"path": p, "error": r})).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&json)?;
    std::fs::write(path, text + "\n")
        .with_context(|| format!("cannot write report {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_the_summary() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(change(0, 5), "");
        assert_eq!(change(400, 400), "");
        assert_eq!(change(400, 395), " (-1.25%)");
        assert_eq!(change(100, 101), " (+1.00%)");
    }
}
