"""Integer and float division and modulo with negative operands, divmod,
and the identity a == (a // b) * b + a % b."""


def int_table():
    pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (1, 7), (-1, 7), (6, 3), (-6, 3)]
    out = []
    for a, b in pairs:
        q, r = a // b, a % b
        out.append((a, b, q, r, divmod(a, b), q * b + r == a, int(a / b)))
    for row in out:
        print(row)
    return out


def constants():
    print(7 // 2, -7 // 2, 7 // -2, -7 // -2, 7 % 3, -7 % 3, 7 % -3, -7 % -3)
    print(-1 // 10, -1 % 10, -(1 // 10), -(1 % 10), -10 // 3, -(10 // 3))
    print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7.5 % -2, -0.5 // 1, -0.5 % 1)
    print(divmod(-7.5, 2), divmod(7, -2.0), divmod(2 ** 100, -3), divmod(-(2 ** 100), 7))
    print(1e300 // 1e-300 if False else "skip", 10 // 0.1, 10 % 0.1, 1 / 10 * 10)
    print(True // 2, True % 2, -True // 2, False // True)
    return -7 // 2, -7 % 3, 7.5 % -2


def float_mod():
    import math
    vals = [(5.0, 3.0), (-5.0, 3.0), (5.0, -3.0), (-0.0, 3.0), (0.0, -3.0), (1e-20, 1.0), (-1e-20, 1.0)]
    out = []
    for a, b in vals:
        out.append((repr(a % b), repr(math.fmod(a, b)), repr(a // b), repr(math.remainder(a, b))))
    for row in out:
        print(row)
    return out


def true_division():
    out = [1 / 3, 2 / 3, 10 / 4, -10 / 4, 10 ** 20 / 10 ** 10, (2 ** 100) / (2 ** 99), 7 / 7, 0 / -5]
    print([repr(x) for x in out])
    try:
        print((10 ** 400) / 3)
    except OverflowError as e:
        print("OverflowError", e)
    print((10 ** 400) // 3 % 1000, (10 ** 400) / (10 ** 399))
    return out


def main():
    return int_table(), constants(), float_mod(), true_division()


int_table()
constants()
float_mod()
true_division()
