"""Constant propagation into fused loads (3.13+ `LOAD_FAST_LOAD_FAST`,
3.14+ `LOAD_FAST_BORROW_LOAD_FAST_BORROW`, `STORE_FAST_LOAD_FAST`): a pair
whose halves read locals stored once from a constant is split where what
consumes the constants then folds, so values, identities, exceptions (line
and columns) and line events must stay."""


def both():
    a = 6
    b = 7
    return a * b, b - a, (a, b)


def first_half(y):
    k = 10
    return k + y, k * y


def second_half(y):
    k = 3
    return y - k, y // k


def store_then_load(y):
    k = 5
    z = y * 2; w = k - z
    return z, w


def store_across_lines(y):
    k = "tail"
    z = y
    return k + z


def one_half_folds(y):
    k = 3
    return y * (k + 1), -k if y else ~k


def unary_after_store(y):
    k = 4
    d = y + k; e = -k
    f = y; g = not k
    return d, e, f, g


def called(y):
    a = 2
    b = 3
    return max(a, b), divmod(a, b), [a, b]


def identity():
    s = "spam"
    t = ("a", 1)
    return s is s, t is t, s == "spam"


def in_loop(n):
    step = 2
    total = 0
    for i in range(n):
        total += i * step
    return total


def raises(y):
    k = 1
    try:
        return k / y
    except ZeroDivisionError as e:
        import traceback
        tb = traceback.extract_tb(e.__traceback__)
        return "zero", [(f.name, f.lineno) for f in tb]


def conditional(flag):
    k = 4
    if flag:
        j = 9
        return k + j
    return k


def main():
    return (both(), first_half(2), second_half(11), store_then_load(3),
            store_across_lines("!"), one_half_folds(2), one_half_folds(0),
            unary_after_store(1), called(0), identity(), in_loop(20), raises(0),
            raises(4), conditional(True), conditional(False))


print(both(), first_half(2), second_half(11), store_then_load(3))
print(store_across_lines("!"), identity(), in_loop(20))
print(one_half_folds(2), one_half_folds(0), unary_after_store(1), called(0))
print(raises(0), raises(4), conditional(True), conditional(False))
