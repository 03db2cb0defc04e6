#!/usr/bin/env python3
"""Tree throughput of pyopt against CPython's own marshal, measured in one run.

For each selected CPython version, copies the .pyc files of its standard
library (the whole `lib/python3.X`, including `test/` and `site-packages`) to
a temporary directory and times, over that same copy, best of N:

  baseline   CPython's `marshal.loads` + `marshal.dumps` of every file's body,
             in one process of that interpreter, single thread (the reading
             of the files is not timed: they are read into memory first)
  roundtrip  `pyopt roundtrip --jobs 1` (decode to instructions and encode
             again, in memory, comparing bytes)
  optimize   `pyopt optimize --dry-run` at `safe` and at `aggressive`, with
             `--jobs 1` and `--jobs 2` (every pass runs, every changed code
             object is verified and encoded; `--dry-run` writes nothing, so
             every run sees the same input)
  write      `pyopt optimize` writing, each run on a fresh copy of the tree
             (the copy is not timed), with the durability mode named
             (`--fsync batch`, the default; `never`; `always`)
  floor      the changed files of that level copied in place by this
             script (read, write to a temporary file, rename; 8 I/O threads
             as pyopt's flush uses; no decoding), without a sync and with one
             `sync()` at the end: what any tool writing those files pays

With `--compare OTHER` every `optimize` row is also measured with another
pyopt binary (say, the build before a change), in the same rounds, and a
ratio row per pair says how much faster this binary is (best of each).
`--no-floor` leaves the floor rows out; `--jobs 1` only the one-job rows.

Rows are measured alternately (every row once per round, `--repeat`
rounds) and the best round is printed with the spread (slowest/fastest),
so that a load change on the machine shows instead of skewing one row.

The pyopt times are whole-command wall times (walk, read, work, summary), so
they include what the baseline leaves out. Reference rows show that part:
CPython's time to read the files, the baseline plus that reading (a user's
script end to end), and `pyopt roundtrip --marshal-only` (pyopt's marshal
layer alone: walk, read, decode and encode the object tree, instructions
copied), which bounds how fast any command that looks at every file can be. It prints MB/s, the ratio to the
baseline (how many times faster than marshal), the 2-job / 1-job speed-up,
and each run's peak resident memory (from `wait4`).

    python3 tools/bench_tree.py                          # 3.13 and 3.11, best of 3
    python3 tools/bench_tree.py --versions 3.8 --repeat 5
    python3 tools/bench_tree.py --versions 3.13 --jobs 1 --fsync batch \
        --no-floor --compare /tmp/pyopt-before     # before/after a change
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from pyopt_tools import find_interpreter, search_order

BASELINE = r"""
import marshal, sys, time
paths = [l.rstrip("\n") for l in open(sys.argv[1])]
best = best_read = None
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    bodies = []
    for p in paths:
        with open(p, "rb") as f:
            bodies.append(f.read()[16:])
    dt = time.perf_counter() - t
    best_read = dt if best_read is None else min(best_read, dt)
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    for b in bodies:
        marshal.dumps(marshal.loads(b))
    dt = time.perf_counter() - t
    best = dt if best is None else min(best, dt)
print(best, best_read)
"""


def find_python(minor):
    python = find_interpreter(minor)
    if not python:
        sys.exit("bench_tree: no CPython 3.%d found (looked at %s)" % (minor, search_order(minor)))
    return python


def timed(cmd):
    """Wall time (s) and peak RSS (MB) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage (ru_maxrss in KiB on Linux).
    _, status, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t
    out = proc.stdout.read().decode(errors="replace")
    err = proc.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8
    if code not in (0, 1):
        sys.exit("failed (exit %s): %s\n%s%s" % (code, " ".join(cmd), out, err))
    return dt, usage.ru_maxrss / 1024.0


def copy_tree(src, dst):
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)


def changed_files(orig, new):
    """Relative paths of the files whose bytes differ between two trees."""
    out = []
    for d, _, files in os.walk(new):
        for f in files:
            p = os.path.join(d, f)
            rel = os.path.relpath(p, new)
            with open(p, "rb") as a, open(os.path.join(orig, rel), "rb") as b:
                if a.read() != b.read():
                    out.append(rel)
    return sorted(out)


def copy_in_place(root, rels, sync):
    """The floor: read each file and replace it by a copy of itself (new
    file, rename), from 8 threads; then optionally one sync(). Seconds."""
    def one(rel):
        p = os.path.join(root, rel)
        with open(p, "rb") as f:
            data = f.read()
        tmp = p + ".floor-tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, p)
    t = time.perf_counter()
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(one, rels))
    if sync:
        os.sync()
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--versions", default="3.13,3.11", help="comma-separated minor versions")
    ap.add_argument("--repeat", type=int, default=3, help="best of N (default 3)")
    ap.add_argument("--fsync", default="batch,never,always",
                    help="durability modes of the write rows (default: batch,never,always)")
    ap.add_argument("--pyopt", help="pyopt binary (default: target/release/pyopt, built if needed)")
    ap.add_argument("--compare", "--before", metavar="OTHER",
                    help="also measure every optimize row with this pyopt binary, in the same rounds")
    ap.add_argument("--jobs", default="1,2", help="job counts of the optimize rows (default: 1,2)")
    ap.add_argument("--no-floor", action="store_true", help="leave out the floor rows")
    args = ap.parse_args()
    job_counts = [int(j) for j in args.jobs.split(",")]
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    pyopt = args.pyopt
    if not pyopt:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=repo, check=True)
        pyopt = os.path.join(repo, "target", "release", "pyopt")
    print("| version | what | seconds | MB/s | vs marshal | peak RSS | spread |")
    print("|---|---|---|---|---|---|---|")
    for v in args.versions.split(","):
        minor = int(v.split(".")[-1])
        python = find_python(minor)
        stdlib = subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], text=True).strip()
        with tempfile.TemporaryDirectory(prefix="pyopt-tree-") as tmp:
            tree = os.path.join(tmp, "lib")
            paths = []
            size = 0
            for src in glob.glob(os.path.join(stdlib, "**", "*.pyc"), recursive=True):
                dst = os.path.join(tree, os.path.relpath(src, stdlib))
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(src, dst)
                paths.append(dst)
                size += os.path.getsize(dst)
            mb = size / 1e6
            listing = os.path.join(tmp, "files.txt")
            with open(listing, "w") as f:
                f.write("\n".join(paths) + "\n")
            base, read = map(float, subprocess.check_output(
                [python, "-c", BASELINE, listing, str(args.repeat)], text=True).split())
            label = "3.%d (%d files, %.1f MB)" % (minor, len(paths), mb)
            print("| %s | CPython marshal loads+dumps, 1 thread | %.3f | %.0f | 1.00x | - | - |"
                  % (label, base, mb / base))
            # For reference: what the baseline leaves out, and the same
            # work as a script a user would write (read, then loads+dumps).
            print("| %s | (reference) CPython reading the files, 1 thread | %.3f | %.0f | %.2fx | - | - |"
                  % (label, read, mb / read, base / read))
            print("| %s | (reference) CPython read + loads+dumps, 1 thread | %.3f | %.0f | %.2fx | - | - |"
                  % (label, read + base, mb / (read + base), base / (read + base)))
            rows = [("(reference) pyopt roundtrip --marshal-only --jobs 1",
                     [pyopt, "roundtrip", "--marshal-only", "--jobs", "1", tree], False),
                    ("pyopt roundtrip --jobs 1", [pyopt, "roundtrip", "--jobs", "1", tree], False)]
            binaries = [("pyopt", pyopt)] + ([("(compare) pyopt", args.compare)] if args.compare else [])
            pairs = []  # (this row, the compared binary's row)
            for level in ("safe", "aggressive"):
                for jobs in job_counts:
                    for who, binary in binaries:
                        rows.append(("%s optimize --level %s --jobs %d --dry-run" % (who, level, jobs),
                                     [binary, "optimize", "--dry-run", "-q", "--level", level,
                                      "--jobs", str(jobs), tree], False))
                    if args.compare:
                        pairs.append((rows[-2][0], rows[-1][0]))
            work = os.path.join(tmp, "work")
            for level, jobs, fsync in [("safe", 1, "batch"), ("safe", 1, "never"),
                                       ("safe", 1, "always"), ("safe", 2, "batch"),
                                       ("aggressive", 1, "batch"), ("aggressive", 2, "batch")]:
                if fsync in args.fsync.split(",") and jobs in job_counts:
                    for who, binary in binaries:
                        rows.append(("%s optimize --level %s --jobs %d --fsync %s (write)"
                                     % (who, level, jobs, fsync),
                                     [binary, "optimize", "-q", "--level", level, "--jobs", str(jobs),
                                      "--fsync", fsync, work], True))
                    if args.compare:
                        pairs.append((rows[-2][0], rows[-1][0]))
            # The files each level changes, for the floor rows.
            changed = {}
            for level in () if args.no_floor else ("safe", "aggressive"):
                copy_tree(tree, work)
                subprocess.run([pyopt, "optimize", "-q", "--fsync", "never", "--level", level, work],
                               check=True, stdout=subprocess.DEVNULL)
                changed[level] = changed_files(tree, work)
            times = {}
            rss = {}
            for _ in range(args.repeat):
                for name, cmd, fresh in rows:
                    if fresh:
                        copy_tree(tree, work)
                    dt, r = timed(cmd)
                    times.setdefault(name, []).append(dt)
                    rss[name] = max(rss.get(name, 0), r)
                for level in changed:
                    for sync in (False, True):
                        name = "floor: copy the %d files %s changes in place%s" % (
                            len(changed[level]), level, " + one sync()" if sync else "")
                        copy_tree(tree, work)
                        times.setdefault(name, []).append(copy_in_place(work, changed[level], sync))
            for name, ts in times.items():
                dt = min(ts)
                print("| %s | %s | %.3f | %.0f | %.2fx | %s | %.2f |"
                      % (label, name, dt, mb / dt, base / dt,
                         "%.0f MB" % rss[name] if name in rss else "-", max(ts) / dt))
            shutil.rmtree(work, ignore_errors=True)
            for what in ("--dry-run", "--fsync batch (write)"):
                for level in ("safe", "aggressive"):
                    one = times.get("pyopt optimize --level %s --jobs 1 %s" % (level, what))
                    two = times.get("pyopt optimize --level %s --jobs 2 %s" % (level, what))
                    if one and two:
                        print("| %s | optimize %s %s: 2 jobs / 1 job | | | %.2fx speed-up | | |"
                              % (label, level, what, min(one) / min(two)))
            for this, other in pairs:
                print("| %s | %s: compare / this | | | %.2fx speed-up | | |"
                      % (label, this[len("pyopt "):], min(times[other]) / min(times[this])))
            print("| %s | load average (1 min) at the end | | | %.1f | | |" % (label, os.getloadavg()[0]))

if __name__ == "__main__":
    main()
