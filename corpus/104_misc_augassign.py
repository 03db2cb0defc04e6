"""Augmented assignment on subscripts and attributes evaluates the target
expression once; in-place operators versus binary fallbacks; aliasing."""

LOG = []


def idx(i):
    LOG.append("idx(%r)" % (i,))
    return i


class Obj:
    def __init__(self):
        self._v = 1

    @property
    def v(self):
        LOG.append("get v")
        return self._v

    @v.setter
    def v(self, value):
        LOG.append("set v=%r" % (value,))
        self._v = value


def get_obj(o):
    LOG.append("get_obj")
    return o


class Tracker(dict):
    def __getitem__(self, k):
        LOG.append("getitem %r" % (k,))
        return dict.__getitem__(self, k)

    def __setitem__(self, k, v):
        LOG.append("setitem %r=%r" % (k, v))
        dict.__setitem__(self, k, v)


def main():
    del LOG[:]
    x = [10, 20, 30]
    x[idx(1)] += 5
    d = Tracker(a=1)
    d[idx("a")] *= 7
    o = Obj()
    get_obj(o).v += 41
    m = [[1, 2], [3, 4]]
    m[idx(1)][idx(0)] -= 100
    s = x[idx(0):idx(2)]
    x[idx(0):idx(2)] += ["slice"]
    lst = [1]
    alias = lst
    lst += [2]
    tup = (1,)
    talias = tup
    tup += (2,)
    st = "a"
    st *= 3
    counter = {}
    for ch in "abca":
        counter[ch] = counter.get(ch, 0) + 1
    n = 7
    n //= 2
    n **= 3
    n %= 10
    n <<= 4
    n >>= 1
    n |= 0b101
    n &= 0b11110
    n ^= 0xFF
    f = 2.0
    f /= 8
    f -= 1
    return (x, dict(d), o.v, m, s, lst, alias, alias is lst, tup, talias, st, counter, n, f, list(LOG))


for item in main():
    print(item)
