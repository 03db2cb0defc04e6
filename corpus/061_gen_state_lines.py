"""Generator introspection: states, suspended line numbers (gi_frame.f_lineno),
gi_yieldfrom, gi_running, locals of a suspended generator."""
import inspect


def gen(n):
    total = 0
    for i in range(n):
        total += i
        yield total
    yield "last"


def outer():
    yield "start"
    yield from gen(2)
    yield "end"


def offset(frame, base):
    return None if frame is None else frame.f_lineno - base


def main():
    out = []
    base = gen.__code__.co_firstlineno
    g = gen(3)
    out.append((inspect.getgeneratorstate(g), offset(g.gi_frame, base)))
    while True:
        try:
            v = next(g)
        except StopIteration:
            break
        out.append((v, inspect.getgeneratorstate(g), offset(g.gi_frame, base),
                    sorted(inspect.getgeneratorlocals(g).items())))
    out.append((inspect.getgeneratorstate(g), g.gi_frame))
    o = outer()
    next(o)
    out.append(("outer suspended", o.gi_yieldfrom))
    next(o)
    out.append(("delegating to", o.gi_yieldfrom.__name__, o.gi_yieldfrom.gi_frame.f_lineno - base))
    out.append(list(o))

    def self_inspect():
        me = yield "first"
        yield me.gi_running, inspect.getgeneratorstate(me)

    s = self_inspect()
    next(s)
    out.append(s.send(s))
    out.append((gen.__name__, gen(1).__name__, type(gen(1)).__name__, gen(1).__qualname__))
    return out


for item in main():
    print(item)
