"""Module docstring: must survive (printed below via __doc__)."""


def documented():
    """Function docstring."""
    return 1


def doc_and_code():
    """Docstring followed by code."""
    x = 1
    return x + 1


def not_a_docstring():
    x = 1
    """This string is an expression statement, not a docstring."""
    return x


def fstring_not_docstring():
    f"""an f-string is never a docstring"""
    return "f"


def concatenated():
    "implicitly " "concatenated " "docstring"
    return None


def bytes_not_docstring():
    b"bytes are not docstrings"
    return None


class Documented:
    """Class docstring."""

    def method(self):
        """Method docstring."""
        return self.method.__doc__

    @property
    def prop(self):
        """Property docstring."""
        return 1


class Undocumented:
    x = """not a docstring: assigned"""


lam = lambda: "lambdas have no docstring"


def doc_with_only_pass():
    """Docstring then pass."""
    pass


def main():
    docs = [__doc__, documented.__doc__, doc_and_code.__doc__, not_a_docstring.__doc__,
            fstring_not_docstring.__doc__, concatenated.__doc__, bytes_not_docstring.__doc__, Documented.__doc__,
            Documented().method(), Documented.prop.__doc__, Undocumented.__doc__, Undocumented.x, lam.__doc__,
            doc_with_only_pass.__doc__, documented(), doc_and_code(), not_a_docstring(), fstring_not_docstring()]
    import inspect
    docs.append(inspect.getdoc(Documented.method))
    return docs


for item in main():
    print(repr(item))
