"""Augmented assignments to an item or attribute of a local (`a[k] += v`,
`a.x += v`), whose target the aggressive pipeline loads again for the store
instead of keeping a copy on the stack: the order of __getitem__, the value,
__iadd__ and __setitem__ must stay, the value may mutate the container, and
a walrus that rebinds the container's name, a conditional value, a yield or
an exception in the value must keep CPython's behaviour."""

LOG = []


class Rec:
    def __init__(self, name):
        self.name = name
        self.data = {}

    def __getitem__(self, k):
        LOG.append(("get", self.name, k))
        return self.data.get(k, 0)

    def __setitem__(self, k, v):
        LOG.append(("set", self.name, k, v))
        self.data[k] = v

    def __getattr__(self, attr):
        LOG.append(("getattr", self.name, attr))
        return 100

    def __setattr__(self, attr, v):
        if attr not in ("name", "data"):
            LOG.append(("setattr", self.name, attr, v))
        object.__setattr__(self, attr, v)


class Acc:
    def __init__(self, n):
        self.n = n

    def __iadd__(self, other):
        LOG.append(("iadd", self.n, other))
        return Acc(self.n + other)

    def __repr__(self):
        return "Acc(%d)" % self.n


def value(x):
    LOG.append(("value", x))
    return x


def order():
    LOG.clear()
    r = Rec("r")
    r["k"] += value(2)
    r.total += value(3)
    k = "j"
    r[k] -= value(4)
    return list(LOG)


def items(a, i, j):
    a[i] += 1
    a[0] -= a[i] * 2
    a[j] *= len(a) + i
    a[i] += a.pop()
    a[-1] += a[0]
    return a


def iadd_result():
    LOG.clear()
    box = [Acc(1), Acc(2)]
    before = box[0]
    box[0] += 5
    return box, box[0] is before, list(LOG)


def walrus(a, i):
    a[i] += (a := [10, 20, 30])[0]
    return a


def conditional(a, i, flag):
    a[i] += 1 if flag else -1
    return a


def raises(a, i):
    try:
        a[i] += value(1) // 0
    except ZeroDivisionError as e:
        return "zero", a, type(e).__name__
    return a


def missing(a, i):
    try:
        a[i] += 1
    except (IndexError, KeyError) as e:
        return type(e).__name__, a
    return a


def gen(a):
    a[0] += yield "first"
    a.append((yield "second"))
    return a


def gen_run():
    g = gen([1])
    out = [next(g), g.send(10)]
    try:
        g.send(7)
    except StopIteration as e:
        out.append(e.value)
    return out


class Counter:
    def __init__(self):
        self.n = 0
        self.hist = []

    def bump(self, by):
        self.n += by
        self.hist += [self.n]
        return self.n


def attrs():
    c = Counter()
    for by in range(1, 6):
        c.bump(by)
    c.n **= 2
    return c.n, c.hist


def cell():
    a = [1, 2]

    def inner():
        a[0] += 5
        return a

    return inner()


def many(x):
    v0, v1, v2, v3, v4, v5, v6, v7 = [0] * 8
    v8, v9, v10, v11, v12, v13, v14, v15 = [0] * 8
    a = [1, 2, 3]
    k = 2
    a[k] += x
    v15 += v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 + v9 + v10 + v11 + v12 + v13 + v14
    return a, v15


print(order())
print(items([1, 2, 3, 4], 1, 2))
print(iadd_result())
print(walrus([1, 2, 3], 1))
print(conditional([1, 2], 0, True), conditional([1, 2], 1, False))
print(raises([1, 2], 1))
print(missing([1], 5), missing({}, "k"))
print(gen_run())
print(attrs())
print(cell())
print(many(4))


def main():
    return (order(), items([5, 6, 7, 8], 2, 1), iadd_result(), walrus([4, 5, 6], 0),
            raises([3], 0), missing([], 0), gen_run(), attrs(), cell(), many(1))
