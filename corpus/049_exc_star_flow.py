# min-version: 3.11
"""except* control flow: every matching clause runs once, unmatched parts
propagate, handler exceptions are regrouped, else/finally ordering."""

LOG = []


def run(excs):
    del LOG[:]
    try:
        try:
            if excs:
                raise ExceptionGroup("g", excs)
            LOG.append("no error")
        except* (KeyError, IndexError) as g:
            LOG.append("lookup %d" % len(g.exceptions))
        except* ZeroDivisionError:
            LOG.append("zero")
            raise OSError("raised in zero handler")
        else:
            LOG.append("else")
        finally:
            LOG.append("finally")
    except ExceptionGroup as rest:
        LOG.append("rest: " + ", ".join(sorted(type(e).__name__ for e in rest.exceptions)))
    except OSError as e:
        LOG.append("bare OSError " + str(e))
    return list(LOG)


def in_loop():
    out = []
    for i in range(4):
        try:
            raise ExceptionGroup("loop", [ValueError(i)] * (i + 1))
        except* ValueError as g:
            skip = i == 1
            if not skip:
                out.append(len(g.exceptions))
        if skip:
            continue
        out.append("after %d" % i)
    return out


def in_function_return():
    try:
        raise ExceptionGroup("r", [TypeError("t")])
    except* TypeError:
        result = "handled"
    return result


def main():
    cases = [[], [KeyError(1)], [IndexError(2), KeyError(3)], [ZeroDivisionError()],
             [ValueError(4)], [KeyError(5), ValueError(6)], [ZeroDivisionError(), ValueError(7)]]
    return [run(c) for c in cases], in_loop(), in_function_return()


for c in ([], [KeyError(1), IndexError(2)], [ZeroDivisionError()], [ValueError(3), KeyError(4)]):
    print(run(c))
print(in_loop())
print(in_function_return())
