"""User-defined exception hierarchies: handler order, tuples of classes,
args/str/repr, custom __str__, attributes, exceptions as values."""


class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, key):
        super().__init__("not found: %s" % key)
        self.key = key


class Invalid(AppError, ValueError):
    def __str__(self):
        return "invalid<%s>" % ",".join(map(str, self.args))


class Quiet(Exception):
    def __init__(self):
        pass


def raise_kind(kind):
    if kind == 0:
        raise NotFound("k0")
    if kind == 1:
        raise Invalid(1, 2)
    if kind == 2:
        raise ValueError("plain value")
    if kind == 3:
        raise Quiet()
    if kind == 4:
        raise AppError
    return "no error"


def handle(kind):
    try:
        return raise_kind(kind)
    except NotFound as e:
        return "NotFound key=%s msg=%s" % (e.key, e)
    except (Invalid, KeyError) as e:
        return "Invalid/KeyError %s args=%r isValueError=%s" % (e, e.args, isinstance(e, ValueError))
    except ValueError as e:
        return "ValueError %s" % e
    except AppError as e:
        return "AppError %r args=%r" % (str(e), e.args)
    except Exception as e:
        return "Exception %s args=%r str=%r" % (type(e).__name__, e.args, str(e))


def class_from_variable(kinds):
    out = []
    for catch in kinds:
        try:
            raise_kind(1)
        except catch as e:
            out.append("caught by %s" % (catch.__name__ if isinstance(catch, type) else "tuple"))
        except Exception:
            out.append("fell through")
    return out


def exceptions_as_values():
    errs = [KeyError("a"), ValueError("b", 2), NotFound("z"), Invalid()]
    reprs = [repr(e) for e in errs]
    print(reprs)
    print([str(e) for e in errs])
    print([e.args for e in errs])
    print(KeyError("a") == KeyError("a"), issubclass(Invalid, (KeyError, ValueError)))
    print([c.__name__ for c in Invalid.__mro__])
    return reprs


def main():
    return ([handle(k) for k in range(6)], class_from_variable([Invalid, ValueError, AppError, (KeyError, Invalid), KeyError]),
            exceptions_as_values())


for k in range(6):
    print(k, handle(k))
print(class_from_variable([NotFound, (TypeError, AppError), Exception]))
exceptions_as_values()
