"""N-queens: count the placements of n non-attacking queens, with
sets of attacked columns/diagonals (for n and n - 1) and by permutation checking of a
smaller board; both searches are plain recursive backtracking."""

DEFAULT_SCALE = 11   # board size for the set-based search
TRACE_SCALE = 8


def count_sets(n):
    cols = set()
    diag1 = set()
    diag2 = set()
    result = [0]

    def place(row):
        if row == n:
            result[0] += 1
            return
        for col in range(n):
            if col in cols:
                continue
            d1 = row + col
            d2 = row - col
            if d1 in diag1 or d2 in diag2:
                continue
            cols.add(col)
            diag1.add(d1)
            diag2.add(d2)
            place(row + 1)
            cols.remove(col)
            diag1.remove(d1)
            diag2.remove(d2)

    place(0)
    return result[0]


def permutations(items):
    if len(items) <= 1:
        yield list(items)
        return
    for i in range(len(items)):
        rest = items[:i] + items[i + 1:]
        for p in permutations(rest):
            p.insert(0, items[i])
            yield p


def count_permutations(n):
    found = 0
    for perm in permutations(list(range(n))):
        ok = True
        for i in range(n):
            for j in range(i + 1, n):
                if perm[j] - perm[i] == j - i or perm[i] - perm[j] == j - i:
                    ok = False
                    break
            if not ok:
                break
        if ok:
            found += 1
    return found


def main(scale=DEFAULT_SCALE):
    SMALL = scale - 3
    return (count_sets(scale), count_sets(scale - 1), count_permutations(SMALL))


if __name__ == "__main__":
    print(main())
