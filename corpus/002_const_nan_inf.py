"""Constant folding: NaN and infinities. NaN is never equal to itself, but
containers compare by identity first."""
import math

NAN = float("nan")
INF = float("inf")


def nan_identity():
    nan = float("nan")
    other = float("nan")
    print("nan == nan", nan == nan, "nan != nan", nan != nan)
    print("nan is nan", nan is nan, "nan is other", nan is other)
    print("in list", nan in [nan], "in tuple", nan in (nan,), "other in", other in [nan])
    print("list eq", [nan] == [nan], "tuple eq", (nan,) == (nan,), "diff", [nan] == [other])
    print("count", [nan, other, nan].count(nan), "index", [other, nan].index(nan))
    d = {nan: 1}
    d[nan] = 2
    d[other] = 3
    print("dict len", len(d), sorted(d.values()))
    s = {nan, nan, other}
    print("set len", len(s))
    x = nan
    print("self cmp", x == x, x < x, x >= x, not (x == x))
    return nan == nan, nan in [nan], len(d)


def nan_math():
    print(math.isnan(NAN), math.isnan(INF - INF), math.isnan(INF * 0))
    print(repr(INF - INF), repr(-NAN), repr(abs(NAN)))
    print(max(NAN, 1.0), max(1.0, NAN), min(NAN, 1.0), min(1.0, NAN))
    print(sorted([3.0, 1.0, 2.0]), NAN > 0, NAN < 0, NAN == 0)
    print(1e308 * 10, -1e308 * 10, 1e308 * 10 - 1e308 * 10)
    print(repr(float("-inf")), INF > 10 ** 400, -INF < -(10 ** 400))
    print(INF + 1 == INF, INF * -1, INF / INF, 0 * INF)
    print(math.inf // 1, math.inf % 2, divmod(7.0, math.inf), divmod(-7.0, math.inf))
    for text in ("nan", "-nan", "inf", "-inf", "infinity", "+Infinity"):
        print(text, repr(float(text)))
    print(math.isinf(1e309), 1e309, -1e309, 1e-400, -1e-400)
    return repr(1e309), repr(-1e309 * 0)


def conversions():
    for bad in (INF, -INF, NAN):
        try:
            int(bad)
        except (OverflowError, ValueError) as e:
            print(type(e).__name__, e)
    try:
        print(2.0 ** 10000)
    except OverflowError as e:
        print("OverflowError", e.args[0] if e.args else "")
    try:
        print(math.exp(1000))
    except OverflowError as e:
        print("OverflowError", e)
    print(round(2.5), round(3.5), round(-2.5), round(0.125, 2), round(0.375, 2))
    print(float(10 ** 20), float(2 ** 63), int(1e20), int(-1e20))
    try:
        float(10 ** 400)
    except OverflowError as e:
        print("OverflowError", e)
    return "ok"


def main():
    return nan_identity(), nan_math(), conversions()


nan_identity()
nan_math()
conversions()
