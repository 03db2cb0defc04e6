# Locals that only ever hold one constant, and traps that must stay.
def scaled(x):
    factor = 8
    limit = "high"
    return x * factor, limit


def conditional(flag):
    if flag:
        late = 5
    try:
        return late
    except UnboundLocalError:
        return "unbound"


def twice(flag):
    n = 1
    if flag:
        n = 2
    return n


def deleted():
    k = 3
    r = k
    del k
    return r


def closure():
    c = 10
    return lambda: c


def singleton(x):
    missing = None
    if x is not None:
        return x
    return missing


print(scaled(2), conditional(0), conditional(1), twice(0), twice(1), deleted(), closure()(),
      singleton(None), singleton(4))


def fused_both():
    a = 2
    b = 3
    return a * b, (a, b), max(a, b)


def fused_one_half(y):
    k = 7
    return y * (k + 1), y - k


def store_then_load(y):
    k = 5
    z = y * 2; w = -k
    return z, w


print(fused_both(), fused_one_half(1), store_then_load(1))
