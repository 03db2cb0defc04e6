"""Constant folding: shifts, bitwise operators, big and negative shifts."""


def shifts():
    print(1 << 0, 1 << 1, 1 << 63, 1 << 64, 1 << 100)
    print(1 << 1000 == 2 ** 1000, (1 << 1000).bit_length())
    print(-1 >> 1, -1 >> 100, -5 >> 1, 5 >> 1, 5 >> 100, -(2 ** 100) >> 99)
    print((1 << 200) >> 199, 255 << 8 >> 8, -256 >> 4)
    for expr in ("1 << -1", "1 >> -1", "1 << 1.0", "1.0 << 1", "'a' << 1"):
        try:
            print(expr, eval(expr))
        except (ValueError, TypeError) as e:
            print(expr, type(e).__name__, e)
    try:
        x = 1 << -1
        print("unreachable", x)
    except ValueError as e:
        print("folded shift raised", e)
    try:
        y = 8 >> -2
        print("unreachable", y)
    except ValueError as e:
        print("folded rshift raised", e)
    return (1 << 65) - 1, -1 >> 70


def bitwise():
    print(5 & 3, 5 | 3, 5 ^ 3, ~5, ~-1, ~0)
    print(-5 & 0xFF, -5 | 0xF0, -1 ^ 0xFFFF, -(2 ** 70) & (2 ** 72 - 1))
    print(True & False, True | False, True ^ True, type(True & True).__name__)
    print(True << 3, False >> 1, type(True << 0).__name__)
    print(0xF0F0 & ~0xFF00, (2 ** 65 | 1) & 3, (2 ** 65) ^ (2 ** 65))
    print({1, 2, 3} & {2, 3, 4} == {2, 3}, sorted({1, 2} | {5}), sorted({1, 2} ^ {2, 7}))
    print(sorted(frozenset([1, 2, 3]) - {2}))
    return 5 & 3, -5 & 0xFF, ~(2 ** 64)


def bit_methods():
    vals = [0, 1, -1, 255, 256, -256, 2 ** 64, -(2 ** 64)]
    for v in vals:
        print(v, v.bit_length(), bin(v), v.to_bytes(16, "big", signed=True).hex())
    return [v.bit_length() for v in vals]


def main():
    return shifts(), bitwise(), bit_methods()


shifts()
bitwise()
bit_methods()
