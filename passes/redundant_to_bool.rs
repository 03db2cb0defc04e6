//! Redundant `TO_BOOL`: a `TO_BOOL` of a value that is already an exact `bool` goes.
//!
//! What it does: on 3.13+, where the compiler puts `TO_BOOL` before every
//! conditional jump on a value, a `TO_BOOL` whose operand was pushed, in the
//! same basic block, by an instruction that always pushes an exact `bool`
//! becomes a located `NOP`: `COMPARE_OP` with its to-bool bit
//! (`Facts::compare_op_bool_bit`, shown as `bool(<)`), `IS_OP`,
//! `CONTAINS_OP`, `UNARY_NOT`, `TO_BOOL` itself, or a constant load of
//! `True`/`False`. The operand may also be a `COPY 1` of such a value, which
//! is how `and`/`or` keep a value they test: `a < b and c` compiles to
//! `COMPARE_OP bool(<); COPY 1; TO_BOOL; POP_JUMP_IF_FALSE`, and
//! `not x or y` to `UNARY_NOT; COPY 1; TO_BOOL; POP_JUMP_IF_TRUE`
//! (CPython's own optimizer drops a `TO_BOOL` right after such an
//! instruction, but does not look through the `COPY`). One instruction
//! fewer every time the test runs.
//!
//! What it assumes: nothing beyond CPython's own instruction semantics:
//! `TO_BOOL` of an exact `bool` pushes that same object and runs no code.
//!
//! What it guarantees: the value tested and pushed is the same object, no
//! code (`__bool__`, `__len__`) ran before either, and no exception can
//! come from the removed instruction; the `NOP` keeps the location, and
//! `nop-removal` drops it only where no line event is lost, so line events,
//! traceback lines and carets stay (safe).
//!
//! What it must never do: remove a `TO_BOOL` whose operand may be anything
//! but an exact `bool` (`COMPARE_OP` without its to-bool bit can return any
//! object from a rich comparison), or look across a block boundary, where
//! another predecessor may push something else.
//!
//! Versions: 3.13–3.15, the versions with `TO_BOOL`
//! (`Facts::compare_op_bool_bit` is non-zero from 3.13 on).

use crate::bytecode::Instr;
use crate::consts::Const;
use crate::opt::{Changed, CodeUnit, Level, Need, Pass, Precheck};
use crate::version::{Op, PyVersion};

pub struct RedundantToBool;

impl Pass for RedundantToBool {
    fn name(&self) -> &'static str {
        "redundant-to-bool"
    }
    fn level(&self) -> Level {
        Level::Safe
    }
    fn supports(&self, v: PyVersion) -> bool {
        v >= PyVersion::V3_13
    }
    fn doc(&self) -> &'static str {
        include_str!("redundant_to_bool.rs")
    }
    fn raw_needs(&self, _: PyVersion, _: Level) -> &'static [Need] {
        &[Need::Pair(
            &[
                Op::COPY,
                Op::COMPARE_OP,
                Op::IS_OP,
                Op::CONTAINS_OP,
                Op::UNARY_NOT,
                Op::TO_BOOL,
                Op::LOAD_CONST,
                Op::LOAD_SMALL_INT,
                Op::LOAD_COMMON_CONSTANT,
            ],
            &[Op::TO_BOOL],
        )]
    }
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        // A `TO_BOOL` after a `COPY 1` or after a bool producer (the
        // constant load of True/False is checked in `run`).
        let v = pre.ir.version;
        pre.any_pair(|a, b| {
            b.op == Op::TO_BOOL
                && (a.op == Op::COPY && a.arg == 1
                    || pushes_bool(v, a)
                    || CodeUnit::is_const_load(v, a))
        })
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let v = code.cfg.version;
        let mut changes = 0;
        for b in code.cfg.order().to_vec() {
            for i in 0..code.cfg.block(b).len() {
                let instrs = code.cfg.block(b).instrs();
                if instrs[i].op != Op::TO_BOOL {
                    continue;
                }
                let Some(mut p) = before(instrs, i) else {
                    continue;
                };
                if instrs[p].op == Op::COPY && instrs[p].arg == 1 {
                    match before(instrs, p) {
                        Some(q) => p = q,
                        None => continue,
                    }
                }
                let producer = instrs[p];
                let exact = pushes_bool(v, &producer)
                    || (CodeUnit::is_const_load(v, &producer)
                        && matches!(code.loaded_const(&producer), Some(Const::Bool(_))));
                if exact {
                    code.cfg.nop_out(b, i);
                    changes += 1;
                }
            }
        }
        Changed(changes)
    }
}

/// The nearest non-`NOP` instruction before `i`.
fn before(instrs: &[Instr], i: usize) -> Option<usize> {
    instrs[..i].iter().rposition(|p| p.op != Op::NOP)
}

/// Whether `ins` always pushes an exact `bool` on top (constant loads
/// aside, which need their value).
fn pushes_bool(v: PyVersion, ins: &Instr) -> bool {
    let bit = v.facts().compare_op_bool_bit;
    match ins.op {
        Op::COMPARE_OP => bit != 0 && ins.arg & bit != 0,
        Op::IS_OP | Op::CONTAINS_OP | Op::UNARY_NOT | Op::TO_BOOL => true,
        _ => false,
    }
}
