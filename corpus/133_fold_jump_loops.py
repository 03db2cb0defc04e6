"""Jump threading and dead code in loops: nested loops with `continue` and
`break` under constant and computed conditions, `while True` left by
`break` inside try/finally, `for ... else`, early returns from inside
loops and `finally` blocks that run on the way out."""

log = []


def nested_continue_break():
    out = []
    for i in range(4):
        if i == 1:
            continue
        for j in range(4):
            if j > i:
                break
            if (i + j) % 2 == 1:
                continue
            if 1 < 2:
                out.append((i, j))
            else:
                out.append("WRONG")
        else:
            out.append(("inner else", i))
        if i == 3:
            break
    else:
        out.append("outer else (WRONG)")
    print("nested", out)
    return out


def while_true_try_finally():
    out = []
    n = 0
    while True:
        try:
            n += 1
            if n == 2:
                continue
            if n >= 4:
                break
            out.append(("body", n))
        finally:
            out.append(("finally", n))
    out.append(("after", n))
    print("while/finally", out)
    return out


def while_const_true_nested():
    out = []
    i = 0
    while 1:
        j = 0
        while "x":
            j += 1
            if j > 2:
                break
            out.append((i, j))
        i += 1
        if i >= 2:
            break
    print("while 1", out)
    return out


def for_else(values, target):
    for v in values:
        if v == target:
            result = ("found", v)
            break
    else:
        result = ("not found", target)
    print("for-else", values, target, result)
    return result


def while_else(n):
    i = 0
    while i < n:
        i += 1
        if i == 10:
            break
    else:
        i = -i
    return i


def early_return_in_loop(items):
    for i, v in enumerate(items):
        if v is None:
            return ("none at", i)
        for w in range(v):
            if w == 2:
                return ("w == 2 at", i)
    return ("end", len(items))


def return_through_finally(n):
    log.clear()
    for i in range(n):
        try:
            if i == 1:
                return ("returned", i)
        finally:
            log.append(("finally", i))
    return ("fell off", n)


def break_in_finally_overrides():
    out = []
    for i in range(3):
        try:
            try:
                out.append(("try", i))
                if i == 1:
                    raise ValueError(i)
            finally:
                out.append(("inner finally", i))
        except ValueError as e:
            out.append(("caught", e.args))
            continue
        out.append(("end of body", i))
    print("break/finally", out)
    return out


def loop_with_const_flags():
    DEBUG = 0
    VERBOSE = 1 < 2
    out = []
    for i in range(3):
        if DEBUG:
            out.append("WRONG debug")
            continue
        if VERBOSE:
            out.append(i)
        if not VERBOSE:
            break
    print("flags", out)
    return out


def jumps_to_jumps(x):
    if x:
        if x > 1:
            if x > 2:
                r = "gt2"
            else:
                r = "eq2"
        else:
            r = "eq1"
    else:
        r = "zero"
    return r


def loop_counter_paths():
    total = 0
    for i in range(6):
        if i % 3 == 0:
            total += 100
            continue
        elif i % 3 == 1:
            total += 10
        else:
            if i > 4:
                break
            total += 1
    return total


def main():
    return (nested_continue_break(), while_true_try_finally(), while_const_true_nested(),
            for_else([1, 2, 3], 2), for_else([1, 2, 3], 5), for_else([], 0),
            while_else(3), while_else(20),
            early_return_in_loop([1, 5, 3]), early_return_in_loop([1, None]),
            early_return_in_loop([0, 1]), return_through_finally(3), list(log),
            return_through_finally(1), list(log), break_in_finally_overrides(),
            loop_with_const_flags(), [jumps_to_jumps(x) for x in range(4)], loop_counter_paths())


nested_continue_break()
while_true_try_finally()
while_const_true_nested()
for_else([1, 2, 3], 2)
for_else([1, 2, 3], 5)
print("while-else", while_else(3), while_else(20))
print("early", early_return_in_loop([1, 5, 3]), early_return_in_loop([1, None]), early_return_in_loop([0, 1]))
print("finally return", return_through_finally(3), log)
print("finally return", return_through_finally(1), log)
break_in_finally_overrides()
loop_with_const_flags()
print("jumps", [jumps_to_jumps(x) for x in range(4)])
print("counter", loop_counter_paths())
