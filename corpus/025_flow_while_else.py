"""while ... else, including conditions that are constant or change inside."""


def countdown(n):
    log = []
    while n > 0:
        log.append(n)
        n -= 1
        if n == 2 and len(log) > 5:
            break
    else:
        log.append("liftoff")
    return log


def while_false_else():
    while False:
        return "never"
    else:
        return "else of while False"


def while_zero_else():
    x = []
    while 0:
        x.append(1)
    else:
        x.append("else")
    return x


def search_while(seq, target):
    i = 0
    while i < len(seq):
        if seq[i] == target:
            break
        i += 1
    else:
        return -1
    return i


def while_else_continue(n):
    i = 0
    hits = []
    while i < n:
        i += 1
        if i % 3:
            continue
        hits.append(i)
    else:
        hits.append("done")
    return hits


def while_else_in_try(n):
    try:
        while n:
            n -= 1
            if n == 5:
                raise KeyError(n)
        else:
            return "exhausted"
    except KeyError as e:
        return "KeyError %s" % e
    finally:
        print("  finally with n =", n)


def main():
    return (countdown(3), countdown(10), while_false_else(), while_zero_else(),
            search_while([5, 6, 7], 7), search_while([5], 9), while_else_continue(10),
            while_else_in_try(3), while_else_in_try(8))


print(countdown(0), countdown(4), countdown(9))
print(while_false_else(), while_zero_else())
print(search_while("abc", "b"), search_while("abc", "q"))
print(while_else_continue(7))
print(while_else_in_try(2), while_else_in_try(7))
