#!/usr/bin/env bash
# Installs the pinned pyodide npm package (CPython 3.14 compiled to
# WebAssembly, with its standard library) into tools/py314/node_modules
# (ignored by git) and checks that `tools/py314/bin/python3.14` runs it.
# Idempotent: an existing install of the pinned version is kept.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "tools/py314/setup.sh: Node.js and npm are needed for CPython 3.14 (pyodide)" >&2
  exit 1
fi
want=$(sed -n 's/.*"pyodide": "\(.*\)".*/\1/p' package.json)
have=$(node -p 'require("./node_modules/pyodide/package.json").version' 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  # A registry hiccup should not fail a build: three attempts.
  for attempt in 1 2 3; do
    if npm install --no-audit --no-fund --no-save --loglevel=error "pyodide@$want"; then
      break
    fi
    if [ "$attempt" = 3 ]; then
      echo "tools/py314/setup.sh: npm install pyodide@$want failed 3 times" >&2
      exit 1
    fi
    sleep $((attempt * 5))
  done
fi
out=$(bin/python3.14 -c 'import sys, importlib.util; print(sys.version_info[:2] == (3, 14), importlib.util.MAGIC_NUMBER.hex())')
if [ "$out" != "True 2b0e0d0a" ]; then
  echo "tools/py314/setup.sh: unexpected answer from python3.14: $out" >&2
  exit 1
fi
echo "CPython 3.14 (pyodide $want) ready: $(pwd)/bin/python3.14"
