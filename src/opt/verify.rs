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
use crate::version::{ArgKind, CodeLayout, Op};

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

/// The sizes of the tables instruction arguments index into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableSizes {
    pub consts: usize,
    pub names: usize,
    pub locals: usize,
    /// ≤3.10: cellvars + freevars; 3.11+: localsplus.
    pub free: usize,
}

impl TableSizes {
    /// The sizes of a code object's tables in a parsed file.
    pub fn of(file: &PycFile<'_>, id: CodeId) -> TableSizes {
        let arena = &file.module.arena;
        let c = arena.code(id);
        let len = |n: Option<NodeId>| n.and_then(|n| arena.as_tuple(n)).map_or(0, |t| t.len());
        let locals = len(Some(c.varnames));
        TableSizes {
            consts: len(Some(c.consts)),
            names: len(Some(c.names)),
            locals,
            free: if file.version().facts().code_layout == CodeLayout::SeparateNames {
                len(c.cellvars) + len(c.freevars)
            } else {
                locals
            },
        }
    }
}

/// The checks on one decoded code object.
pub fn check_code(file: &PycFile<'_>, id: CodeId, ir: &CodeIr) -> Vec<String> {
    let c = file.module.arena.code(id);
    check_ir(ir, c.flags, Some(c.stacksize), TableSizes::of(file, id))
}

/// The checks on an instruction IR: stack walk (underflow, consistent depth
/// at merges and handlers), `stacksize` (when given) not below the walk's
/// maximum, argument indexes in range, exception entries sorted and
/// non-overlapping, and an encoding that decodes back to the same IR.
pub fn check_ir(ir: &CodeIr, flags: i32, stacksize: Option<i32>, sizes: TableSizes) -> Vec<String> {
    check_ir_encoded(ir, flags, stacksize, sizes).0
}

/// [`check_ir`], also returning the encoding it checked (when it encoded)
/// and the stack walk's maximum depth (what `co_stacksize` must be).
pub fn check_ir_encoded(
    ir: &CodeIr,
    flags: i32,
    stacksize: Option<i32>,
    sizes: TableSizes,
) -> (Vec<String>, Option<bytecode::Encoded>, u32) {
    check_ir_encoded_with(ir, flags, stacksize, sizes, &mut Buffers::default())
}

/// What the checks reuse from one code object to the next (a driver keeps
/// one per thread): the walk's and codec's scratch, the stack report and
/// the IR the encoding is decoded back into.
#[derive(Debug, Default)]
pub struct Buffers {
    scratch: bytecode::Scratch,
    stack: bytecode::StackReport,
    back: Option<CodeIr>,
}

/// [`check_ir_encoded`] with reused buffers.
pub fn check_ir_encoded_with(
    ir: &CodeIr,
    flags: i32,
    stacksize: Option<i32>,
    sizes: TableSizes,
    buf: &mut Buffers,
) -> (Vec<String>, Option<bytecode::Encoded>, u32) {
    let mut problems = Vec::new();
    bytecode::stack_depth_into(ir, flags, &mut buf.scratch, &mut buf.stack);
    let report = &buf.stack;
    for (i, msg) in &report.problems {
        problems.push(format!("instruction {i}: {msg}"));
    }
    if let Some(stacksize) = stacksize {
        if report.max_depth as i64 > stacksize as i64 {
            problems.push(format!(
                "co_stacksize {stacksize} is below the recomputed stack depth {}",
                report.max_depth
            ));
        }
    }
    let TableSizes {
        consts,
        names,
        locals,
        free,
    } = sizes;
    let table = ir.version.table();
    for (i, ins) in ir.instrs.iter().enumerate() {
        let Some(info) = table.info(ins.op) else {
            problems.push(format!(
                "instruction {i}: {} is not an op of {}",
                ins.op.name(),
                ir.version
            ));
            continue;
        };
        // A prefix on an op without argument: 3.8–3.10 leave f_lasti on the
        // prefix, so a prefixed YIELD_VALUE/YIELD_FROM runs again when the
        // generator resumes; 3.11+ skip fixed distances over some such ops
        // (END_FOR after FOR_ITER, the POP_TOP after a list.append CALL).
        // CPython 3.10 itself writes `EXTENDED_ARG; NOP` (a NOP that kept a
        // large argument), which is harmless.
        let suspends = matches!(ins.op, Op::YIELD_VALUE | Op::YIELD_FROM);
        let skips = ir.version.facts().skips_over_argless_ops;
        if !info.has_arg && ins.ext > 0 && (skips || suspends) {
            problems.push(format!(
                "instruction {i}: EXTENDED_ARG prefix on {}, which takes no argument",
                ins.op.name()
            ));
        }
        let (limit, index, what) = match info.arg_kind {
            ArgKind::Const => (consts, ins.arg as usize, "constant"),
            ArgKind::Name => (names, (ins.arg >> info.name_shift) as usize, "name"),
            ArgKind::Local if ins.op.packs_two_locals() => {
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
    let max_depth = report.max_depth;
    let mut enc = bytecode::Encoded::default();
    let encoded = match bytecode::encode_into(ir, &mut buf.scratch, &mut enc) {
        Err(e) => {
            problems.push(format!("cannot encode: {e}"));
            None
        }
        Ok(()) => {
            let et = ir
                .version
                .facts()
                .exception_table
                .then_some(&enc.exceptiontable[..]);
            let back = buf.back.get_or_insert_with(|| CodeIr::new(ir.version));
            back.version = ir.version;
            let decoded = bytecode::decode_into(
                back,
                &mut buf.scratch,
                &enc.code,
                &enc.linetable,
                et,
                ir.firstlineno,
            );
            match decoded.map(|()| &*back) {
                Ok(back) if same_code(back, ir) => {}
                Ok(_) => {
                    problems.push("encoding does not decode back to the same instructions".into())
                }
                Err(e) => problems.push(format!("encoding does not decode: {e}")),
            }
            Some(enc)
        }
    };
    (problems, encoded, max_depth)
}

/// Instructions (op, argument, location) and exception entries equal; the
/// EXTENDED_ARG widths and line-table hints may differ.
fn same_code(a: &CodeIr, b: &CodeIr) -> bool {
    a.exceptions == b.exceptions
        && a.instrs.len() == b.instrs.len()
        && a.instrs
            .iter()
            .zip(&b.instrs)
            .all(|(x, y)| (x.op, x.arg, x.loc) == (y.op, y.arg, y.loc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::{Instr, Loc};
    use crate::version::PyVersion;

    fn ir(v: PyVersion, ops: &[(Op, u32, u8)]) -> CodeIr {
        let mut ir = CodeIr::new(v);
        ir.firstlineno = 1;
        ir.instrs = ops
            .iter()
            .map(|&(op, arg, ext)| Instr {
                op,
                ext,
                arg,
                loc: Loc::line(1),
                line_start: false,
            })
            .collect();
        ir
    }

    fn sizes() -> TableSizes {
        TableSizes {
            consts: 2,
            names: 1,
            locals: 2,
            free: 0,
        }
    }

    // Regression: prefixes on these ops changed behaviour (found by running
    // CPython's own tests and small programs on rewritten pycs).
    #[test]
    fn extended_arg_on_a_no_argument_op_is_rejected_where_it_matters() {
        // 3.8: a prefixed YIELD_VALUE runs again when the generator resumes.
        let gen = ir(
            PyVersion::V3_8,
            &[
                (Op::LOAD_CONST, 0, 0),
                (Op::YIELD_VALUE, 0, 1),
                (Op::RETURN_VALUE, 0, 0),
            ],
        );
        assert!(check_ir(&gen, 0x20, None, sizes())
            .iter()
            .any(|p| p.contains("EXTENDED_ARG prefix on YIELD_VALUE")));
        // 3.12: the list.append CALL skips the following POP_TOP by a fixed distance.
        let pop = ir(
            PyVersion::V3_12,
            &[
                (Op::RESUME, 0, 0),
                (Op::LOAD_CONST, 0, 0),
                (Op::POP_TOP, 0, 1),
                (Op::RETURN_CONST, 0, 0),
            ],
        );
        assert!(check_ir(&pop, 0, None, sizes())
            .iter()
            .any(|p| p.contains("EXTENDED_ARG prefix on POP_TOP")));
        // 3.10: CPython itself writes `EXTENDED_ARG; NOP`; harmless, accepted.
        let nop = ir(
            PyVersion::V3_10,
            &[
                (Op::NOP, 300, 1),
                (Op::LOAD_CONST, 0, 0),
                (Op::RETURN_VALUE, 0, 0),
            ],
        );
        assert_eq!(check_ir(&nop, 0, None, sizes()), Vec::<String>::new());
    }

    #[test]
    fn argument_ranges_and_stack_problems_are_reported() {
        let bad = ir(
            PyVersion::V3_12,
            &[
                (Op::RESUME, 0, 0),
                (Op::LOAD_CONST, 5, 0),
                (Op::LOAD_FAST, 9, 0),
                (Op::POP_TOP, 0, 0),
                (Op::POP_TOP, 0, 0),
                (Op::POP_TOP, 0, 0),
                (Op::RETURN_CONST, 0, 0),
            ],
        );
        let problems = check_ir(&bad, 0, Some(1), sizes());
        assert!(
            problems
                .iter()
                .any(|p| p.contains("constant index 5 out of range")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("local index 9 out of range")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("underflows")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("co_stacksize 1 is below")),
            "{problems:?}"
        );
    }
}
