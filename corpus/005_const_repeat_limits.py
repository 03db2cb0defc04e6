"""Constant folding: sequence repetition near CPython's folding limits
(4096 characters for str/bytes, 256 items for tuples)."""


def strings():
    s1 = "a" * 4096
    s2 = "a" * 4097
    s3 = "ab" * 2048
    s4 = "ab" * 2049
    s5 = "" * 100000
    s6 = "xyz" * -3
    s7 = "q" * 0
    s8 = "é" * 5000
    s9 = 3 * "abc"
    s10 = "a" * True
    for name, s in (("s1", s1), ("s2", s2), ("s3", s3), ("s4", s4), ("s5", s5),
                    ("s6", s6), ("s7", s7), ("s8", s8), ("s9", s9), ("s10", s10)):
        print(name, len(s), s[:3], s[-2:], s.count("a"))
    print(s1 + "b" == "a" * 4096 + "b", (s1 + s1) == s3.replace("b", "a") * 2)
    return len(s1), len(s2), len(s4), len(s8)


def byte_strings():
    b1 = b"x" * 4096
    b2 = b"x" * 4097
    b3 = b"\x00\xff" * 3000
    b4 = bytearray(b"ab") * 3
    print(len(b1), len(b2), len(b3), b3[:4], b3[-1], b4, type(b4).__name__)
    print(b1.count(b"x"), b2[4096], b"-" * -1, b"z" * False)
    return len(b1), len(b2), len(b3)


def tuples():
    t1 = (1,) * 256
    t2 = (1,) * 257
    t3 = (1, 2) * 128
    t4 = (1, 2) * 129
    t5 = ((),) * 300
    t6 = (None,) * 0
    t7 = ("s",) * 1000
    for name, t in (("t1", t1), ("t2", t2), ("t3", t3), ("t4", t4), ("t5", t5),
                    ("t6", t6), ("t7", t7)):
        print(name, len(t), t[:3], t[-1:], sum(1 for x in t if x == 1))
    print(t1 + (2,) == (1,) * 256 + (2,), t3.count(2), t4.index(2, 200))
    nested = ((1, 2),) * 2
    print(nested, nested[0] is nested[1])
    return len(t1), len(t2), len(t4), len(t7)


def lists():
    l1 = [0] * 257
    l2 = [[]] * 3
    l2[0].append("shared")
    print(len(l1), l2)
    l3 = [1, 2] * 0
    l4 = 2 * [None]
    print(l3, l4)
    return len(l1), l2


def errors():
    for label, fn in (
        ("str*float", lambda: "a" * 2.0),
        ("tuple*str", lambda: (1,) * "3"),
        ("list*list", lambda: [] * []),
        ("huge", lambda: "ab" * (2 ** 70)),
    ):
        try:
            fn()
        except (TypeError, OverflowError, MemoryError) as e:
            print(label, type(e).__name__, e)
    return "done"


def main():
    return strings(), byte_strings(), tuples(), lists(), errors()


strings()
byte_strings()
tuples()
lists()
errors()
