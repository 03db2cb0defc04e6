"""Constant expressions that must raise at run time, each in try/except:
a folder must leave them alone (or raise the same thing at the same
place). The exception type, message, line (relative to the function) and,
on 3.11+, the columns of the failing instruction are printed."""
import traceback


def where(e, fn):
    fs = traceback.extract_tb(e.__traceback__)[-1]
    first = fn.__code__.co_firstlineno
    cols = (getattr(fs, "colno", None), getattr(fs, "end_colno", None))
    return fs.lineno - first, cols


def report(fn):
    try:
        r = fn()
    except Exception as e:
        line, cols = where(e, fn)
        print(fn.__name__, type(e).__name__, "|", e, "| line", line, "cols", cols)
        return type(e).__name__, line
    print(fn.__name__, "returned", repr(r))
    return "ok", repr(r)


def div_zero():
    a = 1 < 2
    return 1 / 0


def mod_zero():
    a = "x" * 3
    return 1 % 0


def floordiv_zero():
    return 1 // 0


def float_mod_zero():
    return 1.5 % 0.0


def float_div_zero():
    return -1.0 / 0


def divmod_zero():
    return divmod(7, 0)


def str_plus_int():
    return "a" + 1


def neg_str():
    return -"x"


def invert_float():
    return ~1.5


def pos_tuple():
    return +(1, 2)


def none_lt_int():
    return None < 1


def tuple_lt_mixed():
    return (1,) < ("a",)


def neg_pow_int():
    return 2 ** -1


def zero_neg_pow():
    return 0 ** -1


def shift_negative():
    return 1 << -1


def str_subscript():
    return "abc"[5]


def tuple_subscript():
    return (1, 2, 3)[10]


def str_index_by_str():
    s = "abc"
    return s["a"]


def bytes_plus_str():
    return b"a" + "a"


def float_overflow():
    return 2.0 ** 10000


def int_float_overflow():
    return 10 ** 400 + 0.5


def propagated_div_zero():
    n = 0
    k = 10
    return k / n


def propagated_mod_zero():
    n = 0
    k = -7
    return k % n


def propagated_type_error():
    s = "a"
    n = 1
    return s + n


def propagated_unary():
    s = "x"
    return -s


def propagated_compare():
    a = None
    b = 1
    return a < b


def propagated_shift():
    one = 1
    neg = -3
    return one >> neg


def propagated_repeat_overflow():
    s = "ab"
    n = 2 ** 64
    return s * n


def raises_in_condition():
    n = 0
    if 10 / n > 1:
        return "WRONG"
    return "WRONG too"


def raises_in_in_test():
    x = []
    return x in {1, 2}


def raises_after_folded_line():
    flag = 1 < 2
    size = "ab" * 3
    return flag + size


FUNCS = [div_zero, mod_zero, floordiv_zero, float_mod_zero, float_div_zero, divmod_zero,
         str_plus_int, neg_str, invert_float, pos_tuple, none_lt_int, tuple_lt_mixed,
         neg_pow_int, zero_neg_pow, shift_negative, str_subscript, tuple_subscript,
         str_index_by_str, bytes_plus_str, float_overflow, int_float_overflow,
         propagated_div_zero, propagated_mod_zero, propagated_type_error, propagated_unary,
         propagated_compare, propagated_shift, propagated_repeat_overflow,
         raises_in_condition, raises_in_in_test, raises_after_folded_line]


def main():
    return tuple(report(fn) for fn in FUNCS)


for fn in FUNCS:
    report(fn)
