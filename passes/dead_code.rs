//! Dead code: drop the basic blocks that no execution can reach, and
//! instruction pairs that do nothing.
//!
//! What it does: (1) on every version, a value pushed and immediately
//! discarded — `LOAD_CONST c; POP_TOP`, `DUP_TOP; POP_TOP` (3.8–3.10),
//! `COPY 1; POP_TOP` (3.11+), NOPs between allowed — becomes two located
//! NOPs (for `nop-removal`); (2) on 3.10+, removes every block that is not reachable from the entry
//! block through fall-through, jump and exception-handler edges (the 3.11+
//! exception table entries of reachable blocks; 3.10 `SETUP_*` handlers).
//! CPython 3.11–3.13 leave such code behind: the handlers of `try` bodies
//! that compiled to nothing (and size the stack for them).
//!
//! Versions: pairs on 3.8–3.13; unreachable blocks on 3.10+. Not 3.8/3.9: their dead code is reachable for a debugger
//! — `frame.f_lineno = N` may jump onto a line after an endless loop, and its
//! linear block-stack scan needs the dead `SETUP_*`/`POP_BLOCK`s balanced;
//! removing them made CPython 3.8's own test_sys_settrace fail (measured:
//! `test_jump_infinite_while_loop`, and an "XXX block stack underflow" abort).
//! 3.10+ check jumps by following control flow and remove unreachable code
//! themselves.
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

use crate::pipeline::{Changed, CodeUnit, Level, Pass};
use crate::version::{Op, PyVersion};

pub struct DeadCode;

impl Pass for DeadCode {
    fn name(&self) -> &'static str {
        "dead-code"
    }
    fn level(&self) -> Level {
        Level::Safe
    }
    fn supports(&self, _v: PyVersion) -> bool {
        true
    }
    fn doc(&self) -> &'static str {
        include_str!("dead_code.rs")
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let mut changes = no_effect_pairs(code);
        if code.cfg.version >= PyVersion::V3_10 {
            let reachable = code.cfg.reachable();
            let before = code.cfg.order.len();
            code.cfg.order.retain(|b| reachable.contains(b.index()));
            changes += (before - code.cfg.order.len()) as u32;
        }
        Changed(changes)
    }
}

/// Push-then-pop pairs into NOPs.
fn no_effect_pairs(code: &mut CodeUnit<'_, '_>) -> u32 {
    let mut changes = 0;
    for b in code.cfg.order.clone() {
        let mut i = 0;
        while i < code.cfg.block(b).instrs.len() {
            let instrs = &code.cfg.block(b).instrs;
            if instrs[i].op == Op::POP_TOP {
                let prev = (0..i).rev().find(|&j| instrs[j].op != Op::NOP);
                let pushes_copy = prev.filter(|&j| {
                    let p = instrs[j];
                    p.op == Op::LOAD_CONST
                        || p.op == Op::DUP_TOP
                        || (p.op == Op::COPY && p.arg == 1)
                });
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
