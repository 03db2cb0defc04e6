"""Folding of bool arithmetic: the result type matters (True + True is the
int 2, True & False is the bool False), bools mixed with ints and floats,
and `~` on a bool, which warns on 3.12+ (the warning is recorded, so a fold
that drops it would show)."""
import warnings


def show(label, v):
    print(label, repr(v), type(v).__name__)
    return v


def literal_forms():
    out = []
    out.append(show("T+T", True + True))
    out.append(show("T-T", True - True))
    out.append(show("T*T", True * True))
    out.append(show("T/T", True / True))
    out.append(show("T//T", True // True))
    out.append(show("T%T", True % True))
    out.append(show("T**F", True ** False))
    out.append(show("F**F", False ** False))
    out.append(show("T&F", True & False))
    out.append(show("T|F", True | False))
    out.append(show("T^T", True ^ True))
    out.append(show("F^T", False ^ True))
    out.append(show("T&1", True & 1))
    out.append(show("1|F", 1 | False))
    out.append(show("-T", -True))
    out.append(show("+T", +True))
    out.append(show("-F", -False))
    out.append(show("T<<3", True << 3))
    out.append(show("T>>1", True >> 1))
    out.append(show("T*2.5", True * 2.5))
    out.append(show("F*-1.0", False * -1.0))
    out.append(show("T+0j", True + 0j))
    out.append(show("not T", not True))
    out.append(show("not 0", not 0))
    out.append(show("not ''", not ""))
    return tuple(out)


def propagated_forms():
    # Single-assignment locals: const-propagation turns these into
    # operations on constants that only pyopt can fold.
    t = True
    f = False
    one = 1
    fl = 1.0
    out = []
    out.append(show("t+t", t + t))
    out.append(show("t-f", t - f))
    out.append(show("t*f", t * f))
    out.append(show("t&f", t & f))
    out.append(show("t|f", t | f))
    out.append(show("t^t", t ^ t))
    out.append(show("t^f", t ^ f))
    out.append(show("t&one", t & one))
    out.append(show("f|one", f | one))
    out.append(show("t==one", t == one))
    out.append(show("t==fl", t == fl))
    out.append(show("-t", -t))
    out.append(show("+f", +f))
    out.append(show("t/t", t / t))
    out.append(show("f/t", f / t))
    out.append(show("t**t", t ** t))
    out.append(show("t<<t", t << t))
    out.append(show("t*fl", t * fl))
    out.append(show("f*-fl", f * -fl))
    out.append(show("not t", not t))
    out.append(show("not f", not f))
    out.append(show("t<f", t < f))
    out.append(show("f<t", f < t))
    out.append(show("t>=one", t >= one))
    out.append(show("sum", sum([t, t, f, t])))
    out.append(show("t is True", t is True))
    return tuple(out)


def invert_bool():
    t = True
    f = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        a = ~t
        b = ~f
        c = ~int(t)
        d = ~(1 < 2)          # only constants: constant-folding sees this one
        e = ~(2 < 1)
    print("invert", a, b, c, d, e, type(a).__name__)
    print("warnings", [w.category.__name__ for w in caught])
    return a, b, c, d, e, len(caught)


def bool_dict_keys():
    t = True
    one = 1
    d = {}
    d[t] = "first"
    d[one] = "second"
    d[1.0] = "third"
    print("keys", [(k, type(k).__name__) for k in d], list(d.values()))
    e = {one: "x", t: "y"}
    print("keys2", [(k, type(k).__name__) for k in e], list(e.values()))
    return list(d.items()), list(e.items())


def bools_in_conditions():
    t = True
    n = 0
    if t + t == 2:
        n += 1
    if t & False:
        n += 100
    if t | False:
        n += 10
    if (t ^ t) is False:
        n += 1000
    print("conditions", n)
    return n


def main():
    return (literal_forms(), propagated_forms(), invert_bool(),
            bool_dict_keys(), bools_in_conditions())


literal_forms()
propagated_forms()
invert_bool()
bool_dict_keys()
bools_in_conditions()
