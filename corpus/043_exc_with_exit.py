"""with statements: __enter__/__exit__ protocol, exceptions raised in
__exit__, __exit__ return values, nested and multiple managers."""

LOG = []


class CM:
    def __init__(self, name, suppress=False, fail_exit=False, fail_enter=False):
        self.name = name
        self.suppress = suppress
        self.fail_exit = fail_exit
        self.fail_enter = fail_enter

    def __enter__(self):
        LOG.append("enter " + self.name)
        if self.fail_enter:
            raise RuntimeError("enter failed: " + self.name)
        return self.name.upper()

    def __exit__(self, et, ev, tb):
        LOG.append("exit %s %s" % (self.name, et.__name__ if et else "-"))
        if self.fail_exit:
            raise KeyError("exit failed: " + self.name)
        return self.suppress


def run(label, fn):
    del LOG[:]
    try:
        r = fn()
        res = "returned %r" % (r,)
    except Exception as e:
        ctx = e.__context__
        res = "raised %s(%s) ctx=%s" % (type(e).__name__, e, type(ctx).__name__ if ctx else None)
    print(label, res, LOG)
    return res, tuple(LOG)


def plain():
    with CM("a") as v:
        LOG.append("body " + v)
    return "done"


def body_raises():
    with CM("a"):
        raise ValueError("body")


def suppressed():
    with CM("s", suppress=True):
        raise ValueError("suppressed")
    return "after suppressed"


def exit_raises():
    with CM("x", fail_exit=True):
        raise ValueError("body error")


def exit_raises_clean():
    with CM("x", fail_exit=True):
        LOG.append("clean body")
    return "unreachable"


def enter_raises():
    with CM("outer"), CM("inner", fail_enter=True):
        LOG.append("never")


def multiple():
    with CM("one") as a, CM("two") as b, CM("three", suppress=True):
        LOG.append(a + b)
        raise OSError("multi")
    return "suppressed by innermost"


def return_through_with():
    for i in range(3):
        with CM("loop%d" % i):
            if i == 1:
                return i
            continue


def break_through_with():
    for i in range(3):
        with CM("b%d" % i):
            if i == 1:
                break
    return "broke"


def truthy_non_bool_exit():
    class Strange(CM):
        def __exit__(self, *a):
            LOG.append("strange exit")
            return [0]

    with Strange("st"):
        raise ValueError("swallowed by truthy list")
    return "swallowed"


def main():
    return [run(f.__name__, f) for f in (plain, body_raises, suppressed, exit_raises, exit_raises_clean,
                                          enter_raises, multiple, return_through_with, break_through_with,
                                          truthy_non_bool_exit)]


for f in (plain, body_raises, suppressed, exit_raises, enter_raises, multiple, return_through_with):
    run(f.__name__, f)
