# safe-only: writes locals through frame.f_locals (3.13 writes through), which const-propagation (aggressive) documents as its assumption
"""Locals seen and changed through frames: `frame.f_locals` (a write-through
proxy on 3.13, a snapshot before), a generator's `gi_frame.f_locals`
between two resumptions, a traceback's `tb_frame.f_locals`, and
`exec`/`eval` next to single-assignment locals. On 3.13 a write through
f_locals changes the local, so replacing the load by the constant would
show."""
import sys


def write_through_frame():
    x = 1
    frame = sys._getframe()
    try:
        frame.f_locals["x"] = 99
    except Exception as e:
        print("write failed", type(e).__name__)
    seen = x
    print("after f_locals write", seen, type(frame.f_locals).__name__ == "dict")
    return seen


def write_then_compare():
    limit = 10
    sys._getframe().f_locals["limit"] = 0
    if limit > 5:
        branch = "limit > 5"
    else:
        branch = "limit <= 5"
    print("branch", branch, limit)
    return branch


def generator_frame_write():
    def gen():
        x = "const"
        yield "stored"
        yield x
    g = gen()
    first = next(g)
    snap = dict(g.gi_frame.f_locals)
    try:
        g.gi_frame.f_locals["x"] = "patched"
    except Exception as e:
        print("gen write failed", type(e).__name__)
    second = next(g)
    print("generator", first, snap, second)
    return first, second


def traceback_frame_locals():
    def failing():
        a = 3
        b = "text"
        return a + b
    try:
        failing()
    except TypeError as e:
        tb = e.__traceback__.tb_next
        seen = sorted(tb.tb_frame.f_locals.items())
        print("tb locals", seen, tb.tb_lineno - tb.tb_frame.f_code.co_firstlineno)
        return seen


def exec_and_eval():
    x = 4
    ns = {"x": 100}
    exec("y = x + 1", ns)
    v = eval("x * 2")
    w = eval("x * 2", {"x": 50})
    exec("x = 12")
    print("exec/eval", ns["y"], v, w, x)
    return ns["y"], v, w, x


def frame_back_reads():
    x = "outer value"
    return peek_caller("x")


def peek_caller(name):
    value = sys._getframe(1).f_locals.get(name)
    print("caller's", name, "=", value)
    return value


def main():
    return (write_through_frame(), write_then_compare(), generator_frame_write(),
            traceback_frame_locals(), exec_and_eval(), frame_back_reads())


write_through_frame()
write_then_compare()
generator_frame_write()
traceback_frame_locals()
exec_and_eval()
frame_back_reads()
