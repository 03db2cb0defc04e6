"""Constant strings: concatenation, indexing, slicing, unicode, and
methods called on literals (must not be folded wrongly)."""


def literal_ops():
    a = "abc" + "def"
    b = "abc"[1]
    c = "abc"[-1]
    d = "abcdef"[1:4]
    e = "abcdef"[::-1]
    f = "abcdef"[::2]
    g = "abcdef"[-2:]
    h = "abc" "def" "ghi"
    i = "a" + "b" * 3 + "c"
    j = ("x" + "y") * 2
    k = "é" + "ü"
    l = "\N{GREEK SMALL LETTER ALPHA}" * 3
    m = "\u00e9" == "é"
    n = "e\u0301" == "é"
    o = len("\U0001F600"), len("\U0001F600".encode("utf-8")), len("\U0001F600".encode("utf-16-le"))
    vals = [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o]
    for val in vals:
        print(ascii(val))
    return vals


def methods():
    out = [
        "Hello".upper(), "Hello".lower(), " pad ".strip(), "a,b,,c".split(","), "a b  c".split(),
        "x".join("abc"), "-".join(["1", "2"]), "hello".replace("l", "L", 1), "abc".find("c"),
        "abc".find("z"), "abc".startswith(("x", "a")), "TitLe cAse".title(), "swap".swapcase(),
        "42".zfill(5), "-42".zfill(5), "abc".center(7, "*"), "tab\there".expandtabs(4),
        "a\nb\r\nc".splitlines(), "a\nb\r\nc".splitlines(True), "abcabc".rfind("b"),
        "  x".isspace(), "123".isdigit(), "abc".isidentifier(), "ß".upper(), "ǅ".lower(),
        "abc".partition("b"), "abc".rpartition("z"), "%s" % "s", "a{}b".format(1),
        "{0}{1}{0}".format("x", "y"), "{:>4}".format("r"), "{k}".format(k="v"),
        "ab".encode(), "straße".casefold(), "abc".translate({ord("a"): "A", ord("b"): None}),
    ]
    for o in out:
        print(ascii(o))
    return out


def comparisons():
    print("a" < "b", "a" < "B", "abc" < "abd", "ab" < "abc", "" < "a", "Z" < "a")
    print("é" > "z", sorted(["b", "A", "a", "B", "é", "_"]), max("hello"), min("hello"))
    print("abc" == "ab" + "c", "abc" != "ABC".lower(), "abc" * 0 == "")
    return sorted(["b", "A", "a", "B"])


def main():
    return literal_ops(), methods(), comparisons()


literal_ops()
methods()
comparisons()
