"""try/except/else/finally: return in finally overrides return values and
swallows exceptions; ordering of side effects."""

LOG = []


def finally_overrides():
    try:
        return "try"
    finally:
        return "finally"


def finally_swallows():
    try:
        raise ValueError("lost")
    finally:
        return "swallowed"


def finally_swallows_from_except():
    try:
        1 / 0
    except ZeroDivisionError:
        raise KeyError("from handler")
    finally:
        return "swallowed handler exception"


def else_and_finally(x):
    LOG.append("start")
    try:
        LOG.append("try")
        y = 10 // x
    except ZeroDivisionError:
        LOG.append("except")
        return "except-return"
    else:
        LOG.append("else")
        return "else-return %d" % y
    finally:
        LOG.append("finally")


def finally_sees_value():
    x = "before"
    try:
        x = "in try"
        return x
    finally:
        x = "changed in finally"
        LOG.append(x)


def nested_finally():
    try:
        try:
            return "inner"
        finally:
            LOG.append("inner finally")
    finally:
        LOG.append("outer finally")


def finally_in_loop():
    out = []
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append("f%d" % i)
    return out


def return_in_finally_in_loop():
    for i in range(3):
        try:
            if i == 1:
                raise RuntimeError(i)
        finally:
            if i == 1:
                return "returned from finally at %d" % i
    return "loop completed"


def main():
    del LOG[:]
    r = (finally_overrides(), finally_swallows(), finally_swallows_from_except(),
         else_and_finally(0), else_and_finally(5), finally_sees_value(), nested_finally(),
         finally_in_loop(), return_in_finally_in_loop())
    return r, tuple(LOG)


print(finally_overrides())
print(finally_swallows())
print(finally_swallows_from_except())
for x in (0, 2):
    del LOG[:]
    print(else_and_finally(x), LOG)
del LOG[:]
print(finally_sees_value(), LOG)
del LOG[:]
print(nested_finally(), LOG)
print(finally_in_loop())
print(return_in_finally_in_loop())
