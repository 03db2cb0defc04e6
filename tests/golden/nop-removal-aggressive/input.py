# NOPs that carry line events: `pass`, and (3.11+) `try:` lines.
def f(x):
    if x:
        pass
    else:
        x = 1
    try:
        x += 1
    except TypeError:
        pass
    for _ in range(2):
        pass
    return x


print(f(0), f(5))
