# min-version: 3.10
"""match: or-patterns binding the same names, guards with side effects
(evaluated only when the pattern matched), as-patterns, guard failing then
later case matching, captures persisting after a failed guard."""

LOG = []


def guard(tag, result):
    LOG.append(tag)
    return result


def classify(v):
    match v:
        case (1 | 2 | 3) as small if guard("g-small", True):
            return "small %d" % small
        case [x, 0] | [0, x] if guard("g-zero-pair", x > 0):
            return "pair with zero, other=%r" % (x,)
        case [x, y] | (x, y, _) if guard("g-any-pair", x == y):
            return "equal pair %r" % (x,)
        case str() | bytes() as s if guard("g-text", len(s) > 2):
            return "long text"
        case {"k": 1 | 2 as k} | {"key": k}:
            return "mapping k=%r" % (k,)
        case _ if guard("g-wild", False):
            return "never"
        case _:
            return "fallback"


def captured_after_failed_guard(v):
    n = "unset"
    match v:
        case [n, m] if m > 100:
            return "matched", n
        case _:
            pass
    return "fell through", n


def main():
    del LOG[:]
    vals = [1, 3, 4, [5, 0], [0, 6], [0, -1], [2, 2], (9, 9, "z"), [1, 2], "ab", "abcd", b"xyz",
            {"k": 2}, {"key": "v"}, {"k": 3}, None]
    out = [(repr(v), classify(v)) for v in vals]
    return out, list(LOG), captured_after_failed_guard([7, 1]), captured_after_failed_guard([7, 200])


r = main()
for item in r[0]:
    print(item)
print(r[1])
print(r[2], r[3])
