"""Jumps to jumps: if statements at the end of loop bodies, loops at the end
of if branches, returns inside nested loops, conditional continue/break as
the last statement."""


def if_at_loop_end(items):
    total = 0
    for x in items:
        if x > 0:
            total += x
        elif x < -5:
            total -= 100
    return total


def nested_loop_end_if(n):
    out = []
    for i in range(n):
        for j in range(n):
            if (i + j) % 3 == 0:
                out.append((i, j))
    return out


def while_if_else_end(n):
    evens = odds = 0
    while n:
        n -= 1
        if n % 2:
            odds += 1
        else:
            evens += 1
    return evens, odds


def loop_in_branch(flag, items):
    out = []
    if flag:
        for x in items:
            out.append(x)
    else:
        while items:
            out.append(items.pop())
    return out


def continue_last(items):
    out = []
    for x in items:
        out.append(x)
        if x % 2:
            continue
    return out


def break_last(items):
    out = []
    for x in items:
        out.append(x)
        if x == 3:
            break
    return out


def conditional_jump_chain(a, b, c):
    if a:
        if b:
            if c:
                return 7
    return 0


def loop_with_only_if(items):
    hits = 0
    for x in items:
        if x:
            if x > 2:
                if x < 10:
                    hits += 1
    return hits


def while_cond_and(a, b):
    steps = 0
    while a > 0 and b > 0:
        if a > b:
            a -= b
        else:
            b -= a
        steps += 1
    return a, b, steps


def main():
    return (if_at_loop_end([1, -2, 3, -7, 5]), nested_loop_end_if(4), while_if_else_end(7),
            loop_in_branch(1, [1, 2]), loop_in_branch(0, [1, 2]), continue_last([1, 2, 3]),
            break_last([1, 2, 3, 4]), [conditional_jump_chain(a, b, c) for a in (0, 1) for b in (0, 1) for c in (0, 1)],
            loop_with_only_if([0, 1, 3, 9, 10, 5]), while_cond_and(48, 18))


print(if_at_loop_end(range(-10, 10)))
print(nested_loop_end_if(3))
print(while_if_else_end(10))
print(loop_in_branch(True, [3, 4]), loop_in_branch(False, [3, 4]))
print(continue_last([4, 5]), break_last([5, 3, 1]))
print(conditional_jump_chain(1, 1, 1), conditional_jump_chain(1, 0, 1))
print(loop_with_only_if(range(12)), while_cond_and(17, 5))
