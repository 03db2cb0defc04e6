"""Generators: yield in loops and conditionals, yield as expression, return
in generators, laziness and interleaving."""

LOG = []


def count(n):
    i = 0
    while i < n:
        LOG.append("yield %d" % i)
        yield i
        i += 1
    LOG.append("count done")


def evens_odds(items):
    for x in items:
        if x % 2:
            yield "odd", x
        else:
            yield "even", x
    yield "end", len(items)


def early_return(items):
    for x in items:
        if x is None:
            return "stopped"
        yield x
    return "complete"


def yield_expression():
    received = []
    x = yield "first"
    received.append(x)
    y = yield x
    received.append(y)
    yield tuple(received)


def empty_generator():
    return
    yield


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def interleave(*gens):
    gens = list(gens)
    while gens:
        for g in list(gens):
            try:
                yield next(g)
            except StopIteration:
                gens.remove(g)


def main():
    del LOG[:]
    g = count(3)
    first = next(g)
    rest = list(g)
    r = [first, rest, tuple(LOG)]
    r.append(list(evens_odds([1, 2, 3])))
    gen = early_return([1, None, 2])
    r.append(list(gen))
    try:
        next(gen)
    except StopIteration as e:
        r.append(("exhausted", e.value))
    ye = yield_expression()
    r.append((next(ye), ye.send("A"), ye.send("B")))
    r.append(list(empty_generator()))
    f = fib()
    r.append([next(f) for _ in range(12)])
    r.append(list(interleave(iter("ab"), count(3), iter([]))))
    return r


for item in main():
    print(item)
