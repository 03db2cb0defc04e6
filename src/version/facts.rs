//! What differs between CPython versions beyond the opcode tables: one
//! hand-written row of [`Facts`] per version, asked as `v.facts()`.
//!
//! * `generated.rs` holds what `tools/gen_opcode_tables.py` reads off an
//!   interpreter: opcode numbers, argument kinds, caches, jump directions,
//!   stack effects, `dis.cmp_op`, magic and marshal versions.
//! * This file holds what the generator cannot read: how CPython's compiler,
//!   interpreter, tracer and tools *behave* (line-table formats, line events,
//!   stack-depth rules, how jump arguments count, code-object field order,
//!   command-line flags). Each field says what it means and which CPython
//!   source or measured behaviour it reflects.
//!
//! Code outside `src/version/` asks a fact by its behaviour
//! (`v.facts().exception_table`), never compares versions: a pass that
//! exists only from some version states that in its `supports()`.
//!
//! Adding a version: add its `PyVersion` variant (the `match` in [`of`]
//! then fails to compile until a row exists), copy the newest row below,
//! check every field against the new CPython (its `Python/compile.c`,
//! `flowgraph.c`, `assemble.c`, `ceval.c`/`bytecodes.c`,
//! `Objects/codeobject.c`, `Python/marshal.c`, `Lib/dis.py`,
//! `Lib/compileall.py` and `sys.monitoring`'s `instrumentation.c`), and add
//! the version's column to the `facts_per_version` test, written from that
//! reading, not from the row.

use super::{Op, PyVersion};

/// The line-number table a code object carries, and how CPython writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineTable {
    /// `co_lnotab`: `(byte delta u8, line delta i8)` pairs
    /// (`compile.c: assemble_lnotab`), 3.8/3.9.
    Lnotab,
    /// 3.10's `co_linetable`: `(byte range u8 ≤ 254, line delta i8, −128 =
    /// no line)` (`compile.c: assemble_line_range`).
    Linetable310,
    /// The 3.11+ location table (`Objects/locations.md`; `assemble.c:
    /// write_location_info_entry`). `merge_runs`: consecutive instructions
    /// with the same location share one entry (3.12+); 3.11 writes at least
    /// one entry per instruction.
    Locations { merge_runs: bool },
}

/// The fields of a marshalled code object (`marshal.c: w_object` /
/// `r_object`, `TYPE_CODE`) and the index space of cell/free variables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeLayout {
    /// ≤3.10: `nlocals`, `co_varnames`, `co_freevars`, `co_cellvars` and
    /// `co_lnotab`/`co_linetable` are separate fields; a cell/free oparg
    /// indexes `co_cellvars + co_freevars`.
    SeparateNames,
    /// 3.11+: `co_localsplusnames` with `co_localspluskinds`, plus
    /// `co_qualname`, `co_linetable` and `co_exceptiontable`; a cell/free
    /// oparg indexes localsplus, the same space as `LOAD_FAST`'s.
    LocalsPlus,
}

/// A constant value that `LOAD_COMMON_CONSTANT n` pushes (see
/// [`Facts::common_constants`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommonConst {
    None,
    /// `""`.
    EmptyStr,
    True,
    False,
    /// The int `-1`.
    MinusOne,
}

/// The hand-written behaviour of one CPython version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    /// The version this row describes (a test checks each row's place).
    pub version: PyVersion,
    /// What one code unit (2 bytes of `co_code`) counts for in a forward or
    /// absolute jump argument: 2 on 3.8/3.9, whose jumps count bytes; 1 from
    /// 3.10, whose jumps count code units (bpo-27129).
    pub jump_arg_per_code_unit: u8,
    /// The line-number table format (see [`LineTable`]).
    pub line_table: LineTable,
    /// The code-object field layout era (see [`CodeLayout`]).
    pub code_layout: CodeLayout,
    /// Exception handlers come from `co_exceptiontable`, a static range per
    /// instruction (3.11+, "zero-cost" exceptions), rather than from the
    /// runtime block stack that `SETUP_*`/`POP_BLOCK` push and pop
    /// (3.8–3.10). Then a handler belongs to a place in the code (the CFG
    /// keeps it per block), and moving a jump across handlers changes which
    /// handler sees its `KeyboardInterrupt`.
    pub exception_table: bool,
    /// How far `COMPARE_OP`'s argument is shifted right to give the
    /// `dis.cmp_op` index: 0 through 3.11, 4 on 3.12 (low bits: specialization
    /// mask), 5 from 3.13 (bit 4: result converted to an exact bool). As
    /// `Lib/dis.py` decodes it (`arg >> 4` in 3.12, `arg >> 5` in 3.13+).
    pub compare_op_arg_shift: u8,
    /// The stack depth at the entry of generator-like code (generator,
    /// coroutine, async generator) in CPython's `stackdepth()`: 1 on
    /// 3.10–3.12 (the value sent in; 3.10 `GEN_START` pops it, 3.11/3.12 the
    /// `POP_TOP` after `RETURN_GENERATOR`), 0 otherwise (3.13's
    /// `RETURN_GENERATOR` pushes it itself).
    pub generator_entry_depth: u8,
    /// CPython's `stackdepth()` accepts a block reached with different stack
    /// depths and keeps the largest (3.8/3.9: `stackdepth_push` only asserts
    /// equality, in debug builds). From 3.10 the compiler rejects different
    /// depths as an invalid CFG, and the stack walk reports them.
    pub stackdepth_keeps_max_at_joins: bool,
    /// The smallest `co_stacksize` the compiler writes: 1 from 3.13 (even for
    /// code that pushes nothing, `def f(): raise`; measured on every code
    /// object of the 3.13 standard library), 0 before.
    pub min_stacksize: u8,
    /// The unconditional jump used where a jump may go either way before
    /// directions are fixed: `JUMP_ABSOLUTE` (3.8–3.10, reaches any
    /// target), `JUMP_FORWARD` from 3.11 (which has no absolute jumps).
    pub unconditional_jump: Op,
    /// The unconditional jump that reaches a target at or before it:
    /// `JUMP_ABSOLUTE` (3.8–3.10), `JUMP_BACKWARD` (3.11+).
    pub backward_jump: Op,
    /// `POP_JUMP_IF_*` can jump backward: absolute on 3.8–3.10,
    /// `POP_JUMP_BACKWARD_IF_*` on 3.11; 3.12+ conditional jumps are
    /// forward only.
    pub pop_jump_backward: bool,
    /// `JUMP_IF_TRUE_OR_POP`/`JUMP_IF_FALSE_OR_POP` can jump backward:
    /// absolute on 3.8–3.10; forward only on 3.11; gone from 3.12.
    pub or_pop_jump_backward: bool,
    /// Code that no control flow reaches is still observable: 3.8/3.9's
    /// `frame.f_lineno = N` (`frameobject.c: frame_setlineno`) may jump onto
    /// any line, including one after an endless loop, and checks the jump
    /// by a linear scan of the block stack that needs the dead
    /// `SETUP_*`/`POP_BLOCK`s balanced (removing them made 3.8's
    /// `test_sys_settrace` fail). 3.10+ check a jump by following control
    /// flow (`mark_stacks`) and their compiler drops unreachable code itself.
    pub unreachable_code_observable: bool,
    /// Line events fire on arrival at the start of a `co_lnotab` entry
    /// (3.8/3.9 `ceval.c: maybe_call_line_trace`, `instr_lb`), so an
    /// instruction whose line differs from the one laid out before it, or
    /// that starts an entry of its own, reports a line even when reached by
    /// a jump from its own line. From 3.10 (PEP 626) a line event compares
    /// with the previously *executed* instruction.
    pub line_events_at_lnotab_entries: bool,
    /// Line starts follow the layout: `sys.monitoring`
    /// (`instrumentation.c: initialize_lines`, 3.12+, which also drives
    /// `sys.settrace`) marks an instruction whose line differs from the last
    /// located instruction laid out before it, reachable or not, so
    /// removing unreachable code can change which reachable instruction
    /// reports a line.
    pub line_starts_follow_layout: bool,
    /// `sys.monitoring` also marks every jump target as a line start (3.12's
    /// `initialize_lines`; 3.13 stopped), so a block that stops being a jump
    /// target stops reporting a line when reached by falling through from
    /// its own line.
    pub jump_targets_start_lines: bool,
    /// `POP_JUMP_IF_TRUE`/`POP_JUMP_IF_FALSE` test identity with
    /// `True`/`False` (3.13+: the compiler puts `TO_BOOL` before them), so
    /// only an exact `bool` may decide them; before, any value's truth.
    pub conditional_jumps_need_exact_bool: bool,
    /// The `COMPARE_OP` argument bit that makes it convert its result to an
    /// exact `bool` (3.13+: `oparg & 16`, `Python/bytecodes.c`
    /// `_COMPARE_OP`; the compiler sets it where a `TO_BOOL` followed, the
    /// listings show it as `bool(<)`); 0 where no such bit exists.
    pub compare_op_bool_bit: u32,
    /// The interpreter has the two-local superinstructions
    /// `LOAD_FAST_LOAD_FAST`, `STORE_FAST_LOAD_FAST`, `STORE_FAST_STORE_FAST`
    /// (3.13+, plus 3.14's `LOAD_FAST_BORROW_LOAD_FAST_BORROW`), and a plain
    /// `LOAD_FAST`/`STORE_FAST` cannot raise, so a fused pair needs no
    /// position of its own.
    pub local_pair_superinstructions: bool,
    /// The compiler spells a load of an int 0..=255 as `LOAD_SMALL_INT n`
    /// (3.14+, `flowgraph.c: maybe_instr_make_load_smallint`) instead of
    /// `LOAD_CONST`.
    pub loads_small_ints_by_value: bool,
    /// The `LOAD_COMMON_CONSTANT n` arguments that push a constant, and
    /// which: on 3.15 `7..=11` are `None`, `""`, `True`, `False` and `-1`
    /// (`Include/internal/pycore_opcode_utils.h`: `CONSTANT_NONE` …
    /// `CONSTANT_MINUS_ONE`; `opcode._common_constants`), and the compiler
    /// spells every load of one of these values so (its CFG optimizer turns
    /// such a `LOAD_CONST` into `LOAD_COMMON_CONSTANT n` and drops the entry
    /// from `co_consts` unless it is `co_consts[0]`; measured: no
    /// `LOAD_CONST` of them is left in the 3.15 corpus). Empty before 3.15:
    /// 3.14's `LOAD_COMMON_CONSTANT 0..=4` (and 3.15's `0..=6`) push
    /// `AssertionError`, `NotImplementedError`, `tuple`, `all`, `any`
    /// (`list`, `set`), which are not constants.
    pub common_constants: &'static [(u32, CommonConst)],
    /// The interpreter advances by fixed distances over some ops that take
    /// no argument (3.11+: `FOR_ITER`'s exhausted path skips `END_FOR`, a
    /// `list.append` `CALL` skips its `POP_TOP`), so an `EXTENDED_ARG`
    /// prefix on any op without argument breaks it; 3.8–3.10 ignore such an
    /// argument (except on an op that suspends, checked separately).
    pub skips_over_argless_ops: bool,
    /// `compileall -o LEVEL` compiles at several optimization levels in one
    /// run and recursion depth defaults to the recursion limit (3.9+,
    /// `Lib/compileall.py`); 3.8's compileall takes the interpreter's `-O`
    /// flags and descends 10 directory levels unless given `-r`.
    pub compileall_opt_levels: bool,
    /// Not CPython's behaviour but this project's setup: the version runs as
    /// pyodide's CPython compiled to WebAssembly, under Node.js, from the
    /// repository's `tools/py3X/` (3.14, which the project's machines do not
    /// install natively); `interpreters.rs` looks there.
    pub pyodide_in_repo: bool,
}

/// The row of `v`. A new `PyVersion` variant fails to compile here until
/// its row is written.
pub(super) fn of(v: PyVersion) -> &'static Facts {
    match v {
        PyVersion::V3_8 => &V3_8,
        PyVersion::V3_9 => &V3_9,
        PyVersion::V3_10 => &V3_10,
        PyVersion::V3_11 => &V3_11,
        PyVersion::V3_12 => &V3_12,
        PyVersion::V3_13 => &V3_13,
        PyVersion::V3_14 => &V3_14,
        PyVersion::V3_15 => &V3_15,
    }
}

const V3_8: Facts = Facts {
    version: PyVersion::V3_8,
    jump_arg_per_code_unit: 2,
    line_table: LineTable::Lnotab,
    code_layout: CodeLayout::SeparateNames,
    exception_table: false,
    compare_op_arg_shift: 0,
    generator_entry_depth: 0,
    stackdepth_keeps_max_at_joins: true,
    min_stacksize: 0,
    unconditional_jump: Op::JUMP_ABSOLUTE,
    backward_jump: Op::JUMP_ABSOLUTE,
    pop_jump_backward: true,
    or_pop_jump_backward: true,
    unreachable_code_observable: true,
    line_events_at_lnotab_entries: true,
    line_starts_follow_layout: false,
    jump_targets_start_lines: false,
    conditional_jumps_need_exact_bool: false,
    compare_op_bool_bit: 0,
    local_pair_superinstructions: false,
    loads_small_ints_by_value: false,
    common_constants: &[],
    skips_over_argless_ops: false,
    compileall_opt_levels: false,
    pyodide_in_repo: false,
};

const V3_9: Facts = Facts {
    version: PyVersion::V3_9,
    compileall_opt_levels: true,
    ..V3_8
};

const V3_10: Facts = Facts {
    version: PyVersion::V3_10,
    jump_arg_per_code_unit: 1,
    line_table: LineTable::Linetable310,
    generator_entry_depth: 1,
    stackdepth_keeps_max_at_joins: false,
    unreachable_code_observable: false,
    line_events_at_lnotab_entries: false,
    ..V3_9
};

const V3_11: Facts = Facts {
    version: PyVersion::V3_11,
    line_table: LineTable::Locations { merge_runs: false },
    code_layout: CodeLayout::LocalsPlus,
    exception_table: true,
    unconditional_jump: Op::JUMP_FORWARD,
    backward_jump: Op::JUMP_BACKWARD,
    or_pop_jump_backward: false,
    skips_over_argless_ops: true,
    ..V3_10
};

const V3_12: Facts = Facts {
    version: PyVersion::V3_12,
    line_table: LineTable::Locations { merge_runs: true },
    compare_op_arg_shift: 4,
    pop_jump_backward: false,
    line_starts_follow_layout: true,
    jump_targets_start_lines: true,
    ..V3_11
};

const V3_13: Facts = Facts {
    version: PyVersion::V3_13,
    compare_op_arg_shift: 5,
    generator_entry_depth: 0,
    min_stacksize: 1,
    jump_targets_start_lines: false,
    conditional_jumps_need_exact_bool: true,
    compare_op_bool_bit: 16,
    local_pair_superinstructions: true,
    ..V3_12
};

const V3_14: Facts = Facts {
    version: PyVersion::V3_14,
    loads_small_ints_by_value: true,
    pyodide_in_repo: true,
    ..V3_13
};

/// 3.15 (3.15.0rc1): line and exception tables, jump arithmetic,
/// code-object layout and the line-event rules are 3.14's (checked on the
/// 3.15 corpus: every file round-trips and `dis` agrees); the compiler loads
/// `None`, `""`, `True`, `False` and `-1` with `LOAD_COMMON_CONSTANT`
/// (`common_constants`). The rest of what changed is in the generated
/// tables (opcode numbers, `RESUME`/`GET_ITER`/`CALL_FUNCTION_EX` caches,
/// two-slot iterators, `IMPORT_NAME`'s flag bits, marshal version 6).
const V3_15: Facts = Facts {
    version: PyVersion::V3_15,
    common_constants: &[
        (7, CommonConst::None),
        (8, CommonConst::EmptyStr),
        (9, CommonConst::True),
        (10, CommonConst::False),
        (11, CommonConst::MinusOne),
    ],
    ..V3_14
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::JumpKind;

    /// One column per version, 3.8 first: the value of a fact in each.
    fn column<T>(fact: impl Fn(&Facts) -> T) -> Vec<T> {
        PyVersion::ALL.iter().map(|v| fact(v.facts())).collect()
    }

    /// Every version in `PyVersion::ALL`, in order, and every variant in it:
    /// the `match` below fails to compile for a new variant, and indexing
    /// `ALL` with its position fails until `ALL` lists it.
    #[test]
    fn all_lists_every_version_in_order() {
        fn position(v: PyVersion) -> usize {
            match v {
                PyVersion::V3_8 => 0,
                PyVersion::V3_9 => 1,
                PyVersion::V3_10 => 2,
                PyVersion::V3_11 => 3,
                PyVersion::V3_12 => 4,
                PyVersion::V3_13 => 5,
                PyVersion::V3_14 => 6,
                PyVersion::V3_15 => 7,
            }
        }
        for (i, v) in PyVersion::ALL.into_iter().enumerate() {
            assert_eq!(position(v), i, "{v}");
            assert_eq!(PyVersion::ALL[position(v)], v);
            assert_eq!(v.facts().version, v, "the row of {v} names another version");
        }
    }

    /// The facts, written by hand from CPython's sources and behaviour (see
    /// each field's doc), one column per version 3.8 … 3.15. A new version
    /// fails here until its column is written.
    #[test]
    fn facts_per_version() {
        use CodeLayout::*;
        use LineTable::*;
        let (f, t) = (false, true);
        assert_eq!(
            PyVersion::ALL.len(),
            8,
            "add the new version's column to every row below"
        );
        assert_eq!(
            column(|x| x.jump_arg_per_code_unit),
            [2, 2, 1, 1, 1, 1, 1, 1]
        );
        let merged = Locations { merge_runs: true };
        let per_instr = Locations { merge_runs: false };
        assert_eq!(
            column(|x| x.line_table),
            [
                Lnotab,
                Lnotab,
                Linetable310,
                per_instr,
                merged,
                merged,
                merged,
                merged
            ]
        );
        let (sep, lp) = (SeparateNames, LocalsPlus);
        assert_eq!(
            column(|x| x.code_layout),
            [sep, sep, sep, lp, lp, lp, lp, lp]
        );
        assert_eq!(column(|x| x.exception_table), [f, f, f, t, t, t, t, t]);
        assert_eq!(column(|x| x.compare_op_arg_shift), [0, 0, 0, 0, 4, 5, 5, 5]);
        assert_eq!(
            column(|x| x.generator_entry_depth),
            [0, 0, 1, 1, 1, 0, 0, 0]
        );
        assert_eq!(
            column(|x| x.stackdepth_keeps_max_at_joins),
            [t, t, f, f, f, f, f, f]
        );
        assert_eq!(column(|x| x.min_stacksize), [0, 0, 0, 0, 0, 1, 1, 1]);
        let (abs, fwd, back) = (Op::JUMP_ABSOLUTE, Op::JUMP_FORWARD, Op::JUMP_BACKWARD);
        assert_eq!(
            column(|x| x.unconditional_jump),
            [abs, abs, abs, fwd, fwd, fwd, fwd, fwd]
        );
        assert_eq!(
            column(|x| x.backward_jump),
            [abs, abs, abs, back, back, back, back, back]
        );
        assert_eq!(column(|x| x.pop_jump_backward), [t, t, t, t, f, f, f, f]);
        assert_eq!(column(|x| x.or_pop_jump_backward), [t, t, t, f, f, f, f, f]);
        assert_eq!(
            column(|x| x.unreachable_code_observable),
            [t, t, f, f, f, f, f, f]
        );
        assert_eq!(
            column(|x| x.line_events_at_lnotab_entries),
            [t, t, f, f, f, f, f, f]
        );
        assert_eq!(
            column(|x| x.line_starts_follow_layout),
            [f, f, f, f, t, t, t, t]
        );
        assert_eq!(
            column(|x| x.jump_targets_start_lines),
            [f, f, f, f, t, f, f, f]
        );
        assert_eq!(
            column(|x| x.conditional_jumps_need_exact_bool),
            [f, f, f, f, f, t, t, t]
        );
        assert_eq!(
            column(|x| x.compare_op_bool_bit),
            [0, 0, 0, 0, 0, 16, 16, 16]
        );
        assert_eq!(
            column(|x| x.local_pair_superinstructions),
            [f, f, f, f, f, t, t, t]
        );
        assert_eq!(
            column(|x| x.loads_small_ints_by_value),
            [f, f, f, f, f, f, t, t]
        );
        let none: &[(u32, CommonConst)] = &[];
        let c315 = [
            (7, CommonConst::None),
            (8, CommonConst::EmptyStr),
            (9, CommonConst::True),
            (10, CommonConst::False),
            (11, CommonConst::MinusOne),
        ];
        assert_eq!(
            column(|x| x.common_constants),
            [none, none, none, none, none, none, none, &c315]
        );
        assert_eq!(
            column(|x| x.skips_over_argless_ops),
            [f, f, f, t, t, t, t, t]
        );
        assert_eq!(
            column(|x| x.compileall_opt_levels),
            [f, t, t, t, t, t, t, t]
        );
        assert_eq!(column(|x| x.pyodide_in_repo), [f, f, f, f, f, f, t, t]);
    }

    /// The facts that name opcodes agree with the generated opcode tables
    /// (read off each interpreter).
    #[test]
    fn facts_agree_with_opcode_tables() {
        for v in PyVersion::ALL {
            let (facts, table) = (v.facts(), v.table());
            let kind = |op: Op| table.info(op).map(|i| i.jump);
            let has = |op: Op| table.info(op).is_some();
            assert!(
                matches!(
                    kind(facts.unconditional_jump),
                    Some(JumpKind::Absolute | JumpKind::Forward)
                ),
                "{v}"
            );
            assert!(
                matches!(
                    kind(facts.backward_jump),
                    Some(JumpKind::Absolute | JumpKind::Backward)
                ),
                "{v}"
            );
            let pop_back = [
                Op::POP_JUMP_IF_FALSE,
                Op::POP_JUMP_IF_TRUE,
                Op::POP_JUMP_BACKWARD_IF_FALSE,
                Op::POP_JUMP_BACKWARD_IF_TRUE,
            ]
            .into_iter()
            .any(|op| matches!(kind(op), Some(JumpKind::Absolute | JumpKind::Backward)));
            assert_eq!(pop_back, facts.pop_jump_backward, "{v}");
            let or_pop_back = matches!(
                kind(Op::JUMP_IF_FALSE_OR_POP),
                Some(JumpKind::Absolute | JumpKind::Backward)
            );
            assert_eq!(or_pop_back, facts.or_pop_jump_backward, "{v}");
            assert_eq!(
                has(Op::LOAD_FAST_LOAD_FAST),
                facts.local_pair_superinstructions,
                "{v}"
            );
            assert_eq!(
                has(Op::LOAD_SMALL_INT),
                facts.loads_small_ints_by_value,
                "{v}"
            );
            assert_eq!(
                has(Op::TO_BOOL),
                facts.conditional_jumps_need_exact_bool,
                "{v}"
            );
            assert!(
                facts.common_constants.is_empty() || has(Op::LOAD_COMMON_CONSTANT),
                "{v}"
            );
        }
    }
}
