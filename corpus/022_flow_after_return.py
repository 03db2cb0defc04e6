"""Dead code after return / raise / break / continue, and code that only
looks dead."""


def after_return(x):
    if x:
        return "early"
        print("dead after return")
        x = 99
    return "late %r" % (x,)
    print("dead at end")


def after_raise(x):
    try:
        if x > 1:
            raise ValueError("big")
            print("dead after raise")
        return "small"
    except ValueError as e:
        return "caught " + str(e)
        print("dead in handler")


def after_break(n):
    out = []
    for i in range(n):
        if i == 3:
            break
            out.append("dead")
        out.append(i)
        continue
        out.append("dead after continue")
    else:
        out.append("no break")
    return out


def while_dead(n):
    i = 0
    out = []
    while i < n:
        i += 1
        if i % 2:
            continue
            i += 100
        out.append(i)
        if i > 6:
            break
            i = -1
    return out, i


def return_in_both():
    if len("ab") == 2:
        return "then"
    else:
        return "else"
    return "dead"


def dead_function_defs(flag):
    if flag:
        return "returned"

        def never():
            return "never"
    return "fell through"


def looks_dead_but_is_not(seq):
    it = iter(seq)
    for x in it:
        if x < 0:
            break
    else:
        return "no negatives"
    return "first negative then %r" % list(it)


def main():
    r = (after_return(0), after_return(1), after_raise(1), after_raise(2),
         after_break(2), after_break(10), while_dead(5), while_dead(20), return_in_both(),
         dead_function_defs(0), dead_function_defs(1), looks_dead_but_is_not([1, 2]),
         looks_dead_but_is_not([1, -2, 3, 4]))
    return r


for x in (0, 1, [], "s"):
    print("after_return", repr(x), after_return(x))
for x in (0, 1, 2, 5):
    print("after_raise", x, after_raise(x))
for n in (0, 3, 4, 10):
    print("after_break", n, after_break(n))
for n in (0, 3, 10, 30):
    print("while_dead", n, while_dead(n))
print(return_in_both(), dead_function_defs(0), dead_function_defs(1))
print(looks_dead_but_is_not([1, 2]), looks_dead_but_is_not([3, -1, 7]))
