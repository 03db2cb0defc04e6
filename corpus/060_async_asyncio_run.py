# max-version: 3.13 (pyodide's 3.14 cannot run asyncio.run under Node.js: no WebAssembly stack switching)
"""asyncio.run with gather, tasks, sleep(0) interleaving, exceptions and
cancellation; all deterministic (no real waiting)."""
import asyncio


async def worker(name, n, log):
    for i in range(n):
        log.append("%s%d" % (name, i))
        await asyncio.sleep(0)
    return name * n


async def failing(log):
    await asyncio.sleep(0)
    log.append("failing raises")
    raise ValueError("worker failed")


async def sleeper(log):
    try:
        while True:
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        log.append("cancelled")
        raise


async def scenario():
    log = []
    results = await asyncio.gather(worker("a", 2, log), worker("b", 3, log), worker("c", 1, log))
    mixed = await asyncio.gather(worker("x", 1, log), failing(log), return_exceptions=True)
    mixed = [r if isinstance(r, str) else "%s(%s)" % (type(r).__name__, r) for r in mixed]
    task = asyncio.ensure_future(sleeper(log))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log.append("awaited cancelled task")
    try:
        await asyncio.wait_for(worker("w", 1, log), timeout=10)
    except asyncio.TimeoutError:
        log.append("timeout")
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)
    drained = []
    while not q.empty():
        drained.append(await q.get())
    return results, mixed, drained, log


def main():
    return asyncio.run(scenario())


results, mixed, drained, log = main()
print(results)
print(mixed)
print(drained)
print(log)
