"""`while True` / `while 1` loops left by break, return and exceptions."""


def collatz(n):
    steps = 0
    while True:
        if n == 1:
            break
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def find_first(seq, pred):
    i = 0
    while 1:
        if i >= len(seq):
            return None
        if pred(seq[i]):
            return i
        i += 1


def loop_with_exception(items):
    it = iter(items)
    out = []
    while True:
        try:
            x = next(it)
        except StopIteration:
            break
        if x is None:
            continue
        out.append(x * 2)
    return out


def nested_while():
    out = []
    a = 0
    while True:
        a += 1
        b = 0
        while True:
            b += 1
            if b > a:
                break
            out.append((a, b))
        if a >= 3:
            break
    return out


def while_true_else():
    n = 0
    while True:
        n += 1
        if n == 4:
            break
    else:
        n = -1
    return n


def while_not_false():
    count = 0
    while not False:
        count += 1
        if count == 3:
            return count


def main():
    return ([collatz(n) for n in (1, 6, 7, 27)], find_first([1, 3, 4, 5], lambda v: v % 2 == 0),
            find_first([1, 3], lambda v: v > 5), loop_with_exception([1, None, 3]),
            nested_while(), while_true_else(), while_not_false())


for n in (1, 2, 3, 6, 7, 9):
    print("collatz", n, collatz(n))
print(find_first("abcde", lambda c: c == "d"), find_first("", str.isdigit))
print(loop_with_exception([None, 1, 2, None, 5]))
print(nested_while())
print(while_true_else(), while_not_false())
