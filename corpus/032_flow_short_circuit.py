"""and/or return one of their operands; short-circuit skips evaluation."""

CALLS = []


def t(v):
    CALLS.append(v)
    return v


def operands():
    vals = [1 and 2, 0 and 2, 1 or 2, 0 or 2, "" or "x", "a" and "", None or 0, [] or {},
            0 or "" or None, 1 and 2 and 3, 1 and 0 and 3, 0 or 0.0 or 5, (1, 2) and [3],
            not 0 and 7, (0 or 4) and (0 and 5), 3 and not 3, None and undefined_name]
    print(vals)
    return vals


def evaluation_order():
    del CALLS[:]
    r1 = t(0) and t(1)
    r2 = t(2) or t(3)
    r3 = t(0) or t("") or t(None)
    r4 = t(1) and t(2) and t(0) and t(9)
    r5 = (t(0) and t(1)) or (t(2) and t(3))
    r6 = t(0) or (t(1) and t(0)) or t("end")
    print(r1, r2, r3, r4, r5, r6, CALLS)
    return r1, r2, r3, r4, r5, r6, tuple(CALLS)


def in_if(a, b, c):
    out = []
    if a and b:
        out.append("a and b")
    if a or b:
        out.append("a or b")
    if a and b or c:
        out.append("a and b or c")
    if a and (b or c):
        out.append("a and (b or c)")
    if not a and not b:
        out.append("neither")
    if (a or b) and not (a and b):
        out.append("xor")
    if a and b and c:
        out.append("all")
    if a or b or c:
        out.append("any")
    return out


def in_while(items):
    i = 0
    while i < len(items) and items[i] is not None and items[i] > 0:
        i += 1
    return i


def user_bool():
    class B:
        def __init__(self, v):
            self.v = v

        def __bool__(self):
            CALLS.append("bool(%s)" % self.v)
            return self.v

    del CALLS[:]
    x = B(False) or B(True)
    y = B(True) and B(False)
    if B(True) and B(False):
        pass
    z = not B(False)
    print(x.v, y.v, z, CALLS)
    return tuple(CALLS)


def main():
    rows = [in_if(a, b, c) for a in (0, 1) for b in ("", "b") for c in (None, [1])]
    return operands(), evaluation_order(), rows, in_while([1, 2, None, 3]), in_while([3, -1]), user_bool()


operands()
evaluation_order()
for a, b, c in ((0, 0, 0), (1, 0, 1), (1, 1, 0), (0, 1, 1)):
    print(a, b, c, in_if(a, b, c))
print(in_while([5, 4, 3]), in_while([]), in_while([1, 0]))
user_bool()
