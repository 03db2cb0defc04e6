//! Loop rotation: a `while` loop's test is copied to the end of its body, saving one jump per iteration.
//!
//! What it does: CPython 3.8 and 3.9 compile `while <test>: <body>` with
//! the test at the top and an unconditional jump back to it:
//!
//! ```text
//! top:  <test>; POP_JUMP_IF_FALSE exit     (a chain of such blocks for `and`/`or`)
//! body: ...; JUMP_ABSOLUTE top             (the latch; `continue` makes more latches)
//! exit: ...                                (or the loop's `else:` clause)
//! ```
//!
//! Each latch `JUMP_ABSOLUTE top` is replaced by a copy of the test blocks,
//! laid out right after the latch, whose last jump is inverted to go back
//! to the body (`POP_JUMP_IF_TRUE body`) and which falls through (or, for a
//! latch that is not the last block of the loop, jumps forward) to `exit`.
//! The original test stays for the first iteration and for the jumps
//! (`continue`s the pass does not rotate, and other code) that still go to
//! `top`. An iteration that ends at a rotated latch runs one instruction
//! fewer; a loop exit through a rotated latch that is not laid out before
//! `exit` runs one more (the forward jump to `exit`). Only small tests are
//! copied: at most 4 blocks and 16 instructions of plain loads, calls,
//! operators and comparisons (no `SETUP_*`, `POP_BLOCK`, `FOR_ITER`, yields
//! or jumps other than the chain's own `POP_JUMP_IF_*`), and at most 16
//! latches per loop, so no code object grows unboundedly; a rotated latch
//! ends in a conditional jump and is never rotated again.
//!
//! What it assumes (the 3.8/3.9 rules, `maybe_call_line_trace` and
//! `frame_setlineno` in CPython): a line event is reported on arriving at the
//! start of a `co_lnotab` entry or after a backward jump; a debugger jump
//! (`frame.f_lineno = N`) goes to the first `co_lnotab` entry for line `N`
//! in address order (3.9: among the entries with the deepest compatible
//! block stack, the first), and 3.8 decides which jumps are allowed by a
//! linear scan of the `SETUP_*`/`FOR_ITER` ranges (an address is in the
//! range from the setup instruction to its target).
//!
//! What it guarantees: the same values and exceptions (the copy is the code
//! the latch jumped to: tail duplication), and at `safe` the same line
//! events, traceback lines and debugger jumps, because a latch is rotated
//! only when:
//! * the latch jump's line differs from the test's first line, so the copy
//!   starts a `co_lnotab` entry and reports the test's line where the
//!   backward jump to `top` reported it;
//! * the body's first instruction starts a `co_lnotab` entry, so the copy's
//!   backward jump to it reports the event that arriving there reported;
//! * inside the copy the lines follow each other as in the test (same
//!   instructions, same order, the line-start marks copied), and the copy's
//!   jumps to `exit` go forward (`exit` is laid out after the latch);
//! * the block laid out after the latch starts a `co_lnotab` entry after
//!   the copy exactly when it did after the latch jump;
//! * `top` and the copy are inside the same `SETUP_*`/`FOR_ITER` ranges,
//!   so 3.8's scan allows the same debugger jumps; a debugger jump to the
//!   test's line still lands on `top` (the copy is laid out after it, in
//!   the same block stack).
//!
//! At `aggressive` only the exits' direction is checked: a latch whose
//! jump is on the test's line, a body that does not start a `co_lnotab`
//! entry or a block after the latch whose entry would change (e.g. the
//! implicit `return None` that 3.8 puts on the loop's last line) is rotated
//! too, and line events and debugger jumps may change there (an extra or a
//! missing event on the test's or the exit's line); values never do.
//!
//! What it must never do: copy code whose meaning depends on its address
//! or on the block stack (`SETUP_*`, `POP_BLOCK`, `FOR_ITER`, exception
//! handling, yields), make a jump to `exit` go backward, or rotate a loop
//! whose copy would report a line event the original did not report (or
//! miss one).
//!
//! Versions: 3.8 and 3.9. CPython 3.10+ compiles `while` loops with the
//! test copied to the bottom already.

use crate::bytecode::Instr;
use crate::cfg::{is_block_setup, BlockId, Cfg};
use crate::opt::{Changed, CodeUnit, Level, Need, Pass, Precheck};
use crate::version::{Op, PyVersion};

pub struct LoopRotation;

/// At most this many test blocks are copied per latch.
const MAX_TEST_BLOCKS: usize = 4;
/// At most this many test instructions are copied per latch.
const MAX_TEST_INSTRS: usize = 16;
/// At most this many latches of one loop are rotated.
const MAX_LATCHES: usize = 16;

impl Pass for LoopRotation {
    fn name(&self) -> &'static str {
        "loop-rotation"
    }
    fn level(&self) -> Level {
        Level::Safe
    }
    fn supports(&self, v: PyVersion) -> bool {
        v <= PyVersion::V3_9
    }
    fn doc(&self) -> &'static str {
        include_str!("loop_rotation.rs")
    }
    fn raw_needs(&self, _: PyVersion, _: Level) -> &'static [Need] {
        &[Need::Op(&[Op::JUMP_ABSOLUTE])]
    }
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        // A latch is a backward `JUMP_ABSOLUTE` to a test ending in a
        // `POP_JUMP_IF_*`.
        let instrs = &pre.ir.instrs;
        instrs.iter().enumerate().any(|(i, x)| {
            x.op == Op::JUMP_ABSOLUTE
                && (x.arg as usize) < i
                && instrs[x.arg as usize..i]
                    .iter()
                    .any(|t| matches!(t.op, Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_IF_TRUE))
        })
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let cfg = &code.cfg;
        let pos = cfg.positions();
        let order = cfg.order().to_vec();
        let ranges = setup_ranges(cfg, &pos);
        // At `aggressive` only what the values depend on is checked.
        let strict = code.level < Level::Aggressive;
        let mut plans: Vec<Plan> = Vec::new();
        let mut per_top: Vec<(BlockId, usize)> = Vec::new();
        for (k, &j) in order.iter().enumerate() {
            let blk = cfg.block(j);
            let (Some(jump), Some(top)) = (blk.last(), blk.target()) else {
                continue;
            };
            if jump.op != Op::JUMP_ABSOLUTE || pos[top.index()] >= k {
                continue;
            }
            let Some(test) = loop_test(cfg, top, &pos, strict) else {
                continue;
            };
            if !latch_ok(cfg, &test, k, jump, &order, &pos, &ranges, strict) {
                continue;
            }
            match per_top.iter_mut().find(|(t, _)| *t == top) {
                Some((_, n)) if *n >= MAX_LATCHES => continue,
                Some((_, n)) => *n += 1,
                None => per_top.push((top, 1)),
            }
            plans.push(Plan { latch: j, test });
        }
        let changes = plans.len() as u32;
        for plan in plans {
            rotate(&mut code.cfg, &plan);
        }
        Changed(changes)
    }
}

/// A loop's test: the blocks `chain` (laid out one after the other, each
/// ending in a `POP_JUMP_IF_*`), the body `body` (the last block's
/// fall-through) and `exit` (the last block's jump target).
#[derive(Clone, Debug)]
struct Test {
    chain: Vec<BlockId>,
    body: BlockId,
    exit: BlockId,
}

struct Plan {
    latch: BlockId,
    test: Test,
}

/// The instructions a copied test may hold: no jumps but the chain's own,
/// nothing that depends on its address or on the block stack.
fn copyable(op: Op) -> bool {
    matches!(
        op,
        Op::NOP
            | Op::LOAD_FAST
            | Op::STORE_FAST
            | Op::LOAD_CONST
            | Op::LOAD_GLOBAL
            | Op::LOAD_NAME
            | Op::LOAD_DEREF
            | Op::LOAD_CLASSDEREF
            | Op::LOAD_ATTR
            | Op::LOAD_METHOD
            | Op::CALL_METHOD
            | Op::CALL_FUNCTION
            | Op::CALL_FUNCTION_KW
            | Op::COMPARE_OP
            | Op::IS_OP
            | Op::CONTAINS_OP
            | Op::BINARY_SUBSCR
            | Op::BINARY_ADD
            | Op::BINARY_SUBTRACT
            | Op::BINARY_MULTIPLY
            | Op::BINARY_MODULO
            | Op::BINARY_FLOOR_DIVIDE
            | Op::BINARY_TRUE_DIVIDE
            | Op::BINARY_AND
            | Op::BINARY_OR
            | Op::BINARY_XOR
            | Op::BINARY_LSHIFT
            | Op::BINARY_RSHIFT
            | Op::UNARY_NOT
            | Op::UNARY_NEGATIVE
            | Op::UNARY_INVERT
            | Op::DUP_TOP
            | Op::ROT_TWO
            | Op::POP_TOP
    )
}

fn is_pop_jump(op: Op) -> bool {
    matches!(op, Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_IF_TRUE)
}

fn inverted(op: Op) -> Op {
    match op {
        Op::POP_JUMP_IF_FALSE => Op::POP_JUMP_IF_TRUE,
        _ => Op::POP_JUMP_IF_FALSE,
    }
}

/// The smallest test starting at `top` that can be copied: each block
/// laid out after the one before and ending in a `POP_JUMP_IF_*`, the
/// jumps of all but the last going to the body, to the exit or to a later
/// test block, the body laid out right after the last block and starting a
/// `co_lnotab` entry.
fn loop_test(cfg: &Cfg, top: BlockId, pos: &[usize], strict: bool) -> Option<Test> {
    let mut chain: Vec<BlockId> = Vec::new();
    let mut instrs = 0usize;
    let mut cur = top;
    for _ in 0..MAX_TEST_BLOCKS {
        let blk = cfg.block(cur);
        let last = blk.last()?;
        instrs += blk.len();
        if instrs > MAX_TEST_INSTRS
            || !is_pop_jump(last.op)
            || blk.instrs()[..blk.len() - 1]
                .iter()
                .any(|i| !copyable(i.op))
        {
            return None;
        }
        if let Some(&prev) = chain.last() {
            if pos[cur.index()] != pos[prev.index()] + 1 {
                return None;
            }
        }
        chain.push(cur);
        let (body, exit) = (blk.fallthrough()?, blk.target()?);
        let inner = |t: BlockId, from: usize| t == body || t == exit || chain[from..].contains(&t);
        let closed = chain[..chain.len() - 1]
            .iter()
            .enumerate()
            .all(|(i, &c)| cfg.block(c).target().is_some_and(|t| inner(t, i + 1)));
        if closed
            && body != exit
            && pos[body.index()] == pos[cur.index()] + 1
            && !cfg.block(body).is_empty()
            && (!strict || cfg.starts_lnotab_entry(body, 0, pos))
        {
            return Some(Test { chain, body, exit });
        }
        cur = body;
    }
    None
}

/// `(setup block position, handler or loop-exit position)` of every
/// `SETUP_*` and `FOR_ITER` block: the address ranges 3.8's
/// `frame_setlineno` scans.
fn setup_ranges(cfg: &Cfg, pos: &[usize]) -> Vec<(usize, usize)> {
    cfg.order()
        .iter()
        .filter_map(|&b| {
            let blk = cfg.block(b);
            let last = blk.last()?;
            let t = blk.target()?;
            (is_block_setup(last.op) || last.op == Op::FOR_ITER)
                .then(|| (pos[b.index()], pos[t.index()]))
        })
        .collect()
}

/// Whether the latch at layout position `k`, ending in `jump`, may be
/// rotated: its exits go forward and (`strict`, at `safe`) no line event
/// or debugger jump changes.
#[allow(clippy::too_many_arguments)]
fn latch_ok(
    cfg: &Cfg,
    test: &Test,
    k: usize,
    jump: &Instr,
    order: &[BlockId],
    pos: &[usize],
    ranges: &[(usize, usize)],
    strict: bool,
) -> bool {
    let first = cfg.block(test.chain[0]).instrs()[0];
    let Some(&last_test) = test
        .chain
        .last()
        .and_then(|&t| cfg.block(t).last())
        .as_ref()
    else {
        return false;
    };
    // Exits go forward; the body is before the latch.
    if pos[test.exit.index()] <= k || pos[test.body.index()] > k {
        return false;
    }
    if !strict {
        return true;
    }
    // The copy starts a lnotab entry of the test's line.
    if jump.loc.line == first.loc.line {
        return false;
    }
    // The block after the latch starts an entry after the copy iff it did
    // after the latch jump.
    if let Some(&next) = order.get(k + 1) {
        let Some(n) = cfg.block(next).instrs().first() else {
            return false;
        };
        let before = n.line_start || n.loc.line != jump.loc.line;
        let after = n.line_start || n.loc.line != last_test.loc.line;
        if before != after {
            return false;
        }
    }
    // Same SETUP_*/FOR_ITER ranges for `top` and the copy (laid out right
    // after the latch).
    let top = pos[test.chain[0].index()];
    ranges.iter().all(|&(s, h)| {
        let top_in = s < top && top < h;
        let copy_in = s < k + 1 && k < h;
        top_in == copy_in
    })
}

/// Replaces the latch's jump by a copy of the test whose last jump goes
/// back to the body.
fn rotate(cfg: &mut Cfg, plan: &Plan) {
    let j = plan.latch;
    let test = &plan.test;
    let last = cfg.block(j).len() - 1;
    cfg.nop_out(j, last);
    let copies: Vec<BlockId> = test.chain.iter().map(|&t| cfg.copy_block(t)).collect();
    let mut after = j;
    for &c in &copies {
        cfg.place_after(c, Some(after));
        after = c;
    }
    cfg.set_fallthrough(j, Some(copies[0]));
    let n = copies.len();
    for (i, &c) in copies.iter().enumerate() {
        if i + 1 < n {
            if let Some(t) = cfg.block(c).target() {
                if let Some(at) = test.chain.iter().position(|&x| x == t) {
                    cfg.retarget(c, copies[at]);
                }
            }
            cfg.set_fallthrough(c, Some(copies[i + 1]));
        } else {
            let end = cfg.block(c).len() - 1;
            let op = cfg.block(c).instrs()[end].op;
            cfg.set_op(c, end, inverted(op));
            cfg.retarget(c, test.body);
            cfg.set_fallthrough(c, Some(test.exit));
        }
    }
}
