"""Folding of integer floor division, modulo, true division and shifts with
negative and huge operands: Python floors (C truncates), int/int true
division is correctly rounded (converting to float first is not), and
shifts are unbounded."""


def floor_div_mod():
    a = -7
    b = 2
    c = 7
    d = -2
    rows = [
        ("-7//2", a // b), ("-7%2", a % b), ("7//-2", c // d), ("7%-2", c % d),
        ("-7//-2", a // d), ("-7%-2", a % d), ("7//2", c // b), ("7%2", c % b),
        ("-1//3", -1 // 3), ("-1%3", -1 % 3), ("0//-5", 0 // -5), ("0%-5", 0 % -5),
    ]
    big = -(10 ** 20)
    rows.append(("big//3", big // 3))
    rows.append(("big%7", big % 7))
    rows.append(("big%-7", big % -7))
    rows.append(("minint64//-1", -(2 ** 63) // -1))
    rows.append(("minint64%-1", -(2 ** 63) % -1))
    m = -9223372036854775808
    rows.append(("m//-1", m // -1))
    rows.append(("m*-1", m * -1))
    rows.append(("-m", -m))
    rows.append(("abs-ish", m - 1))
    for name, v in rows:
        print(name, v, type(v).__name__)
    return tuple(v for _, v in rows)


def float_div_mod():
    x = -7.5
    y = 2.0
    z = 5.5
    rows = [
        ("-7.5//2", x // y), ("-7.5%2", x % y), ("5.5%-2", z % -2.0),
        ("5.5//-2", z // -2.0), ("-0.0//1", -0.0 // 1), ("-0.0%1", -0.0 % 1),
        ("0.0%-1", 0.0 % -1), ("-1%1e308", -1 % 1e308), ("1e-300%-1e300", 1e-300 % -1e300),
        ("7%2.5", 7 % 2.5), ("-7//2.5", -7 // 2.5), ("1/3", 1 / 3), ("2/3", 2 / 3),
        ("-1/3", -1 / 3), ("10/4", 10 / 4), ("10/5", 10 / 5),
    ]
    for name, v in rows:
        print(name, repr(v), type(v).__name__)
    return tuple(repr(v) for _, v in rows)


def true_division_rounding():
    a = 18014398509481986        # 2**54 + 2, not exactly representable
    three = 3
    q = a / three                # correctly rounded: 6004799503160662.0
    print("a/3", repr(q), repr(float(a) / 3))
    b = 10 ** 30 + 1
    c = 10 ** 15
    print("b/c", repr(b / c))
    d = 2 ** 1100
    e = 2 ** 1090
    print("d/e", repr(d / e))          # fine although d is too big for a float
    f = 10 ** 400
    try:
        print(repr(f / 1))
    except OverflowError as exc:
        print("OverflowError", exc)
    g = 1
    h = 10 ** 400
    print("g/h", repr(g / h))
    return q, b / c, d / e, g / h


def shifts():
    one = 1
    neg = -5
    rows = [
        ("1<<63", one << 63), ("1<<64", one << 64), ("-1<<63", -one << 63),
        ("1<<200", one << 200), ("-5>>1", neg >> 1), ("-5>>100", neg >> 100),
        ("5>>100", 5 >> 100), ("big>>63", (2 ** 64 - 1) >> 63),
        ("minint>>1", -(2 ** 63) >> 1), ("T<<70", True << 70),
        ("0<<1000", 0 << 1000), ("-1>>1", -1 >> 1),
    ]
    for name, v in rows:
        print(name, v)
    for bad in (-1, -100):
        try:
            print(one << bad)
        except ValueError as exc:
            print("lshift", bad, type(exc).__name__, exc)
        try:
            print(one >> bad)
        except ValueError as exc:
            print("rshift", bad, type(exc).__name__, exc)
    wide = one << 5000
    print("wide", wide.bit_length(), wide % 1000003)
    return tuple(v for _, v in rows)


def bitwise():
    m1 = -1
    big = 2 ** 64
    rows = [
        ("-1&255", m1 & 0xFF), ("~0", ~0), ("~big", ~big), ("-6^3", -6 ^ 3),
        ("big|1", big | 1), ("-big&big", -big & big), ("~-1", ~m1),
        ("-1^big", m1 ^ big), ("big&-1", big & m1),
    ]
    for name, v in rows:
        print(name, v)
    return tuple(v for _, v in rows)


def main():
    return floor_div_mod(), float_div_mod(), true_division_rounding(), shifts(), bitwise()


floor_div_mod()
float_div_mod()
true_division_rounding()
shifts()
bitwise()
