//! Facts read off a code object's raw `co_code` without decoding it: which
//! opcodes (and which pairs of consecutive instructions) it holds, how many
//! instructions it has, and whether some instruction is reached by no path.
//! The pass manager asks these before decoding a code object, so that code
//! objects no pass can change are never decoded (no instruction list, no
//! location table, no CFG).
//!
//! Every function answers `None` where the bytes are not what [`super::decode`]
//! would accept in the same place (an unknown or forbidden opcode, a stray
//! `CACHE`, a non-zero inline cache, a dangling `EXTENDED_ARG`, a jump into an
//! instruction, a malformed exception table): the caller then decodes the
//! code object fully, and the decoder reports the error as before.

use super::{exceptions, ExceptionEntry};
use crate::version::{JumpKind, Op, PyVersion, VersionTable};

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
    /// Terms that hold when the opcode appears with the argument 0.
    pub zero: [u64; 256],
}

impl Default for TermBits {
    fn default() -> Self {
        TermBits {
            op: [0; 256],
            first: [0; 256],
            second: [0; 256],
            zero: [0; 256],
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

/// One walk over the code units: the terms of `bits` that hold. A pair term
/// holds where an instruction is followed by another, past any `NOP`s (so
/// both "adjacent" and "adjacent past NOPs" conditions of the passes imply
/// it). `None` where the decoder would reject the code.
pub fn scan(code: &[u8], table: &VersionTable, bits: &TermBits) -> Option<Scan> {
    if code.len() % 2 != 0 {
        return None;
    }
    let nop = table.info(Op::NOP).map_or(u16::MAX, |i| i.number as u16);
    let cache_unit = [table.cache.unwrap_or(0), 0];
    let (mut seen, mut prev_first, mut instructions) = (0u64, 0u64, 0u32);
    let mut u = 0usize;
    let units = code.len() / 2;
    while u < units {
        let mut ext = 0u8;
        let mut arg = 0u32;
        let (op, a) = loop {
            let (op, a) = (code[2 * u], code[2 * u + 1]);
            u += 1;
            if op != table.extended_arg {
                break (op, a);
            }
            if ext == 3 || u >= units {
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
        let caches = info.caches as usize;
        if caches > 0 {
            let cached = code.get(2 * u..2 * (u + caches))?;
            if cached.chunks_exact(2).any(|c| c != cache_unit) {
                return None;
            }
            u += caches;
        }
        instructions += 1;
        let k = op as usize;
        seen |= bits.op[k] | (bits.second[k] & prev_first);
        if arg == 0 {
            seen |= bits.zero[k];
        }
        if op as u16 != nop {
            prev_first = bits.first[k];
        }
    }
    Some(Scan { instructions, seen })
}

/// Buffers for [`has_unreachable`], reused across code objects.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Code unit at which each instruction starts, then the end of the code.
    starts: Vec<u32>,
    /// Per instruction: its op and, for a jump, its target unit.
    instrs: Vec<(Op, u32)>,
    /// Per instruction: its target instruction (jumps that transfer control).
    target: Vec<u32>,
    exceptions: Vec<ExceptionEntry>,
    handler: Vec<u32>,
    seen: Vec<bool>,
    work: Vec<usize>,
}

const NO_TARGET: u32 = u32::MAX;

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
    let table = version.table();
    if code.len() % 2 != 0 {
        return None;
    }
    let units = code.len() / 2;
    s.starts.clear();
    s.instrs.clear();
    let mut u = 0usize;
    while u < units {
        let start = u;
        let mut ext = 0u8;
        let mut arg = 0u32;
        let (op, a) = loop {
            let (op, a) = (code[2 * u], code[2 * u + 1]);
            u += 1;
            if op != table.extended_arg {
                break (op, a);
            }
            if ext == 3 || u >= units {
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
        u += info.caches as usize;
        if u > units {
            return None;
        }
        // Byte-addressed jumps (3.8/3.9) vs code-unit-addressed (3.10+).
        let unit_bytes = version.facts().jump_arg_per_code_unit as usize;
        let arg = arg as usize;
        if matches!(info.jump, JumpKind::Forward | JumpKind::Absolute) && arg % unit_bytes != 0 {
            return None;
        }
        let target = match info.jump {
            JumpKind::None => Some(NO_TARGET as usize),
            JumpKind::Forward => u.checked_add(arg / unit_bytes),
            JumpKind::Backward => u.checked_sub(arg),
            JumpKind::Absolute => Some(arg / unit_bytes),
        }?;
        s.starts.push(start as u32);
        s.instrs.push((info.op, u32::try_from(target).ok()?));
    }
    s.starts.push(units as u32);
    let n = s.instrs.len();
    if n == 0 {
        return Some(false);
    }
    let flows = super::stack::flow_table(version);
    s.target.clear();
    for &(op, t) in &s.instrs {
        if t == NO_TARGET {
            s.target.push(NO_TARGET);
            continue;
        }
        let i = super::index_at_unit(&s.starts, t as usize).filter(|&i| (i as usize) < n)?;
        s.target.push(if flows[op as usize].jump {
            i
        } else {
            NO_TARGET
        });
    }
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
            visit(s.target[i], work);
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
