"""Module docstring."""
import sys

def f():
    """Function docstring."""
    return 1

def g():
    "same"
    return "same"

class C:
    """Class docstring."""
    def m(self):
        """Method doc."""
        return [x for x in "ab"]

class E:
    ""

lam = lambda: "lam"
print(__doc__, f.__doc__, g.__doc__, C.__doc__, C.m.__doc__, lam.__doc__, f(), g(), C().m(), lam())
print(repr(E.__doc__))
