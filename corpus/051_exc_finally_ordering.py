"""Order of finally clauses across frames, finally during exception
propagation, return values computed before finally runs."""

LOG = []


def log(msg, value=None):
    LOG.append(msg)
    return value


def inner(mode):
    try:
        log("inner try")
        if mode == "raise":
            raise ValueError("inner")
        return log("inner return expr", "inner value")
    finally:
        log("inner finally")


def middle(mode):
    try:
        try:
            return inner(mode)
        finally:
            log("middle finally 1")
    finally:
        log("middle finally 2")


def outer(mode):
    try:
        return middle(mode)
    except ValueError as e:
        log("outer handler " + str(e))
        return "handled"
    finally:
        log("outer finally")


def finally_with_loops():
    out = []
    for i in range(2):
        try:
            for j in range(2):
                try:
                    out.append((i, j))
                finally:
                    out.append("fj%d" % j)
        finally:
            out.append("fi%d" % i)
    return out


def exception_replaced_in_finally():
    try:
        try:
            raise KeyError("original")
        finally:
            raise TypeError("replacement")
    except Exception as e:
        return type(e).__name__, type(e.__context__).__name__


def main():
    results = []
    for mode in ("ok", "raise"):
        del LOG[:]
        results.append((outer(mode), tuple(LOG)))
    return results, finally_with_loops(), exception_replaced_in_finally()


for mode in ("ok", "raise"):
    del LOG[:]
    print(mode, outer(mode))
    for line in LOG:
        print("   ", line)
print(finally_with_loops())
print(exception_replaced_in_finally())
