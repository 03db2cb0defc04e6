#!/usr/bin/env python3
"""Import every standard-library module before and after pyopt optimizes it.

What it measures
----------------
Whether ``pyopt optimize`` breaks the import (module-level execution) of
any standard-library module, using the optimized .pyc files for real.

How
---
1. Copies the whole installation prefix ``$PYENV_ROOT/versions/3.X.Y``
   (newest installed 3.X.Y) to a temporary directory with
   ``shutil.copytree`` (``copy2``: source mtimes are preserved, so the
   timestamp-based .pyc files stay valid), leaving out
   ``lib/python3.X/site-packages`` (third-party code, not imported here).
   Checks that the copied interpreter really uses the copy
   (``sys.prefix`` and ``json.__file__``).  The installation is never
   written to.
2. Lists the stdlib modules by walking ``lib/python3.X``: top-level ``*.py``
   modules, packages (directories with ``__init__.py``) and, recursively,
   their submodules and subpackages.  Skipped (and counted as skipped):

   * the top-level packages/modules ``test``, ``idlelib``, ``tkinter``,
     ``turtledemo`` (test suites / GUI) and ``antigravity`` (opens a web
     browser on import);
   * every subpackage called ``test`` or ``tests`` and everything under it
     (``lib2to3.tests``, ``ctypes.test``, ``unittest.test``,
     ``distutils.tests``, ...);
   * every module called ``__main__`` (``json.__main__``,
     ``venv.__main__``, ...: importing them runs a command-line tool);
   * top-level dunder names (``__phello__``, ``__hello__``, ...: frozen-module
     test fixtures; ``__future__`` is kept);
   * ``site-packages``, ``lib-dynload`` (extension modules only: pyopt does
     not touch them) and every directory that is not a package or whose name
     is not an identifier (``config-3.X-...``, ``__pycache__``, ...).
3. Imports each listed module with the copied interpreter, flags
   ``-I -S -B`` (isolated, no ``site`` processing of third-party ``.pth``
   files, never write bytecode) and, on 3.11+, ``-X frozen_modules=off``
   unless ``--frozen-modules on`` (otherwise ``os``, ``codecs``, ``io``,
   ``site``, ... would come from the frozen copies in the binary and their
   .pyc would never be exercised).  Modules are imported in chunks of
   ``--chunk`` (20) per subprocess, each in ``try/except``, in parallel
   (``--jobs``); a chunk that crashes or times out, and every module that
   failed inside a chunk, is retried alone in a fresh subprocess
   (``--timeout`` seconds, default 20).  The child hooks
   ``SourceLoader.source_to_code`` to record every module that was compiled
   from source instead of being loaded from its .pyc.  The modules that
   import cleanly are "clean before".
4. Runs ``pyopt optimize --level L --report ... -q`` on the copy's
   ``lib/python3.X``.
5. Sanity check that the optimized .pyc files are really loaded: runs
   ``python -v -c 'import M'`` for a module M whose .pyc pyopt changed (or
   ``json`` if none changed) and requires the stderr lines ``# <pyc> matches
   <py>`` and ``# code object from '<pyc>'``.
6. Imports the clean modules again from the optimized copy, the same way.
   A module that was clean before but fails now (also when retried alone)
   is a regression; a module compiled from source after optimization whose
   .pyc was used before means the interpreter rejected pyopt's output,
   which is also reported as a failure.

Exit status: 0 when there is no regression; 1 when some module imports
before but not after optimization (its stderr tail is printed), the sanity
check fails, an optimized .pyc is rejected, or pyopt reports failed files;
2 on setup errors.

Example::

    python3 tools/import_check.py --python 3.13 --level safe
"""
import argparse
import ast
import concurrent.futures
import os
import re
import subprocess
import sys
import time

from pyopt_tools import (DEFAULT_PYOPT, SetupError, check_minor, check_pyopt, child_env,
                         copy_installation, find_prefix, module_of_pyc, optimize_summary,
                         probe_copy, pyenv_root, run_optimize, tail_nonblank, temp_workdir)

MARK = "@@pyopt-import-check@@ "

SKIP_TOP = {"test", "idlelib", "tkinter", "turtledemo", "antigravity"}
SKIP_SUBPACKAGES = {"test", "tests"}

# Runs inside the copied interpreter: import every module named in argv and
# print one status line per module (a dict literal after MARK) on a private
# duplicate of fd 1.  It uses only built-in modules (posix, sys,
# _frozen_importlib_external) and __import__, so that a broken stdlib module
# breaks only the imports that need it, not the harness; the traceback module
# is tried only after a failure.
CHILD = r"""
import sys
try:
    import posix as _os
except ImportError:
    import nt as _os
_fd = _os.dup(1)
def _emit(rec):
    data = (%(mark)r + repr(rec) + "\n").encode("utf-8", "backslashreplace")
    while data:
        data = data[_os.write(_fd, data):]
import _frozen_importlib_external as _be
_recompiled = []
_orig = _be.SourceLoader.source_to_code
def _hook(self, data, path, *args, **kwargs):
    _recompiled.append(str(path))
    return _orig(self, data, path, *args, **kwargs)
_be.SourceLoader.source_to_code = _hook
def _format(e):
    try:
        import traceback
        return traceback.format_exc()
    except BaseException:
        lines = ["Traceback (most recent call last):"]
        tb = e.__traceback__
        while tb is not None:
            co = tb.tb_frame.f_code
            lines.append('  File "%%s", line %%s, in %%s' %% (co.co_filename, tb.tb_lineno, co.co_name))
            tb = tb.tb_next
        lines.append("%%s: %%s" %% (type(e).__name__, e))
        return "\n".join(lines)
_emit({"module": None, "recompiled": list(_recompiled)})
for _name in sys.argv[1:]:
    _n0 = len(_recompiled)
    _rec = {"module": _name}
    try:
        __import__(_name)
        _rec["status"] = "ok"
        _m = sys.modules.get(_name)
        _spec = getattr(_m, "__spec__", None)
        _ld = getattr(_spec, "loader", None)
        _rec["loader"] = (_ld if isinstance(_ld, type) else type(_ld)).__name__
    except BaseException as _e:
        _rec["status"] = "fail"
        _rec["error"] = _format(_e)[-4000:]
    _rec["recompiled"] = _recompiled[_n0:]
    _emit(_rec)
_emit({"module": None, "done": True})
try:
    sys.stdout.flush()
    sys.stderr.flush()
except BaseException:
    pass
_os._exit(0)
""" % {"mark": MARK}


def list_modules(libdir):
    """Return (modules, skipped) for the stdlib directory libdir."""
    modules, skipped = [], []

    def walk_package(pkgdir, pkgname):
        modules.append(pkgname)
        for entry in sorted(os.listdir(pkgdir)):
            path = os.path.join(pkgdir, entry)
            if entry.endswith(".py") and os.path.isfile(path):
                name = entry[:-3]
                if name == "__init__" or not name.isidentifier():
                    continue
                if name == "__main__":
                    skipped.append(pkgname + "." + name)
                    continue
                modules.append(pkgname + "." + name)
            elif (os.path.isdir(path) and entry.isidentifier()
                  and os.path.isfile(os.path.join(path, "__init__.py"))):
                if entry in SKIP_SUBPACKAGES:
                    skipped.append(pkgname + "." + entry + " (and submodules)")
                    continue
                walk_package(path, pkgname + "." + entry)

    for entry in sorted(os.listdir(libdir)):
        path = os.path.join(libdir, entry)
        if entry.endswith(".py") and os.path.isfile(path):
            name, is_pkg = entry[:-3], False
        elif os.path.isdir(path) and os.path.isfile(os.path.join(path, "__init__.py")):
            name, is_pkg = entry, True
        else:
            continue
        if not name.isidentifier():
            continue
        if name in SKIP_TOP or (name.startswith("__") and name.endswith("__")
                                and name != "__future__"):
            skipped.append(name + (" (and submodules)" if is_pkg else ""))
            continue
        if is_pkg:
            walk_package(path, name)
        else:
            modules.append(name)
    return modules, skipped


class Importer:
    def __init__(self, python, flags, timeout, cwd):
        self.python = python
        self.flags = flags
        self.timeout = timeout
        self.cwd = cwd
        self.env = child_env()

    def run(self, names, timeout):
        """Import names in one subprocess. Returns (records, startup, complete, stderr)."""
        cmd = [self.python] + self.flags + ["-c", CHILD] + list(names)
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=self.cwd, env=self.env,
                                  timeout=timeout)
            out, err, rc = proc.stdout, proc.stderr, proc.returncode
            timed_out = False
        except subprocess.TimeoutExpired as e:
            out, err, rc, timed_out = e.stdout or b"", e.stderr or b"", None, True
        out = out.decode("utf-8", "replace")
        err = err.decode("utf-8", "replace")
        records, startup, done = {}, None, False
        for line in out.splitlines():
            idx = line.find(MARK)
            if idx < 0:
                continue
            try:
                rec = ast.literal_eval(line[idx + len(MARK):])
            except (ValueError, SyntaxError):
                continue
            if not isinstance(rec, dict):
                continue
            if rec.get("module") is None:
                if rec.get("done"):
                    done = True
                else:
                    startup = rec.get("recompiled", [])
            else:
                records[rec["module"]] = rec
        if timed_out:
            err += "\n[timed out after %ss]" % timeout
        elif rc != 0:
            err += "\n[exit status %s]" % rc
        return records, startup, done and rc == 0, err

    def count(self, startup, err):
        self.runs += 1
        if startup is not None:
            self.started += 1
        elif not self.sample_stderr:
            self.sample_stderr = err

    def import_all(self, modules, chunk, jobs, label):
        """Import modules in chunks; retry failures and crashes alone.

        Returns {module: record}, where record has status ok/fail, error,
        recompiled, loader, alone (True if the decisive run was a single-
        module process), chunk_error (error seen in the chunk, if any).
        """
        chunks = [modules[i:i + chunk] for i in range(0, len(modules), chunk)]
        results = {}
        startup_recompiled = set()
        self.started = self.runs = 0
        self.sample_stderr = ""
        retry = []
        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            futs = {pool.submit(self.run, c, self.timeout * 3): c for c in chunks}
            done_n = 0
            for fut in concurrent.futures.as_completed(futs):
                names = futs[fut]
                records, startup, complete, err = fut.result()
                self.count(startup, err)
                startup_recompiled.update(startup or [])
                for n in names:
                    rec = records.get(n)
                    if rec is None:
                        retry.append((n, "not reached in chunk: " + tail_nonblank(err, 5)))
                    elif rec["status"] != "ok":
                        retry.append((n, rec.get("error", "")))
                    else:
                        rec["alone"] = False
                        results[n] = rec
                done_n += 1
                progress("%s: %d/%d chunks, %d to retry alone" % (label, done_n, len(chunks),
                                                                   len(retry)))
            futs = {pool.submit(self.run, [n], self.timeout): (n, cerr) for n, cerr in retry}
            for fut in concurrent.futures.as_completed(futs):
                n, cerr = futs[fut]
                records, startup, complete, err = fut.result()
                self.count(startup, err)
                startup_recompiled.update(startup or [])
                rec = records.get(n)
                if rec is None:
                    rec = {"module": n, "status": "fail", "recompiled": [],
                           "error": "child process died or timed out:\n" + err}
                elif rec["status"] != "ok" or not complete:
                    rec["status"] = "fail"
                    rec["error"] = rec.get("error") or ""
                    if err.strip():
                        rec["error"] += "\n--- stderr ---\n" + err
                rec["stderr"] = err
                rec["alone"] = True
                rec["chunk_error"] = cerr
                results[n] = rec
        progress("%s: done in %.1f s\n" % (label, time.time() - t0))
        return results, startup_recompiled


def progress(msg):
    if not sys.stderr.isatty():
        if msg.endswith("\n"):
            sys.stderr.write(msg)
        return
    sys.stderr.write("\r\033[K" + msg)
    sys.stderr.flush()


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module docstring (top of this file) for the full description.")
    ap.add_argument("--python", required=True, metavar="3.X",
                    help="minor version; the newest installed 3.X.Y is used")
    ap.add_argument("--level", default="safe", help="pyopt level (default: safe)")
    ap.add_argument("--pyopt", default=DEFAULT_PYOPT, help="default: %(default)s")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                    help="parallel import subprocesses, and pyopt --jobs (default: %(default)s)")
    ap.add_argument("--chunk", type=int, default=20, help="modules per subprocess (default: 20)")
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="seconds per single-module subprocess; a chunk gets 3x (default: 20)")
    ap.add_argument("--frozen-modules", choices=("on", "off"), default="off",
                    help="3.11+: -X frozen_modules=on|off for the imports (default: off, so the "
                    ".pyc of os, codecs, site, ... are used too)")
    ap.add_argument("-O", dest="optimize", action="count", default=0,
                    help="run the imports with -O (or -OO): exercises the .opt-1/.opt-2.pyc files")
    ap.add_argument("--pyenv-root", help="default: $PYENV_ROOT, else ~/.pyenv")
    ap.add_argument("--tmpdir", help="where to create the temporary copy")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = ap.parse_args()
    t_start = time.time()

    try:
        check_minor(args.python)
        check_pyopt(args.pyopt)
        prefix = find_prefix(pyenv_root(args.pyenv_root), args.python)
    except SetupError as e:
        print("import_check: error: %s" % e, file=sys.stderr)
        return 2

    minor_lib = "python" + args.python
    with temp_workdir("pyopt-import-check-%s-" % args.python, args.tmpdir, args.keep,
                      "copy") as work:
        try:
            return run(args, prefix, minor_lib, work, t_start)
        except SetupError as e:
            print("import_check: error: %s" % e, file=sys.stderr)
            return 2


def run(args, prefix, minor_lib, work, t_start):
    copy = os.path.join(work, os.path.basename(prefix))
    python, libdir = copy_installation(prefix, copy, minor_lib)
    scratch = os.path.join(work, "cwd")
    os.makedirs(scratch)

    flags = ["-I", "-S", "-B"]
    if args.optimize:
        flags.append("-" + "O" * min(args.optimize, 2))
    if tuple(int(x) for x in args.python.split(".")) >= (3, 11):
        flags += ["-X", "frozen_modules=" + args.frozen_modules]

    # The copy must use its own lib, not the original installation's.
    sys_prefix, json_file, full_version = probe_copy(python, copy, flags, scratch)
    print("interpreter: %s (Python %s), sys.prefix=%s, json from %s"
          % (python, full_version, sys_prefix, json_file))
    print("import flags: %s" % " ".join(flags))

    modules, skipped = list_modules(libdir)
    print("modules: %d listed, %d skipped by rule (%s)"
          % (len(modules), len(skipped), ", ".join(skipped)))

    imp = Importer(python, flags, args.timeout, scratch)
    before, startup_before = imp.import_all(modules, args.chunk, args.jobs, "before")
    clean = [m for m in modules if before[m]["status"] == "ok"]
    failing_before = [m for m in modules if before[m]["status"] != "ok"]
    recompiled_before = set(startup_before)
    for rec in before.values():
        recompiled_before.update(rec.get("recompiled", []))
    print("before: %d tried, %d clean, %d fail (not checked after):"
          % (len(modules), len(clean), len(failing_before)))
    for m in failing_before:
        err = tail_nonblank(before[m].get("error", "").split("\n--- stderr ---")[0], 1) or "?"
        print("    %s: %s" % (m, err[:160]))
    print("before: %d source files compiled from source (no usable .pyc; not exercised)"
          % len(recompiled_before))
    loaders = {}
    for m in clean:
        loaders[before[m].get("loader")] = loaders.get(before[m].get("loader"), 0) + 1
    print("before: loaders of the clean modules: %s"
          % ", ".join("%s %d" % kv for kv in sorted(loaders.items(), key=str)))

    # Optimize.
    report_path = os.path.join(work, "report.json")
    status = 0
    returncode, report, seconds = run_optimize(args.pyopt, args.level, args.jobs, libdir,
                                               report_path, tail_nonblank)
    print(optimize_summary(returncode, seconds, report, "passes"))
    if returncode != 0 or report.get("summary", {}).get("failed"):
        status = 1
    changed_pycs = [f["path"] for f in report.get("files", []) if f.get("status") == "changed"]

    # Sanity: an optimized pyc is really loaded.
    clean_set = set(clean)
    candidates = []
    for p in changed_pycs:
        m = module_of_pyc(libdir, p, min(args.optimize, 2))
        if m in clean_set:
            candidates.append((m, p))
    candidates.sort()
    if not candidates:
        tag = ".opt-%d" % min(args.optimize, 2) if args.optimize else ""
        candidates = [("json", os.path.join(libdir, "json", "__pycache__", "__init__.%s%s.pyc"
                                            % (sys_cache_tag(args.python), tag)))]
    sane = False
    for m, pyc in candidates[:3]:
        v = subprocess.run([python] + flags + ["-v", "-c", "import " + m],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, cwd=scratch)
        src = os.path.join(os.path.dirname(os.path.dirname(pyc)),
                           module_leaf_file(pyc))
        if ("# %s matches %s" % (pyc, src) in v.stderr
                and "# code object from '%s'" % pyc in v.stderr):
            print("sanity: `python -v -c 'import %s'` loads %s %s"
                  % (m, pyc, "(changed by pyopt)" if pyc in changed_pycs else
                     "(no file was changed by pyopt)"))
            sane = True
            break
        print("sanity: `import %s` did not report loading %s; -v stderr tail:\n%s"
              % (m, pyc, tail_nonblank(v.stderr, 15)))
    if not sane:
        print("SANITY CHECK FAILED: optimized .pyc files do not seem to be used")
        status = 1

    after, startup_after = imp.import_all(clean, args.chunk, args.jobs, "after")
    clean_after = [m for m in clean if after[m]["status"] == "ok"]
    regressions = [m for m in clean if after[m]["status"] != "ok"]
    chunk_only = [m for m in clean_after if after[m].get("alone") and after[m].get("chunk_error")]
    recompiled_after = set(startup_after)
    for rec in after.values():
        recompiled_after.update(rec.get("recompiled", []))
    rejected = sorted(recompiled_after - recompiled_before)

    print()
    print("| Python | level | modules tried | clean before | clean after | regressions |")
    print("|---|---|---|---|---|---|")
    print("| %s | %s | %d | %d | %d | %d |" % (full_version, args.level, len(modules),
                                             len(clean), len(clean_after), len(regressions)))
    print()
    if chunk_only:
        print("note: failed inside a chunk after optimization but imported fine alone "
              "(order-dependent, not counted): %s" % ", ".join(chunk_only))
        for m in chunk_only:
            print("  --- %s (in chunk) ---\n%s" % (m, tail_nonblank(after[m]["chunk_error"], 8)))
    if rejected:
        status = 1
        print("REJECTED .pyc: %d source files were compiled from source after optimization "
              "although their .pyc was used before:" % len(rejected))
        for p in rejected:
            print("    " + p)
    if imp.runs and not imp.started:
        status = 1
        print("THE INTERPRETER NO LONGER STARTS after optimization (no subprocess reached "
              "the import loop); stderr of one of them:\n%s\n"
              % tail_nonblank(imp.sample_stderr, 30))
    if regressions:
        status = 1
        print("REGRESSIONS: %d modules imported before optimization but fail after "
              "(grouped by the end of the error):" % len(regressions))
        groups = {}
        for m in regressions:
            err = after[m].get("error", "")
            key = tail_nonblank(re.sub(r"\[(exit status|timed out).*\]", "", err), 4)
            groups.setdefault(key, []).append(m)
        for key, mods in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            print("=== %d module(s): %s ===" % (len(mods), " ".join(mods)))
            print(tail_nonblank(after[mods[0]].get("error", ""), 25))
            print()
    else:
        print("no regressions")
    print("wall time: %.1f s" % (time.time() - t_start))
    return status


def sys_cache_tag(minor):
    return "cpython-" + minor.replace(".", "")


def module_leaf_file(pyc):
    return os.path.basename(pyc).split(".")[0] + ".py"


if __name__ == "__main__":
    sys.exit(main())
