"""Dead code and NOPs: `pass` lines, empty `try:` bodies, `except: pass`,
`if 0:`/`if 1 < 2:` branches, elif chains mixing constant and computed
tests, `with` statements whose body is trivial, code after
`return`/`raise`, and the line events of each (f_lineno is printed
right after every removed block)."""
import contextlib
import sys


def rel():
    f = sys._getframe(1)
    return f.f_lineno - f.f_code.co_firstlineno


def pass_lines():
    out = [rel()]
    pass
    out.append(rel())
    if out:
        pass
    else:
        pass
    out.append(rel())
    for _ in range(2):
        pass
    out.append(rel())
    while False:
        pass
    out.append(rel())
    return out


def empty_try():
    out = [rel()]
    try:
        pass
    except Exception:
        pass
    out.append(rel())
    try:
        pass
    finally:
        out.append(("finally", rel()))
    try:
        x = 1
    except:  # noqa: E722
        pass
    else:
        out.append(("else", x, rel()))
    try:
        int("nope")
    except ValueError:
        pass
    out.append(rel())
    return out


def constant_branches(v):
    out = [rel()]
    if 0:
        out.append("dead 0")
    out.append(rel())
    if 1 < 2:
        out.append(("live", rel()))
    else:
        out.append("dead else")
    out.append(rel())
    if 2 < 1:
        out.append("dead")
    elif v > 1:
        out.append(("v>1", rel()))
    elif 1 < 2:
        out.append(("const elif", rel()))
    else:
        out.append("dead final else")
    out.append(rel())
    if v == 0:
        out.append(("v==0", rel()))
    elif 0:
        out.append("dead")
    elif "":
        out.append("dead")
    elif v == 1:
        out.append(("v==1", rel()))
    out.append(rel())
    if None:
        out.append("dead None")
    elif ():
        out.append("dead tuple")
    out.append(rel())
    return out


def with_statements():
    out = []
    events = []

    @contextlib.contextmanager
    def cm(tag):
        events.append(("enter", tag))
        try:
            yield tag
        finally:
            events.append(("exit", tag))
    with cm("a"):
        pass
    out.append(rel())
    with cm("b") as b, cm("c") as c:
        if 1 < 2:
            out.append((b, c, rel()))
    out.append(rel())
    with contextlib.suppress(ZeroDivisionError):
        out.append(("before", rel()))
        1 / 0
        out.append("WRONG after 1/0")
    out.append(rel())
    with cm("d"):
        if 0:
            out.append("dead")
    out.append(rel())
    print("with events", events)
    return out, events


def after_return(v):
    if v:
        return ("returned", rel())
        print("dead print")
    else:
        return ("else returned", rel())
    print("dead after if/else")


def after_raise(v):
    try:
        if v:
            raise KeyError(v)
            v = "dead"
        v = "alive"
    except KeyError:
        return ("caught", rel())
    return (v, rel())


def dead_loop_tail():
    out = []
    for i in range(3):
        out.append(i)
        continue
        out.append("dead")
    while True:
        out.append("once")
        break
        out.append("dead")
    out.append(rel())
    return out


def nop_heavy_expressions():
    out = []
    (1, 2)
    "a string statement"
    None
    1 < 2
    out.append(rel())
    x = 3
    x
    out.append(rel())
    return out


def main():
    return (pass_lines(), empty_try(), constant_branches(0), constant_branches(1),
            constant_branches(2), with_statements(), after_return(1), after_return(0),
            after_raise(0), after_raise(1), dead_loop_tail(), nop_heavy_expressions())


print("pass", pass_lines())
print("empty try", empty_try())
for v in (0, 1, 2):
    print("branches", v, constant_branches(v))
print("with", with_statements())
print("after return", after_return(1), after_return(0))
print("after raise", after_raise(0), after_raise(1))
print("dead tail", dead_loop_tail())
print("nop exprs", nop_heavy_expressions())
