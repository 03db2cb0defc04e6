"""`except E as name` deletes name at the end of the handler, even if the
name existed before; errors when using it afterwards."""


def deleted_after():
    e = "before"
    try:
        raise ValueError("x")
    except ValueError as e:
        inside = str(e)
    try:
        return inside, e
    except UnboundLocalError as err:
        return inside, "UnboundLocalError", "e" in str(err)


def deleted_in_module_scope():
    code = (
        "err = 1\n"
        "try:\n"
        "    1/0\n"
        "except ZeroDivisionError as err:\n"
        "    pass\n"
        "result = 'err' in dir()\n"
    )
    ns = {}
    exec(code, ns)
    return ns["result"]


def saved_copy():
    try:
        raise KeyError("saved")
    except KeyError as e:
        keep = e
    return repr(keep), keep.args


def deleted_even_when_handler_returns():
    try:
        raise OSError("r")
    except OSError as e:
        return str(e)


def rebinding_in_handler():
    try:
        raise TypeError("t")
    except TypeError as e:
        e = "rebound"
        value = e
    return value, "e" in locals()


def loop_handler_names():
    out = []
    for i in range(3):
        try:
            if i:
                raise ValueError(i)
            out.append("no error")
        except ValueError as exc:
            out.append(exc.args[0])
        out.append("exc" in locals())
    return out


def nested_same_name():
    try:
        raise KeyError("outer")
    except KeyError as e:
        try:
            raise ValueError("inner")
        except ValueError as e:
            inner = str(e)
        try:
            e
            outer_visible = True
        except NameError:
            outer_visible = False
    return inner, outer_visible


def global_name_deleted():
    global g_err
    try:
        raise RuntimeError("g")
    except RuntimeError as g_err:
        pass
    return "g_err" in globals()


g_err = "global value"


def main():
    return (deleted_after(), deleted_in_module_scope(), saved_copy(), deleted_even_when_handler_returns(),
            rebinding_in_handler(), loop_handler_names(), nested_same_name(), global_name_deleted())


print(deleted_after())
print(deleted_in_module_scope())
print(saved_copy())
print(rebinding_in_handler())
print(loop_handler_names())
print(nested_same_name())
print(global_name_deleted())
