"""Metaclasses: __prepare__ recording definition order, __new__ adding
attributes, __call__ interception, metaclass conflicts, type() calls."""

LOG = []


class RecordingDict(dict):
    def __setitem__(self, key, value):
        if not key.startswith("__"):
            LOG.append("define " + key)
        super().__setitem__(key, value)


class Meta(type):
    @classmethod
    def __prepare__(mcs, name, bases, **kw):
        LOG.append("prepare %s %r" % (name, sorted(kw)))
        return RecordingDict()

    def __new__(mcs, name, bases, ns, **kw):
        cls = super().__new__(mcs, name, bases, dict(ns))
        cls.created_by = "Meta"
        cls.options = kw
        LOG.append("new " + name)
        return cls

    def __init__(cls, name, bases, ns, **kw):
        super().__init__(name, bases, ns)
        LOG.append("init " + name)

    def __call__(cls, *args):
        LOG.append("call %s%r" % (cls.__name__, args))
        return super().__call__(*args)


class Model(metaclass=Meta, flavour="vanilla"):
    b = 1
    a = 2

    def __init__(self, v=0):
        self.v = v

    def c(self):
        return self.v


class Child(Model):
    z = 0


class OtherMeta(type):
    pass


def conflict():
    class O(metaclass=OtherMeta):
        pass
    try:
        class Both(Model, O):
            pass
    except TypeError as e:
        return "TypeError: metaclass conflict"
    return "no conflict"


def dynamic():
    Dyn = type("Dyn", (object,), {"x": 1, "get": lambda self: self.x * 2})
    return Dyn.__name__, Dyn().get(), type(Dyn).__name__


def main():
    m = Model(4)
    c = Child()
    return (list(LOG), Model.created_by, Model.options, Child.options, m.c(), c.v, type(Model).__name__,
            conflict(), dynamic(), isinstance(Model, Meta))


for item in main():
    print(item)
