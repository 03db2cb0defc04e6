"""Builds two code objects that compute the same thing but may report
different line events (tests/validate.rs), writes them as ORIG.pyc and
MUT.pyc in the directory argv[1], and prints the line events
``sys.settrace`` reports for each with this interpreter, as JSON.

    def f(a):
        if a:
            g(1)
        a; x = 2
        return x

In both, the statement ``a`` (``LOAD_FAST a; POP_TOP``) is replaced by two
NOPs that keep its line. In ORIG the jump of ``if a`` goes to the first NOP
(where line 4 starts); in MUT to the second, the same line one instruction
later. Whether that changes the events is the version's line-event rule."""
import dis
import importlib._bootstrap_external as ext
import json
import os
import sys
import types

SRC = """\
def f(a):
    if a:
        g(1)
    a; x = 2
    return x
def g(n):
    return n
"""


def variant(code, retarget):
    ins = list(dis.get_instructions(code))
    raw = bytearray(code.co_code)
    nop = dis.opmap["NOP"]
    load = next(
        i
        for k, i in enumerate(ins)
        if i.opname.startswith("LOAD_FAST")
        and i.argval == "a"
        and ins[k + 1].opname == "POP_TOP"
        and ins[k - 1].opname != "RESUME"
        and "JUMP" not in ins[k - 1].opname
        and "TO_BOOL" not in ins[k + 1].opname
        and any("JUMP" in j.opname and j.argval == i.offset for j in ins)
    )
    raw[load.offset] = nop
    raw[load.offset + 1] = 0
    raw[load.offset + 2] = nop
    raw[load.offset + 3] = 0
    if retarget:
        jump = next(i for i in ins if "JUMP" in i.opname and "IF_FALSE" in i.opname)
        assert jump.argval == load.offset, (jump, load)
        # 3.8/3.9 count bytes; later versions count code units.
        step = 2 if sys.version_info < (3, 10) else 1
        raw[jump.offset + 1] += step
    return code.replace(co_code=bytes(raw))


def events(code):
    ns = {}
    exec(code, ns)
    out = []

    def tracer(frame, event, arg):
        if frame.f_code.co_name == "f" and event == "line":
            out.append(frame.f_lineno)
        return tracer

    for a in (True, False):
        sys.settrace(tracer)
        try:
            ns["f"](a)
        finally:
            sys.settrace(None)
        out.append(0)
    return out


def main():
    mod = compile(SRC, "pair.py", "exec")
    f = next(c for c in mod.co_consts if isinstance(c, types.CodeType) and c.co_name == "f")
    result = {}
    for name, retarget in (("ORIG", False), ("MUT", True)):
        new = variant(f, retarget)
        m = mod.replace(co_consts=tuple(new if c is f else c for c in mod.co_consts))
        with open(os.path.join(sys.argv[1], name + ".pyc"), "wb") as fh:
            fh.write(ext._code_to_timestamp_pyc(m, 0, 0))
        result[name] = events(m)
    print(json.dumps(result))


main()
