"""Constant tuples: subscripts, slices, nesting, concatenation, comparisons;
constant subscripts that are out of range must raise at run time."""


def subscripts():
    t = (10, 20, 30, 40)
    print(t[0], t[-1], t[1:3], t[::-1], t[::2], t[5:], t[-10:], t[1:-1])
    print((1, 2, 3)[1], (1, 2, 3)[-3], (1, 2, 3)[1:], ((1, 2), (3, 4))[1][0])
    print(("a", "b")[True], ("a", "b")[False], (0, 1, 2)[1:2:1])
    try:
        print((1, 2)[2])
    except IndexError as e:
        print("IndexError", e)
    try:
        print((1, 2)[-3])
    except IndexError as e:
        print("IndexError", e)
    idx = 1.0
    try:
        print((1, 2)[idx])
    except TypeError as e:
        print("TypeError", e)
    return t[1:3], (1, 2, 3)[-3]


def operations():
    a = (1, 2) + (3,)
    b = (1,) + ()
    c = () + ()
    d = (1, (2, (3, (4,))))
    e = ((),)
    f = (None, ..., NotImplemented)
    print(a, b, c, d, e, f, len(d), d[1][1][1][0])
    print((1, 2) < (1, 2, 0), (1, 2) < (1, 3), (2,) > (1, 99), () < (0,), (1, "a") == (1, "a"))
    print(max((3, 1), (2, 9)), sorted([(2, "b"), (1, "z"), (2, "a")]), (1, 2) * 2 + (3,))
    print(hash((1, 2)) == hash((1, 2)), (1, 2).count(2), (3, 4, 3).index(3, 1))
    x, (y, z) = (1, (2, 3))
    print(x, y, z)
    return a, d


def tuple_consts_identity():
    def f():
        return (1, 2, 3)

    def g():
        return (1, 2, 3)

    print(f() == g(), f() is f(), type(f()).__name__)
    t = (1, [2])
    t[1].append(3)
    print(t)
    try:
        t[0] = 5
    except TypeError as e:
        print("TypeError", e)
    return f() is f(), t


def main():
    return subscripts(), operations(), tuple_consts_identity()


subscripts()
operations()
tuple_consts_identity()
