"""Wheel helper for tests/archives.rs (standard library only).

  wheel_tool.py build OUT_DIR        write demo_pkg-1.0-py3-none-any.whl with
                                     the package's sources and .pyc files
                                     compiled by this interpreter
  wheel_tool.py verify WHEEL         recompute every RECORD digest and size;
                                     exit 1 on any mismatch or missing row
  wheel_tool.py run                  import demo_pkg and print what it computes
  wheel_tool.py zipapp OUT_DIR       write app.pyz (a `#!` line, then a zip whose
                                     module is a legacy core.pyc)

The package has pyc-only friendly code with constant expressions,
single-assignment locals and branches, so pyopt has something to change.
"""
import base64
import csv
import hashlib
import io
import os
import py_compile
import sys
import tempfile
import zipfile

SOURCE = '''\
"""A tiny package shipped as source plus bytecode."""

LIMIT = 10


def classify(n):
    small = 3
    if n < small:
        return "small"
    if 1 < 2 and n < LIMIT:
        return "medium"
    return "large"


def table(k):
    out = []
    for i in range(k):
        if i % 2:
            continue
        out.append((i, i * 2 + 1, classify(i)))
    return out


def checks():
    return (3 in (1, 2, 3), "ab" * 2, 7 // -2, -7 % 3, not 0)
'''

MAIN = '''\
from demo_pkg import core

def main():
    print(core.table(12))
    print(core.checks())
'''


def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build(out_dir):
    tag = sys.implementation.cache_tag
    files = {}
    with tempfile.TemporaryDirectory() as tmp:
        pkg = os.path.join(tmp, "demo_pkg")
        os.makedirs(pkg)
        for name, text in (("__init__.py", ""), ("core.py", SOURCE), ("cli.py", MAIN)):
            path = os.path.join(pkg, name)
            with open(path, "w") as f:
                f.write(text)
            files["demo_pkg/" + name] = text.encode()
            cfile = os.path.join(pkg, "__pycache__", name[:-3] + "." + tag + ".pyc")
            py_compile.compile(path, cfile=cfile, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            with open(cfile, "rb") as f:
                files["demo_pkg/__pycache__/" + os.path.basename(cfile)] = f.read()
    info = "demo_pkg-1.0.dist-info/"
    files[info + "METADATA"] = b"Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0\n"
    files[info + "WHEEL"] = b"Wheel-Version: 1.0\nGenerator: pyopt-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = io.StringIO()
    w = csv.writer(record, lineterminator="\n")
    for name, data in files.items():
        w.writerow([name, digest(data), len(data)])
    w.writerow([info + "RECORD", "", ""])
    files[info + "RECORD"] = record.getvalue().encode()
    path = os.path.join(out_dir, "demo_pkg-1.0-py3-none-any.whl")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            # Stored and deflated entries, and a fixed timestamp, so the test
            # can see that methods and timestamps are kept.
            method = zipfile.ZIP_STORED if name.endswith("cli.py") else zipfile.ZIP_DEFLATED
            zi = zipfile.ZipInfo(name, date_time=(2020, 2, 2, 12, 0, 0))
            zi.compress_type = method
            z.writestr(zi, data)
    print(path)


def verify(wheel):
    bad = 0
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        record_name = [n for n in names if n.endswith(".dist-info/RECORD")][0]
        rows = list(csv.reader(io.StringIO(z.read(record_name).decode())))
        listed = set()
        for row in rows:
            name, hash_, size = row
            listed.add(name)
            if name == record_name:
                continue
            data = z.read(name)
            if hash_ != digest(data) or int(size) != len(data):
                print("MISMATCH", name)
                bad += 1
        for n in names - listed:
            print("NOT IN RECORD", n)
            bad += 1
    print("verified" if not bad else "failed", len(rows), "rows")
    return 1 if bad else 0


def run():
    from demo_pkg import cli
    import demo_pkg.core as core
    cli.main()
    print("loaded from", "pyc" if core.__spec__.cached and os.path.exists(core.__spec__.cached) else "source")



def zipapp_build(out_dir):
    """A zipapp with a `#!` line whose module is shipped as a legacy .pyc."""
    import zipapp
    with tempfile.TemporaryDirectory() as tmp:
        app = os.path.join(tmp, "app")
        os.makedirs(app)
        with open(os.path.join(app, "__main__.py"), "w") as f:
            f.write("import core\nprint(core.table(9))\nprint(core.checks())\n")
        src = os.path.join(tmp, "core.py")
        with open(src, "w") as f:
            f.write(SOURCE)
        # zipimport loads `core.pyc` next to where core.py would be.
        py_compile.compile(src, cfile=os.path.join(app, "core.pyc"), doraise=True)
        target = os.path.join(out_dir, "app.pyz")
        zipapp.create_archive(app, target, interpreter="/usr/bin/env python3")
    print(target)

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "build":
        build(sys.argv[2])
    elif cmd == "verify":
        sys.exit(verify(sys.argv[2]))
    elif cmd == "run":
        run()
    elif cmd == "zipapp":
        zipapp_build(sys.argv[2])
