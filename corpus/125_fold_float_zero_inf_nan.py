"""Folding with signed zeros, infinities and NaN made from constants, and
constants that are == but of different types (1, 1.0, True; 0.0, -0.0) used
as dict keys and compared: folding and constant dedup must keep them
apart, and NaN must not compare equal to itself (but `in` uses identity)."""
import math


def sign(x):
    return math.copysign(1.0, x)


def zeros_via_locals():
    z = 0.0
    nz = -0.0
    m = -1
    rows = [
        ("-(z)", -(z)), ("-(0.0)", -(0.0)), ("z*m", z * m), ("nz*m", nz * m),
        ("z-z", z - z), ("nz-z", nz - z), ("nz+z", nz + z), ("nz+nz", nz + nz),
        ("z/m", z / m), ("nz*0", nz * 0), ("abs-ish", nz if nz < 0 else -nz),
        ("nz%1", nz % 1), ("z%-1", z % -1), ("nz//1", nz // 1), ("+nz", +nz),
        ("nz**1", nz ** 1),
    ]
    for name, v in rows:
        print(name, repr(v), sign(v))
    print("z == nz", z == nz, "z < nz", z < nz, "repr", repr(z), repr(nz))
    print("copysign", math.copysign(2, z), math.copysign(2, nz), math.copysign(2, -(0.0)))
    return tuple(sign(v) for _, v in rows)


def infinities():
    inf = 1e308 * 10
    ninf = -1e308 * 10
    big = 1e308
    rows = [
        ("inf", inf), ("ninf", ninf), ("big*10", big * 10), ("big+big", big + big),
        ("inf-1", inf - 1), ("-inf", -inf), ("1/inf", 1 / inf), ("-1/inf", -1 / inf),
        ("inf*0-ish", 1 / ninf), ("2.0**-1080", 2.0 ** -1080), ("1e309", 1e309),
        ("1e-400", 1e-400), ("-1e-400", -1e-400),
    ]
    for name, v in rows:
        print(name, repr(v), math.isinf(v), sign(v))
    print("inf == 1e309", inf == 1e309, "inf > 10**400", inf > 10 ** 400)
    print("int(1e308) compares", 10 ** 308 < big, 10 ** 309 > big)
    return tuple(repr(v) for _, v in rows)


def nan_behaviour():
    nan = 1e309 - 1e309      # a NaN the compiler may fold into co_consts
    other = 1e309 * 0
    print("nan repr", repr(nan), repr(other), math.isnan(nan), math.isnan(other))
    print("nan == nan", nan == nan, "nan != nan", nan != nan, "nan < 1", nan < 1)
    print("nan is nan", nan is nan)
    print("nan in (nan,)", nan in (nan,), "nan in [nan]", nan in [nan])
    print("nan in (other,)", nan in (other,), "nan not in (other,)", nan not in (other,))
    print("sorted", [repr(v) for v in sorted([3.0, 1.0])])
    d = {nan: "a"}
    d[nan] = "b"
    print("dict same nan object", len(d))
    print("max", max(nan, 1.0) != max(nan, 1.0))
    if nan == nan:
        branch = "equal (wrong)"
    elif nan != nan:
        branch = "unequal"
    else:
        branch = "neither"
    print("branch", branch)
    return nan == nan, nan in (nan,), branch


def mixed_keys():
    i = 1
    f = 1.0
    b = True
    d = {i: "int"}
    d[f] = "float"
    d[b] = "bool"
    print("d", [(k, type(k).__name__) for k in d], list(d.values()))
    d2 = {b: "bool", f: "float", i: "int"}
    print("d2", [(k, type(k).__name__) for k in d2], list(d2.values()))
    d3 = {1: "a", 1.0: "b", True: "c"}
    print("d3", [(k, type(k).__name__) for k in d3], list(d3.values()))
    d4 = {0.0: "pos"}
    d4[-0.0] = "neg"
    print("d4", [(repr(k), sign(k)) for k in d4], list(d4.values()))
    d5 = {-0.0: "neg", 0.0: "pos", 0: "int", False: "bool"}
    print("d5", [(repr(k), type(k).__name__) for k in d5], list(d5.values()))
    s = {1.0, 1, True}
    print("set", [(repr(k), type(k).__name__) for k in s])
    results = [i + i, f + f, b + b, i * f, b * f, i + b]
    print("types", [(repr(v), type(v).__name__) for v in results])
    return list(d.items()), list(d2.items()), list(d3.items()), [repr(k) for k in d4]


def distinct_constants():
    # Equal-but-different constants in one function: each keeps its type.
    a = 1
    b = 1.0
    c = True
    d = 0.0
    e = -0.0
    f = 0
    g = False
    h = 0j
    vals = [a, b, c, d, e, f, g, h, 1, 1.0, True, 0.0, -0.0, 0, False]
    print("distinct", [repr(v) for v in vals])
    print("types", [type(v).__name__ for v in vals])
    print("tuple consts", repr((1, 1.0, True)), repr((0.0, -0.0, 0)), repr((True, 1)))
    return tuple(repr(v) for v in vals)


def identity_of_one_constant():
    # Two loads of one local are one object; folding them into a new
    # constant tuple must not split it into two.
    f = 1.5
    t = (f, f)
    u = [f, f]
    print("identity", t[0] is t[1], t[0] is f, u[1] is f, f in (f,))
    return t[0] is t[1], t[0] is f, u[1] is f


def main():
    return (zeros_via_locals(), infinities(), nan_behaviour(), mixed_keys(), distinct_constants(),
            identity_of_one_constant())


zeros_via_locals()
infinities()
nan_behaviour()
mixed_keys()
distinct_constants()
identity_of_one_constant()
