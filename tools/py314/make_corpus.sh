#!/bin/sh
# Shortcut for tools/pyodide/make_corpus.sh 3.14 [OUT] (default target/py314-corpus).
exec "$(dirname "$0")/../pyodide/make_corpus.sh" 3.14 "$@"
