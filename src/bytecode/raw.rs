//! Facts read off a code object's raw `co_code` without decoding it: which
//! opcodes (and which pairs of consecutive instructions) it holds, how many
//! instructions it has, and whether some instruction is reached by no path.
//! The pass manager asks these before decoding a code object, so that code
//! objects no pass can change are never decoded (no instruction list, no
//! location table, no CFG).
//!
//! Every function answers `None` where the bytes it reads are not what
//! [`super::decode`] would accept (an unknown or forbidden opcode, a stray
//! `CACHE`, a non-zero inline cache, a dangling `EXTENDED_ARG`; for the
//! walks also a jump into an instruction, a malformed exception table or
//! the part of a location table they read): the caller then decodes the
//! code object fully, and the decoder reports the error as before. What
//! they do not read (the line table of most code objects, their jump
//! targets) is not checked: a code object no pass may change is kept byte
//! for byte without it (`pyopt verify` decodes everything).

use super::{exceptions, ExceptionEntry};
use crate::version::{JumpKind, Op, OpInfo, PyVersion, VersionTable};

/// Per opcode byte, the bits of the terms an instruction with that opcode
/// can make true (a term is one bit of a `u64`).
#[derive(Clone, Debug)]
pub struct TermBits {
    /// Terms that hold as soon as the opcode appears.
    pub op: [u64; 256],
    /// Pair terms whose first instruction may have this opcode.
    pub first: [u64; 256],
    /// Pair terms whose second instruction may have this opcode.
    pub second: [u64; 256],
    /// Pair terms that need both arguments below 16.
    pub small: u64,
    /// Pair terms that need both instructions on one line (decided by
    /// [`same_line`] on the candidates [`scan`] records).
    pub one_line: u64,
    /// The term "a `NOP` has the line of the instruction laid out right
    /// before or right after it" (0: none).
    pub nop_beside_its_line: u64,
    /// Terms that hold when the opcode comes right after (past `NOP`s) at
    /// least one constant load, at least two, or at least as many as its
    /// argument.
    pub after1: [u64; 256],
    pub after2: [u64; 256],
    pub after_arg: [u64; 256],
    /// The constant loads.
    pub const_load: [bool; 256],
}

impl Default for TermBits {
    fn default() -> Self {
        TermBits {
            op: [0; 256],
            first: [0; 256],
            second: [0; 256],
            small: 0,
            one_line: 0,
            nop_beside_its_line: 0,
            after1: [0; 256],
            after2: [0; 256],
            after_arg: [0; 256],
            const_load: [false; 256],
        }
    }
}

/// What [`scan`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scan {
    /// Instructions, without `EXTENDED_ARG` prefixes and inline caches (the
    /// length of the decoded instruction list).
    pub instructions: u32,
    /// The terms that hold.
    pub seen: u64,
}

/// A term that holds if the instructions starting at these two code units
/// have the same line (see [`same_line`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCandidate {
    pub term: u64,
    pub first: u32,
    pub second: u32,
}

/// Candidates recorded per code object before the terms they stand for
/// are taken as holding without a line check.
const MAX_CANDIDATES: usize = 64;

/// One walk over the code units: the terms of `bits` that hold. A pair term
/// holds where an instruction is followed by another, past any `NOP`s (so
/// both "adjacent" and "adjacent past NOPs" conditions of the passes imply
/// it); constant loads are counted past `NOP`s too. `None` where the
/// decoder would reject the code.
pub fn scan(
    code: &[u8],
    table: &VersionTable,
    bits: &TermBits,
    candidates: &mut Vec<LineCandidate>,
) -> Option<Scan> {
    candidates.clear();
    if code.len() % 2 != 0 {
        return None;
    }
    let nop = table.info(Op::NOP).map_or(u16::MAX, |i| i.number as u16);
    let cache_unit = [table.cache.unwrap_or(0), 0];
    let (mut seen, mut prev_first, mut instructions) = (0u64, 0u64, 0u32);
    // Constant loads right before the instruction (past NOPs).
    let mut consts = 0u32;
    // Where the last instruction, and the last one that is not a NOP, start;
    // a NOP whose line the next instruction may share.
    let (mut prev_unit, mut prev_real_unit, mut open_nop) = (None::<u32>, 0u32, None::<u32>);
    let mut record = |seen: &mut u64, term: u64, first: u32, second: u32| {
        if candidates.len() < MAX_CANDIDATES {
            candidates.push(LineCandidate {
                term,
                first,
                second,
            });
        } else {
            *seen |= term;
        }
    };
    let mut u = 0usize;
    let units = code.len() / 2;
    while u < units {
        let start = u as u32;
        let (op, arg, info) = read_op(code, &mut u, units, table)?;
        let caches = info.caches as usize;
        if caches > 0 {
            let cached = code.get(2 * u..2 * (u + caches))?;
            let bad = if cache_unit == [0, 0] {
                cached.iter().any(|&b| b != 0)
            } else {
                cached.chunks_exact(2).any(|c| c != cache_unit)
            };
            if bad {
                return None;
            }
            u += caches;
        }
        instructions += 1;
        let k = op as usize;
        let keep = if arg >= 16 { !bits.small } else { u64::MAX };
        let pair = bits.second[k] & keep & prev_first & !seen;
        seen |= bits.op[k] | (pair & !bits.one_line);
        if pair & bits.one_line != 0 {
            record(&mut seen, pair & bits.one_line, prev_real_unit, start);
        }
        if consts > 0 {
            seen |= bits.after1[k];
            if consts > 1 {
                seen |= bits.after2[k];
            }
        }
        if consts >= arg {
            seen |= bits.after_arg[k];
        }
        let nop_term = bits.nop_beside_its_line & !seen;
        if let Some(n) = open_nop.take() {
            if nop_term != 0 {
                record(&mut seen, nop_term, n, start);
            }
        }
        if op as u16 == nop {
            if nop_term != 0 {
                if let Some(p) = prev_unit {
                    record(&mut seen, nop_term, p, start);
                }
                open_nop = Some(start);
            }
        } else {
            prev_first = bits.first[k] & keep;
            prev_real_unit = start;
            consts = if bits.const_load[k] { consts + 1 } else { 0 };
        }
        prev_unit = Some(start);
    }
    Some(Scan { instructions, seen })
}

/// The terms among `candidates` whose two instructions have the same line
/// (both without one counts as the same, as for decoded instructions),
/// from a 3.11+ location table; `None` for other line tables or a table
/// the decoder would reject.
pub fn same_line(
    candidates: &[LineCandidate],
    linetable: &[u8],
    firstlineno: i32,
    version: PyVersion,
    units: &mut Vec<(u32, i32)>,
) -> Option<u64> {
    if !matches!(
        version.facts().line_table,
        crate::version::LineTable::Locations { .. }
    ) {
        return None;
    }
    units.clear();
    for c in candidates {
        units.push((c.first, super::NO_POS));
        units.push((c.second, super::NO_POS));
    }
    units.sort_unstable();
    units.dedup();
    // The walk of `lines::decode_locations`, keeping only the line.
    let mut p = 0usize;
    let mut line = firstlineno;
    let mut unit = 0u32;
    let mut next = 0usize;
    let byte = |p: &mut usize| -> Option<u8> {
        let b = linetable.get(*p).copied();
        *p += 1;
        b
    };
    let varint = |p: &mut usize| -> Option<u32> {
        let mut b = byte(p)?;
        let mut v = (b & 63) as u32;
        let mut shift = 0;
        while b & 64 != 0 {
            b = byte(p)?;
            shift += 6;
            if shift > 30 {
                return None;
            }
            v |= ((b & 63) as u32) << shift;
        }
        Some(v)
    };
    let svarint = |p: &mut usize| -> Option<i32> {
        let u = varint(p)?;
        Some(if u & 1 != 0 {
            -((u >> 1) as i32)
        } else {
            (u >> 1) as i32
        })
    };
    while p < linetable.len() {
        let first = byte(&mut p)?;
        if first & 0x80 == 0 {
            return None;
        }
        let code = (first >> 3) & 15;
        let len = (first & 7) as u32 + 1;
        let entry_line = match code {
            15 => super::NO_POS,
            14 => {
                line = line.wrapping_add(svarint(&mut p)?);
                varint(&mut p)?;
                varint(&mut p)?;
                varint(&mut p)?;
                line
            }
            13 => {
                line = line.wrapping_add(svarint(&mut p)?);
                line
            }
            10..=12 => {
                line = line.wrapping_add(code as i32 - 10);
                byte(&mut p)?;
                byte(&mut p)?;
                line
            }
            _ => {
                byte(&mut p)?;
                line
            }
        };
        let end = unit + len;
        while next < units.len() && units[next].0 < end {
            if units[next].0 >= unit {
                units[next].1 = entry_line;
            }
            next += 1;
        }
        unit = end;
        if next == units.len() {
            // The rest of the table only matters to the decoder, which
            // runs on these code objects anyway if a term holds; where none
            // holds, a malformed tail is not looked at.
            break;
        }
    }
    let line_of = |u: u32| {
        units
            .binary_search_by_key(&u, |x| x.0)
            .map_or(super::NO_POS, |i| units[i].1)
    };
    Some(
        candidates
            .iter()
            .filter(|c| line_of(c.first) == line_of(c.second))
            .fold(0, |acc, c| acc | c.term),
    )
}

/// Buffers for [`has_unreachable`], reused across code objects.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Code unit at which each instruction starts, then the end of the code.
    starts: Vec<u32>,
    /// Per instruction: its op, its opcode byte and, for a jump, its target
    /// unit.
    instrs: Vec<(Op, u8, u32)>,
    /// Per code unit: the instruction starting there (`NO_TARGET` inside
    /// one), then the end of the code.
    index: Vec<u32>,
    /// Per instruction: its target instruction, if it is a jump.
    target: Vec<u32>,
    exceptions: Vec<ExceptionEntry>,
    handler: Vec<u32>,
    seen: Vec<bool>,
    work: Vec<usize>,
    /// Whether `starts`, `instrs` and `target` hold the current code object.
    built: bool,
}

const NO_TARGET: u32 = u32::MAX;

impl Scratch {
    /// Forgets the code object the tables were built for.
    pub fn reset(&mut self) {
        self.built = false;
    }

    /// Builds `starts`, `instrs` and `target` for `code` (once per code
    /// object, see [`Scratch::reset`]). `None` where the decoder would reject
    /// the code.
    fn build(&mut self, code: &[u8], version: PyVersion) -> Option<()> {
        if self.built {
            return Some(());
        }
        let s = self;
        let table = version.table();
        if code.len() % 2 != 0 {
            return None;
        }
        let units = code.len() / 2;
        s.starts.clear();
        s.instrs.clear();
        // Byte-addressed jumps (3.8/3.9) vs code-unit-addressed (3.10+).
        let unit_bytes = version.facts().jump_arg_per_code_unit as usize;
        let mut u = 0usize;
        while u < units {
            let start = u;
            let (op, arg, info) = read_op(code, &mut u, units, table)?;
            u += info.caches as usize;
            if u > units {
                return None;
            }
            let arg = arg as usize;
            if matches!(info.jump, JumpKind::Forward | JumpKind::Absolute) && arg % unit_bytes != 0
            {
                return None;
            }
            let target = match info.jump {
                JumpKind::None => Some(NO_TARGET as usize),
                JumpKind::Forward => u.checked_add(arg / unit_bytes),
                JumpKind::Backward => u.checked_sub(arg),
                JumpKind::Absolute => Some(arg / unit_bytes),
            }?;
            s.starts.push(start as u32);
            s.instrs.push((info.op, op, u32::try_from(target).ok()?));
        }
        s.starts.push(units as u32);
        // Jump targets as instruction indices.
        let n = s.instrs.len();
        s.index.clear();
        s.index.resize(units + 1, NO_TARGET);
        for (i, &u) in s.starts.iter().enumerate() {
            s.index[u as usize] = i as u32;
        }
        s.target.clear();
        for &(_, _, t) in &s.instrs {
            if t == NO_TARGET {
                s.target.push(NO_TARGET);
                continue;
            }
            let i = *s.index.get(t as usize)?;
            if i as usize >= n {
                return None;
            }
            s.target.push(i);
        }
        s.built = true;
        Some(())
    }
}

/// The ops of `jump-threading`'s three shapes (see [`jump_shapes`]).
#[derive(Clone, Copy, Debug)]
pub struct JumpShapes {
    /// Every jump the pass threads.
    pub jumps: &'static [Op],
    pub unconditional: &'static [Op],
    /// The conditional jumps it inverts.
    pub conditional: &'static [Op],
}

/// [`JumpShapes`] of one version by opcode byte.
#[derive(Clone, Debug)]
pub struct JumpClasses([u8; 256]);

const JUMP: u8 = 1;
const UNCONDITIONAL: u8 = 2;
const CONDITIONAL: u8 = 4;

impl JumpClasses {
    pub fn new(shapes: &JumpShapes, table: &VersionTable) -> JumpClasses {
        let mut c = [0u8; 256];
        for (ops, class) in [
            (shapes.jumps, JUMP),
            (shapes.unconditional, UNCONDITIONAL),
            (shapes.conditional, CONDITIONAL),
        ] {
            for &op in ops {
                if let Some(info) = table.info(op) {
                    c[info.number as usize] |= class;
                }
            }
        }
        JumpClasses(c)
    }
}

/// Whether the code holds one of `jump-threading`'s shapes, for a jump `x`
/// at `i` to `t`: `t > i` holds an unconditional jump (on `x`'s line),
/// `x` is unconditional and `t == i + 1`, or (where unreachable code is not
/// observable) `x` is conditional, `t == i + 2` and `i + 1` holds an
/// unconditional jump (on `x`'s line). The line conditions are left to the
/// caller as candidates for `term` in `candidates`; `Some(true)` where a
/// shape without one was found, `None` where the decoder would reject the
/// code.
pub fn jump_shapes(
    code: &[u8],
    version: PyVersion,
    classes: &JumpClasses,
    term: u64,
    candidates: &mut Vec<LineCandidate>,
    s: &mut Scratch,
) -> Option<bool> {
    s.build(code, version)?;
    let facts = version.facts();
    let n = s.instrs.len();
    let class = |i: usize| s.instrs.get(i).map_or(0, |x| classes.0[x.1 as usize]);
    for i in 0..n {
        let c = class(i);
        if c & JUMP == 0 {
            continue;
        }
        let t = s.target[i] as usize;
        if t == NO_TARGET as usize {
            continue;
        }
        if c & UNCONDITIONAL != 0 && t == i + 1 {
            return Some(true);
        }
        let mut candidate = |second: usize| {
            if candidates.len() >= MAX_CANDIDATES {
                return true;
            }
            candidates.push(LineCandidate {
                term,
                first: s.starts[i],
                second: s.starts[second],
            });
            false
        };
        if t > i && class(t) & UNCONDITIONAL != 0 && candidate(t) {
            return Some(true);
        }
        if c & CONDITIONAL != 0
            && !facts.unreachable_code_observable
            && t == i + 2
            && class(i + 1) & UNCONDITIONAL != 0
            && candidate(i + 1)
        {
            return Some(true);
        }
    }
    Some(false)
}

/// Whether some instruction is reached by no path: exactly
/// [`super::has_unreachable`] of the decoded code (fall-through, jumps that
/// transfer control, 3.11+ exception handlers of covered instructions),
/// computed from the raw `co_code` and exception table. `None` where the
/// decoder would reject the code.
pub fn has_unreachable(
    code: &[u8],
    exceptiontable: Option<&[u8]>,
    version: PyVersion,
    s: &mut Scratch,
) -> Option<bool> {
    s.build(code, version)?;
    let n = s.instrs.len();
    if n == 0 {
        return Some(false);
    }
    let flows = super::stack::flow_table(version);
    s.exceptions.clear();
    match (version.facts().exception_table, exceptiontable) {
        (true, Some(t)) => exceptions::decode(t, &s.starts, &mut s.exceptions).ok()?,
        (false, None) => {}
        _ => return None,
    }
    s.handler.clear();
    if !s.exceptions.is_empty() {
        s.handler.resize(n, NO_TARGET);
        for e in &s.exceptions {
            for h in s
                .handler
                .iter_mut()
                .take((e.end as usize).min(n))
                .skip(e.start as usize)
            {
                *h = e.target;
            }
        }
    }
    // The walk of `stack::has_unreachable`, on these tables.
    let seen = &mut s.seen;
    seen.clear();
    seen.resize(n, false);
    let work = &mut s.work;
    work.clear();
    seen[0] = true;
    work.push(0);
    let mut reached = 1usize;
    while let Some(start) = work.pop() {
        let mut i = start;
        loop {
            let flow = flows[s.instrs[i].0 as usize];
            if !flow.known {
                break;
            }
            let mut visit = |t: u32, work: &mut Vec<usize>| {
                let t = t as usize;
                if t < n && !seen[t] {
                    seen[t] = true;
                    reached += 1;
                    work.push(t);
                }
            };
            if let Some(&h) = s.handler.get(i) {
                visit(h, work);
            }
            if flow.jump {
                visit(s.target[i], work);
            }
            if flow.terminator || i + 1 >= n || seen[i + 1] {
                break;
            }
            seen[i + 1] = true;
            reached += 1;
            i += 1;
        }
    }
    Some(reached < n)
}

/// Reads the instruction at code unit `*u` with its `EXTENDED_ARG`
/// prefixes: its opcode byte, full argument and table entry; `*u` ends past
/// it (before its inline caches). `None` where the decoder would reject it
/// (more than three prefixes, prefixes at the end, an unknown op, a `CACHE`).
#[inline]
fn read_op(
    code: &[u8],
    u: &mut usize,
    units: usize,
    table: &VersionTable,
) -> Option<(u8, u32, &'static OpInfo)> {
    let mut ext = 0u8;
    let mut arg = 0u32;
    let (op, a) = loop {
        let (op, a) = (code[2 * *u], code[2 * *u + 1]);
        *u += 1;
        if op != table.extended_arg {
            break (op, a);
        }
        if ext == 3 || *u >= units {
            return None;
        }
        arg = (arg | a as u32) << 8;
        ext += 1;
    };
    arg |= a as u32;
    let info = table.op_by_number(op)?;
    if info.op == Op::CACHE {
        return None;
    }
    Some((op, arg, info))
}
