"""Slicing with negative indices, steps, out-of-range bounds, slice
objects, slice assignment and deletion, extended slices on strings/bytes."""


def reads(seq):
    return (seq[1:], seq[:-1], seq[-3:], seq[::2], seq[1::2], seq[::-1], seq[::-2], seq[-1:-4:-1],
            seq[5:1], seq[5:1:-1], seq[100:], seq[-100:2], seq[1:100:3], seq[slice(None, None, 3)],
            seq[slice(-2, None)], seq[:0], seq[0:0:-1])


def assignment():
    a = list(range(10))
    a[2:5] = ["x"]
    b = list(range(10))
    b[::3] = "ABCD"
    c = list(range(5))
    c[1:1] = [9, 9]
    d = list(range(6))
    del d[::2]
    e = list(range(6))
    del e[-2:]
    f = list(range(5))
    f[::-1] = f
    g = list(range(4))
    try:
        g[::2] = [1, 2, 3]
    except ValueError as err:
        g = "ValueError: %s" % err
    return a, b, c, d, e, f, g


def slice_objects():
    s = slice(1, 10, 2)
    return (s.start, s.stop, s.step, s.indices(5), slice(None).indices(3), slice(-1, None, -1).indices(4),
            repr(slice(1, 2)), "abcdef"[s], range(20)[s], tuple(range(10))[slice(-3, None)])


def main():
    return reads(list(range(8))), reads("abcdefgh"), reads(b"abcdefgh"), reads((1, 2, 3)), assignment(), slice_objects()


for item in main():
    print(item)
