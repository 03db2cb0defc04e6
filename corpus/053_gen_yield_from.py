"""yield from: delegation, return values, send/throw forwarded to the
subgenerator, yield from over plain iterables."""


def sub(n):
    total = 0
    for i in range(n):
        got = yield i
        if got is not None:
            total += got
    return "sub(%d) total=%d" % (n, total)


def delegator():
    r1 = yield from sub(2)
    yield "after first: " + r1
    r2 = yield from sub(3)
    yield "after second: " + r2
    r3 = yield from [10, 20]
    yield "list result: %r" % (r3,)
    return "delegator done"


def chain(*iterables):
    for it in iterables:
        yield from it


def flatten(x):
    if isinstance(x, (list, tuple)):
        for item in x:
            yield from flatten(item)
    else:
        yield x


def catching_sub():
    try:
        yield "ready"
    except KeyError as e:
        yield "sub caught %s" % e
    return "sub returned"


def outer_catching():
    result = yield from catching_sub()
    yield result


def main():
    out = []
    g = delegator()
    out.append(next(g))
    out.append(g.send(5))
    out.append(g.send(7))
    out.extend(list(g))
    out.append(list(chain("ab", range(2), (x * x for x in range(3)))))
    out.append(list(flatten([1, [2, (3, [4, [5]])], 6])))
    oc = outer_catching()
    out.append(next(oc))
    out.append(oc.throw(KeyError("thrown")))
    out.append(next(oc))
    out.append(list(oc))
    return out


for item in main():
    print(item)
