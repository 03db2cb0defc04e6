//! The edit API of the CFG, and the facts the passes consult before an edit.
//!
//! Passes never write a block's instructions, jump target, fall-through or
//! the layout directly (those fields are private to the `cfg` module); they
//! call the primitives below, modelled on CPython's `flowgraph.c`
//! (`INSTR_SET_OP0`/`INSTR_SET_OP1`) and rustc's `MirPatch`:
//!
//! | primitive | what it does |
//! |---|---|
//! | [`Cfg::set_op`] | new opcode, same argument / target (jump inversion, unchecked loads) |
//! | [`Cfg::replace`] | new opcode and oparg at the same location (`INSTR_SET_OP1`) |
//! | [`Cfg::nop_out`] | a located `NOP` (`INSTR_SET_OP0(NOP)`): how code is removed |
//! | [`Cfg::fuse`] | two adjacent instructions become one superinstruction |
//! | [`Cfg::split`] | a superinstruction becomes its two halves, at its location |
//! | [`Cfg::retarget`] | the block's jump goes to another block |
//! | [`Cfg::set_fallthrough`] | the block's fall-through successor |
//! | [`Cfg::unlink_blocks`] | blocks leave the layout (unreachable code) |
//! | [`Cfg::insert`] | a new instruction (test passes only) |
//! | [`Cfg::copy_block`] | a new block copying another (tail duplication) |
//! | [`Cfg::place_after`] | a block's place in the layout |
//! | [`Cfg::set_ext`], [`Cfg::clear_ext`] | the EXTENDED_ARG width hint |
//! | [`Cfg::mark_line_start`] | the 3.8/3.9 line-start mark |
//! | [`Cfg::remove_nops`] | the one deletion primitive: NOPs only |
//!
//! The rule they enforce: a pass never deletes an instruction. What a pass
//! makes redundant becomes a `NOP` that keeps its location ([`Cfg::nop_out`]),
//! so no line event is lost by the pass that made it redundant; the
//! `nop-removal` pass then removes the NOPs that carry no line event of their
//! own, by CPython's own rules, through [`Cfg::remove_nops`], which cannot
//! remove anything but a NOP. [`Cfg::fuse`] is not a deletion: both
//! instructions live on in the superinstruction; [`Cfg::split`], its
//! inverse, is the one primitive by which a real pass adds an instruction.
//!
//! Also here: dropping empty blocks and merging straight-line blocks (both
//! keep the code instruction for instruction), the line-event facts the
//! passes consult before removing or bypassing an instruction, and definite
//! assignment of locals.

use fixedbitset::FixedBitSet;

use super::{is_jump, BlockId, Cfg};
use crate::bytecode::Instr;
use crate::version::{ArgKind, CodeLayout, Op};

impl Cfg {
    /// Turns instruction `i` of block `b` into a `NOP` with the same
    /// location (and 3.8/3.9 line-start mark): CPython's
    /// `INSTR_SET_OP0(instr, NOP)`. If it was the jump ending the block, the
    /// block loses its jump target (it then falls through, or not, as its
    /// `fallthrough` says).
    pub fn nop_out(&mut self, b: BlockId, i: usize) {
        let blk = &mut self.blocks[b.index()];
        let last = blk.instrs.len().wrapping_sub(1);
        if let Some(ins) = blk.instrs.get_mut(i) {
            ins.op = Op::NOP;
            ins.arg = 0;
            ins.ext = 0;
            if i == last {
                blk.target = None;
            }
        }
    }

    /// Changes the opcode of instruction `i` of block `b`, keeping its
    /// argument, location and (for a jump) target: for a rewrite that keeps
    /// the argument's meaning (`LOAD_FAST_CHECK` → `LOAD_FAST`, a conditional
    /// jump into its inverse or into an unconditional jump to the same
    /// target). A jump must stay a jump and a non-jump a non-jump (the
    /// verifier reports otherwise).
    pub fn set_op(&mut self, b: BlockId, i: usize, op: Op) {
        if let Some(ins) = self.blocks[b.index()].instrs.get_mut(i) {
            ins.op = op;
        }
    }

    /// Gives instruction `i` of block `b` a new opcode and oparg at the same
    /// location (CPython's `INSTR_SET_OP1`); the EXTENDED_ARG hint, which
    /// belonged to the old argument, is cleared. `op` is not a jump (a jump
    /// keeps its opcode class: [`Cfg::set_op`], [`Cfg::retarget`]); if the
    /// instruction was the block's jump, the block loses its target.
    pub fn replace(&mut self, b: BlockId, i: usize, op: Op, arg: u32) {
        let blk = &mut self.blocks[b.index()];
        let last = blk.instrs.len().wrapping_sub(1);
        if let Some(ins) = blk.instrs.get_mut(i) {
            ins.op = op;
            ins.arg = arg;
            ins.ext = 0;
            if i == last {
                blk.target = None;
            }
        }
    }

    /// Fuses instructions `i` and `i + 1` of block `b` into the
    /// superinstruction `op arg` at `i`, which keeps the first one's
    /// location, line-start mark and EXTENDED_ARG hint. Neither instruction
    /// is lost: both run as halves of the superinstruction.
    ///
    /// CPython's `make_super_instruction` does `INSTR_SET_OP1` on the first
    /// and `INSTR_SET_OP0(NOP)` on the second, and `insert_superinstructions`
    /// then calls `remove_redundant_nops` at once, which removes that NOP
    /// because it has the first one's line (CPython fuses only on one line).
    /// This is the same in one step: leaving the NOP for `nop-removal` would
    /// change the output of the `superinstructions` pass run alone.
    pub fn fuse(&mut self, b: BlockId, i: usize, op: Op, arg: u32) {
        let blk = &mut self.blocks[b.index()];
        if i + 1 >= blk.instrs.len() {
            return;
        }
        blk.instrs[i].op = op;
        blk.instrs[i].arg = arg;
        blk.instrs.remove(i + 1);
        if i + 1 == blk.instrs.len() {
            // The second half was last: a superinstruction is no jump.
            blk.target = None;
        }
    }

    /// Splits instruction `i` of block `b` (a superinstruction, which is no
    /// jump) into the two instructions `first` and `second`, in that order,
    /// both at its location: the inverse of [`Cfg::fuse`], for a pass that
    /// rewrites one half of a superinstruction (`LOAD_FAST_LOAD_FAST x, y`
    /// → `LOAD_CONST c; LOAD_FAST y`). The first keeps the 3.8/3.9
    /// line-start mark; both get the minimal EXTENDED_ARG width. Neither
    /// `first` nor `second` may be a jump (the verifier reports otherwise).
    /// Out of range: nothing happens.
    pub fn split(&mut self, b: BlockId, i: usize, first: (Op, u32), second: (Op, u32)) {
        let blk = &mut self.blocks[b.index()];
        let last = i + 1 == blk.instrs.len();
        let Some(ins) = blk.instrs.get_mut(i) else {
            return;
        };
        ins.op = first.0;
        ins.arg = first.1;
        ins.ext = 0;
        let mut tail = *ins;
        tail.op = second.0;
        tail.arg = second.1;
        tail.line_start = false;
        blk.instrs.insert(i + 1, tail);
        if last {
            blk.target = None;
        }
    }

    /// Points the jump that ends block `b` at `t` (linearization picks the
    /// opcode of the right direction where the version has one).
    pub fn retarget(&mut self, b: BlockId, t: BlockId) {
        self.blocks[b.index()].target = Some(t);
    }

    /// Sets the block that runs after `b` when its last instruction does not
    /// transfer control (`None`: it never falls through).
    pub fn set_fallthrough(&mut self, b: BlockId, f: Option<BlockId>) {
        self.blocks[b.index()].fallthrough = f;
    }

    /// Takes the laid-out blocks for which `unlink` is true out of the
    /// layout (their instructions no longer run: for blocks nothing reaches).
    /// They stay in the arena. Returns how many left.
    pub fn unlink_blocks(&mut self, mut unlink: impl FnMut(BlockId) -> bool) -> u32 {
        let before = self.order.len();
        self.order.retain(|&b| !unlink(b));
        (before - self.order.len()) as u32
    }

    /// A new block, not laid out, holding a copy of block `src`: its
    /// instructions (with their locations and line-start marks), jump
    /// target, fall-through and handler. `loop-rotation` copies a loop's
    /// test this way; the copy runs only once [`Cfg::place_after`] lays it
    /// out and something reaches it.
    pub fn copy_block(&mut self, src: BlockId) -> BlockId {
        let copy = self.blocks[src.index()].clone();
        self.blocks.push(copy);
        BlockId(self.blocks.len() as u32 - 1)
    }

    /// Lays block `b` out right after block `after` (`None`: at the end of
    /// the layout), taking it out of its old place first. Fall-throughs are
    /// links, not positions: where a block's fall-through successor no
    /// longer follows it, linearization adds a jump.
    pub fn place_after(&mut self, b: BlockId, after: Option<BlockId>) {
        self.order.retain(|&x| x != b);
        let at = match after {
            Some(a) => match self.order.iter().position(|&x| x == a) {
                Some(k) => k + 1,
                None => return,
            },
            None => self.order.len(),
        };
        self.order.insert(at, b);
    }

    /// Inserts `ins` before instruction `i` of block `b` (at the end when
    /// `i` is its length). Only the test passes add instructions this way
    /// (`loop-rotation` copies whole blocks: [`Cfg::copy_block`]); a jump
    /// cannot be inserted this way (it would have no target).
    pub fn insert(&mut self, b: BlockId, i: usize, ins: Instr) {
        let blk = &mut self.blocks[b.index()];
        let i = i.min(blk.instrs.len());
        blk.instrs.insert(i, ins);
    }

    /// Sets the EXTENDED_ARG width hint of instruction `i` of block `b`
    /// (the encoder never writes fewer prefixes; see `Instr::ext`).
    pub fn set_ext(&mut self, b: BlockId, i: usize, ext: u8) {
        if let Some(ins) = self.blocks[b.index()].instrs.get_mut(i) {
            ins.ext = ext;
        }
    }

    /// Clears the EXTENDED_ARG width hints of every instruction, so that
    /// changed code gets the minimal widths, as CPython writes them.
    pub fn clear_ext(&mut self) {
        for blk in &mut self.blocks {
            for ins in &mut blk.instrs {
                ins.ext = 0;
            }
        }
    }

    /// Gives instruction `i` of block `b` the 3.8/3.9 line-start mark (see
    /// `Instr::line_start`): where `nop-removal` hands on the mark of a NOP
    /// it removes.
    pub fn mark_line_start(&mut self, b: BlockId, i: usize) {
        if let Some(ins) = self.blocks[b.index()].instrs.get_mut(i) {
            ins.line_start = true;
        }
    }

    /// The one deletion primitive: removes the `NOP`s of block `b` for which
    /// `remove(index, nop)` is true (indices as before the call); any other
    /// instruction stays whatever `remove` says. Returns how many went.
    ///
    /// Only `nop-removal` calls this, deciding by CPython's line rules which
    /// NOPs carry no line event; plus `strip-docstrings`, which blanks the
    /// docstring store with [`Cfg::nop_out`] and removes those NOPs because
    /// dropping that statement, line event included, is what `-OO` does.
    /// `passes/mod.rs` tests that no other pass calls it.
    pub fn remove_nops(
        &mut self,
        b: BlockId,
        mut remove: impl FnMut(usize, &Instr) -> bool,
    ) -> u32 {
        let blk = &mut self.blocks[b.index()];
        let before = blk.instrs.len();
        let mut k = 0;
        blk.instrs.retain(|ins| {
            let go = ins.op == Op::NOP && remove(k, ins);
            k += 1;
            !go
        });
        (before - blk.instrs.len()) as u32
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
        let resolved: Vec<BlockId> = (0..self.blocks.len() as u32)
            .map(|i| self.skip_empty(BlockId(i)))
            .collect();
        for blk in &mut self.blocks {
            if let Some(t) = blk.target {
                blk.target = Some(resolved[t.index()]);
            }
            if let Some(f) = blk.fallthrough {
                blk.fallthrough = Some(resolved[f.index()]);
            }
            if let Some(h) = &mut blk.handler {
                h.target = resolved[h.target.index()];
            }
        }
        if let Some(&e) = resolved.get(self.entry.index()) {
            self.entry = e;
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
                let target = self.blocks[b.index()].target.take();
                let blk = &mut self.blocks[a.index()];
                blk.instrs.extend(moved);
                blk.fallthrough = next;
                blk.target = target;
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
        let mut n = vec![0u32; self.blocks.len()];
        for &b in &self.order {
            if let Some(t) = self.block(b).target {
                if let Some(c) = n.get_mut(t.index()) {
                    *c += 1;
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
        let excluded = self.unbindable_locals(nlocals);
        self.definitely_assigned_with(nargs, nlocals, &excluded, &self.reachable())
    }

    /// [`Cfg::definitely_assigned`] given [`Cfg::unbindable_locals`] and
    /// [`Cfg::reachable`] (which a caller may need too). Allocates the
    /// per-block sets and two scratch sets, nothing per iteration.
    fn definitely_assigned_with(
        &self,
        nargs: usize,
        nlocals: usize,
        excluded: &FixedBitSet,
        reachable: &FixedBitSet,
    ) -> Vec<FixedBitSet> {
        let n = self.blocks.len();
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
        entry_set.difference_with(excluded);
        // Optimistic start (all bound) except the entry; iterate to the
        // greatest fixpoint over reachable blocks.
        let mut inn = vec![full; n];
        let Some(entry) = self.entry() else {
            return inn;
        };
        inn[entry.index()] = entry_set;
        // The block's entry and exit states, and a successor's new state.
        let (mut at_entry, mut out, mut next) = (
            FixedBitSet::with_capacity(nlocals),
            FixedBitSet::with_capacity(nlocals),
            FixedBitSet::with_capacity(nlocals),
        );
        let mut changed = true;
        while changed {
            changed = false;
            for &b in &self.order {
                if !reachable.contains(b.index()) {
                    continue;
                }
                at_entry.clone_from(&inn[b.index()]);
                out.clone_from(&at_entry);
                out.union_with(&gen[b.index()]);
                out.difference_with(excluded);
                let blk = self.block(b);
                // SETUP_* edges: the state where the protected region
                // begins is at least the block's entry state.
                let jump = match (blk.target, blk.instrs.last()) {
                    (Some(t), Some(last)) if super::is_block_setup(last.op) => Some((t, &at_entry)),
                    (Some(t), Some(_)) => Some((t, &out)),
                    _ => None,
                };
                let edges = blk
                    .fallthrough
                    .map(|f| (f, &out))
                    .into_iter()
                    .chain(jump)
                    .chain(blk.handler.map(|h| (h.target, &at_entry)));
                for (s, state) in edges {
                    let Some(slot) = inn.get_mut(s.index()) else {
                        continue;
                    };
                    next.clone_from(slot);
                    next.intersect_with(state);
                    if next != *slot {
                        std::mem::swap(slot, &mut next);
                        changed = true;
                    }
                }
            }
        }
        inn
    }

    /// Visits every instruction of the reachable blocks together with the
    /// locals bound on every path to it ([`Cfg::definitely_assigned`]
    /// extended through the block); where `visit` returns a new opcode and
    /// oparg, the instruction is rewritten as by [`Cfg::replace`] (before the
    /// walk goes on past it). Returns the number of rewrites.
    pub fn rewrite_with_bound(
        &mut self,
        nargs: usize,
        nlocals: usize,
        mut visit: impl FnMut(&Instr, &FixedBitSet) -> Option<(Op, u32)>,
    ) -> u32 {
        self.rewrite_or_split_with_bound(nargs, nlocals, |instrs, i, bound| {
            visit(&instrs[i], bound).map(|(op, arg)| Rewrite::Replace(op, arg))
        })
    }

    /// [`Cfg::rewrite_with_bound`], where `visit` sees the whole block
    /// (its instructions and the index of the one visited, so it can look
    /// at what consumes the value) and may also split the instruction in
    /// two ([`Rewrite::Split`], by [`Cfg::split`]). The
    /// locals the original instruction binds count as bound after it (a
    /// split half may load a local the replaced one read); the new
    /// instructions are not visited. Returns the number of instructions
    /// rewritten or split.
    pub fn rewrite_or_split_with_bound(
        &mut self,
        nargs: usize,
        nlocals: usize,
        mut visit: impl FnMut(&[Instr], usize, &FixedBitSet) -> Option<Rewrite>,
    ) -> u32 {
        let excluded = self.unbindable_locals(nlocals);
        let reachable = self.reachable();
        let assigned = self.definitely_assigned_with(nargs, nlocals, &excluded, &reachable);
        let mut changes = 0;
        for b in self.order.clone() {
            if !reachable.contains(b.index()) {
                continue;
            }
            let mut bound = assigned[b.index()].clone();
            let mut i = 0;
            while i < self.blocks[b.index()].instrs.len() {
                let ins = self.blocks[b.index()].instrs[i];
                let mut binds = bound_by(&ins);
                let mut step = 1;
                match visit(&self.blocks[b.index()].instrs, i, &bound) {
                    Some(Rewrite::Replace(op, arg)) => {
                        self.replace(b, i, op, arg);
                        binds = bound_by(&self.blocks[b.index()].instrs[i]);
                        changes += 1;
                    }
                    Some(Rewrite::Split(first, second)) => {
                        self.split(b, i, first, second);
                        step = 2;
                        changes += 1;
                    }
                    None => {}
                }
                for l in binds {
                    let l = l as usize;
                    if l < nlocals && !excluded.contains(l) {
                        bound.insert(l);
                    }
                }
                i += step;
            }
        }
        changes
    }

    /// Locals that [`Cfg::definitely_assigned`] never reports bound.
    pub fn unbindable_locals(&self, nlocals: usize) -> FixedBitSet {
        let table = self.version.table();
        let locals_plus = self.version.facts().code_layout == CodeLayout::LocalsPlus;
        let mut out = FixedBitSet::with_capacity(nlocals);
        for ins in self.blocks.iter().flat_map(|b| &b.instrs) {
            let Some(info) = table.info(ins.op) else {
                continue;
            };
            let names_local =
                info.arg_kind == ArgKind::Local || (locals_plus && info.arg_kind == ArgKind::Free);
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

/// What [`Cfg::rewrite_or_split_with_bound`] does to an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rewrite {
    /// A new opcode and oparg at the same location ([`Cfg::replace`]).
    Replace(Op, u32),
    /// Two instructions at its location ([`Cfg::split`]).
    Split((Op, u32), (Op, u32)),
}

/// Up to two local indexes: what one instruction names or binds (two for
/// the 3.13+ superinstructions), without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locals {
    len: u8,
    items: [u32; 2],
}

impl Locals {
    const NONE: Locals = Locals {
        len: 0,
        items: [0; 2],
    };

    fn one(l: u32) -> Locals {
        Locals {
            len: 1,
            items: [l, 0],
        }
    }

    fn two(a: u32, b: u32) -> Locals {
        Locals {
            len: 2,
            items: [a, b],
        }
    }

    /// The locals, in the instruction's order.
    pub fn as_slice(&self) -> &[u32] {
        &self.items[..self.len as usize]
    }
}

impl IntoIterator for Locals {
    type Item = u32;
    type IntoIter = std::iter::Take<std::array::IntoIter<u32, 2>>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter().take(self.len as usize)
    }
}

/// The locals an instruction names (two for the 3.13+ superinstructions).
pub fn named_locals(ins: &Instr) -> Locals {
    if ins.op.packs_two_locals() {
        Locals::two(ins.arg >> 4, ins.arg & 15)
    } else {
        Locals::one(ins.arg)
    }
}

/// Locals bound once `ins` completes without raising.
pub fn bound_by(ins: &Instr) -> Locals {
    match ins.op {
        Op::STORE_FAST | Op::LOAD_FAST | Op::LOAD_FAST_BORROW | Op::LOAD_FAST_CHECK => {
            Locals::one(ins.arg)
        }
        op if op.packs_two_locals() => Locals::two(ins.arg >> 4, ins.arg & 15),
        _ => Locals::NONE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::testing::{if_then_return, ins};
    use crate::bytecode::{CodeIr, Loc};
    use crate::version::PyVersion;

    /// 3.12: B0 = [RESUME, LOAD_FAST x, POP_JUMP_IF_FALSE → B2],
    /// B1 = [LOAD_FAST x, STORE_FAST y] (falls through to B2),
    /// B2 = [LOAD_FAST_CHECK y, RETURN_VALUE].
    fn sample() -> Cfg {
        Cfg::build(&if_then_return(
            PyVersion::V3_12,
            ins,
            (Op::LOAD_FAST, 0),
            false,
        ))
    }

    const B0: BlockId = BlockId(0);
    const B1: BlockId = BlockId(1);
    const B2: BlockId = BlockId(2);

    fn ops(cfg: &Cfg, b: BlockId) -> Vec<Op> {
        cfg.block(b).instrs().iter().map(|i| i.op).collect()
    }

    #[test]
    fn build_keeps_the_target_apart_from_the_oparg() {
        let cfg = sample();
        assert_eq!(cfg.block(B0).target(), Some(B2));
        assert_eq!(cfg.block(B0).instrs()[2].arg, 0, "a jump's arg is unused");
        assert_eq!(cfg.block(B1).target(), None);
        assert_eq!(cfg.block(B1).fallthrough(), Some(B2));
        assert_eq!(cfg.verify(), Ok(()));
    }

    #[test]
    fn nop_out_keeps_the_location_and_drops_a_jump_target() {
        let mut cfg = sample();
        cfg.set_ext(B1, 0, 1);
        cfg.nop_out(B1, 0);
        let n = cfg.block(B1).instrs()[0];
        assert_eq!((n.op, n.arg, n.ext, n.loc), (Op::NOP, 0, 0, Loc::line(3)));
        cfg.nop_out(B0, 2);
        assert_eq!(cfg.block(B0).target(), None);
        assert_eq!(cfg.block(B0).len(), 3, "nothing is deleted");
        assert_eq!(cfg.verify(), Ok(()));
        // Out of range: nothing happens.
        cfg.nop_out(B0, 9);
        assert_eq!(cfg.block(B0).len(), 3);
    }

    #[test]
    fn set_op_keeps_argument_and_target() {
        let mut cfg = sample();
        cfg.set_op(B0, 2, Op::POP_JUMP_IF_TRUE);
        assert_eq!(cfg.block(B0).instrs()[2].op, Op::POP_JUMP_IF_TRUE);
        assert_eq!(cfg.block(B0).target(), Some(B2));
        cfg.set_op(B2, 0, Op::LOAD_FAST);
        assert_eq!(cfg.block(B2).instrs()[0].arg, 1);
        assert_eq!(cfg.verify(), Ok(()));
    }

    #[test]
    fn replace_sets_op_and_oparg_at_the_same_location() {
        let mut cfg = sample();
        cfg.set_ext(B1, 0, 2);
        cfg.replace(B1, 0, Op::LOAD_CONST, 7);
        let r = cfg.block(B1).instrs()[0];
        assert_eq!(
            (r.op, r.arg, r.ext, r.loc),
            (Op::LOAD_CONST, 7, 0, Loc::line(3))
        );
        // Replacing the jump drops the block's target.
        cfg.replace(B0, 2, Op::POP_TOP, 0);
        assert_eq!(cfg.block(B0).target(), None);
        assert_eq!(cfg.verify(), Ok(()));
    }

    #[test]
    fn fuse_makes_one_superinstruction_of_two() {
        let mut cfg = sample();
        cfg.fuse(B1, 0, Op::LOAD_FAST_LOAD_FAST, 0x01);
        assert_eq!(ops(&cfg, B1), [Op::LOAD_FAST_LOAD_FAST]);
        let f = cfg.block(B1).instrs()[0];
        assert_eq!((f.arg, f.loc), (0x01, Loc::line(3)));
        // Without a second instruction there is nothing to fuse.
        cfg.fuse(B1, 0, Op::STORE_FAST_STORE_FAST, 0x11);
        assert_eq!(ops(&cfg, B1), [Op::LOAD_FAST_LOAD_FAST]);
    }

    #[test]
    fn split_makes_two_instructions_of_one_at_its_location() {
        let mut cfg = sample();
        cfg.fuse(B1, 0, Op::STORE_FAST_LOAD_FAST, 0x10);
        let mut ir = CodeIr::new(PyVersion::V3_13);
        ir.instrs = vec![
            ins(Op::RESUME, 0, 1),
            ins(Op::LOAD_FAST_LOAD_FAST, 0x01, 2),
            ins(Op::BINARY_OP, 5, 2),
            ins(Op::RETURN_VALUE, 0, 3),
        ];
        let mut cfg13 = Cfg::build(&ir);
        cfg13.set_ext(B0, 1, 1);
        cfg13.split(B0, 1, (Op::LOAD_CONST, 300), (Op::LOAD_FAST, 1));
        assert_eq!(
            ops(&cfg13, B0),
            [
                Op::RESUME,
                Op::LOAD_CONST,
                Op::LOAD_FAST,
                Op::BINARY_OP,
                Op::RETURN_VALUE
            ]
        );
        let (a, c) = (cfg13.block(B0).instrs()[1], cfg13.block(B0).instrs()[2]);
        assert_eq!((a.arg, a.ext, a.loc), (300, 0, Loc::line(2)));
        assert_eq!((c.arg, c.ext, c.loc), (1, 0, Loc::line(2)));
        assert_eq!(cfg13.verify(), Ok(()));
        // The inverse of fuse; out of range, nothing happens.
        cfg.split(B1, 0, (Op::STORE_FAST, 1), (Op::LOAD_FAST, 0));
        assert_eq!(ops(&cfg, B1), [Op::STORE_FAST, Op::LOAD_FAST]);
        assert_eq!(cfg.block(B1).instrs()[1].loc, Loc::line(3));
        cfg.split(B1, 9, (Op::NOP, 0), (Op::NOP, 0));
        assert_eq!(cfg.block(B1).len(), 2);
    }

    #[test]
    fn retarget_and_set_fallthrough_rewire_edges() {
        let mut cfg = sample();
        cfg.retarget(B0, B1);
        assert_eq!(cfg.block(B0).target(), Some(B1));
        cfg.set_fallthrough(B1, None);
        assert_eq!(cfg.block(B1).fallthrough(), None);
        // B1 now runs into B2 without a fall-through edge.
        assert!(cfg.verify().is_err());
        cfg.set_fallthrough(B1, Some(B2));
        assert_eq!(cfg.verify(), Ok(()));
        let out = cfg.linearize().expect("linearize");
        assert_eq!(
            out.instrs[2].arg, 3,
            "the jump goes to B1's first instruction"
        );
    }

    #[test]
    fn unlink_blocks_takes_blocks_out_of_the_layout_only() {
        let mut cfg = sample();
        cfg.nop_out(B0, 2);
        assert_eq!(cfg.unlink_blocks(|b| b == B1), 1);
        assert_eq!(cfg.order(), [B0, B2]);
        assert_eq!(cfg.block_count(), 3, "the arena keeps it");
        assert_eq!(cfg.block(B1).len(), 2);
    }

    #[test]
    fn insert_adds_an_instruction() {
        let mut cfg = sample();
        cfg.insert(B1, 0, ins(Op::NOP, 0, 3));
        cfg.insert(B1, 99, ins(Op::NOP, 0, 3));
        assert_eq!(
            ops(&cfg, B1),
            [Op::NOP, Op::LOAD_FAST, Op::STORE_FAST, Op::NOP]
        );
    }

    #[test]
    fn ext_hints_and_line_start_marks() {
        let mut cfg = sample();
        cfg.set_ext(B2, 0, 1);
        cfg.mark_line_start(B2, 1);
        assert_eq!(cfg.block(B2).instrs()[0].ext, 1);
        assert!(cfg.block(B2).instrs()[1].line_start);
        cfg.clear_ext();
        assert!(cfg
            .block_ids()
            .all(|b| cfg.block(b).instrs().iter().all(|i| i.ext == 0)));
    }

    #[test]
    fn remove_nops_removes_nothing_but_nops() {
        let mut cfg = sample();
        cfg.nop_out(B1, 1);
        // Asked to remove everything: only the NOP goes.
        assert_eq!(cfg.remove_nops(B1, |_, _| true), 1);
        assert_eq!(ops(&cfg, B1), [Op::LOAD_FAST]);
        // Indices are those before the call.
        let mut cfg = sample();
        cfg.insert(B2, 0, ins(Op::NOP, 0, 4));
        cfg.insert(B2, 2, ins(Op::NOP, 0, 4));
        let mut seen = Vec::new();
        let gone = cfg.remove_nops(B2, |k, n| {
            seen.push((k, n.op));
            k == 2
        });
        assert_eq!(gone, 1);
        assert_eq!(seen, [(0, Op::NOP), (2, Op::NOP)]);
        assert_eq!(
            ops(&cfg, B2),
            [Op::NOP, Op::LOAD_FAST_CHECK, Op::RETURN_VALUE]
        );
    }

    #[test]
    fn an_emptied_entry_block_hands_on_the_entry() {
        let mut cfg = sample();
        for i in 0..3 {
            cfg.nop_out(B0, i);
        }
        assert_eq!(cfg.remove_nops(B0, |_, _| true), 3);
        assert_eq!(cfg.remove_empty_blocks(), 1);
        assert_eq!(cfg.order(), [B1, B2]);
        assert_eq!(cfg.entry(), Some(B1));
        assert_eq!(cfg.verify(), Ok(()));
        // Taking the new entry out of the layout is an error.
        cfg.unlink_blocks(|b| b == B1);
        assert_eq!(
            cfg.verify().err().unwrap_or_default()[0].to_string(),
            "layout: the entry block B1 is not first (B2 is)"
        );
    }

    #[test]
    fn rewrite_with_bound_replaces_where_visit_says() {
        let mut cfg = sample();
        // x (local 0) is a parameter; y (local 1) is unbound on the jump path.
        let n = cfg.rewrite_with_bound(1, 2, |ins, bound| {
            let check = ins.op == Op::LOAD_FAST_CHECK && bound.contains(ins.arg as usize);
            let plain = ins.op == Op::LOAD_FAST && bound.contains(ins.arg as usize);
            (check || plain).then_some((Op::LOAD_FAST_BORROW, ins.arg))
        });
        assert_eq!(n, 2, "the two loads of x");
        assert_eq!(ops(&cfg, B1)[0], Op::LOAD_FAST_BORROW);
        assert_eq!(ops(&cfg, B2)[0], Op::LOAD_FAST_CHECK);
    }

    #[test]
    fn merging_blocks_moves_the_jump_target() {
        let mut cfg = sample();
        // B1 → B2 by falling through only once B0's jump is gone.
        cfg.nop_out(B0, 2);
        assert_eq!(cfg.merge_straight_blocks(), 2);
        assert_eq!(cfg.order(), [B0]);
        assert_eq!(cfg.block(B0).len(), 7);
        assert_eq!(cfg.verify(), Ok(()));
        // A block ending in a jump, merged into its predecessor, hands it
        // its target.
        let mut ir = CodeIr::new(PyVersion::V3_12);
        ir.instrs = vec![
            ins(Op::RESUME, 0, 1),
            ins(Op::LOAD_FAST, 0, 2),
            ins(Op::POP_JUMP_IF_FALSE, 5, 2),
            ins(Op::LOAD_CONST, 0, 3),
            ins(Op::JUMP_FORWARD, 7, 3),
            ins(Op::LOAD_CONST, 1, 4),
            ins(Op::RETURN_VALUE, 0, 4),
            ins(Op::RETURN_VALUE, 0, 5),
        ];
        let mut cfg = Cfg::build(&ir);
        let b3 = BlockId(3);
        assert_eq!(cfg.block(B1).target(), Some(b3));
        cfg.nop_out(B0, 2);
        assert_eq!(cfg.merge_straight_blocks(), 1);
        assert_eq!(cfg.order(), [B0, B2, b3]);
        assert_eq!(cfg.block(B0).target(), Some(b3));
        assert_eq!(cfg.block(B1).target(), None);
        assert_eq!(cfg.verify(), Ok(()));
        let out = cfg.linearize().expect("linearize");
        assert_eq!((out.instrs[4].op, out.instrs[4].arg), (Op::JUMP_FORWARD, 7));
    }
}
