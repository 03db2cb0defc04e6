"""Deeply nested closures, closures over parameters, closures returned from
generators, recursive closures, decorators with arguments."""
import functools


def adder_factory(n):
    def level1(a):
        def level2(b):
            def level3(c):
                return n + a + b + c
            return level3
        return level2
    return level1


def recursive_closure(limit):
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)
    return [fact(i) for i in range(limit)]


def gen_of_closures():
    for i in range(3):
        yield lambda x, i=i: x * i


def decorator_with_args(prefix):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return "%s:%s" % (prefix, fn(*args, **kwargs))
        wrapper.calls = 0
        return wrapper
    return deco


@decorator_with_args("tag")
def decorated(x, y=1):
    """Docstring kept by wraps."""
    return x + y


def memo():
    cache = {}

    def fib(n):
        if n in cache:
            return cache[n]
        r = n if n < 2 else fib(n - 1) + fib(n - 2)
        cache[n] = r
        return r
    return fib(40), len(cache)


def mutual():
    def is_even(n):
        return True if n == 0 else is_odd(n - 1)

    def is_odd(n):
        return False if n == 0 else is_even(n - 1)
    return [is_even(i) for i in range(5)]


def main():
    return (adder_factory(1)(2)(3)(4), recursive_closure(6), [f(10) for f in gen_of_closures()],
            decorated(1), decorated(2, y=5), decorated.__name__, decorated.__doc__, memo(), mutual())


for item in main():
    print(item)
