//! `pyopt verify`: structural checks of every code object in a `.pyc`.
//!
//! Per code object: the bytecode decodes; the stack walk finds no underflow
//! and the same depth at every merge point and handler; the recomputed stack
//! size is not above the stored `co_stacksize` (a too-small value is memory
//! corruption in CPython); constant, name, local and free-variable arguments
//! are in range; exception entries are sorted, non-overlapping and their
//! depth is reachable; and the IR encodes and decodes back to itself.

use crate::bytecode::{self, CodeIr};
use crate::error::Error;
use crate::marshal::{CodeId, NodeId};
use crate::roundtrip::PycFile;
use crate::version::{ArgKind, PyVersion};

/// Findings for one file.
#[derive(Clone, Debug, Default)]
pub struct FileVerdict {
    pub code_objects: u64,
    /// One line per problem: `code object: message`.
    pub problems: Vec<String>,
}

/// Verifies every code object of a `.pyc`. Header and marshal errors are `Err`;
/// problems inside code objects are collected in the verdict.
pub fn verify_bytes(data: &[u8]) -> Result<FileVerdict, Error> {
    let file = PycFile::parse(data)?;
    let mut v = FileVerdict::default();
    for id in file.code_ids() {
        v.code_objects += 1;
        let name = file.qualname(id);
        match file.decode_code(id) {
            Err(e) => v.problems.push(format!("{name}: {e}")),
            Ok(ir) => {
                for p in check_code(&file, id, &ir) {
                    v.problems.push(format!("{name}: {p}"));
                }
            }
        }
    }
    Ok(v)
}

/// The checks on one decoded code object.
pub fn check_code(file: &PycFile<'_>, id: CodeId, ir: &CodeIr) -> Vec<String> {
    let mut problems = Vec::new();
    let arena = &file.module.arena;
    let c = arena.code(id);
    let report = bytecode::stack_depth(ir, c.flags);
    for (i, msg) in &report.problems {
        problems.push(format!("instruction {i}: {msg}"));
    }
    if report.max_depth as i64 > c.stacksize as i64 {
        problems.push(format!(
            "co_stacksize {} is below the recomputed stack depth {}",
            c.stacksize, report.max_depth
        ));
    }
    let len = |n: Option<NodeId>| n.and_then(|n| arena.as_tuple(n)).map_or(0, |t| t.len());
    let consts = len(Some(c.consts));
    let names = len(Some(c.names));
    let locals = len(Some(c.varnames));
    let free = if ir.version <= PyVersion::V3_10 {
        len(c.cellvars) + len(c.freevars)
    } else {
        locals
    };
    let table = ir.version.table();
    for (i, ins) in ir.instrs.iter().enumerate() {
        let Some(info) = table.info(ins.op) else {
            continue;
        };
        let (limit, index, what) = match info.arg_kind {
            ArgKind::Const => (consts, ins.arg as usize, "constant"),
            ArgKind::Name => (names, (ins.arg >> info.name_shift) as usize, "name"),
            ArgKind::Local
                if ins.op.name().contains("_FAST_")
                    && ins.op.name().matches("FAST").count() == 2 =>
            {
                let hi = (ins.arg >> 4) as usize;
                let lo = (ins.arg & 15) as usize;
                (locals, hi.max(lo), "local")
            }
            ArgKind::Local => (locals, ins.arg as usize, "local"),
            ArgKind::Free => (free, ins.arg as usize, "cell/free variable"),
            _ => continue,
        };
        if index >= limit {
            problems.push(format!(
                "instruction {i} ({}): {what} index {index} out of range ({limit} defined)",
                ins.op.name()
            ));
        }
    }
    let n = ir.instrs.len() as u32;
    let mut prev_end = 0u32;
    for (k, e) in ir.exceptions.iter().enumerate() {
        if e.start >= e.end || e.end > n || e.target >= n {
            problems.push(format!("exception entry {k}: invalid range or target"));
        }
        if e.start < prev_end {
            problems.push(format!("exception entry {k}: overlaps or is out of order"));
        }
        prev_end = e.end;
    }
    match bytecode::encode(ir) {
        Err(e) => problems.push(format!("cannot encode: {e}")),
        Ok(enc) => {
            let et = ir
                .version
                .has_exception_table()
                .then_some(&enc.exceptiontable[..]);
            match bytecode::decode(ir.version, &enc.code, &enc.linetable, et, ir.firstlineno) {
                Ok(back) if back == *ir => {}
                Ok(_) => {
                    problems.push("encoding does not decode back to the same instructions".into())
                }
                Err(e) => problems.push(format!("encoding does not decode: {e}")),
            }
        }
    }
    problems
}
