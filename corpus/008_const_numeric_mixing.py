"""Constant folding: bool/int/float/complex mixing and result types."""


def show(label, v):
    print("%-14s %-28r %s" % (label, v, type(v).__name__))
    return v


def arithmetic():
    r = []
    r.append(show("True+True", True + True))
    r.append(show("True*3", True * 3))
    r.append(show("False-1", False - 1))
    r.append(show("True/2", True / 2))
    r.append(show("True//2", True // 2))
    r.append(show("-True", -True))
    r.append(show("+False", +False))
    r.append(show("True**10", True ** 10))
    r.append(show("1+1.0", 1 + 1.0))
    r.append(show("3/1", 3 / 1))
    r.append(show("7//2.0", 7 // 2.0))
    r.append(show("7%2.5", 7 % 2.5))
    r.append(show("1+2j", 1 + 2j))
    r.append(show("1.5+2j", 1.5 + 2j))
    r.append(show("(1+2j)*(3-1j)", (1 + 2j) * (3 - 1j)))
    r.append(show("2j**2", 2j ** 2))
    r.append(show("1j**0", 1j ** 0))
    r.append(show("(1+1j)/(1-1j)", (1 + 1j) / (1 - 1j)))
    r.append(show("abs(3+4j)", abs(3 + 4j)))
    r.append(show("True+1j", True + 1j))
    r.append(show("0.1+0.2", 0.1 + 0.2))
    r.append(show("0.1*3", 0.1 * 3))
    r.append(show("1e16+1", 1e16 + 1))
    r.append(show("2**53+1.0", 2 ** 53 + 1.0))
    r.append(show("10**15/3", 10 ** 15 / 3))
    r.append(show("1/3", 1 / 3))
    r.append(show("-7/2", -7 / 2))
    r.append(show("2**0.5", 2 ** 0.5))
    r.append(show("(-8)**0.5", (-8) ** 0.5))
    r.append(show("4**0.5", 4 ** 0.5))
    r.append(show("int(2.9)", int(2.9)))
    r.append(show("int(-2.9)", int(-2.9)))
    return r


def comparisons():
    print(1 == 1.0, 1 == 1 + 0j, True == 1.0, 2 ** 53 == 2.0 ** 53, 2 ** 53 + 1 == 2.0 ** 53 + 1)
    print(1 < 1.5 < 2, True < 2, False < True, 0.1 + 0.2 == 0.3, abs(0.1 + 0.2 - 0.3) < 1e-9)
    print(10 ** 20 == 1e20, 10 ** 23 == 1e23, 1e23 == 10 ** 23 - 8388608)
    print((1 + 0j) == 1, 1j * 1j == -1, (1j * 1j).real, (1j * 1j).imag)
    return 1 == 1.0, 10 ** 23 == 1e23


def conversions():
    print(complex(1), complex("1+2j"), complex(1, 2) * 2, (3 + 4j).conjugate())
    print(float(True), int(True), float("1_000.5"), int("0x1f", 16), int("0b101", 0))
    print(bool(0j), bool(0.0), bool(-0.0), bool(1e-300), bool(0j + 0))
    print((2.5).as_integer_ratio(), (0.1).hex(), float.fromhex("0x1.8p1"), (10).__float__())
    print(round(1.5), round(2.5), round(2.675, 2), round(-0.5), round(1234, -2), round(1250, -2))
    return round(2.5), round(1250, -2)


def main():
    return arithmetic(), comparisons(), conversions()


arithmetic()
comparisons()
conversions()
