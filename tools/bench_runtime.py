#!/usr/bin/env python3
"""How much faster do programs run after ``pyopt optimize``?

Runs the benchmark programs of ``benches/python/`` (modules ``bm_*.py``,
each with ``main(scale=DEFAULT_SCALE)`` returning a checksum and a
``TRACE_SCALE`` for a reduced workload) from their original ``.pyc`` files
and from ``.pyc`` files optimized by pyopt, under every selected CPython
version and optimization level, and compares them.

Method
------
For each selected version 3.X (default: every one of 3.8 ... 3.15 whose
interpreter ``pyopt_tools.find_interpreter`` finds, pyopt's own rule: the
newest installed patch release under ``$PYENV_ROOT/versions``, and 3.14 and
3.15 as pyodide's WebAssembly build once ``tools/pyodide/setup.sh 3.X`` ran
— counted, never timed, since its wall time says nothing about a native
build):

1. ``benches/python/bm_*.py`` is copied into a fresh temporary directory
   once for the original and once per level, and every copy is
   byte-compiled by that interpreter (``python -m compileall -q``).  An
   (empty) ``pyopt.toml`` at the top of the temporary tree makes pyopt use
   its defaults whatever configuration lies above ``$TMPDIR``.
2. The copy of each level is optimized in place with
   ``pyopt optimize --level L --report report.json``; the original copy is
   left as compiled.
3. In every copy each ``__pycache__/bm_x.cpython-3X.pyc`` is moved to a
   legacy, sourceless ``bm_x.pyc`` and the ``.py`` sources are deleted, so
   the interpreter can only run the bytecode under test.  Every child
   process checks that the imported module's loader is
   ``SourcelessFileLoader`` and that its ``__spec__.origin`` is that very
   file, and refuses to run otherwise.

Then for every benchmark:

(a) *Executed bytecode code units and instructions* (deterministic): a
    fresh child runs ``main(TRACE_SCALE)`` and counts what the frames whose
    code belongs to the benchmark module execute (the standard library,
    e.g. ``json``, is not optimized and not counted).  A *code unit* is an
    instruction or one of its ``EXTENDED_ARG`` prefixes (inline caches are
    not code units); the code units are the headline, since an
    optimization may remove prefixes without removing instructions, and
    the instructions are shown beside them.  Per code object the child
    keeps one counter per code unit and reads ``co_code`` once:

    - 3.8-3.11: ``sys.settrace`` with ``frame.f_trace_opcodes = True`` (line
      events off).  One ``'opcode'`` event per instruction, delivered at its
      first ``EXTENDED_ARG`` prefix (``f_lasti``) and covering the prefixes
      too: 1 instruction and 1 + (the consecutive ``EXTENDED_ARG`` units from
      ``f_lasti``) code units.
    - 3.12+: ``sys.monitoring`` INSTRUCTION events, one per code unit, each
      ``EXTENDED_ARG`` an event of its own at its own offset (measured on
      3.12.1, 3.13.0 and pyodide's 3.14.2 and 3.15.0rc1; settrace's opcode
      events behave the same there): every event is a code unit, and an
      instruction unless the unit is an ``EXTENDED_ARG``.  Three runs in
      one process: (1) settrace, a warm-up, since its first execution of a
      code object misses opcode events (3.12.1: all of them; 3.13.0 and
      pyodide: some or all); (2) settrace, counted; (3) sys.monitoring, counted:
      *the* count.  The runs are separate because, with a sys.monitoring
      tool and settrace both asking for instruction events, each event
      reaches only one of them (measured on 3.12, 3.13 and 3.14: their two
      counts add up to the true total) — one way a tracer silently loses
      events.  *Cross-check*: runs (2) and (3) must agree at every code unit
      of every code object, and the warm-up may fall short of (3) but never
      exceed it at any unit; otherwise the benchmark is reported as a
      FAILED trace run (exit status 1), naming the first unit that differs.

    This is done for the original and for the optimized pyc and gives the
    reduction in percent.  The counted run's checksum must be the same for
    original and optimized bytecode.
(b) *Wall time* (unless ``--no-time``): ``--repeat N`` pairs of fresh
    child processes, one running the original and one the optimized
    bytecode with the full workload ``main()``; the order inside a pair
    alternates (original first in even pairs, optimized first in odd
    ones).  The child times only ``main()`` with ``time.perf_counter``
    (start-up and import are excluded).  Each pair gives the ratio
    original / optimized (> 1 means the optimized code is faster); the
    table shows the median ratio and the spread (min-max of the per-pair
    ratios).  All checksums of a benchmark must agree.

Children run with the target interpreter, ``-s`` (no user site),
``PYTHONHASHSEED=0``, ``PYTHONDONTWRITEBYTECODE=1`` and no other
``PYTHON*`` variables.  Traced runs may run in parallel (``--jobs``);
timed runs are always sequential.

A checksum that differs between original and optimized bytecode, or an
optimized run that fails where the original succeeded, is a miscompile:
it is reported loudly (benchmark, version, level) and the exit status is 1.

Output: one Markdown table per version and level (benchmark | code units
original | optimized | reduction % | instructions original | optimized |
reduction % | time ratio (median, spread)) with a summary row (totals and
reductions, geometric mean of the median time ratios), then an overview
table (per version and level: the counter used, the totals and
reductions).  ``--json OUT``
writes everything measured, including every individual time.

Exit status: 0 all fine; 1 checksum mismatch, failed run, disagreeing
counters or failed pyopt; 2 usage or setup error.

Examples::

    python3 tools/bench_runtime.py --no-time
    python3 tools/bench_runtime.py --versions 3.8,3.13 --repeat 3
    python3 tools/bench_runtime.py --versions 3.13 --levels safe \\
        --benchmarks nbody,richards --json /tmp/bench.json
    python3 tools/bench_runtime.py --versions 3.15 --no-time
"""
import argparse
import concurrent.futures
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from pyopt_tools import MINORS, PYODIDE_MINORS, find_interpreter, pyodide_python, search_order

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(REPO_ROOT, "benches", "python")
DEFAULT_PYOPT = os.path.join(REPO_ROOT, "target", "release", "pyopt")
ALL_MINORS = ["3.%d" % m for m in MINORS]
VERSION_RANGE = "%s-%s" % (ALL_MINORS[0], ALL_MINORS[-1])


def is_pyodide(python, minor):
    """Whether python is the repository's pyodide CPython 3.<minor>
    (tools/py3X, set up by tools/pyodide/setup.sh 3.X; X in PYODIDE_MINORS):
    a WebAssembly build whose instruction counts are CPython's own but whose
    wall time is not comparable to a native build and is not measured."""
    if minor not in PYODIDE_MINORS:
        return False
    pyodide = pyodide_python(minor)
    return pyodide is not None and os.path.abspath(python) == os.path.abspath(pyodide)


LEVELS = ["safe", "aggressive"]
PREFIX = "bm_"
RESULT_MARK = "@@BENCH_RESULT@@"

# The code run in every child process.  argv: mode (trace|time), directory
# of the legacy pycs, module name.
CHILD = r'''
import importlib, importlib.machinery, json, os, sys, time
mode, directory, modname = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, directory)
mod = importlib.import_module(modname)
expected = os.path.join(directory, modname + ".pyc")
spec = mod.__spec__
if not (isinstance(spec.loader, importlib.machinery.SourcelessFileLoader)
        and spec.origin and os.path.exists(spec.origin)
        and os.path.samefile(spec.origin, expected)):
    sys.stderr.write("not loaded from %s: loader %r origin %r\n"
                     % (expected, spec.loader, spec.origin))
    sys.exit(3)
main = mod.main
out = {"python": sys.version.split()[0]}
if mode == "trace":
    import opcode
    filename = main.__code__.co_filename
    EXT = opcode.opmap["EXTENDED_ARG"]
    # 3.12+: every code unit but inline caches is an event of its own,
    # EXTENDED_ARG included (settrace 'opcode' and sys.monitoring
    # INSTRUCTION alike).  3.8-3.11: one 'opcode' event per instruction, at
    # its first EXTENDED_ARG prefix (f_lasti), covering the prefixes too.
    separate_ext = sys.version_info >= (3, 12)

    def new_hist(code):
        return [0] * (len(code.co_code) // 2)

    def summarize(hists):
        """(instructions, code units, {(qualname, firstlineno): {unit: n}})."""
        instrs = units = 0
        per_code = {}
        for code, hist in hists.items():
            raw = code.co_code
            nonzero = {}
            for i, n in enumerate(hist):
                if not n:
                    continue
                nonzero[i] = n
                if separate_ext:
                    units += n
                    if raw[2 * i] != EXT:
                        instrs += n
                else:
                    j = i
                    while raw[2 * j] == EXT:
                        j += 1
                    units += n * (1 + j - i)
                    instrs += n
            key = "%s:%d" % (getattr(code, "co_qualname", code.co_name), code.co_firstlineno)
            for i, n in nonzero.items():
                per_code.setdefault(key, {})
                per_code[key][i] = per_code[key].get(i, 0) + n
        return instrs, units, per_code

    trace_hist = {}
    def local(frame, event, arg):
        if event == "opcode":
            trace_hist[frame.f_code][frame.f_lasti >> 1] += 1
        return local
    def on_call(frame, event, arg):
        code = frame.f_code
        if code.co_filename != filename:
            return None
        if code not in trace_hist:
            trace_hist[code] = new_hist(code)
        frame.f_trace_lines = False
        frame.f_trace_opcodes = True
        return local
    scale = mod.TRACE_SCALE

    def traced_run():
        trace_hist.clear()
        sys.settrace(on_call)
        try:
            result = main(scale)
        finally:
            sys.settrace(None)
        return result, summarize(trace_hist)

    def where(a, b):
        """The first code object and unit whose counts differ."""
        for key in sorted(set(a) | set(b)):
            ha, hb = a.get(key, {}), b.get(key, {})
            for i in sorted(set(ha) | set(hb)):
                if ha.get(i, 0) != hb.get(i, 0):
                    return "%s unit %d: settrace %d, sys.monitoring %d" % (
                        key, i, ha.get(i, 0), hb.get(i, 0))
        return "nowhere"

    if separate_ext:
        # Three runs.  (1) settrace, a warm-up: its first execution of a
        # code object misses opcode events (3.12.1: all of them).  (2)
        # settrace, counted.  (3) sys.monitoring INSTRUCTION events, counted:
        # the count.  Never both at once: with a sys.monitoring tool and
        # settrace both asking for instruction events, each event reaches
        # only one of them (measured on 3.12, 3.13 and 3.14).
        M = sys.monitoring
        tool = next(t for t in range(6) if M.get_tool(t) is None)
        M.use_tool_id(tool, "bench_runtime")
        mon_hist = {}
        def on_instruction(code, offset):
            hist = mon_hist.get(code)
            if hist is None:
                if code.co_filename != filename:
                    return M.DISABLE
                hist = mon_hist[code] = new_hist(code)
            hist[offset >> 1] += 1
        M.register_callback(tool, M.events.INSTRUCTION, on_instruction)
        warm, (w_instrs, w_units, w_per) = traced_run()
        out["warmup_settrace_count"] = w_instrs
        out["warmup_settrace_units"] = w_units
        out["warmup_checksum"] = repr(warm)
        second, (s_instrs, s_units, s_per) = traced_run()
        out["settrace_count"] = s_instrs
        out["settrace_units"] = s_units
        out["settrace_checksum"] = repr(second)
        t0 = time.perf_counter()
        M.set_events(tool, M.events.INSTRUCTION)
        try:
            result = main(scale)
        finally:
            M.set_events(tool, 0)
        out["seconds"] = time.perf_counter() - t0
        instrs, units, per = summarize(mon_hist)
        out["counter"] = "sys.monitoring"
        # The cross-check: the counted settrace run and the sys.monitoring
        # run execute the same workload, so they must agree at every unit;
        # the warm-up may fall short (the first-run effect) but never exceed.
        problems = []
        if (s_instrs, s_units, s_per) != (instrs, units, per):
            problems.append("counted run: settrace %d instructions / %d units, "
                            "sys.monitoring %d / %d (first difference at %s)"
                            % (s_instrs, s_units, instrs, units, where(s_per, per)))
        over = [(k, i) for k, h in w_per.items() for i, n in h.items()
                if n > per.get(k, {}).get(i, 0)]
        if over:
            problems.append("warm-up run: settrace counted more than sys.monitoring at %d "
                            "units, e.g. %s unit %d" % (len(over), over[0][0], over[0][1]))
        out["cross_check"] = "; ".join(problems) or None
    else:
        t0 = time.perf_counter()
        result, (instrs, units, _per) = traced_run()
        out["seconds"] = time.perf_counter() - t0
        out["counter"] = "settrace"
    out["count"] = instrs
    out["units"] = units
    out["scale"] = scale
else:
    t0 = time.perf_counter()
    result = main()
    out["seconds"] = time.perf_counter() - t0
out["checksum"] = repr(result)
sys.stdout.write("\n" + "@@BENCH_RESULT@@" + json.dumps(out) + "\n")
'''


class SetupError(Exception):
    pass


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def installed_interpreters():
    """Map '3.X' -> (full version, interpreter path), the interpreter found
    by pyopt_tools.find_interpreter (pyopt's own rule)."""
    found = {}
    for minor in ALL_MINORS:
        python = find_interpreter(int(minor.split(".")[1]))
        if not python:
            continue
        if is_pyodide(python, int(minor.split(".")[1])):
            found[minor] = ("%s (pyodide)" % minor, python)
            continue
        try:
            full = subprocess.run([python, "-I", "-c", "import platform; print(platform.python_version())"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  universal_newlines=True, timeout=60).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        found[minor] = (full or minor, python)
    return found


def discover_benchmarks():
    names = []
    for fn in sorted(os.listdir(BENCH_DIR)):
        if fn.startswith(PREFIX) and fn.endswith(".py"):
            names.append(fn[len(PREFIX):-3])
    return names


def child_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def tail(text, lines=15):
    return "\n".join(text.rstrip().splitlines()[-lines:])


def prepare_copy(python, minor, dest, benchmarks):
    """Copy the benchmark sources to dest and byte-compile them there."""
    os.makedirs(dest)
    for b in benchmarks:
        shutil.copy2(os.path.join(BENCH_DIR, PREFIX + b + ".py"), dest)
    proc = subprocess.run([python, "-m", "compileall", "-q", dest],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=child_env())
    if proc.returncode != 0:
        raise SetupError("compileall failed for %s in %s:\n%s"
                         % (minor, dest, tail(proc.stdout)))


def make_legacy(minor, dest, benchmarks):
    """__pycache__/bm_x.cpython-3X.pyc -> bm_x.pyc; delete the sources."""
    tag = "cpython-" + minor.replace(".", "")
    for b in benchmarks:
        mod = PREFIX + b
        pyc = os.path.join(dest, "__pycache__", "%s.%s.pyc" % (mod, tag))
        if not os.path.exists(pyc):
            raise SetupError("compileall wrote no %s" % pyc)
        os.replace(pyc, os.path.join(dest, mod + ".pyc"))
        os.remove(os.path.join(dest, mod + ".py"))
    shutil.rmtree(os.path.join(dest, "__pycache__"))


def run_pyopt(pyopt, level, dest):
    report = dest + ".report.json"
    cmd = [pyopt, "optimize", "--level", level, "--report", report, "-q", dest]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    summary = None
    if os.path.exists(report):
        with open(report) as f:
            data = json.load(f)
        summary = data.get("summary")
        summary["pyopt_version"] = data.get("pyopt_version")
    if proc.returncode != 0:
        raise SetupError("pyopt optimize --level %s exited %d:\n%s"
                         % (level, proc.returncode, tail(proc.stdout)))
    return summary


def run_child(python, mode, directory, module, timeout, cwd):
    """Run one child; return (result dict or None, error text or None)."""
    cmd = [python, "-s", "-c", CHILD, mode, directory, module]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, env=child_env(),
                              timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        return None, "timed out after %ss" % timeout
    result = None
    other = []
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            result = json.loads(line[len(RESULT_MARK):])
        elif line:
            other.append(line)
    if proc.returncode != 0 or result is None:
        return None, "exit %d\n%s" % (proc.returncode,
                                      tail(proc.stdout + "\n" + proc.stderr))
    # Anything the program printed besides the result is part of its output.
    result["stdout"] = "\n".join(other)
    return result, None


def geomean(values):
    values = [v for v in values if v and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def fmt_int(n):
    return "-" if n is None else "{:,}".format(n)


def fmt_pct(x):
    return "-" if x is None else "%.2f" % x


def reduction(before, after):
    if not before or after is None:
        return None
    return 100.0 * (before - after) / before


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--versions", help="comma-separated 3.X list (default: all installed %s; "
                    "%s are pyodide's, instruction counts only)"
                    % (VERSION_RANGE, ", ".join("3.%d" % m for m in PYODIDE_MINORS)))
    ap.add_argument("--levels", default="safe,aggressive",
                    help="comma-separated pyopt levels (default: safe,aggressive)")
    ap.add_argument("--benchmarks", help="comma-separated names (default: all of benches/python)")
    ap.add_argument("--repeat", type=int, default=5,
                    help="timed original/optimized pairs per benchmark (default 5)")
    ap.add_argument("--no-time", action="store_true", help="only count instructions")
    ap.add_argument("--no-count", action="store_true", help="only time (skip tracing)")
    ap.add_argument("--pyopt", default=DEFAULT_PYOPT, help="pyopt binary (default: %(default)s)")
    ap.add_argument("--json", metavar="OUT", help="write all results as JSON to OUT")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="parallel traced runs (default: %(default)s; timing is sequential)")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="seconds allowed per child process (default 600)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = ap.parse_args(argv)
    try:
        return run(args)
    except SetupError as e:
        log("error: %s" % e)
        return 2


def run(args):
    all_benchmarks = discover_benchmarks()
    if args.list:
        for b in all_benchmarks:
            print(b)
        return 0
    if args.benchmarks:
        benchmarks = []
        for b in args.benchmarks.split(","):
            b = b.strip()
            if b.startswith(PREFIX):
                b = b[len(PREFIX):]
            if b not in all_benchmarks:
                raise SetupError("unknown benchmark %r (have: %s)" % (b, ", ".join(all_benchmarks)))
            benchmarks.append(b)
    else:
        benchmarks = all_benchmarks
    if not benchmarks:
        raise SetupError("no benchmarks in %s" % BENCH_DIR)
    levels = [lv.strip() for lv in args.levels.split(",") if lv.strip()]
    for lv in levels:
        if lv not in LEVELS:
            raise SetupError("unknown level %r" % lv)
    if args.repeat < 1:
        raise SetupError("--repeat must be at least 1")
    if args.no_time and args.no_count:
        raise SetupError("--no-time and --no-count leave nothing to do")
    if not (os.path.isfile(args.pyopt) and os.access(args.pyopt, os.X_OK)):
        raise SetupError("pyopt binary not found: %s (cargo build --release)" % args.pyopt)
    interps = installed_interpreters()
    if args.versions:
        minors = [v.strip() for v in args.versions.split(",") if v.strip()]
        for v in minors:
            if v not in ALL_MINORS:
                raise SetupError("unsupported version %r" % v)
            if v not in interps:
                raise SetupError("CPython %s not found (looked at %s)"
                                 % (v, search_order(int(v.split(".")[1]))))
    else:
        minors = [v for v in ALL_MINORS if v in interps]
        if not minors:
            raise SetupError("no CPython %s found (looked at %s, ...)"
                             % (VERSION_RANGE, search_order(8)))

    started = time.time()
    workdir = tempfile.mkdtemp(prefix="pyopt-bench-runtime-")
    data = {
        "command": [sys.executable] + sys.argv,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "pyopt": args.pyopt,
        "benchmarks": benchmarks,
        "levels": levels,
        "repeat": None if args.no_time else args.repeat,
        "versions": {},
        "results": [],
        "mismatches": [],
        "failures": [],
    }
    try:
        # An empty config at the top of the tree: pyopt's defaults, whatever
        # pyopt.toml / pyproject.toml may lie above $TMPDIR.
        open(os.path.join(workdir, "pyopt.toml"), "w").close()
        os.makedirs(os.path.join(workdir, "cwd"))
        for minor in minors:
            full, python = interps[minor]
            run_version(args, data, minor, full, python, workdir, benchmarks, levels)
    finally:
        if args.keep:
            log("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    data["wall_seconds"] = time.time() - started

    print_report(args, data, minors, levels, benchmarks)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")
        log("wrote %s" % args.json)
    return 1 if (data["mismatches"] or data["failures"]) else 0


def run_version(args, data, minor, full, python, workdir, benchmarks, levels):
    log("== CPython %s (%s)" % (full, python))
    vdir = os.path.join(workdir, minor)
    cwd = os.path.join(workdir, "cwd")
    vinfo = {"full_version": full, "python": python, "pyopt_summary": {}}
    data["versions"][minor] = vinfo
    dirs = {"original": os.path.join(vdir, "original")}
    for lv in levels:
        dirs[lv] = os.path.join(vdir, lv)
    for name, d in dirs.items():
        prepare_copy(python, minor, d, benchmarks)
        if name != "original":
            vinfo["pyopt_summary"][name] = run_pyopt(args.pyopt, name, d)
        make_legacy(minor, d, benchmarks)

    def fail(kind, bench, level, variant, err):
        entry = {"version": minor, "level": level, "benchmark": bench,
                 "variant": variant, "kind": kind, "error": err}
        data["failures"].append(entry)
        log("!! FAILED %s run of %s (%s, %s, level %s):\n%s"
            % (kind, bench, variant, minor, level, err))

    def mismatch(kind, bench, level, orig, opt):
        entry = {"version": minor, "level": level, "benchmark": bench,
                 "kind": kind, "original": orig, "optimized": opt}
        data["mismatches"].append(entry)
        log("!! CHECKSUM MISMATCH (%s run): benchmark %s, CPython %s, level %s:\n"
            "   original:  %s\n   optimized: %s" % (kind, bench, minor, level, orig, opt))

    # (a) instruction counts: all traced runs of this version, in parallel.
    counts = {}
    if not args.no_count:
        jobs = [(variant, b) for variant in dirs for b in benchmarks]
        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futs = {pool.submit(run_child, python, "trace", dirs[v], PREFIX + b,
                                args.timeout, cwd): (v, b) for (v, b) in jobs}
            for fut in concurrent.futures.as_completed(futs):
                counts[futs[fut]] = fut.result()
        log("   traced %d runs in %.1fs" % (len(jobs), time.time() - t0))

    for lv in levels:
        for b in benchmarks:
            row = {"version": minor, "full_version": full, "level": lv, "benchmark": b}
            data["results"].append(row)
            if not args.no_count:
                o, oerr = counts[("original", b)]
                p, perr = counts[(lv, b)]
                if oerr:
                    fail("trace", b, lv, "original", oerr)
                if perr:
                    fail("trace", b, lv, "optimized", perr)
                if o and p:
                    row["trace"] = {"original": o, "optimized": p}
                    row["counter"] = o["counter"]
                    row["units_original"] = o["units"]
                    row["units_optimized"] = p["units"]
                    row["reduction_pct"] = reduction(o["units"], p["units"])
                    row["instr_original"] = o["count"]
                    row["instr_optimized"] = p["count"]
                    row["instr_reduction_pct"] = reduction(o["count"], p["count"])
                    if (o["checksum"], o["stdout"]) != (p["checksum"], p["stdout"]):
                        mismatch("trace", b, lv, o["checksum"], p["checksum"])
                    if o["count"] == 0 or p["count"] == 0:
                        fail("trace", b, lv, "both", "no opcode events were counted")
                    for variant, res in (("original", o), ("optimized", p)):
                        if res.get("cross_check"):
                            fail("trace", b, lv, variant,
                                 "the settrace and sys.monitoring counts disagree: "
                                 + res["cross_check"])
            if is_pyodide(python, int(minor.split(".")[1])):
                row["untimed"] = "WebAssembly: not comparable to native, not timed"
            elif not args.no_time:
                time_benchmark(args, row, python, dirs["original"], dirs[lv], b, cwd,
                               fail, mismatch)


def time_benchmark(args, row, python, orig_dir, opt_dir, bench, cwd, fail, mismatch):
    minor = row["version"]
    lv = row["level"]
    t_orig, t_opt, ratios = [], [], []
    checksums = set()
    for i in range(args.repeat):
        order = [("original", orig_dir), ("optimized", opt_dir)]
        if i % 2:
            order.reverse()
        got = {}
        for variant, d in order:
            res, err = run_child(python, "time", d, PREFIX + bench, args.timeout, cwd)
            if err:
                fail("time", bench, lv, variant, err)
                row["time_failed"] = True
                return
            got[variant] = res
        o, p = got["original"], got["optimized"]
        if (o["checksum"], o["stdout"]) != (p["checksum"], p["stdout"]):
            mismatch("time", bench, lv, o["checksum"], p["checksum"])
            row["time_failed"] = True
            return
        checksums.add(o["checksum"])
        t_orig.append(o["seconds"])
        t_opt.append(p["seconds"])
        ratios.append(o["seconds"] / p["seconds"])
    if len(checksums) != 1:
        fail("time", bench, lv, "both", "checksums differ between repeats: %s" % sorted(checksums))
    row["times_original"] = t_orig
    row["times_optimized"] = t_opt
    row["ratios"] = ratios
    row["ratio_median"] = statistics.median(ratios)
    row["ratio_min"] = min(ratios)
    row["ratio_max"] = max(ratios)
    row["checksum"] = sorted(checksums)[0]
    log("   %s %-10s %-16s median orig %.3fs opt %.3fs ratio %.3f (%.3f-%.3f)"
        % (minor, lv, bench, statistics.median(t_orig), statistics.median(t_opt),
           row["ratio_median"], row["ratio_min"], row["ratio_max"]))


def print_report(args, data, minors, levels, benchmarks):
    timed = not args.no_time
    counted = not args.no_count
    overview = []
    out = []
    for minor in minors:
        full = data["versions"][minor]["full_version"]
        for lv in levels:
            rows = [r for r in data["results"] if r["version"] == minor and r["level"] == lv]
            out.append("### CPython %s, level %s\n" % (full, lv))
            ps = data["versions"][minor]["pyopt_summary"].get(lv)
            if ps:
                out.append("pyopt %s changed %d of %d code objects (static instructions "
                           "%s -> %s).\n" % (ps.get("pyopt_version") or "", ps.get("changed_code_objects", 0),
                                              ps.get("code_objects", 0),
                                              fmt_int(ps.get("instructions_before")),
                                              fmt_int(ps.get("instructions_after"))))
            head = ["benchmark"]
            if counted:
                head += ["code units original", "optimized", "reduction %",
                         "instructions original", "optimized", "reduction %"]
            if timed:
                head += ["time ratio (median, spread)"]
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
            sum_o = sum_p = 0
            sum_uo = sum_up = 0
            complete = True
            gm_values = []
            for r in rows:
                cells = [r["benchmark"]]
                if counted:
                    o = r.get("instr_original")
                    p = r.get("instr_optimized")
                    uo = r.get("units_original")
                    up = r.get("units_optimized")
                    if o is None or p is None:
                        complete = False
                    else:
                        sum_o += o
                        sum_p += p
                        sum_uo += uo
                        sum_up += up
                    cells += [fmt_int(uo), fmt_int(up), fmt_pct(r.get("reduction_pct")),
                              fmt_int(o), fmt_int(p), fmt_pct(r.get("instr_reduction_pct"))]
                if timed:
                    if r.get("untimed"):
                        cells.append("not timed (WebAssembly)")
                    elif "ratio_median" in r:
                        cells.append("%.3f (%.3f–%.3f)" % (r["ratio_median"], r["ratio_min"],
                                                           r["ratio_max"]))
                        gm_values.append(r["ratio_median"])
                    else:
                        cells.append("FAILED")
                out.append("| " + " | ".join(cells) + " |")
            cells = ["**total / geomean**"]
            total_red = reduction(sum_uo, sum_up) if (counted and complete) else None
            instr_red = reduction(sum_o, sum_p) if (counted and complete) else None
            if counted:
                cells += [fmt_int(sum_uo), fmt_int(sum_up),
                          "**%s**" % fmt_pct(total_red) if total_red is not None else "-",
                          fmt_int(sum_o), fmt_int(sum_p), fmt_pct(instr_red)]
            gm = geomean(gm_values) if timed else None
            if timed:
                cells.append("**%.3f**" % gm if gm else "-")
            out.append("| " + " | ".join(cells) + " |")
            out.append("")
            counter = sorted({r["counter"] for r in rows if r.get("counter")})
            overview.append((full, lv, (sum_uo, sum_up, total_red, sum_o, sum_p, instr_red)
                             if counted else None, gm, len(gm_values), counter))
            data.setdefault("summary", []).append({
                "version": minor, "full_version": full, "level": lv,
                "counter": counter[0] if len(counter) == 1 else None,
                "units_original": sum_uo if counted else None,
                "units_optimized": sum_up if counted else None,
                "reduction_pct": total_red,
                "instr_original": sum_o if counted else None,
                "instr_optimized": sum_p if counted else None,
                "instr_reduction_pct": instr_red, "geomean_time_ratio": gm,
                "timed_benchmarks": len(gm_values)})
    out.append("### Overview\n")
    head = ["CPython", "level"]
    if counted:
        head += ["counter", "code units original", "optimized", "reduction %",
                 "instructions original", "optimized", "reduction %"]
    if timed:
        head += ["geomean time ratio"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join(["---", "---"] + ["---:"] * (len(head) - 2)) + "|")
    for full, lv, c, gm, _n, counter in overview:
        cells = [full, lv]
        if counted:
            uo, up, red, so, sp, ired = c
            cells += ["/".join(counter) or "-", fmt_int(uo), fmt_int(up), fmt_pct(red),
                      fmt_int(so), fmt_int(sp), fmt_pct(ired)]
        if timed:
            cells.append("%.3f" % gm if gm else "-")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    if counted:
        out.append("Code units: executed instructions of the benchmark's own code in one "
                   "run of main(TRACE_SCALE), each counted with its EXTENDED_ARG prefixes "
                   "(inline caches not counted); instructions: the same without the prefixes. "
                   "Counted with sys.settrace + f_trace_opcodes on 3.8-3.11 and with "
                   "sys.monitoring INSTRUCTION events on 3.12+ (cross-checked against settrace).")
    if timed:
        out.append("Time ratio: original / optimized wall time of main() in fresh processes, "
                   "median of %d alternating pairs (min–max in parentheses); "
                   "> 1 means faster after optimization." % args.repeat)
    out.append("Total wall time of this run: %.1f s." % data["wall_seconds"])
    out.append("")
    if data["mismatches"]:
        out.append("## !!! CHECKSUM MISMATCHES (miscompiles) !!!\n")
        for m in data["mismatches"]:
            out.append("- %s run of **%s**, CPython %s, level %s: original %s, optimized %s"
                       % (m["kind"], m["benchmark"], m["version"], m["level"],
                          m["original"], m["optimized"]))
        out.append("")
    if data["failures"]:
        out.append("## !!! FAILED RUNS !!!\n")
        for f in data["failures"]:
            out.append("- %s run of **%s** (%s), CPython %s, level %s:\n\n```\n%s\n```"
                       % (f["kind"], f["benchmark"], f["variant"], f["version"], f["level"],
                          f["error"]))
        out.append("")
    if not data["mismatches"] and not data["failures"]:
        out.append("All checksums of optimized runs equal those of the original runs.")
    print("\n".join(out))
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
