# min-version: 3.10
"""match with constant subjects and propagated locals: a folder may decide
cases at optimization time, but only when CPython would; value patterns
compare with == (1 == 1.0 == True), None/True/False with `is`, signed
zeros, guards with constant conditions, and dead cases after a wildcard
capture inside an or-pattern."""
import sys


def rel():
    f = sys._getframe(1)
    return f.f_lineno - f.f_code.co_firstlineno


def classify(v):
    match v:
        case True:
            return "True (is)"
        case 1:
            return "one (==)"
        case 0.0:
            return "zero-ish (==)"
        case "a" | "b":
            return "a or b"
        case (1, 2):
            return "pair"
        case [x, *rest] if x == 9:
            return "starts with 9, rest %r" % (rest,)
        case {"k": 1}:
            return "mapping"
        case None:
            return "None"
        case _:
            return "other %r" % (v,)


def constant_subjects():
    out = []
    match 1 < 2:
        case True:
            out.append(("1<2 is True", rel()))
        case _:
            out.append("WRONG")
    out.append(rel())
    n = 8
    m = n * 3
    match m:
        case 24:
            out.append(("m is 24", rel()))
        case _:
            out.append("WRONG")
    match "x" * 3:
        case "xxx":
            out.append(("xxx", rel()))
    match (1, 2.0, "a"):
        case (1.0, 2, "a"):
            out.append(("tuple ==", rel()))
    flag = True
    match flag:
        case 1:
            out.append(("True matches 1", rel()))
    match 1:
        case True:
            out.append("WRONG 1 is not True")
        case 1.0:
            out.append(("1 matches 1.0", rel()))
    out.append(rel())
    return out


def guards():
    out = []
    k = 3
    for v in (0, 1, 2, 3):
        match v:
            case x if 1 < 2 and x == k:
                out.append(("guard const and", x))
            case x if 2 < 1:
                out.append("WRONG dead guard")
            case 0 | 1 if k > 2:
                out.append(("or with guard", v))
            case _:
                out.append(("wildcard", v, rel()))
    return out


def captures_and_bindings():
    out = []
    x = "outer"
    match (5, 6):
        case (x, 6):
            out.append(("captured", x))
    out.append(("after", x))
    y = 1
    match 2:
        case 1:
            y = "WRONG"
        case other:
            out.append(("other", other, y))
    return out


def signed_zero_match():
    out = []
    for v in (0.0, -0.0, 0, False):
        match v:
            case -0.0:
                out.append((repr(v), "matched -0.0 pattern"))
            case _:
                out.append((repr(v), "no"))
    return out


def main():
    vals = [True, 1, 1.0, 0, -0.0, False, "a", "b", (1, 2), [1, 2], [9, 8, 7], {"k": 1, "z": 2},
            {"k": True}, None, "z"]
    return (tuple(classify(v) for v in vals), constant_subjects(), guards(),
            captures_and_bindings(), signed_zero_match())


for v in [True, 1, 1.0, 0, -0.0, False, "a", "b", (1, 2), [1, 2], [9, 8, 7], {"k": 1, "z": 2},
          {"k": True}, None, "z"]:
    print(repr(v), "->", classify(v))
print("constant subjects", constant_subjects())
print("guards", guards())
print("captures", captures_and_bindings())
print("signed zero", signed_zero_match())
