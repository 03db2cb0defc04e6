# All safe passes together on ordinary code.
import sys

DEBUG = False


def parse(items):
    out = []
    for item in items:
        if not item:
            continue
        if item[0] == "#" and 1 < 2:
            pass
        elif item.isdigit():
            out.append(int(item))
        else:
            try:
                out.append(float(item))
            except ValueError:
                out.append(item)
    return out


def frame_line():
    if 0 > 1:
        return -1
    return sys._getframe().f_lineno


def report(x):
    verbose = False
    if verbose:
        print("checking", x)
    missing = None
    missing
    if missing is not None:
        return missing
    return x


print(parse(["1", "", "#c", "2.5", "x"]), frame_line(), report(3))
