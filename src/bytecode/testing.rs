//! Small hand-made code objects for the unit tests of the layers above
//! (`cfg`, its edit API and verifier, the test passes).

use super::{CodeIr, Instr, Loc};
use crate::version::{Op, PyVersion};

/// An instruction at `line` (no columns, no line-start mark).
pub(crate) fn ins(op: Op, arg: u32, line: i32) -> Instr {
    Instr {
        op,
        ext: 0,
        arg,
        loc: Loc::line(line),
        line_start: false,
    }
}

/// `def f(x): if x: y = <value>; return y` in CPython 3.12's shape (for
/// `version`: the shape is valid 3.12 bytecode; callers pass 3.12), built
/// with `make` (so a test chooses its locations): B0 = `RESUME; LOAD_FAST x;
/// POP_JUMP_IF_FALSE` to the `return`, B1 = `value; STORE_FAST y` falling
/// through to B2 = `LOAD_FAST_CHECK y; RETURN_VALUE`; with `dead_tail`, a
/// block `LOAD_CONST 0; RETURN_VALUE` on line 5 that nothing reaches.
pub(crate) fn if_then_return(
    version: PyVersion,
    make: impl Fn(Op, u32, i32) -> Instr,
    value: (Op, u32),
    dead_tail: bool,
) -> CodeIr {
    let mut ir = CodeIr::new(version);
    ir.firstlineno = 1;
    ir.instrs = vec![
        make(Op::RESUME, 0, 1),
        make(Op::LOAD_FAST, 0, 2),
        make(Op::POP_JUMP_IF_FALSE, 5, 2),
        make(value.0, value.1, 3),
        make(Op::STORE_FAST, 1, 3),
        make(Op::LOAD_FAST_CHECK, 1, 4),
        make(Op::RETURN_VALUE, 0, 4),
    ];
    if dead_tail {
        ir.instrs.push(make(Op::LOAD_CONST, 0, 5));
        ir.instrs.push(make(Op::RETURN_VALUE, 0, 5));
    }
    ir
}
