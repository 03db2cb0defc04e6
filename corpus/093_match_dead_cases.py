# min-version: 3.10
"""match: cases that can never match (guards that are constant false,
subsumed literals, impossible class patterns), match on constants, match
inside loops with break/continue/return, and line events of unmatched
cases."""


def dead(v):
    match v:
        case 1 if False:
            return "dead guard"
        case 1:
            return "one"
        case 1:
            return "subsumed duplicate"
        case int() if 0:
            return "dead int"
        case str() if not "":
            return "string (guard always true)"
        case [*_] if ():
            return "dead sequence"
        case _:
            return "default"


def constant_subject():
    match 3:
        case 1:
            r = "one"
        case 3:
            r = "three"
        case _:
            r = "other"
    match "x":
        case "y":
            r2 = "y"
        case _:
            r2 = "not y"
    return r, r2


def in_loop(items):
    out = []
    for item in items:
        match item:
            case "skip":
                continue
            case "stop":
                break
            case "ret":
                return out, "returned"
            case int(n):
                out.append(n * 2)
            case _:
                out.append("?")
    else:
        return out, "completed"
    return out, "broke"


def nested_match(a, b):
    match a:
        case 0:
            match b:
                case 0:
                    return "both zero"
                case _:
                    return "a zero"
        case _:
            match b:
                case 0:
                    return "b zero"
    return "neither"


def main():
    return ([dead(v) for v in (1, 2, "s", [1], None)], constant_subject(),
            in_loop([1, "skip", 2, "x"]), in_loop([1, "stop", 2]), in_loop(["ret", 1]),
            [nested_match(a, b) for a in (0, 1) for b in (0, 1)])


for item in main():
    print(item)
