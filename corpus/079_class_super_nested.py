"""Zero-argument super() in nested functions, lambdas, comprehensions and
generators inside methods; __class__ cell; super() without arguments where
it cannot work (RuntimeError)."""


class A:
    def f(self):
        return "A.f"

    def g(self):
        return "A.g"


class B(A):
    def f(self):
        def inner():
            return super(B, self).f()
        return "B.f>" + inner()

    def g(self):
        def nested_zero_arg():
            return super().g()
        try:
            return nested_zero_arg()
        except RuntimeError as e:
            return "RuntimeError: %s" % e

    def in_comprehension(self):
        # Before 3.12 the comprehension is a function whose first argument is
        # the iterator, so zero-argument super() fails there; 3.12+ inlines it.
        try:
            return [super().f() for _ in range(2)]
        except TypeError as e:
            return "TypeError: %s" % e

    def in_generator(self):
        def gen(me):
            yield __class__.__name__
        return list(gen(self))

    def in_lambda(self):
        return (lambda: super(B, self).g())()

    def class_cell(self):
        return __class__ is B


def replaced_method():
    def f(self):
        return "replaced>" + super(B, self).f()
    B.replaced = f
    return B().replaced()


def main():
    b = B()
    return (b.f(), b.g(), b.in_comprehension(), b.in_generator(), b.in_lambda(), b.class_cell(), replaced_method())


for item in main():
    print(item)
