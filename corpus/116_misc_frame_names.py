"""Code object names seen at run time: inspect.currentframe().f_code.co_name,
qualified names, lambdas, nested functions, comprehensions (which are
frames before 3.12), methods and the module itself."""
import inspect


def name():
    return inspect.currentframe().f_back.f_code.co_name


def outer():
    def inner():
        return name()

    return name(), inner(), (lambda: name())()


class K:
    def method(self):
        return name(), type(self).method.__qualname__

    @staticmethod
    def static():
        return name()

    class Nested:
        def deep(self):
            return name(), K.Nested.deep.__qualname__


def in_comprehensions():
    lst = [name() for _ in range(1)]
    gen = list(name() for _ in range(1))
    return lst, gen


def generator():
    yield name()


def qualnames():
    def local():
        pass
    return local.__qualname__, (lambda: 0).__qualname__, outer.__qualname__, K.Nested.__qualname__


def main():
    return (outer(), K().method(), K.static(), K.Nested().deep(), in_comprehensions(), list(generator()),
            qualnames(), name.__module__, inspect.currentframe().f_code.co_name)


for item in main():
    print(item)
print("module level:", inspect.currentframe().f_code.co_name)
