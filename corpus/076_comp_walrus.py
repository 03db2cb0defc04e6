"""Assignment expressions (:=) in comprehensions bind in the containing
scope; in conditions; in while loops; in nested functions with nonlocal."""


def running_total(values):
    total = 0
    sums = [total := total + v for v in values]
    return sums, total


def filter_and_keep(values):
    kept = [y for v in values if (y := v * v) > 10]
    return kept, y


def in_while(data):
    it = iter(data)
    out = []
    while (chunk := next(it, None)) is not None:
        out.append(chunk * 2)
    return out, chunk


def in_if(text):
    if (n := len(text)) > 3:
        return "long", n
    return "short", n


def nested_scopes():
    count = 0

    def bump(items):
        nonlocal count
        return [count := count + 1 for _ in items]

    r = bump("abc")
    return r, count


def in_generator():
    last = None
    g = (last := v for v in range(3))
    before = last
    values = list(g)
    return before, values, last


def walrus_in_dict_comp():
    d = {k: (sq := k * k) for k in range(4)}
    return d, sq


def main():
    return (running_total([1, 2, 3, 4]), filter_and_keep([1, 3, 5, 2]), in_while([1, 2, 3]),
            in_if("ab"), in_if("abcdef"), nested_scopes(), in_generator(), walrus_in_dict_comp())


for item in main():
    print(item)
