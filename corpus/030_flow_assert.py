"""assert statements, passing and failing (caught). Stripping asserts would
change the output, unless running with -O (never done here)."""


def check_positive(x):
    assert x > 0, "x must be positive, got %r" % (x,)
    return x * 2


def check_no_message(x):
    assert x
    return "ok"


def check_message_side_effect(x, log):
    assert x, log.append("message evaluated") or "msg"
    return "passed"


def check_in_loop(items):
    out = []
    for i in items:
        try:
            assert i % 3, i
            out.append(i)
        except AssertionError as e:
            out.append("AE(%s)" % e)
    return out


def assert_false_constant():
    try:
        assert False, "constant false"
    except AssertionError as e:
        return "caught: " + str(e)
    return "not caught"


def assert_true_constant():
    assert True, "never"
    assert 1
    assert "non-empty"
    return "constant asserts passed"


def assert_is_not_global():
    global AssertionError
    saved = AssertionError

    class Custom(Exception):
        pass
    AssertionError = Custom
    try:
        try:
            assert 0, "which class?"
        except Custom:
            return "custom global used"
        except saved as e:
            return "builtin AssertionError used: %s" % e
    finally:
        del AssertionError


def main():
    log = []
    r = []
    for x in (1, 0, -3):
        try:
            r.append(check_positive(x))
        except AssertionError as e:
            r.append(str(e))
    for x in ([], [0]):
        try:
            r.append(check_no_message(x))
        except AssertionError as e:
            r.append("empty message %r" % (e.args,))
    for x in (1, 0):
        try:
            r.append(check_message_side_effect(x, log))
        except AssertionError as e:
            r.append(str(e))
    r.append(log)
    r.append(check_in_loop(range(7)))
    r.append(assert_false_constant())
    r.append(assert_true_constant())
    r.append(assert_is_not_global())
    return r


for x in (5, 0, -1):
    try:
        print(check_positive(x))
    except AssertionError as e:
        print("AssertionError:", e)
print(check_in_loop([1, 3, 6, 7]))
print(assert_false_constant(), assert_true_constant())
print(assert_is_not_global())
