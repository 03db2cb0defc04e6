#!/usr/bin/env python3
"""Run CPython regression tests before and after pyopt optimizes the stdlib.

What it measures
----------------
Whether the CPython regression tests (``python -m test``) that pass on an
unmodified installation still pass once pyopt has rewritten every .pyc of
that installation's ``lib/`` (the stdlib *and* the test modules themselves).

How
---
1. Copies the installation prefix ``$PYENV_ROOT/versions/3.X.Y`` (newest
   installed 3.X.Y) to a temporary directory with ``shutil.copytree``
   (``copy2`` keeps the source mtimes, so the .pyc files stay valid),
   leaving out ``lib/python3.X/site-packages`` (third-party packages; an
   empty directory is created instead).  Checks that the copied interpreter
   uses the copy (``sys.prefix``, ``json.__file__``).  The installation is
   never written to.
2. Runs every selected test in its own subprocess,
   ``<copy>/bin/python3.X -m test <test>``, ``--jobs`` of them in parallel,
   each with its own scratch working directory and ``TMPDIR``, ``PYTHON*``
   variables removed from the environment, and a timeout (``--timeout``,
   default 15 minutes).  The status comes from the exit status and
   regrtest's ``Tests result:`` line: PASS, ENV CHANGED (passed, but the
   test altered the environment), SKIPPED / NO TESTS RAN, FAIL, TIMEOUT,
   CRASH (no result line, e.g. a segfault).  When regrtest prints
   ``Total tests: run=N`` (3.12+) the number of test cases is shown too.
3. Runs ``pyopt optimize --level L --report ... -q`` on ``<copy>/lib`` and
   checks with ``python -v -c 'import M'`` that a module whose .pyc pyopt
   changed is really loaded from that .pyc.
4. Runs the same tests again on the optimized copy, then checks that no
   optimized .pyc was rewritten by the interpreter during the tests (that
   would mean CPython rejected it and recompiled the source).
5. Prints a Markdown table test -> before/after status and duration, the
   output tail of every test that passed before and fails after, plus the
   unittest failure report of a ``-v`` rerun of that test on the optimized
   copy (unless ``--no-rerun-verbose``), and the total wall time.

Exit status: 0 when every test that passed before (PASS or ENV CHANGED)
still passes; 1 when one fails after optimization, the sanity check fails,
an optimized .pyc was rewritten, or pyopt reports failed files; 2 on setup
errors.

Example::

    python3 tools/regrtest_optimized.py --python 3.13 --level safe --tests test_grammar,test_json
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time

from pyopt_tools import (DEFAULT_PYOPT, SetupError, check_minor, check_pyopt, child_env,
                         copy_installation, find_prefix, module_of_pyc, optimize_summary,
                         probe_copy, pyenv_root, run_optimize, tail, temp_workdir)

DEFAULT_TESTS = ("test_grammar test_exceptions test_generators test_coroutines "
                 "test_contextlib test_with test_scope test_traceback test_sys_settrace "
                 "test_dataclasses test_enum test_functools test_collections test_json "
                 "test_re test_long test_float test_dict test_set test_descr test_inspect "
                 "test_typing test_pickle test_decimal").split()
PASSING = ("PASS", "ENV CHANGED")


def classify(rc, output, test):
    """Map a regrtest run to (status, tests_run)."""
    results = re.findall(r"Tests? result: ([A-Z][A-Z ,a-z]*[A-Z])", output)
    result = results[-1] if results else None
    m = re.findall(r"Total tests: run=([\d,]+)", output)
    tests_run = int(m[-1].replace(",", "")) if m else None
    skipped = (re.search(r"^%s skipped\b" % re.escape(test), output, re.M) is not None
               or re.search(r"\b1 test skipped\b", output) is not None)
    if rc is None:
        return "TIMEOUT", tests_run
    if result is None:
        return "CRASH (exit %s)" % rc, tests_run
    if result.startswith("NO TESTS RAN"):
        return "NO TESTS RAN", tests_run
    if rc == 0 and result.startswith("SUCCESS"):
        return ("SKIPPED" if skipped else "PASS"), tests_run
    if result.startswith("ENV CHANGED") or rc == 3:
        return "ENV CHANGED", tests_run
    if result.startswith("FAILURE") or rc == 2:
        return "FAIL", tests_run
    return "%s (exit %s)" % (result, rc), tests_run


class Runner:
    def __init__(self, python, work, timeout):
        self.python = python
        self.work = work
        self.timeout = timeout
        self.env = child_env()

    def run_test(self, phase, test, extra=()):
        d = os.path.join(self.work, "runs", "%s-%s%s" % (phase, test, "-v" if extra else ""))
        tmp = os.path.join(d, "tmp")
        os.makedirs(tmp, exist_ok=True)
        env = dict(self.env, TMPDIR=tmp, TEMP=tmp, TMP=tmp)
        cmd = [self.python, "-m", "test"] + list(extra) + [test]
        t0 = time.time()
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, cwd=d, env=env,
                                  timeout=self.timeout)
            rc, out = proc.returncode, proc.stdout
        except subprocess.TimeoutExpired as e:
            rc, out = None, (e.stdout or b"") + b"\n[timed out]\n"
        out = out.decode("utf-8", "replace")
        status, tests_run = classify(rc, out, test)
        res = {"test": test, "status": status, "exit": rc, "seconds": time.time() - t0,
               "tests_run": tests_run, "output": out}
        with open(os.path.join(d, "output.txt"), "w") as fh:
            fh.write(out)
        shutil.rmtree(tmp, ignore_errors=True)
        return res

    def run_all(self, phase, tests, jobs):
        results = {}
        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            futs = {pool.submit(self.run_test, phase, t): t for t in tests}
            for fut in concurrent.futures.as_completed(futs):
                r = fut.result()
                results[r["test"]] = r
                print("  [%s %d/%d] %s: %s (%.1f s)" % (phase, len(results), len(tests),
                                                        r["test"], r["status"], r["seconds"]),
                      file=sys.stderr, flush=True)
        return results, time.time() - t0


def failure_report(output, max_lines):
    """The unittest failure section of a -v run (from the first FAIL:/ERROR: block)."""
    lines = output.rstrip().splitlines()
    for i in range(len(lines) - 1):
        if lines[i].startswith("=" * 20) and re.match(r"^(FAIL|ERROR|UNEXPECTED SUCCESS):",
                                                        lines[i + 1]):
            section = lines[i:]
            break
    else:
        section = lines[-max_lines:]
    if len(section) > max_lines:
        section = section[:max_lines] + ["[... %d more lines ...]" % (len(section) - max_lines)]
    return "\n".join(section)


def snapshot(paths):
    snap = {}
    for p in paths:
        try:
            st = os.stat(p)
            snap[p] = (st.st_mtime_ns, st.st_size)
        except OSError:
            snap[p] = None
    return snap


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module docstring (top of this file) for the full description.")
    ap.add_argument("--python", required=True, metavar="3.X",
                    help="minor version; the newest installed 3.X.Y is used")
    ap.add_argument("--level", default="safe", help="pyopt level: safe or aggressive "
                    "(default: safe)")
    ap.add_argument("--tests", help="comma-separated test names (default: %s)"
                    % ",".join(DEFAULT_TESTS))
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                    help="tests run in parallel, and pyopt --jobs (default: %(default)s)")
    ap.add_argument("--timeout", type=float, default=900.0,
                    help="seconds per test run (default: 900)")
    ap.add_argument("--pyopt", default=DEFAULT_PYOPT, help="default: %(default)s")
    ap.add_argument("--pyenv-root", help="default: $PYENV_ROOT, else ~/.pyenv")
    ap.add_argument("--tmpdir", help="where to create the temporary copy")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary copy (and every test's output.txt)")
    ap.add_argument("--no-rerun-verbose", dest="rerun_verbose", action="store_false",
                    help="do not rerun a regressed test with -v (by default it is rerun on the "
                    "optimized copy and its unittest failure report is printed, since "
                    "regrtest's normal output may only say 'run in verbose mode for "
                    "details')")
    ap.add_argument("--verbose-lines", type=int, default=200,
                    help="lines of the -v rerun's failure report shown (default: 200)")
    ap.add_argument("--tail", type=int, default=60,
                    help="lines of output shown for a failing test (default: 60)")
    ap.add_argument("--json", metavar="OUT", help="also write the results (without outputs) "
                    "to OUT")
    args = ap.parse_args()
    t_start = time.time()
    try:
        check_minor(args.python)
        check_pyopt(args.pyopt)
        if args.level not in ("safe", "aggressive"):
            raise SetupError("--level must be safe or aggressive")
        tests = ([t.strip() for t in args.tests.split(",") if t.strip()]
                 if args.tests else list(DEFAULT_TESTS))
        if not tests:
            raise SetupError("--tests is empty")
        prefix = find_prefix(pyenv_root(args.pyenv_root), args.python)
    except SetupError as e:
        print("regrtest_optimized: error: %s" % e, file=sys.stderr)
        return 2

    with temp_workdir("pyopt-regrtest-%s-" % args.python, args.tmpdir, args.keep,
                      "copy") as work:
        try:
            return run(args, prefix, tests, work, t_start)
        except SetupError as e:
            print("regrtest_optimized: error: %s" % e, file=sys.stderr)
            return 2


def run(args, prefix, tests, work, t_start):
    minor_lib = "python" + args.python
    copy = os.path.join(work, os.path.basename(prefix))
    python, libdir = copy_installation(prefix, copy, minor_lib)
    sys_prefix, json_file, full_version = probe_copy(python, copy, [], work)
    print("interpreter: %s (Python %s), sys.prefix=%s" % (python, full_version, sys_prefix))
    print("tests (%d): %s" % (len(tests), " ".join(tests)))

    runner = Runner(python, work, args.timeout)
    print("running tests on the unoptimized copy (%d in parallel) ..." % args.jobs)
    before, t_before = runner.run_all("before", tests, args.jobs)
    print("before: %.1f s" % t_before)

    status = 0
    report_path = os.path.join(work, "report.json")
    returncode, report, seconds = run_optimize(args.pyopt, args.level, args.jobs,
                                               os.path.join(copy, "lib"), report_path, tail)
    s = report.get("summary", {})
    print(optimize_summary(returncode, seconds, report, "pass changes"))
    if returncode != 0 or s.get("failed"):
        status = 1
        for f in report.get("files", []):
            if f.get("status") == "failed":
                print("  failed: %s: %s" % (f.get("path"), f.get("error")))
    changed = [f["path"] for f in report.get("files", []) if f.get("status") == "changed"]
    changed_tests = [p for p in changed
                     if os.path.relpath(p, libdir).split(os.sep)[0] == "test"]
    print("optimize: %d changed .pyc files, %d of them in the test package"
          % (len(changed), len(changed_tests)))

    # Sanity: an optimized .pyc is really what the interpreter loads.
    cands = sorted((m, p) for p in changed
                   for m in [module_of_pyc(libdir, p, exclude_top=("test", "idlelib"))] if m)
    if not cands:
        cands = [("json", os.path.join(libdir, "json", "__pycache__", "__init__.cpython-%s.pyc"
                                       % args.python.replace(".", "")))]
    sane = False
    for m, pyc in cands[:3]:
        v = subprocess.run([python, "-B", "-v", "-c", "import " + m], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, cwd=work)
        if "# code object from '%s'" % pyc in v.stderr and " matches " in v.stderr:
            print("sanity: `python -v -c 'import %s'` loads %s %s" % (
                m, pyc, "(changed by pyopt)" if pyc in changed else "(nothing was changed)"))
            sane = True
            break
        print("sanity: `import %s` did not report loading %s; -v stderr tail:\n%s"
              % (m, pyc, tail(v.stderr, 10)))
    if not sane:
        print("SANITY CHECK FAILED: the optimized .pyc files do not seem to be used")
        status = 1

    snap = snapshot(changed)
    print("running tests on the optimized copy ...")
    after, t_after = runner.run_all("after", tests, args.jobs)
    print("after: %.1f s" % t_after)
    rewritten = [p for p, v in snapshot(changed).items() if v != snap[p]]

    print()
    print("Python %s, pyopt --level %s" % (full_version, args.level))
    print()
    print("| test | before | after | before s | after s | test cases run before / after |")
    print("|---|---|---|---|---|---|")
    regressions = []
    for t in tests:
        b, a = before[t], after[t]
        mark = ""
        if b["status"] in PASSING and a["status"] not in PASSING:
            regressions.append(t)
            mark = " **REGRESSION**"
        elif b["status"] != a["status"]:
            mark = " (changed)"
        if b["tests_run"] is None and a["tests_run"] is None:
            runs = "n/a"
        else:
            runs = "%s / %s" % (b["tests_run"], a["tests_run"])
            if b["tests_run"] != a["tests_run"]:
                runs += " (differs)"
        print("| %s | %s | %s%s | %.1f | %.1f | %s |" % (t, b["status"], a["status"], mark,
                                                      b["seconds"], a["seconds"], runs))
    print()
    n_pass_b = sum(1 for t in tests if before[t]["status"] in PASSING)
    n_pass_a = sum(1 for t in tests if after[t]["status"] in PASSING)
    print("passed before: %d/%d, after: %d/%d, regressions: %d"
          % (n_pass_b, len(tests), n_pass_a, len(tests), len(regressions)))
    not_before = [t for t in tests if before[t]["status"] not in PASSING]
    for t in not_before:
        print("\n--- %s did not pass BEFORE optimization (%s); output tail ---\n%s"
              % (t, before[t]["status"], tail(before[t]["output"], 20)))
    if rewritten:
        status = 1
        print("\nREWRITTEN: %d optimized .pyc files were rewritten by CPython during the tests "
              "(rejected as stale/invalid):" % len(rewritten))
        for p in rewritten[:50]:
            print("    " + p)
    for t in regressions:
        status = 1
        print("\n=== REGRESSION %s: %s before, %s after; output tail ===\n%s"
              % (t, before[t]["status"], after[t]["status"], tail(after[t]["output"], args.tail)))
        if args.rerun_verbose:
            r = runner.run_test("after", t, extra=["-v"])
            print("\n=== %s rerun with -v on the optimized copy: %s; failure report ===\n%s"
                  % (t, r["status"], failure_report(r["output"], args.verbose_lines)))
    print("\nwall time: %.1f s (tests before %.1f s, after %.1f s)"
          % (time.time() - t_start, t_before, t_after))
    if args.json:
        strip = lambda d: {t: {k: v for k, v in r.items() if k != "output"} for t, r in d.items()}
        with open(args.json, "w") as fh:
            json.dump({"python": full_version, "level": args.level, "before": strip(before),
                       "after": strip(after), "regressions": regressions,
                       "rewritten_pycs": rewritten, "optimize_summary": s}, fh, indent=1)
            fh.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
