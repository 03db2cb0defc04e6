"""locals() and vars() contents (printed sorted): in functions, with cells
and free variables, after del, in class bodies, and module globals subset."""


def simple(a, b=2, *args, **kw):
    c = a + b
    return sorted(locals().items())


def with_cells():
    x = 1
    y = 2

    def inner():
        z = 3
        return x, sorted(locals())

    del y
    return sorted(locals()), inner()


def after_del():
    p = 1
    q = 2
    before = sorted(locals())
    del p
    return before, sorted(locals())


def unassigned_yet():
    first = sorted(locals())
    later = 5
    return first, sorted(locals())


def class_namespace():
    class K:
        a = 1
        b = a + 1

        def m(self):
            pass
        snapshot = sorted(k for k in locals() if not k.startswith("__"))

    return K.snapshot, sorted(k for k in vars(K) if not k.startswith("__"))


def instance_vars():
    class P:
        def __init__(self):
            self.y = 2
            self.x = 1

    p = P()
    p.z = 3
    return list(vars(p).items()), sorted(vars(p))


def loop_locals():
    seen = []
    for i in range(2):
        seen.append(sorted(k for k in locals() if k != "seen"))
    return seen


def main():
    return (simple(1), simple(1, 3, 4, 5, k=6), with_cells(), after_del(), unassigned_yet(),
            class_namespace(), instance_vars(), loop_locals(),
            comprehension_locals())


def comprehension_locals():
    outer = 1
    # 3.12+ inlines the comprehension: locals() there also shows `outer`.
    return [sorted(locals()) for _ in range(1)], outer


for item in main():
    print(item)
print(sorted(name for name in globals() if not name.startswith("__")))
