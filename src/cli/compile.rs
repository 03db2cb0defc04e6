//! The `compile` command: byte-compile a tree of `.py` sources with the
//! matching CPython (`python -m compileall`) and optimize the `.pyc` files
//! it wrote, in one step. The optimizing half is `pyopt optimize` itself,
//! called with an argument list built here (see [`optimize_invocation`]).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};

use pyopt::interpreters;
use pyopt::PyVersion;

use super::optimize::{OptimizeArgs, PassSelection};

const COMPILE_HELP: &str = "\
What it does:
  1. Runs CPython's compileall as a subprocess:
       PYTHON -I -m compileall -q -j N [--invalidation-mode M] [-o L ...] [-f] PATH...
     compileall writes __pycache__/NAME.cpython-3X[.opt-L].pyc next to each
     source and parallelises itself (-j 0: all cores). Up-to-date pycs are
     skipped unless --force. CPython 3.8's compileall has no -o: there it
     runs once per level as `PYTHON -I [-O|-OO] -m compileall ...`.
     A source that does not compile (SyntaxError, ...) is reported on stderr
     with CPython's own message; it does not stop the run.
  2. Runs `pyopt optimize` with the level/pass options given here over
     every .pyc under each directory PATH (all that are there, including
     pycs that existed before) and over the pycs compiled from each file
     PATH, and prints the usual summary. The configuration file
     (pyopt.toml, pyproject.toml [tool.pyopt]) is found as by `optimize`.

The interpreter: --python 3.X uses $PYOPT_PYTHON3_X if set, else the newest
3.X.Y under $PYENV_ROOT/versions (default ~/.pyenv), else for 3.14 and 3.15
the repository's tools/py3X/bin/python3.X (once tools/pyodide/setup.sh 3.X ran),
else python3.X on PATH (as `pyopt difftest` finds it); without --python,
the `python3` on PATH. The interpreter used and its version are
printed. It must be CPython 3.8-3.15. It runs in isolated mode (-I), so
PYTHON* environment variables (PYTHONPYCACHEPREFIX, PYTHONOPTIMIZE, ...)
are ignored and the pycs land next to the sources; SOURCE_DATE_EPOCH is
honoured as compileall does (default invalidation mode checked-hash when it
is set, else timestamp).

Exit codes: 0 success; 2 if any source failed to compile (everything else
is still compiled and optimized), if optimizing failed on some file (or,
with --strict, the verifier rejected a code object), or on an error such as
a missing PATH or interpreter. Otherwise the exit code of the optimize step.";

/// How the written pycs are validated against their sources (PEP 552), as
/// compileall's `--invalidation-mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InvalidationMode {
    /// Source mtime and size in the header (flags 0).
    Timestamp,
    /// Source hash in the header, checked on import (flags 3).
    CheckedHash,
    /// Source hash in the header, never checked (flags 1).
    UncheckedHash,
}

impl InvalidationMode {
    fn as_str(self) -> &'static str {
        match self {
            InvalidationMode::Timestamp => "timestamp",
            InvalidationMode::CheckedHash => "checked-hash",
            InvalidationMode::UncheckedHash => "unchecked-hash",
        }
    }
}

#[derive(Args, Debug)]
#[command(after_long_help = COMPILE_HELP)]
pub struct CompileArgs {
    /// Source files or directories (searched recursively for *.py by compileall).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// CPython to compile with: pyenv's newest 3.X.Y, else python3.X on PATH
    /// (see below; default: `python3` on PATH).
    #[arg(long, value_name = "3.X")]
    python: Option<String>,
    /// The pycs' invalidation mode (default: compileall's: timestamp, or
    /// checked-hash when SOURCE_DATE_EPOCH is set).
    #[arg(long, value_enum, value_name = "MODE")]
    invalidation_mode: Option<InvalidationMode>,
    /// Optimization level of the pycs, as compileall's -o (repeatable):
    /// 0 = NAME.cpython-3X.pyc, 1 = .opt-1.pyc (as python -O), 2 =
    /// .opt-2.pyc (as python -OO). Default: 0 only.
    #[arg(
        short = 'O',
        long = "optimize",
        value_name = "LEVEL",
        value_parser = clap::value_parser!(u8).range(0..=2)
    )]
    opt_levels: Vec<u8>,
    /// Recompile even pycs that are up to date (compileall -f).
    #[arg(short, long)]
    force: bool,
    /// Worker processes of compileall (0 = all cores, the default) and
    /// threads of the optimizer (default: the config's `jobs`, else all cores).
    #[arg(short, long)]
    jobs: Option<usize>,
    #[command(flatten)]
    passes: PassSelection,
    /// Use this pyopt.toml or pyproject.toml instead of searching upward
    /// from the first PATH.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Exit 2 when the verifier rejected any code object.
    #[arg(long)]
    strict: bool,
    /// Print only errors (compile errors are always printed).
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Print every optimized file and every rejected code object.
    #[arg(short, long)]
    verbose: bool,
}

/// What the interpreter says about itself.
struct Interpreter {
    /// What to run (its `sys.executable` when it reports one).
    program: PathBuf,
    version: PyVersion,
    /// `3.X.Y`.
    full_version: String,
    /// `sys.implementation.cache_tag`: `cpython-3X`.
    cache_tag: String,
}

/// `pyopt compile PATH...`.
pub fn run(args: CompileArgs) -> Result<ExitCode> {
    for p in &args.paths {
        if std::fs::metadata(p).is_err() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let python = interpreter(args.python.as_deref())?;
    if !args.quiet {
        outln!(
            "pyopt: compiling with {} (CPython {})",
            python.program.display(),
            python.full_version
        );
    }
    let mut levels = if args.opt_levels.is_empty() {
        vec![0]
    } else {
        args.opt_levels.clone()
    };
    levels.sort_unstable();
    levels.dedup();

    let compiled_ok = compileall(&python, &args, &levels)?;

    // Directories are optimized whole; a file PATH stands for the pycs
    // compiled from it (those that exist: a source that failed has none).
    let mut targets = Vec::new();
    for p in &args.paths {
        if p.is_dir() {
            targets.push(p.clone());
        } else {
            for &level in &levels {
                let pyc = cache_from_source(p, &python.cache_tag, level);
                if pyc.is_file() {
                    targets.push(pyc);
                }
            }
        }
    }
    let optimized = if targets.is_empty() {
        eprintln!("pyopt: no .pyc file to optimize");
        ExitCode::from(2)
    } else {
        super::optimize::run(optimize_invocation(&args, &targets)?)?
    };
    Ok(if compiled_ok {
        optimized
    } else {
        ExitCode::from(2)
    })
}

/// The interpreter `--python` names (or `python3` on PATH), after asking
/// it for its version and cache tag.
fn interpreter(python: Option<&str>) -> Result<Interpreter> {
    let (program, wanted) = match python {
        Some(s) => {
            let v = PyVersion::parse(s)
                .with_context(|| format!("--python {s}: not a version 3.8–3.15"))?;
            let Some(p) = interpreters::find(v) else {
                bail!(
                    "--python {v}: no CPython {v} found (looked at {})",
                    interpreters::search_order(v)
                );
            };
            (p, Some(v))
        }
        None => {
            let found = std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join("python3"))
                    .find(|p| p.is_file())
            });
            let Some(p) = found else {
                bail!("no python3 on PATH; name an interpreter with --python 3.X");
            };
            (p, None)
        }
    };
    const QUERY: &str = "import sys\n\
        print(sys.implementation.name)\n\
        print(sys.version_info[1])\n\
        print('.'.join(map(str, sys.version_info[:3])))\n\
        print(sys.implementation.cache_tag)\n\
        print(sys.executable)\n";
    let out = Command::new(&program)
        .args(["-I", "-c", QUERY])
        .output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    if !out.status.success() {
        bail!(
            "{} does not run ({}): {}",
            program.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let (Some(name), Some(minor), Some(full), Some(tag)) =
        (lines.first(), lines.get(1), lines.get(2), lines.get(3))
    else {
        bail!("{}: unexpected answer {text:?}", program.display());
    };
    if *name != "cpython" {
        bail!(
            "{} is {name} {full}, not CPython: pyopt only handles CPython bytecode",
            program.display()
        );
    }
    let Some(version) = minor.parse::<u8>().ok().and_then(PyVersion::from_minor) else {
        bail!(
            "{} is CPython {full}; pyopt supports 3.8–3.15 (choose one with --python 3.X)",
            program.display()
        );
    };
    if let Some(w) = wanted {
        if w != version {
            bail!(
                "--python {w}: {} is CPython {full}, not {w}",
                program.display()
            );
        }
    }
    let executable = lines.get(4).copied().unwrap_or_default();
    let program = if executable.is_empty() {
        program
    } else {
        PathBuf::from(executable)
    };
    Ok(Interpreter {
        program,
        version,
        full_version: full.to_string(),
        cache_tag: tag.to_string(),
    })
}

/// Runs compileall over `args.paths` at `levels`, printing its messages on
/// stderr. Returns whether every source compiled.
fn compileall(python: &Interpreter, args: &CompileArgs, levels: &[u8]) -> Result<bool> {
    let mut common: Vec<OsString> = vec!["-q".into(), "-j".into()];
    common.push(args.jobs.unwrap_or(0).to_string().into());
    if let Some(mode) = args.invalidation_mode {
        common.push("--invalidation-mode".into());
        common.push(mode.as_str().into());
    }
    if args.force {
        common.push("-f".into());
    }
    // One run for all levels (-o, 3.9+), or one per level with the
    // interpreter's -O flags (3.8, whose compileall has no -o).
    let mut runs: Vec<(Vec<OsString>, String)> = Vec::new();
    if python.version.facts().compileall_opt_levels {
        let mut argv: Vec<OsString> = vec!["-I".into(), "-m".into(), "compileall".into()];
        argv.extend(common.iter().cloned());
        for l in levels {
            argv.push("-o".into());
            argv.push(l.to_string().into());
        }
        runs.push((argv, String::new()));
    } else {
        for &l in levels {
            let mut argv: Vec<OsString> = vec!["-I".into()];
            match l {
                0 => {}
                1 => argv.push("-O".into()),
                _ => argv.push("-OO".into()),
            }
            argv.extend(["-m".into(), "compileall".into()]);
            argv.extend(common.iter().cloned());
            // 3.8's compileall descends only 10 directory levels by default
            // (3.9+: the recursion limit).
            argv.extend(["-r".into(), "200".into()]);
            let label = if levels.len() > 1 {
                format!(" at -O {l}")
            } else {
                String::new()
            };
            runs.push((argv, label));
        }
    }
    let mut ok = true;
    for (mut argv, label) in runs {
        argv.push("--".into());
        argv.extend(args.paths.iter().map(|p| p.as_os_str().to_owned()));
        let out = Command::new(&python.program)
            .args(&argv)
            .output()
            .with_context(|| format!("cannot run {}", python.program.display()))?;
        // compileall prints its error messages on stdout; ours is for the summary.
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            if !text.is_empty() {
                eprint!("{text}");
                if !text.ends_with('\n') {
                    eprintln!();
                }
            }
        }
        if !out.status.success() {
            ok = false;
            let failed = String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| l.starts_with("*** Error compiling"))
                .count();
            if failed > 0 {
                eprintln!(
                    "pyopt: {failed} source file{} failed to compile{label}",
                    if failed == 1 { "" } else { "s" }
                );
            } else {
                eprintln!("pyopt: compileall failed{label} ({})", out.status);
            }
        }
    }
    Ok(ok)
}

/// Where CPython writes the pyc of `source` at optimization `level`: what
/// `importlib.util.cache_from_source` returns.
fn cache_from_source(source: &Path, cache_tag: &str, level: u8) -> PathBuf {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (base, sep, rest) = match name.rfind('.') {
        Some(i) => (&name[..i], ".", &name[i + 1..]),
        None => ("", "", name.as_str()),
    };
    let mut file = format!(
        "{}{sep}{cache_tag}",
        if base.is_empty() { rest } else { base }
    );
    if level > 0 {
        file.push_str(&format!(".opt-{level}"));
    }
    file.push_str(".pyc");
    source
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join("__pycache__")
        .join(file)
}

/// The `pyopt optimize` run over what compileall wrote, with the compile
/// command's pass selection and output options.
fn optimize_invocation(args: &CompileArgs, targets: &[PathBuf]) -> Result<OptimizeArgs> {
    Ok(OptimizeArgs {
        paths: targets.to_vec(),
        check: false,
        dry_run: false,
        diff: false,
        fsync: pyopt::atomic::Durability::default(),
        report: None,
        jobs: args.jobs.filter(|&j| j > 0),
        config: args.config.clone(),
        passes: args.passes.clone(),
        exclude: Vec::new(),
        follow_symlinks: false,
        strict: args.strict,
        verify_each: false,
        validate: false,
        no_precheck: false,
        dump_after: None,
        bisect_limit: None,
        quiet: args.quiet,
        verbose: args.verbose,
    })
}
