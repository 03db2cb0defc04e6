# Regression: a prefixed YIELD_VALUE/YIELD_FROM is run again on resume in
# 3.8-3.10 (f_lasti stays on the EXTENDED_ARG), so an optimizer that widened
# such an instruction made every yield produce an extra value.
def sub():
    yield 'a'
    yield 'b'
    return 'sub-done'


def gen():
    yield 'x'
    r = yield from sub()
    yield r
    yield 'y'


def echo():
    got = yield 'ready'
    while got is not None:
        got = yield 'echo:' + str(got)


print(list(gen()))
e = echo()
print(next(e), e.send(1), e.send('two'))


def main():
    return tuple(gen())
