#!/usr/bin/env python3
"""Throughput of `pyopt roundtrip` against CPython's own marshal, in one run.

Copies the .pyc files of one interpreter's standard library to a temporary
directory, then measures over exactly those files:

  baseline  CPython's `marshal.dumps(marshal.loads(body))` for every file,
            run by that interpreter on bytes already in memory (best of N);
  marshal   `pyopt roundtrip --jobs 1 --marshal-only`: the same, stopping at
            the marshal object tree (the work CPython's marshal does);
  pyopt     `pyopt roundtrip --jobs 1` on the copy: header, exact marshal
            decode, every code object decoded to the instruction IR and
            encoded again (co_code, line table, exception table, stack size),
            marshal encode and a byte comparison. pyopt reports the time it
            spends decoding+encoding (files already read) and its wall time
            (including reading the files); best of N for each.

It prints MB/s for each and the ratios. Usage:

    python3 tools/bench_roundtrip.py                 # CPython 3.13, 3 repetitions
    python3 tools/bench_roundtrip.py --python 3.8 --repeat 5
    python3 tools/bench_roundtrip.py --pyopt target/release/pyopt

Ratios, not absolute times, are what to compare across machines.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

from pyopt_tools import find_interpreter, search_order


def find_python(minor):
    python = find_interpreter(minor)
    if not python:
        sys.exit("bench_roundtrip: no CPython 3.%d found (looked at %s)" % (minor, search_order(minor)))
    return python


BASELINE = r"""
import marshal, sys, time
paths = sys.stdin.read().split("\n")
datas = [open(p, "rb").read()[16:] for p in paths if p]
best = None
for _ in range(int(sys.argv[1])):
    t = time.perf_counter()
    for d in datas:
        marshal.dumps(marshal.loads(d))
    dt = time.perf_counter() - t
    best = dt if best is None else min(best, dt)
print(best)
"""


def measure(pyopt, tree, repeat, extra):
    """Best (decode+encode time, wall time) of `repeat` single-thread runs."""
    codec_best = wall_best = None
    for _ in range(repeat):
        out = subprocess.run(
            [pyopt, "roundtrip", "--jobs", "1"] + extra + [tree], capture_output=True, text=True
        )
        if out.returncode != 0:
            sys.exit("pyopt roundtrip failed:\n" + out.stdout + out.stderr)
        m = re.search(r"in ([0-9.]+)s wall; decode\+encode ([0-9.]+)s", out.stdout)
        if not m:
            sys.exit("cannot parse pyopt output:\n" + out.stdout)
        wall, codec = float(m.group(1)), float(m.group(2))
        codec_best = codec if codec_best is None else min(codec_best, codec)
        wall_best = wall if wall_best is None else min(wall_best, wall)
    return codec_best, wall_best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", default="3.13", help="CPython minor version (3.8 ... 3.13)")
    ap.add_argument("--pyopt", default=None, help="pyopt binary (default: build target/release/pyopt)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    minor = int(args.python.split(".")[-1])
    python = find_python(minor)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    pyopt = args.pyopt
    if pyopt is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=repo, check=True)
        pyopt = os.path.join(repo, "target", "release", "pyopt")
    stdlib = subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], text=True
    ).strip()
    with tempfile.TemporaryDirectory(prefix="pyopt-bench-") as tmp:
        files = []
        for src in glob.glob(os.path.join(stdlib, "**", "*.pyc"), recursive=True):
            dst = os.path.join(tmp, os.path.relpath(src, stdlib))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
            files.append(dst)
        total = sum(os.path.getsize(f) for f in files)
        mb = total / 1e6
        base = float(
            subprocess.run(
                [python, "-c", BASELINE, str(args.repeat)],
                input="\n".join(files), capture_output=True, text=True, check=True,
            ).stdout
        )
        codec_best, wall_best = measure(pyopt, tmp, args.repeat, [])
        marshal_best, _ = measure(pyopt, tmp, args.repeat, ["--marshal-only"])
    print("CPython 3.%d standard library: %d .pyc files, %.1f MB, single thread, best of %d"
          % (minor, len(files), mb, args.repeat))
    print("%-52s %8.3f s %9.1f MB/s" % ("CPython marshal.loads + marshal.dumps (in memory)", base, mb / base))
    print("%-52s %8.3f s %9.1f MB/s   ratio %.2fx"
          % ("pyopt roundtrip --marshal-only (object tree only)", marshal_best, mb / marshal_best,
             base / marshal_best))
    print("%-52s %8.3f s %9.1f MB/s   ratio %.2fx"
          % ("pyopt roundtrip, decode+encode (in memory)", codec_best, mb / codec_best, base / codec_best))
    print("%-52s %8.3f s %9.1f MB/s   ratio %.2fx"
          % ("pyopt roundtrip, whole command incl. file reads", wall_best, mb / wall_best, base / wall_best))


if __name__ == "__main__":
    main()
