"""Operator overloading: arithmetic, reflected, in-place, comparisons,
NotImplemented fallbacks, __eq__ returning non-bool. None of these may be
folded or reordered."""

LOG = []


class V:
    def __init__(self, *c):
        self.c = c

    def __repr__(self):
        return "V%r" % (self.c,)

    def __add__(self, other):
        LOG.append("add")
        if isinstance(other, V):
            return V(*(a + b for a, b in zip(self.c, other.c)))
        if isinstance(other, (int, float)):
            return V(*(a + other for a in self.c))
        return NotImplemented

    def __radd__(self, other):
        LOG.append("radd")
        return self + other

    def __iadd__(self, other):
        LOG.append("iadd")
        self.c = (self + other).c
        return self

    def __mul__(self, k):
        LOG.append("mul")
        return V(*(a * k for a in self.c))

    __rmul__ = __mul__

    def __neg__(self):
        return V(*(-a for a in self.c))

    def __eq__(self, other):
        LOG.append("eq")
        return isinstance(other, V) and self.c == other.c

    def __lt__(self, other):
        return sum(self.c) < sum(other.c)

    def __matmul__(self, other):
        return sum(a * b for a, b in zip(self.c, other.c))

    def __getitem__(self, i):
        return self.c[i]

    def __contains__(self, x):
        LOG.append("contains")
        return x in self.c

    __hash__ = None


class Elementwise:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return "eq-result(%s,%s)" % (self.v, getattr(other, "v", other))

    def __ne__(self, other):
        return "ne-result"


def main():
    del LOG[:]
    a, b = V(1, 2), V(10, 20)
    out = [a + b, a + 1, 1 + a, 2 * a, a * 3, -a, a @ b, a[1], a[::-1], 2 in a, 5 in a]
    c = a
    c += b
    out.append((c, a, c is a))
    out.append((a == V(11, 22), a != V(0, 0), a == 5, sorted([V(5), V(1), V(3)])))
    try:
        a + "s"
    except TypeError as e:
        out.append("TypeError: " + str(e))
    try:
        {a}
    except TypeError as e:
        out.append("unhashable: " + str(e))
    e = Elementwise(1)
    out.append((e == 2, e != 2, 2 == e, e == e, [e] == [e], (e == e) is True))
    out.append(list(LOG))
    return out


for item in main():
    print(item)
