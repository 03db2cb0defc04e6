#!/bin/sh
# Shortcut for tools/pyodide/setup.sh 3.15 (installs and checks CPython 3.15).
exec "$(dirname "$0")/../pyodide/setup.sh" 3.15
