"""Default arguments are evaluated once at definition time; mutable default
sharing; defaults referencing earlier globals; changing __defaults__."""

LOG = []
BASE = 10


def make_default(tag):
    LOG.append("default evaluated: " + tag)
    return tag


def f(a=make_default("f.a"), b=BASE * 2):
    return a, b


BASE = 99


def append_to(x, acc=[]):
    acc.append(x)
    return list(acc)


def append_safe(x, acc=None):
    if acc is None:
        acc = []
    acc.append(x)
    return acc


def kw_default(*, k=make_default("kw.k")):
    return k


def main():
    out = [list(LOG), f(), f(1), f(b=0)]
    out.append([append_to(i) for i in range(3)])
    out.append([append_safe(i) for i in range(3)])
    out.append(kw_default())
    f.__defaults__ = ("replaced", "defaults")
    out.append(f())
    kw_default.__kwdefaults__ = {"k": "new kw"}
    out.append(kw_default())
    out.append(append_to.__defaults__)
    lam = [lambda n=i: n * BASE for i in range(3)]
    out.append([l() for l in lam])
    return out


for item in main():
    print(item)
