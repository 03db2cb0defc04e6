"""if 0 / if 1 / if __debug__ / while 0 / constant conditions: the compiler
removes some of these blocks; the rest of the line events must not change."""


def consts(x):
    out = []
    if 0:
        out.append("if 0")
    if 1:
        out.append("if 1")
    if False:
        out.append("if False")
    else:
        out.append("else of if False")
    if True:
        out.append("if True")
    else:
        out.append("else of if True")
    if None:
        out.append("None")
    if __debug__:
        out.append("debug")
    if not __debug__:
        out.append("not debug")
    if "":
        out.append("empty string")
    elif "x":
        out.append("elif x")
    if 0 and x:
        out.append("0 and x")
    if 1 or x:
        out.append("1 or x")
    if x and 0:
        out.append("x and 0")
    if x or 1:
        out.append("x or 1")
    while 0:
        out.append("while 0")
    while False:
        pass
    return out


def nested_const(x):
    if 1:
        if 0:
            return "impossible"
        else:
            if x:
                return "x true"
    return "x false"


def const_in_loop(n):
    total = 0
    for i in range(n):
        if 0:
            total -= 1000
            continue
        if 1:
            total += i
        else:
            total += 1000
    return total


def ternary_consts(x):
    a = 1 if 1 else x
    b = x if 0 else 2
    c = (x if True else 3) if False else 4
    return a, b, c


def debug_name():
    d = __debug__
    return d, type(d).__name__


def main():
    return consts(0), consts(1), nested_const(0), nested_const(1), const_in_loop(6), ternary_consts(9), debug_name()


print(consts(0))
print(consts("y"))
print(nested_const([]), nested_const([1]))
print(const_in_loop(10))
print(ternary_consts("x"))
print(debug_name())
