//! Property tests of the instruction codec on generated IR, for every
//! version: random ops with random arguments (including ones that need 1–3
//! EXTENDED_ARG prefixes), jumps in every allowed direction, random source
//! locations (no line, huge line jumps, wide columns) and, on 3.11+, random
//! exception tables. Encoding must succeed, decoding the result must give the
//! same instructions, locations and exception entries, and encoding again
//! must give the same bytes. This is what lets later passes edit the IR and
//! rely on the encoder to write every table from per-instruction data.

use proptest::prelude::*;

use pyopt::bytecode::{self, CodeIr, ExceptionEntry, Instr, Loc, NO_POS};
use pyopt::version::{JumpKind, Op, PyVersion};

/// Location choices: (line delta, end line delta, column, width, shape).
type LocChoice = (i32, i32, i32, i32, u8);
/// Instruction choices: (op, arg, target, location).
type InstrChoice = (usize, u32, usize, LocChoice);

#[derive(Clone, Debug)]
struct Spec {
    version: PyVersion,
    firstlineno: i32,
    instrs: Vec<InstrChoice>,
    /// (start, len, target, depth, lasti) choices
    exceptions: Vec<(usize, usize, usize, u32, bool)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let arg = prop_oneof![
        0u32..256,
        256u32..65536,
        65536u32..(1 << 24),
        (1u32 << 24)..=u32::MAX,
    ];
    let loc = (
        -400i32..400, // line delta
        0i32..3,      // end line delta
        0i32..300,    // column
        0i32..40,     // width
        0u8..10,      // shape: 0 = no location, 1 = no columns, else columns
    );
    (
        0usize..6,
        0i32..5000,
        prop::collection::vec((any::<usize>(), arg, any::<usize>(), loc), 1..120),
        prop::collection::vec(
            (
                any::<usize>(),
                1usize..6,
                any::<usize>(),
                0u32..70,
                any::<bool>(),
            ),
            0..8,
        ),
    )
        .prop_map(|(v, firstlineno, instrs, exceptions)| Spec {
            version: PyVersion::ALL[v],
            firstlineno,
            instrs,
            exceptions,
        })
}

/// Builds a valid IR from the choices.
fn build(spec: &Spec) -> CodeIr {
    let v = spec.version;
    let table = v.table();
    let ops: Vec<_> = table
        .ops
        .iter()
        .filter(|o| o.op != Op::CACHE && o.op != Op::EXTENDED_ARG)
        .collect();
    let n = spec.instrs.len();
    let mut ir = CodeIr::new(v);
    ir.firstlineno = spec.firstlineno;
    let mut line = spec.firstlineno;
    for (i, &(opc, arg, tgt, (dl, del, col, width, shape))) in spec.instrs.iter().enumerate() {
        let mut info = ops[opc % ops.len()];
        // A forward jump at the end has nowhere to go; use a non-jump instead.
        if info.jump == JumpKind::Forward && i + 1 >= n {
            info = ops
                .iter()
                .find(|o| o.jump == JumpKind::None && o.has_arg)
                .copied()
                .unwrap_or(info);
        }
        let arg = match info.jump {
            JumpKind::Forward => (i + 1 + tgt % (n - i - 1).max(1)).min(n - 1) as u32,
            JumpKind::Backward => (tgt % (i + 1)) as u32,
            JumpKind::Absolute => (tgt % n) as u32,
            JumpKind::None if info.has_arg => arg,
            JumpKind::None => arg & 0xff,
        };
        let loc = if v <= PyVersion::V3_9 {
            line = (line + dl).max(0);
            Loc::line(line)
        } else if shape == 0 {
            Loc::NONE
        } else if v == PyVersion::V3_10 || shape == 1 {
            line = (line + dl).max(0);
            if v == PyVersion::V3_10 {
                Loc::line(line)
            } else {
                Loc {
                    line,
                    end_line: line,
                    col: NO_POS,
                    end_col: NO_POS,
                }
            }
        } else {
            line = (line + dl).max(0);
            Loc {
                line,
                end_line: line + del,
                col,
                end_col: col + width,
            }
        };
        ir.instrs.push(Instr {
            op: info.op,
            ext: 0,
            arg,
            loc,
            line_start: false,
        });
    }
    if v.facts().exception_table {
        let mut at = 0usize;
        for &(start, len, target, depth, lasti) in &spec.exceptions {
            let start = at + start % 4;
            let end = (start + len).min(n);
            if start >= end {
                break;
            }
            ir.exceptions.push(ExceptionEntry {
                start: start as u32,
                end: end as u32,
                target: (target % n) as u32,
                depth,
                lasti,
            });
            at = end;
        }
    }
    ir
}

fn same_instructions(a: &CodeIr, b: &CodeIr) -> Result<(), String> {
    if a.instrs.len() != b.instrs.len() {
        return Err(format!(
            "{} vs {} instructions",
            a.instrs.len(),
            b.instrs.len()
        ));
    }
    for (i, (x, y)) in a.instrs.iter().zip(&b.instrs).enumerate() {
        if (x.op, x.arg, x.loc) != (y.op, y.arg, y.loc) {
            return Err(format!("instruction {i}: {x:?} became {y:?}"));
        }
    }
    if a.exceptions != b.exceptions {
        return Err(format!(
            "exceptions {:?} became {:?}",
            a.exceptions, b.exceptions
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn encode_decode_encode_is_stable(spec in spec()) {
        let ir = build(&spec);
        let enc = bytecode::encode(&ir).map_err(|e| TestCaseError::fail(format!("encode: {e}")))?;
        let et = spec.version.facts().exception_table.then_some(&enc.exceptiontable[..]);
        let back = bytecode::decode(spec.version, &enc.code, &enc.linetable, et, ir.firstlineno)
            .map_err(|e| TestCaseError::fail(format!("decode: {e}")))?;
        if let Err(msg) = same_instructions(&ir, &back) {
            return Err(TestCaseError::fail(format!("{}: {msg}", spec.version)));
        }
        let again = bytecode::encode(&back).map_err(|e| TestCaseError::fail(format!("re-encode: {e}")))?;
        prop_assert_eq!(&enc, &again);
    }

    /// A 3.8/3.9 IR whose lnotab hint no longer matches its lines (as after an
    /// edit) is written from the lines alone, and those lines survive.
    #[test]
    fn stale_lnotab_hint_is_ignored(spec in spec(), shift in 1i32..50) {
        let mut spec = spec;
        spec.version = if spec.firstlineno % 2 == 0 { PyVersion::V3_8 } else { PyVersion::V3_9 };
        let ir = build(&spec);
        let enc = bytecode::encode(&ir).map_err(|e| TestCaseError::fail(format!("encode: {e}")))?;
        let mut back = bytecode::decode(spec.version, &enc.code, &enc.linetable, None, ir.firstlineno)
            .map_err(|e| TestCaseError::fail(format!("decode: {e}")))?;
        // Edit: move every line; the hint still describes the old lines.
        for ins in &mut back.instrs {
            ins.loc.line += shift;
        }
        let enc2 = bytecode::encode(&back).map_err(|e| TestCaseError::fail(format!("encode: {e}")))?;
        let back2 = bytecode::decode(spec.version, &enc2.code, &enc2.linetable, None, ir.firstlineno)
            .map_err(|e| TestCaseError::fail(format!("decode: {e}")))?;
        for (x, y) in back.instrs.iter().zip(&back2.instrs) {
            prop_assert_eq!(x.loc.line, y.loc.line);
        }
    }
}
