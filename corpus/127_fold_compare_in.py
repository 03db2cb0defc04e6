"""Comparisons of constants (CPython's AST optimizer leaves these to the
bytecode): str/bytes/int/float/tuple ordering, exact int-float comparison,
`in`/`not in` against constant tuples, strings and frozensets, and chained
comparisons, each also through propagated locals."""


def literal_compares():
    rows = [
        ("1<2", 1 < 2), ("2<1", 2 < 1), ("1==1.0", 1 == 1.0), ("1!=True", 1 != True),
        ("'a'<'b'", "a" < "b"), ("'B'<'a'", "B" < "a"), ("'ab'<'abc'", "ab" < "abc"),
        ("'\u00e9'>'z'", "\u00e9" > "z"), ("b'a'<b'b'", b"a" < b"b"), ("b''<b'\\x00'", b"" < b"\x00"),
        ("'a'==b'a'", "a" == b"a"), ("'a'!=b'a'", "a" != b"a"), ("(1,2)<(1,3)", (1, 2) < (1, 3)),
        ("(1,2)<(1,2,0)", (1, 2) < (1, 2, 0)), ("()<(0,)", () < (0,)), ("0.1+0.2==0.3", 0.1 + 0.2 == 0.3),
        ("0.0==-0.0", 0.0 == -0.0), ("-0.0<0.0", -0.0 < 0.0), ("2**53+1>2.0**53", 2 ** 53 + 1 > 2.0 ** 53),
        ("10**23==1e23", 10 ** 23 == 1e23), ("1e23<10**23", 1e23 < 10 ** 23), ("True>False", True > False),
        ("None==None", None == None), ("None!=0", None != 0), ("1j==1j", 1j == 1j),
        ("(1,'a')==(1.0,'a')", (1, "a") == (1.0, "a")), ("1<2<3", 1 < 2 < 3), ("3>2>2", 3 > 2 > 2),
        ("1<3>2", 1 < 3 > 2), ("1==1.0==True", 1 == 1.0 == True),
    ]
    for name, v in rows:
        print(name, v, type(v).__name__)
    return tuple(v for _, v in rows)


def propagated_compares():
    a = 9007199254740993      # 2**53 + 1
    f = 9007199254740992.0    # 2.0**53
    s = "abc"
    b = b"abc"
    t = (1, 2.0, "a")
    one = 1
    rows = [
        ("a>f", a > f), ("a==f", a == f), ("a-1==f", a - 1 == f), ("s<'abd'", s < "abd"),
        ("s==b", s == b), ("b<b'abd'", b < b"abd"), ("t<(1,2,'b')", t < (1, 2, "b")),
        ("t==(1.0,2,'a')", t == (1.0, 2, "a")), ("one<a<f*2", one < a < f * 2),
        ("one==1.0==True", one == 1.0 == True), ("s*2>s", s * 2 > s),
    ]
    for name, v in rows:
        print(name, v)
    return tuple(v for _, v in rows)


def membership():
    x = 2
    rows = [
        ("2 in (1,2.0,'a')", 2 in (1, 2.0, "a")), ("'a' in (1,2.0,'a')", "a" in (1, 2.0, "a")),
        ("True in (1,2.0,'a')", True in (1, 2.0, "a")), ("0 in (1,2.0,'a')", 0 in (1, 2.0, "a")),
        ("'b' not in (1,2.0,'a')", "b" not in (1, 2.0, "a")), ("1.0 not in (1,)", 1.0 not in (1,)),
        ("'ab' in 'xaby'", "ab" in "xaby"), ("'' in ''", "" in ""), ("'ba' in 'xaby'", "ba" in "xaby"),
        ("b'y' in b'xy'", b"y" in b"xy"), ("121 in b'xy'", 121 in b"xy"), ("x in [1,2,3]", x in [1, 2, 3]),
        ("x in {1,2,3}", x in {1, 2, 3}), ("x not in {1,3}", x not in {1, 3}), ("x in ()", x in ()),
        ("(1,2) in ((1,2),)", (1, 2) in ((1, 2),)), ("-0.0 in (0,)", -0.0 in (0,)), ("None in (None,)", None in (None,)),
        ("x in range(3)", x in range(3)), ("not x in (2,)", not x in (2,)),
    ]
    for name, v in rows:
        print(name, v)
    k = "a"
    hits = []
    for v in (1, 2.0, 2, True, False, "a", "b", b"a", (1,)):
        hits.append((repr(v), v in (1, 2.0, k), v not in {1, 2.0, k} if not isinstance(v, (list,)) else None))
    print("table", hits)
    try:
        print([] in {1, 2})
    except TypeError as e:
        print("unhashable", type(e).__name__, e)
    try:
        print(1 in "abc")
    except TypeError as e:
        print("int in str", type(e).__name__, e)
    try:
        print("a" in b"abc")
    except TypeError as e:
        print("str in bytes", type(e).__name__, e)
    try:
        print(256 in b"abc")
    except ValueError as e:
        print("256 in bytes", type(e).__name__, e)
    return tuple(v for _, v in rows), tuple(hits)


def compares_that_raise():
    out = []
    n = None
    for label, fn in [
        ("None<1", lambda: None < 1),
        ("n<1", lambda: n < 1),
        ("(1,)<('a',)", lambda: (1,) < ("a",)),
        ("'a'<1", lambda: "a" < 1),
        ("b'a'<'a'", lambda: b"a" < "a"),
        ("1j<2j", lambda: 1j < 2j),
        ("(1,'a')<(1,2)", lambda: (1, "a") < (1, 2)),
        ("(1,'a')<(2,2)", lambda: (1, "a") < (2, 2)),
        ("{}<{}", lambda: {} < {}),
    ]:
        try:
            r = fn()
            print(label, "->", r)
            out.append(r)
        except TypeError as e:
            print(label, "raises", type(e).__name__, e)
            out.append(type(e).__name__)
    return tuple(out)


def compares_in_branches():
    log = []
    if "abc" < "abd":
        log.append("str")
    if b"b" > b"a":
        log.append("bytes")
    if not 2 < 1:
        log.append("not")
    if 1 < 2 < 3 < 4:
        log.append("chain4")
    if 1 < 2 > 3:
        log.append("WRONG chain")
    if 2 in (1, 2.0):
        log.append("in")
    if "z" not in ("a", "b"):
        log.append("not in")
    if (1, 2) == (1.0, 2.0):
        log.append("tuple eq")
    if 10 ** 23 != 1e23:
        log.append("10**23")
    while 2 < 1:
        log.append("WRONG while")
    print("branches", log)
    return tuple(log)


def main():
    return (literal_compares(), propagated_compares(), membership(),
            compares_that_raise(), compares_in_branches())


literal_compares()
propagated_compares()
membership()
compares_that_raise()
compares_in_branches()
