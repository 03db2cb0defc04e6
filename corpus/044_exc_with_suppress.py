"""contextlib managers: suppress, contextmanager generators (exceptions
thrown into them), ExitStack ordering, nullcontext."""
import contextlib

LOG = []


@contextlib.contextmanager
def tag(name):
    LOG.append("<" + name)
    try:
        yield name
    except ValueError as e:
        LOG.append("handled " + str(e))
    finally:
        LOG.append(name + ">")


@contextlib.contextmanager
def reraiser():
    try:
        yield
    except KeyError:
        LOG.append("reraising")
        raise


def use_suppress():
    out = []
    for key in ("a", "z"):
        with contextlib.suppress(KeyError):
            out.append({"a": 1}[key])
        out.append("after " + key)
    return out


def use_tag():
    del LOG[:]
    with tag("x") as n:
        LOG.append("body " + n)
    with tag("y"):
        raise ValueError("inside y")
    try:
        with tag("z"):
            raise TypeError("not handled")
    except TypeError as e:
        LOG.append("outside: " + str(e))
    return list(LOG)


def use_reraiser():
    del LOG[:]
    try:
        with reraiser():
            raise KeyError("k")
    except KeyError as e:
        LOG.append("caught %r" % e.args)
    return list(LOG)


def use_exitstack():
    del LOG[:]
    with contextlib.ExitStack() as stack:
        for name in ("a", "b", "c"):
            stack.enter_context(tag(name))
        stack.callback(LOG.append, "callback")
        LOG.append("body")
    return list(LOG)


def use_nullcontext():
    with contextlib.nullcontext(5) as v:
        return v * 2


def main():
    return use_suppress(), use_tag(), use_reraiser(), use_exitstack(), use_nullcontext()


print(use_suppress())
print(use_tag())
print(use_reraiser())
print(use_exitstack())
print(use_nullcontext())
