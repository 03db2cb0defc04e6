//! The CFG verifier: what [`Cfg::linearize`] and the stack walk need of a
//! graph, checked on the graph itself so that a pass that breaks it is told
//! where (block, instruction) rather than learning it from `linearize`.
//!
//! [`Cfg::verify`] checks the structure:
//! * the layout: the entry block first (`B0`, or where an empty entry
//!   block sent control when `remove_empty_blocks` dropped it), every id in
//!   range, no block twice;
//! * every laid-out block: its ops exist in the version; a jump op only as
//!   the last instruction, with a target; a target only on a block that
//!   ends in a jump; the targets of jumps, fall-throughs and (3.11+)
//!   exception handlers exist, are laid out and lead to an instruction
//!   (not only to empty blocks at the end of the layout); no fall-through
//!   after a terminator (a return, raise or unconditional jump); no block
//!   that ends without a terminator or fall-through but has code laid out
//!   after it (it would run into that code); no handler before 3.11.
//!
//! [`Cfg::verify_stack`] adds the stack walk of the linearized code (the walk
//! that sizes `co_stacksize`): no underflow, one depth at every merge point
//! and handler, nothing falls off the end; each problem is reported at the
//! block and instruction it was found at.
//!
//! Problems are [`CfgIssue`]s; the pipeline adds the pass and the driver the
//! code object (`after pass jump-threading: B3[2] JUMP_FORWARD: target B17
//! does not exist`).

use std::fmt;

use super::{is_jump, BlockId, Cfg};
use crate::bytecode::{self, is_terminator};
use crate::version::Op;

/// One problem found by the CFG verifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CfgIssue {
    /// The block it is in (`None`: the layout as a whole).
    pub block: Option<BlockId>,
    /// The instruction's index in the block (`Some(len)`: the jump that
    /// linearization adds for a displaced fall-through).
    pub instr: Option<usize>,
    /// That instruction's opcode.
    pub op: Option<Op>,
    pub message: String,
}

impl CfgIssue {
    fn layout(message: String) -> CfgIssue {
        CfgIssue {
            block: None,
            instr: None,
            op: None,
            message,
        }
    }

    fn block(b: BlockId, message: String) -> CfgIssue {
        CfgIssue {
            block: Some(b),
            instr: None,
            op: None,
            message,
        }
    }

    fn at(b: BlockId, i: usize, op: Op, message: String) -> CfgIssue {
        CfgIssue {
            block: Some(b),
            instr: Some(i),
            op: Some(op),
            message,
        }
    }
}

impl fmt::Display for CfgIssue {
    /// `B3[2] JUMP_FORWARD: message`, `B3: message` or `layout: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.block, self.instr) {
            (Some(b), Some(i)) => write!(f, "{b}[{i}]")?,
            (Some(b), None) => write!(f, "{b}")?,
            (None, _) => f.write_str("layout")?,
        }
        if let Some(op) = self.op {
            write!(f, " {}", op.name())?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The issues as one line: the first few, `; `-separated, and how many more.
pub fn describe_issues(issues: &[CfgIssue]) -> String {
    const SHOWN: usize = 5;
    let mut text = issues
        .iter()
        .take(SHOWN)
        .map(CfgIssue::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    if issues.len() > SHOWN {
        text.push_str(&format!(" (and {} more)", issues.len() - SHOWN));
    }
    text
}

impl Cfg {
    /// Checks the structure of the graph (see the module docs).
    pub fn verify(&self) -> Result<(), Vec<CfgIssue>> {
        let issues = self.structure_issues();
        if issues.is_empty() {
            Ok(())
        } else {
            Err(issues)
        }
    }

    /// [`Cfg::verify`], then the stack walk of the linearized code for a
    /// code object with flags `flags` (`co_flags`).
    pub fn verify_stack(&self, flags: i32) -> Result<(), Vec<CfgIssue>> {
        self.verify()?;
        let ir = self
            .linearize()
            .map_err(|e| vec![CfgIssue::layout(e.to_string())])?;
        let report = bytecode::stack_depth(&ir, flags);
        if report.problems.is_empty() {
            return Ok(());
        }
        let place = self.layout_places();
        Err(report
            .problems
            .iter()
            .map(|(k, msg)| match (place.get(*k), ir.instrs.get(*k)) {
                (Some(&(b, i)), Some(ins)) => CfgIssue::at(b, i, ins.op, msg.clone()),
                _ => CfgIssue::layout(format!("instruction {k}: {msg}")),
            })
            .collect())
    }

    /// The block and index in it of every instruction of the linearized
    /// code (an added fall-through jump is at its block's length).
    fn layout_places(&self) -> Vec<(BlockId, usize)> {
        let mut place = Vec::with_capacity(self.instr_count() + self.order.len());
        for (pos, &b) in self.order.iter().enumerate() {
            let blk = self.block(b);
            place.extend((0..blk.instrs.len()).map(|i| (b, i)));
            if let Some(f) = blk.fallthrough {
                if self.order.get(pos + 1) != Some(&f) {
                    place.push((b, blk.instrs.len()));
                }
            }
        }
        place
    }

    fn structure_issues(&self) -> Vec<CfgIssue> {
        let mut issues = Vec::new();
        let n = self.blocks.len();
        // The layout.
        let mut pos = vec![usize::MAX; n];
        for (k, &b) in self.order.iter().enumerate() {
            match pos.get_mut(b.index()) {
                None => issues.push(CfgIssue::layout(format!(
                    "{b} is laid out but does not exist ({n} blocks)"
                ))),
                Some(p) if *p != usize::MAX => {
                    issues.push(CfgIssue::layout(format!("{b} is laid out twice")))
                }
                Some(p) => *p = k,
            }
        }
        match self.order.first() {
            Some(&first) if first != self.entry => issues.push(CfgIssue::layout(format!(
                "the entry block {} is not first ({first} is)",
                self.entry
            ))),
            None if n > 0 => issues.push(CfgIssue::layout("no block is laid out".into())),
            _ => {}
        }
        // Whether some instruction is laid out at or after each position:
        // where a jump to an empty block lands.
        let mut code_from = vec![false; self.order.len() + 1];
        for k in (0..self.order.len()).rev() {
            let here = self
                .blocks
                .get(self.order[k].index())
                .is_some_and(|b| !b.instrs.is_empty());
            code_from[k] = here || code_from[k + 1];
        }
        // A successor that linearization can lay out a jump to.
        let check_successor = |what: &str, t: BlockId| -> Option<String> {
            match pos.get(t.index()) {
                None => Some(format!("{what} {t} does not exist")),
                Some(&usize::MAX) => Some(format!("{what} {t} is not laid out")),
                Some(&p) if !code_from[p] => Some(format!(
                    "{what} {t} has no instruction at or after it in the layout"
                )),
                Some(_) => None,
            }
        };
        let table = self.version.table();
        let has_handlers = self.version.facts().exception_table;
        let last_with_code = self.order.iter().rposition(|b| {
            self.blocks
                .get(b.index())
                .is_some_and(|x| !x.instrs.is_empty())
        });
        for (k, &b) in self.order.iter().enumerate() {
            let Some(blk) = self.blocks.get(b.index()) else {
                continue;
            };
            let len = blk.instrs.len();
            for (i, ins) in blk.instrs.iter().enumerate() {
                if table.info(ins.op).is_none() {
                    issues.push(CfgIssue::at(
                        b,
                        i,
                        ins.op,
                        format!("not an op of {}", self.version),
                    ));
                    continue;
                }
                if !is_jump(table, ins.op) {
                    continue;
                }
                if i + 1 != len {
                    issues.push(CfgIssue::at(
                        b,
                        i,
                        ins.op,
                        "a jump in the middle of a block (a jump ends its block)".into(),
                    ));
                } else if blk.target.is_none() {
                    issues.push(CfgIssue::at(b, i, ins.op, "a jump without a target".into()));
                }
            }
            let last = blk.instrs.last();
            if let Some(t) = blk.target {
                match last {
                    Some(l) if is_jump(table, l.op) => {
                        if let Some(m) = check_successor("target", t) {
                            issues.push(CfgIssue::at(b, len - 1, l.op, m));
                        }
                    }
                    Some(l) => issues.push(CfgIssue::at(
                        b,
                        len - 1,
                        l.op,
                        format!("the block has jump target {t} but does not end in a jump"),
                    )),
                    None => issues.push(CfgIssue::block(
                        b,
                        format!("an empty block with jump target {t}"),
                    )),
                }
            }
            match blk.fallthrough {
                Some(f) => {
                    if let Some(m) = check_successor("fall-through", f) {
                        issues.push(CfgIssue::block(b, m));
                    }
                    if let Some(l) = last.filter(|l| is_terminator(l.op)) {
                        issues.push(CfgIssue::at(
                            b,
                            len - 1,
                            l.op,
                            format!("the block ends in a terminator but falls through to {f}"),
                        ));
                    }
                }
                None => {
                    let ends = last.is_some_and(|l| is_terminator(l.op));
                    let more_code = last_with_code.is_some_and(|lw| lw > k);
                    if !ends && more_code {
                        let next = self.order[k + 1];
                        issues.push(match last {
                            Some(l) => CfgIssue::at(
                                b,
                                len - 1,
                                l.op,
                                format!(
                                    "no fall-through after an instruction that does not \
                                     end the block, so it runs into {next}"
                                ),
                            ),
                            None => CfgIssue::block(
                                b,
                                format!("an empty block without a fall-through runs into {next}"),
                            ),
                        });
                    }
                }
            }
            if let Some(h) = blk.handler {
                if !has_handlers {
                    issues.push(CfgIssue::block(
                        b,
                        format!("an exception handler ({}) before 3.11", h.target),
                    ));
                } else if let Some(m) = check_successor("handler", h.target) {
                    issues.push(CfgIssue::block(b, m));
                }
            }
        }
        issues
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::testing::{if_then_return, ins};
    use crate::version::PyVersion;

    /// `def f(x): if x: y = 1; return y` in 3.12 shape: B0 ends in the
    /// conditional jump to B2, B1 falls through to B2, B3 is dead.
    fn sample() -> Cfg {
        Cfg::build(&if_then_return(
            PyVersion::V3_12,
            ins,
            (Op::LOAD_CONST, 1),
            true,
        ))
    }

    fn shown(r: Result<(), Vec<CfgIssue>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .iter()
            .map(CfgIssue::to_string)
            .collect()
    }

    #[test]
    fn a_built_cfg_verifies() {
        let cfg = sample();
        assert_eq!(cfg.verify(), Ok(()));
        assert_eq!(cfg.verify_stack(0), Ok(()));
    }

    #[test]
    fn missing_and_unlaid_targets_are_named() {
        let mut cfg = sample();
        cfg.retarget(BlockId(0), BlockId(17));
        assert_eq!(
            shown(cfg.verify()),
            ["B0[2] POP_JUMP_IF_FALSE: target B17 does not exist"]
        );
        let mut cfg = sample();
        cfg.unlink_blocks(|b| b == BlockId(2));
        assert_eq!(
            shown(cfg.verify()),
            [
                "B0[2] POP_JUMP_IF_FALSE: target B2 is not laid out",
                "B1: fall-through B2 is not laid out"
            ]
        );
    }

    #[test]
    fn jumps_and_targets_must_agree() {
        // A jump op in the middle of a block, and one without a target.
        let mut cfg = sample();
        cfg.set_op(BlockId(0), 1, Op::JUMP_FORWARD);
        assert_eq!(
            shown(cfg.verify()),
            ["B0[1] JUMP_FORWARD: a jump in the middle of a block (a jump ends its block)"]
        );
        let mut cfg = sample();
        cfg.replace(BlockId(1), 1, Op::JUMP_FORWARD, 0);
        assert_eq!(
            shown(cfg.verify()),
            [
                "B1[1] JUMP_FORWARD: a jump without a target",
                "B1[1] JUMP_FORWARD: the block ends in a terminator but falls through to B2"
            ]
        );
        // A target on a block that does not end in a jump.
        let mut cfg = sample();
        cfg.retarget(BlockId(1), BlockId(2));
        assert_eq!(
            shown(cfg.verify()),
            ["B1[1] STORE_FAST: the block has jump target B2 but does not end in a jump"]
        );
        // An op the version does not have.
        let mut cfg = sample();
        cfg.set_op(BlockId(1), 0, Op::BINARY_ADD);
        assert_eq!(shown(cfg.verify()), ["B1[0] BINARY_ADD: not an op of 3.12"]);
    }

    #[test]
    fn fall_through_must_match_the_last_instruction() {
        let mut cfg = sample();
        cfg.set_fallthrough(BlockId(2), Some(BlockId(3)));
        assert_eq!(
            shown(cfg.verify()),
            ["B2[1] RETURN_VALUE: the block ends in a terminator but falls through to B3"]
        );
        let mut cfg = sample();
        cfg.set_fallthrough(BlockId(1), None);
        assert_eq!(
            shown(cfg.verify()),
            [
                "B1[1] STORE_FAST: no fall-through after an instruction that does not \
                 end the block, so it runs into B2"
            ]
        );
        let mut cfg = sample();
        cfg.set_fallthrough(BlockId(1), Some(BlockId(9)));
        assert_eq!(shown(cfg.verify()), ["B1: fall-through B9 does not exist"]);
    }

    #[test]
    fn the_layout_is_checked() {
        let mut cfg = sample();
        cfg.order = vec![BlockId(1), BlockId(0), BlockId(2), BlockId(3), BlockId(2)];
        assert_eq!(
            shown(cfg.verify()),
            [
                "layout: B2 is laid out twice",
                "layout: the entry block B0 is not first (B1 is)"
            ]
        );
        let mut cfg = sample();
        cfg.order.push(BlockId(8));
        assert_eq!(
            shown(cfg.verify()),
            ["layout: B8 is laid out but does not exist (4 blocks)"]
        );
    }

    #[test]
    fn handlers_are_checked() {
        let mut cfg = sample();
        cfg.blocks[1].handler = Some(super::super::Handler {
            target: BlockId(3),
            depth: 0,
            lasti: false,
        });
        assert_eq!(cfg.verify(), Ok(()));
        cfg.unlink_blocks(|b| b == BlockId(3));
        assert_eq!(shown(cfg.verify()), ["B1: handler B3 is not laid out"]);
        cfg.version = PyVersion::V3_10;
        let issues = shown(cfg.verify());
        assert!(
            issues.contains(&"B1: an exception handler (B3) before 3.11".to_string()),
            "{issues:?}"
        );
    }

    #[test]
    fn stack_problems_are_placed_in_their_block() {
        let mut cfg = sample();
        let pop = ins(Op::POP_TOP, 0, 3);
        cfg.insert(BlockId(1), 0, pop);
        assert_eq!(cfg.verify(), Ok(()));
        let issues = cfg.verify_stack(0).err().unwrap_or_default();
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(
            (issues[0].block, issues[0].instr, issues[0].op),
            (Some(BlockId(1)), Some(0), Some(Op::POP_TOP))
        );
        assert!(issues[0].message.contains("underflows"), "{issues:?}");
    }

    #[test]
    fn issues_are_described_on_one_line() {
        let issues: Vec<CfgIssue> = (0..7)
            .map(|k| CfgIssue::block(BlockId(k), "bad".into()))
            .collect();
        assert_eq!(
            describe_issues(&issues),
            "B0: bad; B1: bad; B2: bad; B3: bad; B4: bad (and 2 more)"
        );
    }
}
