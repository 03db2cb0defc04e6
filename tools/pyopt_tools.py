"""Helpers shared by the pyopt test-harness scripts in tools/.

Used by ``import_check.py``, ``regrtest_optimized.py`` and
``pass_stats.py`` (each script is run directly, ``python3 tools/x.py``,
which puts tools/ on ``sys.path``).  Standard library only; Python 3.8+.

What it holds:

* ``REPO_ROOT``, ``DEFAULT_PYOPT``: the repository and its release binary;
* ``SetupError`` (the run is impossible: the scripts exit 2) and the
  argument checks ``check_minor`` and ``check_pyopt``;
* ``find_interpreter``, ``find_interpreters``, ``search_order``: the
  interpreter of each version, by the same rule as pyopt's
  ``src/interpreters.rs``;
* ``pyenv_root``, ``find_prefix``: locating CPython installations;
* ``PYODIDE_MINORS``, ``pyodide_python``, ``pyodide_ready``,
  ``pyodide_corpus``: the CPython versions the repository
  runs as pyodide's WebAssembly build (``tools/py3X``, set up by
  ``tools/pyodide/setup.sh 3.X``) and their compiled corpora;
* ``temp_workdir``: a temporary directory removed afterwards unless kept;
* ``copy_installation``, ``probe_copy``: copying an installation prefix
  (without ``site-packages``) and checking that the copy's interpreter
  really uses the copy;
* ``run_optimize``, ``optimize_summary``: running ``pyopt optimize
  --report`` and summing its report up in one line;
* ``child_env``, ``tail``, ``tail_nonblank``, ``module_of_pyc``: small
  utilities.
"""
import contextlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_PYOPT = os.path.join(REPO_ROOT, "target", "release", "pyopt")


class SetupError(Exception):
    """A problem that makes the whole run impossible (exit 2)."""


def check_minor(version):
    """Raise SetupError unless version (the --python value) looks like 3.X."""
    if not re.match(r"^3\.\d+$", version):
        raise SetupError("--python wants a minor version like 3.13, not %r" % version)


def check_pyopt(path):
    """Raise SetupError unless path is an executable file."""
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise SetupError("pyopt binary not found or not executable: %s (build it with "
                         "`cargo build --release` or pass --pyopt)" % path)


def pyenv_root(explicit=None, environ=None):
    """explicit if given, else $PYENV_ROOT, else $HOME/.pyenv (as pyenv itself
    defaults it); None when neither variable is set."""
    if explicit:
        return explicit
    env = os.environ if environ is None else environ
    if env.get("PYENV_ROOT"):
        return env["PYENV_ROOT"]
    if env.get("HOME"):
        return os.path.join(env["HOME"], ".pyenv")
    return None


MINORS = range(8, 16)
# The versions the repository runs on pyodide (tools/py3X/bin/python3.X),
# as src/version/facts.rs says with `pyodide_in_repo`.
PYODIDE_MINORS = (14, 15)


def _is_executable(path):
    """An executable regular file (symbolic links followed)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(st.st_mode) and st.st_mode & 0o111 != 0


def _newest_pyenv(root, minor):
    """root/versions/3.X.Y/bin/python with the highest Y (plain 3.X.Y only;
    ties between spellings of one number go to the greater name)."""
    prefix = "3.%d." % minor
    try:
        names = os.listdir(os.path.join(root, "versions"))
    except OSError:
        return None
    best = None
    for name in names:
        if not name.startswith(prefix) or not re.fullmatch(r"[0-9]+", name[len(prefix):]):
            continue
        python = os.path.join(root, "versions", name, "bin", "python")
        key = (int(name[len(prefix):]), name)
        if (best is None or key > best[0]) and _is_executable(python):
            best = (key, python)
    return best[1] if best else None


def pyodide_python(minor, repo=REPO_ROOT):
    """repo's tools/py3X/bin/python3.X once tools/pyodide/setup.sh 3.X
    installed pyodide there (tools/py3X/node_modules/pyodide/pyodide.mjs),
    else None. Whether 3.X is one of PYODIDE_MINORS is the caller's concern."""
    d = os.path.join(repo, "tools", "py3%d" % minor)
    python = os.path.join(d, "bin", "python3.%d" % minor)
    ready = os.path.join(d, "node_modules", "pyodide", "pyodide.mjs")
    return python if os.path.isfile(ready) and _is_executable(python) else None


def find_interpreter(minor, environ=None, repo=REPO_ROOT):
    """The interpreter of CPython 3.<minor>, or None.

    The same rule as pyopt's own (``pyopt::interpreters::find`` in
    src/interpreters.rs, used by ``pyopt difftest``, ``pyopt compile`` and
    the Rust tests; tests/interpreters.rs checks that both agree). The first
    that exists (an executable regular file) wins:

    1. $PYOPT_PYTHON3_X when set and not empty: that file, or None;
    2. the newest $PYENV_ROOT/versions/3.X.Y/bin/python (PYENV_ROOT
       defaulting to $HOME/.pyenv);
    3. for the PYODIDE_MINORS (3.14, 3.15): repo's tools/py3X/bin/python3.X
       once tools/pyodide/setup.sh 3.X ran;
    4. python3.X on PATH, skipping pyenv's ``shims`` directories.

    environ defaults to os.environ."""
    env = os.environ if environ is None else environ
    explicit = env.get("PYOPT_PYTHON3_%d" % minor)
    if explicit:
        return explicit if _is_executable(explicit) else None
    root = pyenv_root(environ=env)
    python = _newest_pyenv(root, minor) if root else None
    if python:
        return python
    if minor in PYODIDE_MINORS and repo:
        python = pyodide_python(minor, repo)
        if python:
            return python
    for d in (env.get("PATH") or "").split(os.pathsep):
        if not d or os.path.basename(os.path.normpath(d)) == "shims":
            continue
        python = os.path.join(d, "python3.%d" % minor)
        if _is_executable(python):
            return python
    return None


def search_order(minor):
    """Where find_interpreter looks, for messages."""
    s = "$PYOPT_PYTHON3_%d, pyenv's $PYENV_ROOT/versions/3.%d.*/bin/python" % (minor, minor)
    if minor in PYODIDE_MINORS:
        s += ", tools/py3%d/bin/python3.%d (after tools/pyodide/setup.sh 3.%d)" % (minor, minor, minor)
    return s + ", python3.%d on PATH" % minor


def find_interpreters(minors=MINORS):
    """({minor: interpreter}, [missing minors]) by find_interpreter."""
    found, missing = {}, []
    for minor in minors:
        python = find_interpreter(minor)
        if python:
            found[minor] = python
        else:
            missing.append(minor)
    return found, missing


def pyodide_ready(minor):
    """Whether tools/pyodide/setup.sh 3.X has installed pyodide's CPython 3.X."""
    return minor in PYODIDE_MINORS and pyodide_python(minor) is not None


def pyodide_corpus(minor):
    """Build (or reuse) the 3.X corpus of ``tools/pyodide/make_corpus.sh 3.X``
    (target/py3X-corpus) and return its directory: ``stdlib/`` (pyodide's
    standard library) and ``corpus/`` (the project's corpus), compiled at
    -o 0/1/2."""
    script = os.path.join(REPO_ROOT, "tools", "pyodide", "make_corpus.sh")
    proc = subprocess.run([script, "3.%d" % minor],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode != 0:
        raise SetupError("tools/pyodide/make_corpus.sh 3.%d failed:\n%s"
                         % (minor, proc.stderr[-2000:]))
    return proc.stdout.strip()


def find_prefix(root, minor):
    """The prefix root/versions/3.X.Y of the newest installed 3.X.Y (minor = "3.X")."""
    if not root:
        raise SetupError("no pyenv root: set PYENV_ROOT (or HOME), or pass --pyenv-root")
    vdir = os.path.join(root, "versions")
    best = None
    if os.path.isdir(vdir):
        for name in os.listdir(vdir):
            m = re.match(r"^(\d+)\.(\d+)\.(\d+)$", name)
            if m and "%s.%s" % (m.group(1), m.group(2)) == minor:
                key = int(m.group(3))
                if best is None or key > best[0]:
                    best = (key, os.path.join(vdir, name))
    if best is None:
        raise SetupError("CPython %s is not installed under %s" % (minor, vdir))
    return best[1]


@contextlib.contextmanager
def temp_workdir(prefix, parent, keep, what):
    """Yield a new temporary directory (tempfile.mkdtemp(prefix, dir=parent)).

    Afterwards it is removed, or, with keep, left in place and its path
    printed to stderr as "kept temporary <what>: <path>"."""
    work = tempfile.mkdtemp(prefix=prefix, dir=parent)
    try:
        yield work
    finally:
        if keep:
            print("kept temporary %s: %s" % (what, work), file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def copy_installation(prefix, copy, minor_lib):
    """Copy the installation prefix to copy, without lib/<minor_lib>/site-packages.

    An empty site-packages is created instead; source mtimes are kept
    (copy2), so the .pyc files stay valid.  Prints one line.  Returns
    (interpreter, libdir) of the copy: <copy>/bin/<minor_lib> and
    <copy>/lib/<minor_lib>; SetupError if there is no such interpreter."""
    site_packages = os.path.join(prefix, "lib", minor_lib, "site-packages")

    def ignore(d, names):
        return ["site-packages"] if os.path.join(d, "site-packages") == site_packages else []

    t0 = time.time()
    shutil.copytree(prefix, copy, symlinks=True, ignore=ignore)
    os.makedirs(os.path.join(copy, "lib", minor_lib, "site-packages"), exist_ok=True)
    print("copied %s -> %s (%.1f s, without site-packages)" % (prefix, copy, time.time() - t0))
    python = os.path.join(copy, "bin", minor_lib)
    libdir = os.path.join(copy, "lib", minor_lib)
    if not os.path.isfile(python):
        raise SetupError("no interpreter at %s" % python)
    return python, libdir


def probe_copy(python, copy, flags, cwd):
    """Run the copied interpreter (with flags, in cwd) and check that it uses the copy.

    Returns (sys.prefix, json.__file__, full version) as it reports them;
    SetupError if it does not start or sys.prefix / json come from
    elsewhere."""
    probe = subprocess.run([python] + list(flags) + [
                           "-c", "import sys, json; print(sys.prefix); print(json.__file__); "
                           "print(sys.version.split()[0])"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, cwd=cwd)
    if probe.returncode != 0:
        raise SetupError("copied interpreter does not start:\n" + probe.stderr)
    sys_prefix, json_file, full_version = probe.stdout.split("\n")[:3]
    real_copy = os.path.realpath(copy)
    if (os.path.realpath(sys_prefix) != real_copy
            or not os.path.realpath(json_file).startswith(real_copy + os.sep)):
        raise SetupError("copied interpreter does not use the copy: sys.prefix=%s, "
                         "json.__file__=%s" % (sys_prefix, json_file))
    return sys_prefix, json_file, full_version


def run_optimize(pyopt, level, jobs, target, report_path, output_tail):
    """Run `pyopt optimize --level L --report R -q --jobs N target`.

    Prints the command and output_tail(output, 30) of its output, if any.
    Returns (exit status, parsed report, seconds); SetupError unless it
    exited 0 or 2 and wrote the report."""
    cmd = [pyopt, "optimize", "--level", level, "--report", report_path, "-q",
           "--jobs", str(jobs), target]
    print("$ " + " ".join(cmd))
    t0 = time.time()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    if proc.stdout.strip():
        print(output_tail(proc.stdout, 30))
    if proc.returncode not in (0, 2) or not os.path.exists(report_path):
        raise SetupError("pyopt optimize exited %d" % proc.returncode)
    with open(report_path) as fh:
        report = json.load(fh)
    return proc.returncode, report, time.time() - t0


def optimize_summary(returncode, seconds, report, passes_label):
    """One line: exit status, time, the report's summary and each pass's changes."""
    s = report.get("summary", {})
    return ("optimize: exit %d in %.1f s: %s files, %s changed, %s failed, %s rejected code "
            "objects; %s %s" % (returncode, seconds, s.get("files"), s.get("changed"),
                                s.get("failed"), s.get("rejected_code_objects"), passes_label,
                                json.dumps({k: v.get("changes") for k, v in
                                            report.get("passes", {}).items()})))


def child_env():
    """os.environ without the PYTHON* variables."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def tail(text, n):
    """The last n lines of text (trailing white space dropped)."""
    lines = text.rstrip().splitlines()
    return "\n".join(lines[-n:])


def tail_nonblank(text, n):
    """The last n non-blank lines of text (stripped of leading/trailing white space)."""
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return "\n".join(lines[-n:])


def module_of_pyc(libdir, pyc, optimize=0, exclude_top=None):
    """lib/python3.X/a/b/__pycache__/c.cpython-313.pyc -> a.b.c.

    None unless the file is the .pyc used at -O level `optimize`
    (c.cpython-313.opt-1.pyc for 1).  With exclude_top (a collection of
    top-level names), also None when a part of the name is not an
    identifier (e.g. anything under site-packages) or the top-level name
    is in exclude_top."""
    rel = os.path.relpath(pyc, libdir)
    parts = rel.split(os.sep)
    if len(parts) < 2 or parts[-2] != "__pycache__":
        return None
    base = parts[-1].split(".")
    want = ["pyc"] if not optimize else ["opt-%d" % optimize, "pyc"]
    if len(base) != 2 + len(want) or base[2:] != want:
        return None
    mod = parts[:-2] + ([] if base[0] == "__init__" else [base[0]])
    if not mod:
        return None
    if exclude_top is not None and (not all(p.isidentifier() for p in mod)
                                    or mod[0] in exclude_top):
        return None
    return ".".join(mod)
