"""Exception chaining: raise ... from, implicit __context__, from None,
__suppress_context__, and chains through several frames."""


def describe(e):
    parts = []
    seen = 0
    while e is not None and seen < 6:
        parts.append("%s(%s) cause=%s ctx=%s suppress=%s" % (
            type(e).__name__, e, type(e.__cause__).__name__ if e.__cause__ else None,
            type(e.__context__).__name__ if e.__context__ else None, e.__suppress_context__))
        e = e.__cause__ or (None if e.__suppress_context__ else e.__context__)
        seen += 1
    return parts


def explicit():
    try:
        {}["k"]
    except KeyError as e:
        raise ValueError("explicit") from e


def implicit():
    try:
        1 / 0
    except ZeroDivisionError:
        raise TypeError("implicit")


def from_none():
    try:
        int("x")
    except ValueError:
        raise LookupError("hidden context") from None


def from_other():
    try:
        [][1]
    except IndexError:
        raise RuntimeError("from other") from OSError("chosen cause")


def in_finally():
    try:
        try:
            raise KeyError("first")
        finally:
            try:
                raise ValueError("in finally")
            except ValueError as e:
                inner = e
    except KeyError as outer:
        print("outer KeyError", outer, "context", outer.__context__)
    return inner


def deep(n):
    if n == 0:
        raise ArithmeticError("bottom")
    try:
        deep(n - 1)
    except ArithmeticError as e:
        raise ArithmeticError("level %d" % n) from e


def handler_raises_in_loop():
    errors = []
    for i in range(3):
        try:
            try:
                raise KeyError(i)
            except KeyError as e:
                raise ValueError(i * 10) from (e if i % 2 else None)
        except ValueError as v:
            errors.append((str(v), type(v.__cause__).__name__, type(v.__context__).__name__))
    return errors


def main():
    out = []
    for f in (explicit, implicit, from_none, from_other, lambda: deep(3)):
        try:
            f()
        except Exception as e:
            out.append(describe(e))
    out.append(describe(in_finally()))
    out.append(handler_raises_in_loop())
    return out


for f in (explicit, implicit, from_none, from_other, lambda: deep(2)):
    try:
        f()
    except Exception as e:
        for line in describe(e):
            print(line)
        print("--")
print(describe(in_finally()))
print(handler_raises_in_loop())
