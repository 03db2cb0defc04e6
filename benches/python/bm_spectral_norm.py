"""Spectral norm of the infinite matrix A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1),
approximated by the power method on an n x n section."""

DEFAULT_SCALE = 250   # matrix size
TRACE_SCALE = 50


def eval_a(i, j):
    ij = i + j
    return 1.0 / ((ij * (ij + 1) >> 1) + i + 1)


def mult_av(v, n):
    out = []
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += eval_a(i, j) * v[j]
        out.append(total)
    return out


def mult_atv(v, n):
    out = []
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += eval_a(j, i) * v[j]
        out.append(total)
    return out


def mult_atav(v, n):
    return mult_atv(mult_av(v, n), n)


def main(scale=DEFAULT_SCALE):
    ITERATIONS = 10
    n = scale
    u = [1.0] * n
    v = u
    for _ in range(ITERATIONS):
        v = mult_atav(u, n)
        u = mult_atav(v, n)
    vbv = 0.0
    vv = 0.0
    for ue, ve in zip(u, v):
        vbv += ue * ve
        vv += ve * ve
    return "%.12f" % ((vbv / vv) ** 0.5)


if __name__ == "__main__":
    print(main())
