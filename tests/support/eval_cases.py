"""Evaluates the validator evaluator's claims (tests/validate_eval.rs) with a
real CPython: reads the cases from the JSON file named by argv[1], evaluates
each operator on its operands with every warning an error, and compares the
result's type and repr with the value the evaluator claimed. Prints one JSON
object: the interpreter, whether BytesWarning is on (-b), how many cases were
checked, and the failures (the first 200)."""
import json
import struct
import sys
import warnings


def F(bits):
    return struct.unpack("<d", bits.to_bytes(8, "little"))[0]


def S(h):
    return bytes.fromhex(h).decode("utf-8", "surrogatepass")


def B(h):
    return bytes.fromhex(h)


def BIG(neg, h):
    raw = bytes.fromhex(h)
    n = 0
    for k in range(0, len(raw), 2):
        n |= int.from_bytes(raw[k : k + 2], "little") << (15 * (k // 2))
    return -n if neg else n


ENV = {"F": F, "S": S, "B": B, "BIG": BIG}


def shape(x):
    # repr tells bool from int, float from int, -0.0 from 0.0, str from
    # bytes, also inside tuples.
    return "%s %s" % (type(x).__name__, repr(x))


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    # One object per operand, shared by every case that uses it (as a code
    # object's constants are).
    operands = [eval(lit, dict(ENV)) for lit in data["operands"]]
    ops = {name: eval(src) for name, src in data["ops"].items()}
    failures = []
    failed = 0
    for k, (op, args, claimed) in enumerate(data["cases"]):
        want = shape(eval(claimed, dict(ENV)))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                got = shape(ops[op](*[operands[i] for i in args]))
        except BaseException as e:  # noqa: B036 - any exception is a finding
            got = "raised %s: %s" % (type(e).__name__, str(e)[:80])
        if got != want:
            failed += 1
            if len(failures) < 200:
                failures.append([k, got, want])
    print(
        json.dumps(
            {
                "python": sys.version.split()[0],
                "bytes_warning": sys.flags.bytes_warning,
                "checked": len(data["cases"]),
                "failed": failed,
                "failures": failures,
            }
        )
    )


main()
