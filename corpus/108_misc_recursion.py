"""Recursion: factorial, Ackermann (small), recursion through generators,
memoized recursion, a 150-deep chain and a recursive flatten."""
import functools


def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


@functools.lru_cache(maxsize=None)
def partitions(n, k):
    if n == 0:
        return 1
    if n < 0 or k == 0:
        return 0
    return partitions(n - k, k) + partitions(n, k - 1)


def hanoi(n, a, b, c, moves):
    if n:
        hanoi(n - 1, a, c, b, moves)
        moves.append(a + c)
        hanoi(n - 1, b, a, c, moves)
    return moves


def permutations(items):
    if len(items) <= 1:
        yield list(items)
        return
    for i, x in enumerate(items):
        for rest in permutations(items[:i] + items[i + 1:]):
            yield [x] + rest


def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)


def flatten(tree):
    if not isinstance(tree, list):
        return [tree]
    out = []
    for sub in tree:
        out.extend(flatten(sub))
    return out


def main():
    out = [fact(20), [ackermann(2, n) for n in range(3)], partitions(30, 30), hanoi(4, "a", "b", "c", []),
           list(permutations("abc"))]
    # A RecursionError is not provoked on purpose: under sys.settrace it may
    # be raised inside the trace function, which then switches tracing off.
    out.append(depth(150))
    out.append(flatten([1, [2, [3, [4, [5]]], 6], [[7]]]))
    return out


for item in main():
    print(item)
