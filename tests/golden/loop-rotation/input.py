# while loops: rotated latches (plain, `and`/`or` tests, continue, else)
# and loops left alone (one-line loop, exit on the test's line, big test).
def plain(n):
    i = 0
    while i < n:
        i += 1
    return i


def chained(text, pos, n):
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
        out.append(i)
    else:
        out.append("else")
    return out


def one_line(n):
    while n > 3: n -= 2
    return n


def big_test(a, b, c, d, e):
    while a.x + b.y + c.z + d.w + e.v + a.u + b.t + c.s > 0:
        a.x -= 1
    return a


class A:
    x = 3
    y = z = w = v = u = t = s = 0


print(plain(3), chained(" \tx", 0, 3), with_continue(5), one_line(8), big_test(*[A()] * 5).x)
