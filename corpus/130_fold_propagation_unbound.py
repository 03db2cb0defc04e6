"""Constant-propagation traps: locals stored once from a constant whose
store does not happen before every load (read before assignment, stored
only under an `if`, in a loop, after a `del`, in a `try` whose handler or
`finally` reads it). Every unbound read must still raise."""


def unbound(fn, *args):
    try:
        r = fn(*args)
    except UnboundLocalError as e:
        print(fn.__name__, args, "UnboundLocalError:", e)
        return "unbound"
    except NameError as e:
        print(fn.__name__, args, "NameError:", e)
        return "name"
    print(fn.__name__, args, "->", repr(r))
    return r


def read_before_store():
    y = x + 1
    x = 5
    return y


def store_only_in_if(flag):
    if flag:
        x = 3
    return x * 2


def store_only_in_else(flag):
    if flag:
        pass
    else:
        x = "else"
    return x


def store_in_loop_read_at_top(n):
    seen = []
    for i in range(n):
        try:
            seen.append(x)
        except UnboundLocalError:
            seen.append("unbound")
        x = 10
    print("  loop seen", seen)
    return seen


def store_in_loop_body(n):
    for i in range(n):
        x = 7
    return x


def store_in_while(n):
    while n > 0:
        n -= 1
        y = "set"
    return y


def deleted_then_read():
    x = 1
    print("  before del", x)
    del x
    return x


def deleted_conditionally(flag):
    x = 1
    if flag:
        del x
    return x


def deleted_then_restored():
    x = 1
    del x
    x = 1
    return x + 1


def try_store_then_raise(v):
    try:
        x = 10
        r = 100 // v
    except ZeroDivisionError:
        print("  handler x =", x)
        return "handled"
    finally:
        print("  finally x =", x)
    return r + x


def try_raise_then_store(v):
    try:
        r = 100 // v
        x = 10
    except ZeroDivisionError:
        try:
            print("  handler x =", x)
        except UnboundLocalError:
            print("  handler: x unbound")
        return "handled"
    return r + x


def finally_reads(v):
    try:
        if v:
            raise KeyError(v)
        x = "body"
    except KeyError:
        pass
    finally:
        try:
            print("  finally sees", x)
        except UnboundLocalError:
            print("  finally: x unbound")
    return v


def break_before_store(n, stop):
    for i in range(n):
        if i == stop:
            break
        x = i + 100
    return x


def store_after_return_path(flag):
    if flag:
        return "early"
    x = 4
    return x


def continue_skips_store():
    out = []
    for i in range(3):
        if i == 0:
            continue
        x = "v"
    try:
        out.append(x)
    except UnboundLocalError:
        out.append("unbound")
    return out


def with_store(flag):
    class CM:
        def __enter__(self):
            return "entered"

        def __exit__(self, *exc):
            return True
    with CM():
        if flag:
            raise ValueError("swallowed")
        x = 12
    return x


def walrus_conditional(flag):
    if flag and (x := 9):
        pass
    return x


def augassign_unbound():
    x += 1
    x = 2
    return x


CASES = [
    (read_before_store,), (store_only_in_if, True), (store_only_in_if, False),
    (store_only_in_else, True), (store_only_in_else, False), (store_in_loop_read_at_top, 3),
    (store_in_loop_body, 2), (store_in_loop_body, 0), (store_in_while, 2), (store_in_while, 0),
    (deleted_then_read,), (deleted_conditionally, False), (deleted_conditionally, True),
    (deleted_then_restored,), (try_store_then_raise, 0), (try_store_then_raise, 5),
    (try_raise_then_store, 0), (try_raise_then_store, 4), (finally_reads, 0), (finally_reads, 1),
    (break_before_store, 5, 1), (break_before_store, 5, 0), (store_after_return_path, True),
    (store_after_return_path, False), (continue_skips_store,), (with_store, False),
    (with_store, True), (walrus_conditional, True), (walrus_conditional, False),
    (augassign_unbound,),
]


def main():
    return tuple(repr(unbound(*c)) for c in CASES)


for c in CASES:
    unbound(*c)
