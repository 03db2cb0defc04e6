"""`not` of constants, truthiness of containers and of constants in `if`."""


def nots():
    vals = [not 0, not 1, not 0.0, not -0.0, not 0j, not "", not "0", not b"",
            not (), not (0,), not [], not [[]], not {}, not None, not not 5,
            not not "", not not not 0, not True, not False]
    print(vals)
    return vals


def truthiness():
    items = [0, 1, -1, 0.0, 1e-300, "", " ", b"", b"\x00", (), ((),), [], [0],
             {}, {0: 0}, set(), {0}, frozenset(), range(0), range(1), None,
             float("nan"), 0j, -0.0]
    out = [bool(x) for x in items]
    print(out)
    return out


def in_if():
    r = []
    if 0:
        r.append("0")
    if 1:
        r.append("1")
    if "":
        r.append("empty")
    if "x":
        r.append("x")
    if ():
        r.append("()")
    if (0,):
        r.append("(0,)")
    if None:
        r.append("None")
    if not None:
        r.append("not None")
    if 0.0:
        r.append("0.0")
    if -0.0:
        r.append("-0.0")
    if 0j:
        r.append("0j")
    if b"":
        r.append("b''")
    if not ():
        r.append("not ()")
    while 0:
        r.append("never")
    while "":
        r.append("never")
    x = 1 if () else 2
    y = 3 if [0] else 4
    print(r, x, y)
    return r, x, y


def de_morgan(a, b):
    p = not (a and b)
    q = (not a) or (not b)
    r = not (a or b)
    s = (not a) and (not b)
    return p, q, r, s, p == q, r == s


def not_with_compare(a, b):
    return (not a == b, not a != b, not a < b, not a is b, a is not b,
            not a in (b,), a not in (b,))


def main():
    rows = []
    for a in (0, 1, "", "z", None, [1]):
        for b in (0, 2, []):
            rows.append(de_morgan(a, b))
    print(rows[:4])
    cmp = [not_with_compare(1, 1), not_with_compare(1, 2), not_with_compare("a", "a"),
           not_with_compare(float("nan"), float("nan"))]
    for c in cmp:
        print(c)
    return nots(), truthiness(), in_if(), len(rows), cmp


nots()
truthiness()
in_if()
print(de_morgan(1, 0), de_morgan("", "x"), de_morgan([0], (0,)))
