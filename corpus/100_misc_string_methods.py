"""String methods on variables (not constants), including edge cases:
split with maxsplit, rsplit, strip with chars, replace with count 0,
startswith/endswith ranges, str.format_map, case mapping of non-ASCII."""


def splitting(s):
    return (s.split(), s.split(" "), s.split(",", 1), s.rsplit(",", 1), s.split(",", 0), s.partition(":"),
            s.rpartition(":"), s.splitlines(), s.strip(" ,"), s.lstrip("a "), s.rstrip("z,"))


def searching(s):
    return (s.find("b"), s.rfind("b"), s.find("b", 2), s.find("b", 2, 3), s.count("b"), s.count(""),
            s.index("a") if "a" in s else -2, s.startswith("ab"), s.startswith("b", 1), s.endswith(("x", "c")),
            s.replace("b", "B"), s.replace("b", "B", 0), s.replace("", "-"), s.replace("b", "", 1))


def casing(s):
    return (s.upper(), s.lower(), s.casefold(), s.title(), s.capitalize(), s.swapcase(), s.isupper(),
            s.islower(), s.istitle(), len(s.upper()))


def formatting():
    data = {"name": "ann", "n": 3}
    return ("{name} has {n}".format_map(data), "{0!r:>6}|{1:<4}|".format("a", 2), "{:,.3f}".format(1234567.891),
            "{:^9}".format("mid"), "{:=+8d}".format(42), "{0[1]}{1[k]}".format("xy", {"k": "v"}),
            "{:%Y}".format(__import__("datetime").date(2020, 1, 2)), "{:>{w}.{p}f}".format(3.14159, w=8, p=2),
            str.join("-", map(str, range(4))), "ab".ljust(5, ".") + "|", "ab".rjust(5) + "|")


def main():
    samples = ["a,b,,c", "  abc:def:ghi  ", "line1\nline2\r\nline3", "abcabc", ""]
    out = [splitting(s) for s in samples]
    out += [searching(s) for s in ("abcb", "xyz", "")]
    out += [casing(s) for s in ("Hello World", "ß straße", "İstanbul", "ǆ", "123")]
    out.append(formatting())
    return out


for item in main():
    print(item)
