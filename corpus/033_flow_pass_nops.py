"""pass-only lines and empty bodies: CPython keeps NOPs so that these lines
still produce line events. Line numbers are printed via f_lineno."""
import sys


def empty():
    pass


def empty_doc():
    """Only a docstring."""


def ellipsis_body():
    ...


def pass_lines(x):
    pass
    if x:
        pass
    else:
        pass
    for i in range(2):
        pass
    while x > 10:
        pass
        x -= 1
    try:
        pass
    except Exception:
        pass
    finally:
        pass
    with Ctx():
        pass
    pass
    return sys._getframe().f_lineno


class Ctx:
    def __enter__(self):
        pass

    def __exit__(self, *a):
        pass


class Empty:
    pass


class EmptyDoc:
    """Docstring only."""


def if_pass_else(x):
    if x > 0:
        pass
    elif x < 0:
        return "neg"
    else:
        pass
    return "non-negative"


def constant_statements():
    1
    "a string statement"
    None
    (1, 2)
    ...
    return sys._getframe().f_lineno


def lines_after_pass():
    here = [sys._getframe().f_lineno]
    pass
    here.append(sys._getframe().f_lineno)
    pass; here.append(sys._getframe().f_lineno)
    if True:
        pass
    here.append(sys._getframe().f_lineno)
    return here


def main():
    return (empty(), empty_doc(), ellipsis_body(), pass_lines(0), pass_lines(12),
            Empty.__doc__, EmptyDoc.__doc__, if_pass_else(1), if_pass_else(-1), if_pass_else(0),
            constant_statements(), lines_after_pass(), empty.__doc__, empty_doc.__doc__)


print(empty(), empty_doc(), ellipsis_body())
print(pass_lines(1), pass_lines(13))
print(if_pass_else(5), if_pass_else(-5))
print(constant_statements())
print(lines_after_pass())
print(type(Empty()).__name__, EmptyDoc.__doc__)
