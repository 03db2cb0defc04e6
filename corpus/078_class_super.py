"""super() and __class__: cooperative multiple inheritance, MRO, super in
classmethods/staticmethod-like helpers, explicit two-argument super."""


class Base:
    def __init__(self):
        self.log = ["Base.__init__"]

    def hello(self):
        return "Base.hello"

    @classmethod
    def make(cls):
        return "Base.make(%s)" % cls.__name__


class Left(Base):
    def __init__(self):
        super().__init__()
        self.log.append("Left.__init__")

    def hello(self):
        return "Left>" + super().hello()


class Right(Base):
    def __init__(self):
        super().__init__()
        self.log.append("Right.__init__")

    def hello(self):
        return "Right>" + super().hello()

    @classmethod
    def make(cls):
        return "Right.make>" + super().make()


class Diamond(Left, Right):
    def __init__(self):
        super().__init__()
        self.log.append("Diamond.__init__")

    def hello(self):
        return "Diamond>" + super().hello()

    def explicit(self):
        return super(Left, self).hello()

    def dunder_class(self):
        return __class__.__name__, type(self).__name__


class SubDiamond(Diamond):
    pass


def main():
    d = Diamond()
    s = SubDiamond()
    return ([c.__name__ for c in Diamond.__mro__], d.log, d.hello(), d.explicit(), Diamond.make(),
            SubDiamond.make(), d.dunder_class(), s.dunder_class(), s.hello())


for item in main():
    print(item)
