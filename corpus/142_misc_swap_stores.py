"""Tuple assignments that swap-stores rewrites (two and three local names)
and the ones it must leave alone: the same name twice, globals, cells,
attributes and items, names spread over lines, unbound names."""

G1, G2 = 1, 2


class Box:
    pass


def swap(a, b):
    a, b = b, a
    return a, b


def rotate3(a, b, c):
    a, b, c = c, a, b
    return a, b, c


def same_name():
    x, x = 1, 2
    y, z, y = 3, 4, 5
    return x, y, z


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def swap_globals():
    global G1, G2
    G1, G2 = G2, G1
    return G1, G2


def swap_cells():
    p, q = 1, 2

    def inner():
        return p, q

    p, q = q, p
    return inner()


def swap_attrs():
    o = Box()
    o.x, o.y = 1, 2
    o.x, o.y = o.y, o.x
    d = {}
    d["a"], d["b"] = 1, 2
    d["a"], d["b"] = d["b"], d["a"]
    return o.x, o.y, list(d.items())


def over_lines(a, b):
    (a,
     b) = b, a
    return a, b


def unbound_read():
    try:
        u, v = v, 1
    except UnboundLocalError as e:
        return type(e).__name__
    return u, v


def mixed(a):
    b, a = a, None
    return a, b


def main():
    return (swap(1, 2), rotate3(1, 2, 3), same_name(), fib(10), swap_globals(),
            swap_cells(), swap_attrs(), over_lines("x", "y"), unbound_read(), mixed(5))


print(swap("a", "b"), rotate3(*"abc"), same_name(), fib(20))
print(swap_globals(), swap_cells(), swap_attrs(), over_lines(0, 1), unbound_read())
