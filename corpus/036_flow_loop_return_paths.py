"""Returning from inside loops, with and without enclosing with/try/finally,
from nested loops and from while-else."""

LOG = []


class Guard:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        LOG.append("enter " + self.name)
        return self

    def __exit__(self, et, ev, tb):
        LOG.append("exit %s %s" % (self.name, et.__name__ if et else None))
        return False


def first_even(items):
    for x in items:
        if x % 2 == 0:
            return x
    return None


def from_nested(grid):
    for row in grid:
        for v in row:
            if v == "target":
                return "found"
        LOG.append("row done")
    return "missing"


def from_with_in_loop(items):
    for x in items:
        with Guard(str(x)):
            if x == 2:
                return "returned inside with at %d" % x
    return "loop done"


def from_try_finally_in_loop(items):
    for x in items:
        try:
            if x == "r":
                return "returned"
        finally:
            LOG.append("finally " + x)
    return "end"


def from_for_in_while():
    n = 0
    while True:
        n += 1
        for k in range(n):
            if k * n > 6:
                return n, k


def generator_return_in_loop(items):
    for x in items:
        if x is None:
            return
        yield x


def main():
    del LOG[:]
    r = (first_even([1, 3, 4]), first_even([1]), from_nested([[1], ["target"]]),
         from_nested([[1]]), from_with_in_loop([1, 2, 3]), from_with_in_loop([]),
         from_try_finally_in_loop(["a", "r", "b"]), from_for_in_while(),
         list(generator_return_in_loop([1, 2, None, 3])))
    return r, tuple(LOG)


print(first_even([5, 7, 8, 10]), first_even([]))
del LOG[:]
print(from_nested([["a", "b"], ["c", "target"]]), LOG)
del LOG[:]
print(from_with_in_loop([0, 1, 2]), LOG)
del LOG[:]
print(from_try_finally_in_loop(["x", "y"]), from_try_finally_in_loop(["r"]), LOG)
print(from_for_in_while())
print(list(generator_return_in_loop("abc")), list(generator_return_in_loop([None, 1])))
