#!/usr/bin/env bash
# Installs the pyodide npm package (CPython compiled to WebAssembly, with
# its standard library) that tools/py3X/package.json pins into
# tools/py3X/node_modules (ignored by git), and checks that
# `tools/py3X/bin/python3.X` runs it and is the CPython it should be: its
# `sys.version_info[:2]` and `importlib.util.MAGIC_NUMBER` must be the
# package.json's "pyopt" entry ("python", "magic").
# Idempotent: an existing install of the pinned version is kept (a second
# run costs one interpreter start, ~2.5 s).
#
#   tools/pyodide/setup.sh 3.X
set -euo pipefail
if [ $# -ne 1 ] || ! [[ $1 =~ ^3\.([0-9]+)$ ]]; then
  echo "usage: tools/pyodide/setup.sh 3.X" >&2
  exit 2
fi
version=$1
minor=${BASH_REMATCH[1]}
me="tools/pyodide/setup.sh $version"
dir=$(cd "$(dirname "$0")/.." && pwd)/py3$minor
if [ ! -f "$dir/package.json" ] || [ ! -x "$dir/bin/python$version" ]; then
  echo "$me: no pyodide runtime for $version in the repository ($dir/package.json, $dir/bin/python$version)" >&2
  exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "$me: Node.js and npm are needed for CPython $version (pyodide)" >&2
  exit 1
fi
cd "$dir"
# package.json: dependencies.pyodide (the pin), pyopt.python, pyopt.magic.
if ! info=$(node -p '
    const p = require("./package.json");
    [p.dependencies.pyodide, (p.pyopt || {}).python, (p.pyopt || {}).magic].join(" ")'); then
  echo "$me: node cannot read $dir/package.json" >&2
  exit 1
fi
read -r want python magic <<<"$info"
if [ "$python" != "$version" ] || ! [[ $magic =~ ^[0-9a-f]{8}$ ]]; then
  echo "$me: $dir/package.json must say \"pyopt\": {\"python\": \"$version\", \"magic\": \"<8 hex digits>\"}" >&2
  exit 1
fi
have=$(node -p 'require("./node_modules/pyodide/package.json").version' 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  # A registry hiccup should not fail a build: three attempts.
  for attempt in 1 2 3; do
    if npm install --no-audit --no-fund --no-save --loglevel=error "pyodide@$want"; then
      break
    fi
    if [ "$attempt" = 3 ]; then
      echo "$me: npm install pyodide@$want failed 3 times" >&2
      exit 1
    fi
    sleep $((attempt * 5))
  done
fi
out=$("bin/python$version" -c "import sys, platform, importlib.util
print(sys.version_info[:2] == (3, $minor), importlib.util.MAGIC_NUMBER.hex(), platform.python_version())")
if [ "${out% *}" != "True $magic" ]; then
  echo "$me: unexpected answer from python$version (want \"True $magic <version>\"): $out" >&2
  exit 1
fi
echo "CPython ${out##* } (pyodide $want) ready: $dir/bin/python$version"
