//! Constant propagation: a local that only ever holds one constant is loaded as that constant.
//!
//! What it does: a local that is not a parameter, is stored exactly once in
//! the code object, by `LOAD_CONST c; STORE_FAST x` (3.14+ also
//! `LOAD_SMALL_INT n; STORE_FAST x`, 3.15 also `LOAD_COMMON_CONSTANT n;
//! STORE_FAST x` for `None`, `""`, `True`, `False`, `-1`; NOPs may sit
//! between),
//! and is never deleted or named by any other instruction (not a cell or free
//! variable, not cleared by an inlined comprehension) has each
//! `LOAD_FAST x` / `LOAD_FAST_CHECK x` / `LOAD_FAST_BORROW x` replaced by
//! that same constant load
//! wherever `x` is bound on every path to the load. The store stays, so
//! `locals()`, `frame.f_locals` and debuggers still see `x`. This feeds
//! `constant-folding` (`N = 8; y = N * 2`) and, through it, `jump-threading`
//! and `dead-code` (`DEBUG = False; if DEBUG: …`).
//!
//! What it assumes: nothing writes the local behind the bytecode's back. A
//! debugger or trace function that assigns `frame.f_locals['x']` (written
//! through to the frame on 3.13, PEP 667; on 3.8–3.12 through
//! `PyFrame_LocalsToFast`) would no longer be seen by the rewritten loads.
//! That is why the pass is at `aggressive`.
//!
//! What it guarantees: a replaced load can only have read `c` (the single
//! store is the only way `x` gets a value, and the load is reached only
//! after it), and the same constant load pushes the very same object, so values,
//! identities and exceptions are unchanged. A load that might find `x`
//! unbound keeps raising `UnboundLocalError`. Line locations are untouched.
//!
//! What it must never do: propagate into a load that might run before the
//! store, or a local that is stored twice, deleted, or a parameter.
//!
//! Versions: 3.8–3.15 (3.14+: `LOAD_SMALL_INT` stores count as constant
//! stores; 3.15: `LOAD_COMMON_CONSTANT` stores of `None`, `""`, `True`,
//! `False` and `-1` too, so `x = None` and `DEBUG = False` propagate; its
//! loads of `AssertionError`, `tuple`, `all` … do not).

use crate::opt::{Changed, CodeUnit, Level, Pass, Precheck};
use crate::version::Op;

pub struct ConstPropagation;

impl Pass for ConstPropagation {
    fn name(&self) -> &'static str {
        "const-propagation"
    }
    fn level(&self) -> Level {
        Level::Aggressive
    }
    fn doc(&self) -> &'static str {
        include_str!("const_propagation.rs")
    }
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        // A candidate is a local stored from a constant load that some
        // plain load reads (locals 0..64 tracked exactly, others assumed).
        let nlocals = pre.nlocals;
        if nlocals == 0 {
            return false;
        }
        let bit = |l: u32| if l < 64 { 1u64 << l } else { u64::MAX };
        let (mut fed, mut loaded) = (0u64, 0u64);
        pre.any_pair(|a, b| {
            if CodeUnit::is_const_load(pre.ir.version, a) && b.op == Op::STORE_FAST {
                fed |= bit(b.arg);
            }
            false
        });
        for ins in &pre.ir.instrs {
            if matches!(
                ins.op,
                Op::LOAD_FAST | Op::LOAD_FAST_BORROW | Op::LOAD_FAST_CHECK
            ) {
                loaded |= bit(ins.arg);
            }
        }
        fed & loaded != 0
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let (nlocals, v) = (code.nlocals, code.cfg.version);
        if nlocals == 0 {
            return Changed::NONE;
        }
        // Per local: number of stores, and the constant of the single one.
        let mut stores = vec![0u32; nlocals];
        // The constant load feeding the single store (LOAD_CONST c, 3.14's
        // LOAD_SMALL_INT n, 3.15's LOAD_COMMON_CONSTANT of None, "", True,
        // False or -1).
        let mut value: Vec<Option<(Op, u32)>> = vec![None; nlocals];
        let mut superinstr = vec![false; nlocals];
        for &b in code.cfg.order() {
            let instrs = code.cfg.block(b).instrs();
            for (i, ins) in instrs.iter().enumerate() {
                match ins.op {
                    Op::STORE_FAST if (ins.arg as usize) < nlocals => {
                        let l = ins.arg as usize;
                        stores[l] += 1;
                        value[l] = instrs[..i]
                            .iter()
                            .rev()
                            .find(|p| p.op != Op::NOP)
                            .filter(|p| CodeUnit::is_const_load(v, p))
                            .map(|p| (p.op, p.arg));
                    }
                    // Stores inside superinstructions count against a
                    // local; their loads just read the single value.
                    Op::STORE_FAST_LOAD_FAST | Op::STORE_FAST_STORE_FAST => {
                        let halves = if ins.op == Op::STORE_FAST_LOAD_FAST {
                            vec![ins.arg >> 4]
                        } else {
                            vec![ins.arg >> 4, ins.arg & 15]
                        };
                        for l in halves {
                            if let Some(s) = superinstr.get_mut(l as usize) {
                                *s = true;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let excluded = code.cfg.unbindable_locals(nlocals);
        let candidate: Vec<Option<(Op, u32)>> = (0..nlocals)
            .map(|l| {
                let ok =
                    l >= code.nargs && stores[l] == 1 && !superinstr[l] && !excluded.contains(l);
                value[l].filter(|_| ok)
            })
            .collect();
        if candidate.iter().all(Option::is_none) {
            return Changed::NONE;
        }
        let changes = code
            .cfg
            .rewrite_with_bound(code.nargs, nlocals, |ins, bound| {
                let l = ins.arg as usize;
                let load = matches!(
                    ins.op,
                    Op::LOAD_FAST | Op::LOAD_FAST_BORROW | Op::LOAD_FAST_CHECK
                ) && l < nlocals;
                match candidate.get(l) {
                    Some(&Some((op, arg))) if load && bound.contains(l) => Some((op, arg)),
                    _ => None,
                }
            });
        Changed(changes)
    }
}
