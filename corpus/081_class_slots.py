"""__slots__: no __dict__, AttributeError on unknown attributes, slots
with inheritance, slot descriptors, __dict__ in slots, defaults."""


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)


class Point3(Point):
    __slots__ = ("z",)

    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z


class Flexible:
    __slots__ = ("a", "__dict__")


class NoSlotsChild(Point):
    pass


def main():
    out = []
    p = Point(1, 2)
    out.append(repr(p))
    try:
        p.z = 3
    except AttributeError as e:
        out.append("AttributeError on p.z")
    out.append(hasattr(p, "__dict__"))
    q = Point3(1, 2, 3)
    out.append((q.x, q.y, q.z, hasattr(q, "__dict__")))
    empty = Point.__new__(Point)
    try:
        empty.x
    except AttributeError:
        out.append("unset slot raises AttributeError")
    f = Flexible()
    f.a = 1
    f.b = 2
    out.append((f.a, sorted(f.__dict__)))
    c = NoSlotsChild(5, 6)
    c.extra = 7
    out.append((c.x, sorted(c.__dict__)))
    out.append(type(Point.__dict__["x"]).__name__)
    out.append(Point.__slots__)
    del p.x
    out.append(hasattr(p, "x"))
    return out


for item in main():
    print(item)
