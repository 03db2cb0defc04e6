//! Edits shared by the passes, each keeping the CFG valid for `linearize`:
//! turning instructions into located `NOP`s, dropping empty blocks, the
//! line-event facts the passes consult before removing or bypassing an
//! instruction, and definite assignment of locals.
//!
//! The one mechanism every pass uses to delete code is [`Cfg::nop_out`]: the
//! instruction becomes a `NOP` that keeps its location, so no line event is
//! lost by the pass that made it redundant. The `nop-removal` pass then
//! removes the NOPs that carry no line event of their own, by CPython's own
//! rules.

use fixedbitset::FixedBitSet;

use super::{is_jump, BlockId, Cfg};
use crate::bytecode::Instr;
use crate::version::{ArgKind, CodeLayout, Op};

impl Cfg {
    /// Turns instruction `i` of block `b` into a `NOP` with the same
    /// location (and 3.8/3.9 line-start mark).
    pub fn nop_out(&mut self, b: BlockId, i: usize) {
        if let Some(ins) = self.blocks[b.index()].instrs.get_mut(i) {
            ins.op = Op::NOP;
            ins.arg = 0;
            ins.ext = 0;
        }
    }

    /// Position of every block in `order` (`usize::MAX` if not laid out).
    pub fn positions(&self) -> Vec<usize> {
        let mut pos = vec![usize::MAX; self.blocks.len()];
        for (k, b) in self.order.iter().enumerate() {
            pos[b.index()] = k;
        }
        pos
    }

    /// Follows fall-through links from `b` past empty blocks.
    pub fn skip_empty(&self, mut b: BlockId) -> BlockId {
        for _ in 0..self.blocks.len() {
            let blk = self.block(b);
            match (blk.instrs.is_empty(), blk.fallthrough) {
                (true, Some(f)) => b = f,
                _ => break,
            }
        }
        b
    }

    /// Removes the laid-out blocks that have no instructions, sending every
    /// jump, fall-through and handler that reached one to the block after it.
    /// Returns how many were removed. An empty block without a fall-through
    /// (nothing after it) is kept only if something still reaches it, which
    /// a well-formed pass never causes.
    pub fn remove_empty_blocks(&mut self) -> u32 {
        let empty: Vec<bool> = (0..self.blocks.len())
            .map(|i| self.blocks[i].instrs.is_empty() && self.blocks[i].fallthrough.is_some())
            .collect();
        if !empty.iter().any(|e| *e) {
            return 0;
        }
        let table = self.version.table();
        let resolved: Vec<BlockId> = (0..self.blocks.len() as u32)
            .map(|i| self.skip_empty(BlockId(i)))
            .collect();
        for blk in &mut self.blocks {
            if let Some(last) = blk.instrs.last_mut() {
                if is_jump(table, last.op) {
                    last.arg = resolved[last.arg as usize].0;
                }
            }
            if let Some(f) = blk.fallthrough {
                blk.fallthrough = Some(resolved[f.index()]);
            }
            if let Some(h) = &mut blk.handler {
                h.target = resolved[h.target.index()];
            }
        }
        let before = self.order.len();
        self.order.retain(|b| !empty[b.index()]);
        (before - self.order.len()) as u32
    }

    /// Merges every block that is entered only by falling through from the
    /// block laid out before it (same handler, no jump between them) into
    /// that block. The linearized code is the same instruction for
    /// instruction; only block boundaries left behind by removed jumps go,
    /// so that in-block passes see what a fresh CFG of the output would
    /// show (and a second run finds nothing new). Returns how many merged.
    pub fn merge_straight_blocks(&mut self) -> u32 {
        let table = self.version.table();
        let preds = self.predecessors();
        // Which block each block's instructions went into.
        let mut into: Vec<u32> = (0..self.blocks.len() as u32).collect();
        let resolve = |into: &[u32], mut x: u32| {
            while into[x as usize] != x {
                x = into[x as usize];
            }
            x
        };
        let mut merged = 0;
        let mut k = 0;
        while k + 1 < self.order.len() {
            let (a, b) = (self.order[k], self.order[k + 1]);
            let ab = self.block(a);
            let sole_pred = match preds.of(b) {
                [(p, super::EdgeKind::Fallthrough)] => resolve(&into, p.0) == a.0,
                _ => false,
            };
            let mergeable = sole_pred
                && ab.fallthrough == Some(b)
                && ab.handler == self.block(b).handler
                && ab.instrs.last().is_some_and(|l| {
                    !is_jump(table, l.op) && !crate::bytecode::is_terminator(l.op)
                });
            if mergeable {
                let moved = std::mem::take(&mut self.blocks[b.index()].instrs);
                let next = self.blocks[b.index()].fallthrough.take();
                let blk = &mut self.blocks[a.index()];
                blk.instrs.extend(moved);
                blk.fallthrough = next;
                self.order.remove(k + 1);
                into[b.index()] = a.0;
                merged += 1;
                // Stay on `a`: it may absorb the next block too.
            } else {
                k += 1;
            }
        }
        merged
    }

    /// Whether arriving at instruction `i` of block `b` can produce a line
    /// event of its own on 3.8/3.9: it starts a `co_lnotab` entry (its line
    /// differs from the instruction laid out before it, or it carries the
    /// line-start mark). On 3.10+ line events follow the previously
    /// executed instruction instead, and this is false.
    pub fn starts_lnotab_entry(&self, b: BlockId, i: usize, pos: &[usize]) -> bool {
        if !self.version.facts().line_events_at_lnotab_entries {
            return false;
        }
        let blk = self.block(b);
        let ins = blk.instrs[i];
        if ins.line_start {
            return true;
        }
        let prev = if i > 0 {
            Some(blk.instrs[i - 1])
        } else {
            self.layout_prev_instr(b, pos)
        };
        prev.map_or(true, |p| p.loc.line != ins.loc.line)
    }

    /// The instruction laid out just before block `b` (including the jump
    /// linearization adds for a displaced fall-through, which carries the
    /// location of its block's last instruction).
    fn layout_prev_instr(&self, b: BlockId, pos: &[usize]) -> Option<Instr> {
        let mut k = pos.get(b.index()).copied().filter(|p| *p != usize::MAX)?;
        while k > 0 {
            k -= 1;
            if let Some(last) = self.block(self.order[k]).instrs.last() {
                return Some(*last);
            }
        }
        None
    }

    /// How many jump instructions of laid-out blocks (reachable or not)
    /// target each block. CPython 3.12's `sys.monitoring` marks every jump
    /// target as a line start (`initialize_lines`), so on 3.12 a block that
    /// stops being a jump target stops reporting a line event when it is
    /// reached by falling through from the same line; passes keep this count
    /// above zero for reachable blocks there.
    pub fn jumpers(&self) -> Vec<u32> {
        let table = self.version.table();
        let mut n = vec![0u32; self.blocks.len()];
        for &b in &self.order {
            if let Some(last) = self.block(b).instrs.last() {
                if is_jump(table, last.op) {
                    if let Some(c) = n.get_mut(last.arg as usize) {
                        *c += 1;
                    }
                }
            }
        }
        n
    }

    /// Whether line events depend on which instructions are jump targets
    /// (CPython 3.12, see [`Cfg::jumpers`]).
    pub fn marks_jump_targets(&self) -> bool {
        self.version.facts().jump_targets_start_lines
    }

    /// Locals that are bound on every path to the entry of each block
    /// (indexed by `BlockId`), for a code object whose first `nargs` locals
    /// are its parameters.
    ///
    /// A local is bound after `STORE_FAST` (and the store halves of the 3.13
    /// superinstructions) and after a load that did not raise
    /// (`LOAD_FAST_CHECK`, `LOAD_FAST`). Locals that are ever deleted or
    /// cleared (`DELETE_FAST`, `LOAD_FAST_AND_CLEAR`, whose saved value may be
    /// stored back as "unbound"), and every local that any other instruction
    /// names (cells and free variables on 3.11+ share the index space), are
    /// never considered bound. With deletions excluded, the bound set only
    /// grows along a path, so an exception edge may use the set at the entry
    /// of the block (3.11+) or of the block holding the `SETUP_*` (3.8–3.10)
    /// and stay correct whatever instruction raised.
    pub fn definitely_assigned(&self, nargs: usize, nlocals: usize) -> Vec<FixedBitSet> {
        let n = self.blocks.len();
        let excluded = self.unbindable_locals(nlocals);
        let mut full = FixedBitSet::with_capacity(nlocals);
        full.insert_range(..);
        // Per-block: locals bound by the block's own instructions.
        let mut gen = vec![FixedBitSet::with_capacity(nlocals); n];
        for &b in &self.order {
            for ins in &self.block(b).instrs {
                for l in bound_by(ins) {
                    if (l as usize) < nlocals {
                        gen[b.index()].insert(l as usize);
                    }
                }
            }
        }
        let mut entry_set = FixedBitSet::with_capacity(nlocals);
        for a in 0..nargs.min(nlocals) {
            entry_set.insert(a);
        }
        entry_set.difference_with(&excluded);
        // Optimistic start (all bound) except the entry; iterate to the
        // greatest fixpoint over reachable blocks.
        let mut inn = vec![full.clone(); n];
        let reachable = self.reachable();
        let Some(entry) = self.entry() else {
            return inn;
        };
        inn[entry.index()] = entry_set.clone();
        let table = self.version.table();
        let mut changed = true;
        while changed {
            changed = false;
            for &b in &self.order {
                if !reachable.contains(b.index()) {
                    continue;
                }
                let mut out = inn[b.index()].clone();
                out.union_with(&gen[b.index()]);
                out.difference_with(&excluded);
                let blk = self.block(b);
                let mut edges: Vec<(BlockId, &FixedBitSet)> = Vec::with_capacity(3);
                if let Some(f) = blk.fallthrough {
                    edges.push((f, &out));
                }
                if let Some(last) = blk.instrs.last() {
                    if is_jump(table, last.op) {
                        // SETUP_* edges: the state where the protected
                        // region begins is at least the block's entry state.
                        let state = if super::is_block_setup(last.op) {
                            &inn[b.index()]
                        } else {
                            &out
                        };
                        edges.push((BlockId(last.arg), state));
                    }
                }
                if let Some(h) = blk.handler {
                    edges.push((h.target, &inn[b.index()]));
                }
                let updates: Vec<(usize, FixedBitSet)> = edges
                    .into_iter()
                    .filter_map(|(s, state)| {
                        let si = s.index();
                        if si >= n {
                            return None;
                        }
                        let mut next = inn[si].clone();
                        next.intersect_with(state);
                        (next != inn[si]).then_some((si, next))
                    })
                    .collect();
                for (si, next) in updates {
                    inn[si] = next;
                    changed = true;
                }
            }
        }
        inn
    }

    /// Visits every instruction of the reachable blocks together with the
    /// locals bound on every path to it ([`Cfg::definitely_assigned`]
    /// extended through the block); `visit` may rewrite the instruction and
    /// says whether it did. Returns the number of rewrites.
    pub fn rewrite_with_bound(
        &mut self,
        nargs: usize,
        nlocals: usize,
        mut visit: impl FnMut(&mut Instr, &FixedBitSet) -> bool,
    ) -> u32 {
        let assigned = self.definitely_assigned(nargs, nlocals);
        let excluded = self.unbindable_locals(nlocals);
        let reachable = self.reachable();
        let mut changes = 0;
        for b in self.order.clone() {
            if !reachable.contains(b.index()) {
                continue;
            }
            let mut bound = assigned[b.index()].clone();
            for ins in &mut self.blocks[b.index()].instrs {
                if visit(ins, &bound) {
                    changes += 1;
                }
                for l in bound_by(ins) {
                    let l = l as usize;
                    if l < nlocals && !excluded.contains(l) {
                        bound.insert(l);
                    }
                }
            }
        }
        changes
    }

    /// Locals that [`Cfg::definitely_assigned`] never reports bound.
    pub fn unbindable_locals(&self, nlocals: usize) -> FixedBitSet {
        let table = self.version.table();
        let mut out = FixedBitSet::with_capacity(nlocals);
        for ins in self.blocks.iter().flat_map(|b| &b.instrs) {
            let Some(info) = table.info(ins.op) else {
                continue;
            };
            let names_local = info.arg_kind == ArgKind::Local
                || (self.version.facts().code_layout == CodeLayout::LocalsPlus
                    && info.arg_kind == ArgKind::Free);
            if !names_local {
                continue;
            }
            let plain = matches!(
                ins.op,
                Op::LOAD_FAST
                    | Op::LOAD_FAST_BORROW
                    | Op::LOAD_FAST_CHECK
                    | Op::STORE_FAST
                    | Op::LOAD_FAST_LOAD_FAST
                    | Op::LOAD_FAST_BORROW_LOAD_FAST_BORROW
                    | Op::STORE_FAST_LOAD_FAST
                    | Op::STORE_FAST_STORE_FAST
            );
            if !plain {
                for l in named_locals(ins) {
                    if (l as usize) < nlocals {
                        out.insert(l as usize);
                    }
                }
            }
        }
        out
    }
}

/// The locals an instruction names (two for the 3.13+ superinstructions).
pub fn named_locals(ins: &Instr) -> Vec<u32> {
    if ins.op.packs_two_locals() {
        vec![ins.arg >> 4, ins.arg & 15]
    } else {
        vec![ins.arg]
    }
}

/// Locals bound once `ins` completes without raising.
pub fn bound_by(ins: &Instr) -> Vec<u32> {
    match ins.op {
        Op::STORE_FAST | Op::LOAD_FAST | Op::LOAD_FAST_BORROW | Op::LOAD_FAST_CHECK => {
            vec![ins.arg]
        }
        op if op.packs_two_locals() => vec![ins.arg >> 4, ins.arg & 15],
        _ => Vec::new(),
    }
}
