//! Strip docstrings: what `python -OO` does, per file, without recompiling.
//!
//! What it does:
//! * a function's docstring — `co_consts[0]` when it is a str (CPython 3.8–3.13
//!   keep index 0 as the docstring slot of every function) — becomes `None`;
//!   on 3.14, where `co_consts[0]` is the docstring only when the code has
//!   `CO_HAS_DOCSTRING`, that flag is cleared (as `-OO` compiles it);
//! * a module's or class's docstring store at the start of its body
//!   (`LOAD_CONST <str>; STORE_NAME __doc__` in the entry block; on 3.15 an
//!   empty one is `LOAD_COMMON_CONSTANT 8`) is removed, so `__doc__` is
//!   `None` as under `-OO`.
//!
//! What it assumes: functions are the code objects with `CO_NEWLOCALS`; their
//! `co_consts[0]` is the docstring slot (3.14: when `CO_HAS_DOCSTRING` says so). Module and class bodies lack that flag.
//!
//! What it guarantees: nothing but `__doc__` changes. When the code also
//! loads the docstring's str as a value (`def g(): "x"; return "x"`), those
//! loads are moved to a copy of the constant appended to `co_consts`.
//!
//! What it must never do: it is opt-in (it changes what `__doc__`, `help()`
//! and the docstring line's trace event show); it never runs by default. One
//! case differs from `-OO`: an explicit `__doc__ = "..."` as the very first
//! statement of a module or class compiles exactly like a docstring and is
//! removed too.
//!
//! Versions: 3.8–3.15 (3.14+: through `CO_HAS_DOCSTRING`; 3.15: an empty
//! module or class docstring is loaded by `LOAD_COMMON_CONSTANT`).

use crate::cfg::BlockId;
use crate::consts::Const;
use crate::marshal::Value;
use crate::opt::{Changed, CodeUnit, Level, Pass};
use crate::version::{ArgKind, Op};

/// `CO_NEWLOCALS`: set on function code objects only.
const CO_NEWLOCALS: i32 = 0x2;

pub struct StripDocstrings;

impl Pass for StripDocstrings {
    fn name(&self) -> &'static str {
        "strip-docstrings"
    }
    fn level(&self) -> Level {
        Level::OptIn
    }
    fn doc(&self) -> &'static str {
        include_str!("strip_docstrings.rs")
    }
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
        if code.flags & CO_NEWLOCALS != 0 {
            strip_function_docstring(code)
        } else {
            strip_doc_store(code)
        }
    }
}

fn is_str(code: &CodeUnit<'_, '_>, index: usize) -> bool {
    code.consts
        .get(index)
        .is_some_and(|&id| matches!(code.arena.value(id), Value::Str(..)))
}

fn strip_function_docstring(code: &mut CodeUnit<'_, '_>) -> Changed {
    if let Some(has_docstring) = code.cfg.version.table().co_has_docstring {
        // The constant stays (the code may load it as a value too).
        if code.flags & has_docstring == 0 {
            return Changed::NONE;
        }
        code.flags &= !has_docstring;
        return Changed(1);
    }
    if !is_str(code, 0) {
        return Changed::NONE;
    }
    let table = code.cfg.version.table();
    let loads_slot =
        |op: Op, arg: u32| arg == 0 && table.info(op).is_some_and(|i| i.arg_kind == ArgKind::Const);
    // The same str may also be a value the code loads (`def g(): "x"; return "x"`):
    // those loads move to a copy at the end of `co_consts`.
    let blocks: Vec<_> = code.cfg.block_ids().collect();
    let loads: Vec<(BlockId, usize, Op)> = blocks
        .iter()
        .flat_map(|&b| {
            let instrs = code.cfg.block(b).instrs().iter().enumerate();
            instrs
                .filter(|(_, i)| loads_slot(i.op, i.arg))
                .map(move |(k, i)| (b, k, i.op))
        })
        .collect();
    if !loads.is_empty() {
        let copy = code.consts.len() as u32;
        code.consts.push(code.consts[0]);
        for (b, k, op) in loads {
            code.cfg.replace(b, k, op, copy);
        }
    }
    let none = code.arena.push(Value::None, false);
    code.consts[0] = none;
    Changed(1)
}

fn strip_doc_store(code: &mut CodeUnit<'_, '_>) -> Changed {
    let Some(entry) = code.cfg.entry() else {
        return Changed::NONE;
    };
    let is_doc_name = |code: &CodeUnit<'_, '_>, index: u32| {
        code.names
            .get(index as usize)
            .and_then(|&id| code.arena.as_str_bytes(id))
            == Some(b"__doc__".as_slice())
    };
    let instrs = code.cfg.block(entry).instrs();
    // The str is `LOAD_CONST`'s; on 3.15 an empty docstring is loaded by
    // `LOAD_COMMON_CONSTANT`.
    let loads_str = |code: &CodeUnit<'_, '_>, ins: &crate::bytecode::Instr| match ins.op {
        Op::LOAD_CONST => is_str(code, ins.arg as usize),
        _ => matches!(code.loaded_const(ins), Some(Const::Str(_))),
    };
    let found = instrs.windows(2).position(|w| {
        loads_str(code, &w[0]) && w[1].op == Op::STORE_NAME && is_doc_name(code, w[1].arg)
    });
    match found {
        Some(i) => {
            // Blanked like any removed code, then dropped with its line, as
            // `-OO` compiles it (the one pass besides `nop-removal` that
            // removes NOPs: see `Cfg::remove_nops`).
            code.cfg.nop_out(entry, i);
            code.cfg.nop_out(entry, i + 1);
            code.cfg.remove_nops(entry, |k, _| k == i || k == i + 1);
            Changed(1)
        }
        None => Changed::NONE,
    }
}
