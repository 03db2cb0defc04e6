"""Assorted builtins whose results are easy to compare: zip, enumerate,
map/filter laziness, any/all short-circuit, isinstance with tuples, repr
of containers, abs/min/max/sum with start, iter with sentinel, next
default."""

LOG = []


def noisy(v):
    LOG.append(v)
    return v


def main():
    out = []
    out.append(list(zip("abc", range(5), [True, False, None])))
    out.append(list(enumerate("xyz", start=10)))
    m = map(noisy, [1, 2, 3])
    out.append(("map is lazy", list(LOG)))
    out.append(list(m))
    del LOG[:]
    out.append((any(noisy(v) for v in [0, 0, 5, 7]), list(LOG)))
    del LOG[:]
    out.append((all(noisy(v) for v in [1, 0, 5]), list(LOG)))
    out.append(list(filter(None, [0, 1, "", "a", None, [], [0]])))
    out.append(list(filter(lambda v: v % 3, range(10))))
    out.append((isinstance(1, (str, (float, int))), isinstance(True, int), issubclass(bool, (int,)), isinstance([], ())))
    out.append((abs(-3), abs(-2.5), abs(3 - 4j), sum([1, 2, 3], 10), sum([[1], [2]], []), sum([0.1] * 10)))
    out.append((min(3, 1, 2), max("abc"), min([4, 2], default=0), max([], default="none"), min((1, "b"), (1, "a"))))
    data = iter([1, 2, 0, 3])
    out.append(list(iter(lambda: next(data), 0)))
    out.append((next(iter([]), "default"), next(iter("q"))))
    out.append(repr([1, "a", (2,), {3: [4]}, {5}, None, 1.5, b"x"]))
    out.append((len(range(0, 10, 3)), range(10)[-1], list(range(5, 0, -2)), range(3) == range(0, 3, 1)))
    out.append((divmod(7, 2), pow(2, 10), hash(42) == 42, hash(-1), callable(len), callable(1)))
    out.append((chr(97), ord("a"), bin(10), oct(10), hex(10), format(10, "04x"), ascii("é")))
    out.append((list(reversed([1, 2, 3])), list(reversed(range(3))), sorted("cba"), "".join(reversed("abc"))))
    out.append((type(1).__name__, type("")(5), bool(), int(), float(), str(), tuple(), list(), dict(), complex()))
    out.append(vars(type("T", (), {"a": 1}))["a"])
    out.append(getattr(out, "missing", "fallback"))
    return out


for item in main():
    print(item)
