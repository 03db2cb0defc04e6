//! Translation validation: is an optimized code object equivalent to its
//! original? Decided by a checker that shares nothing with the passes (not
//! their analyses, not `crate::consts`): it reads the two instruction
//! lists, the constants and names, and the per-version facts of
//! `crate::version`, and nothing else.
//!
//! Technique: both code objects are executed symbolically in lock step from
//! their entries. A state is the value stack and the fast locals of each
//! side as symbolic values (a constant, an unknown value, unbound, maybe
//! unbound) plus, on 3.8–3.10, the block stack. Loads and stores of fast
//! locals, constant loads, stack shuffles, NOPs and jumps are structure
//! only; an operator whose operands are all constants is evaluated by the
//! validator's own evaluator (`value.rs`) when it can prove CPython's exact
//! result with no exception or warning. Everything else that can have an
//! effect is an observable step compared between the sides: the same
//! instruction with the same resolved argument (constant value, name) on
//! the same symbolic operands, the same branch on the same symbolic
//! condition, the same returned value, the same backward jumps. A step that
//! may raise must see the same local variables (values and boundness) on
//! both sides and be covered by corresponding exception handlers (3.11+:
//! the exception table; 3.8–3.10: the block stack) at the same depth; the
//! handlers are then walked too. Paths that meet again are joined (constants
//! kept where they agree, equal unknowns where they were equal), so loops
//! terminate; the walk stops at the first disagreement.
//!
//! What this proves, and what it does not, is listed in
//! `docs/validation.md`.

mod exec;
mod lines;
mod normal;
/// The validator's own constant evaluator; public only so that its results
/// can be differential-tested against every CPython (`tests/validate_eval.rs`).
#[doc(hidden)]
pub mod value;

use crate::bytecode::CodeIr;
use crate::marshal::{Arena, NodeId};

/// One code object as the validator sees it.
pub struct Code<'x, 'a> {
    pub ir: &'x CodeIr,
    pub arena: &'x Arena<'a>,
    pub consts: &'x [NodeId],
    pub names: &'x [NodeId],
    /// Parameters (bound on entry; they are the first locals).
    pub nargs: usize,
    /// Fast-local slots (3.11+: the whole localsplus).
    pub nlocals: usize,
    pub flags: i32,
}

/// What is compared: at `Lines`, also the lines executed between two
/// observable steps (what `safe` promises); at `Results`, only effects and
/// results (what `aggressive` promises).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    Lines,
    Results,
}

impl Strictness {
    /// What a run at `level` promises.
    pub fn of(level: crate::config::Level) -> Strictness {
        if level == crate::config::Level::Safe {
            Strictness::Lines
        } else {
            Strictness::Results
        }
    }
}

/// Checks `optimized` against `original`: `Ok` when they are shown
/// equivalent, else the first disagreement found.
pub fn check(
    original: &Code<'_, '_>,
    optimized: &Code<'_, '_>,
    strictness: Strictness,
) -> Result<(), String> {
    check_with(original, optimized, strictness, true)
}

/// [`check`], with the normal-form shortcut (`normal.rs`: the same
/// instructions once superinstructions are split and `NOP`s that change
/// nothing compared are dropped) or walking regardless (`shortcut` false:
/// what the tests looking for false alarms of the walk use).
pub fn check_with(
    original: &Code<'_, '_>,
    optimized: &Code<'_, '_>,
    strictness: Strictness,
    shortcut: bool,
) -> Result<(), String> {
    if original.ir.version != optimized.ir.version {
        return Err("different Python versions".into());
    }
    // `CO_HAS_DOCSTRING` (3.14+) says what `co_consts[0]` means, which no
    // instruction reads.
    let doc = original.ir.version.table().co_has_docstring.unwrap_or(0);
    if original.nargs != optimized.nargs
        || original.nlocals != optimized.nlocals
        || (original.flags & !doc) != (optimized.flags & !doc)
    {
        return Err("different parameters, locals or flags".into());
    }
    let lines = strictness == Strictness::Lines;
    if shortcut && normal::same(original, optimized, lines) {
        return Ok(());
    }
    let mut walk = exec::Walk::new(original, optimized, lines);
    walk.run()
}

/// Parameters bound on entry: positional (incl. positional-only) and
/// keyword-only parameters, then `*args` and `**kwargs`.
pub fn parameter_count(argcount: i32, kwonly: i32, flags: i32) -> usize {
    const CO_VARARGS: i32 = 0x04;
    const CO_VARKEYWORDS: i32 = 0x08;
    argcount.max(0) as usize
        + kwonly.max(0) as usize
        + usize::from(flags & CO_VARARGS != 0)
        + usize::from(flags & CO_VARKEYWORDS != 0)
}

/// The outcome of comparing two `.pyc` files code object by code object.
#[derive(Clone, Debug, Default)]
pub struct FileVerdict {
    pub code_objects: u64,
    /// Code objects whose instructions, constants or names differ.
    pub changed: u64,
    /// `(qualified name, first disagreement)` of each changed code object
    /// not shown equivalent.
    pub not_shown: Vec<(String, String)>,
}

/// Compares an optimized `.pyc` with its original: every code object whose
/// code, constants or names differ is validated. The files must hold the
/// same code objects in the same order (a bytecode rewriter changes code,
/// not the tree of code objects).
pub fn check_files(
    original: &[u8],
    optimized: &[u8],
    strictness: Strictness,
) -> Result<FileVerdict, crate::Error> {
    use crate::roundtrip::PycFile;
    let fa = PycFile::parse(original)?;
    let fb = PycFile::parse(optimized)?;
    let mut verdict = FileVerdict::default();
    let (aa, ab) = (&fa.module.arena, &fb.module.arena);
    if fa.version() != fb.version() || aa.codes.len() != ab.codes.len() {
        verdict.code_objects = aa.codes.len() as u64;
        verdict.not_shown.push((
            "<module>".into(),
            "the files hold different versions or numbers of code objects".into(),
        ));
        return Ok(verdict);
    }
    for id in fa.code_ids() {
        verdict.code_objects += 1;
        let (ca, cb) = (aa.code(id), ab.code(id));
        let bytes = |ar: &Arena<'_>, n| ar.as_bytes(n).map(<[u8]>::to_vec);
        let tuple = |ar: &Arena<'_>, n| -> Vec<value::CVal> {
            ar.as_tuple(n)
                .unwrap_or(&[])
                .iter()
                .map(|&k| value::read(ar, k, 0))
                .collect()
        };
        let same = bytes(aa, ca.code) == bytes(ab, cb.code)
            && tuple(aa, ca.consts) == tuple(ab, cb.consts)
            && tuple(aa, ca.names) == tuple(ab, cb.names)
            && ca.exceptiontable.and_then(|n| bytes(aa, n))
                == cb.exceptiontable.and_then(|n| bytes(ab, n))
            && ca.flags == cb.flags;
        if same {
            continue;
        }
        verdict.changed += 1;
        let qualname = fa.qualname(id);
        let result = (|| {
            let ira = fa.decode_code(id).map_err(|e| e.to_string())?;
            let irb = fb.decode_code(id).map_err(|e| e.to_string())?;
            let locals = |ar: &Arena<'_>, c: &crate::marshal::CodeObj| {
                ar.as_tuple(c.varnames).map_or(0, <[NodeId]>::len)
            };
            let side = |ir, ar: &'_ Arena<'_>, c: &crate::marshal::CodeObj| (ir, locals(ar, c));
            let (sa, sb) = (side(&ira, aa, ca), side(&irb, ab, cb));
            let a = Code {
                ir: sa.0,
                arena: aa,
                consts: aa.as_tuple(ca.consts).unwrap_or(&[]),
                names: aa.as_tuple(ca.names).unwrap_or(&[]),
                nargs: parameter_count(ca.argcount, ca.kwonlyargcount, ca.flags),
                nlocals: sa.1,
                flags: ca.flags,
            };
            let b = Code {
                ir: sb.0,
                arena: ab,
                consts: ab.as_tuple(cb.consts).unwrap_or(&[]),
                names: ab.as_tuple(cb.names).unwrap_or(&[]),
                nargs: parameter_count(cb.argcount, cb.kwonlyargcount, cb.flags),
                nlocals: sb.1,
                flags: cb.flags,
            };
            check(&a, &b, strictness)
        })();
        if let Err(why) = result {
            verdict.not_shown.push((qualname, why));
        }
    }
    Ok(verdict)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::testing::{if_then_return, ins};
    use crate::marshal::{Node, Value};
    use crate::version::{Op, PyVersion};

    /// An arena holding the constants `None, 1, 2, 3` (nodes 0–3) and the
    /// names `a`, `b` (nodes 4, 5).
    fn arena() -> Arena<'static> {
        let node = |value| Node { value, flag: false };
        let name = |s: &'static str| {
            node(Value::Str(
                crate::marshal::StrKind::Unicode,
                std::borrow::Cow::Borrowed(s.as_bytes()),
            ))
        };
        Arena {
            nodes: vec![
                node(Value::None),
                node(Value::Int(1)),
                node(Value::Int(2)),
                node(Value::Int(3)),
                name("a"),
                name("b"),
            ],
            kids: vec![],
            codes: vec![],
            ..Arena::default()
        }
    }

    const CONSTS: [NodeId; 4] = [NodeId(0), NodeId(1), NodeId(2), NodeId(3)];
    const NAMES: [NodeId; 2] = [NodeId(4), NodeId(5)];

    fn ir(v: PyVersion, code: &[(Op, u32, i32)]) -> CodeIr {
        let mut ir = CodeIr::new(v);
        ir.firstlineno = 1;
        ir.instrs = code
            .iter()
            .map(|&(op, arg, line)| ins(op, arg, line))
            .collect();
        ir
    }

    fn check_pair(a: &CodeIr, b: &CodeIr, nargs: usize, s: Strictness) -> Result<(), String> {
        let arena = arena();
        let side = |ir| Code {
            ir,
            arena: &arena,
            consts: &CONSTS,
            names: &NAMES,
            nargs,
            nlocals: 2,
            flags: 3,
        };
        check(&side(a), &side(b), s)
    }

    const V: PyVersion = PyVersion::V3_12;
    use Op::*;

    /// `a = 1 + 2` stored to a global: folded on one side.
    #[test]
    fn a_folded_constant_is_equivalent_and_a_wrong_one_is_not() {
        let orig = ir(
            V,
            &[
                (RESUME, 0, 1),
                (LOAD_CONST, 1, 2),
                (LOAD_CONST, 2, 2),
                (BINARY_OP, 0, 2),
                (STORE_GLOBAL, 0, 2),
                (RETURN_CONST, 0, 2),
            ],
        );
        let folded = ir(
            V,
            &[
                (RESUME, 0, 1),
                (NOP, 0, 2),
                (NOP, 0, 2),
                (LOAD_CONST, 3, 2),
                (STORE_GLOBAL, 0, 2),
                (RETURN_CONST, 0, 2),
            ],
        );
        assert_eq!(check_pair(&orig, &folded, 0, Strictness::Lines), Ok(()));
        let mut wrong = folded.clone();
        wrong.instrs[3].arg = 2;
        let e = check_pair(&orig, &wrong, 0, Strictness::Lines).unwrap_err();
        assert!(
            e.starts_with("different operands: original STORE_GLOBAL"),
            "{e}"
        );
        // A dropped store.
        let mut dropped = folded.clone();
        dropped.instrs[4] = ins(POP_TOP, 0, 2);
        assert!(check_pair(&orig, &dropped, 0, Strictness::Results).is_err());
    }

    /// Swapped operands of a subtraction, and an addition for it.
    #[test]
    fn swapped_operands_and_a_wrong_operator_are_caught() {
        let orig = ir(
            V,
            &[
                (RESUME, 0, 1),
                (LOAD_FAST, 0, 2),
                (LOAD_FAST, 1, 2),
                (BINARY_OP, 10, 2),
                (RETURN_VALUE, 0, 2),
            ],
        );
        let mut swapped = orig.clone();
        swapped.instrs.swap(1, 2);
        let mut added = orig.clone();
        added.instrs[3].arg = 0;
        for b in [&swapped, &added] {
            assert!(check_pair(&orig, b, 2, Strictness::Results).is_err());
        }
        assert_eq!(check_pair(&orig, &orig, 2, Strictness::Lines), Ok(()));
    }

    /// `LOAD_FAST_CHECK y` → `LOAD_FAST y` where `y` may be unbound is
    /// refused; a jump to a jump, threaded, is equivalent.
    #[test]
    fn unchecked_loads_need_a_bound_local() {
        let orig = if_then_return(V, ins, (LOAD_CONST, 1), false);
        let mut unchecked = orig.clone();
        unchecked.instrs[5].op = LOAD_FAST;
        let e = check_pair(&orig, &unchecked, 1, Strictness::Results).unwrap_err();
        assert!(e.contains("unchecked load of local 1"), "{e}");
        // The branch inverted over the store is a different program.
        let mut inverted = orig.clone();
        inverted.instrs[2].op = POP_JUMP_IF_TRUE;
        assert!(check_pair(&orig, &inverted, 1, Strictness::Results).is_err());
    }

    /// At `safe`, a line moved between effects is a disagreement; at
    /// `aggressive` it is not.
    #[test]
    fn lines_are_compared_at_safe_only() {
        let orig = ir(
            V,
            &[
                (RESUME, 0, 1),
                (NOP, 0, 2),
                (LOAD_GLOBAL, 0, 3),
                (RETURN_VALUE, 0, 3),
            ],
        );
        let mut moved = orig.clone();
        moved.instrs[1] = ins(NOP, 0, 3);
        let e = check_pair(&orig, &moved, 0, Strictness::Lines).unwrap_err();
        assert!(e.starts_with("different line events"), "{e}");
        assert_eq!(check_pair(&orig, &moved, 0, Strictness::Results), Ok(()));
    }

    /// A jump retargeted from the first to the second instruction of line
    /// 4: on 3.8 the second is inside the `co_lnotab` range, so arriving
    /// there by a forward jump reports no line event (refused at `safe`);
    /// on 3.10 a jump from another line reports the line wherever it lands
    /// (accepted). `tests/validate.rs` checks the same pair against each
    /// interpreter's `sys.settrace`.
    #[test]
    fn a_jump_into_the_middle_of_a_line_is_each_versions_rule() {
        let code = |target| {
            [
                (LOAD_FAST, 0, 2),
                (POP_JUMP_IF_FALSE, target, 2),
                (LOAD_GLOBAL, 0, 3),
                (POP_TOP, 0, 3),
                (NOP, 0, 4),
                (NOP, 0, 4),
                (LOAD_CONST, 0, 5),
                (RETURN_VALUE, 0, 5),
            ]
        };
        for (v, same) in [(PyVersion::V3_8, false), (PyVersion::V3_10, true)] {
            let (orig, moved) = (ir(v, &code(4)), ir(v, &code(5)));
            let r = check_pair(&orig, &moved, 1, Strictness::Lines);
            if same {
                assert_eq!(r, Ok(()), "{v}");
            } else {
                let e = r.unwrap_err();
                assert!(
                    e.contains("line events before the step: [4 5] vs [5]"),
                    "{v}: {e}"
                );
            }
            assert_eq!(
                check_pair(&orig, &moved, 1, Strictness::Results),
                Ok(()),
                "{v}"
            );
        }
    }

    /// 3.8 `while x: g` rotated: the test copied after the body, its
    /// inverted jump going back to the body. Accepted at both levels; with
    /// the copy on the latch's line (the backward jump's line event at the
    /// test moved) it is refused at `safe` only; with the copy's jump not
    /// inverted it is refused.
    #[test]
    fn a_rotated_loop_is_equivalent_and_a_moved_line_is_not() {
        let v = PyVersion::V3_8;
        let orig = ir(
            v,
            &[
                (LOAD_FAST, 0, 2),
                (POP_JUMP_IF_FALSE, 5, 2),
                (LOAD_GLOBAL, 0, 3),
                (POP_TOP, 0, 3),
                (JUMP_ABSOLUTE, 0, 3),
                (LOAD_CONST, 0, 4),
                (RETURN_VALUE, 0, 4),
            ],
        );
        let rotated = ir(
            v,
            &[
                (LOAD_FAST, 0, 2),
                (POP_JUMP_IF_FALSE, 6, 2),
                (LOAD_GLOBAL, 0, 3),
                (POP_TOP, 0, 3),
                (LOAD_FAST, 0, 2),
                (POP_JUMP_IF_TRUE, 2, 2),
                (LOAD_CONST, 0, 4),
                (RETURN_VALUE, 0, 4),
            ],
        );
        for s in [Strictness::Lines, Strictness::Results] {
            assert_eq!(check_pair(&orig, &rotated, 1, s), Ok(()));
        }
        let mut moved = rotated.clone();
        moved.instrs[4].loc.line = 3;
        moved.instrs[5].loc.line = 3;
        let e = check_pair(&orig, &moved, 1, Strictness::Lines).unwrap_err();
        assert!(e.starts_with("different line events"), "{e}");
        assert_eq!(check_pair(&orig, &moved, 1, Strictness::Results), Ok(()));
        let mut not_inverted = rotated.clone();
        not_inverted.instrs[5].op = POP_JUMP_IF_FALSE;
        assert!(check_pair(&orig, &not_inverted, 1, Strictness::Results).is_err());
    }

    /// 3.8 `x = 2; while x: x -= 1` (all constants) rotated: the original
    /// takes its backward jump once more before the exit; accepted. An
    /// endless loop for a return is refused.
    #[test]
    fn a_rotated_constant_loop_is_equivalent_and_an_endless_one_is_not() {
        let v = PyVersion::V3_8;
        let head = [(LOAD_CONST, 2, 1), (STORE_FAST, 1, 1), (LOAD_FAST, 1, 2)];
        let body = [
            (LOAD_FAST, 1, 3),
            (LOAD_CONST, 1, 3),
            (INPLACE_SUBTRACT, 0, 3),
            (STORE_FAST, 1, 3),
        ];
        let tail = [(LOAD_CONST, 0, 4), (RETURN_VALUE, 0, 4)];
        let mut a = head.to_vec();
        a.push((POP_JUMP_IF_FALSE, 9, 2));
        a.extend(body);
        a.push((JUMP_ABSOLUTE, 2, 3));
        a.extend(tail);
        let mut b = head.to_vec();
        b.push((POP_JUMP_IF_FALSE, 10, 2));
        b.extend(body);
        b.extend([(LOAD_FAST, 1, 2), (POP_JUMP_IF_TRUE, 4, 2)]);
        b.extend(tail);
        let (orig, rotated) = (ir(v, &a), ir(v, &b));
        assert_eq!(check_pair(&orig, &rotated, 0, Strictness::Results), Ok(()));
        let ret = ir(v, &tail);
        let endless = ir(v, &[(NOP, 0, 1), (JUMP_ABSOLUTE, 0, 1)]);
        let e = check_pair(&ret, &endless, 0, Strictness::Results).unwrap_err();
        assert!(e.starts_with("different steps"), "{e}");
    }

    /// 3.8 `[x for p in it async for x in f(p)]`: `END_ASYNC_FOR` pops its
    /// handler's block, so the outer loop's state is the same each round
    /// and the walk ends (it kept a block more per round, and the block
    /// stack grew until memory ran out). A wrong append target is still
    /// refused.
    #[test]
    fn an_async_for_in_a_loop_keeps_the_block_stack() {
        let v = PyVersion::V3_8;
        let code = [
            (BUILD_LIST, 0, 1),
            (LOAD_FAST, 0, 1),
            (FOR_ITER, 17, 1),
            (STORE_FAST, 1, 1),
            (LOAD_GLOBAL, 0, 1),
            (LOAD_FAST, 1, 1),
            (CALL_FUNCTION, 1, 1),
            (GET_AITER, 0, 1),
            (SETUP_FINALLY, 15, 1),
            (GET_ANEXT, 0, 1),
            (LOAD_CONST, 0, 1),
            (YIELD_FROM, 0, 1),
            (POP_BLOCK, 0, 1),
            (LIST_APPEND, 3, 1),
            (JUMP_ABSOLUTE, 8, 1),
            (END_ASYNC_FOR, 0, 1),
            (JUMP_ABSOLUTE, 2, 1),
            (RETURN_VALUE, 0, 1),
        ];
        let orig = ir(v, &code);
        for s in [Strictness::Lines, Strictness::Results] {
            assert_eq!(check_pair(&orig, &orig, 1, s), Ok(()));
        }
        let mut wrong = orig.clone();
        wrong.instrs[13].arg = 2;
        let e = check_pair(&orig, &wrong, 1, Strictness::Results).unwrap_err();
        assert!(e.contains("LIST_APPEND"), "{e}");
    }

    /// 3.13 `a + b` with the loads fused and a `NOP` dropped: the same
    /// normal form (no walk needed) where the `NOP` is on the loads' line,
    /// and at `aggressive` wherever it is; swapped halves are not the same
    /// normal form and the walk refuses them.
    #[test]
    fn fused_loads_and_dropped_nops_have_the_same_normal_form() {
        let v = PyVersion::V3_13;
        let orig = ir(
            v,
            &[
                (RESUME, 0, 1),
                (LOAD_FAST, 0, 2),
                (NOP, 0, 2),
                (LOAD_FAST, 1, 2),
                (BINARY_OP, 0, 2),
                (RETURN_VALUE, 0, 2),
            ],
        );
        let fused = ir(
            v,
            &[
                (RESUME, 0, 1),
                (LOAD_FAST_LOAD_FAST, 1, 2),
                (BINARY_OP, 0, 2),
                (RETURN_VALUE, 0, 2),
            ],
        );
        let arena = arena();
        let side = |ir| Code {
            ir,
            arena: &arena,
            consts: &CONSTS,
            names: &NAMES,
            nargs: 2,
            nlocals: 2,
            flags: 3,
        };
        assert!(normal::same(&side(&orig), &side(&fused), true));
        assert!(normal::same(&side(&orig), &side(&fused), false));
        let mut moved = orig.clone();
        moved.instrs[2] = ins(NOP, 0, 3);
        assert!(!normal::same(&side(&moved), &side(&fused), true));
        assert!(normal::same(&side(&moved), &side(&fused), false));
        let e = check_pair(&moved, &fused, 2, Strictness::Lines).unwrap_err();
        assert!(e.starts_with("different line events"), "{e}");
        let mut swapped = fused.clone();
        swapped.instrs[1].arg = 1 << 4;
        for lines in [true, false] {
            assert!(!normal::same(&side(&orig), &side(&swapped), lines));
        }
        let e = check_pair(&orig, &swapped, 2, Strictness::Results).unwrap_err();
        assert!(
            e.starts_with("different operands: original BINARY_OP"),
            "{e}"
        );
    }

    /// 3.11 `for x in a: if x: return 1` with the jump to the loop's
    /// `JUMP_BACKWARD` threaded (a backward conditional jump) and the
    /// `JUMP_BACKWARD` dropped as unreachable, and a jump through a forward
    /// jump threaded: the same normal form at both levels. A hop on another
    /// line is a line event, so at `safe` the forms differ and the walk
    /// refuses; a wrong threaded target differs at both levels.
    #[test]
    fn threaded_jumps_and_dropped_dead_code_have_the_same_normal_form() {
        let v = PyVersion::V3_11;
        let orig = ir(
            v,
            &[
                (RESUME, 0, 1),
                (LOAD_FAST, 0, 2),
                (GET_ITER, 0, 2),
                (FOR_ITER, 10, 2),
                (STORE_FAST, 1, 2),
                (LOAD_FAST, 1, 3),
                (POP_JUMP_FORWARD_IF_FALSE, 8, 3),
                (JUMP_FORWARD, 9, 3),
                (JUMP_BACKWARD, 3, 3),
                (JUMP_FORWARD, 12, 4),
                (LOAD_CONST, 0, 5),
                (RETURN_VALUE, 0, 5),
                (POP_TOP, 0, 4),
                (LOAD_CONST, 1, 4),
                (RETURN_VALUE, 0, 4),
            ],
        );
        let threaded = ir(
            v,
            &[
                (RESUME, 0, 1),
                (LOAD_FAST, 0, 2),
                (GET_ITER, 0, 2),
                (FOR_ITER, 8, 2),
                (STORE_FAST, 1, 2),
                (LOAD_FAST, 1, 3),
                (POP_JUMP_BACKWARD_IF_FALSE, 3, 3),
                (JUMP_FORWARD, 10, 3),
                (LOAD_CONST, 0, 5),
                (RETURN_VALUE, 0, 5),
                (POP_TOP, 0, 4),
                (LOAD_CONST, 1, 4),
                (RETURN_VALUE, 0, 4),
            ],
        );
        let arena = arena();
        let side = |ir| Code {
            ir,
            arena: &arena,
            consts: &CONSTS,
            names: &NAMES,
            nargs: 1,
            nlocals: 2,
            flags: 3,
        };
        for lines in [true, false] {
            assert!(normal::same(&side(&orig), &side(&threaded), lines));
        }
        for s in [Strictness::Lines, Strictness::Results] {
            assert_eq!(check_pair(&orig, &threaded, 1, s), Ok(()));
        }
        // The `JUMP_BACKWARD` on line 6: the original reports line 6
        // before the loop's next round, the threaded jump does not.
        let mut hop_line = orig.clone();
        hop_line.instrs[8].loc.line = 6;
        assert!(!normal::same(&side(&hop_line), &side(&threaded), true));
        assert!(normal::same(&side(&hop_line), &side(&threaded), false));
        let e = check_pair(&hop_line, &threaded, 1, Strictness::Lines).unwrap_err();
        assert!(e.starts_with("different line events"), "{e}");
        // Threaded to the other return.
        let mut wrong = threaded.clone();
        wrong.instrs[7].arg = 8;
        for lines in [true, false] {
            assert!(!normal::same(&side(&orig), &side(&wrong), lines));
        }
        assert!(check_pair(&orig, &wrong, 1, Strictness::Results).is_err());
    }

    /// 3.13: `TO_BOOL` of `a < b` with the bool bit (and of `a is b`) is
    /// the identity; without the bool bit the comparison may return any
    /// object and the dropped `TO_BOOL` is refused.
    #[test]
    fn to_bool_of_an_exact_bool_may_be_dropped() {
        let v = PyVersion::V3_13;
        let bit = v.facts().compare_op_bool_bit;
        for (op, arg, exact) in [
            (COMPARE_OP, bit, true),
            (IS_OP, 0, true),
            (COMPARE_OP, 0, false),
        ] {
            let orig = ir(
                v,
                &[
                    (RESUME, 0, 1),
                    (LOAD_FAST, 0, 2),
                    (LOAD_FAST, 1, 2),
                    (op, arg, 2),
                    (TO_BOOL, 0, 2),
                    (RETURN_VALUE, 0, 2),
                ],
            );
            let mut dropped = orig.clone();
            dropped.instrs[4] = ins(NOP, 0, 2);
            let r = check_pair(&orig, &dropped, 2, Strictness::Lines);
            if exact {
                assert_eq!(r, Ok(()), "{}", op.name());
            } else {
                let e = r.unwrap_err();
                assert!(e.starts_with("different steps: original TO_BOOL"), "{e}");
            }
        }
    }

    /// 3.13 `a.a += b(y)` with `a` reloaded for the store instead of
    /// copied (the copy stayed under the call): accepted. Reloading the
    /// wrong local, or calling with the wrong argument, is refused.
    #[test]
    fn a_call_reads_only_its_operands() {
        let v = PyVersion::V3_13;
        let orig = ir(
            v,
            &[
                (RESUME, 0, 1),
                (LOAD_FAST, 0, 2),
                (COPY, 1, 2),
                (LOAD_ATTR, 0, 2),
                (LOAD_GLOBAL, 3, 2),
                (LOAD_FAST, 1, 2),
                (CALL, 1, 2),
                (BINARY_OP, 13, 2),
                (SWAP, 2, 2),
                (STORE_ATTR, 0, 2),
                (RETURN_CONST, 0, 2),
            ],
        );
        let reloaded = ir(
            v,
            &[
                (RESUME, 0, 1),
                (LOAD_FAST, 0, 2),
                (LOAD_ATTR, 0, 2),
                (LOAD_GLOBAL, 3, 2),
                (LOAD_FAST, 1, 2),
                (CALL, 1, 2),
                (BINARY_OP, 13, 2),
                (LOAD_FAST, 0, 2),
                (STORE_ATTR, 0, 2),
                (RETURN_CONST, 0, 2),
            ],
        );
        assert_eq!(check_pair(&orig, &reloaded, 2, Strictness::Lines), Ok(()));
        let mut wrong_store = reloaded.clone();
        wrong_store.instrs[7].arg = 1;
        let e = check_pair(&orig, &wrong_store, 2, Strictness::Results).unwrap_err();
        assert!(
            e.starts_with("different operands: original STORE_ATTR"),
            "{e}"
        );
        let mut wrong_arg = reloaded.clone();
        wrong_arg.instrs[4].arg = 0;
        let e = check_pair(&orig, &wrong_arg, 2, Strictness::Results).unwrap_err();
        assert!(e.starts_with("different operands: original CALL"), "{e}");
    }
}
