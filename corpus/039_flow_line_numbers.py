"""Line numbers of multi-line statements, backward jumps, implicit returns,
decorators and calls spanning lines (recorded via f_lineno and traces)."""
import sys


def here():
    return sys._getframe(1).f_lineno


def multi_line_call():
    a = [here(),
         here(),
         here()]
    b = max(
        1,
        here(),
    )
    c = (here()
         if here() > 0
         else here())
    return a, b, c


def multi_line_expr(x):
    y = (x
         + 1
         + here())
    z = [
        i * 2
        for i in range(3)
        if i != x
    ]
    return y, z


def loop_lines(n):
    lines = []
    i = 0
    while (
        i < n
    ):
        lines.append(here())
        i += 1
    for j in (
        range(n)
    ):
        lines.append(here())
    return lines


def deco(f):
    f.tag = here()
    return f


@deco
def decorated():
    return here()


def implicit_return(x):
    if x:
        x += 1
    x -= 1


def conditional_lines(x):
    if (x > 0 and
            x < 10):
        return here()
    elif (x
          == 0):
        return here()
    return here()


def main():
    return (multi_line_call(), multi_line_expr(1), loop_lines(2), decorated.tag, decorated(),
            implicit_return(1), implicit_return(0), [conditional_lines(x) for x in (5, 0, -5)])


print(multi_line_call())
print(multi_line_expr(0))
print(loop_lines(3))
print(decorated.tag, decorated())
print(implicit_return(3))
print([conditional_lines(x) for x in (3, 0, 30)])
