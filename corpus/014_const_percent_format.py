"""printf-style % formatting on str and bytes, with constant and variable
operands (CPython may turn constant % formats into f-string code)."""


class R:
    def __repr__(self):
        return "R!"

    def __str__(self):
        return "R-str"


def constants():
    out = [
        "%s" % 1, "%r" % "q", "%5.2f|" % 3.14159, "%-6d|" % 42, "%x %X %o" % (255, 255, 8),
        "%e" % 12345.678, "%g" % 0.00001234, "%%", "%c%c" % (72, "i"), "%05.1f" % -2.5,
        "%(a)s-%(b)r" % {"a": 1, "b": "two"}, "%s" % (1,), "%s" % [1, 2], "%s" % ((1, 2),),
        "%d" % 3.99, "%i" % -3.99, "%+d" % 5, "% d" % 5, "%#x" % 255, "%#o" % 8, "%.3s" % "abcdef",
        "%*d|" % (5, 42), "%-*d|" % (5, 42), "%.*f" % (2, 1.23456), "%s %s" % ("a", "b"),
        "%a" % "é", "%r" % R(), "%s" % R(), "%s" % None, "%d%%" % 50,
    ]
    for o in out:
        print(o)
    return out


def variables(fmt_args):
    out = []
    for fmt, args in fmt_args:
        try:
            out.append(fmt % args)
        except (TypeError, ValueError, KeyError) as e:
            out.append("%s: %s" % (type(e).__name__, e))
    for o in out:
        print(o)
    return out


def errors():
    out = []
    for label, fn in (
        ("too few", lambda: "%s %s" % ("x",)),
        ("too many", lambda: "%s" % (1, 2)),
        ("bad type", lambda: "%d" % "x"),
        ("bad char", lambda: "%c" % "ab"),
        ("bad spec", lambda: "%y" % 1),
        ("missing key", lambda: "%(k)s" % {"j": 1}),
        ("mapping needed", lambda: "%(k)s" % 5),
        ("incomplete", lambda: "abc%" % ()),
    ):
        try:
            out.append(fn())
        except (TypeError, ValueError, KeyError) as e:
            out.append("%s %s: %s" % (label, type(e).__name__, e))
    for o in out:
        print(o)
    return out


def bytes_format():
    out = [b"%s" % b"x", b"%d" % 5, b"%5.1f" % 2.25, b"%c" % 65, b"%c" % b"B", b"%x" % 255,
           b"%r" % "s" if False else b"skip", b"%a" % "é", b"%%"]
    for o in out:
        print(o)
    try:
        b"%s" % "str"
    except TypeError as e:
        print("TypeError", e)
    return out


def main():
    return constants(), variables([("%s-%s", (1, 2)), ("%d", 7.5), ("%s", {}), ("%(x)d", {"x": 3}),
                                   ("%s", ()), ("%.2f", "s")]), errors(), bytes_format()


constants()
variables([("%r|%s", ("a", "a")), ("%3d|%-3d|", (1, 2)), ("%s", ([],))])
errors()
bytes_format()
