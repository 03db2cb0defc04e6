# Expressions CPython's AST optimizer leaves to the bytecode: comparisons,
# membership, constant branches, and folds that must not happen.
def compare():
    return 1 < 2, "abc" >= "abd", 2.5 == 2.5, 1 == 1.0, 3 != True


def member(x):
    a = 3 in (1, 2, 3)
    b = "z" not in ("x", "y")
    return a, b, x in (1, 2)


def branch(x):
    if 1 < 2:
        x += 1
    while 2 > 3:
        x -= 1
    y = 0 < 1 and x
    return x, y


def must_not_fold():
    out = []
    for thunk in (lambda: 1 < "a", lambda: None < 1):
        try:
            out.append(thunk())
        except TypeError as e:
            out.append(type(e).__name__)
    # Under python -b, bytes compared with an int or a str warns.
    return out, 0.0 == -0.0, (1, 2) < (1, 3), b"\0" == 0, 0 in (b"",), b"" != ""


print(compare(), member(2), branch(5), must_not_fold())
