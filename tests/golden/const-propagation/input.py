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
