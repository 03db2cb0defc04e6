#!/usr/bin/env bash
# Hashes the optimized trees of every installed standard library (3.8–3.13)
# and of the 3.14 and 3.15 corpora at `safe` and at `aggressive`: the check that a
# refactor keeps pyopt's output byte for byte. Copies each tree's .pyc files
# to a scratch directory (never touches an installation), runs
# `pyopt optimize --level L -j2 -q` on the copy, and prints one line per
# version and level: the sha256 over every file's path and contents.
#
#   tools/hash_optimized.sh PYOPT [SCRATCH]   (default SCRATCH: target/hash-optimized)
#
# Run it with the binary before a change and after it; the outputs must be equal.
set -euo pipefail
pyopt=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=${2:-$root/target/hash-optimized}
pyenv=${PYENV_ROOT:-$HOME/.pyenv}
trees=()
for v in 3.8 3.9 3.10 3.11 3.12 3.13; do
  py=$(ls -d "$pyenv"/versions/$v.*/bin/python 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$py" ] || { echo "missing CPython $v" >&2; exit 1; }
  trees+=("$v:$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')")
done
for v in 3.14 3.15; do
  if corpus=$("$root/tools/pyodide/make_corpus.sh" "$v" 2>/dev/null); then
    trees+=("$v:$corpus")
  fi
done
for entry in "${trees[@]}"; do
  v=${entry%%:*}; src=${entry#*:}
  for level in safe aggressive; do
    dst="$scratch/$v-$level"
    rm -rf "$dst"; mkdir -p "$dst"
    (cd "$src" && find . -name '*.pyc' -type f -print0 | tar --null -T - -cf -) | tar -C "$dst" -xf -
    "$pyopt" optimize --level "$level" -j2 -q "$dst" >/dev/null 2>&1 || true
    h=$(cd "$dst" && find . -name '*.pyc' -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
    n=$(cd "$dst" && find . -name '*.pyc' -type f | wc -l)
    echo "$v $level files=$n sha=$h"
    rm -rf "$dst"
  done
done
