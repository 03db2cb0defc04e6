//! Jump threading: make jumps go where they end up.
//!
//! What it does:
//! * a jump (unconditional, `POP_JUMP_IF_*`, `JUMP_IF_*_OR_POP`) whose target
//!   block is a lone unconditional jump is sent to that jump's target;
//! * a jump to an empty block goes to the block after it;
//! * 3.10+: a conditional jump over a lone unconditional jump (`if c: goto
//!   L1; goto L2; L1:`) is inverted (`if not c: goto L2; L1:`) and the
//!   unconditional jump, now unreachable, leaves the layout;
//! * blocks entered only by falling through from the block before them are
//!   merged into it (no change to the code, but in-block passes then see
//!   straight-line code whose jumps were folded away);
//! * an unconditional jump to the block laid out right after it becomes a
//!   fall-through (the jump turns into a located NOP for `nop-removal`).
//!
//! Branches on constant conditions are folded by `constant-folding`; the
//! blocks that become unreachable are removed by `dead-code`.
//!
//! What it assumes: line events are reported on arrival at a new line and on
//! backward jumps (every version), and 3.8/3.9 also report the start of a
//! `co_lnotab` entry.
//!
//! What it guarantees (the conditions for threading A's jump through block
//! J to T): J's jump has the same line as A's; J comes after A in the layout
//! (arriving at J was a forward jump, which reports no event on a line that
//! does not change); A→T and J→T go in the same direction (a backward jump
//! reports a line event); on 3.8/3.9 J does not start a `co_lnotab` entry;
//! on 3.11+ A and J have the same exception handler (a `JUMP_BACKWARD` can
//! raise `KeyboardInterrupt`); the new jump exists in the version (3.12+ have
//! no backward conditional jumps; 3.11's `JUMP_IF_*_OR_POP` are forward
//! only); on 3.12 at `safe`, J stays the target of some other jump (3.12 marks every
//! jump target as a line start, so a block that stops being one reports no
//! event when reached by falling through — a random program caught this).
//! So the sequence of line events is unchanged.
//!
//! What it must never do: thread `FOR_ITER`, `SEND`, `SETUP_*` or
//! exception-match jumps (their targets are part of their protocol), or
//! `JUMP_BACKWARD_NO_INTERRUPT`.
//!
//! Versions: 3.8–3.15.

use crate::bytecode::raw::JumpShapes;
use crate::cfg::{unconditional_jump, BlockId};
use crate::opt::{Changed, CodeUnit, Level, Need, Pass, Precheck};
use crate::version::{Op, PyVersion};

pub struct JumpThreading;

impl Pass for JumpThreading {
    fn name(&self) -> &'static str {
        "jump-threading"
    }
    fn level(&self) -> Level {
        Level::Safe
    }
    fn doc(&self) -> &'static str {
        include_str!("jump_threading.rs")
    }
    fn raw_needs(&self, _: PyVersion, _: Level) -> &'static [Need] {
        // The shapes `may_change` looks for, with the ops of `jump_kind`.
        &[Need::JumpShapes(JumpShapes {
            jumps: &[
                Op::JUMP_FORWARD,
                Op::JUMP_ABSOLUTE,
                Op::JUMP_BACKWARD,
                Op::POP_JUMP_IF_FALSE,
                Op::POP_JUMP_IF_TRUE,
                Op::POP_JUMP_IF_NONE,
                Op::POP_JUMP_IF_NOT_NONE,
                Op::POP_JUMP_FORWARD_IF_FALSE,
                Op::POP_JUMP_FORWARD_IF_TRUE,
                Op::POP_JUMP_FORWARD_IF_NONE,
                Op::POP_JUMP_FORWARD_IF_NOT_NONE,
                Op::POP_JUMP_BACKWARD_IF_FALSE,
                Op::POP_JUMP_BACKWARD_IF_TRUE,
                Op::POP_JUMP_BACKWARD_IF_NONE,
                Op::POP_JUMP_BACKWARD_IF_NOT_NONE,
                Op::JUMP_IF_FALSE_OR_POP,
                Op::JUMP_IF_TRUE_OR_POP,
            ],
            unconditional: &[Op::JUMP_FORWARD, Op::JUMP_ABSOLUTE, Op::JUMP_BACKWARD],
            conditional: &[
                Op::POP_JUMP_IF_FALSE,
                Op::POP_JUMP_IF_TRUE,
                Op::POP_JUMP_IF_NONE,
                Op::POP_JUMP_IF_NOT_NONE,
                Op::POP_JUMP_FORWARD_IF_FALSE,
                Op::POP_JUMP_FORWARD_IF_TRUE,
                Op::POP_JUMP_FORWARD_IF_NONE,
                Op::POP_JUMP_FORWARD_IF_NOT_NONE,
                Op::POP_JUMP_BACKWARD_IF_FALSE,
                Op::POP_JUMP_BACKWARD_IF_TRUE,
                Op::POP_JUMP_BACKWARD_IF_NONE,
                Op::POP_JUMP_BACKWARD_IF_NOT_NONE,
            ],
        })]
    }
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        // On code as read every block holds an instruction (nothing to skip
        // past), so each rule needs, for a jump `x` at `i` to `t`: `t` a
        // later unconditional jump on `x`'s line (threading: J after A, same
        // line), `t == i + 1` for an unconditional `x`, or (3.10+) `x`
        // conditional, the next instruction an unconditional jump on its line
        // and `t == i + 2` (inversion; on 3.12+, which have no backward
        // conditional jumps, only over a forward one). (Merging straight
        // blocks is not counted as a change.)
        let instrs = &pre.ir.instrs;
        let facts = pre.ir.version.facts();
        let jump_on_line = |k: usize, line: i32| {
            instrs
                .get(k)
                .is_some_and(|t| jump_kind(t.op) == Some(Kind::Unconditional) && t.loc.line == line)
        };
        instrs
            .iter()
            .enumerate()
            .any(|(i, x)| match jump_kind(x.op) {
                None => false,
                Some(kind) => {
                    let t = x.arg as usize;
                    let line = x.loc.line;
                    (t > i && jump_on_line(t, line))
                        || (kind == Kind::Unconditional && t == i + 1)
                        || (kind == Kind::PopJump
                            && !facts.unreachable_code_observable
                            && t == i + 2
                            && jump_on_line(i + 1, line)
                            && (facts.pop_jump_backward || instrs[i + 1].arg as usize > i + 1))
                }
            })
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let facts = code.cfg.version.facts();
        let mut changes = 0u32;
        let pos = code.cfg.positions();
        let mut jumpers = code.cfg.jumpers();
        let marks = code.cfg.marks_jump_targets() && code.level < Level::Aggressive;
        // On 3.12 a block must not stop being a jump target (see
        // `Cfg::jumpers`): a jump may leave `b` only if another one stays.
        let may_leave = |jumpers: &[u32], b: BlockId| !marks || jumpers[b.index()] > 1;
        let order = code.cfg.order().to_vec();
        // Fall-through edges only change here where `a` itself is rewritten;
        // jumps into a block are tracked in `jumpers` as they change.
        let preds = code.cfg.predecessors();
        let mut unlinked: Vec<BlockId> = Vec::new();
        for (k, &a) in order.iter().enumerate() {
            let blk = code.cfg.block(a);
            let (Some(&x), Some(target)) = (blk.last(), blk.target()) else {
                continue;
            };
            let Some(kind) = jump_kind(x.op) else {
                continue;
            };
            // Past empty blocks.
            let landing = code.cfg.skip_empty(target);
            if landing != target {
                set_target(code, a, landing);
                jumpers[landing.index()] += 1;
                changes += 1;
                continue;
            }
            // An unconditional jump to the next block.
            if kind == Kind::Unconditional
                && order.get(k + 1) == Some(&landing)
                && may_leave(&jumpers, landing)
            {
                jumpers[landing.index()] -= 1;
                let last = code.cfg.block(a).len() - 1;
                code.cfg.nop_out(a, last);
                code.cfg.set_fallthrough(a, Some(landing));
                changes += 1;
                continue;
            }
            // A conditional jump over a lone unconditional jump: invert it.
            if kind == Kind::PopJump && !facts.unreachable_code_observable {
                if let Some((b, l2)) = invertible_over(code, a, k, &order, &pos, &preds, &jumpers) {
                    if may_leave(&jumpers, landing) {
                        jumpers[landing.index()] -= 1;
                        jumpers[l2.index()] += 1;
                        let last = code.cfg.block(a).len() - 1;
                        code.cfg.set_op(a, last, inverted(x.op));
                        code.cfg.retarget(a, l2);
                        code.cfg.set_fallthrough(a, Some(landing));
                        // B is unreachable now (it was entered only from
                        // `a`); it leaves the layout so that `a` falls
                        // through to L1 without an added jump. Its line is
                        // `a`'s last line, so no layout line mark changes.
                        unlinked.push(b);
                        changes += 1;
                        continue;
                    }
                }
            }
            // Through a lone unconditional jump.
            let jb = code.cfg.block(landing);
            let ([j], Some(t)) = (jb.instrs(), jb.target()) else {
                continue;
            };
            if jump_kind(j.op) != Some(Kind::Unconditional) {
                continue;
            }
            let (pa, pj, pt) = (pos[a.index()], pos[landing.index()], pos[t.index()]);
            if t == landing || pt == usize::MAX || pj <= pa {
                continue;
            }
            if j.loc.line != x.loc.line {
                continue;
            }
            let new_backward = pt <= pa;
            if new_backward != (pt <= pj) {
                continue;
            }
            if code.cfg.starts_lnotab_entry(landing, 0, &pos) {
                continue;
            }
            if facts.exception_table && code.cfg.block(a).handler() != jb.handler() {
                continue;
            }
            let direction_ok = !new_backward
                || match kind {
                    Kind::Unconditional => true,
                    Kind::PopJump => facts.pop_jump_backward,
                    Kind::OrPop => facts.or_pop_jump_backward,
                };
            if !direction_ok || !may_leave(&jumpers, landing) {
                continue;
            }
            jumpers[landing.index()] -= 1;
            jumpers[t.index()] += 1;
            set_target(code, a, t);
            changes += 1;
        }
        // (Only blocks nothing jumps to and only `a` fell into: the layout
        // positions used above stay valid for every other block.)
        code.cfg.unlink_blocks(|b| unlinked.contains(&b));
        // Block boundaries left by removed jumps go too (not counted as a
        // change: the code is the same instruction for instruction).
        code.cfg.merge_straight_blocks();
        Changed(changes)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unconditional,
    PopJump,
    OrPop,
}

fn jump_kind(op: Op) -> Option<Kind> {
    match op {
        Op::JUMP_FORWARD | Op::JUMP_ABSOLUTE | Op::JUMP_BACKWARD => Some(Kind::Unconditional),
        Op::POP_JUMP_IF_FALSE
        | Op::POP_JUMP_IF_TRUE
        | Op::POP_JUMP_IF_NONE
        | Op::POP_JUMP_IF_NOT_NONE
        | Op::POP_JUMP_FORWARD_IF_FALSE
        | Op::POP_JUMP_FORWARD_IF_TRUE
        | Op::POP_JUMP_FORWARD_IF_NONE
        | Op::POP_JUMP_FORWARD_IF_NOT_NONE
        | Op::POP_JUMP_BACKWARD_IF_FALSE
        | Op::POP_JUMP_BACKWARD_IF_TRUE
        | Op::POP_JUMP_BACKWARD_IF_NONE
        | Op::POP_JUMP_BACKWARD_IF_NOT_NONE => Some(Kind::PopJump),
        Op::JUMP_IF_FALSE_OR_POP | Op::JUMP_IF_TRUE_OR_POP => Some(Kind::OrPop),
        _ => None,
    }
}

/// For a block `a` (at layout position `k`) ending in a conditional jump to
/// L1 that falls through to a block B holding only an unconditional jump to
/// L2, with L1 laid out right after B: B, when the conditional jump may be
/// inverted to go to L2 and fall through to L1 (B is then unreachable and
/// left for `dead-code`), with L2. Line events: B's jump has the conditional jump's
/// line and B is entered only from `a`, so it reports nothing of its own;
/// L2 is reached in the same direction; L1 is reached forward either way.
fn invertible_over(
    code: &CodeUnit<'_, '_>,
    a: BlockId,
    k: usize,
    order: &[BlockId],
    pos: &[usize],
    preds: &crate::cfg::Predecessors,
    jumpers: &[u32],
) -> Option<(BlockId, BlockId)> {
    let facts = code.cfg.version.facts();
    let blk = code.cfg.block(a);
    let x = *blk.last()?;
    let b = blk.fallthrough()?;
    let l1 = blk.target()?;
    if order.get(k + 1) != Some(&b) || order.get(k + 2) != Some(&l1) {
        return None;
    }
    let bb = code.cfg.block(b);
    let ([j], Some(l2)) = (bb.instrs(), bb.target()) else {
        return None;
    };
    if jump_kind(j.op) != Some(Kind::Unconditional) || j.loc.line != x.loc.line {
        return None;
    }
    if l2 == b || l2 == l1 || matches!(pos.get(l2.index()), None | Some(&usize::MAX)) {
        return None;
    }
    // Entered only by falling through from `a`.
    if preds.of(b) != [(a, crate::cfg::EdgeKind::Fallthrough)] || jumpers[b.index()] > 0 {
        return None;
    }
    if facts.exception_table && bb.handler() != blk.handler() {
        return None;
    }
    // The new conditional jump must exist in the version: 3.12+ have no
    // backward conditional jumps.
    let backward = pos[l2.index()] <= pos[a.index()];
    if backward && !facts.pop_jump_backward {
        return None;
    }
    Some((b, l2))
}

/// The conditional jump with the opposite condition.
fn inverted(op: Op) -> Op {
    match op {
        Op::POP_JUMP_IF_FALSE => Op::POP_JUMP_IF_TRUE,
        Op::POP_JUMP_IF_TRUE => Op::POP_JUMP_IF_FALSE,
        Op::POP_JUMP_IF_NONE => Op::POP_JUMP_IF_NOT_NONE,
        Op::POP_JUMP_IF_NOT_NONE => Op::POP_JUMP_IF_NONE,
        Op::POP_JUMP_FORWARD_IF_FALSE => Op::POP_JUMP_FORWARD_IF_TRUE,
        Op::POP_JUMP_FORWARD_IF_TRUE => Op::POP_JUMP_FORWARD_IF_FALSE,
        Op::POP_JUMP_FORWARD_IF_NONE => Op::POP_JUMP_FORWARD_IF_NOT_NONE,
        Op::POP_JUMP_FORWARD_IF_NOT_NONE => Op::POP_JUMP_FORWARD_IF_NONE,
        Op::POP_JUMP_BACKWARD_IF_FALSE => Op::POP_JUMP_BACKWARD_IF_TRUE,
        Op::POP_JUMP_BACKWARD_IF_TRUE => Op::POP_JUMP_BACKWARD_IF_FALSE,
        Op::POP_JUMP_BACKWARD_IF_NONE => Op::POP_JUMP_BACKWARD_IF_NOT_NONE,
        Op::POP_JUMP_BACKWARD_IF_NOT_NONE => Op::POP_JUMP_BACKWARD_IF_NONE,
        other => other,
    }
}

/// Points the jump ending block `a` at `t` (linearization picks the
/// opcode of the right direction).
fn set_target(code: &mut CodeUnit<'_, '_>, a: BlockId, t: BlockId) {
    let v = code.cfg.version;
    let blk = code.cfg.block(a);
    let Some(&last) = blk.last() else {
        return;
    };
    let at = blk.len() - 1;
    code.cfg.retarget(a, t);
    if last.op == Op::JUMP_ABSOLUTE || last.op == Op::JUMP_BACKWARD {
        code.cfg.set_op(a, at, unconditional_jump(v));
    }
}
