//! Control-flow graph of one code object: basic blocks of instructions with
//! fall-through, jump and exception edges, built from a [`CodeIr`] and
//! linearized back into one.
//!
//! * Blocks live in an arena indexed by [`BlockId`]; `order` is the layout
//!   that linearization follows. A block ends at a jump or a terminator, and
//!   a new block starts at every jump target and (3.11+) wherever the
//!   covering exception handler changes, so every instruction of a block has
//!   the same [`Handler`].
//! * A jump's target is a [`BlockId`], kept apart from the opargs: a jump
//!   ends its block and its target is the block's [`Block::target`]; while
//!   in the CFG the jump instruction's own `arg` is unused (0). `BlockId`
//!   has no public constructor and no public field, so a pass cannot make a
//!   block id out of an oparg or write one into an oparg: the confusion is
//!   a type error.
//! * Passes read blocks through [`Block::instrs`] and the layout through
//!   [`Cfg::order`], and change them only through the edit API of
//!   `edit.rs` ([`Cfg::nop_out`], [`Cfg::replace`], [`Cfg::fuse`], ...).
//!   Deleting an instruction is not among them except for NOPs
//!   ([`Cfg::remove_nops`], the one deletion primitive): removed code
//!   becomes located NOPs and `nop-removal` decides which of them go.
//! * `fallthrough` names the block that runs next when the last instruction
//!   does not transfer control; linearization adds a jump when a pass moved
//!   that block away.
//! * Exception edges: on 3.11+ from each block to its handler block; on
//!   3.8–3.10 from a `SETUP_FINALLY`/`SETUP_WITH`/`SETUP_ASYNC_WITH` to the
//!   handler it installs (their jump target).
//!
//! Guarantee: `linearize(build(ir)) == ir` for every decoded IR — the CFG
//! identity that lets a file with no pass applied come back byte-identical.

mod analysis;
mod edit;
mod verify;

pub use analysis::{Liveness, Predecessors};
pub use edit::{bound_by, named_locals, Locals, Rewrite};
pub use verify::{describe_issues, CfgIssue};

use std::fmt;

use crate::bytecode::{CodeIr, ExceptionEntry, Instr, LineEntry, Loc};
use crate::version::{JumpKind, Op, PyVersion, VersionTable};

/// Index of a block in a [`Cfg`]'s arena. Only the `cfg` module makes
/// one, so a block id cannot be confused with an oparg:
///
/// ```compile_fail,E0423
/// # use pyopt::cfg::BlockId;
/// let oparg: u32 = 3;
/// let b = BlockId(oparg); // no public constructor
/// ```
///
/// ```compile_fail,E0616
/// # use pyopt::cfg::BlockId;
/// fn as_oparg(b: BlockId) -> u32 {
///     b.0 // no public field
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(u32);

impl BlockId {
    /// The block's position in the arena (to index per-block tables).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "B{}", self.0)
    }
}

/// The 3.11+ exception handler covering a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Handler {
    pub target: BlockId,
    pub depth: u32,
    pub lasti: bool,
}

/// The kind of a CFG edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// To the next block when the last instruction does not transfer control.
    Fallthrough,
    /// To the target of the block's final jump.
    Jump,
    /// To an exception handler.
    Exception,
}

/// A basic block. Its fields are private to the `cfg` module: a pass reads
/// them through the accessors below and changes them only through the edit
/// API on [`Cfg`] (see `edit.rs`). In particular no pass can delete an
/// instruction other than through that API:
///
/// ```
/// # use pyopt::cfg::{BlockId, Cfg};
/// fn count(cfg: &Cfg, b: BlockId) -> usize {
///     cfg.block(b).instrs().len() // reading is fine
/// }
/// ```
///
/// ```compile_fail,E0616
/// # use pyopt::cfg::{Block, BlockId, Cfg};
/// fn delete_first(cfg: &Cfg, b: BlockId) -> Block {
///     let mut block = cfg.block(b).clone();
///     block.instrs.remove(0); // private field
///     block
/// }
/// ```
///
/// ```compile_fail,E0616
/// # use pyopt::cfg::Cfg;
/// fn delete_first(cfg: &mut Cfg) {
///     cfg.blocks[0].instrs.remove(0); // private field
/// }
/// ```
///
/// ```compile_fail,E0616
/// # use pyopt::cfg::Cfg;
/// fn drop_last_block(cfg: &mut Cfg) {
///     cfg.order.pop(); // private field: `Cfg::unlink_blocks` is the API
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Block {
    /// The instructions. A jump is always the last one, and its `arg` is
    /// unused (0) while in the CFG: its target is `target`.
    instrs: Vec<Instr>,
    /// The target of the jump that ends the block (`Some` exactly when the
    /// last instruction is a jump).
    target: Option<BlockId>,
    /// The block that runs next if the last instruction falls through.
    fallthrough: Option<BlockId>,
    /// 3.11+: the handler of every instruction in the block.
    handler: Option<Handler>,
}

impl Block {
    /// The instructions (a jump's `arg` is unused: see [`Block::target`]).
    pub fn instrs(&self) -> &[Instr] {
        &self.instrs
    }

    /// Number of instructions.
    pub fn len(&self) -> usize {
        self.instrs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.instrs.is_empty()
    }

    /// The last instruction.
    pub fn last(&self) -> Option<&Instr> {
        self.instrs.last()
    }

    /// The target of the jump that ends the block.
    pub fn target(&self) -> Option<BlockId> {
        self.target
    }

    /// The block that runs next if the last instruction falls through.
    pub fn fallthrough(&self) -> Option<BlockId> {
        self.fallthrough
    }

    /// 3.11+: the exception handler covering the block.
    pub fn handler(&self) -> Option<Handler> {
        self.handler
    }
}

/// The control-flow graph of one code object.
#[derive(Clone, Debug, PartialEq)]
pub struct Cfg {
    pub version: PyVersion,
    pub firstlineno: i32,
    /// The block arena; blocks are never removed from it (a block leaves
    /// the code by leaving `order`).
    blocks: Vec<Block>,
    /// Layout order; the entry block is `order[0]`.
    order: Vec<BlockId>,
    /// The entry block: `B0`, or where an empty entry block sent control
    /// when it left the layout (what the verifier expects first in `order`).
    entry: BlockId,
    /// 3.8/3.9 lnotab entries as read; valid only while no pass changed the
    /// code (the pipeline clears it otherwise, see `CodeIr::lnotab_hint`).
    pub lnotab_hint: Vec<LineEntry>,
}

/// A CFG that cannot be laid out as bytecode of its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CfgError(pub String);

impl fmt::Display for CfgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CfgError {}

/// Ops that install an exception handler on 3.8–3.10 (their jump target).
pub fn is_block_setup(op: Op) -> bool {
    matches!(
        op,
        Op::SETUP_FINALLY | Op::SETUP_WITH | Op::SETUP_ASYNC_WITH
    )
}

impl Cfg {
    /// Splits an IR into basic blocks.
    pub fn build(ir: &CodeIr) -> Cfg {
        let table = ir.version.table();
        let n = ir.instrs.len();
        // Leaders: instruction indices that start a block.
        let mut leader = vec![false; n + 1];
        if n > 0 {
            leader[0] = true;
        }
        for (i, ins) in ir.instrs.iter().enumerate() {
            let jump = is_jump(table, ins.op);
            if jump {
                leader[ins.arg as usize] = true;
            }
            if jump || crate::bytecode::is_terminator(ins.op) {
                leader[i + 1] = true;
            }
        }
        // 3.11+: one handler per block.
        let mut handler_of: Vec<Option<(u32, u32, bool)>> = Vec::new();
        if !ir.exceptions.is_empty() {
            handler_of = vec![None; n];
            for e in &ir.exceptions {
                leader[e.start as usize] = true;
                leader[e.end as usize] = true;
                leader[e.target as usize] = true;
                for h in &mut handler_of[e.start as usize..e.end as usize] {
                    *h = Some((e.target, e.depth, e.lasti));
                }
            }
        }
        // Block of each leader.
        let mut block_of = vec![u32::MAX; n + 1];
        let mut count = 0u32;
        for (i, &l) in leader.iter().enumerate().take(n) {
            if l {
                block_of[i] = count;
                count += 1;
            }
        }
        let mut blocks: Vec<Block> = Vec::with_capacity(count as usize);
        let mut first = 0usize;
        // A block ends before the next leader, or at the end of the code.
        let ends = leader
            .iter()
            .enumerate()
            .skip(1)
            .filter(|&(end, &l)| l || end == n)
            .map(|(end, _)| end);
        for end in ends {
            // One allocation of the exact size per block.
            let mut instrs = ir.instrs[first..end].to_vec();
            let mut target = None;
            if let Some(last) = instrs.last_mut().filter(|l| is_jump(table, l.op)) {
                // A jump ends its block: the target is the block's.
                target = Some(BlockId(block_of[last.arg as usize]));
                last.arg = 0;
            }
            blocks.push(Block {
                instrs,
                target,
                fallthrough: None,
                handler: None,
            });
            first = end;
        }
        // Fall-through links and handlers.
        let mut start = 0usize;
        for (k, b) in blocks.iter_mut().enumerate() {
            let len = b.instrs.len();
            let last = b.instrs[len - 1];
            if !crate::bytecode::is_terminator(last.op) && k + 1 < count as usize {
                b.fallthrough = Some(BlockId(k as u32 + 1));
            }
            if let Some(Some((t, depth, lasti))) = handler_of.get(start) {
                b.handler = Some(Handler {
                    target: BlockId(block_of[*t as usize]),
                    depth: *depth,
                    lasti: *lasti,
                });
            }
            start += len;
        }
        Cfg {
            version: ir.version,
            firstlineno: ir.firstlineno,
            order: (0..count).map(BlockId).collect(),
            entry: BlockId(0),
            blocks,
            lnotab_hint: ir.lnotab_hint.clone(),
        }
    }

    pub fn block(&self, id: BlockId) -> &Block {
        &self.blocks[id.index()]
    }

    /// The layout: the blocks that are part of the code, in order.
    pub fn order(&self) -> &[BlockId] {
        &self.order
    }

    /// Number of blocks in the arena (laid out or not): the length of
    /// per-block tables indexed by [`BlockId::index`].
    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }

    /// Every block of the arena, laid out or not.
    pub fn block_ids(&self) -> impl Iterator<Item = BlockId> {
        (0..self.blocks.len() as u32).map(BlockId)
    }

    /// The entry block, if the code has any instruction.
    pub fn entry(&self) -> Option<BlockId> {
        self.order.first().copied()
    }

    /// The blocks in layout order, one instruction per line, a jump's
    /// target as its block (`--dump-after`).
    pub fn dump(&self) -> String {
        use std::fmt::Write as _;
        let mut text = String::new();
        for &b in self.order() {
            let _ = writeln!(text, "{b}:");
            let blk = self.block(b);
            for (i, ins) in blk.instrs().iter().enumerate() {
                let _ = match blk.target().filter(|_| i + 1 == blk.len()) {
                    Some(t) => writeln!(text, "    {} {t}", ins.op.name()),
                    None => writeln!(text, "    {} {}", ins.op.name(), ins.arg),
                };
            }
        }
        text
    }

    /// Number of instructions in all blocks.
    pub fn instr_count(&self) -> usize {
        self.blocks.iter().map(|b| b.instrs.len()).sum()
    }

    /// The outgoing edges of a block.
    pub fn successors(&self, id: BlockId) -> Vec<(BlockId, EdgeKind)> {
        self.edges(id).collect()
    }

    /// The outgoing edges of a block, without allocating (at most three:
    /// fall-through, jump or `SETUP_*` handler, 3.11+ handler).
    pub fn edges(&self, id: BlockId) -> impl Iterator<Item = (BlockId, EdgeKind)> {
        let b = self.block(id);
        let fall = b.fallthrough.map(|f| (f, EdgeKind::Fallthrough));
        let jump = b.target.map(|t| {
            let kind = if b.instrs.last().is_some_and(|l| is_block_setup(l.op)) {
                EdgeKind::Exception
            } else {
                EdgeKind::Jump
            };
            (t, kind)
        });
        let handler = b.handler.map(|h| (h.target, EdgeKind::Exception));
        fall.into_iter().chain(jump).chain(handler)
    }

    /// The graph as a petgraph `DiGraphMap` over block ids, for the generic
    /// algorithms (dominators, SCCs, ...). Built on demand.
    pub fn graph(&self) -> petgraph::graphmap::DiGraphMap<u32, EdgeKind> {
        let mut g = petgraph::graphmap::DiGraphMap::new();
        for &b in &self.order {
            g.add_node(b.0);
        }
        for &b in &self.order {
            for (s, kind) in self.edges(b) {
                g.add_edge(b.0, s.0, kind);
            }
        }
        g
    }

    /// Lays the blocks out in `order` and turns the CFG back into an IR:
    /// jump arguments become instruction indices, jumps whose target moved
    /// to the other side get the opcode of the right direction, a jump is
    /// added where a fall-through target is not the next block, and the
    /// exception table is rebuilt from the blocks' handlers.
    pub fn linearize(&self) -> Result<CodeIr, CfgError> {
        let table = self.version.table();
        // Where each block starts once laid out, and whether it gets the
        // extra jump that a displaced fall-through needs.
        let mut start_of = vec![u32::MAX; self.blocks.len()];
        let mut extra_jump = vec![false; self.order.len()];
        let mut at = 0u32;
        for (pos, &id) in self.order.iter().enumerate() {
            if start_of.get(id.index()).map_or(true, |&s| s != u32::MAX) {
                return Err(CfgError(format!(
                    "block {id} is laid out twice or does not exist"
                )));
            }
            let b = self.block(id);
            // While laying out, a jump's argument is its target's block id.
            if b.target.is_some() && !b.instrs.last().is_some_and(|l| is_jump(table, l.op)) {
                return Err(CfgError(format!(
                    "block {id} has a jump target but does not end in a jump"
                )));
            }
            extra_jump[pos] = b
                .fallthrough
                .is_some_and(|f| self.order.get(pos + 1) != Some(&f));
            start_of[id.index()] = at;
            at += b.instrs.len() as u32 + u32::from(extra_jump[pos]);
        }
        let total = at as usize;
        let target_index = |b: u32| -> Result<u32, CfgError> {
            match start_of.get(b as usize) {
                Some(&s) if s != u32::MAX && (s as usize) < total => Ok(s),
                _ => Err(CfgError(format!(
                    "jump to block B{b}, which is not laid out or is empty"
                ))),
            }
        };
        let mut instrs: Vec<Instr> = Vec::with_capacity(total);
        let mut exceptions: Vec<ExceptionEntry> = Vec::new();
        for (pos, &id) in self.order.iter().enumerate() {
            let own = self.block(id);
            let handler = own.handler;
            let first = instrs.len() as u32;
            let displaced = own.fallthrough.filter(|_| extra_jump[pos]).map(|f| Instr {
                op: unconditional_jump(self.version),
                ext: 0,
                arg: f.0,
                loc: own.instrs.last().map_or(Loc::NONE, |i| i.loc),
                line_start: false,
            });
            let n_own = own.instrs.len();
            for (k, ins) in own.instrs.iter().chain(displaced.as_ref()).enumerate() {
                let mut ins = *ins;
                if is_jump(table, ins.op) {
                    // The block's own jump (last, with a target) or the one
                    // added for a displaced fall-through.
                    let own_jump = k + 1 == n_own && own.target.is_some();
                    if own_jump {
                        if let Some(t) = own.target {
                            ins.arg = t.0;
                        }
                    } else if k != n_own {
                        return Err(CfgError(format!(
                            "{id}[{k}] {} has no target (a jump must end its block)",
                            ins.op.name()
                        )));
                    }
                    let here = instrs.len() as u32;
                    ins.arg = target_index(ins.arg)?;
                    ins.op = direction_fixed(self.version, ins.op, ins.arg <= here)?;
                }
                instrs.push(ins);
            }
            let last = instrs.len() as u32;
            if let Some(h) = handler {
                if last > first {
                    let target = target_index(h.target.0)?;
                    match exceptions.last_mut() {
                        Some(e)
                            if e.end == first
                                && e.target == target
                                && e.depth == h.depth
                                && e.lasti == h.lasti =>
                        {
                            e.end = last
                        }
                        _ => exceptions.push(ExceptionEntry {
                            start: first,
                            end: last,
                            target,
                            depth: h.depth,
                            lasti: h.lasti,
                        }),
                    }
                }
            }
        }
        Ok(CodeIr {
            version: self.version,
            firstlineno: self.firstlineno,
            instrs,
            exceptions,
            lnotab_hint: self.lnotab_hint.clone(),
        })
    }
}

pub fn is_jump(table: &VersionTable, op: Op) -> bool {
    table.info(op).is_some_and(|i| i.jump != JumpKind::None)
}

/// The unconditional jump linearization adds for a displaced fall-through
/// (`linearize` then fixes its direction).
pub fn unconditional_jump(v: PyVersion) -> Op {
    v.facts().unconditional_jump
}

/// The opcode that reaches a target on the given side (`backward` = the
/// target is at or before the jump), or an error when the version has none.
fn direction_fixed(v: PyVersion, op: Op, backward: bool) -> Result<Op, CfgError> {
    let table = v.table();
    let Some(info) = table.info(op) else {
        return Err(CfgError(format!("{} is not an op of {v}", op.name())));
    };
    let fits = match info.jump {
        JumpKind::Forward => !backward,
        JumpKind::Backward => backward,
        _ => true,
    };
    if fits {
        return Ok(op);
    }
    let swapped = match (op, backward) {
        (Op::JUMP_FORWARD, true) => Some(v.facts().backward_jump),
        (Op::JUMP_BACKWARD | Op::JUMP_BACKWARD_NO_INTERRUPT, false) => Some(Op::JUMP_FORWARD),
        (Op::POP_JUMP_FORWARD_IF_FALSE, true) => Some(Op::POP_JUMP_BACKWARD_IF_FALSE),
        (Op::POP_JUMP_FORWARD_IF_TRUE, true) => Some(Op::POP_JUMP_BACKWARD_IF_TRUE),
        (Op::POP_JUMP_FORWARD_IF_NONE, true) => Some(Op::POP_JUMP_BACKWARD_IF_NONE),
        (Op::POP_JUMP_FORWARD_IF_NOT_NONE, true) => Some(Op::POP_JUMP_BACKWARD_IF_NOT_NONE),
        (Op::POP_JUMP_BACKWARD_IF_FALSE, false) => Some(Op::POP_JUMP_FORWARD_IF_FALSE),
        (Op::POP_JUMP_BACKWARD_IF_TRUE, false) => Some(Op::POP_JUMP_FORWARD_IF_TRUE),
        (Op::POP_JUMP_BACKWARD_IF_NONE, false) => Some(Op::POP_JUMP_FORWARD_IF_NONE),
        (Op::POP_JUMP_BACKWARD_IF_NOT_NONE, false) => Some(Op::POP_JUMP_FORWARD_IF_NOT_NONE),
        _ => None,
    };
    swapped.filter(|s| table.info(*s).is_some()).ok_or_else(|| {
        CfgError(format!(
            "{} cannot jump {} in CPython {v}; the block layout must keep its target {}",
            op.name(),
            if backward { "backward" } else { "forward" },
            if backward { "after it" } else { "before it" }
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jump_directions_swap_within_a_version() {
        assert_eq!(
            direction_fixed(PyVersion::V3_12, Op::JUMP_FORWARD, true),
            Ok(Op::JUMP_BACKWARD)
        );
        assert_eq!(
            direction_fixed(PyVersion::V3_9, Op::JUMP_FORWARD, true),
            Ok(Op::JUMP_ABSOLUTE)
        );
        assert_eq!(
            direction_fixed(PyVersion::V3_11, Op::POP_JUMP_FORWARD_IF_NONE, true),
            Ok(Op::POP_JUMP_BACKWARD_IF_NONE)
        );
        assert!(direction_fixed(PyVersion::V3_12, Op::POP_JUMP_IF_TRUE, true).is_err());
        assert!(direction_fixed(PyVersion::V3_8, Op::FOR_ITER, true).is_err());
        assert_eq!(
            direction_fixed(PyVersion::V3_13, Op::POP_JUMP_IF_TRUE, false),
            Ok(Op::POP_JUMP_IF_TRUE)
        );
    }
}

#[cfg(test)]
mod graph_tests {
    use super::*;
    use crate::bytecode::{self, Instr, Loc};

    fn ins(op: Op, arg: u32, line: i32) -> Instr {
        Instr {
            op,
            ext: 0,
            arg,
            loc: Loc {
                line,
                end_line: line,
                col: 0,
                end_col: 1,
            },
            line_start: false,
        }
    }

    /// `def f(x): if x: y = 1; return y` plus a dead block, in 3.12 shape.
    fn sample() -> CodeIr {
        crate::bytecode::testing::if_then_return(PyVersion::V3_12, ins, (Op::LOAD_CONST, 1), true)
    }

    #[test]
    fn blocks_edges_and_analyses() {
        let ir = sample();
        let cfg = Cfg::build(&ir);
        assert_eq!(cfg.blocks.len(), 4);
        let b = |i: u32| BlockId(i);
        assert_eq!(
            cfg.successors(b(0)),
            vec![(b(1), EdgeKind::Fallthrough), (b(2), EdgeKind::Jump)]
        );
        assert_eq!(cfg.successors(b(1)), vec![(b(2), EdgeKind::Fallthrough)]);
        assert!(cfg.successors(b(2)).is_empty());
        let reach = cfg.reachable();
        assert!(reach.contains(0) && reach.contains(1) && reach.contains(2));
        assert!(!reach.contains(3), "the block after the return is dead");
        let preds = cfg.predecessors();
        assert_eq!(preds.of(b(2)).len(), 2);
        let live = cfg.liveness(2);
        // y (local 1) may be read before it is written on the jump path.
        assert!(live.live_in[0].contains(1) && live.live_in[0].contains(0));
        assert!(
            !live.live_in[1].contains(1),
            "block 1 writes y before any read"
        );
        assert!(live.live_in[2].contains(1));
        let (depths, max) = cfg.stack_depths(0).expect("depths");
        assert_eq!(depths[..3], [Some(0), Some(0), Some(0)]);
        assert_eq!(depths[3], None);
        assert_eq!(max, 1);
        let g = cfg.graph();
        assert_eq!(g.node_count(), 4);
        assert_eq!(g.edge_count(), 3);
        assert_eq!(cfg.linearize().expect("linearize"), ir);
    }

    #[test]
    fn moved_blocks_get_jumps_of_the_right_direction() {
        let ir = sample();
        let mut cfg = Cfg::build(&ir);
        // Lay out the join block before the `then` block: the conditional jump
        // still goes forward, the `then` block needs a backward jump to the join.
        cfg.order = vec![BlockId(0), BlockId(2), BlockId(1), BlockId(3)];
        // Block 0 falls through to block 1, which is no longer next: this
        // version has no backward conditional jump, so the fall-through gets
        // an explicit jump instead.
        let out = cfg.linearize().expect("linearize");
        let ops: Vec<Op> = out.instrs.iter().map(|i| i.op).collect();
        assert!(ops.contains(&Op::JUMP_BACKWARD), "{ops:?}");
        assert!(ops.contains(&Op::JUMP_FORWARD), "{ops:?}");
        // The result encodes, decodes, and has the same control flow.
        let enc = bytecode::encode(&out).expect("encode");
        let back = bytecode::decode(
            out.version,
            &enc.code,
            &enc.linetable,
            Some(&enc.exceptiontable),
            1,
        )
        .expect("decode");
        assert_eq!(back.instrs.len(), out.instrs.len());
        let report = bytecode::stack_depth(&back, 0);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    #[test]
    fn exception_handlers_split_blocks_and_come_back() {
        let mut ir = CodeIr::new(PyVersion::V3_11);
        ir.firstlineno = 1;
        ir.instrs = vec![
            ins(Op::RESUME, 0, 1),
            ins(Op::NOP, 0, 2),
            ins(Op::LOAD_GLOBAL, 0, 3),
            ins(Op::POP_TOP, 0, 3),
            ins(Op::LOAD_CONST, 0, 3),
            ins(Op::RETURN_VALUE, 0, 3),
            ins(Op::PUSH_EXC_INFO, 0, 4),
            ins(Op::POP_TOP, 0, 4),
            ins(Op::POP_EXCEPT, 0, 4),
            ins(Op::LOAD_CONST, 0, 4),
            ins(Op::RETURN_VALUE, 0, 4),
        ];
        ir.exceptions = vec![bytecode::ExceptionEntry {
            start: 2,
            end: 4,
            target: 6,
            depth: 0,
            lasti: false,
        }];
        let cfg = Cfg::build(&ir);
        let covered: Vec<_> = cfg
            .order
            .iter()
            .filter(|b| cfg.block(**b).handler.is_some())
            .collect();
        assert_eq!(covered.len(), 1);
        let b = *covered[0];
        assert!(cfg
            .successors(b)
            .contains(&(BlockId(3), EdgeKind::Exception)));
        assert!(
            cfg.reachable().contains(3),
            "handler reachable through its edge"
        );
        assert_eq!(cfg.linearize().expect("linearize"), ir);
    }
}
