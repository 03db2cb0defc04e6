"""Constant-propagation traps across scopes: cell variables changed by an
inner function, `nonlocal`/`global` stores, parameters reassigned once,
`locals()`, generators that yield between the store and the load, and
comprehension variables shadowing a local (inlined on 3.12+, where the
comprehension saves and restores the outer local)."""

G = 1


def cell_changed_by_inner():
    x = 1

    def bump():
        nonlocal x
        x += 10
    before = x
    bump()
    print("cell", before, x)
    return before, x


def cell_read_by_late_closure():
    x = "early"
    fns = [lambda: x]
    x = "late"
    print("late binding", fns[0]())
    return fns[0]()


def cell_only_read():
    x = 3

    def inner():
        return x * 2
    print("cell only read", x, inner())
    return inner()


def nested_nonlocal_chain():
    a = 0

    def middle():
        def inner():
            nonlocal a
            a = "set by inner"
        inner()
        return a
    r = middle()
    print("nested nonlocal", r, a)
    return a


def set_global():
    global G
    G = 5
    change_global()
    return G


def change_global():
    global G
    G = 6


def read_global_twice():
    first = G
    change_global_to(first + 1)
    return first, G


def change_global_to(v):
    global G
    G = v


def parameter_reassigned(a):
    before = a
    a = 5
    return before, a


def parameter_default(a=1, *args, b=2, **kw):
    seen = (a, b, args, sorted(kw.items()))
    a = 7
    b = 8
    return seen, a, b


def parameter_read_in_loop(a):
    out = []
    for i in range(3):
        out.append(a)
        a = "fixed"
    return out


def locals_snapshot():
    x = 5
    y = "const"
    snap1 = sorted(locals().items())
    z = x * 2
    snap2 = sorted(locals().items())
    print("locals", snap1, snap2)
    return snap1, snap2


def gen_store_yield_load():
    x = 1
    yield "stored"
    yield x
    x_copy = x
    yield x_copy + 1


def gen_with_send():
    x = 1
    got = yield x
    yield (x, got)


def comprehension_shadowing():
    x = 5
    r1 = [x for x in range(3)]
    after1 = x
    r2 = [x for y in range(2)]
    r3 = {x: x * 2 for x in "ab"}
    after3 = x
    r4 = [[x for x in range(2)] for x in "pq"]
    after4 = x
    r5 = [(x := i) for i in range(3)]
    after5 = x
    print("comprehensions", r1, after1, r2, r3, after3, r4, after4, r5, after5)
    return r1, after1, r2, after3, r4, after4, r5, after5


def comprehension_exception_restores():
    y = 7
    try:
        r = [1 // y for y in (1, 0)]
    except ZeroDivisionError:
        r = "raised"
    print("restored", r, y)
    return y


def comprehension_reads_outer_const():
    k = 3
    r = [k * i for i in range(4)]
    s = sum(k for _ in range(2))
    print("outer const", r, s, k)
    return r, s


def class_body_const():
    class C:
        v = 1
        w = v + 1
        items = [i for i in range(2)]
        v = "rebound"
    print("class body", C.v, C.w, C.items)
    return C.v, C.w


def main():
    global G
    G = 1
    res = (cell_changed_by_inner(), cell_read_by_late_closure(), cell_only_read(),
           nested_nonlocal_chain(), set_global(), read_global_twice(),
           parameter_reassigned(1), parameter_reassigned("p"),
           parameter_default(), parameter_default(3, 4, b=9, c=0),
           parameter_read_in_loop("arg"), locals_snapshot(),
           list(gen_store_yield_load()), comprehension_shadowing(),
           comprehension_exception_restores(), comprehension_reads_outer_const(),
           class_body_const())
    g = gen_with_send()
    res += (next(g), g.send("sent"))
    return res


cell_changed_by_inner()
cell_read_by_late_closure()
cell_only_read()
nested_nonlocal_chain()
print("global", set_global(), G)
print("global twice", read_global_twice(), G)
G = 1
print("param", parameter_reassigned(1), parameter_reassigned(None))
print("defaults", parameter_default(), parameter_default(3, 4, b=9, c=0))
print("param loop", parameter_read_in_loop("arg"))
locals_snapshot()
gen = gen_store_yield_load()
print("gen", next(gen), next(gen), next(gen))
gs = gen_with_send()
print("send", next(gs), gs.send("sent"))
comprehension_shadowing()
comprehension_exception_restores()
comprehension_reads_outer_const()
class_body_const()
