"""for ... else: else runs only when the loop was not left by break."""


def search(items, target):
    for i, x in enumerate(items):
        if x == target:
            result = "found at %d" % i
            break
    else:
        result = "not found"
    return result


def primes(limit):
    out = []
    for n in range(2, limit):
        for d in range(2, n):
            if n % d == 0:
                break
        else:
            out.append(n)
    return out


def else_with_continue(items):
    log = []
    for x in items:
        if x % 2:
            continue
        log.append(x)
    else:
        log.append("else")
    return log


def else_with_return(items):
    for x in items:
        if x < 0:
            return "negative %d" % x
    else:
        return "all non-negative"
    return "dead"


def empty_loop():
    for x in ():
        print("never")
    else:
        return "else of empty loop"


def else_raises(items):
    try:
        for x in items:
            if x == "stop":
                break
        else:
            raise LookupError("no stop")
        return "stopped"
    except LookupError as e:
        return "LookupError " + str(e)


def nested_for_else():
    out = []
    for a in range(4):
        for b in range(4):
            if a * b == 2:
                out.append((a, b))
                break
        else:
            out.append((a, "none"))
            continue
        out.append("after inner break")
    else:
        out.append("outer else")
    return out


def main():
    return (search([1, 2, 3], 2), search([], 2), primes(30), else_with_continue([1, 2, 3, 4]),
            else_with_return([1, -2]), else_with_return([1]), empty_loop(),
            else_raises(["a", "stop"]), else_raises(["a"]), nested_for_else())


print(search("xyz", "z"), search("xyz", "w"))
print(primes(40))
print(else_with_continue(range(7)))
print(else_with_return([3, 4, -5]), else_with_return([]))
print(empty_loop())
print(else_raises(["stop"]), else_raises([]))
print(nested_for_else())
