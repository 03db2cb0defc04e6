"""async for and async with over hand-written async iterators and async
context managers, driven without asyncio."""


class Tick:
    def __await__(self):
        yield "tick"


class ARange:
    def __init__(self, n, log):
        self.i = 0
        self.n = n
        self.log = log

    def __aiter__(self):
        self.log.append("aiter")
        return self

    async def __anext__(self):
        await Tick()
        if self.i >= self.n:
            self.log.append("stop")
            raise StopAsyncIteration
        self.i += 1
        return self.i - 1


class ACtx:
    def __init__(self, name, log, suppress=False):
        self.name = name
        self.log = log
        self.suppress = suppress

    async def __aenter__(self):
        self.log.append("aenter " + self.name)
        await Tick()
        return self.name

    async def __aexit__(self, et, ev, tb):
        self.log.append("aexit %s %s" % (self.name, et.__name__ if et else "-"))
        await Tick()
        return self.suppress


def run(coro):
    ticks = 0
    while True:
        try:
            coro.send(None)
            ticks += 1
        except StopIteration as stop:
            return stop.value, ticks


async def use_async_for(log):
    total = []
    async for x in ARange(4, log):
        if x == 2:
            continue
        total.append(x)
    else:
        log.append("for-else")
    async for y in ARange(10, log):
        if y == 1:
            break
    return total


async def use_async_with(log):
    async with ACtx("outer", log) as a, ACtx("inner", log) as b:
        log.append("body %s %s" % (a, b))
    async with ACtx("sup", log, suppress=True):
        raise ValueError("suppressed")
    try:
        async with ACtx("nosup", log):
            raise KeyError("escapes")
    except KeyError:
        log.append("caught escaping KeyError")
    return "with done"


async def comprehension(log):
    squares = [x * x async for x in ARange(3, log)]
    evens = [x async for x in ARange(5, log) if x % 2 == 0]
    return squares, evens


def main():
    out = []
    for fn in (use_async_for, use_async_with, comprehension):
        log = []
        out.append((fn.__name__, run(fn(log)), log))
    return out


for name, result, log in main():
    print(name, result)
    print("   ", log)
