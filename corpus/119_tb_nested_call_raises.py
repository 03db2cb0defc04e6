"""Ends with an uncaught ZeroDivisionError three calls deep, raised inside a
larger expression (3.11+ tracebacks point carets at the failing operation).
The traceback -- function names, line numbers, columns -- is compared."""


def parse(record):
    key, value = record.split("=")
    return key.strip(), int(value)


def load(lines):
    table = {}
    for n, line in enumerate(lines):
        k, v = parse(line)
        table[k] = table.get(k, 0) + v * (n + 1)
    return table


def ratio(table, weight):
    total = sum(table.values())
    return total * weight + total / (len(table) - len(set(table))) - weight


def report(lines):
    table = load(lines)
    print("loaded", sorted(table.items()))
    if table:
        pass
    return ratio(table, 2)


try:
    load(["a=1", "broken"])
except ValueError as e:
    print("caught:", e)
print(load(["x = 3", "y=4", "x=5"]))
print("about to fail")
report(["p=1", "q=2"])
print("never printed")
