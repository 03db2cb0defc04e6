"""Cells and nonlocal: counters, shared cells between closures, nonlocal in
nested levels, cell contents via __closure__, cells for arguments."""


def make_counter(start):
    count = start

    def inc(step=1):
        nonlocal count
        count += step
        return count

    def get():
        return count

    return inc, get


def shared_cells():
    x = 1

    def read():
        return x

    def write(v):
        nonlocal x
        x = v

    before = read()
    write(42)
    after = read()
    x = 7
    return before, after, read(), x


def three_levels():
    a = "outer"

    def mid():
        b = "mid"

        def inner():
            nonlocal a, b
            a += "+inner"
            b += "+inner"
            return a, b

        r = inner()
        return r, b

    r = mid()
    return r, a


def argument_cell(arg):
    def get():
        return arg

    arg = arg * 2
    return get()


def closure_contents():
    p, q = 1, "two"

    def f():
        return p, q

    names = f.__code__.co_freevars
    values = [c.cell_contents for c in f.__closure__]
    return list(zip(names, values))


def cell_before_assignment():
    def f():
        return later

    try:
        f()
    except NameError as e:
        msg = type(e).__name__
    later = "assigned"
    return msg, f()


def cell_deleted():
    v = 1

    def f():
        return v

    del v
    try:
        return f()
    except NameError as e:
        return type(e).__name__, "v" in str(e)


def main():
    inc, get = make_counter(10)
    counter = (inc(), inc(5), get(), inc(-20), get())
    return (counter, shared_cells(), three_levels(), argument_cell(4), closure_contents(),
            cell_before_assignment(), cell_deleted())


for item in main():
    print(item)
