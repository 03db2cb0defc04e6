//! Python versions pyopt understands and their opcode tables.
//!
//! Everything version-specific that can be read off an interpreter — opcode
//! numbers, which ops take an argument, inline-cache sizes, jump kinds, stack
//! effects, the specialized/instrumented opcodes that must never be written —
//! lives in `generated.rs`, produced by `tools/gen_opcode_tables.py` from the
//! installed CPython 3.8–3.13 and pyodide's 3.14 (`tools/py314`) and checked for staleness by a test. This file
//! holds the hand-written types those tables are made of; `facts.rs` holds
//! the hand-written behaviour of each version that no table can read.

mod facts;
mod generated;

pub use facts::{CodeLayout, CommonConst, Facts, LineTable};
pub use generated::Op;

use std::fmt;

/// A CPython minor version whose `.pyc` files pyopt reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PyVersion {
    V3_8,
    V3_9,
    V3_10,
    V3_11,
    V3_12,
    V3_13,
    V3_14,
    V3_15,
}

impl PyVersion {
    /// Every supported version, oldest first.
    pub const ALL: [PyVersion; 8] = [
        PyVersion::V3_8,
        PyVersion::V3_9,
        PyVersion::V3_10,
        PyVersion::V3_11,
        PyVersion::V3_12,
        PyVersion::V3_13,
        PyVersion::V3_14,
        PyVersion::V3_15,
    ];

    /// The minor number: 8 for 3.8.
    pub fn minor(self) -> u8 {
        match self {
            PyVersion::V3_8 => 8,
            PyVersion::V3_9 => 9,
            PyVersion::V3_10 => 10,
            PyVersion::V3_11 => 11,
            PyVersion::V3_12 => 12,
            PyVersion::V3_13 => 13,
            PyVersion::V3_14 => 14,
            PyVersion::V3_15 => 15,
        }
    }

    /// The version for a minor number, if supported.
    pub fn from_minor(minor: u8) -> Option<PyVersion> {
        PyVersion::ALL.into_iter().find(|v| v.minor() == minor)
    }

    /// Parses `"3.11"` (or `"311"`, `"11"`).
    pub fn parse(s: &str) -> Option<PyVersion> {
        let s = s.trim();
        let minor = s
            .strip_prefix("3.")
            .or_else(|| s.strip_prefix('3').filter(|r| !r.is_empty()))
            .unwrap_or(s);
        minor.parse().ok().and_then(PyVersion::from_minor)
    }

    /// The generated opcode table of this version.
    pub fn table(self) -> &'static VersionTable {
        generated::table(self)
    }

    /// The hand-written behaviour of this version (`facts.rs`).
    pub fn facts(self) -> &'static Facts {
        facts::of(self)
    }
}

impl Op {
    /// Superinstructions whose argument packs two local indexes into nibbles
    /// (`first << 4 | second`): 3.13's `LOAD_FAST_LOAD_FAST`,
    /// `STORE_FAST_LOAD_FAST`, `STORE_FAST_STORE_FAST` and 3.14's
    /// `LOAD_FAST_BORROW_LOAD_FAST_BORROW`.
    pub fn packs_two_locals(self) -> bool {
        matches!(
            self,
            Op::LOAD_FAST_LOAD_FAST
                | Op::STORE_FAST_LOAD_FAST
                | Op::STORE_FAST_STORE_FAST
                | Op::LOAD_FAST_BORROW_LOAD_FAST_BORROW
        )
    }
}

impl Op {
    /// Ops that can neither raise nor run other code: an exception entry
    /// covering one of them is never used, whatever the stack depth there.
    /// (3.15's generator expressions keep `LOAD_COMMON_CONSTANT None;
    /// RETURN_VALUE` after their loop inside the `StopIteration` handler's
    /// range, whose depth counts the iterator those two run without.)
    pub fn never_raises(self) -> bool {
        matches!(
            self,
            Op::NOP
                | Op::LOAD_CONST
                | Op::LOAD_SMALL_INT
                | Op::LOAD_COMMON_CONSTANT
                | Op::RETURN_VALUE
        )
    }
}

impl Op {
    /// Whether execution can continue at this op's jump target. False for
    /// 3.14's `END_ASYNC_FOR`, whose backward jump argument only names the
    /// `END_SEND` of its loop (for `sys.monitoring`): it is re-encoded like a
    /// jump, and the CFG keeps it as an edge (an over-approximation every
    /// analysis tolerates), but no stack depth flows along it.
    pub fn jump_transfers_control(self) -> bool {
        self != Op::END_ASYNC_FOR
    }
}

impl fmt::Display for PyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "3.{}", self.minor())
    }
}

/// How an instruction's argument is interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// The op takes no argument; the argument byte is ignored by CPython.
    None,
    /// Index into `co_consts`.
    Const,
    /// Index into `co_names`, shifted left by `OpInfo::name_shift` flag bits.
    Name,
    /// Index of a local (`co_varnames`, or localsplus in 3.11+).
    Local,
    /// Cell/free variable (cellvars+freevars ≤3.10, localsplus index 3.11+).
    Free,
    /// A jump: the argument encodes a target (see `JumpKind`).
    Jump,
    /// A comparison operator index (`COMPARE_OP`).
    Compare,
    /// Any other integer argument (counts, flags, BINARY_OP operator, ...).
    Other,
}

/// How a jump argument maps to a target offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JumpKind {
    /// Not a jump.
    None,
    /// Target = end of this instruction (after its caches) + arg.
    Forward,
    /// Target = end of this instruction (after its caches) − arg.
    Backward,
    /// Target = arg (3.8–3.10 only).
    Absolute,
}

/// Stack effect of an instruction as a function of its argument.
///
/// The generator fits each op's `dis.stack_effect` to one of these shapes over
/// a wide range of arguments and fails if none fits, so the formula is exactly
/// the interpreter's for every argument it sampled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StackEffect {
    /// The same for every argument.
    Fixed(i8),
    /// `base + mul * arg`.
    Linear { base: i8, mul: i8 },
    /// `base + (if arg & mask != 0 { add } else { 0 })`.
    Bit { base: i8, mask: u32, add: i8 },
    /// `base + mul * popcount(arg & mask)` (MAKE_FUNCTION flags).
    Popcount { base: i8, mask: u32, mul: i8 },
    /// `base + (arg & 0xff) + (arg >> 8)` (UNPACK_EX).
    UnpackEx { base: i8 },
    /// `if arg == value { then } else { otherwise }` (BUILD_SLICE).
    IfArgEq { value: u32, then: i8, otherwise: i8 },
}

impl StackEffect {
    /// Evaluates the effect for an argument.
    #[inline]
    pub fn eval(self, arg: u32) -> i64 {
        match self {
            StackEffect::Fixed(n) => n as i64,
            StackEffect::Linear { base, mul } => base as i64 + mul as i64 * arg as i64,
            StackEffect::Bit { base, mask, add } => {
                base as i64 + if arg & mask != 0 { add as i64 } else { 0 }
            }
            StackEffect::Popcount { base, mask, mul } => {
                base as i64 + mul as i64 * (arg & mask).count_ones() as i64
            }
            StackEffect::UnpackEx { base } => base as i64 + (arg & 0xff) as i64 + (arg >> 8) as i64,
            StackEffect::IfArgEq {
                value,
                then,
                otherwise,
            } => {
                if arg == value {
                    then as i64
                } else {
                    otherwise as i64
                }
            }
        }
    }
}

/// Everything pyopt knows about one real (writable) opcode in one version.
#[derive(Clone, Copy, Debug)]
pub struct OpInfo {
    pub op: Op,
    /// The opcode byte in this version.
    pub number: u8,
    /// Whether the op uses its argument (`opcode.hasarg`, or `>= HAVE_ARGUMENT` before 3.12).
    pub has_arg: bool,
    /// Inline cache code units that follow the op (3.11+).
    pub caches: u8,
    pub arg_kind: ArgKind,
    /// For `ArgKind::Name`: flag bits below the name index (LOAD_GLOBAL 1 in 3.11+, ...).
    pub name_shift: u8,
    pub jump: JumpKind,
    /// Stack effect when execution falls through to the next instruction.
    pub effect: StackEffect,
    /// Stack effect along the jump edge (equal to `effect` for non-jumps).
    pub jump_effect: StackEffect,
}

/// An opcode number that exists in the interpreter but must never appear in a `.pyc`.
#[derive(Clone, Copy, Debug)]
pub struct ForbiddenOp {
    pub number: u8,
    pub name: &'static str,
    /// `"specialized"`, `"instrumented"` or `"internal"`.
    pub why: &'static str,
}

/// The opcode table of one version.
#[derive(Debug)]
pub struct VersionTable {
    pub version: PyVersion,
    /// The real, writable ops of this version, in opcode-number order.
    pub ops: &'static [OpInfo],
    /// Opcode byte → position in `ops`, `u8::MAX` where the byte is not a writable op.
    pub by_number: &'static [u8; 256],
    /// `Op as usize` → position in `ops`, `u8::MAX` where this version lacks the op.
    pub by_op: &'static [u8],
    /// Opcode numbers that the interpreter knows but that never belong in a `.pyc`.
    pub forbidden: &'static [ForbiddenOp],
    /// `dis.cmp_op`.
    pub cmp_op: &'static [&'static str],
    /// `EXTENDED_ARG`'s number.
    pub extended_arg: u8,
    /// `CACHE`'s number (3.11+), `None` before.
    pub cache: Option<u8>,
    /// `importlib.util.MAGIC_NUMBER` as the u16 before `\r\n`.
    pub magic: u16,
    /// `marshal.version` (5 from 3.14: slice objects, type `:`).
    pub marshal_version: u8,
    /// The `CO_HAS_DOCSTRING` flag (3.14+: `co_consts[0]` is the docstring
    /// only when it is set), from `dis.COMPILER_FLAG_NAMES`.
    pub co_has_docstring: Option<i32>,
}

impl VersionTable {
    /// Looks up an opcode byte. `None` for unknown, specialized or instrumented numbers.
    #[inline]
    pub fn op_by_number(&self, number: u8) -> Option<&'static OpInfo> {
        self.ops.get(self.by_number[number as usize] as usize)
    }

    /// Looks up a version-independent op. `None` when this version lacks it.
    #[inline]
    pub fn info(&self, op: Op) -> Option<&'static OpInfo> {
        let pos = *self.by_op.get(op as usize)?;
        self.ops.get(pos as usize)
    }

    /// Why a number that `op_by_number` rejected cannot be written, if known.
    pub fn forbidden(&self, number: u8) -> Option<&'static ForbiddenOp> {
        self.forbidden.iter().find(|f| f.number == number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_all_is_indexed_by_discriminant() {
        for (i, op) in Op::ALL.iter().enumerate() {
            assert_eq!(*op as usize, i, "{}", op.name());
            assert_eq!(Op::from_name(op.name()), Some(*op));
        }
    }

    #[test]
    fn tables_are_consistent() {
        for v in PyVersion::ALL {
            let t = v.table();
            for (pos, info) in t.ops.iter().enumerate() {
                assert_eq!(t.by_number[info.number as usize] as usize, pos);
                assert_eq!(t.info(info.op).map(|i| i.number), Some(info.number));
            }
            assert!(t
                .forbidden
                .iter()
                .all(|f| t.op_by_number(f.number).is_none()));
        }
    }

    /// The generated interpreter facts agree with the release magic numbers
    /// of CPython's `Lib/importlib/_bootstrap_external.py` (3.15: the magic
    /// of 3.15.0rc1, the build pyodide 315.0.0-alpha.2 carries) and with the
    /// marshal format history (version 5, slices, from 3.14; version 6,
    /// frozendict, from 3.15).
    #[test]
    fn interpreter_facts() {
        let magics: Vec<u16> = PyVersion::ALL.iter().map(|v| v.table().magic).collect();
        assert_eq!(magics, [3413, 3425, 3439, 3495, 3531, 3571, 3627, 3666]);
        let marshal: Vec<u8> = PyVersion::ALL
            .iter()
            .map(|v| v.table().marshal_version)
            .collect();
        assert_eq!(marshal, [4, 4, 4, 4, 4, 4, 5, 6]);
        for v in PyVersion::ALL {
            let new = v.minor() >= 14;
            assert_eq!(v.table().co_has_docstring, new.then_some(0x400_0000), "{v}");
        }
    }

    #[test]
    fn versions_parse() {
        assert_eq!(PyVersion::parse("3.11"), Some(PyVersion::V3_11));
        assert_eq!(PyVersion::parse("313"), Some(PyVersion::V3_13));
        assert_eq!(PyVersion::parse("3.7"), None);
        assert_eq!(PyVersion::V3_9.to_string(), "3.9");
    }
}
