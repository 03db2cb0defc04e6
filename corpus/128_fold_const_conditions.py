"""Constant conditions in `if`/`while`/`and`/`or`/ternaries, written so the
constant only appears in the bytecode (comparisons, propagated locals):
the side effects of the operands that do run must stay, the ones that
don't must not appear, and the line numbers after the folded branch
(f_lineno) must not move."""
import sys

calls = []


def f(tag="f"):
    calls.append(tag)
    return tag


def g(tag="g"):
    calls.append(tag)
    return tag


def here():
    return sys._getframe(1).f_lineno - sys._getframe(1).f_code.co_firstlineno


def short_circuits():
    del calls[:]
    x = 0 and f("x")
    y = "" or g("y")
    z = 1 or f("z")
    w = None or 5
    v = (1, 2) and g("v")
    u = () and f("u")
    t = 1 < 2 and g("t")
    s = 2 < 1 and f("s")
    r = 2 < 1 or g("r")
    q = 1 < 2 or f("q")
    p = not (1 < 2) or g("p")
    o = (1 < 2) and (3 < 4) and g("o")
    print("values", x, y, z, w, v, u, t, s, r, q, p, o)
    print("calls", calls)
    return x, y, z, w, v, u, t, s, r, q, p, o, tuple(calls)


def propagated_short_circuits():
    del calls[:]
    zero = 0
    empty = ""
    yes = "yes"
    a = zero and f("a")
    b = empty or g("b")
    c = yes or f("c")
    d = yes and g("d")
    e = zero or empty or yes
    h = zero < 1 and empty == "" and g("h")
    print("values", a, repr(b), c, d, e, h)
    print("calls", calls)
    return a, b, c, d, e, h, tuple(calls)


def ternaries():
    del calls[:]
    n = 8
    m = n * 3
    a = f("a") if 1 < 2 else g("a")
    b = f("b") if 2 < 1 else g("b")
    c = "big" if m > 20 else "small"
    d = "big" if m > 30 else "small"
    e = (f("e1") if n else g("e1")) if 0 < n < 10 else g("e2")
    print("ternaries", a, b, c, d, e, calls)
    return a, b, c, d, e, tuple(calls)


def if_chains():
    lines = [here()]
    n = 8
    m = n * 3
    if m > 20:
        lines.append(("m>20", here()))
    else:
        lines.append(("WRONG", here()))
    lines.append(here())
    if 1 < 2:
        lines.append(("1<2", here()))
    lines.append(here())
    if 2 < 1:
        lines.append(("WRONG", here()))
    elif m == 24:
        lines.append(("m==24", here()))
    else:
        lines.append(("WRONG", here()))
    lines.append(here())
    if not m:
        lines.append("WRONG")
    elif m < 0:
        lines.append("WRONG")
    elif "a" < "b":
        lines.append(("a<b", here()))
    lines.append(here())
    if m > 20 and n < 10:
        lines.append(("and", here()))
    if m < 20 or n > 10:
        lines.append("WRONG")
    else:
        lines.append(("or-else", here()))
    lines.append(here())
    print("if chains", lines)
    return tuple(lines)


def while_loops():
    out = []
    while 0:
        out.append("WRONG while 0")
    out.append(here())
    while 2 < 1:
        out.append("WRONG")
    out.append(here())
    k = 0
    while 1 < 2:
        k += 1
        if k == 3:
            break
    out.append(("k", k, here()))
    limit = 4
    i = 0
    while i < limit:
        i += 1
    else:
        out.append(("else", i, here()))
    done = False
    while not done:
        done = True
        out.append(("once", here()))
    print("while", out)
    return tuple(out)


def const_condition_values():
    out = []
    for x in (0, 1, 2):
        flag = 1 < 2
        out.append(x if flag else -x)
        out.append("t" if (x < 1) is (1 < 2) else "f")
        out.append(x and 1 < 2)
        out.append(x or 2 < 1)
    print("values", out)
    return tuple(out)


def main():
    return (short_circuits(), propagated_short_circuits(), ternaries(), if_chains(),
            while_loops(), const_condition_values())


short_circuits()
propagated_short_circuits()
ternaries()
if_chains()
while_loops()
const_condition_values()
