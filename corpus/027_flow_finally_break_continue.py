"""break and continue inside finally (continue in finally is legal since
3.8); they discard a pending exception or return."""


def break_in_finally():
    log = []
    for i in range(5):
        try:
            log.append("try %d" % i)
            if i == 2:
                raise ValueError("discarded by break")
        finally:
            if i == 2:
                log.append("break in finally")
                break
    return log


def continue_in_finally():
    log = []
    for i in range(4):
        try:
            if i % 2:
                raise KeyError(i)
            log.append("ok %d" % i)
        finally:
            log.append("finally %d" % i)
            continue
        log.append("dead")
    return log


def continue_discards_return():
    log = []
    for i in range(3):
        try:
            return "returned at %d" % i
        finally:
            log.append(i)
            if i < 2:
                continue
    return "after loop", log


def break_discards_return():
    while True:
        try:
            return "never returned"
        finally:
            break
    return "after break"


def nested_loops_finally():
    out = []
    for a in range(3):
        for b in range(3):
            try:
                if b == 1:
                    continue
                out.append((a, b))
            finally:
                if a == 1:
                    break
        else:
            out.append("inner else %d" % a)
    return out


def while_finally_continue():
    n = 0
    seen = []
    while n < 6:
        n += 1
        try:
            if n == 3:
                raise OSError("three")
        except OSError as e:
            seen.append(str(e))
            continue
        finally:
            seen.append(-n)
        seen.append(n)
    return seen


def main():
    return (break_in_finally(), continue_in_finally(), continue_discards_return(),
            break_discards_return(), nested_loops_finally(), while_finally_continue())


print(break_in_finally())
print(continue_in_finally())
print(continue_discards_return())
print(break_discards_return())
print(nested_loops_finally())
print(while_finally_continue())
