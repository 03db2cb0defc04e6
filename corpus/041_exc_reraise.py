"""Bare raise, re-raising the caught name, raise inside nested handlers, and
the exception being handled after a nested handler finishes."""
import sys


def bare_reraise():
    try:
        raise ValueError("original")
    except ValueError:
        raise


def name_reraise():
    try:
        raise KeyError("k")
    except KeyError as e:
        raise e


def nested_handlers():
    try:
        raise TypeError("outer")
    except TypeError:
        try:
            raise ValueError("inner")
        except ValueError:
            pass
        raise


def reraise_after_function_call():
    def helper():
        try:
            raise OSError("helper's own")
        except OSError:
            return "helper handled"

    try:
        raise IndexError("kept")
    except IndexError:
        helper()
        raise


def no_active_exception():
    try:
        raise
    except RuntimeError as e:
        return "RuntimeError: %s" % e


def reraise_in_finally_order():
    log = []
    try:
        try:
            raise NameError("x")
        finally:
            log.append("finally 1")
    except NameError:
        log.append("caught")
        try:
            raise
        except NameError as e:
            log.append("re-caught " + str(e))
    return log


def exc_info_after():
    try:
        raise ValueError("v")
    except ValueError:
        pass
    return sys.exc_info()


def main():
    out = []
    for f in (bare_reraise, name_reraise, nested_handlers, reraise_after_function_call):
        try:
            f()
        except Exception as e:
            out.append("%s: %s: %s" % (f.__name__, type(e).__name__, e))
    out.append(no_active_exception())
    out.append(reraise_in_finally_order())
    out.append(exc_info_after())
    return out


for line in main():
    print(line)
