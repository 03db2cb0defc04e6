"""Nested comprehensions: matrix transposition, multiple for/if clauses,
comprehension inside comprehension referencing the outer variable."""


def transpose(m):
    return [[row[i] for row in m] for i in range(len(m[0]))]


def multi_clauses():
    return [(a, b, c) for a in range(4) if a for b in range(a) if (a + b) % 2 for c in "xy" if c != "y" or b]


def inner_uses_outer():
    return [[i * j for j in range(i)] for i in range(4)]


def dict_of_lists():
    words = ["apple", "avocado", "banana", "blueberry", "cherry"]
    return {c: [w for w in words if w[0] == c] for c in sorted({w[0] for w in words})}


def nested_generators():
    return sum(sum(v for v in range(i)) for i in range(6))


def flatten_deep():
    data = [[[1, 2], [3]], [[4], [5, 6]]]
    return [v for block in data for row in block for v in row]


def cartesian_filter(n):
    return [(i, j) for i in range(n) for j in range(n) if i < j if (i + j) % 3 == 0]


def comprehension_with_closure():
    return [[(lambda: i + j)() for j in range(2)] for i in range(2)]


def main():
    return (transpose([[1, 2, 3], [4, 5, 6]]), multi_clauses(), inner_uses_outer(), dict_of_lists(),
            nested_generators(), flatten_deep(), cartesian_filter(6), comprehension_with_closure())


for item in main():
    print(item)
