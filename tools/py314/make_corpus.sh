#!/usr/bin/env bash
# Builds the CPython 3.14 test corpus: pyodide's standard library sources
# (from tools/py314/node_modules/pyodide/python_stdlib.zip) and the project's
# corpus/*.py, compiled by pyodide's CPython 3.14 with compileall at every
# optimization level it offers (-o 0, -o 1, -o 2 → .pyc, .opt-1.pyc,
# .opt-2.pyc). Reproducible: same pyodide version, same sources, same pycs.
#
#   tools/py314/make_corpus.sh [OUT]     (default: target/py314-corpus)
#
# Prints OUT. Reuses OUT when it was built from the same pyodide version.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/target/py314-corpus}
"$here/setup.sh" >/dev/null
version=$(node -p "require('$here/node_modules/pyodide/package.json').version")
stamp="pyodide $version, sources dated 2000-01-01"
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ]; then
  echo "$out"
  exit 0
fi
rm -rf "$out"
mkdir -p "$out/stdlib" "$out/corpus"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
  "$here/node_modules/pyodide/python_stdlib.zip" "$out/stdlib"
cp "$root"/corpus/*.py "$out/corpus/"
# A .pyc header holds its source's mtime: date every source the same, so
# that the corpus does not depend on when it was unpacked.
find "$out" -name '*.py' -exec touch -d '@946684800' {} +
# compileall exits 1 when a source does not compile (e.g. the stdlib's
# deliberately broken test inputs); those files are simply not in the corpus.
"$here/bin/python3.14" -W ignore::SyntaxWarning -m compileall -q -o 0 -o 1 -o 2 "$out/stdlib" "$out/corpus" >&2 || true
echo "$stamp" > "$out/.stamp"
echo "$out"
