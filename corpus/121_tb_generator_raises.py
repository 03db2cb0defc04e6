"""Ends with an uncaught exception raised inside a generator expression
consumed by sum() inside a method called from a lambda: the traceback goes
through genexpr, method and lambda frames."""


class Stats:
    def __init__(self, values):
        self.values = list(values)

    def harmonic(self):
        return len(self.values) / sum(1 / v for v in self.values)

    def scaled(self, k):
        return [v * k for v in self.values]


def pipeline(values, steps):
    s = Stats(values)
    for step in steps:
        print(step.__name__ if hasattr(step, "__name__") else "step", step(s))
    return s


ok = pipeline([1, 2, 4], [lambda s: round(s.harmonic(), 6), lambda s: s.scaled(3)])
print("first pipeline done", ok.values)
pipeline([3, 0, 5], [lambda s: s.scaled(2), lambda s: s.harmonic()])
