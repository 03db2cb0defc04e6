"""__index__ and __hash__/__eq__ of user types used by containers, slicing,
range, bin/hex, dict and set lookups. Call counts are printed."""

LOG = []


class Idx:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        LOG.append("index(%d)" % self.v)
        return self.v


class Key:
    def __init__(self, name, h):
        self.name = name
        self.h = h

    def __hash__(self):
        LOG.append("hash(%s)" % self.name)
        return self.h

    def __eq__(self, other):
        LOG.append("eq(%s,%s)" % (self.name, getattr(other, "name", other)))
        return isinstance(other, Key) and self.name == other.name

    def __repr__(self):
        return "Key(%s)" % self.name


def use_index():
    del LOG[:]
    data = list(range(10))
    r = [data[Idx(3)], data[Idx(1):Idx(4)], "abcdef"[Idx(-1)], list(range(Idx(3))), bin(Idx(5)), hex(Idx(255)),
         [0] * Idx(2), (1, 2, 3)[Idx(0)], int.__index__(7), operator_index()]
    return r, list(LOG)


def operator_index():
    import operator
    return operator.index(Idx(9))


def use_hash():
    del LOG[:]
    a1, a2, b = Key("a", 1), Key("a", 1), Key("b", 1)
    d = {a1: "first"}
    d[a2] = "second"
    d[b] = "b"
    r = [len(d), d[Key("a", 1)], a1 in d, Key("c", 1) in d, Key("a", 2) in d]
    s = {a1, a2, b}
    r.append(len(s))
    return r, list(LOG)


def unhashable_eq_only():
    class EqOnly:
        def __eq__(self, other):
            return True
    try:
        {EqOnly()}
    except TypeError as e:
        return "TypeError: " + str(e)


def main():
    return use_index(), use_hash(), unhashable_eq_only()


for item in main():
    print(item)
