"""sys.exc_info() inside and after handlers, in nested handlers, in finally,
in generators, and after a handler returns."""
import sys


def name(info):
    t, v, tb = info
    return (t.__name__ if t else None, str(v) if v is not None else None, tb is not None)


def in_handler():
    try:
        raise ValueError("one")
    except ValueError:
        return name(sys.exc_info())


def nested():
    out = []
    try:
        raise KeyError("outer")
    except KeyError:
        out.append(name(sys.exc_info()))
        try:
            raise TypeError("inner")
        except TypeError:
            out.append(name(sys.exc_info()))
        out.append(name(sys.exc_info()))
    out.append(name(sys.exc_info()))
    return out


def in_finally():
    out = []
    try:
        try:
            raise OSError("f")
        finally:
            out.append(name(sys.exc_info()))
    except OSError:
        out.append(name(sys.exc_info()))
    return out


def called_from_handler():
    def peek():
        return name(sys.exc_info())

    try:
        raise IndexError("visible to callee")
    except IndexError:
        return peek()


def generator_view():
    def gen():
        yield name(sys.exc_info())
        yield name(sys.exc_info())

    g = gen()
    first = next(g)
    try:
        raise LookupError("caller's")
    except LookupError:
        second = next(g)
    return first, second


def exception_attribute():
    try:
        raise RuntimeError("attr")
    except RuntimeError as e:
        same = sys.exc_info()[1] is e
        tb_line = sys.exc_info()[2].tb_lineno - sys._getframe().f_code.co_firstlineno
    return same, tb_line


def main():
    return (in_handler(), nested(), in_finally(), called_from_handler(), generator_view(),
            exception_attribute(), name(sys.exc_info()))


print(in_handler())
for row in nested():
    print(row)
print(in_finally())
print(called_from_handler())
print(generator_view())
print(exception_attribute())
print(name(sys.exc_info()))
