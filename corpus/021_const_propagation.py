"""Constant propagation hazards: a local assigned a constant and later
rebound on some paths, in loops, through exceptions, and `del`."""
import sys

MODE = "first"


def rebound_in_branch(flag):
    x = 1
    if flag:
        x = 2
    y = x * 10
    print("branch", flag, x, y)
    return y


def rebound_in_loop(n):
    x = 0
    total = 0
    for i in range(n):
        total += x
        x = i
    print("loop", n, x, total)
    return total


def rebound_in_except(v):
    x = "initial"
    try:
        x = "try:" + str(10 // v)
    except ZeroDivisionError:
        print("  handler sees", x)
    print("except", v, x)
    return x


def deleted(flag):
    x = 5
    if flag:
        del x
    try:
        return x + 1
    except NameError as e:
        print("deleted:", type(e).__name__)
        return None


def global_changes():
    global MODE
    seen = [MODE]
    switch()
    seen.append(MODE)
    MODE = "third"
    seen.append(MODE)
    print("globals", seen)
    return seen


def switch():
    global MODE
    MODE = "second"


def through_frame():
    x = 1
    frame = sys._getframe()
    before = frame.f_locals["x"]
    x = 2
    after = frame.f_locals["x"]
    print("frame locals", before, after, x)
    return before, after


def augmented():
    x = 10
    x += 5
    x *= 2
    x -= 1
    x //= 3
    x **= 2
    x %= 50
    x <<= 2
    x |= 1
    x ^= 8
    x &= 0xFF
    x >>= 1
    s = "a"
    s += "b"
    s *= 3
    t = (1,)
    t += (2,)
    t *= 2
    print("augmented", x, s, t)
    return x, s, t


def same_constant_many_names():
    a = b = c = 7
    a += 1
    print("chain assign", a, b, c)
    lst1 = lst2 = []
    lst1.append(1)
    print("aliases", lst1, lst2, lst1 is lst2)
    return a, b, c


def main():
    return (rebound_in_branch(0), rebound_in_branch(1), rebound_in_loop(0), rebound_in_loop(4),
            rebound_in_except(0), rebound_in_except(5), deleted(False), deleted(True),
            global_changes(), through_frame(), augmented(), same_constant_many_names())


for f in (0, 1):
    rebound_in_branch(f)
rebound_in_loop(0)
rebound_in_loop(5)
rebound_in_except(0)
rebound_in_except(2)
print(deleted(False), deleted(True))
global_changes()
through_frame()
augmented()
same_constant_many_names()
