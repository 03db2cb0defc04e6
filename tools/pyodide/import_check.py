#!/usr/bin/env python3
"""Import every top-level standard-library module of pyodide's CPython 3.X
(3.14, 3.15: tools/py3X) from original and from pyopt-optimized .pyc files,
and compare.

The pyodide counterpart of tools/import_check.py (which copies a native
installation; pyodide has none to copy). It

1. builds (or reuses) the 3.X corpus (tools/pyodide/make_corpus.sh 3.X) and
   copies its ``stdlib/`` twice into a temporary directory (``copy2``: source
   mtimes are kept, so the timestamp .pyc files stay valid), with an empty
   ``pyopt.toml`` above them so that pyopt uses its defaults;
2. runs ``pyopt optimize --level L`` on one copy;
3. in a fresh pyodide process per copy, puts the copy first on
   ``sys.path`` and imports every top-level module and package (not
   ``test``, ``idlelib``, ``tkinter``, ``turtledemo``, ``antigravity``,
   ``this``; with warnings ignored, writing no bytecode), recording which
   imports fail and which modules were loaded from the copy's .pyc files
   (modules pyodide imported at start-up come from its own zip and are not
   counted);
4. requires the same modules to import cleanly from both copies, and no
   module of the optimized copy to be compiled from source where the
   original copy's was loaded from its .pyc (the child hooks
   ``SourceLoader.source_to_code``; CPython compiles from source when it
   rejects a .pyc).

    python3 tools/pyodide/import_check.py --python 3.X [--level safe|aggressive] [--pyopt PATH]

Exit status 0 when nothing regressed, 1 otherwise, 2 when it cannot run.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pyopt_tools import (DEFAULT_PYOPT, PYODIDE_MINORS, SetupError,  # noqa: E402
                         pyodide_corpus, pyodide_python)

CHILD = r'''
import importlib, json, os, sys, warnings
from importlib import _bootstrap_external as be
warnings.simplefilter("ignore")
sys.dont_write_bytecode = True
root = sys.argv[1]
sys.path.insert(0, root)
compiled = set()
_source_to_code = be.SourceLoader.source_to_code
def _hook(self, data, path, *args, **kwargs):
    compiled.add(path)
    return _source_to_code(self, data, path, *args, **kwargs)
be.SourceLoader.source_to_code = _hook
skip = {"test", "idlelib", "tkinter", "turtledemo", "antigravity", "this", "__main__"}
names = sorted({n[:-3] for n in os.listdir(root) if n.endswith(".py")}
               | {d for d in os.listdir(root)
                  if os.path.isfile(os.path.join(root, d, "__init__.py"))})
names = [n for n in names if n.isidentifier() and n not in skip and not n.startswith("__")]
ok, failed, from_copy = [], {}, []
for name in names:
    preloaded = name in sys.modules
    try:
        mod = importlib.import_module(name)
    except BaseException as e:
        failed[name] = "%s: %s" % (type(e).__name__, e)
        continue
    ok.append(name)
    origin = getattr(mod, "__file__", None) or ""
    if not preloaded and origin.startswith(root) and origin not in compiled:
        from_copy.append(name)
from_source = sorted(p for p in compiled if p.startswith(root))
print("@@RESULT@@" + json.dumps({"ok": ok, "failed": failed, "from_copy": from_copy,
                                 "from_source": from_source}))
'''


def child(python, copy):
    proc = subprocess.run([python, "-c", CHILD, copy], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=600)
    for line in proc.stdout.splitlines():
        if line.startswith("@@RESULT@@"):
            return json.loads(line[len("@@RESULT@@"):])
    raise RuntimeError("import run failed (exit %d):\n%s" % (proc.returncode, proc.stderr[-2000:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", required=True, metavar="3.X",
                    choices=["3.%d" % m for m in PYODIDE_MINORS],
                    help="the pyodide version (tools/py3X)")
    ap.add_argument("--level", default="aggressive", choices=["safe", "aggressive"])
    ap.add_argument("--pyopt", default=DEFAULT_PYOPT)
    args = ap.parse_args()
    minor = int(args.python.split(".")[1])
    if not os.path.isfile(args.pyopt):
        print("import_check: no pyopt binary at %s (cargo build --release)" % args.pyopt,
              file=sys.stderr)
        return 2
    try:
        corpus = pyodide_corpus(minor)  # sets the runtime up first
    except SetupError as e:
        print("import_check: %s" % e, file=sys.stderr)
        return 2
    python = pyodide_python(minor)
    work = tempfile.mkdtemp(prefix="pyopt-py3%d-import-" % minor)
    try:
        open(os.path.join(work, "pyopt.toml"), "w").close()
        orig, opt = os.path.join(work, "original"), os.path.join(work, args.level)
        for d in (orig, opt):
            shutil.copytree(os.path.join(corpus, "stdlib"), d)
        out = subprocess.run([args.pyopt, "optimize", "--level", args.level, opt],
                             stdout=subprocess.PIPE, universal_newlines=True)
        print(out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "")
        if out.returncode != 0:
            print("import_check: pyopt optimize exited %d" % out.returncode, file=sys.stderr)
            return 1
        before, after = child(python, orig), child(python, opt)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    regressed = sorted(set(before["ok"]) - set(after["ok"]))
    print("CPython %s (pyodide), level %s: %d top-level modules import cleanly before, "
          "%d after (%d loaded from the optimized .pyc files, %d compiled from source before, "
          "%d after); %d failed before: %s"
          % (args.python, args.level, len(before["ok"]), len(after["ok"]), len(after["from_copy"]),
             len(before["from_source"]), len(after["from_source"]),
             len(before["failed"]), ", ".join(sorted(before["failed"])) or "none"))
    status = 0
    for name in regressed:
        print("REGRESSION %s: %s" % (name, after["failed"].get(name)))
        status = 1
    rejected = sorted(set(after["from_source"]) - set(before["from_source"]))
    for path in rejected:
        print("REJECTED .pyc: %s was compiled from source after optimization" % path)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
