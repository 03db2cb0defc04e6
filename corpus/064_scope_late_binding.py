"""Closures created in loops bind late; default arguments bind early;
lambdas capturing loop variables; class bodies in loops."""


def late():
    fs = []
    for i in range(3):
        fs.append(lambda: i)
    return [f() for f in fs]


def early():
    fs = []
    for i in range(3):
        fs.append(lambda i=i: i)
    return [f() for f in fs]


def comprehension_lambdas():
    fs = [lambda: k for k in range(3)]
    gs = [(lambda k: lambda: k)(k) for k in range(3)]
    return [f() for f in fs], [g() for g in gs]


def while_loop_closures():
    fs = []
    n = 0
    while n < 3:
        def f(m=n):
            return m, n
        fs.append(f)
        n += 1
    return [f() for f in fs]


def rebinding_after_creation():
    x = "first"
    f = lambda: x
    x = "second"
    r1 = f()
    x = "third"
    return r1, f()


def nested_loop_capture():
    out = []
    for a in range(2):
        for b in range(2):
            out.append(lambda: (a, b))
    return [f() for f in out]


def classes_in_loop():
    classes = []
    for i in range(3):
        class C:
            value = i

            def get(self):
                return self.value, i
        classes.append(C)
    return [c().get() for c in classes]


def main():
    return late(), early(), comprehension_lambdas(), while_loop_closures(), rebinding_after_creation(), nested_loop_capture(), classes_in_loop()


for item in main():
    print(item)
