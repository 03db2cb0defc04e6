"""Generator pipeline: a chain of generators (source, map, filter, sliding
windows, chunking, ``yield from`` flattening, a stateful running-statistics
stage and a generator-expression reduction) over a fixed-seed stream."""

DEFAULT_SCALE = 300000   # items from the source
TRACE_SCALE = 20000


def lcg_stream(seed, count):
    state = seed
    for _ in range(count):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        yield state >> 12


def scaled(items, factor):
    for x in items:
        yield x * factor % 10007


def keep(items, modulus):
    DEBUG = False
    for x in items:
        if x % modulus == 0:
            continue
        if DEBUG:
            print("keep", x)
        yield x


def windows(items, size):
    window = []
    for x in items:
        window.append(x)
        if len(window) > size:
            del window[0]
        if len(window) == size:
            yield tuple(window)


def chunks(items, size):
    chunk = []
    for x in items:
        chunk.append(x)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def flatten(chunked):
    for chunk in chunked:
        yield from chunk


def running_stats(items):
    count = 0
    total = 0
    low = None
    high = None
    for x in items:
        count += 1
        total += x
        if low is None or x < low:
            low = x
        if high is None or x > high:
            high = x
        yield (count, total, low, high, x)


def window_features(ws):
    for w in ws:
        yield (max(w) - min(w), sum(w) % 97, w[0] ^ w[-1])


def take_while_budget(items, budget):
    spent = 0
    for item in items:
        spent += item[0] & 15
        if spent > budget:
            break
        yield item


def main(scale=DEFAULT_SCALE):
    WINDOW = 4
    CHUNK = 16
    BUDGET = 1 << 40
    source = lcg_stream(2024, scale)
    stage = keep(scaled(source, 31), 7)
    stage = flatten(chunks(stage, CHUNK))
    features = window_features(windows(stage, WINDOW))
    features = take_while_budget(features, BUDGET)
    stats = running_stats(f[0] * 100 + f[1] for f in features)
    last = None
    acc = 0
    for last in stats:
        acc = (acc + last[4] * (last[0] & 7)) % 1000000007
    squares = sum(x * x for x in range(scale // 10) if x % 3 != 1)
    return (last[:4] if last else None, acc, squares % 1000003)


if __name__ == "__main__":
    print(main())
