"""Comprehension variables shadowing outer names (inlined on 3.12+, where
the outer value must be restored afterwards)."""

x = "global x"


def shadow_local():
    x = "local x"
    squares = [x * x for x in range(4)]
    return squares, x


def shadow_param(i):
    doubled = [i * 2 for i in range(3)]
    return doubled, i


def shadow_cell():
    y = "cell y"

    def read():
        return y

    vals = [y for y in "ab"]
    return vals, y, read()


def shadow_global():
    vals = [x for x in (1, 2)]
    return vals, x


def shadow_in_set_dict():
    k = "k"
    v = "v"
    d = {k: v for k, v in [(1, 2)]}
    s = {k for k in range(2)}
    return d, sorted(s), k, v


def shadow_unbound():
    r = [z for z in range(2)]
    try:
        return r, z  # noqa: F821
    except NameError as e:
        return r, type(e).__name__


def outer_used_in_iterable():
    n = [3, 1, 2]
    sorted_n = [n for n in sorted(n)]
    return sorted_n, n


def lambda_in_comprehension():
    fs = [lambda: q for q in range(3)]
    q = "outer q"
    return [f() for f in fs], q


def main():
    return (shadow_local(), shadow_param("p"), shadow_cell(), shadow_global(), shadow_in_set_dict(),
            shadow_unbound(), outer_used_in_iterable(), lambda_in_comprehension())


for item in main():
    print(item)
print([x for x in "xy"], x)
