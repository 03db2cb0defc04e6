"""Constant folding: signed zeros must survive folding and constant dedup."""
import math


def sign(x):
    return math.copysign(1.0, x)


def zeros():
    a = -0.0
    b = 0.0
    c = 0.0 * -1
    d = -0.0 * -1
    e = 0.0 - 0.0
    f = -0.0 - 0.0
    g = -0.0 + 0.0
    h = -(0.0)
    i = -(-0.0)
    j = 0.0 / -5
    k = -0.0 * 0
    rows = [("a", a), ("b", b), ("c", c), ("d", d), ("e", e), ("f", f),
            ("g", g), ("h", h), ("i", i), ("j", j), ("k", k)]
    for name, v in rows:
        print(name, repr(v), sign(v), v == 0.0)
    return tuple(sign(v) for _, v in rows)


def tuples():
    # Constant tuples that are == but not identical: must stay distinct.
    t1 = (0.0, -0.0)
    t2 = (-0.0, 0.0)
    t3 = (0.0, 0.0)
    print(t1, t2, t3, t1 == t2, t1 == t3)
    print([sign(x) for x in t1], [sign(x) for x in t2], [sign(x) for x in t3])
    s = {0.0, -0.0}
    print(len(s), sign(next(iter(s))))
    d = {-0.0: "neg"}
    d[0.0] = "pos"
    print(d, sign(list(d)[0]))
    return t1, t2


def complex_zeros():
    z1 = -0j
    z2 = 0j
    z3 = complex(-0.0, -0.0)
    z4 = -(0j)
    z5 = 0j * -1
    z6 = -0.0 + 0j
    for z in (z1, z2, z3, z4, z5, z6):
        print(repr(z), sign(z.real), sign(z.imag))
    return repr(z1), repr(z3), repr(z5)


def in_functions():
    print(math.atan2(0.0, -1.0), math.atan2(-0.0, -1.0))
    print(math.copysign(3, -0.0), math.copysign(3, 0.0))
    print(abs(-0.0), sign(abs(-0.0)))
    print(str(-0.0), format(-0.0, ".2f"), "%.1f" % -0.0, f"{-0.0:+}")
    print(round(-0.4), sign(round(-0.4, 0)), round(-0.0, 2))
    print(max(0.0, -0.0), min(0.0, -0.0), sign(max(-0.0, 0.0)))
    print(-0.0 == 0, -0.0 != 0.0, -0.0 < 0.0, 0.0 > -0.0)
    x = 0.0
    y = -x
    print(repr(y), sign(y), repr(x * -1), repr(-x * -1))
    return sign(y)


def main():
    return zeros(), tuples(), complex_zeros(), in_functions()


print("zeros", zeros())
print("tuples", tuples())
print("complex", complex_zeros())
print("funcs", in_functions())
