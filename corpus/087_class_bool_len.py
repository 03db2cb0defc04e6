"""Truth testing of user objects: __bool__ first, then __len__; used by if,
while, not, and/or, assert, conditional expressions. Every call is logged
so that a folded or skipped truth test shows."""

LOG = []


class WithBool:
    def __init__(self, v):
        self.v = v

    def __bool__(self):
        LOG.append("bool(%s)" % self.v)
        return self.v


class WithLen:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        LOG.append("len(%d)" % self.n)
        return self.n


class Both(WithBool, WithLen):
    def __init__(self, v, n):
        WithBool.__init__(self, v)
        WithLen.__init__(self, n)


class BadBool:
    def __bool__(self):
        return 1


class NegLen:
    def __len__(self):
        return -1


def tests(x):
    del LOG[:]
    r = []
    if x:
        r.append("if")
    r.append("not" if not x else "not-not")
    r.append(x and "and-second")
    r.append(x or "or-second")
    r.append("t" if x else "f")
    n = 0
    while x and n < 2:
        n += 1
    r.append(n)
    r.append(bool(x))
    return [v if isinstance(v, (str, int, bool)) else type(v).__name__ for v in r], list(LOG)


def main():
    out = [tests(WithBool(True)), tests(WithBool(False)), tests(WithLen(0)), tests(WithLen(3)), tests(Both(False, 5))]
    for bad in (BadBool(), NegLen()):
        try:
            bool(bad)
        except (TypeError, ValueError) as e:
            out.append("%s: %s" % (type(e).__name__, e))
    return out


for item in main():
    print(item)
