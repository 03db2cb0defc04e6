"""dataclasses: generated __init__/__repr__/__eq__/ordering, defaults and
default_factory, frozen instances, field order, asdict/astuple, replace."""
import dataclasses
from dataclasses import dataclass, field


@dataclass(order=True)
class Item:
    priority: int
    name: str = field(compare=False)
    tags: list = field(default_factory=list, compare=False, repr=False)


@dataclass(frozen=True)
class Point:
    x: float
    y: float = 0.0

    def norm2(self):
        return self.x * self.x + self.y * self.y


@dataclass
class Derived:
    a: int = 1
    b: int = dataclasses.field(default=2, metadata={"unit": "m"})

    def __post_init__(self):
        self.total = self.a + self.b


def main():
    out = []
    items = [Item(3, "c"), Item(1, "a", ["x"]), Item(2, "b")]
    out.append(sorted(items))
    out.append([repr(i) for i in sorted(items, reverse=True)])
    out.append(Item(1, "x") == Item(1, "y"))
    p = Point(3.0, 4.0)
    out.append((repr(p), p.norm2(), p == Point(3.0, 4.0), hash(p) == hash(Point(3.0, 4.0))))
    try:
        p.x = 10
    except dataclasses.FrozenInstanceError as e:
        out.append("FrozenInstanceError: %s" % e)
    out.append(dataclasses.replace(p, y=0.5))
    d = Derived(5)
    out.append((repr(d), d.total, dataclasses.asdict(d), dataclasses.astuple(d)))
    out.append([f.name for f in dataclasses.fields(Item)])
    out.append(dataclasses.fields(Derived)[1].metadata["unit"])
    out.append(sorted(dataclasses.asdict(Item(9, "z", ["t"])).items()))
    try:
        Item()
    except TypeError as e:
        out.append("TypeError: missing arguments")
    return out


for item in main():
    print(item)
