from .. import util
from ..util import scale


def walk(n):
    total = 0
    for i in range(n):
        if i % 2:
            continue
        total += sum(scale([i], 2))
    util.CALLS.append(("walk", n))
    return total
