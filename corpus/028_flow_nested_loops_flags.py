"""Nested loops with flag variables standing in for labelled break/continue."""


def find_pair(grid, target):
    found = False
    pos = None
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v == target:
                found = True
                pos = (r, c)
                break
        if found:
            break
    return found, pos


def skip_rows(grid):
    out = []
    for row in grid:
        skip = False
        for v in row:
            if v < 0:
                skip = True
                break
        if skip:
            continue
        out.append(sum(row))
    return out


def triple(n):
    count = 0
    done = False
    i = 0
    while i < n and not done:
        j = 0
        while j < n:
            k = 0
            while k < n:
                if i + j + k == n:
                    count += 1
                if count >= 7:
                    done = True
                    break
                k += 1
            if done:
                break
            j += 1
        i += 1
    return count, i


def state_machine(text):
    state = "start"
    tokens = []
    cur = ""
    for ch in text + " ":
        if state == "start":
            if ch.isdigit():
                state, cur = "num", ch
            elif ch.isalpha():
                state, cur = "word", ch
        elif state == "num":
            if ch.isdigit():
                cur += ch
            else:
                tokens.append(("num", int(cur)))
                state = "start"
                if ch.isalpha():
                    state, cur = "word", ch
        elif state == "word":
            if ch.isalnum():
                cur += ch
            else:
                tokens.append(("word", cur))
                state = "start"
    return tokens


def main():
    grid = [[1, 2, 3], [4, -5, 6], [7, 8, 9]]
    return (find_pair(grid, 8), find_pair(grid, 10), skip_rows(grid), triple(3), triple(6),
            state_machine("ab 12 c3 45x"))


g = [[1, 2], [3, 4], [-1, 9], [5, 5]]
print(find_pair(g, 4), find_pair(g, 0))
print(skip_rows(g))
print(triple(2), triple(4))
print(state_machine("x1 22 yy 7 a8b"))
