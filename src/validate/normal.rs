//! A shortcut before the walk: two code objects whose instructions are the
//! same once written in a normal form are equivalent without walking them.
//!
//! The normal form rewrites only what the walk itself treats as structure
//! with no effect, each a rewrite CPython executes identically:
//! superinstructions become their two halves (3.13+), a borrowed load
//! (`LOAD_FAST_BORROW`, 3.14+) a plain one, and `NOP`s are dropped — all of
//! them when lines are not compared, else only a `NOP` on the same line as
//! the instruction after it with no line-table entry start on either (the
//! lines executed between two effects, consecutive repeats collapsed, are
//! then the same on every path). Jump targets and exception-table entries
//! are renumbered accordingly. Everything else must be identical: each
//! instruction's op and argument (constants and names through the same
//! tables), its exception handler (target, depth, `lasti`) and, when lines
//! are compared, its line and line-start mark.
//!
//! This is what the optimizer's commonest rewrites produce (fused loads,
//! dropped `NOP`s, `EXTENDED_ARG`s); the rest are walked.

use super::Code;
use crate::version::{ArgKind, JumpKind, Op};

/// One instruction of the normal form: op, argument (jumps renumbered),
/// line and line start (when compared), handler (target renumbered, depth,
/// `lasti`).
type Norm = (Op, u32, i32, bool, Option<(u32, u32, bool)>);

/// Whether the two code objects have the same normal form (`false` also
/// when it cannot be built: then the walk decides).
pub(crate) fn same(a: &Code<'_, '_>, b: &Code<'_, '_>, lines: bool) -> bool {
    if !std::ptr::eq(a.arena, b.arena) || a.consts != b.consts || a.names != b.names {
        return false;
    }
    match (normal_form(a, lines), normal_form(b, lines)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The halves of a superinstruction (both args are 4-bit locals).
fn halves(op: Op) -> Option<(Op, Op)> {
    Some(match op {
        Op::LOAD_FAST_LOAD_FAST | Op::LOAD_FAST_BORROW_LOAD_FAST_BORROW => {
            (Op::LOAD_FAST, Op::LOAD_FAST)
        }
        Op::STORE_FAST_LOAD_FAST => (Op::STORE_FAST, Op::LOAD_FAST),
        Op::STORE_FAST_STORE_FAST => (Op::STORE_FAST, Op::STORE_FAST),
        _ => return None,
    })
}

fn normal_form(code: &Code<'_, '_>, lines: bool) -> Option<Vec<Norm>> {
    let ir = code.ir;
    let table = ir.version.table();
    let instrs = &ir.instrs;
    let n = instrs.len();
    // Which NOPs are dropped, and where each instruction lands.
    let dropped = |i: usize| {
        let ins = &instrs[i];
        ins.op == Op::NOP
            && (!lines
                || instrs.get(i + 1).is_some_and(|next| {
                    !ins.line_start && !next.line_start && next.loc.line == ins.loc.line
                }))
    };
    let mut at = Vec::with_capacity(n + 1);
    let mut count = 0u32;
    for (i, ins) in instrs.iter().enumerate() {
        at.push(count);
        count += match () {
            _ if dropped(i) => 0,
            _ if halves(ins.op).is_some() => 2,
            _ => 1,
        };
    }
    at.push(count);
    let mut handler = vec![None; n];
    for e in &ir.exceptions {
        let target = *at.get(e.target as usize)?;
        for h in handler
            .iter_mut()
            .take(e.end as usize)
            .skip(e.start as usize)
        {
            *h = Some((target, e.depth, e.lasti));
        }
    }
    let mut out = Vec::with_capacity(count as usize);
    for (i, ins) in instrs.iter().enumerate() {
        if dropped(i) {
            continue;
        }
        let (line, start) = if lines {
            (ins.loc.line, ins.line_start)
        } else {
            (0, false)
        };
        if let Some((first, second)) = halves(ins.op) {
            out.push((first, ins.arg >> 4, line, start, handler[i]));
            out.push((second, ins.arg & 15, line, false, handler[i]));
            continue;
        }
        let info = table.info(ins.op)?;
        let arg = if info.arg_kind == ArgKind::Jump || info.jump != JumpKind::None {
            *at.get(ins.arg as usize)?
        } else {
            ins.arg
        };
        let op = match ins.op {
            Op::LOAD_FAST_BORROW => Op::LOAD_FAST,
            op => op,
        };
        out.push((op, arg, line, start, handler[i]));
    }
    Some(out)
}
