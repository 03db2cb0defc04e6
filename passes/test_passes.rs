//! Passes that exist only to test the pass manager, the verifier and the
//! driver (built with the `test-passes` feature, never in a release).
//!
//! They are opt-in, named `test-*`, and change code in ways that are either
//! behaviour-preserving but touch every table (`test-pad-extended-args`) or
//! deliberately wrong on marked code objects, so that the safety nets around
//! passes can be seen to work.

use crate::bytecode::ext_needed;
use crate::opt::{Changed, CodeUnit, Level, Pass};
use crate::version::{Op, PyVersion};

/// Gives `LOAD_CONST`, `LOAD_FAST`, `STORE_FAST`, `LOAD_NAME` and
/// `STORE_NAME` an `EXTENDED_ARG 0` prefix when their argument fits in one
/// byte. The prefix contributes zero bits, and every offset after it moves, so
/// jumps, line tables and exception tables are all rebuilt. Idempotent.
///
/// Only these ops: a prefix is *not* harmless everywhere. Measured while
/// writing this pass: on 3.8–3.10 the frame's `f_lasti` stays on the prefix,
/// so resuming after a prefixed `YIELD_VALUE` runs it again; on 3.12 the
/// specialized `CALL` for `list.append` skips a fixed distance over the
/// following `POP_TOP`, and `FOR_ITER` over the `END_FOR` at its target, so a
/// prefix there makes them land on the wrong unit. These five ops are never
/// skipped over by another instruction, yield, or start a fused pair.
pub struct PadExtendedArgs;

impl Pass for PadExtendedArgs {
    fn name(&self) -> &'static str {
        "test-pad-extended-args"
    }
    fn level(&self) -> Level {
        Level::OptIn
    }
    fn doc(&self) -> &'static str {
        "Test-only: pads LOAD_CONST/LOAD_FAST/STORE_FAST/LOAD_NAME/STORE_NAME with EXTENDED_ARG 0.\n\n\
         Exists to exercise the encoder, verifier and driver on changed code; idempotent."
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let mut n = 0;
        for b in code.cfg.block_ids() {
            for i in 0..code.cfg.block(b).len() {
                let ins = code.cfg.block(b).instrs()[i];
                let padded = matches!(
                    ins.op,
                    Op::LOAD_CONST
                        | Op::LOAD_FAST
                        | Op::STORE_FAST
                        | Op::LOAD_NAME
                        | Op::STORE_NAME
                );
                if padded && ins.ext == 0 && ext_needed(ins.arg) == 0 {
                    code.cfg.set_ext(b, i, 1);
                    n += 1;
                }
            }
        }
        Changed(n)
    }
}

/// Puts [`LOOP_PADDING`] `NOP`s at the head of every loop: before the first
/// instruction of each block that a backward jump (`facts.backward_jump`,
/// laid out at or after its target) reaches. Behaviour-preserving but
/// slower: every iteration executes the padding, so a copy optimized with it
/// executes more instructions, which is what `pyopt bench` must report.
///
/// The padding copies the head's location (same line, same exception
/// handler: it sits in the same block) without a 3.8/3.9 line-table start.
/// Only loop heads, never between two instructions: a `NOP` there could sit
/// where an instruction skips a fixed distance (3.12's `CALL` for
/// `list.append` over its `POP_TOP`, 3.11's `PRECALL` over `CALL`). The
/// `SEND` loops of `yield from`/`await` (a `JUMP_BACKWARD_NO_INTERRUPT`, or a
/// head starting with `SEND`) are left alone. Idempotent: a head that starts
/// with a `NOP` is not padded again. Run it without `nop-removal`, which
/// would take the padding out again in the next round.
pub struct PadLoopHeads;

/// How many `NOP`s [`PadLoopHeads`] puts at each loop head.
pub const LOOP_PADDING: usize = 4;

impl Pass for PadLoopHeads {
    fn name(&self) -> &'static str {
        "test-pad-loop-nops"
    }
    fn level(&self) -> Level {
        Level::OptIn
    }
    fn doc(&self) -> &'static str {
        "Test-only: puts 4 NOPs at the head of every loop, so optimized code executes more instructions.\n\n\
         Exists so that `pyopt bench` can be seen to report a slower tree; idempotent. \
         Run it without nop-removal."
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let backward = code.cfg.version.facts().backward_jump;
        let order = code.cfg.order().to_vec();
        let mut heads = Vec::new();
        for (pos, &b) in order.iter().enumerate() {
            let blk = code.cfg.block(b);
            let (Some(t), Some(last)) = (blk.target(), blk.instrs().last()) else {
                continue;
            };
            if last.op != backward || !order[..=pos].contains(&t) || heads.contains(&t) {
                continue;
            }
            heads.push(t);
        }
        let mut n = 0;
        for h in heads {
            let Some(first) = code.cfg.block(h).instrs().first().copied() else {
                continue;
            };
            if matches!(first.op, Op::NOP | Op::SEND) {
                continue;
            }
            let mut nop = first;
            nop.op = Op::NOP;
            nop.arg = 0;
            nop.ext = 0;
            nop.line_start = false;
            for _ in 0..LOOP_PADDING {
                code.cfg.insert(h, 0, nop);
                n += 1;
            }
        }
        Changed(n)
    }
}

/// Panics on code objects whose name contains `pyopt_test_panic`.
pub struct PanicOnMarker;

impl Pass for PanicOnMarker {
    fn name(&self) -> &'static str {
        "test-panic"
    }
    fn level(&self) -> Level {
        Level::OptIn
    }
    fn doc(&self) -> &'static str {
        "Test-only: panics on code objects named pyopt_test_panic."
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        if code.qualname.contains("pyopt_test_panic") {
            panic!("test-panic pass reached {}", code.qualname);
        }
        Changed::NONE
    }
}

/// Puts two `POP_TOP`s at the start of code objects whose name contains
/// `pyopt_test_miscompile`: a stack underflow the verifier must catch.
pub struct BreakStackOnMarker;

impl Pass for BreakStackOnMarker {
    fn name(&self) -> &'static str {
        "test-miscompile"
    }
    fn level(&self) -> Level {
        Level::OptIn
    }
    fn doc(&self) -> &'static str {
        "Test-only: breaks the stack depth of code objects named pyopt_test_miscompile."
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        if !code.qualname.contains("pyopt_test_miscompile") {
            return Changed::NONE;
        }
        let Some(entry) = code.cfg.entry() else {
            return Changed::NONE;
        };
        let Some(first) = code.cfg.block(entry).instrs().first().copied() else {
            return Changed::NONE;
        };
        if first.op == Op::POP_TOP {
            return Changed::NONE;
        }
        let mut pop = first;
        pop.op = Op::POP_TOP;
        pop.arg = 0;
        pop.ext = 0;
        code.cfg.insert(entry, 0, pop);
        code.cfg.insert(entry, 0, pop);
        Changed(2)
    }
}

/// Takes the target of the first jump out of the layout in code objects
/// whose name contains `pyopt_test_badcfg`: a CFG that `linearize` cannot
/// lay out, which the CFG verifier must report by pass, block and
/// instruction (`--verify-each`).
pub struct BreakCfgOnMarker;

impl Pass for BreakCfgOnMarker {
    fn name(&self) -> &'static str {
        "test-break-cfg"
    }
    fn level(&self) -> Level {
        Level::OptIn
    }
    fn doc(&self) -> &'static str {
        "Test-only: unlinks a jump target in code objects named pyopt_test_badcfg (the CFG verifier must name it)."
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        if !code.qualname.contains("pyopt_test_badcfg") {
            return Changed::NONE;
        }
        let entry = code.cfg.entry();
        let target = code
            .cfg
            .order()
            .iter()
            .filter_map(|&b| code.cfg.block(b).target())
            .find(|&t| Some(t) != entry && code.cfg.order().contains(&t));
        match target {
            Some(t) => Changed(code.cfg.unlink_blocks(|b| b == t)),
            None => Changed::NONE,
        }
    }
}

/// Deliberately wrong: turns every subtraction into an addition
/// (`BINARY_SUBTRACT` → `BINARY_ADD` before 3.11, `BINARY_OP -` → `BINARY_OP +`
/// after). Exists so that the differential tests can be seen to fail.
pub struct WrongSubtraction;

impl Pass for WrongSubtraction {
    fn name(&self) -> &'static str {
        "test-wrong-sub"
    }
    fn level(&self) -> Level {
        Level::OptIn
    }
    fn doc(&self) -> &'static str {
        "Test-only, deliberately wrong: compiles `a - b` as `a + b` (the differential tests must catch it)."
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let mut n = 0;
        for b in code.cfg.block_ids() {
            for i in 0..code.cfg.block(b).len() {
                let ins = code.cfg.block(b).instrs()[i];
                match ins.op {
                    Op::BINARY_SUBTRACT => {
                        code.cfg.set_op(b, i, Op::BINARY_ADD);
                        n += 1;
                    }
                    // BINARY_OP: 10 is `-`, 0 is `+` (3.11–3.13).
                    Op::BINARY_OP if ins.arg == 10 => {
                        code.cfg.replace(b, i, Op::BINARY_OP, 0);
                        n += 1;
                    }
                    _ => {}
                }
            }
        }
        Changed(n)
    }
}

/// Deliberately wrong on 3.12+: turns `LOAD_FAST_CHECK` into `LOAD_FAST`,
/// which does not check for an unbound local — reading one crashes the
/// interpreter. Exists so that the differential tests can be seen to report a
/// crash of the optimized run as a failure.
pub struct UncheckedLoad;

impl Pass for UncheckedLoad {
    fn name(&self) -> &'static str {
        "test-unchecked-load"
    }
    fn level(&self) -> Level {
        Level::OptIn
    }
    fn supports(&self, v: PyVersion) -> bool {
        v >= PyVersion::V3_12
    }
    fn doc(&self) -> &'static str {
        "Test-only, deliberately wrong: LOAD_FAST_CHECK becomes LOAD_FAST (an unbound read crashes)."
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let mut n = 0;
        for b in code.cfg.block_ids() {
            for i in 0..code.cfg.block(b).len() {
                if code.cfg.block(b).instrs()[i].op == Op::LOAD_FAST_CHECK {
                    code.cfg.set_op(b, i, Op::LOAD_FAST);
                    n += 1;
                }
            }
        }
        Changed(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::testing::{if_then_return, ins};
    use crate::cfg::Cfg;
    use crate::marshal::{Arena, CodeId};
    use crate::opt::{Debug, MayChange, Pipeline, Rejected, Stats};

    /// Runs `pass` alone on `def f(x): if x: y = None; return y` (3.12, in
    /// a code object both marker passes act on), verifying after each pass
    /// application.
    fn run_alone(pass: &str) -> Result<u64, Rejected> {
        let ir = if_then_return(PyVersion::V3_12, ins, (Op::LOAD_CONST, 0), false);
        let mut arena = Arena::default();
        let mut unit = CodeUnit {
            cfg: Cfg::build(&ir),
            arena: &mut arena,
            id: CodeId(0),
            consts: Vec::new(),
            names: Vec::new(),
            flags: 0,
            nargs: 1,
            nlocals: 2,
            qualname: "pyopt_test_badcfg.pyopt_test_miscompile".into(),
            level: Level::Safe,
        };
        let debug = Debug {
            verify_each: true,
            ..Debug::default()
        };
        let pipeline = Pipeline::new(&[pass], debug);
        let mut all = MayChange::NONE;
        all.set(0);
        pipeline.run(
            &mut unit,
            &mut Stats::default(),
            &|_| Ok(()),
            &mut |_, _| {},
            all,
        )
    }

    #[test]
    fn the_cfg_verifier_names_the_pass_block_and_instruction() {
        let rejected = run_alone("test-break-cfg").expect_err("a broken CFG is rejected");
        assert_eq!(rejected.pass, Some("test-break-cfg"));
        assert_eq!(
            rejected.reason,
            "B0[2] POP_JUMP_IF_FALSE: target B2 is not laid out; \
             B1: fall-through B2 is not laid out"
        );
    }

    #[test]
    fn a_stack_break_is_placed_at_its_instruction() {
        let rejected = run_alone("test-miscompile").expect_err("an underflow is rejected");
        assert_eq!(rejected.pass, Some("test-miscompile"));
        assert!(
            rejected
                .reason
                .starts_with("B0[0] POP_TOP: POP_TOP underflows the stack"),
            "{}",
            rejected.reason
        );
    }
}
