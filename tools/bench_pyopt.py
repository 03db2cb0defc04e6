#!/usr/bin/env python3
"""``pyopt bench`` on the repository's benchmark programs: one Markdown table.

For each selected CPython version 3.X (default 3.8 and 3.13; native
interpreters only, found by ``pyopt_tools.find_interpreter``: WebAssembly
wall time says nothing about a native build) and each benchmark of
``benches/python/`` (modules ``bm_*.py`` with ``main(scale)`` and a small
``TRACE_SCALE``):

1. A tree is built in a temporary directory: every ``bm_*.py``
   byte-compiled by that interpreter (``python -m compileall -q``), moved
   to a legacy, sourceless ``bm_x.pyc``, the sources deleted, so that the
   program can only run the bytecode under test. An empty ``pyopt.toml``
   above the tree makes pyopt use its defaults.
2. For each level L (default safe and aggressive)::

       pyopt bench TREE --level L --runs N --warmup W --json -- \\
           python -s -c 'import bm_x; bm_x.main()'

   (A optimized, B original, C a second original, the control, run
   alternately; see ``pyopt bench --help``). The command first checks that
   ``bm_x`` was loaded by ``SourcelessFileLoader`` from the copy it runs in.
3. Unless ``--no-count``, a second, short ``pyopt bench`` with ``--runs 1
   --warmup 0 --count-instructions`` and ``bm_x.main(bm_x.TRACE_SCALE)``
   gives the executed bytecode code units (an instruction with its
   ``EXTENDED_ARG`` prefixes) of the whole process, interpreter start-up
   included, for A and B: deterministic, unlike the times.

Children run with ``PYTHONHASHSEED=0`` and no other ``PYTHON*`` variables
(``pyopt bench`` adds ``PYTHONPATH`` and ``PYTHONDONTWRITEBYTECODE``).

Output: one Markdown table (benchmark | level | A/B wall ratio with its
95% bootstrap interval | control C/B with its interval | verdict | code
units original -> optimized), the command and the total wall time.
``--json OUT`` writes every ``pyopt bench`` report. Wall-time verdicts are
shown here, never asserted by a test; on a shared machine the control's
interval is what tells noise from an effect.

Exit status: 0 measured (whatever the verdicts); 1 a ``pyopt bench`` run
failed (its error is printed); 2 usage or setup error.

Examples::

    python3 tools/bench_pyopt.py
    python3 tools/bench_pyopt.py --versions 3.13 --runs 10 --benchmarks nbody,go
    python3 tools/bench_pyopt.py --report a.json b.json   # merge earlier runs
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from bench_runtime import (BENCH_DIR, DEFAULT_PYOPT, LEVELS, PREFIX, SetupError, child_env,
                           discover_benchmarks, is_pyodide, log, make_legacy, prepare_copy, tail)
from pyopt_tools import MINORS, find_interpreter, search_order

# The command run in each copy: the module must come from the copy's own
# legacy pyc, else nothing optimized would be measured.
CMD = ("import os, importlib.machinery as m, {mod} as b; "
       "s = b.__spec__; "
       "assert isinstance(s.loader, m.SourcelessFileLoader) and "
       "os.path.dirname(s.origin) == os.environ['PYOPT_BENCH_TREE'], s; "
       "b.main({arg})")


def pyopt_bench(pyopt, tree, level, flags, python, mod, arg, timeout):
    """One `pyopt bench ... --json`: (report dict, None) or (None, error)."""
    cmd = ([pyopt, "bench", tree, "--level", level, "--json"] + flags
           + ["--", python, "-s", "-c", CMD.format(mod=mod, arg=arg)])
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, env=child_env(), timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "pyopt bench timed out after %ss: %s" % (timeout, " ".join(cmd))
    if proc.returncode != 0:
        return None, "pyopt bench exited %d: %s\n%s" % (proc.returncode, " ".join(cmd),
                                                        tail(proc.stderr))
    try:
        return json.loads(proc.stdout), None
    except ValueError as e:
        return None, "pyopt bench printed no JSON (%s): %s" % (e, tail(proc.stdout))


def fmt_ratio(r):
    return "%.3f (%.3f–%.3f)" % (r["median"], r["ci95_low"], r["ci95_high"])


def fmt_units(orig, opt):
    if orig is None or opt is None:
        return "-"
    change = "" if not orig else " (%+.2f%%)" % (100.0 * (opt - orig) / orig)
    return "{:,} → {:,}{}".format(orig, opt, change)


def table(rows, runs, warmup, counted, seconds):
    """The Markdown report of rows (benchmark, level, full version, timed
    report or None, count report or None)."""
    order = {b: i for i, b in enumerate(discover_benchmarks())}
    rows = sorted(rows, key=lambda r: (order.get(r[0], len(order)), LEVELS.index(r[1])))
    out = []
    for v in sorted({r[2] for r in rows}, key=lambda s: [int(x) for x in s.split(".")[:2]]):
        out.append("### CPython %s\n" % v)
        out.append("| benchmark | level | wall A/B (95% CI) | control C/B (95% CI) | verdict "
                   "| executed code units, original → optimized |")
        out.append("|---|---|---:|---:|---|---:|")
        for b, lv, full, timed, count in rows:
            if full != v:
                continue
            if timed is None:
                out.append("| %s | %s | FAILED | | | |" % (b, lv))
                continue
            w = timed["wall"]
            verdict = w["verdict"]
            if verdict == "no measurable difference":
                verdict += " (±%.1f%%)" % w["noise_pct"]
            units = "-"
            if count:
                s = count["sides"]
                units = fmt_units(s["original"].get("code_units"), s["optimized"].get("code_units"))
            out.append("| %s | %s | %s | %s | %s | %s |"
                       % (b, lv, fmt_ratio(w["optimized_vs_original"]),
                          fmt_ratio(w["control_vs_original"]), verdict, units))
        out.append("")
    out.append("Wall A/B: optimized / original time of `python -s -c 'import bm_x; bm_x.main()'`, "
               "median of %d paired runs (%d warmup), 95%% bootstrap interval; < 1 is faster. "
               "Control C/B: the same for two identical copies (the noise)." % (runs, warmup))
    if counted:
        out.append("Code units: executed bytecode code units (instructions with their "
                   "EXTENDED_ARG prefixes) of the whole process running `bm_x.main(bm_x.TRACE_SCALE)` "
                   "(pyopt bench --count-instructions), interpreter start-up included.")
    out.append("Wall time of the measuring run(s), summed: %.1f s." % seconds)
    return "\n".join(out)


def report(paths):
    """The table of earlier runs' --json files, merged (e.g. a version whose
    benchmarks ran as two invocations)."""
    rows, runs, seconds, counted = [], set(), 0.0, False
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        runs.add((data["runs"], data["warmup"]))
        seconds += data["wall_seconds"]
        for e in data["results"]:
            if e.get("bench") is None:
                continue
            counted = counted or e.get("count") is not None
            rows.append((e["benchmark"], e["level"], e["version"], e["bench"], e.get("count")))
    if len(runs) != 1:
        raise SetupError("the files were measured with different --runs/--warmup: %s" % sorted(runs))
    (n, w), = runs
    print(table(rows, n, w, counted, seconds))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--versions", default="3.8,3.13",
                    help="comma-separated 3.X list (default: %(default)s; native only)")
    ap.add_argument("--levels", default="safe,aggressive",
                    help="comma-separated pyopt levels (default: %(default)s)")
    ap.add_argument("--benchmarks", help="comma-separated names (default: all of benches/python)")
    ap.add_argument("--runs", type=int, default=5,
                    help="timed rounds per pyopt bench (default %(default)s; 5 is the "
                    "fewest that gives a verdict)")
    ap.add_argument("--warmup", type=int, default=1,
                    help="untimed rounds per pyopt bench (default %(default)s)")
    ap.add_argument("--no-count", action="store_true",
                    help="skip the --count-instructions runs")
    ap.add_argument("--pyopt", default=DEFAULT_PYOPT, help="pyopt binary (default: %(default)s)")
    ap.add_argument("--json", metavar="OUT", help="write every pyopt bench report to OUT")
    ap.add_argument("--timeout", type=float, default=3600.0,
                    help="seconds allowed per pyopt bench (default %(default)s)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--report", nargs="+", metavar="JSON",
                    help="measure nothing: print the table of earlier --json files, merged "
                    "(failed entries left out; the wall time is their sum)")
    args = ap.parse_args(argv)
    try:
        if args.report:
            return report(args.report)
        return run(args)
    except SetupError as e:
        log("error: %s" % e)
        return 2


def run(args):
    all_benchmarks = discover_benchmarks()
    benchmarks = all_benchmarks
    if args.benchmarks:
        benchmarks = [b.strip()[len(PREFIX):] if b.strip().startswith(PREFIX) else b.strip()
                      for b in args.benchmarks.split(",") if b.strip()]
        for b in benchmarks:
            if b not in all_benchmarks:
                raise SetupError("unknown benchmark %r (have: %s)" % (b, ", ".join(all_benchmarks)))
    levels = [lv.strip() for lv in args.levels.split(",") if lv.strip()]
    for lv in levels:
        if lv not in LEVELS:
            raise SetupError("unknown level %r" % lv)
    if args.runs < 1 or args.warmup < 0:
        raise SetupError("--runs must be at least 1 and --warmup at least 0")
    if not (os.path.isfile(args.pyopt) and os.access(args.pyopt, os.X_OK)):
        raise SetupError("pyopt binary not found: %s (cargo build --release)" % args.pyopt)
    pythons = {}
    for v in [v.strip() for v in args.versions.split(",") if v.strip()]:
        if v not in ["3.%d" % m for m in MINORS]:
            raise SetupError("unsupported version %r" % v)
        minor = int(v.split(".")[1])
        python = find_interpreter(minor)
        if not python:
            raise SetupError("CPython %s not found (looked at %s)" % (v, search_order(minor)))
        if is_pyodide(python, minor):
            raise SetupError("CPython %s is pyodide's WebAssembly build: its wall time says "
                             "nothing about a native one" % v)
        pythons[v] = python

    started = time.time()
    workdir = tempfile.mkdtemp(prefix="pyopt-bench-pyopt-")
    data = {"command": [sys.executable] + sys.argv,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
            "runs": args.runs, "warmup": args.warmup, "results": [], "failures": []}
    rows = []
    try:
        open(os.path.join(workdir, "pyopt.toml"), "w").close()
        for v, python in pythons.items():
            full = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                                  stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
            log("== CPython %s (%s)" % (full, python))
            tree = os.path.join(workdir, v, "tree")
            prepare_copy(python, v, tree, benchmarks)
            make_legacy(v, tree, benchmarks)
            for b in benchmarks:
                mod = PREFIX + b
                for lv in levels:
                    t0 = time.time()
                    entry = {"version": full, "level": lv, "benchmark": b}
                    data["results"].append(entry)
                    timed, err = pyopt_bench(args.pyopt, tree, lv,
                                             ["--runs", str(args.runs),
                                              "--warmup", str(args.warmup)],
                                             python, mod, "", args.timeout)
                    counted = None
                    if not err and not args.no_count:
                        counted, err = pyopt_bench(args.pyopt, tree, lv,
                                                   ["--runs", "1", "--warmup", "0",
                                                    "--count-instructions"],
                                                   python, mod, "b.TRACE_SCALE", args.timeout)
                    if err:
                        log("!! FAILED %s, CPython %s, level %s:\n%s" % (b, full, lv, err))
                        data["failures"].append(dict(entry, error=err))
                        rows.append((b, lv, full, None, None))
                        continue
                    entry["bench"] = timed
                    entry["count"] = counted
                    rows.append((b, lv, full, timed, counted))
                    w = timed["wall"]
                    log("   %-14s %-10s A/B %s  C/B %s  %s  (%.0fs)"
                        % (b, lv, fmt_ratio(w["optimized_vs_original"]),
                           fmt_ratio(w["control_vs_original"]), w["verdict"], time.time() - t0))
    finally:
        if args.keep:
            log("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    data["wall_seconds"] = time.time() - started

    print(table(rows, args.runs, args.warmup, not args.no_count, data["wall_seconds"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")
        log("wrote %s" % args.json)
    return 1 if data["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
