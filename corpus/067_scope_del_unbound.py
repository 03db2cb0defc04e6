"""del of locals and the resulting UnboundLocalError / NameError messages;
del in branches and loops; del of subscripts and attributes."""


def err(fn):
    try:
        return "ok: %r" % (fn(),)
    except NameError as e:
        return "%s: %s" % (type(e).__name__, e)


def simple():
    x = 1
    del x
    return x


def before_assignment():
    y = x_later + 1
    x_later = 2
    return y


def conditional(flag):
    z = "z"
    if flag:
        del z
    return z


def in_loop(n):
    out = []
    for i in range(n):
        item = i * 2
        out.append(item)
        del item
    try:
        return out, item
    except UnboundLocalError:
        return out, "item unbound"


def delete_twice():
    a = 1
    del a
    del a


def global_missing():
    return undefined_global_name  # noqa: F821


def del_subscripts():
    d = {"a": 1, "b": 2, "c": 3}
    del d["a"]
    lst = list(range(6))
    del lst[1]
    del lst[::2]
    del lst[-1:]

    class O:
        pass
    o = O()
    o.attr = 1
    o.other = 2
    del o.attr
    try:
        del o.attr
    except AttributeError as e:
        missing = "AttributeError"
    return d, lst, sorted(vars(o)), missing


def del_then_rebind():
    v = "first"
    del v
    v = "second"
    return v


def main():
    return [err(simple), err(before_assignment), err(lambda: conditional(0)), err(lambda: conditional(1)),
            in_loop(3), in_loop(0), err(delete_twice), err(global_missing), del_subscripts(), del_then_rebind()]


for item in main():
    print(item)
