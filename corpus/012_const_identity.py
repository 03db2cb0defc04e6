"""`is` versus `==` on small ints, singletons and constants."""


def small_ints():
    a = 5
    b = 2 + 3
    c = int("5")
    print(a is b, a is c, a == c, b is c)
    n = 256
    m = int("256")
    print(n is m, n == m)
    neg = -5
    negr = int("-5")
    print(neg is negr)
    big1 = int("100000")
    big2 = int("100000")
    print(big1 == big2, big1 is big2)
    return a is c, n is m, big1 is big2


def singletons():
    x = None
    t = True
    f = False
    e = ()
    e2 = tuple()
    print(x is None, t is True, f is False, (1 == 1) is True, (1 == 2) is False)
    print(bool(1) is True, bool(0) is False, not x is True)
    print(e is e2, e == e2, ... is Ellipsis, NotImplemented is NotImplemented)
    print(type(None) is type(x), type(t) is bool, isinstance(t, int))
    return x is None, e is e2


def containers():
    l1 = [1, 2]
    l2 = [1, 2]
    print(l1 == l2, l1 is l2, l1[:] is l1, list(l1) is l1)
    s = "py" + "opt"
    s2 = "".join(["py", "opt"])
    print(s == s2, s == "pyopt")
    d = {}
    d2 = d
    print(d is d2, {} is not {})
    t = (1, 2)
    print(t is t, tuple(t) is t, t[:] is t, t + () is t)
    fs = frozenset([1])
    print(frozenset(fs) is fs)
    return l1 is l2, tuple(t) is t


def ints_from_ops():
    r = []
    for i in range(250, 262):
        j = i + 0
        k = i * 1
        r.append((i, j is k))
    print(r)
    return sum(1 for _, same in r if same)


def main():
    return small_ints(), singletons(), containers(), ints_from_ops()


small_ints()
singletons()
containers()
ints_from_ops()
