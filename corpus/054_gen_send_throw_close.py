"""Generator send/throw/close, including throw into a not-started
generator, close of a suspended generator, and errors after exhaustion."""


def accumulator():
    total = 0
    while True:
        try:
            value = yield total
        except ValueError as e:
            total = -1
            print("  accumulator reset by", e)
            continue
        if value is None:
            break
        total += value
    return total


def states():
    g = accumulator()
    out = [next(g), g.send(5), g.send(10)]
    out.append(g.throw(ValueError("reset")))
    out.append(g.send(3))
    try:
        g.send(None)
    except StopIteration as e:
        out.append(("StopIteration", e.value))
    try:
        g.send(1)
    except StopIteration as e:
        out.append(("again", e.value))
    return out


def send_non_none_first():
    g = accumulator()
    try:
        g.send(1)
    except TypeError as e:
        return "TypeError: %s" % e


def throw_not_started():
    def gen():
        print("  never starts")
        yield 1

    g = gen()
    try:
        g.throw(KeyError("early"))
    except KeyError as e:
        return "propagated %r, then next -> %s" % (e, next(g, "exhausted"))


def close_suspended():
    log = []

    def gen():
        try:
            yield 1
            yield 2
        finally:
            log.append("cleanup")

    g = gen()
    next(g)
    g.close()
    g.close()
    log.append(next(g, "closed"))
    return log


def throw_unhandled():
    def gen():
        yield 1

    g = gen()
    next(g)
    try:
        g.throw(IndexError("not handled"))
    except IndexError as e:
        return "raised back: %s, state %s" % (e, next(g, "exhausted"))


def throw_type_with_value():
    def gen():
        try:
            yield
        except LookupError as e:
            yield type(e).__name__ + ":" + str(e)

    g = gen()
    next(g)
    return g.throw(KeyError("k"))


def main():
    return states(), send_non_none_first(), throw_not_started(), close_suspended(), throw_unhandled(), throw_type_with_value()


for item in main():
    print(item)
