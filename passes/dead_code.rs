//! Dead code: drop unreachable blocks (3.10+) and push-then-pop pairs.
//!
//! What it does: (1) on every version, a value pushed and immediately
//! discarded — `LOAD_CONST c; POP_TOP` (3.14+ also `LOAD_SMALL_INT`, 3.15
//! also `LOAD_COMMON_CONSTANT` of `None`, `""`, `True`, `False`, `-1`),
//! `DUP_TOP; POP_TOP` (3.8–3.10),
//! `COPY 1; POP_TOP` (3.11+), NOPs between allowed — becomes two located
//! NOPs (for `nop-removal`); (2) on 3.10+, removes every block that is not reachable from the entry
//! block through fall-through, jump and exception-handler edges (the 3.11+
//! exception table entries of reachable blocks; 3.10 `SETUP_*` handlers).
//! CPython 3.11–3.13 leave such code behind: the handlers of `try` bodies
//! that compiled to nothing (and size the stack for them).
//!
//! What it assumes: the CFG's edges are all the ways control moves (true for
//! CPython bytecode: no computed jumps; `END_FINALLY`'s return address in 3.8
//! is the fall-through of the `CALL_FINALLY` that pushed it).
//!
//! What it guarantees: every instruction that can run is kept with its
//! location, so results, exceptions, tracebacks and `sys.settrace` line events
//! are unchanged; `co_lines()` loses only the lines of code that never runs;
//! the recomputed `co_stacksize` can only shrink.
//!
//! What it must never do: remove a handler that a reachable instruction can
//! raise into, or the `END_FOR` a `FOR_ITER` jumps to (both are edges of
//! reachable blocks, so they are reachable by construction).
//!
//! Versions: pairs on 3.8–3.15 (3.14+: `LOAD_SMALL_INT`; 3.15:
//! `LOAD_COMMON_CONSTANT` of the constants above); unreachable blocks on
//! 3.10+. Not 3.8/3.9: their dead code is reachable for a debugger
//! — `frame.f_lineno = N` may jump onto a line after an endless loop, and its
//! linear block-stack scan needs the dead `SETUP_*`/`POP_BLOCK`s balanced;
//! removing them made CPython 3.8's own test_sys_settrace fail (measured:
//! `test_jump_infinite_while_loop`, and an "XXX block stack underflow" abort).
//! 3.10+ check jumps by following control flow and remove unreachable code
//! themselves.

use crate::cfg::{BlockId, Cfg};
use crate::opt::{Changed, CodeUnit, Level, Need, Pass, Precheck};
use crate::version::{Op, PyVersion};

pub struct DeadCode;

impl Pass for DeadCode {
    fn name(&self) -> &'static str {
        "dead-code"
    }
    fn level(&self) -> Level {
        Level::Safe
    }
    fn doc(&self) -> &'static str {
        include_str!("dead_code.rs")
    }
    fn raw_needs(&self, v: PyVersion, _: Level) -> &'static [Need] {
        const PAIR: Need = Need::Pair(
            &[
                Op::LOAD_CONST,
                Op::LOAD_SMALL_INT,
                Op::LOAD_COMMON_CONSTANT,
                Op::DUP_TOP,
                Op::COPY,
            ],
            &[Op::POP_TOP],
        );
        if v.facts().unreachable_code_observable {
            &[PAIR]
        } else {
            &[PAIR, Need::Unreachable]
        }
    }
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        let v = pre.ir.version;
        pre.any_pair(|p, i| i.op == Op::POP_TOP && pushes_copy(v, p))
            || (!pre.ir.version.facts().unreachable_code_observable && pre.has_unreachable())
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let mut changes = no_effect_pairs(code);
        if !code.cfg.version.facts().unreachable_code_observable && code.cfg.order().len() > 1 {
            let keep = blocks_to_keep(code);
            changes += code.cfg.unlink_blocks(|b| !keep[b.index()]);
        }
        Changed(changes)
    }
}

/// The blocks that stay: the reachable ones, and on 3.12/3.13 at `safe`
/// the unreachable ones whose removal would change which instructions
/// `sys.monitoring` marks as line starts:
/// * 3.12 marks every jump target, so an unreachable block that holds the
///   last jump to a reachable block stays (see `Cfg::jumpers`);
/// * 3.12 and 3.13 mark an instruction whose line differs from the last
///   located instruction laid out before it (reset after a return or
///   raise in some versions: both models are checked), so a run of
///   unreachable blocks stays if removing it would change that for the
///   next kept block. A random program caught the first case on 3.12.
fn blocks_to_keep(code: &CodeUnit<'_, '_>) -> Vec<bool> {
    let cfg = &code.cfg;
    let reachable = cfg.reachable();
    let mut keep: Vec<bool> = (0..cfg.block_count())
        .map(|b| reachable.contains(b))
        .collect();
    if cfg.order().iter().all(|b| keep[b.index()]) {
        return keep;
    }
    let layout_marks =
        cfg.version.facts().line_starts_follow_layout && code.level < Level::Aggressive;
    if !layout_marks {
        return keep;
    }
    // Keeping one block can require keeping others (what it falls through
    // or jumps to, and what changes the layout after it): grow to a fixpoint.
    loop {
        let before = keep.iter().filter(|k| **k).count();
        if cfg.marks_jump_targets() {
            keep_last_jumpers(cfg, &reachable, &mut keep);
        }
        keep_layout_marks(cfg, &mut keep);
        keep_successors(cfg, &mut keep);
        if keep.iter().filter(|k| **k).count() == before {
            return keep;
        }
    }
}

/// 3.12: an unreachable block holding the last jump to a reachable block
/// stays (see `Cfg::jumpers`).
fn keep_last_jumpers(cfg: &Cfg, reachable: &fixedbitset::FixedBitSet, keep: &mut [bool]) {
    let all = cfg.jumpers();
    let mut from_kept = vec![0u32; cfg.block_count()];
    for &b in cfg.order() {
        if let Some(t) = cfg.block(b).target() {
            if keep[b.index()] {
                from_kept[t.index()] += 1;
            }
        }
    }
    for &b in cfg.order() {
        if let Some(t) = cfg.block(b).target() {
            let t = t.index();
            let orphan = reachable.contains(t) && all[t] > 0 && from_kept[t] == 0;
            if !keep[b.index()] && orphan {
                keep[b.index()] = true;
                from_kept[t] += 1;
            }
        }
    }
}

/// Every successor of a kept block stays (a kept block's jump or
/// fall-through must have somewhere to go).
fn keep_successors(cfg: &Cfg, keep: &mut [bool]) {
    let mut work: Vec<BlockId> = cfg
        .order()
        .iter()
        .copied()
        .filter(|b| keep[b.index()])
        .collect();
    while let Some(b) = work.pop() {
        for (s, _) in cfg.edges(b) {
            if let Some(k) = keep.get_mut(s.index()) {
                if !*k {
                    *k = true;
                    work.push(s);
                }
            }
        }
    }
}

/// A run of removed blocks stays if removing it would change whether the
/// next kept block's first instruction starts a line in the layout.
fn keep_layout_marks(cfg: &Cfg, keep: &mut [bool]) {
    // The current line of the old layout and of the new one, under both
    // models (index 0: no reset, 1: reset after exits).
    let mut old = [NO_LINE; 2];
    let mut new = [NO_LINE; 2];
    let mut run: Vec<BlockId> = Vec::new();
    for &b in cfg.order() {
        let instrs = cfg.block(b).instrs();
        if !keep[b.index()] {
            run.push(b);
            for (m, cl) in old.iter_mut().enumerate() {
                *cl = line_after(*cl, instrs, m == 1);
            }
            continue;
        }
        if !run.is_empty() {
            let first = first_marking_line(instrs);
            let differs = (0..2).any(|m| match first {
                Some(l) => (l != old[m]) != (l != new[m]),
                None => old[m] != new[m],
            });
            if differs {
                // Keep the run: the new layout walks it as the old one did.
                for &r in &run {
                    keep[r.index()] = true;
                    for (m, cl) in new.iter_mut().enumerate() {
                        *cl = line_after(*cl, cfg.block(r).instrs(), m == 1);
                    }
                }
            }
            run.clear();
        }
        for m in 0..2 {
            old[m] = line_after(old[m], instrs, m == 1);
            new[m] = line_after(new[m], instrs, m == 1);
        }
    }
}

const NO_LINE: i32 = -1;

/// Instructions that never start a line in `sys.monitoring`.
fn never_marked(op: Op) -> bool {
    matches!(
        op,
        Op::END_FOR | Op::END_SEND | Op::END_ASYNC_FOR | Op::RESUME
    )
}

/// The current line after laying out `instrs`.
fn line_after(mut cl: i32, instrs: &[crate::bytecode::Instr], reset: bool) -> i32 {
    for ins in instrs {
        if never_marked(ins.op) {
            continue;
        }
        if ins.loc.line >= 0 {
            cl = ins.loc.line;
        }
        if reset
            && matches!(
                ins.op,
                Op::RETURN_VALUE | Op::RETURN_CONST | Op::RAISE_VARARGS | Op::RERAISE
            )
        {
            cl = NO_LINE;
        }
    }
    cl
}

/// The line of the first instruction of a block whose marking depends on
/// what is laid out before it (`None`: the block has no such instruction,
/// so the current line itself must be unchanged).
fn first_marking_line(instrs: &[crate::bytecode::Instr]) -> Option<i32> {
    instrs
        .iter()
        .find(|i| i.loc.line >= 0 || never_marked(i.op))
        .filter(|i| !never_marked(i.op))
        .map(|i| i.loc.line)
}

/// Whether `p` pushes a value whose immediate `POP_TOP` undoes it.
fn pushes_copy(v: PyVersion, p: &crate::bytecode::Instr) -> bool {
    CodeUnit::is_const_load(v, p) || p.op == Op::DUP_TOP || (p.op == Op::COPY && p.arg == 1)
}

/// Push-then-pop pairs into NOPs.
fn no_effect_pairs(code: &mut CodeUnit<'_, '_>) -> u32 {
    let (mut changes, v) = (0, code.cfg.version);
    for b in code.cfg.order().to_vec() {
        let mut i = 0;
        while i < code.cfg.block(b).len() {
            let instrs = code.cfg.block(b).instrs();
            if instrs[i].op == Op::POP_TOP {
                let prev = (0..i).rev().find(|&j| instrs[j].op != Op::NOP);
                let pushes_copy = prev.filter(|&j| pushes_copy(v, &instrs[j]));
                if let Some(j) = pushes_copy {
                    code.cfg.nop_out(b, j);
                    code.cfg.nop_out(b, i);
                    changes += 1;
                }
            }
            i += 1;
        }
    }
    changes
}
