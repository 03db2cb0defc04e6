"""Dump what this interpreter's own `dis` reports for every code object of
some .pyc files, for `tests/dis_matches_cpython.rs`.

Usage: python -I -S -B dis_dump.py < paths   (one .pyc path per line;
paths may also be given as arguments). Runs on CPython 3.8-3.13 and only
reads the files.

Output, one record per line, fields separated by tabs, "-" for None:

    F  <path>  <number of code objects>
    C  <index>  <qualname (co_name before 3.11)>  <co_firstlineno>  <instructions>
    I  <offset>  <opname>  <arg>  <target>  <line>  [<end_line>  <col>  <end_col>]
    E  <path>  <error>
    END

Code objects are listed in marshal order: the parent first, then the code
objects among its co_consts in order, depth first. `I` rows follow
`dis.get_instructions(co)` without EXTENDED_ARG and CACHE rows:

* offset: dis's offset of the op itself (after its EXTENDED_ARG prefixes);
* arg: dis's raw argument (for jumps the raw relative/absolute value);
* target: for jumps (`dis.hasjump`, else `dis.hasjrel` + `dis.hasjabs`)
  dis's argval, the byte offset of the target; "-" otherwise;
* line: 3.8/3.9 the running line from `dis.findlinestarts` (the line of the
  last line start at or before the offset, starting at co_firstlineno);
  3.10 the line of the `co_lines()` range containing the offset (None
  stays None); 3.11+ `positions.lineno`;
* end_line, col, end_col: 3.11+ only, the rest of `positions`.
"""

import bisect
import dis
import marshal
import sys
import types

VERSION = sys.version_info[:2]
if hasattr(dis, "hasjump"):
    JUMPS = frozenset(dis.hasjump)
else:
    JUMPS = frozenset(dis.hasjrel) | frozenset(dis.hasjabs)
SKIP = frozenset(["EXTENDED_ARG", "CACHE"])


def fmt(v):
    return "-" if v is None else str(v)


def code_objects(top):
    """All code objects in marshal (pre-)order; each one only once, as
    marshal writes a repeated object as a reference."""
    out = []
    seen = set()

    def walk(co):
        if id(co) in seen:
            return
        seen.add(id(co))
        out.append(co)
        for c in co.co_consts:
            if isinstance(c, types.CodeType):
                walk(c)

    walk(top)
    return out


def lines_lnotab(co, instrs):
    """3.8 / 3.9: the running line at each instruction's offset."""
    starts = list(dis.findlinestarts(co))
    k = 0
    line = co.co_firstlineno
    out = []
    for ins in instrs:
        while k < len(starts) and starts[k][0] <= ins.offset:
            line = starts[k][1]
            k += 1
        out.append(line)
    return out


def lines_co_lines(co, instrs):
    """3.10: the line of the co_lines() range containing each offset."""
    ranges = [r for r in co.co_lines() if r[0] < r[1]]
    begins = [r[0] for r in ranges]
    out = []
    for ins in instrs:
        k = bisect.bisect_right(begins, ins.offset) - 1
        if k >= 0 and ranges[k][0] <= ins.offset < ranges[k][1]:
            out.append(ranges[k][2])
        else:
            out.append(None)
    return out


def dump_code(index, co, w):
    instrs = [i for i in dis.get_instructions(co) if i.opname not in SKIP]
    name = getattr(co, "co_qualname", co.co_name)
    if "\t" in name or "\n" in name:
        raise ValueError("code object name with a tab or newline: %r" % name)
    w("C\t%d\t%s\t%d\t%d\n" % (index, name, co.co_firstlineno, len(instrs)))
    if VERSION <= (3, 9):
        lines = lines_lnotab(co, instrs)
    elif VERSION == (3, 10):
        lines = lines_co_lines(co, instrs)
    else:
        lines = None
    for k, ins in enumerate(instrs):
        target = ins.argval if ins.opcode in JUMPS else None
        row = [str(ins.offset), ins.opname, fmt(ins.arg), fmt(target)]
        if lines is not None:
            row.append(fmt(lines[k]))
        else:
            p = ins.positions
            row += [fmt(p.lineno), fmt(p.end_lineno), fmt(p.col_offset), fmt(p.end_col_offset)]
        w("I\t" + "\t".join(row) + "\n")


def dump_file(path, w):
    with open(path, "rb") as f:
        data = f.read()
    codes = code_objects(marshal.loads(data[16:]))
    w("F\t%s\t%d\n" % (path, len(codes)))
    for index, co in enumerate(codes):
        dump_code(index, co, w)


def main():
    sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace", newline="\n")
    paths = sys.argv[1:] or [line.rstrip("\n") for line in sys.stdin if line.strip()]
    w = sys.stdout.write
    for path in paths:
        chunks = []
        try:
            dump_file(path, chunks.append)
        except Exception as e:  # reported to the test, which fails on it
            msg = ("%s: %s" % (type(e).__name__, e)).replace("\t", " ").replace("\n", " ")
            w("E\t%s\t%s\n" % (path, msg))
        else:
            w("".join(chunks))
    w("END\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
