"""__init_subclass__ with keyword arguments, class decorators that register
and modify classes, __set_name__ ordering, __class_getitem__."""

REGISTRY = {}


class Plugin:
    def __init_subclass__(cls, name=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.plugin_name = name or cls.__name__.lower()
        REGISTRY[cls.plugin_name] = cls


class Alpha(Plugin):
    pass


class Beta(Plugin, name="custom-beta"):
    pass


class Gamma(Beta):
    pass


def register(tag):
    def deco(cls):
        cls.tag = tag
        cls.describe = lambda self: "%s[%s]" % (type(self).__name__, self.tag)
        return cls
    return deco


def add_repr(cls):
    fields = [k for k in vars(cls) if not k.startswith("_") and not callable(getattr(cls, k))]

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join("%s=%r" % (f, getattr(self, f)) for f in fields))
    cls.__repr__ = __repr__
    return cls


@add_repr
@register("t1")
class Decorated:
    a = 1
    b = "two"


class Box:
    def __class_getitem__(cls, item):
        return "Box[%s]" % (item.__name__ if isinstance(item, type) else item)


def replace_class(cls):
    return "replaced %s" % cls.__name__


@replace_class
class Gone:
    pass


def main():
    return (sorted((k, v.__name__) for k, v in REGISTRY.items()), Gamma.plugin_name, Decorated().describe(),
            repr(Decorated()), Box[int], Box["x"], Gone)


for item in main():
    print(item)
