//! Swap stores: `ROT_TWO; STORE_FAST a; STORE_FAST b` → `STORE_FAST b; STORE_FAST a`.
//!
//! What it does: CPython 3.8–3.10 compile `a, b = b, a` (and every two- or
//! three-name tuple assignment from a tuple display) as loads, then
//! `ROT_TWO` (two names) or `ROT_THREE; ROT_TWO` (three names), then one
//! `STORE_FAST` per name in target order. When every store is a
//! `STORE_FAST` to a different local, the rotation only decides which value
//! goes to which local, so the stores are written in the opposite order
//! instead and the rotation becomes a located NOP:
//! * `ROT_TWO; STORE_FAST a; STORE_FAST b` → `NOP; STORE_FAST b; STORE_FAST a`;
//! * `ROT_THREE; ROT_TWO; STORE_FAST a; STORE_FAST b; STORE_FAST c` →
//!   `NOP; NOP; STORE_FAST c; STORE_FAST b; STORE_FAST a`.
//!
//! `nop-removal` then removes the NOPs (they are on the stores' line).
//! CPython 3.11+ does this itself (`SWAP` elimination in the compiler).
//!
//! What it assumes: `STORE_FAST` cannot raise; the instructions are
//! consecutive in one block, so nothing jumps between them; and the moment
//! at which an object is destroyed is not part of the language (the
//! reference leaves it to the implementation): a store releases the
//! local's previous value, and when both previous values die here (e.g.
//! `x, y = f(), g()` where nothing else refers to the old `x` and `y`),
//! their `__del__` methods run in the opposite order. CPython 3.11+
//! compiles the same statement with the stores in this order, so code
//! that passes on both sees either order. A true swap (`a, b = b, a`)
//! releases nothing.
//!
//! What it guarantees: after the last store every local holds the value it
//! held before the rewrite; the stack is the same before and after the
//! sequence. Each instruction keeps its location, and every instruction of
//! the sequence is on one line with no 3.8/3.9 line-start mark on a store,
//! so no line event, traceback line or `frame.f_lineno` changes (a tracer
//! sees no event between the stores, and a debugger jump lands only at the
//! start of a line, never between them).
//!
//! What it must never do: reorder stores to the same local (the last one
//! wins), stores that are not `STORE_FAST` (`STORE_NAME`, `STORE_GLOBAL`
//! and attribute or item stores are observable in order: dict insertion
//! order, `__setattr__`, `__setitem__`), or stores spread over lines.
//!
//! Versions: 3.8–3.10. CPython 3.11+ has no `ROT_TWO`/`ROT_THREE` and its
//! compiler already drops the `SWAP`s of such assignments.

use crate::opt::{Changed, CodeUnit, Level, Need, Pass, Precheck};
use crate::version::{Op, PyVersion};

pub struct SwapStores;

impl Pass for SwapStores {
    fn name(&self) -> &'static str {
        "swap-stores"
    }
    fn level(&self) -> Level {
        Level::Safe
    }
    fn supports(&self, v: PyVersion) -> bool {
        v <= PyVersion::V3_10
    }
    fn doc(&self) -> &'static str {
        include_str!("swap_stores.rs")
    }
    fn raw_needs(&self, _: PyVersion, _: Level) -> &'static [Need] {
        &[
            Need::Pair(&[Op::ROT_TWO], &[Op::STORE_FAST]),
            Need::Pair(&[Op::ROT_THREE], &[Op::ROT_TWO]),
        ]
    }
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        // Every rewrite starts with a rotation directly followed by a
        // `STORE_FAST` or a `ROT_TWO` (code as read has no NOP inside the
        // sequence it rewrites).
        pre.ir.instrs.windows(2).any(|w| {
            matches!(
                (w[0].op, w[1].op),
                (Op::ROT_TWO, Op::STORE_FAST) | (Op::ROT_THREE, Op::ROT_TWO)
            )
        })
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let mut changes = 0;
        for b in code.cfg.order().to_vec() {
            let mut i = 0;
            while i < code.cfg.block(b).len() {
                match swappable(code.cfg.block(b).instrs(), i) {
                    Some(rots) => {
                        let instrs = code.cfg.block(b).instrs();
                        let n = rots + 1;
                        let stores: Vec<u32> = instrs[i + rots..i + rots + n]
                            .iter()
                            .map(|s| s.arg)
                            .collect();
                        for k in 0..rots {
                            code.cfg.nop_out(b, i + k);
                        }
                        for (k, arg) in stores.iter().rev().enumerate() {
                            code.cfg.replace(b, i + rots + k, Op::STORE_FAST, *arg);
                        }
                        changes += 1;
                        i += rots + n;
                    }
                    None => i += 1,
                }
            }
        }
        Changed(changes)
    }
}

/// If a rotation starts at `instrs[i]` and the stores after it may be
/// reversed instead, how many rotation instructions it has (1 or 2).
fn swappable(instrs: &[crate::bytecode::Instr], i: usize) -> Option<usize> {
    let rots = match (instrs[i].op, instrs.get(i + 1).map(|x| x.op)) {
        (Op::ROT_TWO, _) => 1,
        (Op::ROT_THREE, Some(Op::ROT_TWO)) => 2,
        _ => return None,
    };
    let n = rots + 1;
    let seq = instrs.get(i..i + rots + n)?;
    let line = seq[0].loc.line;
    if seq.iter().any(|x| x.loc.line != line) {
        return None;
    }
    let stores = &seq[rots..];
    if stores
        .iter()
        .any(|s| s.op != Op::STORE_FAST || s.line_start)
    {
        return None;
    }
    for (k, s) in stores.iter().enumerate() {
        if stores[k + 1..].iter().any(|t| t.arg == s.arg) {
            return None;
        }
    }
    Some(rots)
}

#[cfg(test)]
mod tests {
    use super::swappable;
    use crate::bytecode::testing::ins;
    use crate::version::Op;

    #[test]
    fn only_distinct_fast_stores_on_one_line() {
        let two = [
            ins(Op::ROT_TWO, 0, 3),
            ins(Op::STORE_FAST, 0, 3),
            ins(Op::STORE_FAST, 1, 3),
        ];
        assert_eq!(swappable(&two, 0), Some(1));
        let same = [
            ins(Op::ROT_TWO, 0, 3),
            ins(Op::STORE_FAST, 1, 3),
            ins(Op::STORE_FAST, 1, 3),
        ];
        assert_eq!(swappable(&same, 0), None);
        let lines = [
            ins(Op::ROT_TWO, 0, 3),
            ins(Op::STORE_FAST, 0, 3),
            ins(Op::STORE_FAST, 1, 4),
        ];
        assert_eq!(swappable(&lines, 0), None);
        let attr = [
            ins(Op::ROT_TWO, 0, 3),
            ins(Op::STORE_FAST, 0, 3),
            ins(Op::STORE_ATTR, 1, 3),
        ];
        assert_eq!(swappable(&attr, 0), None);
        let three = [
            ins(Op::ROT_THREE, 0, 3),
            ins(Op::ROT_TWO, 0, 3),
            ins(Op::STORE_FAST, 0, 3),
            ins(Op::STORE_FAST, 1, 3),
            ins(Op::STORE_FAST, 2, 3),
        ];
        assert_eq!(swappable(&three, 0), Some(2));
        let three_same = [
            ins(Op::ROT_THREE, 0, 3),
            ins(Op::ROT_TWO, 0, 3),
            ins(Op::STORE_FAST, 0, 3),
            ins(Op::STORE_FAST, 1, 3),
            ins(Op::STORE_FAST, 0, 3),
        ];
        assert_eq!(swappable(&three_same, 0), None);
        assert_eq!(swappable(&three[..4], 0), None, "a store is missing");
    }
}
