#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and integration tests
# (round trip of every installed CPython 3.8–3.13 standard library and of the 3.14 corpus, dis
# equivalence, malformed-input fuzzing, opcode tables up to date, CLI).
# Tests that need an interpreter skip with a message when it is missing,
# except under CI=true, where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --all-targets --release -- -D warnings
cargo clippy --all-targets --release --features test-passes -- -D warnings
cargo test --release --features test-passes "$@"
