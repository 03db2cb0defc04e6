"""Probe run *inside* one target CPython (3.8–3.14; 3.14 is pyodide's, through tools/py314/bin/python3.14) by gen_opcode_tables.py.

It prints a single JSON document on stdout with the raw opcode facts of the
interpreter it runs in: `opcode.opmap`, the specialized/instrumented names,
the `has*` lists, inline cache sizes, `dis.cmp_op`, raw `dis.stack_effect`
samples for every named opcode below 256, and a small corpus of compiled code
(raw `co_code` plus what `dis` says about each jump) that the generator uses
to verify jump directions.

No interpretation happens here: which ops are "real", which stack-effect
shape fits, and so on is decided by the generator, so that this file stays
small and runs unchanged on every version from 3.8 on (no 3.9+ syntax).
"""

import dis
import json
import opcode
import sys

# Arguments sampled for ops that take one.
SAMPLE_ARGS = list(range(0, 1101)) + [4095, 4096, 65535, 65536, 2 ** 20]

INTERNAL = ("RESERVED", "INTERPRETER_EXIT", "ENTER_EXECUTOR")

# Small programs whose jumps the generator decodes itself and compares with dis.
CORPUS = [
    (
        "loops",
        """
def f(xs, n):
    i = 0
    while i < n:
        i += 1
        if i == 3:
            continue
        if i == 7:
            break
    else:
        i = -1
    for x in xs:
        if x:
            break
        n += x
    else:
        n = 0
    while True:
        n -= 1
        if not n:
            break
    return i, n
""",
    ),
    (
        "conditions",
        """
def g(a, b, c):
    if a and b or c:
        r = 1
    elif a is None:
        r = 2
    elif b is not None:
        r = 3
    else:
        r = a if b else c
    x = a or b
    y = a and b
    while a is not None:
        a = a.next
    while b:
        b = b.next
        if b is None:
            pass
    return r, x, y, [i for i in c if i if not i], {k: v for k, v in c}
""",
    ),
    (
        "exceptions",
        """
def h(f, m):
    try:
        f()
    except ValueError as e:
        return e
    except (TypeError, KeyError):
        pass
    else:
        f()
    finally:
        f()
    with m as x, m:
        f(x)
    for i in range(3):
        try:
            continue
        finally:
            f()
""",
    ),
    (
        "except_star",
        """
def s(f):
    try:
        f()
    except* OSError:
        pass
""",
    ),
    (
        "async",
        """
async def a(it, cm):
    async for x in it:
        await x
    async with cm as y:
        await y
    return [z async for z in it]

def gen(it):
    yield from it
    x = yield 1
    return x
""",
    ),
    (
        "match",
        """
def m(p):
    match p:
        case [1, 2, *rest]:
            return rest
        case {"k": v, **kw}:
            return v, kw
        case Point(x=0, y=yy) if yy > 1:
            return yy
        case str() | bytes():
            return 0
        case _:
            return None
""",
    ),
    (
        "long",
        # Long bodies force EXTENDED_ARG on jump arguments.
        "def big(a, xs):\n"
        + "    while a:\n"
        + "".join("        a = a + %d * a - xs[%d]\n" % (i, i) for i in range(120))
        + "        if a:\n            continue\n"
        + "    for q in xs:\n"
        + "".join("        q = q + %d\n" % i for i in range(150))
        + "    if a:\n"
        + "".join("        a = f(a, %d)\n" % i for i in range(150))
        + "    return a\n",
    ),
]

# Stdlib modules whose compiled code is added to the corpus.
STDLIB_MODULES = ["dis", "argparse", "inspect", "typing", "asyncio.tasks"]


def _sorted_list(name):
    value = getattr(opcode, name, None)
    if value is None:
        return None
    return sorted(set(int(x) for x in value))


def _effect(op, arg, jump):
    try:
        return dis.stack_effect(op, arg, jump=jump)
    except (ValueError, TypeError, OverflowError):
        return None


def _first_error(op, arg, jump):
    try:
        dis.stack_effect(op, arg, jump=jump)
    except Exception as e:  # noqa: BLE001 - reported verbatim
        return "%s: %s" % (type(e).__name__, e)
    return None


def _has_arg(op):
    if sys.version_info >= (3, 12):
        return op in opcode.hasarg
    return op >= opcode.HAVE_ARGUMENT


def _cache_entries():
    entries = getattr(opcode, "_inline_cache_entries", None)
    out = {}
    if entries is None:
        return out
    if hasattr(entries, "items"):  # 3.13: dict name -> n; 3.15: frozendict
        for name, n in entries.items():
            out[name] = int(n)
    else:  # 3.11/3.12: list indexed by number
        for num, n in enumerate(entries):
            if n and num < 256:
                name = opcode.opname[num]
                out[name] = int(n)
    return out


def _magic():
    """The release magic number (the u16 before b"\\r\\n")."""
    import importlib.util

    m = importlib.util.MAGIC_NUMBER
    return m[0] | (m[1] << 8)


def _all_opmap():
    all_opmap = dict(getattr(dis, "_all_opmap", opcode.opmap))
    for name, num in getattr(opcode, "_specialized_opmap", {}).items():
        all_opmap.setdefault(name, num)
    return all_opmap


def _specialized_names():
    names = set(getattr(opcode, "_specialized_instructions", []) or [])
    names.update(getattr(opcode, "_specialized_opmap", {}) or {})
    for family in (getattr(opcode, "_specializations", {}) or {}).values():
        names.update(family)
    return sorted(names)


def _code_objects(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            for sub in _code_objects(const):
                yield sub


def _corpus():
    sources = list(CORPUS)
    import importlib

    for modname in STDLIB_MODULES:
        try:
            mod = importlib.import_module(modname)
            # Through the loader: pyodide's 3.14 imports its stdlib from a zip.
            source = mod.__loader__.get_source(mod.__name__)
            if source:
                sources.append((modname, source))
        except Exception:  # noqa: BLE001 - the module is optional
            pass
    jumpish = set(opcode.hasjrel) | set(opcode.hasjabs)
    out = []
    for label, src in sources:
        try:
            top = compile(src, "<%s>" % label, "exec")
        except SyntaxError:
            continue  # e.g. `match` before 3.10, `except*` before 3.11
        for code in _code_objects(top):
            jumps = []
            for ins in dis.get_instructions(code):
                if ins.opcode in jumpish:
                    jumps.append([ins.offset, ins.opname, ins.arg, ins.argval])
            out.append(
                {
                    "label": label,
                    "name": code.co_name,
                    "code": code.co_code.hex(),
                    "jumps": jumps,
                }
            )
    return out


def main():
    opmap = dict(opcode.opmap)
    samples = {}
    for name, op in sorted(opmap.items(), key=lambda kv: kv[1]):
        if op >= 256:
            continue
        has_arg = _has_arg(op)
        args = SAMPLE_ARGS if has_arg else [None]
        samples[name] = {
            "args": args,
            "effect": [_effect(op, a, False) for a in args],
            "jump_effect": [_effect(op, a, True) for a in args],
            "error": _first_error(op, args[0], False),
        }

    data = {
        "version": "%d.%d.%d" % sys.version_info[:3],
        "minor": sys.version_info[1],
        "executable": sys.executable,
        "opmap": opmap,
        "all_opmap": _all_opmap(),
        "specialized": _specialized_names(),
        "internal": [n for n in INTERNAL if n in opmap],
        "min_instrumented": getattr(opcode, "MIN_INSTRUMENTED_OPCODE", None),
        "have_argument": opcode.HAVE_ARGUMENT,
        "hasarg": _sorted_list("hasarg"),
        "hasjrel": _sorted_list("hasjrel"),
        "hasjabs": _sorted_list("hasjabs"),
        "hasjump": _sorted_list("hasjump"),
        "hasconst": _sorted_list("hasconst"),
        "hasname": _sorted_list("hasname"),
        "haslocal": _sorted_list("haslocal"),
        "hasfree": _sorted_list("hasfree"),
        "hascompare": _sorted_list("hascompare"),
        "inline_cache_entries": _cache_entries(),
        "cmp_op": list(dis.cmp_op),
        "extended_arg": opcode.EXTENDED_ARG,
        "magic": _magic(),
        "marshal_version": __import__("marshal").version,
        "code_flags": {str(k): v for k, v in dis.COMPILER_FLAG_NAMES.items()},
        "stack_effect": samples,
        "corpus": _corpus(),
    }
    json.dump(data, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
