"""Properties: getters/setters/deleters, computed attributes, read-only
properties raising AttributeError, property inheritance and overriding."""


class Temperature:
    def __init__(self, celsius):
        self._c = celsius
        self.log = []

    @property
    def celsius(self):
        self.log.append("get c")
        return self._c

    @celsius.setter
    def celsius(self, value):
        self.log.append("set c %r" % (value,))
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._c = value

    @celsius.deleter
    def celsius(self):
        self.log.append("del c")
        del self._c

    @property
    def fahrenheit(self):
        return self.celsius * 9 / 5 + 32


class Kelvin(Temperature):
    @property
    def celsius(self):
        return "overridden"


def main():
    t = Temperature(25)
    out = [t.celsius, t.fahrenheit]
    t.celsius = 100
    out.append(t.fahrenheit)
    try:
        t.celsius = -300
    except ValueError as e:
        out.append(str(e))
    try:
        t.fahrenheit = 5
    except AttributeError as e:
        out.append("AttributeError")
    del t.celsius
    try:
        t.celsius
    except AttributeError as e:
        out.append("deleted: AttributeError")
    out.append(t.log)
    k = Kelvin(1)
    out.append(k.celsius)
    try:
        k.celsius = 3
    except AttributeError:
        out.append("subclass property has no setter")
    out.append(type(Temperature.celsius).__name__)
    out.append(Temperature.celsius.fget.__name__)
    return out


for item in main():
    print(item)
