"""Traceback line numbers of caught exceptions, via traceback.extract_tb
(only function names and line numbers are printed)."""
import traceback


def frames(e):
    return [(f.name, f.lineno) for f in traceback.extract_tb(e.__traceback__)]


def level3(x):
    y = [1, 2, 3]
    return y[x]


def level2(x):
    value = level3(
        x
    )
    return value


def level1(x):
    try:
        return level2(x)
    finally:
        pass


def multi_line_raise(flag):
    if flag:
        raise ValueError(
            "multi"
            "line"
        )


def raise_in_loop(n):
    for i in range(n):
        if i == 2:
            {}[i]


def reraised():
    try:
        level1(10)
    except IndexError:
        raise


def attribute_error():
    obj = None
    return obj.attribute


def in_comprehension():
    return [1 // v for v in (3, 2, 1, 0)]


def in_lambda():
    f = lambda z: z["missing"]
    return f({})


def main():
    out = []
    for fn in (lambda: level1(5), lambda: multi_line_raise(1), lambda: raise_in_loop(5), reraised,
               attribute_error, in_comprehension, in_lambda):
        try:
            fn()
        except Exception as e:
            out.append((type(e).__name__, frames(e)))
    return out


for row in main():
    print(row[0])
    for f in row[1]:
        print("   ", f)
