"""__debug__ and line numbers via sys._getframe().f_lineno and
inspect.currentframe(): code after removed blocks keeps its line numbers."""
import inspect
import sys


def lineno():
    return sys._getframe(1).f_lineno


def lines_around_debug():
    out = [lineno()]
    if __debug__:
        out.append(lineno())
    if not __debug__:
        out.append("never")
    out.append(lineno())
    if 0:
        out.append("dead")
        out.append("dead")
    out.append(lineno())
    while 0:
        pass
    out.append(lineno())
    return out


def frame_info():
    f = inspect.currentframe()
    return f.f_code.co_name, f.f_lineno - f.f_code.co_firstlineno, f.f_back.f_code.co_name


def lines_in_loop():
    out = []
    for i in range(2):
        out.append(sys._getframe().f_lineno)
        if i:
            out.append(sys._getframe().f_lineno)
    return out


def after_return_in_branch(x):
    if x:
        return lineno()
    else:
        pass
    return lineno()


def line_of_raise():
    try:
        raise ValueError
    except ValueError:
        return sys.exc_info()[2].tb_lineno


def debug_value():
    return __debug__, not __debug__, __debug__ and "yes", __debug__ or "no"


def main():
    return (lines_around_debug(), frame_info(), lines_in_loop(), after_return_in_branch(1), after_return_in_branch(0),
            line_of_raise(), debug_value())


for item in main():
    print(item)
