"""Constant folding: huge integers beyond CPython's folding size limits."""


def powers():
    a = 2 ** 200
    b = 10 ** 100 // 3
    c = -(10 ** 100) // 3
    d = 2 ** 64 - 1
    e = (2 ** 128) * (2 ** 128)
    f = 3 ** 100 % 1000007
    g = 7 ** 77
    h = -(2 ** 63)
    print(a)
    print(b)
    print(c)
    print(d, h, h - 1)
    print(e == 2 ** 256, e.bit_length(), len(str(e)))
    print(f, g % 10 ** 10, g.bit_length())
    return a.bit_length(), b % 1000, c % 1000, f


def big_mixed():
    x = 2 ** 100
    print(x + 0.5, x / 3, x // 3, x % 7, -x % 7)
    print(divmod(x, 12345), divmod(-x, 12345))
    print(pow(3, 1000, 10 ** 9 + 7), pow(2, -1, 7) if hasattr(int, "bit_length") else 0)
    print(abs(-x), -abs(x), +x, ~x, ~-x)
    print(x == 2.0 ** 100, x == 2 ** 100 + 1, x > 1e30, x < 1e31)
    print(hex(x), oct(2 ** 20), bin(2 ** 10 - 1))
    print(int("9" * 50) + 1, int("-" + "1" * 40) * 3)
    print(10 ** 18 * 10 ** 18, (10 ** 18) ** 2 == 10 ** 36)
    print(str(2 ** 1000)[:20], str(2 ** 1000)[-20:], len(str(2 ** 1000)))
    return hex(x), str(9 ** 40)


def literals():
    big = 123456789012345678901234567890123456789012345678901234567890
    neg = -123456789012345678901234567890123456789012345678901234567890
    print(big + neg, big * 2, big // 10 ** 50, neg // 10 ** 50, neg % 10 ** 5)
    print(0x_FFFF_FFFF_FFFF_FFFF_FFFF, 0o7777777777777777777777, 0b1 << 99)
    t = (2 ** 70, -(2 ** 70), 2 ** 70 + 0.0)
    print(t, [type(v).__name__ for v in t])
    return big % 97, neg % 97


def main():
    return powers(), big_mixed(), literals()


powers()
big_mixed()
literals()
