"""Chained comparisons: each operand evaluated once, short-circuit on the
first false link, result is the last comparison (which may be non-bool)."""

LOG = []


def v(x):
    LOG.append(x)
    return x


class Weird:
    def __init__(self, name):
        self.name = name

    def __lt__(self, other):
        LOG.append("lt:" + self.name)
        return "yes-" + self.name

    def __gt__(self, other):
        LOG.append("gt:" + self.name)
        return ""


def constants():
    print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 > 1, 1 == 1 == 1, 1 == 1 != 1, 1 < 2 > 0 < 5)
    print(1 < 2 == 2 < 3 != 4, 0 <= 0 >= 0, "a" < "b" < "c", (1, 2) < (1, 3) < (2,))
    one = 1
    print(one is not None is not False, 1 in (1, 2) in ((1, 2),), 2 < 3 in [True, False])
    return 1 < 2 < 3, 1 < 3 < 2


def evaluated_once():
    del LOG[:]
    r1 = v(1) < v(2) < v(3)
    print(r1, LOG)
    del LOG[:]
    r2 = v(1) < v(0) < v(3)
    print(r2, LOG)
    del LOG[:]
    r3 = v(5) > v(4) > v(3) > v(2) > v(1)
    print(r3, LOG)
    del LOG[:]
    r4 = v(1) == v(1.0) == v(True) != v(2)
    print(r4, LOG)
    return r1, r2, r3, r4


def non_bool():
    del LOG[:]
    a, b, c = Weird("a"), Weird("b"), Weird("c")
    r1 = a < b < c
    print(repr(r1), LOG)
    del LOG[:]
    r2 = a > b < c
    print(repr(r2), LOG)
    del LOG[:]
    r3 = 1 < 2 < a
    print(repr(r3), LOG)
    del LOG[:]
    if a < b < c:
        print("truthy chain")
    print(LOG)
    return r1, r2, r3


def in_conditions(xs):
    out = []
    for x in xs:
        if 0 < x < 10:
            out.append("small")
        elif 10 <= x < 100 != x:
            out.append("medium")
        elif not (-10 < x < 0):
            out.append("other")
        else:
            out.append("neg")
    print(out)
    return out


def main():
    return constants(), evaluated_once(), non_bool(), in_conditions([-5, 0, 5, 50, 100, -50])


constants()
evaluated_once()
non_bool()
in_conditions(range(-12, 120, 11))
