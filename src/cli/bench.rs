//! `pyopt bench TREE -- CMD...`: does the optimized tree make a program
//! faster, smaller, quicker to start? Three temporary copies of TREE — A
//! optimized, B original, C a second original (the control, which measures
//! the noise) — and CMD run alternately in each; wall time, CPU time and
//! peak RSS per run, paired ratios with bootstrap confidence intervals, and
//! a verdict that never calls noise a speed-up.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use serde_json::json;

use pyopt::config;
use pyopt::opt::{Debug, Pipeline, Status};

use super::optimize::PassSelection;

/// Schema identifier and version of `--json` output.
pub const BENCH_SCHEMA: &str = "pyopt-bench";
pub const BENCH_SCHEMA_VERSION: u32 = 1;

/// The verdicts, as `--json` spells them.
pub const FASTER: &str = "faster";
pub const SLOWER: &str = "slower";
pub const NO_DIFFERENCE: &str = "no measurable difference";

/// Fewer timed runs than this give no verdict but "no measurable difference".
const MIN_RUNS_FOR_VERDICT: usize = 5;

#[derive(Args, Debug)]
#[command(after_long_help = "\
HOW CMD SEES THE TREE:
  CMD runs once per copy with
    - every `{}` in CMD and its arguments replaced by the copy's path,
    - the copy as its working directory,
    - PYOPT_BENCH_TREE set to the copy's path,
    - PYTHONPATH starting with the copy's path (then the inherited PYTHONPATH),
    - PYTHONDONTWRITEBYTECODE=1 (so that no run rewrites a .pyc).
  The copies sit at paths of equal length (…/pyopt-bench-PID/a|b|c/NAME), and
  their files keep their modification times, so the .pyc files stay valid for
  their sources (they must be the .pyc files of the interpreter CMD runs, or
  nothing optimized is measured). CMD's stdout is discarded; its stderr is
  shown when it fails.

MEASUREMENTS:
  Runs alternate A B C A B C ...; --warmup rounds first (not counted). Per run:
  wall time (monotonic clock), CPU time (user + system of the child, from
  wait4) and peak resident set size (ru_maxrss of the child); CPU and RSS on
  Unix only (0 elsewhere). For wall, CPU and RSS, the ratio A/B is the median
  of the paired per-run ratios A_i/B_i with a 95% bootstrap interval; C/B
  likewise, and it shows how much two identical trees differ.
  The verdict says \"faster\" or \"slower\" only when the A/B interval excludes 1
  and lies entirely outside the control's interval; otherwise \"no measurable
  difference (within noise ±x%)\". Fewer than 5 runs never give a verdict.

--count-instructions:
  One extra, untimed run per side with a sitecustomize.py on PYTHONPATH
  (right after the copy) that counts executed bytecode code units and
  instructions of the whole process and writes them to the file named by
  PYOPT_BENCH_COUNT_FILE at exit; PYTHONHASHSEED is 0 unless set. A code unit
  is an instruction or one of its EXTENDED_ARG prefixes (inline caches are
  not counted); the table shows code units, then instructions in
  parentheses. CPython 3.12+ counts sys.monitoring INSTRUCTION events (one
  per code unit); 3.8-3.11 counts sys.settrace 'opcode' events
  (f_trace_opcodes; one per instruction, with the prefixes before it), of
  the main thread only. Executed code units are deterministic, unlike
  times. It needs CMD to start Python without -S/-I and not to install a
  tracer or monitoring tool of its own; if CMD starts several Python
  processes, the count of the last to exit wins; a sitecustomize of the
  environment's own is not run in these runs.

LIMITS:
  Interrupted (Ctrl-C), bench leaves its copies in the temporary directory.
  --timeout works on Unix only.

EXIT STATUS:
  0 measured (whatever the verdict); 2 bad input, or CMD failed (non-zero
  exit, signal or --timeout) on some side: the error names the command and the side.")]
pub struct BenchArgs {
    /// The directory of .pyc files (and sources) the program uses; never modified.
    pub tree: PathBuf,
    /// Use this pyopt.toml or pyproject.toml instead of searching upward
    /// from TREE (as for `optimize`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub passes: PassSelection,
    /// Untimed rounds (each runs every side once) before the timed ones.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub warmup: usize,
    /// Timed rounds (each runs A, B and C once).
    #[arg(long, default_value_t = 10, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub runs: usize,
    /// Seconds a single run may take before it is killed and reported as a
    /// failure (0: no limit).
    #[arg(long, default_value_t = 600, value_name = "SECONDS")]
    pub timeout: u64,
    /// Print the report as JSON (schema "pyopt-bench", version 1) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also count executed bytecode code units and instructions per side
    /// (see below).
    #[arg(long)]
    pub count_instructions: bool,
    /// The program to measure, with its arguments (after `--`).
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
}

/// The three copies, in the order they run.
const SIDES: [(&str, &str, &str); 3] = [
    ("optimized", "A", "a"),
    ("original", "B", "b"),
    ("control", "C", "c"),
];

/// One run of CMD.
#[derive(Clone, Copy, Debug)]
struct Sample {
    wall: f64,
    cpu: f64,
    user: f64,
    sys: f64,
    /// Peak resident set size in KiB (0 where not reported).
    max_rss_kb: u64,
}

/// Removes the scratch directory however the command ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the operating system says about one finished child: `Ok(())` for
/// exit status 0 (else how it ended), CPU seconds (user, system) and peak
/// RSS in KiB (zeros where the platform does not report them).
struct Finished {
    status: Result<(), String>,
    user: f64,
    sys: f64,
    max_rss_kb: u64,
}

/// Where a run is, for the timeout watchdog.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Watch {
    Running,
    /// The child has ended (not reaped yet, or reaped: no more kills).
    Ended,
    /// The watchdog killed it.
    Killed,
}

/// Waits for `child` (at most `timeout`, then kills it) and measures it:
/// wall time since `start` at its exit, and from wait4 its own resource usage.
#[cfg(unix)]
fn wait_measured(
    child: std::process::Child,
    start: Instant,
    timeout: Option<std::time::Duration>,
) -> Result<(f64, Finished)> {
    use std::sync::{Arc, Condvar, Mutex};
    let pid = libc::pid_t::try_from(child.id()).context("child process id out of range")?;
    let watch = Arc::new((Mutex::new(Watch::Running), Condvar::new()));
    let watchdog = timeout.map(|limit| {
        let watch = Arc::clone(&watch);
        std::thread::spawn(move || {
            let (lock, cv) = &*watch;
            let deadline = start + limit;
            let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
            while *state == Watch::Running {
                let now = Instant::now();
                if now >= deadline {
                    // SAFETY: kill takes plain integers. The state is
                    // Running, and the waiting thread sets it to Ended (under
                    // this lock) before it reaps the child, so `pid` still
                    // names our own child, at worst a zombie: no other
                    // process can have been given its number.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    *state = Watch::Killed;
                    break;
                }
                state = cv
                    .wait_timeout(state, deadline - now)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
        })
    });
    // Wait for the exit without reaping (WNOWAIT), so that the pid stays ours
    // while the watchdog may still use it.
    loop {
        // SAFETY: `siginfo_t` is a plain C struct, valid when zeroed.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: `info` is a valid, exclusively borrowed local that outlives
        // the call, the only memory waitid writes.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err).context("waitid");
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let killed = {
        let (lock, cv) = &*watch;
        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
        let killed = *state == Watch::Killed;
        *state = Watch::Ended;
        cv.notify_all();
        killed
    };
    if let Some(w) = watchdog {
        let _ = w.join();
    }
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is a plain C struct of integers, for which all-zero
    // bytes are a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid, exclusively borrowed,
        // properly aligned locals that live across the call; wait4 writes
        // only through these two pointers. `pid` is our own child, spawned by
        // std::process, and `child` is dropped below without `wait` (which
        // neither waits nor kills), so nobody else reaps it.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err).context("wait4");
        }
    }
    drop(child);
    let status = if killed {
        Err(format!(
            "timed out after {}s (killed)",
            timeout.map_or(0, |t| t.as_secs())
        ))
    } else if libc::WIFEXITED(status) {
        match libc::WEXITSTATUS(status) {
            0 => Ok(()),
            n => Err(format!("exit status {n}")),
        }
    } else if libc::WIFSIGNALED(status) {
        Err(format!("killed by signal {}", libc::WTERMSIG(status)))
    } else {
        Err(format!("wait status {status:#x}"))
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let rss = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    Ok((
        wall,
        Finished {
            status,
            user: seconds(usage.ru_utime),
            sys: seconds(usage.ru_stime),
            // Linux and the BSDs report KiB, macOS bytes.
            max_rss_kb: if cfg!(target_os = "macos") {
                rss / 1024
            } else {
                rss
            },
        },
    ))
}

/// Waits for `child`; no CPU time or peak RSS (and no timeout) on this
/// platform.
#[cfg(not(unix))]
fn wait_measured(
    mut child: std::process::Child,
    start: Instant,
    _timeout: Option<std::time::Duration>,
) -> Result<(f64, Finished)> {
    let status = child.wait().context("cannot wait for the command")?;
    let wall = start.elapsed().as_secs_f64();
    Ok((
        wall,
        Finished {
            status: if status.success() {
                Ok(())
            } else {
                Err(format!("{status}"))
            },
            user: 0.0,
            sys: 0.0,
            max_rss_kb: 0,
        },
    ))
}

struct Runner<'a> {
    command: &'a [String],
    scratch: &'a Path,
    python_path: Option<std::ffi::OsString>,
    timeout: Option<std::time::Duration>,
}

impl Runner<'_> {
    /// Runs CMD once in `copy` with the extra environment `env`; an error
    /// names the command, the side and how it failed (with its stderr's end).
    fn run(&self, side: (&str, &str), copy: &Path, env: &[(&str, String)]) -> Result<Sample> {
        let path = copy.display().to_string();
        let args: Vec<String> = self
            .command
            .iter()
            .map(|a| a.replace("{}", &path))
            .collect();
        let pp = prepend_path(copy.as_os_str(), self.python_path.as_deref())?;
        let err_path = self.scratch.join("stderr");
        let err_file = std::fs::File::create(&err_path)
            .with_context(|| format!("cannot create {}", err_path.display()))?;
        let mut cmd = std::process::Command::new(&args[0]);
        cmd.args(&args[1..])
            .current_dir(copy)
            .env("PYOPT_BENCH_TREE", copy)
            .env("PYTHONPATH", &pp)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(err_file);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let start = Instant::now();
        let child = cmd
            .spawn()
            .with_context(|| format!("cannot run `{}`", shown(self.command)))?;
        let (wall, finished) = wait_measured(child, start, self.timeout)?;
        if let Err(how) = &finished.status {
            let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
            let tail: Vec<&str> = stderr.lines().rev().take(10).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            bail!(
                "`{}` failed on the {} copy (side {}): {how}{}",
                shown(self.command),
                side.0,
                side.1,
                if tail.is_empty() {
                    String::new()
                } else {
                    format!("\n  stderr (end):\n    {}", tail.join("\n    "))
                }
            );
        }
        Ok(Sample {
            wall,
            cpu: finished.user + finished.sys,
            user: finished.user,
            sys: finished.sys,
            max_rss_kb: finished.max_rss_kb,
        })
    }
}

/// `first`, then the entries of the search path `rest` (PYTHONPATH syntax).
fn prepend_path(
    first: &std::ffi::OsStr,
    rest: Option<&std::ffi::OsStr>,
) -> Result<std::ffi::OsString> {
    let mut entries = vec![PathBuf::from(first)];
    if let Some(rest) = rest.filter(|r| !r.is_empty()) {
        entries.extend(std::env::split_paths(rest));
    }
    std::env::join_paths(entries).context("cannot build PYTHONPATH")
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// Median, min and max.
#[derive(Clone, Copy)]
struct Spread {
    median: f64,
    min: f64,
    max: f64,
}

fn spread(v: &[f64]) -> Spread {
    Spread {
        median: median(v),
        min: v.iter().copied().fold(f64::INFINITY, f64::min),
        max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    }
}

/// A ratio: the median of paired ratios and its 95% bootstrap interval.
#[derive(Clone, Copy, Debug)]
struct Ratio {
    median: f64,
    lo: f64,
    hi: f64,
}

/// The median of `ratios` with a 95% percentile-bootstrap interval
/// (2000 resamples; a fixed seed, so that the same data give the same
/// interval).
fn bootstrap(ratios: &[f64]) -> Ratio {
    let n = ratios.len();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const RESAMPLES: usize = 2000;
    let mut medians = Vec::with_capacity(RESAMPLES);
    let mut sample = vec![0.0; n];
    for _ in 0..RESAMPLES {
        for x in sample.iter_mut() {
            *x = ratios[(next() % n as u64) as usize];
        }
        medians.push(median(&sample));
    }
    medians.sort_by(f64::total_cmp);
    let at = |q: f64| medians[((q * (RESAMPLES - 1) as f64).round() as usize).min(RESAMPLES - 1)];
    Ratio {
        median: median(ratios),
        lo: at(0.025),
        hi: at(0.975),
    }
}

/// The comparison of one metric: A/B, C/B, the verdict and the noise.
struct Comparison {
    ab: Ratio,
    cb: Ratio,
    verdict: &'static str,
    noise_pct: f64,
}

fn compare(a: &[f64], b: &[f64], c: &[f64], runs_enough: bool) -> Comparison {
    let paired = |x: &[f64]| -> Vec<f64> {
        x.iter()
            .zip(b)
            .map(|(x, y)| if *y > 0.0 { x / y } else { 1.0 })
            .collect()
    };
    let ab = bootstrap(&paired(a));
    let cb = bootstrap(&paired(c));
    let verdict = if !runs_enough {
        NO_DIFFERENCE
    } else if ab.hi < 1.0 && ab.hi < cb.lo {
        FASTER
    } else if ab.lo > 1.0 && ab.lo > cb.hi {
        SLOWER
    } else {
        NO_DIFFERENCE
    };
    let noise = (1.0 - ab.lo.min(cb.lo))
        .max(ab.hi.max(cb.hi) - 1.0)
        .max(0.0);
    Comparison {
        ab,
        cb,
        verdict,
        noise_pct: noise * 100.0,
    }
}

impl Comparison {
    fn sentence(&self, what: &str) -> String {
        match self.verdict {
            NO_DIFFERENCE => format!(
                "{NO_DIFFERENCE} in {what} (within noise ±{:.1}%)",
                self.noise_pct
            ),
            v => format!(
                "{v}: the optimized tree takes {:.3}x the {what} of the original \
                 (95% CI {:.3}–{:.3}; control {:.3}–{:.3})",
                self.ab.median, self.ab.lo, self.ab.hi, self.cb.lo, self.cb.hi
            ),
        }
    }
}

fn ratio_json(r: &Ratio) -> serde_json::Value {
    json!({"median": r.median, "ci95_low": r.lo, "ci95_high": r.hi})
}

fn spread_json(s: &Spread) -> serde_json::Value {
    json!({"median": s.median, "min": s.min, "max": s.max})
}

/// The sitecustomize.py of `--count-instructions`.
const COUNTER: &str = r#"# Written by `pyopt bench --count-instructions`: counts executed bytecode
# instructions and code units (an instruction with its EXTENDED_ARG
# prefixes; inline caches are no code units) and writes both to the file
# named by PYOPT_BENCH_COUNT_FILE at exit.
import os, sys
_path = os.environ.get("PYOPT_BENCH_COUNT_FILE")
if _path:
    import atexit, opcode
    _EXT = opcode.opmap["EXTENDED_ARG"]
    _count = [0, 0]
    _per_code = {}
    if hasattr(sys, "monitoring"):
        # 3.12+: one INSTRUCTION event per code unit, EXTENDED_ARG included.
        _m = sys.monitoring
        _tool = next(t for t in range(6) if _m.get_tool(t) is None)
        _m.use_tool_id(_tool, "pyopt-bench")
        def _on_instruction(code, offset, _c=_count, _p=_per_code, _e=_EXT):
            ops = _p.get(code)
            if ops is None:
                ops = _p[code] = code.co_code[::2]
            _c[1] += 1
            if ops[offset >> 1] != _e:
                _c[0] += 1
        def _stop():
            _m.set_events(_tool, 0)
        _m.register_callback(_tool, _m.events.INSTRUCTION, _on_instruction)
        _m.set_events(_tool, _m.events.INSTRUCTION)
    else:
        # 3.8-3.11: one settrace 'opcode' event per instruction, at its first
        # EXTENDED_ARG prefix (f_lasti), covering the prefixes too.
        def _prefixes(code, _e=_EXT):
            ops = code.co_code[::2]
            run = [0] * (len(ops) + 1)
            for i in range(len(ops) - 1, -1, -1):
                if ops[i] == _e:
                    run[i] = run[i + 1] + 1
            return run
        def _local(frame, event, arg, _c=_count, _p=_per_code):
            if event == "opcode":
                _c[0] += 1
                _c[1] += 1 + _p[frame.f_code][frame.f_lasti >> 1]
            return _local
        def _global(frame, event, arg, _p=_per_code):
            code = frame.f_code
            if code not in _p:
                _p[code] = _prefixes(code)
            frame.f_trace_lines = False
            frame.f_trace_opcodes = True
            return _local
        def _stop():
            sys.settrace(None)
        sys.settrace(_global)
    def _write():
        _stop()
        with open(_path, "w") as f:
            f.write("%d %d" % (_count[0], _count[1]))
    atexit.register(_write)
"#;

/// Executed instructions and code units of one side.
#[derive(Clone, Copy, Debug)]
struct Executed {
    instructions: u64,
    code_units: u64,
}

/// The counter's file: `INSTRUCTIONS CODE_UNITS`.
fn parse_count(text: &str) -> Option<Executed> {
    let mut it = text.split_whitespace().map(|w| w.parse::<u64>().ok());
    match (it.next(), it.next(), it.next()) {
        (Some(Some(instructions)), Some(Some(code_units)), None) => Some(Executed {
            instructions,
            code_units,
        }),
        _ => None,
    }
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    if !args.tree.is_dir() {
        bail!("{}: not a directory", args.tree.display());
    }
    if args.command.is_empty() {
        bail!("no command: pyopt bench TREE -- CMD ARGS...");
    }
    let root = std::fs::canonicalize(&args.tree)
        .with_context(|| format!("cannot resolve {}", args.tree.display()))?;
    let raw = super::optimize::load_config_for(args.config.as_deref(), &root)?;
    let settings = config::resolve(&raw, &args.passes.overrides(), &pyopt::passes::infos())?;

    let tmp = std::env::temp_dir();
    let tmp = std::fs::canonicalize(&tmp).unwrap_or(tmp);
    if tmp.starts_with(&root) {
        bail!(
            "{} contains the temporary directory {}, where the copies would go: \
             set TMPDIR to a directory outside it",
            root.display(),
            tmp.display()
        );
    }
    let scratch = Scratch(tmp.join(format!("pyopt-bench-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&scratch.0);
    std::fs::create_dir_all(&scratch.0)
        .with_context(|| format!("cannot create {}", scratch.0.display()))?;
    let name = root
        .file_name()
        .unwrap_or_else(|| std::ffi::OsStr::new("tree"));
    let copies: Vec<PathBuf> = SIDES
        .iter()
        .map(|(_, _, dir)| scratch.0.join(dir).join(name))
        .collect();
    let progress = std::io::stderr().is_terminal();
    if progress {
        eprint!("bench: copying {} three times...", root.display());
    }
    for copy in &copies {
        super::difftest::copy_tree(&root, copy)?;
    }
    if progress {
        eprint!("\r\x1b[2Kbench: optimizing copy A...");
    }
    let pipeline = Pipeline::new(&settings.enabled, Debug::default()).with_level(settings.level);
    let pool = super::thread_pool(settings.jobs)?;
    let (report, opts) = pool.install(|| super::optimize_copy(&copies[0], &settings, pipeline));
    if progress {
        eprint!("\r\x1b[2K");
    }
    for (path, reason) in &report.walk_errors {
        eprintln!("pyopt: warning: {}: {reason}", path.display());
    }
    for f in report.files.iter().filter(|f| f.error.is_some()) {
        eprintln!(
            "pyopt: warning: {}: {} (left unoptimized in copy A)",
            f.path.display(),
            f.error.as_deref().unwrap_or("")
        );
    }
    let bytes_before: u64 = report.files.iter().map(|f| f.bytes_before).sum();
    let bytes_after: u64 = report.files.iter().map(|f| f.bytes_after).sum();

    let runner = Runner {
        command: &args.command,
        scratch: &scratch.0,
        python_path: std::env::var_os("PYTHONPATH"),
        timeout: (args.timeout > 0).then(|| std::time::Duration::from_secs(args.timeout)),
    };
    let total = (args.warmup + args.runs) * SIDES.len();
    let mut done = 0;
    let mut samples: [Vec<Sample>; 3] = Default::default();
    for round in 0..args.warmup + args.runs {
        for (i, ((side, letter, _), copy)) in SIDES.iter().zip(&copies).enumerate() {
            if progress {
                eprint!(
                    "\r\x1b[2Kbench: {} {}/{} (side {letter})",
                    if round < args.warmup { "warmup" } else { "run" },
                    done + 1,
                    total
                );
            }
            let s = runner.run((side, letter), copy, &[]);
            if progress && s.is_err() {
                eprint!("\r\x1b[2K");
            }
            let s = s?;
            if round >= args.warmup {
                samples[i].push(s);
            }
            done += 1;
        }
    }
    let mut instructions: [Option<Executed>; 3] = [None; 3];
    if args.count_instructions {
        let site = scratch.0.join("site");
        std::fs::create_dir_all(&site)?;
        std::fs::write(site.join("sitecustomize.py"), COUNTER)?;
        let counter_runner = Runner {
            python_path: Some(prepend_path(
                site.as_os_str(),
                runner.python_path.as_deref(),
            )?),
            ..runner
        };
        let seed = std::env::var("PYTHONHASHSEED").unwrap_or_else(|_| "0".into());
        for (i, ((side, letter, dir), copy)) in SIDES.iter().zip(&copies).enumerate() {
            if progress {
                eprint!("\r\x1b[2Kbench: counting instructions (side {letter})");
            }
            let file = scratch.0.join(format!("count-{dir}"));
            let _ = std::fs::remove_file(&file);
            let env = [
                ("PYOPT_BENCH_COUNT_FILE", file.display().to_string()),
                ("PYTHONHASHSEED", seed.clone()),
            ];
            let s = counter_runner.run((side, letter), copy, &env);
            if progress && s.is_err() {
                eprint!("\r\x1b[2K");
            }
            s?;
            instructions[i] = std::fs::read_to_string(&file)
                .ok()
                .and_then(|t| parse_count(&t));
        }
        if instructions.iter().any(Option::is_none) {
            eprintln!(
                "pyopt: warning: --count-instructions: no count written (it needs CPython \
                 started by CMD without -S or -I, and PYTHONPATH honoured)"
            );
        }
    }
    if progress {
        eprint!("\r\x1b[2K");
    }

    let metric =
        |i: usize, f: fn(&Sample) -> f64| -> Vec<f64> { samples[i].iter().map(f).collect() };
    let enough = args.runs >= MIN_RUNS_FOR_VERDICT;
    let wall = compare(
        &metric(0, |s| s.wall),
        &metric(1, |s| s.wall),
        &metric(2, |s| s.wall),
        enough,
    );
    let cpu = compare(
        &metric(0, |s| s.cpu),
        &metric(1, |s| s.cpu),
        &metric(2, |s| s.cpu),
        enough,
    );
    let peak = compare(
        &metric(0, |s| s.max_rss_kb as f64),
        &metric(1, |s| s.max_rss_kb as f64),
        &metric(2, |s| s.max_rss_kb as f64),
        enough,
    );
    let rss = |i: usize| spread(&metric(i, |s| s.max_rss_kb as f64));
    let changed = report.count(Status::Changed);
    let failed = report.count(Status::Failed) + report.walk_errors.len();

    if args.json {
        let sides: serde_json::Map<String, serde_json::Value> = SIDES
            .iter()
            .enumerate()
            .map(|(i, (side, letter, _))| {
                let runs: Vec<_> = samples[i]
                    .iter()
                    .map(|s| {
                        json!({"wall_s": s.wall, "cpu_s": s.cpu, "user_s": s.user,
                               "sys_s": s.sys, "max_rss_kb": s.max_rss_kb})
                    })
                    .collect();
                (
                    side.to_string(),
                    json!({
                        "letter": letter,
                        "path": copies[i],
                        "wall_s": spread_json(&spread(&metric(i, |s| s.wall))),
                        "cpu_s": spread_json(&spread(&metric(i, |s| s.cpu))),
                        "max_rss_kb": spread_json(&rss(i)),
                        "instructions": instructions[i].map(|e| e.instructions),
                        "code_units": instructions[i].map(|e| e.code_units),
                        "runs": runs,
                    }),
                )
            })
            .collect();
        let cmp_json = |c: &Comparison| {
            json!({
                "optimized_vs_original": ratio_json(&c.ab),
                "control_vs_original": ratio_json(&c.cb),
                "verdict": c.verdict,
                "noise_pct": c.noise_pct,
            })
        };
        let out = json!({
            "schema": BENCH_SCHEMA,
            "schema_version": BENCH_SCHEMA_VERSION,
            "tree": root,
            "command": args.command,
            "warmup": args.warmup,
            "runs": args.runs,
            "optimize": {
                "files": report.files.len(),
                "changed": changed,
                "failed": failed,
                "bytes_before": bytes_before,
                "bytes_after": bytes_after,
                "passes_enabled": opts.pipeline.passes.len(),
                "level": format!("{:?}", settings.level).to_lowercase(),
            },
            "sides": sides,
            "wall": cmp_json(&wall),
            "cpu": cmp_json(&cpu),
            "max_rss": cmp_json(&peak),
            "verdict": wall.verdict,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&out).context("cannot encode the report")?
        );
        return Ok(ExitCode::SUCCESS);
    }

    outln!(
        "`{}` on {}: {} timed runs per side ({} warmup)",
        shown(&args.command),
        root.display(),
        args.runs,
        args.warmup
    );
    outln!(
        "copy A: {} files, {changed} optimized, {failed} failed ({} passes); .pyc bytes {} -> {}{}",
        report.files.len(),
        opts.pipeline.passes.len(),
        bytes_before,
        bytes_after,
        pct(bytes_before as f64, bytes_after as f64)
    );
    outln!(
        "  {:<15} {:>31}   {:>10}   {:>9}{}",
        "side",
        "wall median [min … max]",
        "cpu median",
        "peak RSS",
        if args.count_instructions {
            "   code units (instructions)"
        } else {
            ""
        }
    );
    for (i, (side, letter, _)) in SIDES.iter().enumerate() {
        let w = spread(&metric(i, |s| s.wall));
        let c = spread(&metric(i, |s| s.cpu));
        outln!(
            "  {:<15} {:>31}   {:>10}   {:>6.1} MB{}",
            format!("{letter} {side}"),
            format!("{} [{} … {}]", ms(w.median), ms(w.min), ms(w.max)),
            ms(c.median),
            rss(i).median / 1024.0,
            match (args.count_instructions, instructions[i]) {
                (false, _) => String::new(),
                (true, None) => "   n/a".into(),
                (true, Some(n)) => format!(
                    "   {}{} ({})",
                    n.code_units,
                    match (i, instructions[1]) {
                        (1, _) | (_, None) => String::new(),
                        (_, Some(b)) => pct(b.code_units as f64, n.code_units as f64),
                    },
                    n.instructions
                ),
            }
        );
    }
    for (what, c) in [("wall", &wall), ("cpu ", &cpu), ("rss ", &peak)] {
        outln!(
            "  {what}  A/B {:.3}x (95% CI {:.3}–{:.3})   control C/B {:.3}x ({:.3}–{:.3})",
            c.ab.median,
            c.ab.lo,
            c.ab.hi,
            c.cb.median,
            c.cb.lo,
            c.cb.hi
        );
    }
    if !enough {
        outln!("verdict: {NO_DIFFERENCE} (fewer than {MIN_RUNS_FOR_VERDICT} runs: no verdict)");
    } else {
        outln!("verdict: {}", wall.sentence("wall time"));
        outln!("         {}", cpu.sentence("CPU time"));
    }
    Ok(ExitCode::SUCCESS)
}

/// CMD as a shell would read it back: arguments with spaces or quotes quoted.
fn shown(command: &[String]) -> String {
    command
        .iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%{}".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn ms(s: f64) -> String {
    if s >= 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1e3)
    }
}

/// ` (+x.x%)` from `before` to `after`, or nothing when `before` is 0.
fn pct(before: f64, after: f64) -> String {
    if before == 0.0 {
        String::new()
    } else {
        format!(" ({:+.1}%)", (after / before - 1.0) * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `base` times `factor`, with a small deterministic jitter.
    fn series(factor: f64, jitter: f64) -> Vec<f64> {
        (0..20)
            .map(|i| factor * (1.0 + jitter * (((i * 7) % 5) as f64 - 2.0) / 2.0))
            .collect()
    }

    #[test]
    fn bootstrap_is_deterministic_and_brackets_the_median() {
        let r: Vec<f64> = series(1.0, 0.1);
        let (a, b) = (bootstrap(&r), bootstrap(&r));
        assert_eq!((a.lo, a.median, a.hi), (b.lo, b.median, b.hi));
        assert!(a.lo <= a.median && a.median <= a.hi, "{a:?}");
    }

    #[test]
    fn verdicts() {
        let b = series(1.0, 0.0);
        let quiet = series(1.0, 0.01);
        let c = compare(&b, &b, &quiet, true);
        assert_eq!(c.verdict, NO_DIFFERENCE);
        assert_eq!(
            compare(&series(0.5, 0.01), &b, &quiet, true).verdict,
            FASTER
        );
        assert_eq!(
            compare(&series(2.0, 0.01), &b, &quiet, true).verdict,
            SLOWER
        );
        // Too few runs: never a verdict.
        assert_eq!(
            compare(&series(0.5, 0.01), &b, &quiet, false).verdict,
            NO_DIFFERENCE
        );
        // A 10% gain inside a ±30% control is noise, not a speed-up.
        let noisy = series(1.0, 0.3);
        let c = compare(&series(0.9, 0.01), &b, &noisy, true);
        assert_eq!(c.verdict, NO_DIFFERENCE);
        assert!(c.noise_pct >= 10.0, "{}", c.noise_pct);
        assert!(c.sentence("wall time").contains("within noise ±"));
    }

    #[test]
    fn commands_are_shown_quoted() {
        let cmd = ["python3", "-c", "import json; print('x')", "{}"].map(String::from);
        assert_eq!(
            shown(&cmd),
            r#"python3 -c 'import json; print('\''x'\'')' {}"#
        );
    }
}
