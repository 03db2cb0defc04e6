#!/bin/sh
# Kept for its path: tools/pyodide/make_corpus.sh 3.14 [OUT].
exec "$(dirname "$0")/../pyodide/make_corpus.sh" 3.14 "$@"
