"""Folding of `**`: results past 64 bits, past CPython's own folding limit
(2**200 stays a BINARY_POWER in the .pyc), negative exponents giving
floats, negative bases with fractional exponents giving complex numbers,
and the cases that must raise."""


def literal_powers():
    rows = [
        ("2**63", 2 ** 63), ("2**64", 2 ** 64), ("(-2)**63", (-2) ** 63),
        ("(-2)**64", (-2) ** 64), ("-2**2", -2 ** 2), ("2**200", 2 ** 200),
        ("3**100", 3 ** 100), ("(-3)**3", (-3) ** 3), ("2**-1", 2 ** -1),
        ("(-2)**-2", (-2) ** -2), ("10**-2", 10 ** -2), ("0**0", 0 ** 0),
        ("0.0**0", 0.0 ** 0), ("1**-5", 1 ** -5), ("2**-1074", 2 ** -1074),
        ("2**-1075", 2 ** -1075), ("2.0**0.5", 2.0 ** 0.5), ("1.1**10", 1.1 ** 10),
        ("2.5**3.7", 2.5 ** 3.7), ("(-8)**(1/3)", (-8) ** (1 / 3)),
        ("(-1)**0.5", (-1) ** 0.5), ("(-1.0)**2", (-1.0) ** 2),
        ("(-0.0)**3", (-0.0) ** 3), ("(-0.0)**2", (-0.0) ** 2),
        ("10**22", 10 ** 22), ("10.0**22", 10.0 ** 22), ("10.0**23", 10.0 ** 23),
        ("1j**2", 1j ** 2), ("T**64", True ** 64), ("2**T", 2 ** True),
    ]
    for name, v in rows:
        print(name, repr(v), type(v).__name__)
    return tuple(repr(v) for _, v in rows)


def propagated_powers():
    two = 2
    big = 200
    neg = -1
    half = 0.5
    rows = [
        ("two**64", two ** 64), ("two**big", two ** big), ("two**neg", two ** neg),
        ("-two**two", -two ** two), ("two**half", two ** half),
        ("(-two)**half", (-two) ** half), ("two**-big", two ** -big),
        ("big**big%97", big ** big % 97),
    ]
    for name, v in rows:
        print(name, repr(v), type(v).__name__)
    huge = two ** 100000
    print("huge", huge.bit_length(), huge % 1000003, huge > 2 ** 99999)
    return tuple(repr(v) for _, v in rows)


def must_raise():
    zero = 0
    out = []
    cases = [
        ("0**-1", lambda: 0 ** -1),
        ("zero**-1", lambda: zero ** -1),
        ("0.0**-1", lambda: 0.0 ** -1),
        ("2.0**1024", lambda: 2.0 ** 1024),
        ("10.0**400", lambda: 10.0 ** 400),
        ("(-8.0)**0.5 ok", lambda: (-8.0) ** 0.5),
        ("pow3", lambda: pow(2, -1, 4)),
        ("0j**-1", lambda: 0j ** -1),
    ]
    for name, fn in cases:
        try:
            r = fn()
            print(name, "->", repr(r))
            out.append(repr(r))
        except (ZeroDivisionError, OverflowError, ValueError) as e:
            print(name, "raises", type(e).__name__, e)
            out.append(type(e).__name__)
    return tuple(out)


def power_in_conditions():
    n = 64
    hits = []
    if 2 ** n > 18446744073709551615:
        hits.append("above u64 max")
    if 2 ** n == 18446744073709551616:
        hits.append("exact")
    if 2 ** 200 > 2.0 ** 199:
        hits.append("int beats float")
    if 10 ** 23 == 1e23:
        hits.append("WRONG 10**23 == 1e23")
    else:
        hits.append("10**23 != 1e23")
    if 10 ** 22 == 1e22:
        hits.append("10**22 == 1e22")
    if 2 ** 53 + 1 == 2.0 ** 53:
        hits.append("WRONG 2**53+1 == 2.0**53")
    if 2 ** 53 + 1 > 2.0 ** 53:
        hits.append("2**53+1 > 2.0**53")
    print("conditions", hits)
    return tuple(hits)


def main():
    return literal_powers(), propagated_powers(), must_raise(), power_in_conditions()


literal_powers()
propagated_powers()
must_raise()
power_in_conditions()
