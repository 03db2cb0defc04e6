# min-version: 3.10
"""match: class patterns with __match_args__, keyword patterns, builtin
types (int(x), str()), nested class patterns, dataclasses."""
from dataclasses import dataclass

LOG = []


class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


@dataclass
class Circle:
    center: Point
    r: float


@dataclass
class Rect:
    a: Point
    b: Point


class Tracked:
    __match_args__ = ("value",)

    @property
    def value(self):
        LOG.append("value read")
        return 42


def describe(shape):
    match shape:
        case Point(0, 0):
            return "origin"
        case Point(x=0, y=y):
            return "on y axis at %r" % (y,)
        case Point(x, 0):
            return "on x axis at %r" % (x,)
        case Point(x, y) if x == y:
            return "diagonal %r" % (x,)
        case Point():
            return "some point"
        case Circle(Point(0, 0), r):
            return "circle at origin r=%r" % (r,)
        case Circle(center=Point(x=cx), r=r) if r > 10:
            return "big circle, center x=%r" % (cx,)
        case Circle():
            return "small circle"
        case Rect(Point(x1, y1), Point(x2, y2)):
            return "rect area %r" % abs((x2 - x1) * (y2 - y1))
        case int(n) if n < 0:
            return "negative int %d" % n
        case int() | float() as num:
            return "number %r" % (num,)
        case str(s):
            return "string of %d" % len(s)
        case Tracked(42):
            return "tracked 42"
        case _:
            return "unknown"


def main():
    del LOG[:]
    shapes = [Point(0, 0), Point(0, 5), Point(3, 0), Point(2, 2), Point(1, 2), Circle(Point(0, 0), 1),
              Circle(Point(7, 1), 20), Circle(Point(1, 1), 2), Rect(Point(0, 0), Point(3, 4)), -5, 7, 2.5,
              True, "abc", Tracked(), [1]]
    return [describe(s) for s in shapes], list(LOG)


for group in main():
    for item in group:
        print(item)
