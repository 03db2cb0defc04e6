"""GeneratorExit handling: finally on close, catching GeneratorExit and
returning, yielding inside GeneratorExit handler (RuntimeError), close()
return value (3.13 returns the generator's return value)."""


def with_finally(log):
    try:
        yield "a"
        yield "b"
    finally:
        log.append("finally ran")


def catches_and_returns(log):
    try:
        yield 1
    except GeneratorExit:
        log.append("caught GeneratorExit")
        return "value from close"


def yields_on_exit():
    try:
        yield 1
    except GeneratorExit:
        yield "bad"


def raises_other_on_exit():
    try:
        yield 1
    except GeneratorExit:
        raise ValueError("replaced GeneratorExit")


def main():
    out = []
    log = []
    g = with_finally(log)
    out.append(next(g))
    out.append(g.close())
    out.append(list(log))
    log = []
    g = catches_and_returns(log)
    next(g)
    out.append(repr(g.close()))
    out.append(list(log))
    g = yields_on_exit()
    next(g)
    try:
        g.close()
    except RuntimeError as e:
        out.append("RuntimeError: %s" % e)
    g = raises_other_on_exit()
    next(g)
    try:
        g.close()
    except ValueError as e:
        out.append("ValueError: %s" % e)
    log = []
    g = with_finally(log)
    out.append(g.close())
    out.append(("never started", list(log)))
    log = []
    for x in with_finally(log):
        if x == "a":
            break
    out.append(("after break", list(log)))
    return out


for item in main():
    print(item)
