"""A store that is conditionally skipped: the later load sees either the new
value, the old value, or nothing (UnboundLocalError). An optimizer must not
assume the store happened."""


def maybe_assign(flag):
    if flag:
        value = "assigned"
    try:
        return value
    except UnboundLocalError:
        return "unbound"


def overwrite_maybe(flag):
    value = "old"
    if flag:
        value = "new"
    return value


def assign_in_loop(items):
    for item in items:
        last = item
    try:
        return last
    except UnboundLocalError:
        return "loop never ran"


def assign_in_try(div):
    try:
        result = 10 // div
    except ZeroDivisionError:
        pass
    try:
        return result
    except UnboundLocalError:
        return "try failed before store"


def assign_then_delete_maybe(flag):
    v = 1
    if flag:
        del v
    if not flag:
        v += 1
    try:
        return v
    except UnboundLocalError:
        return "deleted"


def while_store(n):
    i = 0
    while i < n:
        found = i
        i += 1
    if n > 0:
        return found
    return "no store"


def walrus_conditional(items):
    if items and (first := items[0]) > 0:
        return "positive first", first
    try:
        return "other", first
    except UnboundLocalError:
        return "other", "first unbound"


def with_store(flag):
    import contextlib
    with contextlib.suppress(KeyError):
        if flag:
            raise KeyError
        stored = "stored in with"
    try:
        return stored
    except UnboundLocalError:
        return "suppressed before store"


def main():
    return ([maybe_assign(f) for f in (0, 1)], [overwrite_maybe(f) for f in (0, 1)],
            [assign_in_loop(x) for x in ([], [1, 2])], [assign_in_try(d) for d in (0, 3)],
            [assign_then_delete_maybe(f) for f in (0, 1)], [while_store(n) for n in (0, 3)],
            [walrus_conditional(x) for x in ([], [5], [-5])], [with_store(f) for f in (0, 1)])


for item in main():
    print(item)
