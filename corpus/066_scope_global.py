"""global declarations: rebinding, deleting, creating globals from
functions, globals shadowed by locals, builtins shadowed by globals."""

counter = 0
shadow = "global shadow"


def bump(n):
    global counter
    for _ in range(n):
        counter += 1
    return counter


def create_new():
    global created_later
    created_later = "made in function"


def delete_global():
    global created_later
    del created_later


def local_shadow():
    shadow = "local shadow"
    return shadow


def read_global():
    return shadow


def unbound_local():
    try:
        counter += 1
    except UnboundLocalError as e:
        return "UnboundLocalError"


def shadow_builtin():
    global len
    len = lambda obj: -1
    try:
        return len("abc")
    finally:
        del len


def builtin_again():
    return len("abc")


def globals_dict():
    g = globals()
    g["via_dict"] = 5
    return via_dict  # noqa: F821


def main():
    r = [bump(3), bump(2)]
    create_new()
    r.append(created_later)  # noqa: F821
    delete_global()
    r.append("created_later" in globals())
    r.append(local_shadow())
    r.append(read_global())
    r.append(unbound_local())
    r.append(shadow_builtin())
    r.append(builtin_again())
    r.append(globals_dict())
    return r


print(bump(1), counter)
create_new()
print(created_later)  # noqa: F821
delete_global()
try:
    print(created_later)  # noqa: F821
except NameError as e:
    print("NameError:", e)
print(local_shadow(), read_global(), unbound_local())
print(shadow_builtin(), builtin_again(), globals_dict())
