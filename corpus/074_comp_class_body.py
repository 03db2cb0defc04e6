"""Comprehensions in class bodies: only the first iterable sees class
variables; the rest run in a function scope (also on 3.12+)."""


class Config:
    base = [1, 2, 3]
    factor = 10
    scaled_first = [v * 2 for v in base]
    try:
        scaled = [v * factor for v in base]
    except NameError as e:
        scaled = "NameError: factor not visible"
    pairs = [(v, w) for v in base for w in range(1)]
    try:
        cross = [(v, w) for v in range(1) for w in base]
    except NameError:
        cross = "NameError: base not visible in second iterable"
    keys = {k: k * 2 for k in base}
    gen_sum = sum(v for v in base)
    names = sorted(n for n in ["b", "a"])


def in_function_class(multiplier):
    class Local:
        data = [1, 2]
        uses_closure = [d * multiplier for d in data]
    return Local.uses_closure


class Shadow:
    v = "class v"
    out = [v for v in "ab"]
    after = v


def main():
    return (Config.scaled_first, Config.scaled, Config.pairs, Config.cross, Config.keys, Config.gen_sum,
            Config.names, in_function_class(3), Shadow.out, Shadow.after)


for item in main():
    print(item)
