"""Async generators: asend/athrow/aclose driven by hand, async generator
expressions, return inside async generators, finally on aclose."""


class Tick:
    def __await__(self):
        yield "tick"


def drive(awaitable):
    """Runs an awaitable to completion, returning its value or exception."""
    it = awaitable.__await__() if hasattr(awaitable, "__await__") and not hasattr(awaitable, "send") else awaitable
    try:
        while True:
            it.send(None)
    except StopIteration as stop:
        return ("value", stop.value)
    except StopAsyncIteration:
        return ("StopAsyncIteration",)
    except Exception as e:
        return ("raised", type(e).__name__, str(e))


async def agen(log):
    try:
        for i in range(3):
            await Tick()
            received = yield i
            if received is not None:
                log.append("received %r" % (received,))
    except ValueError as e:
        log.append("agen caught " + str(e))
        yield "after throw"
    finally:
        log.append("agen finally")


async def collect(log):
    out = []
    async for v in agen(log):
        out.append(v)
    return out


async def genexp_consumer():
    async def numbers():
        for i in range(5):
            await Tick()
            yield i

    g = (x * 10 async for x in numbers() if x % 2)
    return [v async for v in g]


def main():
    out = []
    log = []
    out.append(drive(collect(log)))
    out.append(list(log))
    log = []
    g = agen(log)
    out.append(drive(g.__anext__()))
    out.append(drive(g.asend("hello")))
    out.append(drive(g.athrow(ValueError("boom"))))
    out.append(drive(g.__anext__()))
    out.append(drive(g.__anext__()))
    out.append(list(log))
    log = []
    g2 = agen(log)
    out.append(drive(g2.__anext__()))
    out.append(drive(g2.aclose()))
    out.append(list(log))
    out.append(drive(genexp_consumer()))
    return out


for item in main():
    print(item)
