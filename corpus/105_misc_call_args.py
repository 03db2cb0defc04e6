"""Calls with *args and **kwargs: unpacking order, duplicate keyword
errors, evaluation order of arguments, mixing positional and keywords."""

LOG = []


def arg(v):
    LOG.append(v)
    return v


def f(a, b=2, *args, c, d=4, **kwargs):
    return a, b, args, c, d, sorted(kwargs.items())


def g(*args, **kwargs):
    return args, kwargs


def main():
    out = []
    out.append(f(1, c=3))
    out.append(f(1, 2, 3, 4, c=5, e=6))
    out.append(f(*[1, 2, 3], **{"c": 4, "z": 0}))
    out.append(f(*(1,), *(2, 3), c=0, **{"d": 1}, **{"y": 2}))
    out.append(g(*"ab", *range(2), k=1, **{"m": 2}))
    out.append(g())
    out.append(g(**{}))
    del LOG[:]
    g(arg(1), arg(2), *[arg(3)], x=arg(4), **{"y": arg(5)})
    out.append(list(LOG))
    for bad in (lambda: f(1, c=1, **{"c": 2}), lambda: f(1), lambda: f(1, 2, c=1, b=3), lambda: g(**{1: 2}),
                lambda: f(*5, c=1), lambda: g(**[1])):
        try:
            bad()
        except TypeError as e:
            out.append("TypeError: " + str(e).replace("<lambda>.", ""))
    out.append(max(*[3, 1, 2]))
    out.append(dict(**{"a": 1}, b=2))
    out.append(list(map(lambda *a: a, "ab", "cd")))
    return out


for item in main():
    print(item)
