#!/usr/bin/env python3
"""Generate `src/version/generated.rs`, pyopt's per-version opcode tables.

The tables are read off the real interpreters rather than typed in by hand.
For each of CPython 3.8–3.14 this script runs `tools/opcode_probe.py` inside
that interpreter (as a subprocess; the probe prints raw facts as JSON: the
opcode map, the `has*` lists, inline cache sizes, `dis.cmp_op`,
`dis.stack_effect` samples and a small compiled corpus), then

* decides which opcodes are *real and writable* (in `opcode.opmap`, < 256, not
  specialized, not instrumented, not RESERVED/INTERPRETER_EXIT/ENTER_EXECUTOR)
  and which named numbers are *forbidden* in a `.pyc` (and why);
* derives each op's argument kind, jump kind, name shift and cache count;
* fits each op's `dis.stack_effect` (fall-through and jump edge) to one of the
  `StackEffect` shapes in `src/version/mod.rs`, sampling arguments 0..=1100 and
  a few large ones, and fails if no shape reproduces every sample;
* checks every jump in the compiled corpus: decoding the raw `co_code` with
  the derived table must land every jump on an instruction start and agree
  with `dis`;
* writes the Rust file and runs `rustfmt` on it.

Interpreters are found by `pyopt_tools.find_interpreter`, the same rule as
pyopt's own (src/interpreters.rs): `$PYOPT_PYTHON3_X`, else the newest
`$PYENV_ROOT/versions/3.X.Y/bin/python` (`PYENV_ROOT` defaulting to
`~/.pyenv`), else for 3.14 `tools/py314/bin/python3.14` once
`tools/py314/setup.sh` ran, else `python3.X` on PATH. The script itself
needs Python 3.8+ (run it with python3.11).

Usage:
    python3 tools/gen_opcode_tables.py           # regenerate src/version/generated.rs
    python3 tools/gen_opcode_tables.py --check   # verify it is up to date

Exit status: 0 success (or up to date); 1 `--check` found a difference, or
generation failed (e.g. no stack-effect shape fits an op); 2 one or more
interpreters are missing.
"""

import argparse
import collections
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile

from pyopt_tools import find_interpreters, search_order

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBE = os.path.join(ROOT, "tools", "opcode_probe.py")
OUTPUT = os.path.join(ROOT, "src", "version", "generated.rs")
OUTPUT_REL = "src/version/generated.rs"

MINORS = [8, 9, 10, 11, 12, 13, 14, 15]
INTERNAL = ("RESERVED", "INTERPRETER_EXIT", "ENTER_EXECUTOR")
# Ops whose stack effect `dis.stack_effect` may refuse entirely; they get Fixed(0).
MAY_RAISE_ENTIRELY = ("CACHE", "EXTENDED_ARG")

I8 = range(-128, 128)


class GenError(Exception):
    """A fact could not be derived; the message names the op and version."""


# --------------------------------------------------------------------------
# Interpreters and probing


def probe(python):
    proc = subprocess.run(
        [python, "-I", PROBE], capture_output=True, text=True, cwd=ROOT
    )
    if proc.returncode != 0:
        raise GenError(
            "probe failed under %s (exit %d):\n%s" % (python, proc.returncode, proc.stderr)
        )
    return json.loads(proc.stdout)


# --------------------------------------------------------------------------
# Stack-effect shapes


def _fits(fn, samples):
    return all(fn(a) == e for a, e in samples)


def fit_effect(samples, has_arg):
    """Fits [(arg, effect)] to a shape; returns a tuple describing it or None.

    Shapes are tried in the order of `StackEffect`'s variants.
    """
    effects = dict(samples)
    values = set(effects.values())
    if len(values) == 1:
        (v,) = values
        return ("Fixed", v) if v in I8 else None
    if not has_arg or 0 not in effects:
        return None
    e0 = effects[0]

    # Linear { base, mul }
    if 1 in effects:
        base, mul = e0, effects[1] - e0
        if base in I8 and mul in I8 and _fits(lambda a: base + mul * a, samples):
            return ("Linear", base, mul)

    # Bit { base, mask, add }: single bits first, then their combinations.
    for mask in [1, 2, 4, 8] + [m for m in range(1, 16) if m not in (1, 2, 4, 8)]:
        if mask not in effects:
            continue
        add = effects[mask] - e0
        if e0 in I8 and add in I8 and _fits(
            lambda a: e0 + (add if a & mask else 0), samples
        ):
            return ("Bit", e0, mask, add)

    # Popcount { base, mask, mul }
    if 1 in effects:
        for mask in (0x0F, 0xFF):
            mul = effects[1] - e0
            if e0 in I8 and mul in I8 and _fits(
                lambda a: e0 + mul * bin(a & mask).count("1"), samples
            ):
                return ("Popcount", e0, mask, mul)

    # UnpackEx { base }
    if e0 in I8 and _fits(lambda a: e0 + (a & 0xFF) + (a >> 8), samples):
        return ("UnpackEx", e0)

    # IfArgEq { value, then, otherwise }
    counts = collections.Counter(effects.values())
    if len(counts) == 2:
        odd = [v for v, c in counts.items() if c == 1]
        if len(odd) == 1:
            then = odd[0]
            (otherwise,) = [v for v in counts if v != then]
            (value,) = [a for a, e in samples if e == then]
            if then in I8 and otherwise in I8 and 0 <= value < 2 ** 32:
                return ("IfArgEq", value, then, otherwise)
    return None


def render_effect(shape):
    kind = shape[0]
    if kind == "Fixed":
        return "StackEffect::Fixed(%d)" % shape[1]
    if kind == "Linear":
        return "StackEffect::Linear { base: %d, mul: %d }" % shape[1:]
    if kind == "Bit":
        return "StackEffect::Bit { base: %d, mask: 0x%x, add: %d }" % shape[1:]
    if kind == "Popcount":
        return "StackEffect::Popcount { base: %d, mask: 0x%x, mul: %d }" % shape[1:]
    if kind == "UnpackEx":
        return "StackEffect::UnpackEx { base: %d }" % shape[1:]
    if kind == "IfArgEq":
        return "StackEffect::IfArgEq { value: %d, then: %d, otherwise: %d }" % shape[1:]
    raise AssertionError(shape)


def describe_effect(shape):
    """A short human-readable form for logs."""
    return render_effect(shape).replace("StackEffect::", "")


def _ranges(nums):
    """[1,2,3,7] -> '1..=3, 7'."""
    out, start, prev = [], None, None
    for n in sorted(nums):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append((start, prev))
            start = prev = n
    if start is not None:
        out.append((start, prev))
    return ", ".join(str(a) if a == b else "%d..=%d" % (a, b) for a, b in out)


# --------------------------------------------------------------------------
# One version's table


class Table:
    def __init__(self, data):
        self.data = data
        self.minor = data["minor"]
        self.version = data["version"]
        self.ops = []  # dicts, sorted by number
        self.forbidden = []  # (number, name, why)
        self.raised_entirely = []  # (name, which, error)
        self.raised_some = []  # (name, which, arg ranges)
        self.jump_checks = collections.Counter()
        self.notes = []
        self._build()

    def err(self, msg):
        return GenError("CPython %s: %s" % (self.version, msg))

    # -- classification -----------------------------------------------------

    def _build(self):
        d = self.data
        opmap = {k: v for k, v in d["opmap"].items() if v < 256}
        specialized = set(d["specialized"])
        internal = set(d["internal"])
        min_instr = d["min_instrumented"]

        def why_not_real(name, num):
            if name.startswith("INSTRUMENTED_") or (
                min_instr is not None and num >= min_instr
            ):
                return "instrumented"
            if name in specialized:
                return "specialized"
            if name in internal:
                return "internal"
            return None

        real = {}
        for name, num in opmap.items():
            if why_not_real(name, num) is None:
                real[name] = num
        if len(set(real.values())) != len(real):
            raise self.err("two real ops share a number")
        self.real = real
        self.real_numbers = set(real.values())

        forbidden = {}
        for name, num in d["all_opmap"].items():
            if num >= 256 or name in real:
                continue
            why = why_not_real(name, num)
            if why is None:
                raise self.err("cannot classify named opcode %s = %d" % (name, num))
            if num in forbidden or num in self.real_numbers:
                raise self.err("opcode number %d is named twice (%s)" % (num, name))
            forbidden[num] = (num, name, why)
        self.forbidden = [forbidden[n] for n in sorted(forbidden)]

        def real_set(key):
            lst = d.get(key)
            if lst is None:
                return None
            return {n for n in lst if n in self.real_numbers}

        hasjrel, hasjabs, hasjump = real_set("hasjrel"), real_set("hasjabs"), real_set("hasjump")
        if hasjrel is None and hasjabs is None:
            hasjrel, hasjabs = hasjump or set(), set()
        hasjrel, hasjabs = hasjrel or set(), hasjabs or set()
        if hasjump is not None and hasjump != hasjrel | hasjabs:
            raise self.err("hasjump disagrees with hasjrel+hasjabs")
        if hasjabs and self.minor > 10:
            raise self.err("absolute jumps after 3.10: %s" % sorted(hasjabs))
        kinds = [
            ("Const", real_set("hasconst")),
            ("Name", real_set("hasname")),
            ("Local", real_set("haslocal")),
            ("Free", real_set("hasfree")),
            ("Compare", real_set("hascompare")),
        ]
        hasarg = real_set("hasarg") if self.minor >= 12 else None
        caches = d["inline_cache_entries"]

        for name, num in sorted(real.items(), key=lambda kv: kv[1]):
            if hasarg is not None:
                has_arg = num in hasarg
            else:
                has_arg = num >= d["have_argument"]
            if num in hasjrel or num in hasjabs:
                arg_kind = "Jump"
            else:
                arg_kind = next((k for k, s in kinds if s and num in s), None)
                if arg_kind is None:
                    arg_kind = "Other" if has_arg else "None"
            if not has_arg and arg_kind != "None":
                raise self.err("%s takes no argument but is listed as %s" % (name, arg_kind))

            if num in hasjabs:
                jump = "Absolute"
            elif num in hasjrel:
                # 3.14's END_ASYNC_FOR names the SEND it came from by a
                # backward offset (dis prints "from L"); like CPython's own
                # flow graph, pyopt treats that as a jump edge.
                backward = "BACKWARD" in name or name == "END_ASYNC_FOR"
                jump = "Backward" if backward else "Forward"
            else:
                jump = "None"

            name_shift = 0
            if name == "LOAD_GLOBAL" and self.minor >= 11:
                name_shift = 1
            elif name == "LOAD_ATTR" and self.minor >= 12:
                name_shift = 1
            elif name == "LOAD_SUPER_ATTR" and self.minor >= 12:
                name_shift = 2
            elif name == "IMPORT_NAME" and self.minor >= 15:
                # 3.15: `(name index << 2) | flags` (1: `lazy import`, 2: eager).
                name_shift = 2
            if name_shift and arg_kind != "Name":
                raise self.err("%s has a name shift but is not in hasname" % name)

            n_caches = caches.get(name, 0) if self.minor >= 11 else 0
            if not 0 <= n_caches < 256:
                raise self.err("%s: cache count %d" % (name, n_caches))

            effect, jump_effect = self._fit(name, has_arg, jump != "None")
            self.ops.append(
                dict(
                    name=name,
                    number=num,
                    has_arg=has_arg,
                    caches=n_caches,
                    arg_kind=arg_kind,
                    name_shift=name_shift,
                    jump=jump,
                    effect=effect,
                    jump_effect=jump_effect,
                )
            )
        for name in caches:
            if name in real and self.minor < 11:
                raise self.err("inline caches before 3.11")
        self.by_number = {op["number"]: i for i, op in enumerate(self.ops)}
        self.by_name = {op["name"]: op for op in self.ops}
        if "EXTENDED_ARG" not in real or real["EXTENDED_ARG"] != d["extended_arg"]:
            raise self.err("EXTENDED_ARG is not a real op")
        if self.minor >= 11 and "CACHE" not in real:
            raise self.err("CACHE missing")
        self._check_jumps()

    # -- stack effects ------------------------------------------------------

    def _fit(self, name, has_arg, is_jump):
        s = self.data["stack_effect"][name]
        args = s["args"]
        which = [("effect", s["effect"])]
        if is_jump:
            which.append(("jump_effect", s["jump_effect"]))
        shapes = {}
        for label, values in which:
            samples = [(a, e) for a, e in zip(args, values) if e is not None]
            raised = [a for a, e in zip(args, values) if e is None]
            if not samples:
                if name in MAY_RAISE_ENTIRELY:
                    self.raised_entirely.append((name, label, s["error"]))
                    shapes[label] = ("Fixed", 0)
                    continue
                raise self.err(
                    "dis.stack_effect(%s, jump=%s) raised for every argument: %s"
                    % (name, label == "jump_effect", s["error"])
                )
            if raised:
                self.raised_some.append(
                    (name, label, _ranges(a for a in raised if a is not None) or "None")
                )
            if not has_arg:
                samples = [(0, e) for _, e in samples]
            shape = fit_effect(samples, has_arg)
            if shape is None:
                raise self.err(
                    "no StackEffect shape fits %s of %s; samples %s"
                    % (label, name, samples[:12])
                )
            shapes[label] = shape
        if not is_jump:
            shapes["jump_effect"] = shapes["effect"]
        return shapes["effect"], shapes["jump_effect"]

    # -- empirical jump check -----------------------------------------------

    def _check_jumps(self):
        """Decodes the probe's corpus with this table and checks every jump."""
        unit = 1 if self.minor <= 9 else 2  # bytes per jump-arg unit
        ext_num = self.data["extended_arg"]
        for code in self.data["corpus"]:
            raw = bytes.fromhex(code["code"])
            where = "%s:%s" % (code["label"], code["name"])
            starts, jumps = set(), []
            i, ext, start = 0, 0, None
            n = len(raw) // 2
            while i < n:
                op, arg = raw[2 * i], raw[2 * i + 1]
                if start is None:
                    start = i
                pos = self.by_number.get(op)
                if pos is None:
                    raise self.err("%s: byte %d at offset %d is not a real op" % (where, op, 2 * i))
                info = self.ops[pos]
                full = (ext << 8) | arg
                if op == ext_num:
                    ext, i = full, i + 1
                    continue
                starts.add(2 * start)
                if info["jump"] != "None":
                    jumps.append((2 * i, info, full))
                ext, start = 0, None
                i += 1 + info["caches"]
            if i != n:
                raise self.err("%s: caches run past the end of the code" % where)
            computed = {}
            for offset, info, arg in jumps:
                end = offset + 2 + 2 * info["caches"]
                kind = info["jump"]
                if kind == "Forward":
                    target = end + arg * unit
                    ok_dir = target >= end
                elif kind == "Backward":
                    target = end - arg * unit
                    ok_dir = target <= offset
                else:
                    target = arg * unit
                    ok_dir = True
                if not ok_dir or target not in starts:
                    raise self.err(
                        "%s: %s at %d with arg %d targets %d, not an instruction start"
                        % (where, info["name"], offset, arg, target)
                    )
                computed[offset] = (info["name"], target)
                self.jump_checks[(info["name"], kind)] += 1
            dis_jumps = {off: (name, argval) for off, name, _arg, argval in code["jumps"]}
            if dis_jumps != computed:
                diff = sorted(set(dis_jumps.items()) ^ set(computed.items()))
                raise self.err("%s: jumps disagree with dis: %s" % (where, diff[:6]))


# --------------------------------------------------------------------------
# Rust rendering


def _version_ident(minor):
    return "3_%d" % minor


def _rust_str(s):
    return json.dumps(s)  # ASCII-only names; JSON escaping is valid Rust here


def _doc_numbers(name, tables):
    """'100 in 3.8–3.12, 83 in 3.13' for an op's doc comment."""
    groups = []  # [number, first_minor, last_minor]
    for t in tables:
        op = t.by_name.get(name)
        if op is None:
            continue
        if groups and groups[-1][0] == op["number"] and groups[-1][2] == t.minor - 1:
            groups[-1][2] = t.minor
        else:
            groups.append([op["number"], t.minor, t.minor])
    parts = []
    for num, a, b in groups:
        span = "3.%d" % a if a == b else "3.%d–3.%d" % (a, b)
        parts.append("%d in %s" % (num, span))
    return ", ".join(parts)


def render(tables):
    names = sorted({op["name"] for t in tables for op in t.ops})
    if len(names) > 255:
        raise GenError("too many ops for #[repr(u8)]: %d" % len(names))
    index = {n: i for i, n in enumerate(names)}
    versions = ", ".join(t.version for t in tables)
    w = []
    w.append(
        "// @generated by tools/gen_opcode_tables.py from CPython %s — do not edit." % versions
    )
    w.append("//")
    w.append("// Regenerate with `python3 tools/gen_opcode_tables.py`; the `opcode_tables`")
    w.append("// test runs it with `--check` to catch a stale file.")
    w.append("")
    w.append(
        "use super::{ArgKind, ForbiddenOp, JumpKind, OpInfo, PyVersion, StackEffect, VersionTable};"
    )
    w.append("")
    w.append("/// Every real, writable opcode of CPython 3.%d–3.%d, named exactly as in CPython." % (MINORS[0], MINORS[-1]))
    w.append("///")
    w.append("/// Variants are in alphabetical order; the opcode byte differs between")
    w.append("/// versions (see each variant's doc and `VersionTable::info`).")
    w.append("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]")
    w.append("#[repr(u8)]")
    w.append("#[allow(non_camel_case_types)]")
    w.append("pub enum Op {")
    for n in names:
        w.append("    /// `%s`: %s." % (n, _doc_numbers(n, tables)))
        w.append("    %s," % n)
    w.append("}")
    w.append("")
    w.append("/// `Op::name` by discriminant; sorted, so `from_name` can binary-search it.")
    w.append("static NAMES: [&str; Op::COUNT] = [")
    for n in names:
        w.append("    %s," % _rust_str(n))
    w.append("];")
    w.append("")
    w.append("impl Op {")
    w.append("    /// Every op, in discriminant (alphabetical) order.")
    w.append("    pub const ALL: &'static [Op] = &[")
    for n in names:
        w.append("        Op::%s," % n)
    w.append("    ];")
    w.append("")
    w.append("    /// The number of ops.")
    w.append("    pub const COUNT: usize = %d;" % len(names))
    w.append("")
    w.append("    /// The CPython name, e.g. `\"LOAD_CONST\"`.")
    w.append("    pub fn name(self) -> &'static str {")
    w.append("        NAMES[self as usize]")
    w.append("    }")
    w.append("")
    w.append("    /// The op with this exact CPython name.")
    w.append("    pub fn from_name(s: &str) -> Option<Op> {")
    w.append("        NAMES.binary_search(&s).ok().map(|i| Op::ALL[i])")
    w.append("    }")
    w.append("}")

    for t in tables:
        v = _version_ident(t.minor)
        w.append("")
        w.append("// ---- CPython %s ----" % t.version)
        if not t.raised_entirely and not t.raised_some:
            w.append("//")
            w.append("// dis.stack_effect raised for no sampled argument of any op.")
        if t.raised_entirely:
            w.append("//")
            w.append("// dis.stack_effect raised for every argument of these ops (modelled as Fixed(0)):")
            for name, label, error in t.raised_entirely:
                w.append("//   %s (%s): %s" % (name, label, error))
        if t.raised_some:
            w.append("//")
            w.append("// dis.stack_effect raised for some sampled arguments (ignored by the fit):")
            for name, label, ranges in t.raised_some:
                w.append("//   %s (%s): args %s" % (name, label, ranges))
        w.append("")
        w.append("static OPS_%s: [OpInfo; %d] = [" % (v, len(t.ops)))
        for op in t.ops:
            w.append("    OpInfo {")
            w.append("        op: Op::%s," % op["name"])
            w.append("        number: %d," % op["number"])
            w.append("        has_arg: %s," % ("true" if op["has_arg"] else "false"))
            w.append("        caches: %d," % op["caches"])
            w.append("        arg_kind: ArgKind::%s," % op["arg_kind"])
            w.append("        name_shift: %d," % op["name_shift"])
            w.append("        jump: JumpKind::%s," % op["jump"])
            w.append("        effect: %s," % render_effect(op["effect"]))
            w.append("        jump_effect: %s," % render_effect(op["jump_effect"]))
            w.append("    },")
        w.append("];")
        w.append("")
        by_number = [t.by_number.get(i, 255) for i in range(256)]
        w.append("static BY_NUMBER_%s: [u8; 256] = [" % v)
        w.append("    " + ", ".join(str(x) for x in by_number) + ",")
        w.append("];")
        w.append("")
        pos = {op["name"]: i for i, op in enumerate(t.ops)}
        by_op = [pos.get(n, 255) for n in names]
        w.append("static BY_OP_%s: [u8; Op::COUNT] = [" % v)
        w.append("    " + ", ".join(str(x) for x in by_op) + ",")
        w.append("];")
        w.append("")
        w.append("static FORBIDDEN_%s: [ForbiddenOp; %d] = [" % (v, len(t.forbidden)))
        for num, name, why in t.forbidden:
            w.append(
                "    ForbiddenOp { number: %d, name: %s, why: %s }," % (num, _rust_str(name), _rust_str(why))
            )
        w.append("];")
        w.append("")
        cmp_op = t.data["cmp_op"]
        w.append("static CMP_OP_%s: [&str; %d] = [%s];" % (v, len(cmp_op), ", ".join(_rust_str(c) for c in cmp_op)))
        w.append("")
        cache = t.real.get("CACHE") if t.minor >= 11 else None
        w.append("static TABLE_%s: VersionTable = VersionTable {" % v)
        w.append("    version: PyVersion::V%s," % v)
        w.append("    ops: &OPS_%s," % v)
        w.append("    by_number: &BY_NUMBER_%s," % v)
        w.append("    by_op: &BY_OP_%s," % v)
        w.append("    forbidden: &FORBIDDEN_%s," % v)
        w.append("    cmp_op: &CMP_OP_%s," % v)
        w.append("    extended_arg: %d," % t.data["extended_arg"])
        w.append("    magic: %d," % t.data["magic"])
        w.append("    marshal_version: %d," % t.data["marshal_version"])
        flags = {name: int(bit) for bit, name in t.data["code_flags"].items()}
        doc = flags.get("HAS_DOCSTRING")
        w.append("    co_has_docstring: %s," % ("None" if doc is None else "Some(0x%x)" % doc))
        w.append("    cache: %s," % ("None" if cache is None else "Some(%d)" % cache))
        w.append("};")

    w.append("")
    w.append("/// The generated table of a version.")
    w.append("pub(super) fn table(v: PyVersion) -> &'static VersionTable {")
    w.append("    match v {")
    for t in tables:
        v = _version_ident(t.minor)
        w.append("        PyVersion::V%s => &TABLE_%s," % (v, v))
    w.append("    }")
    w.append("}")
    return "\n".join(w) + "\n"


def rustfmt(text):
    exe = shutil.which("rustfmt")
    if exe is None:
        raise GenError("rustfmt not found on PATH")
    proc = subprocess.run(
        [exe, "--edition", "2021", "--emit", "stdout"],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise GenError("rustfmt failed:\n%s" % proc.stderr)
    return proc.stdout


# --------------------------------------------------------------------------


def log_summary(tables, out):
    for t in tables:
        shaped = collections.Counter(op["effect"][0] for op in t.ops)
        print(
            "  %s: %d ops, %d forbidden, shapes %s, %d jumps verified"
            % (
                t.version,
                len(t.ops),
                len(t.forbidden),
                dict(sorted(shaped.items())),
                sum(t.jump_checks.values()),
            ),
            file=out,
        )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--check",
        action="store_true",
        help="regenerate in memory and exit 1 if %s differs" % OUTPUT_REL,
    )
    ap.add_argument("-v", "--verbose", action="store_true", help="print every non-Fixed shape")
    args = ap.parse_args(argv)

    found, missing = find_interpreters(MINORS)
    for minor in MINORS:
        if minor in found:
            print("using CPython 3.%d: %s" % (minor, found[minor]))
    if missing:
        print(
            "missing interpreters: %s (looked at %s)"
            % (", ".join("3.%d" % m for m in missing), "; ".join(search_order(m) for m in missing)),
            file=sys.stderr,
        )
        return 2

    try:
        tables = [Table(probe(found[m])) for m in MINORS]
        for t, m in zip(tables, MINORS):
            if t.minor != m:
                raise GenError("%s reports version %s" % (found[m], t.version))
        text = rustfmt(render(tables))
    except GenError as e:
        print("error: %s" % e, file=sys.stderr)
        return 1

    log_summary(tables, sys.stdout)
    if args.verbose:
        for t in tables:
            for op in t.ops:
                if op["effect"][0] != "Fixed" or op["jump_effect"] != op["effect"]:
                    print(
                        "    %s %-28s effect=%s jump_effect=%s"
                        % (t.version, op["name"], describe_effect(op["effect"]), describe_effect(op["jump_effect"]))
                    )

    if args.check:
        try:
            with open(OUTPUT, encoding="utf-8") as fh:
                current = fh.read()
        except FileNotFoundError:
            print("%s does not exist; run python3 tools/gen_opcode_tables.py" % OUTPUT_REL, file=sys.stderr)
            return 1
        if current == text:
            print("%s is up to date" % OUTPUT_REL)
            return 0
        diff = list(
            difflib.unified_diff(
                current.splitlines(),
                text.splitlines(),
                "%s (on disk)" % OUTPUT_REL,
                "%s (regenerated)" % OUTPUT_REL,
                lineterm="",
                n=1,
            )
        )
        changed = sum(1 for l in diff if l[:1] in "+-" and l[:3] not in ("+++", "---"))
        print(
            "%s is stale: %d changed lines; run python3 tools/gen_opcode_tables.py" % (OUTPUT_REL, changed),
            file=sys.stderr,
        )
        for line in diff[:60]:
            print(line, file=sys.stderr)
        if len(diff) > 60:
            print("... (%d more diff lines)" % (len(diff) - 60), file=sys.stderr)
        return 1

    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(OUTPUT), suffix=".rs.tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)  # mkstemp creates 0600
    os.replace(tmp, OUTPUT)
    # Last step: format the file in place (a no-op, since `text` is already
    # rustfmt output, but it keeps the file canonical if rustfmt's stdin and
    # file modes ever diverge).
    proc = subprocess.run(["rustfmt", "--edition", "2021", OUTPUT], cwd=ROOT)
    if proc.returncode != 0:
        print("error: rustfmt failed on %s" % OUTPUT_REL, file=sys.stderr)
        return 1
    print("wrote %s" % OUTPUT_REL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
