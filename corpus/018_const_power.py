"""Constant folding of **: negative exponents, zero, big results (not
folded by CPython above a size limit), three-argument pow."""


def powers():
    vals = [2 ** 10, 2 ** 0, 0 ** 0, 0.0 ** 0, (-2) ** 3, (-2) ** 2, -2 ** 2, 2 ** -2,
            (-2) ** -1, 2.0 ** 0.5, 4 ** 0.5, 9 ** -0.5, 1 ** 10 ** 10, (-1) ** 1001,
            2 ** 3 ** 2, (2 ** 3) ** 2, 10 ** 20, 10 ** 20.0, 2 ** 63, 2 ** 64, 3 ** 40,
            1.5 ** 2, (1 + 1j) ** 2, 2 ** 1j if False else 0, True ** False, False ** 0]
    for v in vals:
        print(repr(v), type(v).__name__)
    return vals


def big():
    a = 2 ** 1000
    b = 7 ** 500
    c = (-3) ** 333
    print(a.bit_length(), b % 10 ** 12, c % 10 ** 12, c < 0)
    print(len(str(10 ** 1000)), str(10 ** 1000).count("0"))
    print(2 ** 100 == 1267650600228229401496703205376)
    return a % 10 ** 9, b % 10 ** 9, c % 10 ** 9


def negative_results():
    print(repr((-8) ** (1 / 3)))
    print(repr((-1) ** 0.5))
    print(repr((-2.0) ** 2), repr((-2.0) ** 3), repr((-2.0) ** -2))
    try:
        print(0 ** -2)
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
    try:
        print(0j ** -1)
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
    try:
        print(10.0 ** 400)
    except OverflowError as e:
        print("OverflowError", e)
    return repr((-1) ** 0.5)


def three_arg():
    print(pow(3, 4, 5), pow(2, 100, 10 ** 9 + 7), pow(-3, 3, 7), pow(3, -1, 7), pow(5, 0, 1))
    try:
        print(pow(2, -1, 4))
    except ValueError as e:
        print("ValueError", e)
    try:
        print(pow(2.0, 2, 3))
    except TypeError as e:
        print("TypeError", e)
    try:
        print(pow(2, 2, 0))
    except ValueError as e:
        print("ValueError", e)
    return pow(3, 4, 5), pow(3, -1, 7)


def main():
    return powers(), big(), negative_results(), three_arg()


powers()
big()
negative_results()
three_arg()
