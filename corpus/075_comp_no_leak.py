"""Comprehension iteration variables never leak; exceptions inside
comprehensions leave outer names intact; tracebacks name the frames."""
import traceback


def no_leak():
    [leak1 for leak1 in range(3)]
    {leak2 for leak2 in range(3)}
    {leak3: 1 for leak3 in range(3)}
    list(leak4 for leak4 in range(3))
    leaked = [n for n in ("leak1", "leak2", "leak3", "leak4") if n in locals()]
    return leaked


def exception_restores():
    i = "outer i"
    try:
        [1 // (2 - i) for i in range(5)]
    except ZeroDivisionError as e:
        frames = [f.name for f in traceback.extract_tb(e.__traceback__)]
        return i, len(frames) >= 1, frames[0]
    return i, "no error"


def walrus_leaks():
    [last := v for v in range(3)]
    return last


def nested_no_leak():
    result = [[a for a in range(b)] for b in range(3)]
    return result, "a" in locals(), "b" in locals()


def generator_not_run():
    g = (unknown_name for _ in range(1))  # noqa: F821
    try:
        next(g)
    except NameError as e:
        return "NameError when run"


def main():
    return no_leak(), exception_restores(), walrus_leaks(), nested_no_leak(), generator_not_run()


for item in main():
    print(item)
