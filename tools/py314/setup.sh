#!/bin/sh
# Shortcut for tools/pyodide/setup.sh 3.14 (installs and checks CPython 3.14).
exec "$(dirname "$0")/../pyodide/setup.sh" 3.14
