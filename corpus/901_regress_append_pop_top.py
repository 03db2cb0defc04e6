# Regression: 3.12's specialized CALL for list.append skips the POP_TOP after
# it by a fixed distance, and FOR_ITER skips the END_FOR at its target; an
# EXTENDED_ARG before either made the interpreter land on the wrong unit.
def f(xs):
    out = []
    for x in xs:
        if x % 2:
            out.append(x)
        else:
            out.append(-x)
    return out


def g(n):
    acc = []
    for i in range(n):
        for j in range(i):
            acc.append(i * j)
    return acc


for _ in range(3):
    print(f(range(8)), sum(g(6)))


def main():
    return f(range(5)), len(g(5))
