"""Coroutines driven by a tiny hand-written event loop (coro.send(None)
until StopIteration): await chains, return values, exceptions through
await, a round-robin scheduler."""
import types


class Pause:
    """Awaitable that suspends once, handing `tag` to the loop."""

    def __init__(self, tag):
        self.tag = tag

    def __await__(self):
        reply = yield self.tag
        return reply


@types.coroutine
def legacy_pause(tag):
    reply = yield tag
    return reply


def run(coro, replies=None):
    """Drives one coroutine; answers each suspension with the next reply."""
    replies = list(replies or [])
    seen = []
    value = None
    while True:
        try:
            tag = coro.send(value)
        except StopIteration as stop:
            return stop.value, seen
        seen.append(tag)
        value = replies.pop(0) if replies else None


async def leaf(n):
    got = await Pause("leaf%d" % n)
    return (n, got)


async def middle():
    a = await leaf(1)
    b = await leaf(2)
    c = await legacy_pause("legacy")
    return [a, b, c]


async def raises_after_pause():
    await Pause("before error")
    raise KeyError("async error")


async def catches():
    try:
        await raises_after_pause()
    except KeyError as e:
        return "caught %s" % e


async def worker(name, steps, log):
    for i in range(steps):
        log.append("%s step %d" % (name, i))
        await Pause(name)
    return name + " done"


def round_robin(coros):
    queue = list(coros)
    results = {}
    order = []
    while queue:
        name, coro = queue.pop(0)
        try:
            coro.send(None)
            order.append(name)
            queue.append((name, coro))
        except StopIteration as stop:
            results[name] = stop.value
    return order, sorted(results.items())


async def no_await():
    return "immediate"


def main():
    out = [run(middle(), ["r1", "r2", "r3"]), run(catches()), run(no_await())]
    log = []
    out.append(round_robin([("a", worker("a", 2, log)), ("b", worker("b", 3, log)), ("c", worker("c", 1, log))]))
    out.append(log)
    coro = leaf(9)
    coro.send(None)
    try:
        coro.throw(ValueError("thrown into coroutine"))
    except ValueError as e:
        out.append("throw propagated: %s" % e)
    coro2 = leaf(10)
    coro2.close()
    out.append(type(coro2).__name__)
    return out


for item in main():
    print(item)
