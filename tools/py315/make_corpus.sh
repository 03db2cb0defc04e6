#!/bin/sh
# Shortcut for tools/pyodide/make_corpus.sh 3.15 [OUT] (default target/py315-corpus).
exec "$(dirname "$0")/../pyodide/make_corpus.sh" 3.15 "$@"
