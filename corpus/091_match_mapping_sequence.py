# min-version: 3.10
"""match: mapping patterns (extra keys allowed, **rest), sequence patterns
(star, nested, str is not a sequence here), tuple vs list, value patterns."""
import enum


class Color(enum.Enum):
    RED = 1
    GREEN = 2


def mapping(d):
    match d:
        case {"type": "point", "x": x, "y": y}:
            return "point %r,%r" % (x, y)
        case {"type": "user", "name": str(name), **rest}:
            return "user %s extra=%r" % (name, sorted(rest))
        case {"color": Color.RED}:
            return "red thing"
        case {"color": Color.GREEN | Color.RED as c}:
            return "colored %s" % c.name
        case {}:
            return "some mapping with keys %r" % sorted(d)
        case _:
            return "not a mapping"


def sequence(s):
    match s:
        case []:
            return "empty"
        case [x]:
            return "one %r" % (x,)
        case [x, y]:
            return "two %r %r" % (x, y)
        case [0, *rest]:
            return "starts with zero, rest %r" % (rest,)
        case [first, *middle, last] if len(middle) > 2:
            return "long %r..%r (%d)" % (first, last, len(middle))
        case [[a, b], [c, d]]:
            return "2x2 %r" % ((a, b, c, d),)
        case (a, b, c):
            return "three %r" % ([a, b, c],)
        case _:
            return "other"


def main():
    maps = [{"type": "point", "x": 1, "y": 2, "extra": 0}, {"type": "user", "name": "ann", "b": 1, "a": 2},
            {"type": "user", "name": 5}, {"color": Color.RED}, {"color": Color.GREEN}, {"z": 1}, {}, [("a", 1)]]
    seqs = [[], [1], (1, 2), [0, 9, 8], [1, 2, 3, 4, 5, 6], [[1, 2], [3, 4]], (7, 8, 9), "ab", "abc", range(3),
            b"ab", {1, 2}]
    return [mapping(m) for m in maps], [sequence(s) for s in seqs]


for group in main():
    for item in group:
        print(item)
