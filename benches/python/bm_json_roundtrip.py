"""JSON round trip: build a document of nested records (strings with
escapes and non-ASCII text, ints, floats, booleans, nulls, lists, dicts)
from a fixed-seed LCG, then serialize it with the standard ``json`` module
in several styles, parse it back, check equality and walk the result."""

import json

DEFAULT_SCALE = 120   # round trips
TRACE_SCALE = 3


class LCG(object):
    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.state >> 4) % n


WORDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
         "quote\"d", "back\\slash", "tab\there", "new\nline", "caf\u00e9",
         "\u65e5\u672c", "snow\u2603man", "ok")


def make_string(rng):
    n = 1 + rng.below(4)
    parts = []
    for _ in range(n):
        parts.append(WORDS[rng.below(len(WORDS))])
    return " ".join(parts)


def make_value(rng, depth):
    MAX_DEPTH = 4
    kind = rng.below(10)
    if depth >= MAX_DEPTH and kind >= 7:
        kind = rng.below(7)
    if kind == 0:
        return rng.below(1000000) - 500000
    if kind == 1:
        return (rng.below(2000000) - 1000000) / 128.0
    if kind == 2:
        return rng.below(2) == 1
    if kind == 3:
        return None
    if kind <= 6:
        return make_string(rng)
    if kind <= 8:
        return [make_value(rng, depth + 1) for _ in range(rng.below(6))]
    d = {}
    for _ in range(rng.below(6)):
        d[make_string(rng)] = make_value(rng, depth + 1)
    return d


def make_document(rng, records):
    doc = {"version": 3, "generator": "pyopt-bench", "records": []}
    for i in range(records):
        rec = {
            "id": i,
            "name": make_string(rng),
            "score": rng.below(100000) / 1000.0,
            "active": rng.below(3) != 0,
            "tags": [WORDS[rng.below(len(WORDS))] for _ in range(rng.below(5))],
            "payload": make_value(rng, 0),
        }
        doc["records"].append(rec)
    return doc


def walk(value):
    """Count the nodes and sum the integers, the string lengths and the dict sizes."""
    nodes = 0
    total = 0
    stack = [value]
    while stack:
        v = stack.pop()
        nodes += 1
        if v is None or v is True or v is False:
            continue
        if isinstance(v, int):
            total += v
        elif isinstance(v, float):
            total += int(v * 8)
        elif isinstance(v, str):
            total += len(v)
        elif isinstance(v, list):
            stack.extend(v)
        else:
            total += len(v)
            for k in v:
                total += len(k)
                stack.append(v[k])
    return nodes, total


def main(scale=DEFAULT_SCALE):
    RECORDS = 300
    rng = LCG(12345)
    doc = make_document(rng, RECORDS)
    checksum = 0
    for i in range(scale):
        style = i % 3
        if style == 0:
            text = json.dumps(doc)
        elif style == 1:
            text = json.dumps(doc, sort_keys=True, indent=2)
        else:
            text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        back = json.loads(text)
        if back != doc:
            raise AssertionError("json round trip changed the document")
        nodes, total = walk(back)
        checksum = (checksum * 7 + len(text) + nodes + total) % 1000000007
    return checksum


if __name__ == "__main__":
    print(main())
