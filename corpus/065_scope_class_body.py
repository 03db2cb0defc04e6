"""Class-body scoping: class variables are not visible in methods or nested
functions, but a name in the class body shadows the enclosing function's
local only inside the body (LOAD_CLASSDEREF / LOAD_FROM_DICT_OR_DEREF)."""

x = "global x"


def enclosing():
    x = "enclosing x"
    y = "enclosing y"

    class A:
        x = "class x"
        seen_in_body = x
        seen_y = y

        def method(self):
            return x

        z = [x for _ in range(1)]

        lam = lambda self: x

    return A.seen_in_body, A.seen_y, A().method(), A.z, A().lam()


def class_reads_before_assign():
    v = "function v"

    class B:
        try:
            first = v
        except NameError:
            first = "NameError: v is class-local here, the function's v is not read"
        v = "class v"
        second = v

    return B.first, B.second


class Top:
    name = "Top"
    doubled = name * 2
    items = [p + str(i) for p in (name,) for i in range(2)]
    try:
        hidden = [name for _ in range(1)]
    except NameError:
        hidden = "NameError in comprehension"

    def who(self):
        try:
            return name
        except NameError as e:
            return "NameError"

    class Inner:
        try:
            seen = name
        except NameError:
            seen = "not visible"


def class_with_nonlocal():
    counter = 0

    class C:
        nonlocal counter
        counter += 1

    return counter


def class_global():
    class G:
        global x
        x = "rebound by class body"
    return x


def main():
    r = (enclosing(), class_reads_before_assign(), Top.doubled, Top.items, Top.hidden, Top().who(),
         Top.Inner.seen, class_with_nonlocal())
    return r


print(enclosing())
print(class_reads_before_assign())
print(Top.doubled, Top.items, Top.hidden, Top().who(), Top.Inner.seen)
print(class_with_nonlocal())
print(x, class_global(), x)
