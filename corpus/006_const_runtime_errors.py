"""Constant expressions that must raise at run time, never at compile time,
and never be folded into a wrong value."""


NOTHING = None


def report(label, exc):
    print("%-12s %s: %s" % (label, type(exc).__name__, exc))
    return type(exc).__name__


def division():
    out = []
    try:
        x = 1 / 0
        print("not reached", x)
    except ZeroDivisionError as e:
        out.append(report("1/0", e))
    try:
        x = 1 % 0
        print("not reached", x)
    except ZeroDivisionError as e:
        out.append(report("1%0", e))
    try:
        x = 1 // 0
    except ZeroDivisionError as e:
        out.append(report("1//0", e))
    try:
        x = 1.0 / 0
    except ZeroDivisionError as e:
        out.append(report("1.0/0", e))
    try:
        x = 5.5 % 0.0
    except ZeroDivisionError as e:
        out.append(report("5.5%0.0", e))
    try:
        x = divmod(3, 0)
    except ZeroDivisionError as e:
        out.append(report("divmod", e))
    try:
        x = 0 ** -1
    except ZeroDivisionError as e:
        out.append(report("0**-1", e))
    try:
        x = 0.0 ** -2
    except ZeroDivisionError as e:
        out.append(report("0.0**-2", e))
    try:
        x = 1j / 0
    except ZeroDivisionError as e:
        out.append(report("1j/0", e))
    x = 2 ** -1
    print("2 ** -1 =", repr(x), type(x).__name__)
    x = (-8) ** (1 / 3)
    print("(-8) ** (1/3) is", type(x).__name__)
    x = 10 ** -2
    print("10 ** -2 =", repr(x))
    return out


def types():
    out = []
    try:
        x = "a" + 1
    except TypeError as e:
        out.append(report("'a'+1", e))
    try:
        x = 1 + "a"
    except TypeError as e:
        out.append(report("1+'a'", e))
    try:
        x = -"x"
    except TypeError as e:
        out.append(report("-'x'", e))
    try:
        x = +"x"
    except TypeError as e:
        out.append(report("+'x'", e))
    try:
        x = ~1.5
    except TypeError as e:
        out.append(report("~1.5", e))
    try:
        x = [] * "x"
    except TypeError as e:
        out.append(report("[]*'x'", e))
    try:
        x = (1, 2) + [3]
    except TypeError as e:
        out.append(report("tuple+list", e))
    try:
        x = "abc" - "b"
    except TypeError as e:
        out.append(report("str-str", e))
    try:
        x = b"a" + "b"
    except TypeError as e:
        out.append(report("bytes+str", e))
    try:
        x = None + 1
    except TypeError as e:
        out.append(report("None+1", e))
    try:
        x = 1 < "a"
    except TypeError as e:
        out.append(report("1<'a'", e))
    try:
        x = {} < {}
    except TypeError as e:
        out.append(report("{}<{}", e))
    try:
        x = 1j < 2j
    except TypeError as e:
        out.append(report("1j<2j", e))
    try:
        x = "%d" % "s"
    except TypeError as e:
        out.append(report("'%d'%'s'", e))
    try:
        x = 2 ** 3 ** -1 + "s"
    except TypeError as e:
        out.append(report("mixed", e))
    return out


def indexing():
    out = []
    try:
        x = (1, 2, 3)[5]
    except IndexError as e:
        out.append(report("tuple[5]", e))
    try:
        x = "abc"[10]
    except IndexError as e:
        out.append(report("str[10]", e))
    try:
        x = b"abc"[-4]
    except IndexError as e:
        out.append(report("bytes[-4]", e))
    try:
        x = {"k": 1}["j"]
    except KeyError as e:
        out.append(report("dict[j]", e))
    try:
        x = [][0]
    except IndexError as e:
        out.append(report("[][0]", e))
    try:
        key = "a"
        x = "abc"[key]
    except TypeError as e:
        out.append(report("str['a']", e))
    print("slices ok:", (1, 2, 3)[5:], "abc"[10:], "abc"[-10:2], b"abc"[::-1])
    return out


def others():
    out = []
    for label, fn in (
        ("int('x')", lambda: int("x")),
        ("chr(-1)", lambda: chr(-1)),
        ("ord('ab')", lambda: ord("ab")),
        ("hash([])", lambda: hash([])),
        ("len(5)", lambda: len(5)),
        ("iter(5)", lambda: iter(5)),
        ("(1).x", lambda: (1).x),
        ("None()", lambda: NOTHING()),
        ("1 in 5", lambda: 1 in 5),
        ("[] in {1}", lambda: [] in {1, 2}),
    ):
        try:
            v = fn()
            print(label, "->", v)
        except Exception as e:
            out.append(report(label, e))
    print("[] in (1, 2) ->", [] in (1, 2), "[] in [1, []] ->", [] in [1, []])
    return out


def main():
    return division(), types(), indexing(), others()


division()
types()
indexing()
others()
