//! NOP removal: drop the `NOP`s that carry no line event of their own.
//!
//! What it does: at `safe`, a `NOP` goes when one of CPython's own rules
//! (`remove_redundant_nops`, 3.10–3.13 compilers) says its line is not needed:
//! (b) the instruction kept before it in the block
//! has the same line (or, for the first instruction of a block that is only
//! entered by falling through from the block laid out before it, that
//! block's last instruction); (c) the next instruction in the block has the
//! same line; (d) it ends a block that falls through to the next block in
//! the layout, that block has no other predecessor, and its first
//! instruction has the same line. On 3.8/3.9 a NOP that starts a line-table
//! entry of its own (the line-start mark) is removed only under (c) or (d),
//! and the mark moves to the instruction after it. Together, (b)–(d) give
//! the same result whether or not a block boundary falls next to the NOP,
//! so a second run finds nothing more to remove. Blocks left empty are removed and whatever reached them goes
//! to the block after them. At `aggressive` every NOP is removed.
//!
//! Other passes delete code by turning it into located NOPs (see
//! `Cfg::nop_out`); this pass is the single place that decides which of
//! those NOPs may go, and removes them through `Cfg::remove_nops` (the CFG's
//! one deletion primitive, which removes nothing but NOPs).
//!
//! What it assumes: line events follow CPython's tracing rules (3.8/3.9: the
//! start of a `co_lnotab` entry or a backward jump; 3.10/3.11: a change of line
//! from the previously executed instruction or a backward jump — where an
//! instruction without a line counts as a line of its own, so the next
//! located instruction reports its line again (a random program caught
//! this: removing a line-less NOP on 3.10 lost a line event; 3.13 behaves the
//! same way); 3.12+: the first instruction of a line in the layout, reached
//! from another line). So, unlike CPython's compiler, rule (a) "it has no
//! line" is not applied at `safe`: a line-less NOP stays.
//!
//! What it guarantees: at `safe`, the sequence of `sys.settrace` line events
//! and every instruction's line are unchanged; `pass`-only lines keep their
//! NOP. At `aggressive`, line events of lines that only had a NOP (`pass`,
//! `try:` on 3.11+, the `else:` of some loops) disappear — results never
//! change.
//!
//! What it must never do: remove anything but NOPs.
//!
//! Versions: 3.8–3.15.

use crate::cfg::EdgeKind;
use crate::opt::{Changed, CodeUnit, Level, Need, Pass, Precheck};
use crate::version::{Op, PyVersion};

pub struct NopRemoval;

impl Pass for NopRemoval {
    fn name(&self) -> &'static str {
        "nop-removal"
    }
    fn level(&self) -> Level {
        Level::Safe
    }
    fn doc(&self) -> &'static str {
        include_str!("nop_removal.rs")
    }
    fn raw_needs(&self, _: PyVersion, level: Level) -> &'static [Need] {
        if level >= Level::Aggressive {
            &[Need::Op(&[Op::NOP])]
        } else {
            &[Need::NopBesideItsLine]
        }
    }
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        // At `safe` every rule needs the NOP's line on a neighbour in the
        // layout: (b) on the instruction kept before it, which is the one
        // laid out before it or a removed NOP of the same line; (c) and (d)
        // on the instruction laid out after it.
        let instrs = &pre.ir.instrs;
        let aggressive = pre.level >= Level::Aggressive;
        let same_line = |k: Option<usize>, line: i32| {
            k.and_then(|k| instrs.get(k))
                .is_some_and(|n| n.loc.line == line)
        };
        instrs.iter().enumerate().any(|(k, i)| {
            i.op == Op::NOP
                && (aggressive
                    || same_line(k.checked_sub(1), i.loc.line)
                    || same_line(Some(k + 1), i.loc.line))
        })
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let has_nop =
            |b: &crate::cfg::BlockId| code.cfg.block(*b).instrs().iter().any(|i| i.op == Op::NOP);
        if !code.cfg.order().iter().any(has_nop) {
            return Changed::NONE;
        }
        let aggressive = code.level >= Level::Aggressive;
        let preds = code.cfg.predecessors();
        let order = code.cfg.order().to_vec();
        let mut removed = 0u32;
        // Per block: which NOPs go, and which kept instructions receive the
        // line-start mark of a NOP removed before them.
        let mut remove: Vec<bool> = Vec::new();
        let mut marks: Vec<usize> = Vec::new();
        for (k, &b) in order.iter().enumerate() {
            // Rule (d): the line of the next block, when this block falls
            // through to it and nothing else reaches it.
            let next_block = order
                .get(k + 1)
                .copied()
                .filter(|&n| code.cfg.block(b).fallthrough() == Some(n) && preds.of(n).len() == 1);
            let next_block_line =
                next_block.and_then(|n| code.cfg.block(n).instrs().first().map(|i| i.loc.line));
            // 3.8/3.9: a line-start mark that rule (d) hands to the next block.
            let mut carry_to_next_block = false;
            // Rule (b) across a block boundary: the line of the instruction
            // executed just before this block, when the only way in is the
            // fall-through from the block laid out before it.
            let line_before = match (k.checked_sub(1).map(|p| order[p]), preds.of(b)) {
                (Some(p), [(q, EdgeKind::Fallthrough)]) if *q == p => {
                    code.cfg.block(p).last().map(|i| i.loc.line)
                }
                _ => None,
            };
            let instrs = code.cfg.block(b).instrs();
            remove.clear();
            marks.clear();
            // The line of the last instruction kept so far.
            let mut kept_line: Option<i32> = None;
            // What a removed NOP hands to the instruction after it.
            let mut carry_start = false;
            for (i, ins) in instrs.iter().enumerate() {
                let carried = std::mem::take(&mut carry_start);
                let line_start = ins.line_start | carried;
                if ins.op != Op::NOP {
                    if carried && !ins.line_start {
                        marks.push(i);
                    }
                    kept_line = Some(ins.loc.line);
                    remove.push(false);
                    continue;
                }
                let line = ins.loc.line;
                let next_line = instrs.get(i + 1).map(|n| n.loc.line);
                let same_as_before = !line_start && kept_line.or(line_before) == Some(line);
                let go = if aggressive || same_as_before {
                    true
                } else if next_line == Some(line) {
                    carry_start = line_start;
                    true
                } else if next_line.is_none() && next_block_line == Some(line) {
                    carry_to_next_block = line_start;
                    true
                } else {
                    false
                };
                if !go {
                    if carried && !ins.line_start {
                        marks.push(i);
                    }
                    kept_line = Some(line);
                }
                remove.push(go);
            }
            for &i in &marks {
                code.cfg.mark_line_start(b, i);
            }
            removed += code.cfg.remove_nops(b, |i, _| remove[i]);
            if let (true, Some(n)) = (carry_to_next_block, next_block) {
                if !code.cfg.block(n).is_empty() {
                    code.cfg.mark_line_start(n, 0);
                }
            }
        }
        if removed > 0 {
            code.cfg.remove_empty_blocks();
        }
        Changed(removed)
    }
}
