"""The translation validator over whole standard libraries.

    python3 tools/validate_stdlib.py [--versions 3.8,...] [--levels safe,aggressive]
    python3 tools/validate_stdlib.py --cost [--versions 3.11,3.13] [--levels safe,aggressive] [--rounds 3] [--jobs 1]

Default mode: for each version's standard library (3.8-3.13: the installed
CPython's, site-packages included; 3.14/3.15: the pyodide corpus) and each
level, runs ``pyopt optimize --dry-run --validate`` and prints how many
changed code objects were not shown equivalent, grouped by the kind of
first disagreement.  Nothing is written.

``--cost``: runs ``optimize --dry-run`` without and with ``--validate``
alternately, ``--rounds`` times each, at each level, and prints the wall
and CPU times (user + system, of the child) and the ratio of medians (the
noise is the spread of each side's runs, and the lowest and highest ratio of
one round's pair; CPU time is the steadier on a loaded machine).  Standard
library only.
"""
import argparse
import collections
import os
import re
import resource
import statistics
import subprocess
import sys
import time

import pyopt_tools as pt


def tree(minor):
    if minor >= 14:
        return pt.pyodide_corpus(minor)
    python = pt.find_interpreter(minor)
    if python is None:
        return None
    out = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                         stdout=subprocess.PIPE, universal_newlines=True, check=True)
    return out.stdout.strip()


def run(pyopt, level, path, validate, jobs):
    cmd = [pyopt, "optimize", "--dry-run", "--level", level, "-j", str(jobs), path]
    if validate:
        cmd[3:3] = ["--validate", "-v"]
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - t, proc, cpu


def summary_line(stdout):
    lines = [l for l in stdout.splitlines() if " files: " in l]
    return lines[-1] if lines else "?"


def kind(line):
    why = re.sub(r".*not shown equivalent \([^)]*\): ", "", line)
    return re.sub(r" at \d+.*", "", why)[:80]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--versions", default=",".join("3.%d" % m for m in pt.MINORS))
    ap.add_argument("--levels", default="safe,aggressive")
    ap.add_argument("--pyopt", default=pt.DEFAULT_PYOPT)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cost", action="store_true")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    try:
        pt.check_pyopt(args.pyopt)
    except pt.SetupError as e:
        print(e, file=sys.stderr)
        return 2
    for v in args.versions.split(","):
        minor = int(v.split(".")[1])
        path = tree(minor)
        if path is None:
            print("skipping %s: interpreter not found" % v)
            continue
        if args.cost:
            for level in args.levels.split(","):
                times = {False: [], True: []}
                cpus = {False: [], True: []}
                for _ in range(args.rounds):
                    for validate in (False, True):
                        wall, _, cpu = run(args.pyopt, level, path, validate, args.jobs)
                        times[validate].append(wall)
                        cpus[validate].append(cpu)
                for what, t in (("wall", times), ("cpu", cpus)):
                    a, b = statistics.median(t[False]), statistics.median(t[True])
                    pairs = [y / x for x, y in zip(t[False], t[True])]
                    print("%s %s cost (%s): without %s s, with --validate %s s; ratio of medians"
                          " %.2f (rounds %.2f-%.2f)"
                          % (v, level, what, " ".join("%.2f" % x for x in t[False]),
                             " ".join("%.2f" % x for x in t[True]), b / a,
                             min(pairs), max(pairs)))
            continue
        for level in args.levels.split(","):
            _, proc, _ = run(args.pyopt, level, path, True, args.jobs)
            rejected = [l for l in proc.stderr.splitlines() if "not shown equivalent" in l]
            validated = [l.split()[1] for l in proc.stdout.splitlines()
                         if l.strip().startswith("(validate)")]
            print("%s %s: %s" % (v, level, summary_line(proc.stdout)))
            print("%s %s: %s changed code objects validated, %d not shown equivalent"
                  % (v, level, validated[0] if validated else "0", len(rejected)))
            for k, n in collections.Counter(kind(l) for l in rejected).most_common():
                print("    %5d  %s" % (n, k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
