#!/bin/sh
# Kept for its path: tools/pyodide/setup.sh 3.14.
exec "$(dirname "$0")/../pyodide/setup.sh" 3.14
