"""Positional-only, keyword-only, defaults, *args/**kwargs together; error
messages for wrong calls; inspect.signature text."""
import inspect


def posonly(a, b, /, c, *, d, e=5):
    return a, b, c, d, e


def kwonly(*, x, y=1):
    return x, y


def everything(p, /, q=2, *args, r, s=4, **kw):
    return p, q, args, r, s, sorted(kw.items())


def posonly_named_kwargs(a, /, **kw):
    return a, sorted(kw.items())


def main():
    out = [posonly(1, 2, 3, d=4), posonly(1, 2, c=3, d=4, e=6), kwonly(x=1), kwonly(y=2, x=3),
           everything(1, r=0), everything(1, 2, 3, 4, r=5, t=6), posonly_named_kwargs(1, a=2, b=3)]
    for bad in (lambda: posonly(1, b=2, c=3, d=4), lambda: posonly(1, 2, 3, 4), lambda: kwonly(1),
                lambda: kwonly(), lambda: everything(p=1, r=2), lambda: posonly(1, 2, 3, d=4, f=0)):
        try:
            bad()
        except TypeError as e:
            out.append("TypeError: " + str(e))
    for fn in (posonly, kwonly, everything, posonly_named_kwargs):
        out.append(str(inspect.signature(fn)))
    out.append((posonly.__code__.co_posonlyargcount, posonly.__code__.co_kwonlyargcount, posonly.__code__.co_argcount))
    out.append((everything.__defaults__, everything.__kwdefaults__))
    return out


for item in main():
    print(item)
