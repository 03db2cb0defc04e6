# min-version: 3.11
"""ExceptionGroup and except* (3.11+): splitting, nesting, re-raising,
notes."""


def describe(eg, depth=0):
    lines = []
    pad = "  " * depth
    if isinstance(eg, BaseExceptionGroup):
        lines.append("%s%s(%r) with %d" % (pad, type(eg).__name__, eg.message, len(eg.exceptions)))
        for sub in eg.exceptions:
            lines.extend(describe(sub, depth + 1))
    else:
        lines.append("%s%s(%s) notes=%s" % (pad, type(eg).__name__, eg, getattr(eg, "__notes__", None)))
    return lines


def star_basic():
    log = []
    try:
        raise ExceptionGroup("batch", [ValueError(1), TypeError(2), ValueError(3)])
    except* ValueError as g:
        log.append(("values", [str(e) for e in g.exceptions]))
    except* TypeError as g:
        log.append(("types", [str(e) for e in g.exceptions]))
    return log


def star_partial():
    try:
        try:
            raise ExceptionGroup("mixed", [KeyError("k"), OSError("o"), KeyError("j")])
        except* KeyError as g:
            print("handled", len(g.exceptions), "KeyErrors")
    except ExceptionGroup as rest:
        return describe(rest)
    return "nothing left"


def star_naked_exception():
    try:
        raise ValueError("naked")
    except* ValueError as g:
        result = type(g).__name__, [str(e) for e in g.exceptions]
    return result


def star_reraise_in_handler():
    try:
        try:
            raise ExceptionGroup("eg", [ValueError("a"), ValueError("b")])
        except* ValueError as g:
            raise RuntimeError("from handler") from g
    except* RuntimeError as outer:
        inner = outer.exceptions[0]
        result = describe(outer), type(inner.__cause__).__name__
    return result


def nested_groups():
    eg = ExceptionGroup("outer", [ValueError("v1"), ExceptionGroup("inner", [TypeError("t1"), ValueError("v2")])])
    match, rest = eg.split(ValueError)
    sub = eg.subgroup(lambda e: isinstance(e, TypeError))
    return describe(match), describe(rest), describe(sub)


def notes():
    try:
        e = ValueError("with notes")
        e.add_note("first note")
        e.add_note("second note")
        raise e
    except ValueError as err:
        return err.__notes__


def base_group():
    try:
        raise BaseExceptionGroup("base", [KeyboardInterrupt(), ValueError("v")])
    except* KeyboardInterrupt as g:
        kb = len(g.exceptions)
    except* ValueError as g:
        v = len(g.exceptions)
    return kb, v


def main():
    return (star_basic(), star_partial(), star_naked_exception(), star_reraise_in_handler(),
            nested_groups(), notes(), base_group())


for item in main():
    print(item)
