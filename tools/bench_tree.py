#!/usr/bin/env python3
"""Tree throughput of `pyopt optimize` with 1 and 2 jobs, measured in one run.

Copies the .pyc files of one interpreter's standard library (default: 3.11,
the largest here) to a temporary directory and times, over that copy:

  pyopt optimize --dry-run --jobs 1 / --jobs 2   with the given passes
  pyopt optimize --disable all --jobs 1 / 2     (walk + parse only)

`--dry-run` keeps every run on the same input (nothing is written), so the
runs can be repeated and compared. Reports best-of-N wall time, MB/s, the
2-job/1-job speed-up and the peak resident memory of each run.

No optimization pass has landed yet, so by default the pipeline runs the
test-only pass `test-pad-extended-args` (it rewrites nearly every code object
and re-encodes every table); the script builds pyopt with the `test-passes`
feature for that.

    python3 tools/bench_tree.py                      # 3.11, best of 3
    python3 tools/bench_tree.py --python 3.13 --repeat 5 --passes all
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time


def find_python(minor):
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    cands = sorted(glob.glob(os.path.join(root, "versions", "3.%d.*" % minor, "bin", "python")))
    if not cands:
        sys.exit("bench_tree: no CPython 3.%d under %s/versions" % (minor, root))
    return cands[-1]


def run(cmd):
    """Wall time and peak RSS (MB, via /usr/bin/time when present) of one run."""
    timer = ["/usr/bin/time", "-f", "maxrss=%M"] if os.path.exists("/usr/bin/time") else []
    t = time.perf_counter()
    out = subprocess.run(timer + cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if out.returncode not in (0, 1):
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), out.stdout, out.stderr))
    rss = None
    for line in out.stderr.splitlines():
        if line.startswith("maxrss="):
            rss = int(line[7:]) / 1024.0
    return dt, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", default="3.11")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--passes", default="test-pad-extended-args",
                    help="comma-separated passes to --enable (default: the test-only padding pass)")
    args = ap.parse_args()
    minor = int(args.python.split(".")[-1])
    python = find_python(minor)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run(["cargo", "build", "--release", "--quiet", "--features", "test-passes"],
                   cwd=repo, check=True)
    pyopt = os.path.join(repo, "target", "release", "pyopt")
    stdlib = subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], text=True).strip()
    with tempfile.TemporaryDirectory(prefix="pyopt-tree-") as tmp:
        n = 0
        size = 0
        for src in glob.glob(os.path.join(stdlib, "**", "*.pyc"), recursive=True):
            dst = os.path.join(tmp, os.path.relpath(src, stdlib))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
            n += 1
            size += os.path.getsize(dst)
        mb = size / 1e6
        print("CPython 3.%d standard library copy: %d .pyc files, %.1f MB; best of %d"
              % (minor, n, mb, args.repeat))
        configs = [
            ("passes: " + args.passes, ["--enable", args.passes]),
            ("--disable all (walk + parse)", ["--disable", "all"]),
        ]
        for label, extra in configs:
            best = {}
            for jobs in (1, 2):
                times, rss = [], None
                for _ in range(args.repeat):
                    dt, r = run([pyopt, "optimize", "--dry-run", "-q", "--jobs", str(jobs)] + extra + [tmp])
                    times.append(dt)
                    rss = r or rss
                best[jobs] = min(times)
                print("  %-34s jobs=%d %7.3f s %8.1f MB/s  peak RSS %s"
                      % (label, jobs, best[jobs], mb / best[jobs],
                         "%.0f MB" % rss if rss else "not measured"))
            print("  %-34s 2 jobs / 1 job speed-up: %.2fx" % (label, best[1] / best[2]))


if __name__ == "__main__":
    main()
