#!/usr/bin/env python3
"""Per-version, per-level statistics of pyopt on the standard library.

What it measures
----------------
For every selected CPython version (default: the newest installed patch
release of each of 3.8 ... 3.15 under ``$PYENV_ROOT/versions``, and for
3.14 and 3.15 (``PYODIDE_MINORS``) without one there: pyodide's, once
``tools/pyodide/setup.sh 3.X`` ran, whose "standard library" is the
``stdlib/`` part of the corpus ``tools/pyodide/make_corpus.sh 3.X`` builds,
its sources compiled at -o 0/1/2) and every selected level (default ``safe,aggressive``) it

1. copies ``<prefix>/lib/python3.X`` of that installation to a fresh
   temporary directory (``shutil.copytree`` with ``copy2``, so the source
   mtimes recorded in the .pyc headers stay valid; the installation itself
   is never written to; ``--stdlib-only`` leaves out ``site-packages``,
   which otherwise counts whatever third-party packages are installed);
2. runs ``pyopt optimize --level L --report r.json -q --jobs N <copy>``;
3. optionally (``--verify``) runs ``pyopt verify --jobs N <copy>`` on the
   optimized copy and records its exit status and its last output line;
4. reads the JSON report and sums, over all files: files, files changed,
   code objects, code objects changed, instructions before/after (only if
   every file of the report carries ``instructions_before`` /
   ``instructions_after``; otherwise "n/a"), bytes before/after, rejected
   code objects (verifier rejections, ``summary.rejected_code_objects``)
   and failed files, and per pass the ``changes`` counts.

It prints two Markdown tables: one row per (version, level) with the
totals, and one row per (version, level) with the per-pass ``changes``
(one column per pass name seen in any report; "-" when the pass did not
run for that version/level).  ``--json OUT`` also writes everything that
was collected (including pyopt's own summary and the per-pass runs and
seconds) to OUT.

Exit status: 0 when every pyopt run finished with exit 0 (and, with
``--verify``, every verify exited 0); 1 when some run reported failed files
(exit 2), exited abnormally, or a verify failed; 2 on usage or setup errors
(pyopt binary missing, no CPython found, ...).

Examples::

    python3 tools/pass_stats.py
    python3 tools/pass_stats.py --versions 3.8,3.13 --levels safe --verify
    python3 tools/pass_stats.py --versions 3.15 --verify --stdlib-only
    python3 tools/pass_stats.py --json /tmp/stats.json --keep
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

from pyopt_tools import (DEFAULT_PYOPT, MINORS, PYODIDE_MINORS, SetupError, check_pyopt,
                         pyenv_root, pyodide_corpus, pyodide_ready, temp_workdir)

ALL_MINORS = ["3.%d" % m for m in MINORS]
# The "prefix" of pyodide's 3.X (X in PYODIDE_MINORS), whose standard library
# is the stdlib/ part of the tools/py3X corpus (its sources compiled at
# -o 0/1/2).
PYODIDE = {"3.%d" % m: "pyodide (tools/py3%d)" % m for m in PYODIDE_MINORS}


def installed_versions(root):
    """Map '3.X' -> prefix of the newest installed 3.X.Y (plain releases only)."""
    if not root:
        raise SetupError("no pyenv root: set PYENV_ROOT (or HOME), or pass --pyenv-root")
    vdir = os.path.join(root, "versions")
    if not os.path.isdir(vdir):
        raise SetupError("no pyenv versions directory at %s (use --pyenv-root)" % vdir)
    best = {}
    for name in os.listdir(vdir):
        m = re.match(r"^3\.(\d+)\.(\d+)$", name)
        if not m:
            continue
        minor = "3.%s" % m.group(1)
        key = (int(m.group(1)), int(m.group(2)))
        if minor in ALL_MINORS and (minor not in best or key > best[minor][0]):
            best[minor] = (key, os.path.join(vdir, name))
    found = {k: v[1] for k, v in best.items()}
    for minor in PYODIDE_MINORS:
        version = "3.%d" % minor
        if version not in found and pyodide_ready(minor):
            found[version] = PYODIDE[version]
    return found


def fmt_int(n):
    return "n/a" if n is None else "{:,}".format(n)


def fmt_change(before, after):
    if before is None or after is None:
        return "n/a"
    if before == 0:
        return "%s → %s" % (fmt_int(before), fmt_int(after))
    return "%s → %s (%+.3f%%)" % (fmt_int(before), fmt_int(after),
                                   100.0 * (after - before) / before)


def summarize(report):
    files = report.get("files", [])
    summary = report.get("summary", {})
    row = {
        "files": summary.get("files", len(files)),
        "changed": summary.get("changed",
                               sum(1 for f in files if f.get("status") == "changed")),
        "failed": summary.get("failed",
                              sum(1 for f in files if f.get("status") == "failed")),
        "code_objects": sum(f.get("code_objects") or 0 for f in files),
        "changed_code_objects": sum(f.get("changed_code_objects") or 0 for f in files),
        "bytes_before": summary.get("bytes_before",
                                    sum(f.get("bytes_before") or 0 for f in files)),
        "bytes_after": summary.get("bytes_after",
                                   sum(f.get("bytes_after") or 0 for f in files)),
    }
    if "rejected_code_objects" in summary:
        row["rejected"] = summary["rejected_code_objects"]
    else:
        row["rejected"] = sum(len(f.get("rejected") or []) for f in files)
    # Instruction counts: only meaningful when every (non-failed) file has them.
    ok_files = [f for f in files if f.get("status") != "failed"]
    if ok_files and all(isinstance(f.get("instructions_before"), int) and
                        isinstance(f.get("instructions_after"), int)
                        for f in ok_files):
        row["instructions_before"] = sum(f["instructions_before"] for f in ok_files)
        row["instructions_after"] = sum(f["instructions_after"] for f in ok_files)
    else:
        row["instructions_before"] = row["instructions_after"] = None
    row["passes"] = {name: dict(v) for name, v in report.get("passes", {}).items()}
    row["passes_enabled"] = report.get("passes_enabled")
    row["failed_files"] = [{"path": f.get("path"), "error": f.get("error")}
                           for f in files if f.get("status") == "failed"]
    row["summary"] = summary
    return row


def run_one(args, version, prefix, level, workdir):
    minor_lib = "python" + version
    if prefix == PYODIDE.get(version):
        src = os.path.join(pyodide_corpus(int(version.split(".")[1])), "stdlib")
    else:
        src = os.path.join(prefix, "lib", minor_lib)
    if not os.path.isdir(src):
        raise SetupError("%s has no lib/%s" % (prefix, minor_lib))
    copy = os.path.join(workdir, "%s-%s" % (version, level), minor_lib)
    t0 = time.time()
    ignore = None
    if args.stdlib_only:
        def ignore(d, names):
            return ["site-packages"] if os.path.abspath(d) == os.path.abspath(src) else []
    shutil.copytree(src, copy, symlinks=True, ignore=ignore)
    t_copy = time.time() - t0
    report_path = os.path.join(workdir, "report-%s-%s.json" % (version, level))
    cmd = [args.pyopt, "optimize", "--level", level, "--report", report_path,
           "-q", "--jobs", str(args.jobs), copy]
    t0 = time.time()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    t_opt = time.time() - t0
    result = {"version": version, "level": level, "prefix": prefix, "copy": copy,
              "command": cmd, "exit": proc.returncode, "seconds_copy": t_copy,
              "seconds_optimize": t_opt, "output": proc.stdout[-4000:]}
    if proc.returncode not in (0, 2) or not os.path.exists(report_path):
        result["error"] = "pyopt optimize exited %d:\n%s" % (proc.returncode,
                                                              proc.stdout[-2000:])
        return result
    with open(report_path) as fh:
        result.update(summarize(json.load(fh)))
    if args.verify:
        vcmd = [args.pyopt, "verify", "--jobs", str(args.jobs), copy]
        t0 = time.time()
        vproc = subprocess.run(vcmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True)
        lines = vproc.stdout.strip().splitlines()
        result["verify"] = {"command": vcmd, "exit": vproc.returncode,
                            "seconds": time.time() - t0,
                            "last_line": lines[-1] if lines else "",
                            "output_tail": "\n".join(lines[-30:])}
    if not args.keep:
        shutil.rmtree(os.path.dirname(copy), ignore_errors=True)
    return result


def print_tables(results, verify):
    ok = [r for r in results if "error" not in r]
    head = ["version", "level", "files", "files changed", "code objects",
            "code objects changed", "instructions before → after",
            "bytes before → after", "rejected", "failed files", "pyopt s"]
    if verify:
        head.append("verify")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in results:
        if "error" in r:
            cells = [r["version"], r["level"], "ERROR: pyopt exit %d" % r["exit"]]
            cells += [""] * (len(head) - len(cells))
        else:
            cells = [r["version"], r["level"], fmt_int(r["files"]), fmt_int(r["changed"]),
                     fmt_int(r["code_objects"]), fmt_int(r["changed_code_objects"]),
                     fmt_change(r["instructions_before"], r["instructions_after"]),
                     fmt_change(r["bytes_before"], r["bytes_after"]),
                     fmt_int(r["rejected"]), fmt_int(r["failed"]),
                     "%.2f" % r["seconds_optimize"]]
            if verify:
                v = r.get("verify")
                cells.append("exit %d" % v["exit"] if v else "n/a")
        print("| " + " | ".join(cells) + " |")
    print()
    names = []
    for r in ok:
        for n in r["passes"]:
            if n not in names:
                names.append(n)
    names.sort()
    if not names:
        print("(no pass ran in any report)")
        return
    head = ["version", "level"] + names
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in ok:
        cells = [r["version"], r["level"]]
        for n in names:
            p = r["passes"].get(n)
            cells.append(fmt_int(p.get("changes")) if p else "-")
        print("| " + " | ".join(cells) + " |")


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module docstring (top of this file) for details.")
    ap.add_argument("--versions", help="comma-separated minor versions, e.g. 3.8,3.13 "
                    "(default: every installed %s-%s)" % (ALL_MINORS[0], ALL_MINORS[-1]))
    ap.add_argument("--levels", default="safe,aggressive",
                    help="comma-separated levels (default: safe,aggressive)")
    ap.add_argument("--pyopt", default=DEFAULT_PYOPT,
                    help="pyopt binary (default: %(default)s)")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                    help="--jobs passed to pyopt (default: %(default)s)")
    ap.add_argument("--pyenv-root", help="default: $PYENV_ROOT, else ~/.pyenv")
    ap.add_argument("--tmpdir", help="where to create the temporary copies")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary copies and reports (path is printed)")
    ap.add_argument("--json", metavar="OUT", help="also write the collected numbers to OUT")
    ap.add_argument("--stdlib-only", action="store_true",
                    help="do not copy lib/python3.X/site-packages (third-party packages "
                    "installed there would otherwise be counted too)")
    ap.add_argument("--verify", action="store_true",
                    help="run `pyopt verify` on each optimized copy and report its exit status")
    args = ap.parse_args()

    try:
        check_pyopt(args.pyopt)
        installed = installed_versions(pyenv_root(args.pyenv_root))
        if args.versions:
            wanted = [v.strip() for v in args.versions.split(",") if v.strip()]
            missing = [v for v in wanted if v not in installed]
            if missing:
                raise SetupError("not installed: %s (installed: %s)"
                                 % (", ".join(missing),
                                    ", ".join(v for v in ALL_MINORS if v in installed)))
        else:
            wanted = [v for v in ALL_MINORS if v in installed]
            if not wanted:
                raise SetupError("no CPython %s-%s installed" % (ALL_MINORS[0], ALL_MINORS[-1]))
        levels = [l.strip() for l in args.levels.split(",") if l.strip()]
        if not levels:
            raise SetupError("--levels is empty")
    except SetupError as e:
        print("pass_stats: error: %s" % e, file=sys.stderr)
        return 2

    results = []
    with temp_workdir("pyopt-pass-stats-", args.tmpdir, args.keep, "directory") as workdir:
        t_start = time.time()
        for v in wanted:
            for level in levels:
                print("… %s %s (%s)" % (v, level, installed[v]), file=sys.stderr)
                try:
                    results.append(run_one(args, v, installed[v], level, workdir))
                except SetupError as e:
                    print("pass_stats: error: %s" % e, file=sys.stderr)
                    return 2

    print_tables(results, args.verify)
    print()
    print("wall time: %.1f s" % (time.time() - t_start))

    status = 0
    for r in results:
        tag = "%s %s" % (r["version"], r["level"])
        if "error" in r:
            print("FAILED %s: %s" % (tag, r["error"]), file=sys.stderr)
            status = 1
            continue
        walk_errors = r["summary"].get("walk_errors") or 0
        if walk_errors:
            status = 1
            print("%s: %d walk error(s) (unreadable directories?)" % (tag, walk_errors),
                  file=sys.stderr)
        if r["exit"] != 0 or r["failed"]:
            status = 1
            print("%s: pyopt exited %d, %d failed file(s):" % (tag, r["exit"], r["failed"]),
                  file=sys.stderr)
            for f in r["failed_files"][:20]:
                print("  %s: %s" % (f["path"], f["error"]), file=sys.stderr)
        v = r.get("verify")
        if v is not None and v["exit"] != 0:
            status = 1
            print("%s: pyopt verify exited %d:\n%s" % (tag, v["exit"], v["output_tail"]),
                  file=sys.stderr)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"results": results}, fh, indent=1, sort_keys=True)
            fh.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
