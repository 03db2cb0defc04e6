"""Complex constants and operations: folding must keep exact reprs."""
import cmath


def literals():
    vals = [1j, -1j, 1 + 1j, 1 - 1j, -1 - 1j, 2j * 2j, 1j * 1j, (1 + 2j) - (1 + 2j),
            1j ** 2, (0 + 1j) / 1j, complex(0, -0.0), 3 + 0j, 0j, -0.0j, 1e308j * 10,
            (1 + 1j) * 0, -(1 + 0j), 1 / 1j, abs(-3j), (1j).imag, (1j).real, (2 + 3j).conjugate()]
    for v in vals:
        print(repr(v))
    return [repr(v) for v in vals]


def math_funcs():
    print(cmath.sqrt(-1), cmath.sqrt(-1 + 0j), cmath.sqrt(complex(-1, -0.0)))
    print(cmath.phase(-1), cmath.phase(complex(-1, -0.0)), cmath.polar(1j))
    print(round(abs(cmath.exp(1j * cmath.pi) + 1), 12), cmath.isclose(cmath.exp(2j), cmath.rect(1, 2)))
    return repr(cmath.sqrt(complex(-1, -0.0)))


def errors():
    for label, fn in (
        ("int(1j)", lambda: int(1j)),
        ("1j < 1", lambda: 1j < 1),
        ("1j // 1", lambda: 1j // 1),
        ("1j % 2", lambda: 1j % 2),
        ("complex('x')", lambda: complex("x")),
        ("round(1j)", lambda: round(1j)),
    ):
        try:
            print(label, fn())
        except (TypeError, ValueError) as e:
            print(label, type(e).__name__, e)
    return "ok"


def main():
    return literals(), math_funcs(), errors()


literals()
math_funcs()
errors()
