"""Truth tests of values that are already bools (`not x or y`, `a in s and
b`, `x is None or y`, comparisons under `if`) lose their `TO_BOOL` on 3.13+;
values that are not exact bools (rich comparisons returning other objects,
`__bool__`, `__len__`) must still be converted, and every `__bool__` call
must still happen, in the same order."""

CALLS = []


class Flag:
    def __init__(self, name, value):
        self.name = name
        self.value = value

    def __bool__(self):
        CALLS.append(self.name)
        return self.value

    def __repr__(self):
        return "Flag(%s)" % self.name


class Rich:
    """Comparisons return a Flag, not a bool."""

    def __init__(self, n):
        self.n = n

    def __lt__(self, other):
        return Flag("lt%d" % self.n, self.n < other)

    def __eq__(self, other):
        return Flag("eq%d" % self.n, self.n == other)

    __hash__ = object.__hash__


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        CALLS.append("len%d" % self.n)
        return self.n

    def __repr__(self):
        return "Sized(%d)" % self.n


def value_context(a, b, s):
    CALLS.clear()
    r = [
        not a or b,
        not b and a,
        a in s or b,
        a not in s and b,
        a is None or b,
        a is not None and b,
        (s == ()) or b,
        (len(s) < 2) and b,
    ]
    return r, list(CALLS)


def branch_context(a, b, s):
    CALLS.clear()
    out = []
    if not a or b:
        out.append(1)
    if a in s and not b:
        out.append(2)
    if a is None or len(out) < 2:
        out.append(3)
    while not out or len(out) < 4:
        out.append(4)
    return out, list(CALLS)


def rich(n):
    CALLS.clear()
    x = Rich(n)
    r = (x < 2) or "right"
    q = (x == 1) and "and-right"
    if x < 5 and x == n:
        r = (r, "both")
    return r, q, list(CALLS)


def sized(n):
    CALLS.clear()
    v = not Sized(n) or Sized(n + 1)
    w = Sized(n) and "nonempty"
    return bool(v), w, list(CALLS)


print(value_context(Flag("a", False), Flag("b", True), ()))
print(value_context(1, 0, {1, 2}))
print(value_context(None, "b", [None]))
print(branch_context(Flag("a", True), Flag("b", False), []))
print(branch_context(1, 0, (1,)))
print(rich(1), rich(7))
print(sized(0), sized(2))


def main():
    return (value_context(3, Flag("b", False), {3}), branch_context(None, 1, ()),
            rich(0), sized(1))
