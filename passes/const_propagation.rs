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
//! wherever `x` is bound on every path to the load. On 3.13+, where the
//! compiler fuses loads, a superinstruction that reads such a local is
//! split (`Cfg::split`) into the two instructions it runs, both at its
//! location, only where `constant-folding` then folds what consumes the
//! constant (`constant_folding::folds`, on the constant values), so that a
//! split never costs an instruction: `LOAD_FAST_LOAD_FAST x, y` (3.14+ also
//! `LOAD_FAST_BORROW_LOAD_FAST_BORROW`) becomes two constant loads when the
//! next operation folds both (`x * y`, `(x, y)`), or `LOAD_FAST x;
//! LOAD_CONST c` when it folds the second with constants loaded after it
//! (`z * (y + 1)`); `STORE_FAST_LOAD_FAST z, y` becomes `STORE_FAST z;
//! LOAD_CONST c` when what follows folds `c` (`-y`, `y + 1`, `if y:`). A
//! pair whose constants feed a call, a list or another local stays
//! fused. The store stays, so
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
//! Versions: 3.8–3.15 (3.13+: fused loads are split where the constants
//! then fold, 3.14+ also the borrowed pair; 3.14+: `LOAD_SMALL_INT` stores count as constant
//! stores; 3.15: `LOAD_COMMON_CONSTANT` stores of `None`, `""`, `True`,
//! `False` and `-1` too, so `x = None` and `DEBUG = False` propagate; its
//! loads of `AssertionError`, `tuple`, `all` … do not).

use std::collections::HashMap;

use fixedbitset::FixedBitSet;

use super::constant_folding::folds;
use crate::bytecode::Instr;
use crate::cfg::Rewrite;
use crate::consts::Const;
use crate::opt::{Changed, CodeUnit, Level, Need, Pass, Precheck};
use crate::version::{Op, PyVersion};

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
    fn raw_needs(&self, _: PyVersion, _: Level) -> &'static [Need] {
        &[Need::Pair(CodeUnit::CONST_LOADS, &[Op::STORE_FAST])]
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
            match ins.op {
                Op::LOAD_FAST | Op::LOAD_FAST_BORROW | Op::LOAD_FAST_CHECK => {
                    loaded |= bit(ins.arg)
                }
                Op::LOAD_FAST_LOAD_FAST | Op::LOAD_FAST_BORROW_LOAD_FAST_BORROW => {
                    loaded |= bit(ins.arg >> 4) | bit(ins.arg & 15)
                }
                Op::STORE_FAST_LOAD_FAST => loaded |= bit(ins.arg & 15),
                _ => {}
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
        // The value of every constant load of the code, for the fold check.
        let mut values: HashMap<(Op, u32), Const> = HashMap::new();
        for &b in code.cfg.order() {
            for ins in code.cfg.block(b).instrs() {
                if CodeUnit::is_const_load(v, ins) && !values.contains_key(&(ins.op, ins.arg)) {
                    if let Some(c) = code.loaded_const(ins) {
                        values.insert((ins.op, ins.arg), c);
                    }
                }
            }
        }
        let prop = |l: u32, bound: &FixedBitSet| match candidate.get(l as usize) {
            Some(&Some(c)) if bound.contains(l as usize) => Some(c),
            _ => None,
        };
        let changes =
            code.cfg
                .rewrite_or_split_with_bound(code.nargs, nlocals, |instrs, i, bound| {
                    let ins = &instrs[i];
                    let (hi, lo) = (ins.arg >> 4, ins.arg & 15);
                    match ins.op {
                        Op::LOAD_FAST | Op::LOAD_FAST_BORROW | Op::LOAD_FAST_CHECK
                            if (ins.arg as usize) < nlocals =>
                        {
                            prop(ins.arg, bound).map(|(op, arg)| Rewrite::Replace(op, arg))
                        }
                        // A fused pair of loads is split only where what
                        // consumes the constants then folds (it would
                        // otherwise cost an instruction and fold nothing:
                        // +4,141 instructions on the 3.13 standard library
                        // when every such pair was split). A half that is not
                        // propagated keeps its (borrowed) load.
                        Op::LOAD_FAST_LOAD_FAST | Op::LOAD_FAST_BORROW_LOAD_FAST_BORROW => {
                            let half = if ins.op == Op::LOAD_FAST_LOAD_FAST {
                                Op::LOAD_FAST
                            } else {
                                Op::LOAD_FAST_BORROW
                            };
                            let (a, c) = (prop(hi, bound), prop(lo, bound));
                            let c = c?;
                            match a {
                                Some(a) if folded(v, &values, instrs, i, &[a, c]) >= 2 => {
                                    Some(Rewrite::Split(a, c))
                                }
                                _ if folded(v, &values, instrs, i, &[(half, hi), c]) >= 1 => {
                                    Some(Rewrite::Split((half, hi), c))
                                }
                                _ => None,
                            }
                        }
                        // The store runs first, then the constant is pushed.
                        Op::STORE_FAST_LOAD_FAST => {
                            let c = prop(lo, bound)?;
                            (folded(v, &values, instrs, i, &[c]) >= 1)
                                .then_some(Rewrite::Split((Op::STORE_FAST, hi), c))
                        }
                        _ => None,
                    }
                });
        Changed(changes)
    }
}

/// How many of the values `pushed` (deepest first; constant loads, or
/// another load for a half that stays a local) that instruction `i` of
/// `instrs` would push, if split, the next operation folds: 0 when it does
/// not fold, or folds only constants loaded after `i`. A pushed value that
/// is not a constant load stops the count at the values above it.
fn folded(
    v: PyVersion,
    values: &HashMap<(Op, u32), Const>,
    instrs: &[Instr],
    i: usize,
    pushed: &[(Op, u32)],
) -> usize {
    // The constants on top of the stack when the consumer runs, deepest
    // first: the pushed ones (up to the first that is no constant load),
    // then the constant loads that follow `i`.
    let mut operands: Vec<Const> = Vec::new();
    for &(op, arg) in pushed {
        match values.get(&(op, arg)) {
            Some(c) => operands.push(c.clone()),
            None => operands.clear(),
        }
    }
    let ours = operands.len();
    let mut following = 0;
    for ins in &instrs[i + 1..] {
        if ins.op == Op::NOP {
            continue;
        }
        if CodeUnit::is_const_load(v, ins) {
            match values.get(&(ins.op, ins.arg)) {
                Some(c) => {
                    operands.push(c.clone());
                    following += 1;
                    continue;
                }
                None => return 0,
            }
        }
        return match folds(v, ins, &operands) {
            Some(arity) => arity.saturating_sub(following).min(ours),
            None => 0,
        };
    }
    0
}
