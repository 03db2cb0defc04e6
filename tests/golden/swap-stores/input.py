# Tuple assignments of locals: swapped stores, and what stays
# (same name twice, globals, attributes, names on two lines).
G = H = 0


def swaps(a, b, c):
    a, b = b, a
    a, b, c = c, a, b
    x, x = a, b
    return a, b, c, x


def others(o, p):
    global G, H
    G, H = H, G
    o.a, o.b = o.b, o.a
    (p,
     o) = o, p
    return p, o.a


class O:
    a, b = 1, 2


print(swaps(1, 2, 3), others(O(), 5), G, H)
