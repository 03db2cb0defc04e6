# TO_BOOL of values that are already bools, and operands that must keep it.
class Truthy:
    def __bool__(self):
        print("bool called")
        return False

    def __lt__(self, other):
        return self

    def __repr__(self):
        return "Truthy()"


def tests(a, b, c, s):
    x = a < b and c
    y = not a or b
    z = a in s or c
    w = a is None and b
    if a < b or c:
        x = (x, 1)
    return x, y, z, w


def must_stay(a, b, c):
    v = a and b
    u = c < a and b
    t = (a < b) if c else 1
    return v, u, t, bool(t)


print(tests(1, 2, 0, {1}), tests(3, 2, 5, set()), tests(0, 0, 0, ()))
print(must_stay(Truthy(), 1, Truthy()), must_stay(0, 1, 2))
