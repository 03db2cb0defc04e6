"""Exceptions through coroutine chains: tracebacks of coroutine frames
(names and line numbers), await inside finally/except, re-raise."""
import traceback


class Tick:
    def __await__(self):
        yield "tick"


def run(coro):
    while True:
        try:
            coro.send(None)
        except StopIteration as stop:
            return stop.value


async def deepest(x):
    await Tick()
    return 10 // x


async def middle(x):
    try:
        return await deepest(x)
    finally:
        await Tick()


async def top(x):
    try:
        return await middle(x)
    except ZeroDivisionError as e:
        await Tick()
        frames = [(f.name, f.lineno) for f in traceback.extract_tb(e.__traceback__)]
        return "caught", frames


async def reraise_after_await():
    try:
        await deepest(0)
    except ZeroDivisionError:
        await Tick()
        raise


async def wrapper():
    try:
        await reraise_after_await()
    except ZeroDivisionError as e:
        return [(f.name, f.lineno) for f in traceback.extract_tb(e.__traceback__)]


async def awaiting_twice():
    c = deepest(2)
    first = await c
    try:
        await c
    except RuntimeError as e:
        return first, str(e)


def main():
    return run(top(5)), run(top(0)), run(wrapper()), run(awaiting_twice())


for item in main():
    print(item)
