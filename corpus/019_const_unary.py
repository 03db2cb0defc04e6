"""Unary operators on constants and variables: -, +, ~, not, repeated."""


class U:
    def __neg__(self):
        return "neg"

    def __pos__(self):
        return "pos"

    def __invert__(self):
        return "inv"

    def __bool__(self):
        print("  __bool__ called")
        return False


def consts():
    vals = [-1, --1, ---1, -(-1), +(-1), -+1, ~0, ~~5, ~-1, -~1, ~(2 ** 64), -(2 ** 63),
            -0, +0.0, -(0.0), -1.5, --1.5, -(1 + 2j), +(-0j), -True, +True, -False, not -1,
            not -0.0, not ~-1, -(-(2 ** 100)), -(10 ** 30) + 1]
    for v in vals:
        print(repr(v))
    return vals


def on_vars(x):
    return -x, +x, ~x, not x, -(-x), ~~x, not not x


def user():
    u = U()
    print(-u, +u, ~u)
    print("not:", not u)
    if not u:
        print("falsy user object")
    r = not not u
    print("double not:", r)
    return -u, r


def main():
    return consts(), [on_vars(v) for v in (0, 5, -5, 3, 2 ** 70)], user()


consts()
for v in (0, 1, -7, 2, 10 ** 20):
    print(v, on_vars(v))
user()
