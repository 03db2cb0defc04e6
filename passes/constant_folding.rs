//! Constant folding: evaluate operations whose operands are all constants.
//!
//! What it does, within each basic block (operands are the nearest earlier
//! non-`NOP` instructions, which must be constant loads: `LOAD_CONST`,
//! 3.14+'s `LOAD_SMALL_INT`, 3.15's `LOAD_COMMON_CONSTANT` of `None`, `""`,
//! `True`, `False` or `-1`; see `CodeUnit::is_const_load`):
//! * unary `-`, `+`, `~`, `not` and 3.13 `TO_BOOL` of a constant;
//! * binary operators (`BINARY_ADD`… on 3.8–3.10, `BINARY_OP` on 3.11+,
//!   in-place forms included: on immutable constants they are the same);
//! * comparisons (`COMPARE_OP` `< <= == != > >=`), and `in`/`not in`
//!   against a constant tuple or frozenset;
//! * `BUILD_TUPLE n` of n constants (any constants) into one tuple constant
//!   made of the very same constant objects (marshal back-references), so
//!   identities (`t[0] is x`, `nan in (nan,)`) are kept;
//! * a conditional jump on a constant (`POP_JUMP_IF_*`, `JUMP_IF_*_OR_POP`):
//!   into an unconditional jump when it is always taken, into `NOP`s when it
//!   never is (the unreachable side is then left for `dead-code`; on 3.12
//!   at `safe` only when its target stays the target of another jump,
//!   because 3.12 reports a line event at every jump target);
//! * 3.12+: `LOAD_CONST c; RETURN_VALUE` into `RETURN_CONST c`.
//!
//! Every instruction folded away becomes a `NOP` that keeps its location and
//! the result takes the location of the operation, so line events, traceback
//! lines and 3.11+ caret positions stay where they were; `nop-removal` drops
//! the `NOP`s that carry no line event of their own.
//!
//! What it assumes: the operands are CPython's built-in types (constants
//! cannot be anything else), so the operators have their built-in meaning.
//!
//! What it guarantees: the folded value is exactly what CPython computes,
//! with the same type (`1`, `1.0` and `True` stay distinct; `-0.0` keeps its
//! sign); `~bool` (deprecated on 3.12+, so it warns) is left alone;
//! operations that raise (`1/0`, `1 % 0`, `'a' + 1`, `-'x'`, ordering
//! across types), that could warn (`str == bytes` under `-b`), that produce
//! NaN or an infinity, or whose result exceeds CPython's AST-optimizer limits
//! (128-bit ints, 4096-item str/bytes, 256-item tuples) are left alone. New
//! constants are appended to `co_consts` (an equal existing one of the same
//! type is reused); `co_consts[0]` keeps its meaning. A result is loaded as
//! CPython's compiler loads it: on 3.14+ an int 0..=255 by `LOAD_SMALL_INT`;
//! on 3.15 `None`, `""`, `True`, `False` and `-1` by `LOAD_COMMON_CONSTANT`,
//! without a `co_consts` entry (a tuple folded from such loads holds new
//! nodes for them, not `co_consts` entries: these values are singletons or
//! cached, so the tuple's items are the very objects the loads pushed).
//!
//! What it must never do: fold `%` on strings, float `//`, `%` or `**`, or
//! anything on a type whose operators a user can define; merge NaNs.
//!
//! Versions: 3.8–3.15. On 3.13+ a conditional jump is folded only on an exact
//! bool constant (3.13 jumps test identity with `True`/`False`; the `TO_BOOL`
//! before them is folded first). 3.15: `LOAD_COMMON_CONSTANT` operands
//! (`3 != True`, `x is None` after `const-propagation`) and results (a
//! comparison folds to `LOAD_COMMON_CONSTANT 9`/`10`, as CPython would
//! compile `True`/`False`).

use crate::bytecode::Instr;
use crate::cfg::BlockId;
use crate::consts::{self, BinOp, CmpOp, Const};
use crate::opt::{Changed, CodeUnit, Level, Need, Pass, Precheck};
use crate::version::{Op, PyVersion};

pub struct ConstantFolding;

impl Pass for ConstantFolding {
    fn name(&self) -> &'static str {
        "constant-folding"
    }
    fn level(&self) -> Level {
        Level::Safe
    }
    fn doc(&self) -> &'static str {
        include_str!("constant_folding.rs")
    }
    fn raw_needs(&self, v: PyVersion, _: Level) -> &'static [Need] {
        // `may_fold`: an operation `classify` knows after as many constant
        // loads as it has operands.
        if v.table().info(Op::RETURN_CONST).is_some() {
            &[
                Need::AfterConsts(ONE_OPERAND, 1),
                Need::AfterConsts(&[Op::RETURN_VALUE], 1),
                Need::AfterConsts(TWO_OPERANDS, 2),
                Need::AfterConsts(&[Op::BUILD_TUPLE], 0),
            ]
        } else {
            &[
                Need::AfterConsts(ONE_OPERAND, 1),
                Need::AfterConsts(TWO_OPERANDS, 2),
                Need::AfterConsts(&[Op::BUILD_TUPLE], 0),
            ]
        }
    }
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        may_fold(pre)
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let mut changes = 0;
        let order = code.cfg.order().to_vec();
        for b in order {
            let mut i = 0;
            while i < code.cfg.block(b).len() {
                if fold_at(code, b, i) {
                    changes += 1;
                }
                i += 1;
            }
        }
        Changed(changes)
    }
}

/// Whether anything could fold: an operation preceded (past NOPs) by as
/// many constant loads as it has operands (block boundaries ignored, so
/// this is never stricter than `fold_at`).
fn may_fold(pre: &Precheck<'_>) -> bool {
    let v = pre.ir.version;
    let mut consts_before = 0usize;
    for ins in &pre.ir.instrs {
        if ins.op == Op::NOP {
            continue;
        }
        // Only `BUILD_TUPLE 0` folds without a constant before it.
        let candidate = consts_before > 0 || (ins.op == Op::BUILD_TUPLE && ins.arg == 0);
        if candidate {
            if let Some(fold) = classify(v, ins) {
                if arity(&fold) <= consts_before {
                    return true;
                }
            }
        }
        consts_before = if CodeUnit::is_const_load(v, ins) {
            consts_before + 1
        } else {
            0
        };
    }
    false
}

/// The ops [`classify`] folds with one operand (but `RETURN_VALUE`, which
/// it folds only where `RETURN_CONST` exists).
const ONE_OPERAND: &[Op] = &[
    Op::UNARY_NEGATIVE,
    Op::UNARY_POSITIVE,
    Op::UNARY_INVERT,
    Op::UNARY_NOT,
    Op::TO_BOOL,
    Op::POP_JUMP_IF_FALSE,
    Op::POP_JUMP_FORWARD_IF_FALSE,
    Op::POP_JUMP_BACKWARD_IF_FALSE,
    Op::POP_JUMP_IF_TRUE,
    Op::POP_JUMP_FORWARD_IF_TRUE,
    Op::POP_JUMP_BACKWARD_IF_TRUE,
    Op::JUMP_IF_FALSE_OR_POP,
    Op::JUMP_IF_TRUE_OR_POP,
    Op::POP_JUMP_IF_NONE,
    Op::POP_JUMP_FORWARD_IF_NONE,
    Op::POP_JUMP_BACKWARD_IF_NONE,
    Op::POP_JUMP_IF_NOT_NONE,
    Op::POP_JUMP_FORWARD_IF_NOT_NONE,
    Op::POP_JUMP_BACKWARD_IF_NOT_NONE,
];

/// The ops [`classify`] folds with two operands (`BUILD_TUPLE` takes as
/// many as its argument).
const TWO_OPERANDS: &[Op] = &[
    Op::BINARY_ADD,
    Op::INPLACE_ADD,
    Op::BINARY_SUBTRACT,
    Op::INPLACE_SUBTRACT,
    Op::BINARY_MULTIPLY,
    Op::INPLACE_MULTIPLY,
    Op::BINARY_TRUE_DIVIDE,
    Op::INPLACE_TRUE_DIVIDE,
    Op::BINARY_FLOOR_DIVIDE,
    Op::INPLACE_FLOOR_DIVIDE,
    Op::BINARY_MODULO,
    Op::INPLACE_MODULO,
    Op::BINARY_POWER,
    Op::INPLACE_POWER,
    Op::BINARY_LSHIFT,
    Op::INPLACE_LSHIFT,
    Op::BINARY_RSHIFT,
    Op::INPLACE_RSHIFT,
    Op::BINARY_AND,
    Op::INPLACE_AND,
    Op::BINARY_OR,
    Op::INPLACE_OR,
    Op::BINARY_XOR,
    Op::INPLACE_XOR,
    Op::BINARY_OP,
    Op::COMPARE_OP,
    Op::CONTAINS_OP,
];

/// How many constant operands a fold needs.
fn arity(fold: &Fold) -> usize {
    match fold {
        Fold::Unary(_) | Fold::Branch(_) | Fold::ReturnConst => 1,
        Fold::Binary(_) | Fold::Compare(_) | Fold::Contains { .. } => 2,
        Fold::BuildTuple(n) => *n,
    }
}

/// Indices of the `k` nearest non-NOP instructions before `i`, nearest
/// last, if they are all constant loads (`CodeUnit::is_const_load`).
fn const_operands(v: PyVersion, instrs: &[Instr], i: usize, k: usize) -> Option<Vec<usize>> {
    let mut out = Vec::with_capacity(k);
    let mut j = i;
    while out.len() < k {
        j = j.checked_sub(1)?;
        match instrs[j].op {
            Op::NOP => continue,
            _ if CodeUnit::is_const_load(v, &instrs[j]) => out.push(j),
            _ => return None,
        }
    }
    out.reverse();
    Some(out)
}

/// The operation an instruction performs on constant operands.
enum Fold {
    Unary(fn(&Const) -> Option<Const>),
    Binary(BinOp),
    Compare(CmpOp),
    Contains { negate: bool },
    BuildTuple(usize),
    Branch(Branch),
    ReturnConst,
}

/// A conditional jump: which truth value takes it, and whether the operand
/// stays on the stack when it does (`JUMP_IF_*_OR_POP`).
#[derive(Clone, Copy)]
enum Branch {
    IfTruth { jump_when: bool, keeps: bool },
    IfNone { jump_when: bool },
}

fn classify(v: PyVersion, ins: &Instr) -> Option<Fold> {
    use BinOp::*;
    let binary = |op| Some(Fold::Binary(op));
    match ins.op {
        Op::UNARY_NEGATIVE => Some(Fold::Unary(consts::negative)),
        Op::UNARY_POSITIVE => Some(Fold::Unary(consts::positive)),
        Op::UNARY_INVERT => Some(Fold::Unary(consts::invert)),
        Op::UNARY_NOT => Some(Fold::Unary(|c| Some(Const::Bool(!consts::truth(c)?)))),
        Op::TO_BOOL => Some(Fold::Unary(|c| Some(Const::Bool(consts::truth(c)?)))),
        Op::BINARY_ADD | Op::INPLACE_ADD => binary(Add),
        Op::BINARY_SUBTRACT | Op::INPLACE_SUBTRACT => binary(Sub),
        Op::BINARY_MULTIPLY | Op::INPLACE_MULTIPLY => binary(Mul),
        Op::BINARY_TRUE_DIVIDE | Op::INPLACE_TRUE_DIVIDE => binary(TrueDiv),
        Op::BINARY_FLOOR_DIVIDE | Op::INPLACE_FLOOR_DIVIDE => binary(FloorDiv),
        Op::BINARY_MODULO | Op::INPLACE_MODULO => binary(Mod),
        Op::BINARY_POWER | Op::INPLACE_POWER => binary(Pow),
        Op::BINARY_LSHIFT | Op::INPLACE_LSHIFT => binary(LShift),
        Op::BINARY_RSHIFT | Op::INPLACE_RSHIFT => binary(RShift),
        Op::BINARY_AND | Op::INPLACE_AND => binary(And),
        Op::BINARY_OR | Op::INPLACE_OR => binary(Or),
        Op::BINARY_XOR | Op::INPLACE_XOR => binary(Xor),
        Op::BINARY_OP => BinOp::from_binary_op_arg(ins.arg).map(Fold::Binary),
        Op::COMPARE_OP => {
            let index = ins.arg >> v.facts().compare_op_arg_shift;
            // 3.8's `dis.cmp_op` also holds the membership tests.
            match v.table().cmp_op.get(index as usize) {
                Some(&"in") => Some(Fold::Contains { negate: false }),
                Some(&"not in") => Some(Fold::Contains { negate: true }),
                _ => CmpOp::from_index(index).map(Fold::Compare),
            }
        }
        Op::CONTAINS_OP => Some(Fold::Contains {
            negate: ins.arg == 1,
        }),
        Op::BUILD_TUPLE if ins.arg <= 256 => Some(Fold::BuildTuple(ins.arg as usize)),
        Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_FORWARD_IF_FALSE | Op::POP_JUMP_BACKWARD_IF_FALSE => {
            Some(Fold::Branch(Branch::IfTruth {
                jump_when: false,
                keeps: false,
            }))
        }
        Op::POP_JUMP_IF_TRUE | Op::POP_JUMP_FORWARD_IF_TRUE | Op::POP_JUMP_BACKWARD_IF_TRUE => {
            Some(Fold::Branch(Branch::IfTruth {
                jump_when: true,
                keeps: false,
            }))
        }
        Op::JUMP_IF_FALSE_OR_POP => Some(Fold::Branch(Branch::IfTruth {
            jump_when: false,
            keeps: true,
        })),
        Op::JUMP_IF_TRUE_OR_POP => Some(Fold::Branch(Branch::IfTruth {
            jump_when: true,
            keeps: true,
        })),
        Op::POP_JUMP_IF_NONE | Op::POP_JUMP_FORWARD_IF_NONE | Op::POP_JUMP_BACKWARD_IF_NONE => {
            Some(Fold::Branch(Branch::IfNone { jump_when: true }))
        }
        Op::POP_JUMP_IF_NOT_NONE
        | Op::POP_JUMP_FORWARD_IF_NOT_NONE
        | Op::POP_JUMP_BACKWARD_IF_NOT_NONE => {
            Some(Fold::Branch(Branch::IfNone { jump_when: false }))
        }
        Op::RETURN_VALUE if v.table().info(Op::RETURN_CONST).is_some() => Some(Fold::ReturnConst),
        _ => None,
    }
}

/// Whether the instruction `ins` would fold if the constants `values`
/// (deepest first) were the constant loads right before it, and if so how
/// many of them it takes: what `const-propagation` asks before it splits a
/// fused load, so that a split is made only where this pass then removes
/// at least what the split added.
pub(super) fn folds(v: PyVersion, ins: &Instr, values: &[Const]) -> Option<usize> {
    let fold = classify(v, ins)?;
    let n = arity(&fold);
    if values.len() < n {
        return None;
    }
    let values = &values[values.len() - n..];
    let ok = match fold {
        Fold::BuildTuple(_) | Fold::ReturnConst => true,
        Fold::Branch(Branch::IfTruth { .. }) if v.facts().conditional_jumps_need_exact_bool => {
            matches!(values[0], Const::Bool(_))
        }
        Fold::Branch(Branch::IfTruth { .. }) => consts::truth(&values[0]).is_some(),
        Fold::Branch(Branch::IfNone { .. }) => true,
        Fold::Unary(f) => f(&values[0]).is_some(),
        Fold::Binary(op) => consts::binary(op, &values[0], &values[1]).is_some(),
        Fold::Compare(op) => consts::compare(op, &values[0], &values[1]).is_some(),
        Fold::Contains { .. } => consts::contains(&values[0], &values[1]).is_some(),
    };
    ok.then_some(n)
}

/// Tries to fold the instruction at `i` of block `b`.
fn fold_at(code: &mut CodeUnit<'_, '_>, b: BlockId, i: usize) -> bool {
    let v = code.cfg.version;
    let ins = code.cfg.block(b).instrs()[i];
    let Some(fold) = classify(v, &ins) else {
        return false;
    };
    let Some(ops) = const_operands(v, code.cfg.block(b).instrs(), i, arity(&fold)) else {
        return false;
    };
    let loads: Vec<Instr> = ops.iter().map(|&k| code.cfg.block(b).instrs()[k]).collect();
    let value = |code: &CodeUnit<'_, '_>, k: usize| code.loaded_const(&loads[k]);
    let result: Const = match fold {
        Fold::BuildTuple(_) => {
            let ids: Vec<_> = loads
                .iter()
                .map(|l| code.loaded_node(l))
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default();
            if ids.len() != ops.len() {
                return false;
            }
            let index = tuple_index(code, &ids);
            replace(code, b, &ops, i, |code, ins| {
                code.set_const_load(ins, index)
            });
            return true;
        }
        Fold::ReturnConst => {
            let Some(index) = code.loaded_index(&loads[0]) else {
                return false;
            };
            code.cfg.replace(b, i, Op::RETURN_CONST, index);
            code.cfg.nop_out(b, ops[0]);
            return true;
        }
        Fold::Branch(branch) => {
            let Some(c) = value(code, 0) else {
                return false;
            };
            // 3.13 jumps test identity with True/False: exact bools only.
            if v.facts().conditional_jumps_need_exact_bool
                && matches!(branch, Branch::IfTruth { .. })
                && !matches!(c, Const::Bool(_))
            {
                return false;
            }
            let (taken, keeps) = match branch {
                Branch::IfTruth { jump_when, keeps } => match consts::truth(&c) {
                    Some(t) => (t == jump_when, keeps),
                    None => return false,
                },
                Branch::IfNone { jump_when } => ((c == Const::None) == jump_when, false),
            };
            let load = ops[0];
            if taken {
                if !keeps {
                    code.cfg.nop_out(b, load);
                }
                // The same target, now always taken.
                code.cfg.set_op(b, i, crate::cfg::unconditional_jump(v));
                code.cfg.set_fallthrough(b, None);
            } else {
                // 3.12: the target must stay a jump target (`Cfg::jumpers`).
                let target = code.cfg.block(b).target();
                if code.cfg.marks_jump_targets()
                    && code.level < Level::Aggressive
                    && target.is_some_and(|t| code.cfg.jumpers()[t.index()] < 2)
                {
                    return false;
                }
                code.cfg.nop_out(b, load);
                code.cfg.nop_out(b, i);
            }
            return true;
        }
        Fold::Unary(f) => match value(code, 0).and_then(|c| f(&c)) {
            Some(r) => r,
            None => return false,
        },
        Fold::Binary(op) => match (value(code, 0), value(code, 1)) {
            (Some(a), Some(c)) => match consts::binary(op, &a, &c) {
                Some(r) => r,
                None => return false,
            },
            _ => return false,
        },
        Fold::Compare(op) => match (value(code, 0), value(code, 1)) {
            (Some(a), Some(c)) => match consts::compare(op, &a, &c) {
                Some(r) => r,
                None => return false,
            },
            _ => return false,
        },
        Fold::Contains { negate } => match (value(code, 0), value(code, 1)) {
            (Some(x), Some(container)) => match consts::contains(&x, &container) {
                Some(found) => Const::Bool(found != negate),
                None => return false,
            },
            _ => return false,
        },
    };
    replace(code, b, &ops, i, |code, ins| {
        code.set_const_load_value(ins, &result)
    });
    true
}

/// The operands become NOPs and the operation a load of the result, which
/// `load` spells (`CodeUnit::set_const_load`: `LOAD_CONST`, or as CPython
/// spells it on 3.14+, `LOAD_SMALL_INT`, and on 3.15 `LOAD_COMMON_CONSTANT`),
/// keeping the operation's location.
fn replace(
    code: &mut CodeUnit<'_, '_>,
    b: BlockId,
    ops: &[usize],
    i: usize,
    load: impl FnOnce(&mut CodeUnit<'_, '_>, &mut Instr),
) {
    for &k in ops {
        code.cfg.nop_out(b, k);
    }
    let mut ins = code.cfg.block(b).instrs()[i];
    load(code, &mut ins);
    code.cfg.replace(b, i, ins.op, ins.arg);
}

/// The `co_consts` index of a tuple of the given constant nodes. The tuple
/// holds the very same nodes (flagged so that marshal writes them once and
/// refers back), so after loading, its items are the same objects the
/// separate `LOAD_CONST`s pushed: `x in (x,)` and `t[0] is x` keep their
/// answers even for NaN.
fn tuple_index(code: &mut CodeUnit<'_, '_>, ids: &[crate::marshal::NodeId]) -> u32 {
    for &id in ids {
        let node = code.arena.node_mut(id);
        // Singletons (None, True, ...) are the same object anyway and are
        // never given a reference slot.
        if node.value.takes_slot() {
            node.flag = true;
        }
    }
    let items = code.arena.push_items(ids);
    let node = code.arena.push(
        crate::marshal::Value::Tuple {
            small: ids.len() < 256,
            items,
        },
        false,
    );
    code.const_node_index(node)
}
