"""Descriptors: data vs non-data precedence, __set_name__, __get__ on
class access, functions as descriptors, staticmethod/classmethod."""

LOG = []


class Typed:
    def __set_name__(self, owner, name):
        self.name = "_" + name
        LOG.append("set_name %s.%s" % (owner.__name__, name))

    def __get__(self, obj, objtype=None):
        if obj is None:
            return "descriptor on class %s" % objtype.__name__
        return getattr(obj, self.name, "unset")

    def __set__(self, obj, value):
        if not isinstance(value, int):
            raise TypeError("%s must be int" % self.name[1:])
        setattr(obj, self.name, value)


class NonData:
    def __get__(self, obj, objtype=None):
        return "non-data value"


class Model:
    size = Typed()
    count = Typed()
    label = NonData()

    def method(self):
        return "bound"

    @staticmethod
    def static(x):
        return "static %r" % (x,)

    @classmethod
    def klass(cls):
        return "class %s" % cls.__name__


def main():
    out = [list(LOG)]
    m = Model()
    out.append((m.size, Model.size))
    m.size = 5
    out.append(m.size)
    try:
        m.count = "x"
    except TypeError as e:
        out.append(str(e))
    out.append(m.label)
    m.__dict__["label"] = "instance wins over non-data"
    out.append(m.label)
    m.__dict__["size"] = "instance loses to data descriptor"
    out.append(m.size)
    out.append((m.method(), Model.method(m), m.static(1), Model.static(2), m.klass(), Model.klass()))
    f = Model.__dict__["method"]
    out.append(f.__get__(m, Model)())
    out.append(type(Model.__dict__["static"]).__name__)
    out.append(sorted(k for k in vars(m)))
    return out


for item in main():
    print(item)
