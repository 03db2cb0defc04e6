"""`in` / `not in` against constant tuples, lists, sets and frozensets.
A list/tuple test uses ==, a set test needs a hashable operand."""


class Loose:
    """Equal to everything; counts how often it is compared."""

    calls = 0

    def __eq__(self, other):
        Loose.calls += 1
        return True

    __hash__ = None


class Odd:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return isinstance(other, int) and other % 2 == self.v % 2

    def __hash__(self):
        return self.v % 2


def basic(x):
    a = x in (1, 2, 3)
    b = x in [1, 2, 3]
    c = x in {1, 2, 3}
    d = x not in (1, 2, 3)
    e = x not in {1, 2, 3}
    f = x in frozenset((1, 2, 3))
    g = x in ()
    h = x not in []
    return a, b, c, d, e, f, g, h


def membership():
    for x in (0, 1, 2.0, True, 3 + 0j, 4, "1", None):
        print(repr(x), basic(x))
    print("strings", "ab" in "abc", "" in "abc", "ac" in "abc", "a" not in "xyz")
    print("bytes", b"b" in b"abc", 98 in b"abc", 300 in b"abc" if False else "skip")
    print("nested", (1, 2) in ((1, 2), (3, 4)), [1, 2] in ((1, 2), [1, 2]), (1, 2) in {(1, 2)})
    print("dict", 1 in {1: 2}, 2 in {1: 2}, 2 in {1: 2}.values(), (1, 2) in {1: 2}.items())
    print("range", 5 in range(10), 5.0 in range(10), 5.5 in range(10), -1 in range(0, -5, -1))
    return basic(2.0)


def unhashable():
    out = []
    for probe in ([], {}, set(), bytearray(b"x")):
        in_tuple = probe in (1, 2, 3)
        in_list = probe in [1, 2, 3]
        try:
            in_set = probe in {1, 2, 3}
        except TypeError as e:
            in_set = "TypeError: " + str(e)
        print(type(probe).__name__, in_tuple, in_list, in_set)
        out.append((in_tuple, in_list, in_set))
    try:
        print([] not in {1})
    except TypeError as e:
        print("not in:", e)
    return out


def user_types():
    Loose.calls = 0
    lo = Loose()
    print("loose in tuple", lo in (1, 2, 3), Loose.calls)
    print("loose in list", lo in [5, 6], Loose.calls)
    print("loose not in", lo not in (7,), Loose.calls)
    try:
        print(lo in {1, 2})
    except TypeError as e:
        print("loose in set:", e)
    print("loose in empty", lo in (), Loose.calls)
    o3 = Odd(3)
    print("odd in tuple", o3 in (2, 4), o3 in (2, 5), o3 in {1, 2}, Odd(2) in {4})
    return Loose.calls


def constant_sides():
    print(1 in (1, 2), 3 in (1, 2), "a" in ("a", "b"), "c" not in ["a"], None in (None,))
    print(1 in {1.0}, 1.0 in (True,), 0 in (False,), 0.0 in {-0.0})
    print(not 1 in (1, 2), not (1 in (1, 2)), (not 1) in (False,))
    return 1 in (1, 2), 3 not in [1, 2]


def main():
    return membership(), unhashable(), user_types(), constant_sides()


membership()
unhashable()
user_types()
constant_sides()
