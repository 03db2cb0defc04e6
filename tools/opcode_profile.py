#!/usr/bin/env python3
"""Which bytecode instructions (and adjacent pairs) the benchmarks execute.

Run it with the interpreter to profile; it imports ``bm_*`` modules from a
directory (``benches/python`` for the sources as compiled by that
interpreter, or a directory of legacy ``bm_*.pyc`` files, e.g. ones
optimized by pyopt) and runs each benchmark's ``main(TRACE_SCALE)`` under
``sys.settrace`` with ``frame.f_trace_opcodes``, counting the opcode events
of the benchmark's own code by instruction name (read from ``co_code``,
CPython's unspecialized bytes) and by consecutive pair. It prints the share
of the 25 most frequent instructions and pairs: where the executed
instructions go, and so which transformation could remove some.

    python3.13 tools/opcode_profile.py benches/python
    python3.8  tools/opcode_profile.py DIR_OF_PYCS chaos nbody

On 3.12+ opcode events are not delivered for the first execution of a code
object after ``f_trace_opcodes`` is switched on (see tools/bench_runtime.py),
so the totals here are lower than bench_runtime's counted second run; the
shares are what matters.
"""
import collections
import dis
import importlib
import os
import sys


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    directory, names = argv[0], argv[1:]
    if not names:
        names = sorted(f[3:].split(".")[0] for f in os.listdir(directory)
                       if f.startswith("bm_") and f.endswith((".py", ".pyc")))
    sys.path.insert(0, directory)
    ops = collections.Counter()
    pairs = collections.Counter()
    last = [None]
    for name in names:
        mod = importlib.import_module("bm_" + name)
        filename = mod.main.__code__.co_filename

        def local(frame, event, arg):
            if event == "opcode":
                op = dis.opname[frame.f_code.co_code[frame.f_lasti]]
                ops[op] += 1
                pairs[(last[0], op)] += 1
                last[0] = op
            return local

        def on_call(frame, event, arg):
            if frame.f_code.co_filename != filename:
                return None
            frame.f_trace_lines = False
            frame.f_trace_opcodes = True
            return local

        sys.settrace(on_call)
        mod.main(mod.TRACE_SCALE)
        sys.settrace(None)
    total = sum(ops.values())
    print("CPython %s: %d instructions executed by %s" % (sys.version.split()[0], total,
                                                          ", ".join(names)))
    for op, n in ops.most_common(25):
        print("%-34s %6.2f%%" % (op, 100.0 * n / total))
    print("-- consecutive pairs")
    for (a, b), n in pairs.most_common(25):
        print("%-34s %6.2f%%" % ("%s, %s" % (a, b), 100.0 * n / total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
