//! Augmented-assignment reload: `a[k] += v` and `a.x += v` reload a local target instead of copying and swapping it.
//!
//! What it does: CPython compiles `a[k] OP= v` to
//! `<push a> <push k> COPY 2; COPY 2; BINARY_SUBSCR; <v> BINARY_OP;
//! SWAP 3; SWAP 2; STORE_SUBSCR` (3.14+: `BINARY_OP []` for the subscript)
//! and `a.x OP= v` to `<push a> COPY 1; LOAD_ATTR x; <v> BINARY_OP; SWAP 2;
//! STORE_ATTR x`: the target is copied before it is read and brought back
//! on top before it is written. Where the container `a` was pushed by a
//! load of a local (`LOAD_FAST`, `LOAD_FAST_CHECK`, `LOAD_FAST_BORROW`,
//! the second half of a fused load, or of `STORE_FAST_LOAD_FAST`) and the
//! key `k` by a load of a local or a constant load (`CodeUnit::is_const_load`),
//! the copies become located `NOP`s and the swaps become loads of the same
//! local (a strong `LOAD_FAST`) and the same constant:
//! `<push a> <push k> BINARY_SUBSCR; <v> BINARY_OP; LOAD_FAST a; <push k>;
//! STORE_SUBSCR` and `<push a> LOAD_ATTR x; <v> BINARY_OP; LOAD_FAST a;
//! STORE_ATTR x`. That is two instructions fewer per subscript target
//! (three once `superinstructions` fuses `LOAD_FAST a; LOAD_FAST k`) and
//! one per attribute target, every time the statement runs. The code
//! between the copies and the swaps (`BINARY_SUBSCR`/`LOAD_ATTR`, the value
//! `v`, the operator) must lie in the same basic block and consist only of
//! loads (locals, constants, globals, cells, `PUSH_NULL`), `LOAD_ATTR`,
//! unary, binary, comparison, `in`/`is` operators, `TO_BOOL`, `CALL`,
//! `BUILD_TUPLE`/`BUILD_LIST`, `COPY` and `SWAP`, none of which reaches the
//! stack items below the copies (checked by walking the stack depths), and
//! none of which stores or deletes a local.
//!
//! What it assumes: nothing writes the local behind the bytecode's back
//! while `v` is evaluated. A debugger or trace function, or code called by
//! `v` that assigns `frame.f_locals['a']` of this frame (written through
//! to the frame on 3.13+, PEP 667), would make the reload see the new value
//! where CPython stores into the old object. That is why the pass is at
//! `aggressive`, with the same assumption as `const-propagation`.
//!
//! What it guarantees: the same objects are read and written in the same
//! order (`a[k]` / `a.x` is read, `v` evaluated, the operator applied, the
//! result stored into `a[k]` / `a.x`), so values, identities, exceptions and
//! the order of side effects are unchanged; the reloaded local is bound
//! (it was loaded just before), and a constant reload pushes the very same
//! object. The loads take the locations of the swaps they replace and the
//! copies become located `NOP`s, so traceback lines and carets stay; only
//! the reference the stack held on the container during `v` is gone (seen
//! by `sys.getrefcount` only).
//!
//! What it must never do: reload a target that is not a local or a
//! constant (`self.grid[i] += 1` reads `self.grid` once and must keep
//! doing so), or reload across anything that may store, delete or clear
//! that local (walrus, inlined comprehensions, `yield`), a jump, or an
//! instruction that reaches below the copies.
//!
//! Versions: 3.13–3.15 (CPython's compilers for 3.11 and 3.12 emit the
//! same pattern; the pass is measured and tested where the executed
//! instruction counts of the benchmarks were to be reduced, 3.13+).

use crate::bytecode::Instr;
use crate::cfg::BlockId;
use crate::opt::{Changed, CodeUnit, Level, Need, Pass, Precheck};
use crate::version::{Op, PyVersion};

pub struct AugassignReload;

impl Pass for AugassignReload {
    fn name(&self) -> &'static str {
        "augassign-reload"
    }
    fn level(&self) -> Level {
        Level::Aggressive
    }
    fn supports(&self, v: PyVersion) -> bool {
        v >= PyVersion::V3_13
    }
    fn doc(&self) -> &'static str {
        include_str!("augassign_reload.rs")
    }
    fn raw_needs(&self, _: PyVersion, _: Level) -> &'static [Need] {
        &[Need::Pair(&[Op::SWAP], &[Op::STORE_SUBSCR, Op::STORE_ATTR])]
    }
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        // The swap before the store is in every rewritten statement.
        pre.ir.instrs.windows(2).any(|w| {
            matches!(
                (w[0].op, w[0].arg, w[1].op),
                (Op::SWAP, 2, Op::STORE_SUBSCR | Op::STORE_ATTR)
            )
        })
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let mut changes = 0;
        for b in code.cfg.order().to_vec() {
            let mut i = 0;
            while i < code.cfg.block(b).len() {
                if rewrite_at(code, b, i) {
                    changes += 1;
                }
                i += 1;
            }
        }
        Changed(changes)
    }
}

/// A value an instruction pushes that can be pushed again: a local's value
/// (reloaded by `LOAD_FAST`) or a constant (by the same constant load).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reload {
    Local(u32),
    Const(Op, u32),
}

impl Reload {
    fn load(self) -> (Op, u32) {
        match self {
            Reload::Local(l) => (Op::LOAD_FAST, l),
            Reload::Const(op, arg) => (op, arg),
        }
    }
}

/// What `ins` leaves on top of the stack, last push last, when those values
/// can be pushed again; `pops` says whether it pops anything first (then
/// what lay below its pushes is not what the instruction before pushed).
fn pushes(v: PyVersion, ins: &Instr) -> Option<(Vec<Reload>, bool)> {
    let (hi, lo) = (ins.arg >> 4, ins.arg & 15);
    match ins.op {
        Op::LOAD_FAST | Op::LOAD_FAST_CHECK | Op::LOAD_FAST_BORROW => {
            Some((vec![Reload::Local(ins.arg)], false))
        }
        Op::LOAD_FAST_LOAD_FAST | Op::LOAD_FAST_BORROW_LOAD_FAST_BORROW => {
            Some((vec![Reload::Local(hi), Reload::Local(lo)], false))
        }
        Op::STORE_FAST_LOAD_FAST => Some((vec![Reload::Local(lo)], true)),
        _ if CodeUnit::is_const_load(v, ins) => Some((vec![Reload::Const(ins.op, ins.arg)], false)),
        _ => None,
    }
}

/// How deep below the top of the stack `ins` reads or writes (pops
/// count), for the instructions allowed between the copies and the swaps;
/// `None` for every other instruction. `net` is its stack effect.
fn reach(ins: &Instr, net: i64, v: PyVersion) -> Option<i64> {
    match ins.op {
        Op::NOP
        | Op::LOAD_FAST
        | Op::LOAD_FAST_CHECK
        | Op::LOAD_FAST_BORROW
        | Op::LOAD_FAST_LOAD_FAST
        | Op::LOAD_FAST_BORROW_LOAD_FAST_BORROW
        | Op::LOAD_GLOBAL
        | Op::LOAD_DEREF
        | Op::PUSH_NULL => Some(0),
        _ if CodeUnit::is_const_load(v, ins) => Some(0),
        Op::LOAD_ATTR | Op::UNARY_NEGATIVE | Op::UNARY_INVERT | Op::UNARY_NOT | Op::TO_BOOL => {
            Some(1)
        }
        Op::BINARY_OP | Op::BINARY_SUBSCR | Op::COMPARE_OP | Op::CONTAINS_OP | Op::IS_OP => Some(2),
        // One result from everything they pop.
        Op::CALL | Op::BUILD_TUPLE | Op::BUILD_LIST => Some(1 - net),
        Op::COPY | Op::SWAP => Some(ins.arg as i64),
        _ => None,
    }
}

/// The nearest non-`NOP` instruction before `i`.
fn before(instrs: &[Instr], i: usize) -> Option<usize> {
    instrs[..i].iter().rposition(|p| p.op != Op::NOP)
}

/// Rewrites the statement whose copies start at instruction `i` of block
/// `b`, if it is one this pass rewrites.
fn rewrite_at(code: &mut CodeUnit<'_, '_>, b: BlockId, i: usize) -> bool {
    let v = code.cfg.version;
    let instrs = code.cfg.block(b).instrs();
    let copy = |j: usize, n: u32| {
        instrs
            .get(j)
            .is_some_and(|c| c.op == Op::COPY && c.arg == n)
    };
    // Subscript: COPY 2; COPY 2 … SWAP 3; SWAP 2; STORE_SUBSCR.
    // Attribute: COPY 1 … SWAP 2; STORE_ATTR.
    let (ncopies, targets) = if copy(i, 2) && copy(i + 1, 2) {
        (2, 2usize)
    } else if copy(i, 1) {
        (1, 1usize)
    } else {
        return false;
    };
    // The values the copies copied, deepest first.
    let Some(p1) = before(instrs, i) else {
        return false;
    };
    let Some((last, pops)) = pushes(v, &instrs[p1]) else {
        return false;
    };
    let reloads: Vec<Reload> = if last.len() >= targets {
        last[last.len() - targets..].to_vec()
    } else if pops {
        return false;
    } else {
        let Some(p0) = before(instrs, p1) else {
            return false;
        };
        let Some((under, _)) = pushes(v, &instrs[p0]) else {
            return false;
        };
        let Some(&a) = under.last() else {
            return false;
        };
        vec![a, last[0]]
    };
    // The container is a local; a subscript key a local or a constant.
    if !matches!(reloads[0], Reload::Local(l) if (l as usize) < code.nlocals) {
        return false;
    }
    if matches!(reloads.get(1), Some(Reload::Local(l)) if *l as usize >= code.nlocals) {
        return false;
    }
    // Walk the code between the copies and the swaps: `h` items lie above
    // the originals the copies copied, and no instruction may reach them.
    let table = v.table();
    let mut h = targets as i64;
    let mut j = i + ncopies;
    while j < instrs.len() {
        let ins = &instrs[j];
        let ends = if targets == 2 {
            h == 1 && swaps_then_store(instrs, j, &[(Op::SWAP, 3), (Op::SWAP, 2)], Op::STORE_SUBSCR)
        } else {
            h == 1 && swaps_then_store(instrs, j, &[(Op::SWAP, 2)], Op::STORE_ATTR)
        };
        if ends {
            break;
        }
        let Some(info) = table.info(ins.op) else {
            return false;
        };
        let net = info.effect.eval(ins.arg);
        match reach(ins, net, v) {
            Some(r) if r <= h => {}
            _ => return false,
        }
        h += net;
        if h < 1 {
            return false;
        }
        j += 1;
    }
    if j >= instrs.len() {
        return false;
    }
    // j: the first swap. Rewrite: the copies go, the swaps reload.
    for k in 0..ncopies {
        code.cfg.nop_out(b, i + k);
    }
    for (k, r) in reloads.iter().enumerate() {
        let (op, arg) = r.load();
        code.cfg.replace(b, j + k, op, arg);
    }
    true
}

/// Whether `swaps` followed by `store` start at instruction `j`.
fn swaps_then_store(instrs: &[Instr], j: usize, swaps: &[(Op, u32)], store: Op) -> bool {
    let n = swaps.len();
    instrs.len() > j + n
        && swaps
            .iter()
            .enumerate()
            .all(|(k, &(op, arg))| instrs[j + k].op == op && instrs[j + k].arg == arg)
        && instrs[j + n].op == store
}
