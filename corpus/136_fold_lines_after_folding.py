"""Line numbers right after folded code: exceptions raised on the line
after a folded comparison, a propagated constant or a removed branch
(traceback line, relative to the function, and columns on 3.11+), and
f_lineno right after constant branches, on single lines and on
expressions spread over several lines."""
import sys
import traceback


def rel():
    f = sys._getframe(1)
    return f.f_lineno - f.f_code.co_firstlineno


def tb_where(e):
    out = []
    for fs in traceback.extract_tb(e.__traceback__)[1:]:
        out.append((fs.name, fs.lineno, getattr(fs, "colno", None), getattr(fs, "end_colno", None)))
    return out


def catch(fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        tb = e.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        line = tb.tb_lineno - tb.tb_frame.f_code.co_firstlineno
        print(fn.__name__, type(e).__name__, e, "rel line", line, tb_where(e))
        return type(e).__name__, line
    print(fn.__name__, "->", r)
    return r


def raise_after_compare():
    flag = 1 < 2
    raise ValueError(flag)


def raise_after_dead_if():
    if 2 < 1:
        x = "dead"
    raise KeyError("after dead if")


def raise_after_live_if():
    if 1 < 2:
        x = "live"
    return {}[x]


def raise_in_folded_expression():
    n = 8
    m = n * 3
    return m + (
        "a"
        * 2
    )


def raise_on_multiline_condition(v):
    if (1 <
            2 and
            v / 0):
        return "WRONG"
    return "WRONG too"


def raise_after_while_zero():
    while 0:
        pass
    x = 1 < 2
    return x.missing


def raise_in_ternary():
    v = 1 < 2
    return (1 / 0) if v else "never"


def raise_after_propagated_loop():
    limit = 3
    total = 0
    for i in range(limit):
        total += i
    return total[0]


def raise_in_nested_call():
    k = "b" > "a"
    return helper(k)


def helper(k):
    size = 2 ** 10
    return [k] * size + None


def lines_after_branches(v):
    out = []
    if 1 < 2:
        out.append(rel())
    out.append(rel())
    if 2 < 1:
        out.append(rel())
    out.append(rel())
    if v and 1 < 2:
        out.append(rel())
    out.append(rel())
    x = (1 if 1 < 2
         else 2)
    out.append((x, rel()))
    y = (
        3 < 4
    )
    out.append((y, rel()))
    while 2 < 1:
        out.append(rel())
    out.append(rel())
    return out


def line_events_loop():
    out = []
    for i in range(2):
        a = 1 < 2
        b = 1 > 2
        if a:
            out.append((i, rel()))
        if b:
            out.append("WRONG")
        out.append(rel())
    return out


FUNCS = [(raise_after_compare,), (raise_after_dead_if,), (raise_after_live_if,),
         (raise_in_folded_expression,), (raise_on_multiline_condition, 1),
         (raise_after_while_zero,), (raise_in_ternary,), (raise_after_propagated_loop,),
         (raise_in_nested_call,)]


def main():
    return (tuple(catch(*c) for c in FUNCS), lines_after_branches(0), lines_after_branches(1),
            line_events_loop())


for c in FUNCS:
    catch(*c)
print("lines", lines_after_branches(0), lines_after_branches(1))
print("loop lines", line_events_loop())
