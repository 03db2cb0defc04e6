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
//! then the same on every path). Where line events depend only on the
//! instructions executed (3.10/3.11, or lines not compared), jumps are also
//! threaded through forward jumps, a forward jump to a backward jump is
//! written as that backward jump, and unreachable instructions are dropped
//! (undoing jump threading and unreachable-code removal). Jump targets and
//! exception-table entries are renumbered accordingly. Everything else must be identical: each
//! instruction's op and argument (constants and names through the same
//! tables), its exception handler (target, depth, `lasti`) and, when lines
//! are compared, its line and line-start mark.
//!
//! This is what the optimizer's commonest rewrites produce (fused loads,
//! dropped `NOP`s, `EXTENDED_ARG`s); the rest are walked.

use super::Code;
use crate::bytecode::Instr;
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

/// An unconditional jump the walk treats as structure (a forward jump:
/// no step, no eval-breaker check), with its target.
fn forward_hop(instrs: &[Instr], i: usize) -> Option<usize> {
    let ins = &instrs[i];
    let t = ins.arg as usize;
    (matches!(ins.op, Op::JUMP_FORWARD | Op::JUMP_ABSOLUTE) && t > i && t < instrs.len())
        .then_some(t)
}

/// Whether the lines executed along `seq` (previous instruction, hops,
/// arrival), consecutive repeats collapsed, are those of jumping from the
/// first straight to the last, under the 3.10/3.11 rule (an event where
/// the line differs from the previously executed instruction's). Line-less
/// instructions are never skipped over.
fn same_events(seq: &[i32]) -> bool {
    if seq.iter().any(|&l| l < 0) {
        return false;
    }
    let mut collapsed = seq.to_vec();
    collapsed.dedup();
    let (first, last) = (seq[0], seq[seq.len() - 1]);
    if first == last {
        collapsed == [first]
    } else {
        collapsed == [first, last]
    }
}

/// Where the jump of instruction `i` (target `t`, forward) lands once it
/// follows unconditional forward jumps: each hop has no effect, and when
/// lines are compared (3.10/3.11 only) the line events are those of the
/// hops (`same_events`).
fn thread(instrs: &[Instr], i: usize, t: usize, lines: bool) -> usize {
    let mut chain = vec![t];
    while let Some(next) = forward_hop(instrs, chain[chain.len() - 1]) {
        chain.push(next);
    }
    if !lines {
        return chain[chain.len() - 1];
    }
    // The farthest landing whose line events are unchanged.
    let line = |k: usize| instrs[k].loc.line;
    for end in (1..chain.len()).rev() {
        let mut seq = vec![line(i)];
        seq.extend(chain[..=end].iter().map(|&k| line(k)));
        if same_events(&seq) {
            return chain[end];
        }
    }
    t
}

fn normal_form(code: &Code<'_, '_>, lines: bool) -> Option<Vec<Norm>> {
    let ir = code.ir;
    let table = ir.version.table();
    let instrs = &ir.instrs;
    let n = instrs.len();
    let facts = ir.version.facts();
    // 3.10/3.11 line events depend only on the instructions executed (not
    // on the layout): jumps may be threaded through forward jumps and
    // unreachable code dropped there, and everywhere when lines are not
    // compared.
    let prev_line_rule = !facts.line_events_at_lnotab_entries && !facts.line_starts_follow_layout;
    let flow = !lines || prev_line_rule;
    let is_jump = |op: Op| -> Option<bool> {
        let info = table.info(op)?;
        Some(info.arg_kind == ArgKind::Jump || info.jump != JumpKind::None)
    };
    // Each jump's target, threaded through forward jumps where that is the
    // same execution (not a handler's: `SETUP_*` targets are entered from
    // the instruction that raised).
    let mut target = vec![None; n];
    for (i, ins) in instrs.iter().enumerate() {
        if is_jump(ins.op)? {
            let t = ins.arg as usize;
            if t > n {
                return None;
            }
            let threadable = flow && t > i && t < n && !ins.op.name().starts_with("SETUP_");
            target[i] = Some(if threadable {
                thread(instrs, i, t, lines)
            } else {
                t
            });
        }
    }
    // A forward jump landing on a backward jump is that backward jump
    // (same eval-breaker check and event after it) when both have the same
    // handler and, when lines are compared, the same line, and the backward
    // jump lands before the first jump (3.10 reports a backward jump only
    // to an earlier offset): it is written as that jump.
    let entry_of = |i: usize| {
        ir.exceptions
            .iter()
            .find(|e| (e.start as usize..e.end as usize).contains(&i))
            .map(|e| (e.target, e.depth, e.lasti))
    };
    let mut copy_of = vec![None; n];
    for (i, ins) in instrs.iter().enumerate() {
        let Some(t) = target[i] else { continue };
        if !flow || t <= i || t >= n {
            continue;
        }
        let back = &instrs[t];
        let lands = back.arg as usize;
        if !matches!(back.op, Op::JUMP_BACKWARD | Op::JUMP_ABSOLUTE)
            || lands >= i
            || (lines && back.loc.line != ins.loc.line)
            || entry_of(i) != entry_of(t)
        {
            continue;
        }
        // The same jump taken backward: the op that does it.
        let absolute = table.info(ins.op)?.jump == JumpKind::Absolute;
        let op = match ins.op {
            Op::JUMP_FORWARD | Op::JUMP_ABSOLUTE => back.op,
            Op::POP_JUMP_FORWARD_IF_FALSE => Op::POP_JUMP_BACKWARD_IF_FALSE,
            Op::POP_JUMP_FORWARD_IF_TRUE => Op::POP_JUMP_BACKWARD_IF_TRUE,
            Op::POP_JUMP_FORWARD_IF_NONE => Op::POP_JUMP_BACKWARD_IF_NONE,
            Op::POP_JUMP_FORWARD_IF_NOT_NONE => Op::POP_JUMP_BACKWARD_IF_NOT_NONE,
            Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_IF_TRUE if absolute => ins.op,
            _ => continue,
        };
        copy_of[i] = Some(op);
        target[i] = Some(lands);
    }
    // Reachable instructions: from the entry and every handler, along
    // fall-through and jumps (all kept when the layout matters to lines).
    let mut live = vec![!flow; n];
    if flow {
        let mut todo: Vec<usize> = vec![0];
        todo.extend(ir.exceptions.iter().map(|e| e.target as usize));
        while let Some(i) = todo.pop() {
            if i >= n || live[i] {
                continue;
            }
            live[i] = true;
            if let Some(t) = target[i] {
                todo.push(t);
            }
            if !crate::bytecode::is_terminator(instrs[i].op) {
                todo.push(i + 1);
            }
        }
    }
    // Which NOPs are dropped, and where each instruction lands.
    let dropped = |i: usize| {
        let ins = &instrs[i];
        !live[i]
            || ins.op == Op::NOP
                && (!lines
                    || instrs.get(i + 1).is_some_and(|next| {
                        // Not a line start by any version's rule (a mark, or
                        // a line other than the instruction before: a jump
                        // to it and one to `next` report the same events).
                        !ins.line_start
                            && !next.line_start
                            && next.loc.line == ins.loc.line
                            && i > 0
                            && instrs[i - 1].loc.line == ins.loc.line
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
            // 3.10/3.11 events do not read the line-start marks.
            (ins.loc.line, ins.line_start && !prev_line_rule)
        } else {
            (0, false)
        };
        if let Some((first, second)) = halves(ins.op) {
            out.push((first, ins.arg >> 4, line, start, handler[i]));
            out.push((second, ins.arg & 15, line, false, handler[i]));
            continue;
        }
        let arg = if let Some(t) = target[i] {
            *at.get(t)?
        } else {
            ins.arg
        };
        let op = match ins.op {
            _ if copy_of[i].is_some() => copy_of[i]?,
            Op::LOAD_FAST_BORROW => Op::LOAD_FAST,
            op => op,
        };
        out.push((op, arg, line, start, handler[i]));
    }
    Some(out)
}
