"""f-strings: format specs, conversions, nested specs, `=` self-documenting
expressions, constant-only f-strings."""


class Fmt:
    def __format__(self, spec):
        return "<Fmt spec=%r>" % spec

    def __repr__(self):
        return "Fmt()"

    def __str__(self):
        return "fmt-str"


def basics():
    x = 3.14159
    n = 42
    s = "hi"
    out = [
        f"{x:.2f}", f"{x:10.3f}|", f"{x:<10.1f}|", f"{x:^10}|", f"{x:e}", f"{x:%}",
        f"{n:05d}", f"{n:x}", f"{n:#x}", f"{n:#o}", f"{n:b}", f"{n:,}", f"{10**9:_}",
        f"{n:+d}", f"{-n: d}", f"{n:c}", f"{s!r}", f"{s!s}", f"{s!a}", f"{'é'!a}",
        f"{s:>5}", f"{s:*^7}", f"{s!r:>8}", f"{{literal}}", f"{{{n}}}", f"{'nested'}",
        f"{3.14159:.2f}", f"{42:08b}", f"{'abc':.2}", f"{None}", f"{True:d}", f"{1e100:g}",
        f"{-0.0:.1f}", f"{float('nan'):f}", f"{float('inf'):+}", f"{12345.678:,.2f}",
    ]
    for o in out:
        print(o)
    return out


def nested_specs():
    out = []
    for width in (1, 5, 9):
        for prec in (0, 2):
            out.append(f"[{3.14159:{width}.{prec}f}]")
    align = "^"
    fill = "-"
    out.append(f"[{'mid':{fill}{align}{11}}]")
    print(out)
    return out


def conversions_and_objects():
    f = Fmt()
    out = [f"{f}", f"{f!r}", f"{f!s}", f"{f:spec}", f"{f!r:>10}", f"{f:{'dyn'}}"]
    print(out)
    return out


def self_documenting():
    a = 10
    b = [1, 2]
    out = [f"{a=}", f"{a+1=}", f"{b[0] = }", f"{a=:>5}", f"{a=!s}", f"{'s'=}"]
    print(out)
    return out


def expressions():
    items = ["x", "y"]
    d = {"k": 7}
    out = [
        f"{len(items)} items: {', '.join(items)}",
        f"{d['k'] * 2}",
        f"{'yes' if items else 'no'}",
        f"{[i * 2 for i in range(3)]}",
        f"{(lambda q: q + 1)(1)}",
        f"{items[-1]!r}{items[0]}",
        f"" f"plain" f"{1}" "{not a field}",
        f"{'a' 'b'}",
        f"{3:{'>'}{4}}",
        f"line1\nline2\t{1}",
    ]
    for o in out:
        print(repr(o))
    try:
        f"{3.5:d}"
    except ValueError as e:
        print("ValueError", e)
    try:
        f"{'s':d}"
    except ValueError as e:
        print("ValueError", e)
    return out


def main():
    return basics(), nested_specs(), conversions_and_objects(), self_documenting(), expressions()


basics()
nested_specs()
conversions_and_objects()
self_documenting()
expressions()
