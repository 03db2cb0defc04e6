//! Test-only, deliberately wrong: injects one miscompile per application.
//!
//! What it does: picks, from a hash of the code object's name and
//! instructions, one of seven kinds of miscompile and applies it at the
//! first place it fits (trying the next kind where none fits): swapped
//! operands of a binary operator or comparison; a dropped effect (a store
//! to a name, global or cell becomes `POP_TOP`); a duplicated effect (the
//! same store done twice); a conditional jump retargeted to where it falls
//! through; a wrong folded constant (an int constant loaded as that int
//! plus one); a load of a different local; a line event moved (a `NOP` with
//! the next line's location inserted before the last instruction of a
//! line). [`MUTATIONS`] records each application's kind and code object, so
//! a harness can tell which kinds the translation validator catches.
//!
//! What it assumes: nothing; it is wrong on purpose.
//!
//! What it guarantees: nothing but structural validity of most mutations
//! (the verifier may still reject some, e.g. a swapped pair that changes
//! stack depth never occurs, but a retargeted jump can).
//!
//! What it must never do: run outside the test suite (feature
//! `test-passes`, opt-in level).
//!
//! Versions: 3.8–3.15.

use std::sync::Mutex;

use crate::bytecode::Instr;
use crate::consts::Const;
use crate::opt::{Changed, CodeUnit, Level, Pass};
use crate::version::Op;

/// The kinds of miscompile, in the order [`Mutate`] tries them.
pub const KINDS: [&str; 7] = [
    "swapped-operands",
    "dropped-effect",
    "duplicated-effect",
    "retargeted-jump",
    "wrong-constant",
    "other-local",
    "moved-line-event",
];

/// Every application so far: (code object, kind index).
pub static MUTATIONS: Mutex<Vec<(String, usize)>> = Mutex::new(Vec::new());

pub struct Mutate;

impl Pass for Mutate {
    fn name(&self) -> &'static str {
        "test-mutate"
    }
    fn level(&self) -> Level {
        Level::OptIn
    }
    fn doc(&self) -> &'static str {
        include_str!("test_mutate.rs")
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in code.qualname.bytes() {
            h = (h ^ byte as u64).wrapping_mul(0x100_0000_01b3);
        }
        h = h.wrapping_add(code.cfg.instr_count() as u64);
        let first = (h % KINDS.len() as u64) as usize;
        for k in 0..KINDS.len() {
            let kind = (first + k) % KINDS.len();
            if apply(code, kind) {
                if let Ok(mut m) = MUTATIONS.lock() {
                    m.push((code.qualname.clone(), kind));
                }
                return Changed(1);
            }
        }
        Changed::NONE
    }
}

fn is_simple_load(op: Op) -> bool {
    matches!(
        op,
        Op::LOAD_FAST | Op::LOAD_CONST | Op::LOAD_GLOBAL | Op::LOAD_NAME | Op::LOAD_SMALL_INT
    )
}

fn is_binary(op: Op) -> bool {
    matches!(
        op,
        Op::BINARY_OP
            | Op::COMPARE_OP
            | Op::BINARY_SUBTRACT
            | Op::BINARY_ADD
            | Op::BINARY_MULTIPLY
            | Op::BINARY_SUBSCR
            | Op::BINARY_MODULO
    )
}

/// Applies miscompile `kind` at its first fitting place; false if none fits.
fn apply(code: &mut CodeUnit<'_, '_>, kind: usize) -> bool {
    let v = code.cfg.version;
    let blocks: Vec<_> = code.cfg.order().to_vec();
    for b in blocks {
        let instrs: Vec<Instr> = code.cfg.block(b).instrs().to_vec();
        let n = instrs.len();
        for i in 0..n {
            let ins = instrs[i];
            match kind {
                0 if i >= 2 && is_binary(ins.op) => {
                    let (x, y) = (instrs[i - 2], instrs[i - 1]);
                    // 3.11+'s LOAD_GLOBAL may push a NULL (low bit).
                    let plain = |p: &Instr| {
                        is_simple_load(p.op) && !(p.op == Op::LOAD_GLOBAL && p.arg & 1 == 1)
                    };
                    if plain(&x) && plain(&y) && (x.op, x.arg) != (y.op, y.arg) {
                        code.cfg.replace(b, i - 2, y.op, y.arg);
                        code.cfg.replace(b, i - 1, x.op, x.arg);
                        return true;
                    }
                }
                1 if matches!(ins.op, Op::STORE_NAME | Op::STORE_GLOBAL | Op::STORE_DEREF) => {
                    code.cfg.replace(b, i, Op::POP_TOP, 0);
                    return true;
                }
                2 if matches!(ins.op, Op::STORE_NAME | Op::STORE_GLOBAL | Op::STORE_DEREF) => {
                    let dup = if v.table().info(Op::COPY).is_some() {
                        (Op::COPY, 1)
                    } else {
                        (Op::DUP_TOP, 0)
                    };
                    let copy = Instr {
                        op: dup.0,
                        arg: dup.1,
                        ext: 0,
                        ..ins
                    };
                    code.cfg.insert(b, i, ins);
                    code.cfg.insert(b, i, copy);
                    return true;
                }
                3 if i + 1 == n
                    && matches!(
                        ins.op,
                        Op::POP_JUMP_IF_FALSE
                            | Op::POP_JUMP_IF_TRUE
                            | Op::POP_JUMP_FORWARD_IF_FALSE
                            | Op::POP_JUMP_FORWARD_IF_TRUE
                    ) =>
                {
                    let (t, f) = (code.cfg.block(b).target(), code.cfg.block(b).fallthrough());
                    if let (Some(t), Some(f)) = (t, f) {
                        if t != f {
                            code.cfg.retarget(b, f);
                            return true;
                        }
                    }
                }
                4 if ins.op == Op::LOAD_CONST => {
                    if let Some(Const::Int(x)) = code.const_value(ins.arg) {
                        let c = Const::Int(x + 1);
                        let k = code.const_index(&c);
                        code.cfg.replace(b, i, Op::LOAD_CONST, k);
                        return true;
                    }
                }
                5 if ins.op == Op::LOAD_FAST && code.nargs >= 2 => {
                    let other = (ins.arg + 1) % code.nargs as u32;
                    if other != ins.arg && (ins.arg as usize) < code.nargs {
                        code.cfg.replace(b, i, Op::LOAD_FAST, other);
                        return true;
                    }
                }
                6 if i + 1 < n => {
                    let next = instrs[i + 1];
                    let (l, m) = (ins.loc.lineno(), next.loc.lineno());
                    if l.is_some() && m.is_some() && l != m && ins.op != Op::NOP {
                        let nop = Instr {
                            op: Op::NOP,
                            arg: 0,
                            ext: 0,
                            ..next
                        };
                        code.cfg.insert(b, i, nop);
                        return true;
                    }
                }
                _ => {}
            }
        }
    }
    false
}
