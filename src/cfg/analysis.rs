//! Analyses over a [`Cfg`]: reachability, predecessors, stack depth at block
//! entry and liveness of local variables. Each is computed on demand from
//! the current graph; a pass that changes the graph computes again.

use fixedbitset::FixedBitSet;

use super::{BlockId, Cfg, EdgeKind};
use crate::bytecode::{self, CodeIr};
use crate::version::{ArgKind, Op, PyVersion};

/// Predecessor lists, indexed by `BlockId`: each block's predecessors in
/// layout order of the predecessor (and, from one predecessor, in the order
/// of [`Cfg::edges`]). Held as one list with per-block ranges, so computing
/// it costs two allocations however many blocks there are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Predecessors {
    /// `edges[start[b]..start[b + 1]]` are the predecessors of block `b`.
    start: Vec<u32>,
    edges: Vec<(BlockId, EdgeKind)>,
}

impl Predecessors {
    pub fn of(&self, b: BlockId) -> &[(BlockId, EdgeKind)] {
        match (self.start.get(b.index()), self.start.get(b.index() + 1)) {
            (Some(&s), Some(&e)) => &self.edges[s as usize..e as usize],
            _ => &[],
        }
    }
}

/// Live-in and live-out sets of locals (by `co_varnames`/localsplus index).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Liveness {
    pub live_in: Vec<FixedBitSet>,
    pub live_out: Vec<FixedBitSet>,
}

/// How an instruction uses locals: (reads, writes) as local indexes.
fn local_uses(v: PyVersion, op: Op, arg: u32) -> ([Option<u32>; 2], [Option<u32>; 2]) {
    let table = v.table();
    let Some(info) = table.info(op) else {
        return ([None; 2], [None; 2]);
    };
    if info.arg_kind != ArgKind::Local {
        return ([None; 2], [None; 2]);
    }
    let (hi, lo) = (arg >> 4, arg & 15);
    match op {
        Op::LOAD_FAST_LOAD_FAST | Op::LOAD_FAST_BORROW_LOAD_FAST_BORROW => {
            ([Some(hi), Some(lo)], [None; 2])
        }
        Op::STORE_FAST_LOAD_FAST => ([Some(lo), None], [Some(hi), None]),
        Op::STORE_FAST_STORE_FAST => ([None; 2], [Some(hi), Some(lo)]),
        Op::STORE_FAST | Op::DELETE_FAST => ([None; 2], [Some(arg), None]),
        // LOAD_FAST, LOAD_FAST_CHECK, LOAD_FAST_AND_CLEAR (reads, then clears:
        // the value read is live before it) and anything else that names a local.
        _ => ([Some(arg), None], [None; 2]),
    }
}

impl Cfg {
    /// Which blocks a path from the entry reaches (following every edge kind).
    pub fn reachable(&self) -> FixedBitSet {
        let mut seen = FixedBitSet::with_capacity(self.blocks.len());
        let mut work: Vec<BlockId> = self.entry().into_iter().collect();
        while let Some(b) = work.pop() {
            if seen.put(b.index()) {
                continue;
            }
            for (s, _) in self.edges(b) {
                if s.index() < self.blocks.len() && !seen.contains(s.index()) {
                    work.push(s);
                }
            }
        }
        seen
    }

    /// Predecessors of every block.
    pub fn predecessors(&self) -> Predecessors {
        let n = self.blocks.len();
        // Count, then place each edge at its block's next free slot (a
        // counting sort by successor, stable in layout order).
        let mut start = vec![0u32; n + 1];
        for &b in &self.order {
            for (s, _) in self.edges(b) {
                if s.index() < n {
                    start[s.index() + 1] += 1;
                }
            }
        }
        for k in 0..n {
            start[k + 1] += start[k];
        }
        let mut next = start.clone();
        let mut edges = vec![(BlockId(0), EdgeKind::Fallthrough); start[n] as usize];
        for &b in &self.order {
            for (s, kind) in self.edges(b) {
                if let Some(slot) = next.get_mut(s.index()).filter(|_| s.index() < n) {
                    edges[*slot as usize] = (b, kind);
                    *slot += 1;
                }
            }
        }
        Predecessors { start, edges }
    }

    /// Stack depth at the entry of every block (`None` where unreachable), and
    /// the maximum depth. Computed by the same walk that sizes `co_stacksize`,
    /// on the linearized code, so the two can never disagree.
    pub fn stack_depths(&self, flags: i32) -> Result<(Vec<Option<u32>>, u32), super::CfgError> {
        let ir: CodeIr = self.linearize()?;
        let report = bytecode::stack_depth(&ir, flags);
        let mut out = vec![None; self.blocks.len()];
        let mut at = 0usize;
        for &b in &self.order {
            let len = self.block(b).instrs.len();
            if len > 0 {
                out[b.index()] = report.depth_at.get(at).and_then(|&d| u32::try_from(d).ok());
            }
            at += len;
            // A jump added by linearization for a displaced fall-through
            // belongs to its block.
            if let Some(f) = self.block(b).fallthrough {
                let pos = self.order.iter().position(|x| *x == b);
                if pos.and_then(|p| self.order.get(p + 1)) != Some(&f) {
                    at += 1;
                }
            }
        }
        Ok((out, report.max_depth))
    }

    /// Liveness of locals: a local is live at a point if some path from there
    /// reads it before writing it. Exception edges count: what a handler
    /// reads is live throughout the blocks it covers.
    pub fn liveness(&self, nlocals: usize) -> Liveness {
        let n = self.blocks.len();
        let mut gen = vec![FixedBitSet::with_capacity(nlocals); n];
        let mut kill = vec![FixedBitSet::with_capacity(nlocals); n];
        for &b in &self.order {
            let (g, k) = (&mut gen[b.index()], &mut kill[b.index()]);
            for ins in &self.block(b).instrs {
                let (reads, writes) = local_uses(self.version, ins.op, ins.arg);
                for r in reads.into_iter().flatten() {
                    let r = r as usize;
                    if r < nlocals && !k.contains(r) {
                        g.insert(r);
                    }
                }
                for w in writes.into_iter().flatten() {
                    if (w as usize) < nlocals {
                        k.insert(w as usize);
                    }
                }
            }
        }
        let mut live_in = vec![FixedBitSet::with_capacity(nlocals); n];
        let mut live_out = vec![FixedBitSet::with_capacity(nlocals); n];
        let succ: Vec<Vec<(BlockId, EdgeKind)>> =
            (0..n as u32).map(|b| self.successors(BlockId(b))).collect();
        let mut changed = true;
        while changed {
            changed = false;
            for &b in self.order.iter().rev() {
                let i = b.index();
                let mut out = FixedBitSet::with_capacity(nlocals);
                for &(s, kind) in &succ[i] {
                    if let Some(li) = live_in.get(s.index()) {
                        out.union_with(li);
                    }
                    let _ = kind;
                }
                let mut inn = out.clone();
                inn.difference_with(&kill[i]);
                inn.union_with(&gen[i]);
                // A handler may run after any instruction of the block,
                // before its writes: what it reads is live at entry too.
                if let Some(h) = self.block(b).handler {
                    if let Some(li) = live_in.get(h.target.index()) {
                        inn.union_with(li);
                    }
                }
                if inn != live_in[i] || out != live_out[i] {
                    live_in[i] = inn;
                    live_out[i] = out;
                    changed = true;
                }
            }
        }
        Liveness { live_in, live_out }
    }
}
