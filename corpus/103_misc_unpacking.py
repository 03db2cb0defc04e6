"""Unpacking: starred targets, nested targets, swaps, unpacking iterators
and strings, errors for wrong counts, starred in calls and displays."""


def starred(seq):
    a, *b, c = seq
    first, *rest = seq
    *init, last = seq
    return a, b, c, first, rest, init, last


def nested():
    (a, b), c, [d, (e, *f)] = (1, 2), 3, [4, (5, 6, 7)]
    for x, (y, z) in [(1, (2, 3)), (4, (5, 6))]:
        pass
    return a, b, c, d, e, f, x, y, z


def swaps():
    a, b, c = 1, 2, 3
    a, b = b, a
    a, b, c = c, a, b
    x = [0, 1, 2]
    x[0], x[2] = x[2], x[0]
    i = 0
    i, x[i] = 1, "set"
    return a, b, c, x, i


def errors():
    out = []
    for seq in ([1], [1, 2, 3], "ab", iter(range(5))):
        try:
            a, b = seq
            out.append((a, b))
        except ValueError as e:
            out.append("ValueError: %s" % e)
    try:
        a, *b, c = [1]
    except ValueError as e:
        out.append("ValueError: %s" % e)
    try:
        a, b = 5
    except TypeError as e:
        out.append("TypeError: %s" % e)
    return out


def displays():
    a = [1, 2]
    b = (3,)
    return ([*a, *b, *"xy"], (*a, 0), {*a, *b}, {**{"k": 1}, "j": 2, **{"k": 3}}, [*range(3)],
            print(*a, *b, sep="-") or "printed")


def main():
    return starred([1, 2, 3, 4, 5]), starred("ab"), nested(), swaps(), errors(), displays()


for item in main():
    print(item)
