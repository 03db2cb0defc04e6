"""round (half to even, negative ndigits, floats that are not exactly
representable), divmod and // % on variables of mixed signs and types."""


def rounding(values):
    return [(v, round(v), round(v, 1), round(v, -1)) for v in values]


def int_rounding():
    return [round(v, -1) for v in (5, 15, 25, -5, -15, 14, 16)] + [round(1234567, -3), round(-1250, -2), round(7, 2)]


def div_table(pairs):
    out = []
    for a, b in pairs:
        try:
            out.append((a, b, a // b, a % b, divmod(a, b)))
        except ZeroDivisionError as e:
            out.append((a, b, "ZeroDivisionError", str(e)))
    return out


def main():
    vals = [0.5, 1.5, 2.5, -0.5, -1.5, 2.675, 0.125, 1e16 + 0.5, 15.0, 25.0, -2.5, 3.14159]
    pairs = [(17, 5), (-17, 5), (17, -5), (-17, -5), (17.5, 5), (-17.5, 5), (5, 0), (5.0, 0), (0, 5),
             (2 ** 70, 3), (-(2 ** 70), 7), (True, 2), (7, True)]
    return rounding(vals), int_rounding(), div_table(pairs), [type(round(2.5)).__name__, type(round(2.5, 0)).__name__]


for item in main():
    print(item)
