"""Conditional expressions, nested and in odd positions."""


def classify(n):
    return "neg" if n < 0 else "zero" if n == 0 else "small" if n < 10 else "big"


def nested(a, b):
    return (a if a > b else b) if (a is not None and b is not None) else (a if b is None else b)


def in_args(x):
    return max(x if x else 1, 2 if x else 3), [x if x % 2 else -x for x in range(x)]


def as_condition(x, y):
    if (x if y else not x):
        return "then"
    while (x if y else 0):
        x -= 1
    return "else %r" % x


def side_effects(flag, log):
    return (log.append("a") or "A") if flag else (log.append("b") or "B")


def in_lambda():
    f = lambda v: "odd" if v & 1 else "even"
    return [f(i) for i in range(4)]


def main():
    log = []
    r = ([classify(n) for n in (-5, 0, 5, 50)], nested(1, 2), nested(None, 3), nested(4, None),
         in_args(0), in_args(5), as_condition(3, True), as_condition(3, False), as_condition(0, False),
         side_effects(1, log), side_effects(0, log), log, in_lambda())
    return r


for n in (-1, 0, 9, 10):
    print(n, classify(n))
print(nested(5, 3), nested(None, None), nested(None, 7))
print(in_args(4))
print(as_condition(2, 1), as_condition(0, 0), as_condition(5, 0))
log = []
print(side_effects(True, log), side_effects(False, log), log)
print(in_lambda())
