# min-version: 3.10
"""match: literal patterns (ints, strings, None/True/False compared by
identity, floats and signed zero, negative and complex literals), capture
and wildcard."""


def literal(v):
    match v:
        case 0:
            return "zero"
        case 1:
            return "one (1, 1.0 and True all match: literals compare with ==)"
        case -1:
            return "minus one"
        case 2.5:
            return "two and a half"
        case "hello":
            return "greeting"
        case b"bytes":
            return "bytes literal"
        case None:
            return "None"
        case 1 + 2j:
            return "complex"
        case -0.0:
            return "negative zero literal (== 0.0)"
        case _:
            return "other %r" % (v,)


def singletons(v):
    match v:
        case True:
            return "True (identity)"
        case False:
            return "False (identity)"
        case 1:
            return "int 1"
        case 0:
            return "int 0"
        case x:
            return "captured %r" % (x,)


def string_cases(cmd):
    match cmd.split():
        case ["go", direction]:
            return "going " + direction
        case ["look"]:
            return "looking"
        case ["quit" | "exit"]:
            return "bye"
        case []:
            return "empty"
        case [first, *_]:
            return "unknown " + first


def main():
    vals = [0, 1, True, False, 1.0, -1, 2.5, "hello", b"bytes", None, 1 + 2j, 0.0, -0.0, "x", 3]
    return ([literal(v) for v in vals], [singletons(v) for v in (True, False, 1, 0, 1.0, 0.0, None)],
            [string_cases(c) for c in ("go north", "look", "exit", "", "dance now")])


for group in main():
    for item in group:
        print(item)
