"""Generator expressions: laziness, first iterable evaluated eagerly,
closures over loop variables, nested genexps, consumed by builtins."""

LOG = []


def src(n):
    LOG.append("src(%d) called" % n)
    for i in range(n):
        LOG.append("src yields %d" % i)
        yield i


def laziness():
    del LOG[:]
    g = (x * 10 for x in src(3))
    LOG.append("genexp created")
    first = next(g)
    LOG.append("got %d" % first)
    rest = list(g)
    return first, rest, list(LOG)


def eager_first_iterable():
    try:
        g = (x for x in 5)
        return "no error", g
    except TypeError as e:
        return "TypeError at creation: %s" % e


def lazy_second_iterable():
    g = (x + y for x in range(2) for y in 5)
    try:
        list(g)
    except TypeError as e:
        return "TypeError at iteration: %s" % e


def builtins_consume():
    return (sum(x * x for x in range(10)), max(len(w) for w in ["a", "abc", "ab"]),
            any(x > 3 for x in [1, 2, 5]), all(x for x in [1, 0]), "".join(c.upper() for c in "abc"),
            sorted((x % 3, x) for x in range(6)), dict((k, k * 2) for k in "xy"), tuple(x for x in ()),
            min((abs(x - 7), x) for x in (3, 6, 9, 8)), set(x % 2 for x in range(5)) == {0, 1})


def nested():
    matrix = [[1, 2], [3, 4], [5, 6]]
    flat = list(v for row in matrix for v in row if v != 4)
    pairs = list((a, b) for a in range(3) for b in range(a))
    sums = list(sum(v for v in row) for row in matrix)
    return flat, pairs, sums


def late_binding():
    gens = []
    for i in range(3):
        gens.append(i * k for k in range(2))
    return [list(g) for g in gens]


def early_exit():
    del LOG[:]
    found = next((x for x in src(100) if x * x > 10), None)
    return found, len(LOG)


def main():
    return laziness(), eager_first_iterable(), lazy_second_iterable(), builtins_consume(), nested(), late_binding(), early_exit()


for item in main():
    print(item)
