"""Comparisons and identity tests feeding conditional jumps (CPython fuses
COMPARE_OP / IS_OP / CONTAINS_OP with the jump in various ways)."""


def compare_jumps(a, b):
    out = []
    if a == b:
        out.append("==")
    if a != b:
        out.append("!=")
    if a < b:
        out.append("<")
    if a <= b:
        out.append("<=")
    if a > b:
        out.append(">")
    if a >= b:
        out.append(">=")
    if a is b:
        out.append("is")
    if a is not b:
        out.append("is not")
    if not a == b:
        out.append("not ==")
    if not a < b:
        out.append("not <")
    return out


def none_checks(x):
    if x is None:
        return "None"
    if x is not None and not x:
        return "falsy"
    return "value"


def contains_jumps(x, coll):
    r = []
    if x in coll:
        r.append("in")
    if x not in coll:
        r.append("not in")
    if not x in coll:
        r.append("not (in)")
    return r


def nan_conditions():
    nan = float("nan")
    out = []
    if nan == nan:
        out.append("eq")
    if nan != nan:
        out.append("ne")
    if not nan < 1:
        out.append("not lt")
    if not nan >= 1:
        out.append("not ge")
    if nan:
        out.append("truthy")
    return out


def mixed(a):
    return ("small" if a < 10 else "big") if a == a else "nan", a != a


def main():
    pairs = [(1, 2), (2, 1), (3, 3), ("a", "b"), (True, True), ((1,), (1,)), (1, 1.0)]
    return ([compare_jumps(a, b) for a, b in pairs], [none_checks(x) for x in (None, 0, "", 5)],
            [contains_jumps(x, (1, 2)) for x in (1, 3)], contains_jumps("a", "abc"),
            nan_conditions(), mixed(5), mixed(50), mixed(float("nan")))


for a, b in ((0, 0), (0, 1), ("x", "x"), ([1], [1]), (2.5, 2)):
    print(repr(a), repr(b), compare_jumps(a, b))
print([none_checks(x) for x in (None, [], [0], 0.0)])
print(contains_jumps(2, [1, 2]), contains_jumps("z", {"a": 1}), contains_jumps(5, range(3)))
print(nan_conditions())
