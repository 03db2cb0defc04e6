# Augmented assignments to a local's item or attribute, and targets that must stay.
class Box:
    def __init__(self):
        self.n = 1
        self.grid = [0, 0, 0]

    def bump(self, i, v):
        self.n += v
        self.grid[i] += 1
        return self.n, self.grid


def items(a, i, j, v):
    a[i] += v
    a[0] -= v * 2
    a[j] *= len(a) + i
    a[i] += a.pop()
    return a


def attrs(b, v):
    b.n += 1
    b.n **= v
    return b.n


def stays(a, i, v, flag):
    a[i] += (a := [5, 6, [7]])[0]
    a[i] += v if flag else -v
    a[2][0] += 1
    return a


def gen(a):
    a[0] += yield 1
    yield a


def caught(a, i):
    try:
        a[i] += 1
    except IndexError:
        return "index"
    return a


g = gen([1, 2])
next(g)
print(Box().bump(1, 3), items([1, 2, 3, 4], 1, 2, 5), attrs(Box(), 3),
      stays([1, 2, [3]], 1, 4, True), g.send(10), caught([1], 3), caught([1], 0))
