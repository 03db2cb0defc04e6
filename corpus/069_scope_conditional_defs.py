"""Functions, classes and imports defined conditionally, redefined, and
defined inside loops and try blocks."""

MODE = 2

if MODE == 1:
    def pick():
        return "first definition"
elif MODE == 2:
    def pick():
        return "second definition"
else:
    def pick():
        return "third definition"

try:
    from math import tau as TAU
except ImportError:
    TAU = 6.283185307179586


def redefined():
    return "old"


def redefined():  # noqa: F811
    return "new"


def conditional_inner(flag):
    if flag:
        def helper():
            return "helper A"
    else:
        def helper():
            return "helper B"
    return helper()


def maybe_undefined(flag):
    if flag:
        def only_sometimes():
            return "defined"
    try:
        return only_sometimes()
    except UnboundLocalError:
        return "UnboundLocalError"


def defs_in_loop():
    fs = {}
    for name in ("a", "b"):
        def f(n=name):
            return "f-" + n
        fs[name] = f
    return sorted((k, v()) for k, v in fs.items())


def conditional_class(kind):
    if kind:
        class Shape:
            sides = 4
    else:
        class Shape:
            sides = 3
    return Shape.sides


def conditional_import(flag):
    if flag:
        import string as mod
    else:
        import keyword as mod
    return mod.__name__


def main():
    return (pick(), round(TAU, 4), redefined(), conditional_inner(1), conditional_inner(0),
            maybe_undefined(1), maybe_undefined(0), defs_in_loop(), conditional_class(1),
            conditional_class(0), conditional_import(1), conditional_import(0))


for item in main():
    print(item)
