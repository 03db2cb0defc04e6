"""Constants that compare equal but differ in type: 1, 1.0, True, 1+0j; 0,
0.0, -0.0, False. Constant deduplication must keep them apart."""


def kinds():
    a = 1
    b = 1.0
    c = True
    d = 1 + 0j
    e = 0
    f = 0.0
    g = False
    h = -0.0
    for v in (a, b, c, d, e, f, g, h):
        print(repr(v), type(v).__name__)
    print(a == b == c == d, e == f == g == h, 1 == 1.0 == True)
    return tuple(type(v).__name__ for v in (a, b, c, d, e, f, g, h))


def dict_keys():
    d = {1: "int", 1.0: "float", True: "bool"}
    print(d, type(list(d)[0]).__name__)
    d2 = {True: "bool", 1: "int"}
    print(d2, type(list(d2)[0]).__name__)
    d3 = {0: "a", 0.0: "b", False: "c", -0.0: "d"}
    print(d3)
    d4 = {}
    d4[1.0] = "x"
    d4[1] = "y"
    d4[True] = "z"
    print(d4, [type(k).__name__ for k in d4])
    d5 = dict.fromkeys([True, 1, 1.0, 2, 2.0])
    print(d5)
    return d, d2, d3, d4


def set_members():
    s = {1, 1.0, True}
    print(s, type(next(iter(s))).__name__)
    s2 = {True, 1, 1.0}
    print(s2, type(next(iter(s2))).__name__)
    s3 = {0.0, 0, False}
    print(s3, type(next(iter(s3))).__name__)
    print(1 in {1.0}, 1.0 in {True}, True in {1}, 0 in {False}, -0.0 in {0})
    print(1 in frozenset([1.0]), 2 in {2.0, 3.0}, 2.5 in {2, 3})
    fs = frozenset({1, 2}) | {2.0, 3.0}
    print(sorted(fs), sorted(type(x).__name__ for x in fs))
    return sorted(map(repr, s)), sorted(map(repr, s2))


def tuples_and_lists():
    t = (1, 1.0, True)
    u = (True, 1.0, 1)
    print(t, u, t == u, [type(x).__name__ for x in t], [type(x).__name__ for x in u])
    print((1, 2) == (1.0, 2.0), [0] == [False], (0.0,) == (-0.0,))
    print(t.index(True), u.index(1), t.count(1), [1, 1.0, True].count(True))
    print(repr((1,)), repr((1.0,)), repr((True,)))
    print(0 == -0.0, hash(0) == hash(-0.0), hash(1) == hash(1.0) == hash(True))
    return t, u


def strs_vs_bytes():
    a = "abc"
    b = b"abc"
    print(a == b, a == b.decode(), repr(a), repr(b))
    d = {"1": "str", 1: "int", b"1": "bytes"}
    print(sorted(d.values()))
    return d["1"], d[1.0], d[b"1"]


def main():
    return kinds(), dict_keys(), set_members(), tuples_and_lists(), strs_vs_bytes()


kinds()
dict_keys()
set_members()
tuples_and_lists()
strs_vs_bytes()
