#!/usr/bin/env bash
# Builds the CPython 3.X test corpus: the standard library sources of the
# pyodide that tools/py3X/package.json pins (its python_stdlib.zip) and the
# project's corpus/*.py, compiled by that pyodide's CPython with compileall
# at every optimization level it offers (-o 0, -o 1, -o 2 → .pyc,
# .opt-1.pyc, .opt-2.pyc). Reproducible: same pyodide version, same sources,
# same OUT, same pycs (co_filename holds the path under OUT).
#
#   tools/pyodide/make_corpus.sh 3.X [OUT]     (default: target/py3X-corpus)
#
# Sets the runtime up first (tools/pyodide/setup.sh 3.X). Prints OUT.
# Reuses OUT when it was built from the same pyodide version.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ] || ! [[ $1 =~ ^3\.([0-9]+)$ ]]; then
  echo "usage: tools/pyodide/make_corpus.sh 3.X [OUT]" >&2
  exit 2
fi
version=$1
minor=${BASH_REMATCH[1]}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=$root/tools/py3$minor
out=${2:-$root/target/py3$minor-corpus}
"$here/setup.sh" "$version" >/dev/null
pyodide=$(node -p "require('$dir/node_modules/pyodide/package.json').version")
stamp="pyodide $pyodide, sources dated 2000-01-01"
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ]; then
  echo "$out"
  exit 0
fi
rm -rf "$out"
mkdir -p "$out/stdlib" "$out/corpus"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
  "$dir/node_modules/pyodide/python_stdlib.zip" "$out/stdlib"
cp "$root"/corpus/*.py "$out/corpus/"
# A .pyc header holds its source's mtime: date every source the same, so
# that the corpus does not depend on when it was unpacked.
find "$out" -name '*.py' -exec touch -d '@946684800' {} +
# compileall exits 1 when a source does not compile (e.g. the stdlib's
# deliberately broken test inputs); those files are simply not in the corpus.
"$dir/bin/python$version" -W ignore::SyntaxWarning -m compileall -q -o 0 -o 1 -o 2 \
  "$out/stdlib" "$out/corpus" >&2 || true
echo "$stamp" > "$out/.stamp"
echo "$out"
