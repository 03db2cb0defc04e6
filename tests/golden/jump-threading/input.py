# Jumps to jumps: nested loops and conditionals whose exits chain.
def nested(rows):
    total = 0
    for row in rows:
        for x in row:
            if x < 0:
                continue
            if x > 100:
                break
            total += x
        else:
            total += 1
    return total


def chain(a, b, c):
    if a:
        if b:
            r = 1
        else:
            r = 2
    else:
        r = 3 if c else 4
    return r


def loop(n):
    while n:
        if n % 2:
            n -= 1
            continue
        n //= 2
    return n


def inner_if_without_else(data, final):
    # The inner `if` jumps to the jump that leaves the outer `if`.
    if len(data) < 3:
        if data.startswith("x"):
            return ("", 0)
    else:
        data = data[3:]
    return (data.upper(), final, len(data))


print(inner_if_without_else("xy", 1), inner_if_without_else("ab", 0), inner_if_without_else("abcd", 1))
print(nested([[1, -2, 3], [200, 5], []]), chain(1, 0, 0), chain(0, 0, 1), loop(37))
