"""Dict and set comprehensions: duplicate keys (last wins, first key object
kept), evaluation order of key and value, unhashable keys, sorted output."""

ORDER = []


def k(v):
    ORDER.append("k%s" % v)
    return v


def val(v):
    ORDER.append("v%s" % v)
    return v


def duplicates():
    d = {x % 3: x for x in range(10)}
    d2 = {True: "a", 1: "b", 1.0: "c"}
    d3 = {kk: i for i, kk in enumerate([1, 1.0, True])}
    return d, d2, d3, [type(x).__name__ for x in d3]


def evaluation_order():
    del ORDER[:]
    d = {k(i): val(i * 10) for i in range(2)}
    return d, list(ORDER)


def unhashable():
    try:
        {[i]: i for i in range(2)}
    except TypeError as e:
        r1 = str(e)
    try:
        {[i] for i in range(2)}
    except TypeError as e:
        r2 = str(e)
    return r1, r2


def sets():
    s = {c.lower() for c in "Hello World" if c.isalpha()}
    s2 = {i * j for i in range(4) for j in range(4)}
    s3 = {(i, -i) for i in range(3)}
    return sorted(s), sorted(s2), sorted(s3)


def dict_inversion():
    d = {"a": 1, "b": 2, "c": 1}
    inv = {}
    for key, v in d.items():
        inv.setdefault(v, []).append(key)
    inv2 = {v: key for key, v in d.items()}
    return inv, inv2


def main():
    return duplicates(), evaluation_order(), unhashable(), sets(), dict_inversion()


for item in main():
    print(item)
