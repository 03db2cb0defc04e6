"""Fannkuch-redux: for every permutation of 0..n-1 count the prefix reversals
("pancake flips") until 0 comes first; report the maximum and a signed
checksum over all permutations."""

DEFAULT_SCALE = 9   # n
TRACE_SCALE = 7


def fannkuch(n):
    perm1 = list(range(n))
    count = [0] * n
    max_flips = 0
    checksum = 0
    sign = 1
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        if perm1[0] != 0:
            perm = perm1[:]
            flips = 0
            k = perm[0]
            while k:
                perm[:k + 1] = perm[k::-1]
                flips += 1
                k = perm[0]
            if flips > max_flips:
                max_flips = flips
            checksum += sign * flips
        sign = -sign
        # Next permutation in the rotation order.
        while True:
            if r == n:
                return max_flips, checksum
            first = perm1.pop(0)
            perm1.insert(r, first)
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


def main(scale=DEFAULT_SCALE):
    max_flips, checksum = fannkuch(scale)
    return "%d %d" % (checksum, max_flips)


if __name__ == "__main__":
    print(main())
