"""Folding of str/bytes/tuple concatenation and repetition: negative and
zero repeat counts, bool counts, results past CPython's own limits (4096
characters, 256 tuple items) and results built from propagated locals."""


def describe(label, v):
    if isinstance(v, (str, bytes)):
        head = v[:6]
        tail = v[-6:]
        print(label, type(v).__name__, len(v), repr(head), repr(tail), v.count(v[:1]) if v else 0)
    else:
        print(label, type(v).__name__, len(v), repr(v[:4]), repr(v[-3:]))
    return len(v)


def literal_forms():
    rows = [
        ("ab*3", "ab" * 3), ("ab*-3", "ab" * -3), ("ab*0", "ab" * 0), ("ab*T", "ab" * True),
        ("ab*F", "ab" * False), ("3*ab", 3 * "ab"), ("b'x'*-1", b"x" * -1),
        ("b'xy'*5", b"xy" * 5), ("(1,2)*-1", (1, 2) * -1), ("(1,2)*3", (1, 2) * 3),
        ("a*4096", "a" * 4096), ("a*4097", "a" * 4097), ("ab*2049", "ab" * 2049),
        ("b'z'*5000", b"z" * 5000), ("(0,)*256", (0,) * 256), ("(0,)*257", (0,) * 257),
        ("(1,2)*200", (1, 2) * 200), ("s+s", "abc" + "def"), ("b+b", b"ab" + b"cd"),
        ("t+t", (1,) + (2, 3)), ("()+()", () + ()), ("''+''", "" + ""),
        ("u", "\u00e9" * 3 + "x"), ("long+short", "q" * 4096 + "!"),
    ]
    lens = [describe(name, v) for name, v in rows]
    return tuple(lens)


def propagated_forms():
    s = "ab"
    b = b"xy"
    t = (1, "two", 3.0)
    n = 3
    neg = -2
    big = 3000
    rows = [
        ("s*n", s * n), ("s*neg", s * neg), ("n*s", n * s), ("s*big", s * big),
        ("b*big", b * big), ("t*n", t * n), ("t*neg", t * neg), ("t*100", t * 100),
        ("s+s", s + s), ("b+b", b + b), ("t+t", t + t), ("s*big+s", s * big + s),
        ("(s+s)*n", (s + s) * n), ("s*(n-n)", s * (n - n)),
    ]
    lens = [describe(name, v) for name, v in rows]
    print("tuple items", t * 2, (t * neg) == ())
    print("types", type(s * 0).__name__, type(b * 0).__name__, type(t * 0).__name__)
    return tuple(lens)


def concat_with_checks():
    s = "x"
    n = 4097
    big = s * n
    if len(big) > 4096:
        print("over the limit", len(big))
    if big == "x" * 4097:
        print("equal to the literal")
    if big != "x" * 4096:
        print("differs from 4096")
    if big[4096] == "x":
        print("index 4096 ok")
    t = (None,) * 257
    print("tuple", len(t), t[256], t.count(None))
    nested = ((1, 2),) * 3
    print("nested", nested, nested[0] is nested[1])
    return len(big), len(t)


def must_raise():
    s = "a"
    n = 2 ** 63
    out = []
    for label, fn in [
        ("str*float", lambda: s * 2.0),
        ("str*huge", lambda: s * n),
        ("str+int", lambda: s + 1),
        ("bytes+str", lambda: b"a" + "a"),
        ("tuple+list", lambda: (1,) + [2]),
        ("str*str", lambda: "a" * "b"),
        ("tuple*None", lambda: (1,) * None),
    ]:
        try:
            r = fn()
            print(label, "->", len(r))
            out.append(len(r))
        except (TypeError, OverflowError, MemoryError) as e:
            print(label, "raises", type(e).__name__, e)
            out.append(type(e).__name__)
    return tuple(out)


def main():
    return literal_forms(), propagated_forms(), concat_with_checks(), must_raise()


literal_forms()
propagated_forms()
concat_with_checks()
must_raise()
