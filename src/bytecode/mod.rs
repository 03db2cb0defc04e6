//! The instruction IR of one code object, and its exact codec.
//!
//! [`decode`] turns `co_code` plus the line table and (3.11+) exception table
//! into a [`CodeIr`]: one [`Instr`] per real instruction with EXTENDED_ARG
//! folded into the argument, inline caches skipped, jump targets as
//! instruction indices, and each instruction's source location; exception
//! entries as instruction-index ranges. [`encode`] rebuilds all three byte
//! strings from that data alone — EXTENDED_ARG widths are relaxed until
//! jump arguments are stable, caches are re-emitted as zeros, and the line
//! and exception tables are re-encoded with CPython's own writer choices — so
//! that an unchanged IR gives back the input bytes exactly.
//!
//! Two hints exist only for exactness and never change behaviour:
//! `Instr::ext` (the EXTENDED_ARG count an instruction was read with; the
//! 3.8/3.9 peephole pass pads jumps with `EXTENDED_ARG 0`) and, for 3.8/3.9,
//! [`CodeIr::lnotab_hint`] (the lnotab entries as read: that peephole pass
//! leaves entries for removed code, zero-delta entries, and entries between
//! an EXTENDED_ARG and its op, which no per-instruction line reproduces). The
//! encoder uses the hint only while it agrees with every instruction's line;
//! otherwise it writes the table from the lines alone, keeping
//! `Instr::line_start` (where 3.8/3.9 start a line range, and so report a
//! line event, without a change of line number).

mod exceptions;
mod lines;
pub mod raw;
mod stack;
#[cfg(test)]
pub(crate) mod testing;

pub use stack::{has_unreachable, stack_depth, stack_depth_into, StackReport};

use crate::version::{ArgKind, JumpKind, Op, OpInfo, PyVersion, VersionTable};

/// "No value" for the fields of a [`Loc`] (CPython uses -1 the same way).
pub const NO_POS: i32 = -1;

/// A source location. Before 3.11 only `line` is meaningful; fields without a
/// value hold [`NO_POS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    pub line: i32,
    pub end_line: i32,
    pub col: i32,
    pub end_col: i32,
}

impl Loc {
    pub const NONE: Loc = Loc {
        line: NO_POS,
        end_line: NO_POS,
        col: NO_POS,
        end_col: NO_POS,
    };

    pub fn line(line: i32) -> Loc {
        Loc { line, ..Loc::NONE }
    }

    /// The line, if any.
    pub fn lineno(&self) -> Option<i32> {
        (self.line != NO_POS).then_some(self.line)
    }
}

/// One instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instr {
    pub op: Op,
    /// EXTENDED_ARG prefixes this instruction was read with; the encoder
    /// never writes fewer (it writes more when the argument needs them).
    pub ext: u8,
    /// The full argument. For jumps: the index of the target instruction
    /// (in a `cfg::Cfg`, a jump's target is its block's `target` instead,
    /// and this is unused).
    pub arg: u32,
    pub loc: Loc,
    /// 3.8/3.9: a line-table entry with a non-zero line delta starts at this
    /// instruction, so the tracer reports a line event here even when the
    /// line number does not change (CPython's peephole pass leaves such
    /// entries for removed code). Always false on 3.10+, whose line events
    /// follow the line numbers alone.
    pub line_start: bool,
}

/// One 3.8/3.9 lnotab entry: at code unit `sub` of instruction `instr`
/// (0 = its first EXTENDED_ARG, `ext` = the op itself; `instr` may be
/// `instrs.len()` for the end of the code) the line becomes `line`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineEntry {
    pub instr: u32,
    pub sub: u8,
    pub line: i32,
}

/// A 3.11+ exception-table entry, in instruction indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionEntry {
    /// First covered instruction.
    pub start: u32,
    /// One past the last covered instruction.
    pub end: u32,
    /// Handler instruction.
    pub target: u32,
    /// Stack depth to unwind to.
    pub depth: u32,
    /// Whether the offset of the raising instruction is pushed.
    pub lasti: bool,
}

/// The decoded instructions and tables of one code object.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeIr {
    pub version: PyVersion,
    pub firstlineno: i32,
    pub instrs: Vec<Instr>,
    /// 3.11+ exception table, sorted by `start`.
    pub exceptions: Vec<ExceptionEntry>,
    /// 3.8/3.9: the `co_lnotab` entries as read (see the module docs).
    pub lnotab_hint: Vec<LineEntry>,
}

/// The three byte strings an encoded [`CodeIr`] consists of.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Encoded {
    pub code: Vec<u8>,
    pub linetable: Vec<u8>,
    pub exceptiontable: Vec<u8>,
}

/// A decode or encode failure, with the code-unit offset where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BytecodeError {
    /// Byte offset in `co_code` (or in the table named by the message).
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for BytecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at code offset {}: {}", self.offset, self.message)
    }
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, BytecodeError> {
    Err(BytecodeError {
        offset,
        message: message.into(),
    })
}

impl Instr {
    /// The generated table entry of this instruction's op.
    #[inline]
    pub fn info(&self, table: &VersionTable) -> Option<&'static OpInfo> {
        table.info(self.op)
    }
}

/// Whether execution never continues to the next instruction after `op`.
pub fn is_terminator(op: Op) -> bool {
    matches!(
        op,
        Op::RETURN_VALUE
            | Op::RETURN_CONST
            | Op::RAISE_VARARGS
            | Op::RERAISE
            | Op::JUMP_FORWARD
            | Op::JUMP_ABSOLUTE
            | Op::JUMP_BACKWARD
            | Op::JUMP_BACKWARD_NO_INTERRUPT
    )
}

/// Number of EXTENDED_ARG prefixes `arg` needs.
#[inline]
pub fn ext_needed(arg: u32) -> u8 {
    match arg {
        0..=0xff => 0,
        0x100..=0xffff => 1,
        0x1_0000..=0xff_ffff => 2,
        _ => 3,
    }
}

/// Reusable buffers for [`decode_into`], [`encode_into`] and
/// [`stack_depth_into`]: a driver that processes many code objects keeps one
/// per thread so that the codec does not allocate per code object.
#[derive(Debug, Default)]
pub struct Scratch {
    jumps: Vec<(u32, u32, u32)>,
    starts: Vec<u32>,
    shapes: Vec<Shape>,
    args: Vec<u32>,
    pub(crate) depth: Vec<i64>,
    pub(crate) handler: Vec<u32>,
    pub(crate) work: Vec<(usize, i64)>,
}

impl CodeIr {
    /// An empty IR to decode into.
    pub fn new(version: PyVersion) -> CodeIr {
        CodeIr {
            version,
            firstlineno: 0,
            instrs: Vec::new(),
            exceptions: Vec::new(),
            lnotab_hint: Vec::new(),
        }
    }

    /// Code-unit offset at which each instruction starts, plus the end, for
    /// the EXTENDED_ARG widths the instructions were read with (`ext`). For
    /// a decoded, unchanged IR these are the offsets in `co_code` (× 2 for
    /// bytes) that `dis` and jump targets use.
    pub fn unit_offsets(&self) -> Vec<u32> {
        let mut starts = Vec::new();
        self.unit_offsets_into(&mut starts);
        starts
    }

    fn unit_offsets_into(&self, starts: &mut Vec<u32>) {
        let table = self.version.table();
        starts.clear();
        starts.reserve(self.instrs.len() + 1);
        let mut off = 0u32;
        for ins in &self.instrs {
            starts.push(off);
            let caches = table.info(ins.op).map_or(0, |i| i.caches as u32);
            off += ins.ext as u32 + 1 + caches;
        }
        starts.push(off);
    }
}

/// Decodes a code object's bytecode and tables.
///
/// `exceptiontable` must be `Some` exactly for 3.11+.
pub fn decode(
    version: PyVersion,
    code: &[u8],
    linetable: &[u8],
    exceptiontable: Option<&[u8]>,
    firstlineno: i32,
) -> Result<CodeIr, BytecodeError> {
    let mut ir = CodeIr::new(version);
    decode_into(
        &mut ir,
        &mut Scratch::default(),
        code,
        linetable,
        exceptiontable,
        firstlineno,
    )?;
    Ok(ir)
}

/// [`decode`] into an existing IR (its `version` selects the format), reusing
/// its allocations and those of `scratch`.
pub fn decode_into(
    ir: &mut CodeIr,
    scratch: &mut Scratch,
    code: &[u8],
    linetable: &[u8],
    exceptiontable: Option<&[u8]>,
    firstlineno: i32,
) -> Result<(), BytecodeError> {
    let version = ir.version;
    let table = version.table();
    ir.firstlineno = firstlineno;
    ir.instrs.clear();
    ir.exceptions.clear();
    ir.lnotab_hint.clear();
    if code.len() % 2 != 0 {
        return err(code.len(), "co_code has an odd length");
    }
    let units = code.len() / 2;
    let starts = &mut scratch.starts;
    starts.clear();
    // Raw jump arguments are resolved once every instruction start is known.
    let jumps = &mut scratch.jumps;
    jumps.clear();
    let instrs = &mut ir.instrs;
    instrs.reserve(units);
    let ext_num = table.extended_arg;
    let cache_num = table.cache;
    let mut u = 0usize;
    while u < units {
        let start = u;
        let mut arg: u32 = 0;
        let mut ext = 0u8;
        let (op_byte, arg_byte) = loop {
            let (op, a) = (code[2 * u], code[2 * u + 1]);
            u += 1;
            if op != ext_num {
                break (op, a);
            }
            if ext == 3 {
                return err(2 * start, "more than three EXTENDED_ARG prefixes");
            }
            arg = (arg | a as u32) << 8;
            ext += 1;
            if u >= units {
                return err(2 * start, "EXTENDED_ARG at the end of the code");
            }
        };
        arg |= arg_byte as u32;
        let Some(info) = table.op_by_number(op_byte) else {
            let why = match table.forbidden(op_byte) {
                Some(f) => format!(
                    "{} opcode {} ({}) cannot appear in a .pyc",
                    f.why, f.name, op_byte
                ),
                None => format!("unknown opcode {op_byte} for CPython {version}"),
            };
            return err(2 * (u - 1), why);
        };
        if info.op == Op::CACHE {
            return err(2 * (u - 1), "CACHE outside an instruction's inline cache");
        }
        let caches = info.caches as usize;
        if caches > 0 {
            if u + caches > units {
                return err(
                    2 * (u - 1),
                    format!("{} is missing its inline cache", info.op.name()),
                );
            }
            let cache_unit = [cache_num.unwrap_or(0), 0];
            for c in u..u + caches {
                if code[2 * c..2 * c + 2] != cache_unit {
                    return err(
                        2 * c,
                        format!("non-zero inline cache of {}", info.op.name()),
                    );
                }
            }
            u += caches;
        }
        let idx = instrs.len() as u32;
        starts.push(start as u32);
        if info.jump != JumpKind::None {
            jumps.push((idx, start as u32, u as u32));
        }
        instrs.push(Instr {
            op: info.op,
            ext,
            arg,
            loc: Loc::NONE,
            line_start: false,
        });
    }
    starts.push(units as u32);
    // Byte-addressed jumps (3.8/3.9) vs code-unit-addressed (3.10+).
    let unit_bytes = version.facts().jump_arg_per_code_unit as usize;
    let count = instrs.len();
    for &(idx, start, end) in jumps.iter() {
        let (start, end) = (start as usize, end as usize);
        let instr = &mut instrs[idx as usize];
        let Some(info) = table.info(instr.op) else {
            continue;
        };
        let arg = instr.arg as usize;
        if matches!(info.jump, JumpKind::Forward | JumpKind::Absolute) && arg % unit_bytes != 0 {
            return err(2 * start, "odd byte offset in a jump");
        }
        let target_unit = match info.jump {
            JumpKind::Forward => end.checked_add(arg / unit_bytes),
            JumpKind::Backward => end.checked_sub(arg),
            JumpKind::Absolute => Some(arg / unit_bytes),
            JumpKind::None => None,
        };
        let target = target_unit
            .and_then(|t| index_at_unit(starts, t))
            .filter(|&t| t != u32::MAX && (t as usize) < count);
        match target {
            Some(t) => instr.arg = t,
            None => {
                return err(
                    2 * start,
                    format!(
                        "{} jumps outside the code or into an instruction",
                        instr.op.name()
                    ),
                )
            }
        }
    }
    lines::decode(ir, linetable, &scratch.starts)?;
    match (version.facts().exception_table, exceptiontable) {
        (true, Some(t)) => exceptions::decode(t, &scratch.starts, &mut ir.exceptions)?,
        (false, None) => {}
        (true, None) => return err(0, "3.11+ code object without an exception table"),
        (false, Some(_)) => return err(0, "exception table before 3.11"),
    }
    Ok(())
}

/// The instruction that starts at code unit `unit`, given every
/// instruction's start (and the end) in `starts`; `None` inside an
/// instruction. The end of the code maps to `starts.len() - 1`.
pub(crate) fn index_at_unit(starts: &[u32], unit: usize) -> Option<u32> {
    let unit = u32::try_from(unit).ok()?;
    starts.binary_search(&unit).ok().map(|i| i as u32)
}

/// Encodes a code object's IR back to `co_code`, its line table and (3.11+)
/// its exception table.
pub fn encode(ir: &CodeIr) -> Result<Encoded, BytecodeError> {
    let mut out = Encoded::default();
    encode_into(ir, &mut Scratch::default(), &mut out)?;
    Ok(out)
}

/// [`encode`] into existing buffers, reusing their allocations and those of `scratch`.
pub fn encode_into(
    ir: &CodeIr,
    scratch: &mut Scratch,
    out: &mut Encoded,
) -> Result<(), BytecodeError> {
    let version = ir.version;
    let table = version.table();
    let n = ir.instrs.len();
    let shapes = &mut scratch.shapes;
    shapes.clear();
    shapes.reserve(n);
    let args = &mut scratch.args;
    args.clear();
    args.reserve(n);
    let starts = &mut scratch.starts;
    starts.clear();
    starts.reserve(n + 1);
    let mut any_jump = false;
    let mut off = 0u32;
    for (i, ins) in ir.instrs.iter().enumerate() {
        let Some(info) = table.info(ins.op) else {
            return err(
                i,
                format!("{} does not exist in CPython {version}", ins.op.name()),
            );
        };
        let jump = info.jump != JumpKind::None;
        let width = if jump {
            if ins.arg as usize >= n {
                return err(
                    i,
                    format!("{} targets instruction {} of {n}", ins.op.name(), ins.arg),
                );
            }
            any_jump = true;
            ins.ext
        } else {
            ins.ext.max(ext_needed(ins.arg))
        };
        shapes.push(Shape {
            number: info.number,
            caches: info.caches,
            width,
            jump: info.jump,
        });
        args.push(ins.arg);
        starts.push(off);
        off += width as u32 + 1 + info.caches as u32;
    }
    starts.push(off);
    let unit_bytes = version.facts().jump_arg_per_code_unit as i64;
    // Relaxation: widths only grow, so this terminates (each of n widths
    // grows at most 3 times).
    if any_jump {
        loop {
            let mut changed = false;
            for i in 0..n {
                let sh = shapes[i];
                if sh.jump == JumpKind::None {
                    continue;
                }
                let target = starts[ir.instrs[i].arg as usize] as i64;
                let end = (starts[i] + sh.width as u32 + 1 + sh.caches as u32) as i64;
                let raw = match sh.jump {
                    JumpKind::Forward => target - end,
                    JumpKind::Backward => end - target,
                    _ => target,
                } * unit_bytes;
                if raw < 0 || raw > u32::MAX as i64 {
                    return err(
                        2 * starts[i] as usize,
                        format!(
                            "{} cannot reach instruction {} in this direction",
                            ir.instrs[i].op.name(),
                            ir.instrs[i].arg
                        ),
                    );
                }
                args[i] = raw as u32;
                let need = ext_needed(raw as u32);
                if need > sh.width {
                    shapes[i].width = need;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
            let mut off = 0u32;
            for (start, sh) in starts.iter_mut().zip(shapes.iter()) {
                *start = off;
                off += sh.width as u32 + 1 + sh.caches as u32;
            }
            starts[n] = off;
        }
    }
    // Caches are zero units; CACHE is opcode 0 in every version that has it.
    let code = &mut out.code;
    code.clear();
    code.resize(2 * starts[n] as usize, 0);
    let ext_op = table.extended_arg;
    for i in 0..n {
        let sh = shapes[i];
        let arg = args[i];
        let mut p = 2 * starts[i] as usize;
        let mut k = sh.width as u32;
        while k > 0 {
            code[p] = ext_op;
            code[p + 1] = (arg >> (8 * k)) as u8;
            p += 2;
            k -= 1;
        }
        code[p] = sh.number;
        code[p + 1] = arg as u8;
    }
    if let Some(cache) = table.cache.filter(|&c| c != 0) {
        for i in 0..n {
            let sh = shapes[i];
            let p = 2 * (starts[i] + sh.width as u32 + 1) as usize;
            for c in 0..sh.caches as usize {
                code[p + 2 * c] = cache;
            }
        }
    }
    out.linetable.clear();
    lines::encode(ir, starts, &mut out.linetable);
    out.exceptiontable.clear();
    if version.facts().exception_table {
        exceptions::encode(&ir.exceptions, starts, &mut out.exceptiontable)?;
    }
    Ok(())
}

/// What the encoder needs of one instruction, packed.
#[derive(Clone, Copy, Debug)]
struct Shape {
    number: u8,
    caches: u8,
    width: u8,
    jump: JumpKind,
}

/// Whether `op` is a jump in `table`'s version.
pub fn is_jump(table: &VersionTable, op: Op) -> bool {
    table.info(op).is_some_and(|i| i.jump != JumpKind::None)
}

/// The argument kind of `op` in `table`'s version.
pub fn arg_kind(table: &VersionTable, op: Op) -> ArgKind {
    table.info(op).map_or(ArgKind::Other, |i| i.arg_kind)
}
