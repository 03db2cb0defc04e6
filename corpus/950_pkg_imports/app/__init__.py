"""The package docstring."""
from .util import scale, CALLS

VERSION = (1, 2 - 1, 3 * 0)
__all__ = ["greet", "scale", "VERSION"]


def greet(name):
    return "hello, %s (%d)" % (name, len(name) - 1)
