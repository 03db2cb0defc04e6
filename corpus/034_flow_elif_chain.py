"""Deeply nested if/elif chains and nested conditionals."""


def grade(score):
    if score >= 90:
        if score >= 97:
            return "A+"
        elif score >= 93:
            return "A"
        else:
            return "A-"
    elif score >= 80:
        if score >= 87:
            return "B+"
        elif score >= 83:
            return "B"
        return "B-"
    elif score >= 70:
        return "C"
    elif score >= 60:
        return "D"
    elif score < 0:
        return "invalid"
    else:
        return "F"


def nested(a, b, c):
    if a:
        if b:
            if c:
                r = "abc"
            else:
                r = "ab"
        elif c:
            r = "ac"
        else:
            r = "a"
    else:
        if b:
            if c:
                r = "bc"
            else:
                r = "b"
        else:
            if c:
                r = "c"
            else:
                r = ""
    return r


def fizz(n):
    out = []
    for i in range(1, n + 1):
        if i % 15 == 0:
            out.append("FizzBuzz")
        elif i % 5 == 0:
            out.append("Buzz")
        elif i % 3 == 0:
            out.append("Fizz")
        else:
            out.append(str(i))
    return out


def chain_with_side_effects(x):
    log = []
    if log.append(1) or x == 1:
        r = "one"
    elif log.append(2) or x == 2:
        r = "two"
    elif log.append(3) or x == 3:
        r = "three"
    else:
        log.append(4)
        r = "other"
    return r, log


def type_dispatch(v):
    if isinstance(v, bool):
        return "bool"
    elif isinstance(v, int):
        if v < 0:
            return "negative int"
        elif v == 0:
            return "zero"
        return "positive int"
    elif isinstance(v, float):
        return "float"
    elif isinstance(v, str):
        if not v:
            return "empty str"
        elif v.isdigit():
            return "digit str"
        else:
            return "str"
    elif isinstance(v, (list, tuple)):
        return "sequence of %d" % len(v)
    elif v is None:
        return "None"
    return "unknown"


def main():
    return ([grade(s) for s in (100, 95, 91, 88, 85, 80, 75, 65, 10, -1)],
            [nested(a, b, c) for a in (0, 1) for b in (0, 1) for c in (0, 1)],
            fizz(15), [chain_with_side_effects(x) for x in (1, 2, 3, 4)],
            [type_dispatch(v) for v in (True, -1, 0, 3, 1.5, "", "12", "ab", [1], (1, 2), None, {})])


print([grade(s) for s in range(-5, 101, 7)])
print(nested(1, 0, 1), nested(0, 1, 0), nested(0, 0, 0))
print(fizz(16))
print(chain_with_side_effects(3), chain_with_side_effects(9))
print([type_dispatch(v) for v in (False, 7, "x", "9", [], 2.0)])
