//! Superinstructions: unchecked loads (3.12+) and the 3.13+ pairs.
//!
//! What it does:
//! * 3.12+: `LOAD_FAST_CHECK x` becomes `LOAD_FAST x` where `x` is bound
//!   on every path to it (definite assignment over fall-through, jump and
//!   exception edges; see `Cfg::definitely_assigned`). CPython's compiler
//!   does the same analysis but only for the first 64 locals and without
//!   following bindings made by earlier loads.
//! * 3.13: `LOAD_FAST a; LOAD_FAST b` → `LOAD_FAST_LOAD_FAST`,
//!   `STORE_FAST a; LOAD_FAST b` → `STORE_FAST_LOAD_FAST`,
//!   `STORE_FAST a; STORE_FAST b` → `STORE_FAST_STORE_FAST`, and on 3.14
//!   `LOAD_FAST_BORROW a; LOAD_FAST_BORROW b` →
//!   `LOAD_FAST_BORROW_LOAD_FAST_BORROW`, `STORE_FAST a; LOAD_FAST_BORROW b`
//!   → `STORE_FAST_LOAD_FAST` (a strong reference where a borrowed one was
//!   enough is always valid), when both
//!   locals are < 16 (the oparg holds two 4-bit halves) and, at `safe`, both
//!   instructions are on the same line. At `aggressive` also across lines
//!   when the second half is a load (`LOAD_FAST_LOAD_FAST`,
//!   `STORE_FAST_LOAD_FAST`).
//!
//! What it assumes: plain `LOAD_FAST`, `LOAD_FAST_BORROW` and `STORE_FAST`
//! cannot raise on 3.13+ (a `LOAD_FAST` is only emitted for bound locals; only
//! `LOAD_FAST_CHECK` raises `UnboundLocalError` and it is never fused), so
//! the fused instruction needs no position for a traceback.
//!
//! What it guarantees: at `safe`, nothing observable changes: the unchecked
//! load can only read a bound local, and the fused pair keeps its line. At
//! `aggressive`, a pair that spans two lines reports the second line's
//! event at the next instruction instead (a line whose only instruction was
//! the second half loses its event), and a debugger jump (`frame.f_lineno`,
//! pdb `jump`) to the second line is refused as "incompatible stacks" where
//! CPython would have allowed it; values and exceptions are unchanged.
//! CPython's own `test_sys_settrace` shows both kinds of difference at
//! `aggressive` (it asserts exact line events and jumps of its own code).
//!
//! What it must never do: leave an unchecked load of a local that may be
//! unbound (it would read NULL and crash the interpreter), or fuse a
//! `LOAD_FAST_CHECK`.
//!
//! Versions: 3.12 (unchecked loads), 3.13–3.15 (both). CPython 3.14 and
//! 3.15 form every same-line pair themselves, before they turn loads into
//! borrowed loads, so there the pairs come from `aggressive` (across lines).

use crate::bytecode::Instr;
use crate::opt::{Changed, CodeUnit, Level, Need, PairRule, Pass, Precheck};
use crate::version::{Op, PyVersion};

pub struct Superinstructions;

impl Pass for Superinstructions {
    fn name(&self) -> &'static str {
        "superinstructions"
    }
    fn level(&self) -> Level {
        Level::Safe
    }
    fn supports(&self, v: PyVersion) -> bool {
        v >= PyVersion::V3_12
    }
    fn doc(&self) -> &'static str {
        include_str!("superinstructions.rs")
    }
    fn raw_needs(&self, v: PyVersion, level: Level) -> &'static [Need] {
        // `fuse` and `fusable`: small arguments, and one line but where
        // `aggressive` lets the second half, a load, be on the next one.
        const CHECK: Need = Need::Op(&[Op::LOAD_FAST_CHECK]);
        const HALVES: &[Op] = &[Op::LOAD_FAST, Op::LOAD_FAST_BORROW, Op::STORE_FAST];
        const LOADS: &[Op] = &[Op::LOAD_FAST, Op::LOAD_FAST_BORROW];
        const SMALL: PairRule = PairRule {
            small_args: true,
            one_line: false,
        };
        const ONE_LINE: PairRule = PairRule {
            small_args: true,
            one_line: true,
        };
        if !v.facts().local_pair_superinstructions {
            &[CHECK]
        } else if level >= Level::Aggressive {
            &[
                CHECK,
                Need::PairWith(HALVES, LOADS, SMALL),
                Need::PairWith(HALVES, HALVES, ONE_LINE),
            ]
        } else {
            &[CHECK, Need::PairWith(HALVES, HALVES, ONE_LINE)]
        }
    }
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        // Adjacent in the instruction list (a fused pair never spans a NOP),
        // under the same line rule as `fuse_pairs`.
        let across_lines = pre.level >= Level::Aggressive;
        pre.any(|i| i.op == Op::LOAD_FAST_CHECK)
            || (pre.ir.version.facts().local_pair_superinstructions
                && pre
                    .ir
                    .instrs
                    .windows(2)
                    .any(|w| fuse(&w[0], &w[1]).is_some() && fusable(&w[0], &w[1], across_lines)))
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let mut changes = unchecked_loads(code);
        if code.cfg.version.facts().local_pair_superinstructions {
            changes += fuse_pairs(code, code.level >= Level::Aggressive);
        }
        Changed(changes)
    }
}

fn unchecked_loads(code: &mut CodeUnit<'_, '_>) -> u32 {
    let has_check = code.cfg.order().iter().any(|b| {
        code.cfg
            .block(*b)
            .instrs()
            .iter()
            .any(|i| i.op == Op::LOAD_FAST_CHECK)
    });
    if !has_check {
        return 0;
    }
    let nlocals = code.nlocals;
    code.cfg
        .rewrite_with_bound(code.nargs, nlocals, |ins, bound| {
            let unchecked = ins.op == Op::LOAD_FAST_CHECK
                && (ins.arg as usize) < nlocals
                && bound.contains(ins.arg as usize);
            unchecked.then_some((Op::LOAD_FAST, ins.arg))
        })
}

fn fuse(first: &Instr, second: &Instr) -> Option<Op> {
    if first.arg >= 16 || second.arg >= 16 {
        return None;
    }
    match (first.op, second.op) {
        (Op::LOAD_FAST, Op::LOAD_FAST) => Some(Op::LOAD_FAST_LOAD_FAST),
        (Op::LOAD_FAST_BORROW, Op::LOAD_FAST_BORROW) => Some(Op::LOAD_FAST_BORROW_LOAD_FAST_BORROW),
        (Op::STORE_FAST, Op::LOAD_FAST | Op::LOAD_FAST_BORROW) => Some(Op::STORE_FAST_LOAD_FAST),
        (Op::STORE_FAST, Op::STORE_FAST) => Some(Op::STORE_FAST_STORE_FAST),
        _ => None,
    }
}

/// The line rule for fusing `a` and `c`: on one line, or across lines (at
/// `aggressive`) when the second half is a load: a debugger jump to the
/// second line then finds the stack shallower than the original code had
/// it and is refused ("incompatible stacks"), where a fused second store
/// would be skipped silently.
fn fusable(a: &Instr, c: &Instr, across_lines: bool) -> bool {
    let second_loads = matches!(c.op, Op::LOAD_FAST | Op::LOAD_FAST_BORROW);
    a.loc.line == c.loc.line || (across_lines && second_loads)
}

fn fuse_pairs(code: &mut CodeUnit<'_, '_>, across_lines: bool) -> u32 {
    let mut changes = 0;
    for b in code.cfg.order().to_vec() {
        let mut i = 0;
        while i + 1 < code.cfg.block(b).len() {
            let instrs = code.cfg.block(b).instrs();
            let (a, c) = (instrs[i], instrs[i + 1]);
            match fuse(&a, &c) {
                Some(op) if fusable(&a, &c, across_lines) => {
                    code.cfg.fuse(b, i, op, (a.arg << 4) | c.arg);
                    changes += 1;
                }
                _ => {}
            }
            i += 1;
        }
    }
    changes
}
