"""while loops whose test loop-rotation copies to the end of the body:
and/or tests, continue, else, break, try, nested loops, one-line loops,
a test that raises, walrus in the test, f_lineno inside the loop."""

import sys


class Flaky:
    def __init__(self, n):
        self.n = n

    def __bool__(self):
        self.n -= 1
        if self.n < 0:
            raise ValueError("flaky went negative")
        return self.n > 0


def count_up(n):
    i = 0
    total = 0
    while i < n:
        total += i
        i += 1
    return total


def skip_spaces(text, pos, n):
    while pos < n and (text[pos] == " " or text[pos] == "\t"):
        pos += 1
    return pos


def with_continue(n):
    i = 0
    out = []
    while i < n:
        i += 1
        if i % 2:
            continue
        if i % 3 == 0:
            out.append(-i)
            continue
        out.append(i)
    return out


def with_else(n, stop):
    i = 0
    while i < n:
        if i == stop:
            break
        i += 1
    else:
        return ("else", i)
    return ("break", i)


def one_line(n):
    while n > 3: n -= 2
    return n


def lines_seen(n):
    seen = []
    while n:
        seen.append(sys._getframe().f_lineno)
        n -= 1
    return seen


def raising_test(k):
    f = Flaky(k)
    rounds = 0
    try:
        while f:
            rounds += 1
    except ValueError as e:
        return (rounds, str(e), e.__traceback__.tb_lineno - raising_test.__code__.co_firstlineno)
    return rounds


def walrus_test(items):
    it = iter(items)
    got = []
    while (x := next(it, None)) is not None:
        got.append(x * 2)
    return got


def nested(n):
    out = []
    i = 0
    while i < n:
        j = 0
        while j < i and not (i + j) % 5 == 4:
            out.append((i, j))
            j += 1
        i += 1
    return out


def in_for(rows):
    out = []
    for r in rows:
        k = r
        while k > 0:
            k -= 3
        out.append(k)
    return out


def in_try(n):
    i = 0
    try:
        while i < n:
            i += 1
            if i == 4:
                raise KeyError(i)
    except KeyError as e:
        return "caught %s at %d" % (e, i)
    finally:
        i = -i
    return i


def try_in_loop(n):
    i = 0
    log = []
    while i < n:
        try:
            i += 1
            if i == 2:
                continue
            log.append(i)
        finally:
            log.append("f")
    return log


def gen(n):
    while n > 0:
        yield n
        n -= 1


def or_test(a, b):
    steps = 0
    while a > 0 or b > 0:
        a -= 1
        b -= 2
        steps += 1
    return steps


def not_test(xs):
    while not xs[-1] == 0:
        xs.append(xs[-1] - 1)
    return xs


def main():
    return (count_up(10), skip_spaces(" \t  x", 0, 5), skip_spaces("", 0, 0),
            with_continue(12), with_else(5, 9), with_else(5, 2), one_line(10),
            lines_seen(3), raising_test(3), walrus_test([1, 2, 3]), nested(6),
            in_for([0, 1, 7]), in_try(3), in_try(9), try_in_loop(4), list(gen(4)),
            or_test(3, 1), not_test([3]))


print(count_up(5), skip_spaces("  a", 0, 3), with_continue(7), with_else(3, 1))
print(one_line(7), lines_seen(2), raising_test(2), walrus_test([]))
print(nested(4), in_for([5]), in_try(2), try_in_loop(3), list(gen(2)))
