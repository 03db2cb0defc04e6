#!/usr/bin/env bash
# The whole test suite, as one command: formatting, lints, unit and integration tests
# (round trip of every installed CPython 3.8–3.13 standard library and of the pyodide corpora, dis
# equivalence, malformed-input fuzzing, opcode tables up to date, CLI).
# Tests that need an interpreter skip with a message when it is missing,
# except under CI=true, where that is a failure.
#
# First it sets up every pyodide runtime in the repository (CPython 3.14 and
# 3.15 under Node.js: tools/pyodide/setup.sh 3.X for each tools/py3X/package.json;
# idempotent, so a second run costs one version check each). If one fails — no
# Node.js/npm, no package registry — that version's tests skip with a
# message, and under CI=true the run fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
for pkg in tools/py3*/package.json; do
  d=${pkg%/package.json}
  v=3.${d#tools/py3}
  if ! tools/pyodide/setup.sh "$v"; then
    if [[ "${CI:-}" =~ ^[Tt][Rr][Uu][Ee]$ ]]; then
      echo "tools/test.sh: CPython $v set-up failed (CI=true: this is a failure)" >&2
      exit 1
    fi
    echo "tools/test.sh: CPython $v set-up failed; the $v tests will skip" >&2
  fi
done
cargo fmt --all -- --check
cargo clippy --all-targets --release -- -D warnings
cargo clippy --all-targets --release --features test-passes -- -D warnings
cargo test --release --features test-passes "$@"
