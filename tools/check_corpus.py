#!/usr/bin/env python3
"""Quick checker for the differential-testing corpus (runs under any python3).

For every installed CPython 3.8+ (found as pyopt finds it,
``pyopt_tools.find_interpreter``: ``$PYOPT_PYTHON3_X``, pyenv's newest
``$PYENV_ROOT/versions/3.X.Y/bin/python``, ...) and every corpus program
(``corpus/NNN_*.py``) whose ``# min-version: 3.X`` header allows that
version, it runs the program

* twice as a plain script (``python FILE``, random hash seed): exit status,
  stdout and stderr must be identical; the exit status must be 0, except for
  ``*_raises.py`` programs, which must end with an uncaught exception
  (status 1 and a traceback on stderr);
* twice under a harness that mirrors pyopt's difftest worker, with
  ``PYTHONHASHSEED=1`` and ``=2``: the module is executed as ``__main__``
  twice untraced and then once under ``sys.settrace`` (line events of every
  function of the file), each time in a fresh module; ``repr(main())`` is
  taken, the uncaught exception and its traceback (function, line, and on
  3.11+ columns) are recorded. Everything must be identical between the two
  seeds, between the repeated executions in one process, and between the
  traced and the untraced execution.

It reports nondeterminism, unexpected exit status or exceptions, warnings on
stderr, a wall time over 0.2 s for a plain run, an execution time (module
plus ``main()``, untraced, second execution in the process, so without
interpreter start-up or first imports) over 50 ms, and more
than 50,000 trace events. Exit status 0 when nothing was reported.

    python3 tools/check_corpus.py [-j N] [--versions 3.8,3.12] [FILE ...]
    python3 tools/check_corpus.py --show [--version 3.12] FILE
        (print what the harness records for one program)
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

from pyopt_tools import find_interpreter, search_order

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "corpus")
PROGRAM_RE = re.compile(r"^\d{3}_[A-Za-z0-9_]+(\.py)?$")
HEADER_RE = re.compile(r"^#\s*min-version:\s*3\.(\d+)\s*$")
WALL_LIMIT = 0.2
EXEC_LIMIT = 0.05
EVENT_LIMIT = 50000

# --------------------------------------------------------------- the harness
# Runs inside the interpreter under test (``check_corpus.py --harness FILE``).
# Kept compatible with Python 3.8.


def _harness(path, trace):
    import builtins
    import io
    import types

    package = os.path.isdir(path)
    main_file = os.path.join(path, "__main__.py") if package else path
    with open(main_file, encoding="utf-8") as f:
        source = f.read()
    code = compile(source, main_file, "exec", dont_inherit=True)
    if package:
        # A multi-module program: its directory goes first on sys.path and
        # its modules are imported afresh for every execution.
        if sys.path[0] != path:
            sys.path.insert(0, path)
        for name, mod in list(sys.modules.items()):
            if (getattr(mod, "__file__", None) or "").startswith(path + os.sep):
                del sys.modules[name]

    def ours(filename):
        return filename == main_file or (package and filename.startswith(path + os.sep))

    def qualname(c):
        return getattr(c, "co_qualname", c.co_name)

    def frames_of(tb):
        out = []
        while tb is not None:
            c = tb.tb_frame.f_code
            col = end_col = None
            if hasattr(c, "co_positions"):
                try:
                    pos = list(c.co_positions())[tb.tb_lasti // 2]
                    col, end_col = pos[2], pos[3]
                except Exception:
                    pass
            out.append([qualname(c), tb.tb_lineno, col, end_col])
            tb = tb.tb_next
        return out

    module = types.ModuleType("__main__")
    module.__file__ = main_file
    module.__builtins__ = builtins
    ns = module.__dict__
    out, err = io.StringIO(), io.StringIO()
    events = []

    def local(frame, event, arg):
        if event == "line":
            events.append("%s:%d" % (qualname(frame.f_code), frame.f_lineno))
        return local

    def glob_(frame, event, arg):
        if not ours(frame.f_code.co_filename):
            return None
        events.append("call %s" % qualname(frame.f_code))
        return local

    result = {"exception": None, "traceback": [], "main": None, "has_main": False}
    saved = sys.stdout, sys.stderr, sys.modules.get("__main__")
    sys.stdout, sys.stderr = out, err
    sys.modules["__main__"] = module
    t0 = time.perf_counter()
    try:
        if trace:
            sys.settrace(glob_)
        try:
            exec(code, ns)
            main = ns.get("main")
            if callable(main):
                result["has_main"] = True
                result["main"] = repr(main())
        finally:
            sys.settrace(None)
    except BaseException as e:
        result["exception"] = {"type": type(e).__name__, "message": str(e)}
        result["traceback"] = frames_of(e.__traceback__.tb_next if e.__traceback__ else None)
    finally:
        elapsed = time.perf_counter() - t0
        sys.stdout, sys.stderr = saved[0], saved[1]
        if saved[2] is not None:
            sys.modules["__main__"] = saved[2]
    result["stdout"] = out.getvalue()
    result["stderr"] = err.getvalue()
    result["lines"] = events
    return result, elapsed


def harness_main(path):
    # The first run also pays for importing the standard-library modules the
    # program uses; the second one is timed. Both must give the same result,
    # since a worker may run a program several times in one process.
    first, _ = _harness(path, False)
    plain, elapsed = _harness(path, False)
    traced, _ = _harness(path, True)
    sys.stdout.write(json.dumps({"first": first, "plain": plain, "traced": traced, "elapsed": elapsed}))
    sys.stdout.flush()


# --------------------------------------------------------------- the driver


def interpreters(wanted=None):
    """{minor: interpreter} of 3.8+ by pyopt_tools.find_interpreter (pyopt's own rule)."""
    found = {}
    for minor in range(8, 15):
        if wanted and minor not in wanted:
            continue
        python = find_interpreter(minor)
        if python:
            found[minor] = python
    return found


def min_version(path):
    """The X of a ``# min-version: 3.X`` comment in the first five lines (of
    ``__main__.py`` for a directory program); 8 by default."""
    if os.path.isdir(path):
        path = os.path.join(path, "__main__.py")
    with open(path, encoding="utf-8") as f:
        for _ in range(5):
            m = HEADER_RE.match(f.readline().strip())
            if m:
                return int(m.group(1))
    return 8


def programs(args):
    if args:
        return [os.path.abspath(a) for a in args]
    found = []
    for n in sorted(os.listdir(HERE)):
        p = os.path.join(HERE, n)
        if not PROGRAM_RE.match(n):
            continue
        if n.endswith(".py") and os.path.isfile(p):
            found.append(p)
        elif os.path.isfile(os.path.join(p, "__main__.py")):
            found.append(p)
    return found


def run(cmd, env_extra, cwd):
    env = dict(os.environ)
    env.pop("PYTHONHASHSEED", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(env_extra)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), wall


def check_one(minor, exe, path):
    """Returns (problems, warnings, stats) for one program on one version."""
    name = os.path.basename(path)
    raises = name.endswith("_raises.py") or name.endswith("_raises")
    problems, warnings = [], []
    stats = {"wall": 0.0, "exec": 0.0, "events": 0}
    cwd = os.path.dirname(path)

    plain = [run([exe, path], {}, cwd) for _ in range(2)]
    # The faster of the two runs, so that a busy machine does not count.
    stats["wall"] = min(p[3] for p in plain)
    if plain[0][:3] != plain[1][:3]:
        problems.append("plain runs differ (exit status, stdout or stderr)")
    rc, so, se, _ = plain[0]
    if raises:
        if rc != 1 or "Traceback (most recent call last)" not in se:
            problems.append("expected an uncaught exception, got exit status %d" % rc)
    elif rc != 0:
        tail = se.strip().splitlines()[-1:] or [""]
        problems.append("exit status %d: %s" % (rc, tail[0]))
    if not so.strip():
        warnings.append("plain run prints nothing")
    if "Warning" in se:
        problems.append("warning on stderr: %s" % se.strip().splitlines()[0])
    if stats["wall"] > WALL_LIMIT:
        problems.append("slow: plain run took %.3f s" % stats["wall"])

    results = []
    for seed in ("1", "2"):
        rc, so, se, _ = run([exe, os.path.abspath(__file__), "--harness", path], {"PYTHONHASHSEED": seed}, cwd)
        if rc != 0:
            problems.append("harness failed (seed %s): %s" % (seed, se.strip()[-300:]))
            return problems, warnings, stats
        results.append(json.loads(so))
    a, b = results
    stats["exec"] = max(a["elapsed"], b["elapsed"])
    stats["events"] = len(a["traced"]["lines"])
    if a["first"] != a["plain"]:
        diff = [k for k in a["plain"] if a["first"][k] != a["plain"][k]]
        problems.append("differs when run again in the same process: %s" % ", ".join(diff))
    for key in ("plain", "traced"):
        if a[key] != b[key]:
            diff = [k for k in a[key] if a[key][k] != b[key].get(k)]
            problems.append("PYTHONHASHSEED=1 and =2 differ (%s run: %s)" % (key, ", ".join(diff)))
    for seed_res in results:
        p, t = seed_res["plain"], seed_res["traced"]
        diff = [k for k in p if k != "lines" and p[k] != t[k]]
        if diff:
            problems.append("traced and untraced runs differ: %s" % ", ".join(diff))
            break
    t = a["traced"]
    if raises:
        if t["exception"] is None:
            problems.append("harness: expected an uncaught exception")
    else:
        if t["exception"] is not None:
            problems.append("harness: uncaught %s: %s" % (t["exception"]["type"], t["exception"]["message"]))
        if not t["has_main"]:
            warnings.append("no main()")
    if stats["exec"] > EXEC_LIMIT:
        problems.append("slow: execution took %.1f ms" % (stats["exec"] * 1000))
    if stats["events"] > EVENT_LIMIT:
        problems.append("%d trace events (limit %d)" % (stats["events"], EVENT_LIMIT))
    return problems, warnings, stats


def show(path, version):
    interps = interpreters()
    minor = int(version.split(".")[1]) if version else max(interps)
    exe = interps[minor]
    rc, so, se, _ = run([exe, os.path.abspath(__file__), "--harness", os.path.abspath(path)], {"PYTHONHASHSEED": "1"}, HERE)
    if rc != 0:
        sys.stderr.write(se)
        return 2
    r = json.loads(so)["traced"]
    print("== 3.%d stdout\n%s" % (minor, r["stdout"]), end="")
    print("== stderr\n%s" % r["stderr"], end="")
    print("== exception: %s" % (r["exception"],))
    for fr in r["traceback"]:
        print("   %s" % (fr,))
    print("== main(): %s" % r["main"])
    print("== %d trace events" % len(r["lines"]))
    return 0


def run_checks():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--versions", help="comma-separated, e.g. 3.8,3.12")
    ap.add_argument("--show", action="store_true", help="print the harness record of FILE")
    ap.add_argument("--version", help="with --show: the version to use")
    ap.add_argument("--harness", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.harness:
        harness_main(args.harness)
        return 0
    if args.show:
        return show(args.files[0], args.version)

    wanted = None
    if args.versions:
        wanted = {int(v.split(".")[1]) for v in args.versions.split(",")}
    interps = interpreters(wanted)
    if not interps:
        print("no CPython 3.8+ found (looked at %s, ...)" % search_order(8))
        return 2
    files = programs(args.files)
    jobs = []
    for minor, exe in interps.items():
        for f in files:
            if min_version(f) <= minor:
                jobs.append((minor, exe, f))

    t0 = time.perf_counter()
    failures, warn_count = 0, 0
    per_version = {m: {"files": 0, "fail": 0, "wall": (0.0, ""), "exec": (0.0, ""), "events": (0, "")} for m in interps}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futs = {pool.submit(check_one, *j): j for j in jobs}
        for fut in concurrent.futures.as_completed(futs):
            minor, exe, f = futs[fut]
            name = os.path.basename(f)
            try:
                problems, warns, stats = fut.result()
            except Exception as e:  # a bug of the checker itself
                problems, warns, stats = ["checker error: %r" % (e,)], [], {"wall": 0, "exec": 0, "events": 0}
            pv = per_version[minor]
            pv["files"] += 1
            for k in ("wall", "exec", "events"):
                if stats[k] > pv[k][0]:
                    pv[k] = (stats[k], name)
            for p in problems:
                print("FAIL 3.%d %s: %s" % (minor, name, p))
            for w in warns:
                print("warn 3.%d %s: %s" % (minor, name, w))
            if problems:
                failures += 1
                pv["fail"] += 1
            warn_count += len(warns)

    print()
    print("%d programs, %d (version, program) pairs, %d runs each, %.1f s" % (len(files), len(jobs), 4, time.perf_counter() - t0))
    for minor, pv in per_version.items():
        print(
            "3.%-2d %3d programs, %d failing; slowest plain run %.3f s (%s), "
            "slowest execution %.1f ms (%s), most trace events %d (%s)"
            % (minor, pv["files"], pv["fail"], pv["wall"][0], pv["wall"][1], pv["exec"][0] * 1000, pv["exec"][1], pv["events"][0], pv["events"][1])
        )
    print("%s: %d failing pairs, %d warnings" % ("FAILED" if failures else "OK", failures, warn_count))
    return 1 if failures else 0


# No function named ``main`` here: a difftest worker that executed this file
# by mistake would call it. Only a direct invocation runs the checker.
if __name__ == "__main__" and os.path.basename(sys.argv[0]) == "check_corpus.py":
    sys.exit(run_checks())
