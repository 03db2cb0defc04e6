//! Line-number tables: decode to per-instruction locations, encode back with
//! the exact choices of each version's writer.
//!
//! * 3.8/3.9 `co_lnotab`: `(byte delta u8, line delta i8)` pairs
//!   (`compile.c: assemble_lnotab`). The entries as read are kept in
//!   `CodeIr::lnotab_hint` and written back while they agree with the
//!   instructions' lines; otherwise the table is rebuilt from the lines.
//! * 3.10 `co_linetable`: `(byte range u8 ≤ 254, line delta i8, −128 = none)`
//!   (`compile.c: assemble_line_range`).
//! * 3.11+ location table (`Objects/locations.md`; `assemble.c:
//!   write_location_info_entry`): entries of 1–8 code units with short,
//!   one-line, no-column, long and none forms; 3.12+ merge consecutive
//!   instructions with the same location into one run, 3.11 writes one run
//!   per instruction.
//!
//! Line arithmetic wraps like CPython's C `int`s: a damaged `co_firstlineno`
//! or delta must not panic, and wrapping both ways keeps the tables exact.

use super::{err, BytecodeError, CodeIr, LineEntry, Loc, NO_POS};
use crate::version::LineTable;

/// Fills in `ir.instrs[*].loc` (and the 3.8/3.9 hints) from a line table.
/// `starts[i]` is the code-unit offset of instruction `i`; `starts[n]` the end.
pub(super) fn decode(ir: &mut CodeIr, table: &[u8], starts: &[u32]) -> Result<(), BytecodeError> {
    match ir.version.facts().line_table {
        LineTable::Lnotab => decode_lnotab(ir, table, starts),
        LineTable::Linetable310 => decode_310(ir, table, starts),
        LineTable::Locations { .. } => decode_locations(ir, table, starts),
    }
}

/// Encodes the line table of `ir` for instruction offsets `starts` (code units).
pub(super) fn encode(ir: &CodeIr, starts: &[u32], out: &mut Vec<u8>) {
    match ir.version.facts().line_table {
        LineTable::Lnotab => encode_lnotab(ir, starts, out),
        LineTable::Linetable310 => encode_310(ir, starts, out),
        LineTable::Locations { merge_runs } => encode_locations(ir, starts, merge_runs, out),
    }
}

// ---------------------------------------------------------------- 3.8 / 3.9

fn decode_lnotab(ir: &mut CodeIr, table: &[u8], starts: &[u32]) -> Result<(), BytecodeError> {
    if table.len() % 2 != 0 {
        return err(table.len(), "co_lnotab has an odd length");
    }
    let n = ir.instrs.len();
    let mut line = ir.firstlineno;
    let mut addr = 0usize; // bytes
    let mut i = 0usize; // the instruction containing `addr`, or n at the end
    for (k, pair) in table.chunks_exact(2).enumerate() {
        addr += pair[0] as usize;
        let delta = pair[1] as i8 as i32;
        while i < n && (starts[i + 1] as usize) * 2 <= addr {
            i += 1;
        }
        let sub = (addr / 2).checked_sub(starts[i] as usize);
        let ext = if i < n { ir.instrs[i].ext as usize } else { 0 };
        match sub {
            Some(sub) if addr % 2 == 0 && sub <= ext => {
                line = line.wrapping_add(delta);
                if delta != 0 && sub == 0 && i < n {
                    ir.instrs[i].line_start = true;
                }
                ir.lnotab_hint.push(LineEntry {
                    instr: i as u32,
                    sub: sub as u8,
                    line,
                });
            }
            // An address-only continuation such as (255, 0).
            _ if delta == 0 => {}
            _ => return err(2 * k, "co_lnotab entry does not start at an instruction"),
        }
    }
    apply_hint(ir);
    Ok(())
}

/// Sets every instruction's line from `ir.lnotab_hint`: the line in effect at
/// the instruction's op (after the entries at its prefixes).
fn apply_hint(ir: &mut CodeIr) {
    let mut line = ir.firstlineno;
    let mut e = 0usize;
    let hint = &ir.lnotab_hint;
    for (idx, ins) in ir.instrs.iter_mut().enumerate() {
        while e < hint.len() && hint[e].instr as usize == idx {
            line = hint[e].line;
            e += 1;
        }
        ins.loc = Loc::line(line);
    }
}

/// Whether the hint is well-formed for the current instructions and yields
/// exactly their lines.
fn hint_agrees(ir: &CodeIr) -> bool {
    let n = ir.instrs.len();
    let hint = &ir.lnotab_hint;
    let mut prev = (0u32, 0u8);
    let mut line = ir.firstlineno;
    let mut e = 0usize;
    for h in hint {
        let ext = ir.instrs.get(h.instr as usize).map_or(0, |i| i.ext);
        if (h.instr, h.sub) < prev || h.instr as usize > n || h.sub > ext {
            return false;
        }
        prev = (h.instr, h.sub);
    }
    for (idx, ins) in ir.instrs.iter().enumerate() {
        while e < hint.len() && hint[e].instr as usize == idx {
            line = hint[e].line;
            e += 1;
        }
        if ins.loc.line != line {
            return false;
        }
    }
    true
}

fn encode_lnotab(ir: &CodeIr, starts: &[u32], out: &mut Vec<u8>) {
    let mut prev_addr = 0u32; // bytes
    let mut cur = ir.firstlineno;
    // `compile.c: assemble_lnotab` of 3.8: address gaps over 255 first, then
    // line deltas beyond i8 in saturated steps.
    let mut emit = |addr: u32, line: i32| {
        let mut d_addr = addr - prev_addr;
        let mut d_line = line.wrapping_sub(cur);
        while d_addr > 255 {
            out.extend_from_slice(&[255, 0]);
            d_addr -= 255;
        }
        while d_line > 127 {
            out.extend_from_slice(&[d_addr as u8, 127]);
            d_addr = 0;
            d_line -= 127;
        }
        while d_line < -128 {
            out.extend_from_slice(&[d_addr as u8, (-128i8) as u8]);
            d_addr = 0;
            d_line += 128;
        }
        out.extend_from_slice(&[d_addr as u8, d_line as i8 as u8]);
        cur = line;
        prev_addr = addr;
    };
    if hint_agrees(ir) {
        for h in &ir.lnotab_hint {
            emit((starts[h.instr as usize] + h.sub as u32) * 2, h.line);
        }
    } else {
        let mut last = ir.firstlineno;
        for (idx, ins) in ir.instrs.iter().enumerate() {
            if ins.loc.line != last {
                last = ins.loc.line;
                emit(starts[idx] * 2, last);
            } else if ins.line_start {
                // Same line, but the tracer must still see a range start here:
                // two entries that cancel out (both non-zero).
                let up = if last < i32::MAX { last + 1 } else { last - 1 };
                emit(starts[idx] * 2, up);
                emit(starts[idx] * 2, last);
            }
        }
    }
}

// ---------------------------------------------------------------- 3.10

fn decode_310(ir: &mut CodeIr, table: &[u8], starts: &[u32]) -> Result<(), BytecodeError> {
    if table.len() % 2 != 0 {
        return err(table.len(), "co_linetable has an odd length");
    }
    let mut line = ir.firstlineno;
    let mut addr = 0usize; // bytes
    let mut i = 0usize;
    let n = ir.instrs.len();
    for pair in table.chunks_exact(2) {
        let end = addr + pair[0] as usize;
        let delta = pair[1] as i8;
        let this = if delta == -128 {
            NO_POS
        } else {
            line = line.wrapping_add(delta as i32);
            line
        };
        while i < n && (starts[i] as usize) * 2 < end {
            if (starts[i] as usize) * 2 >= addr {
                ir.instrs[i].loc = Loc::line(this);
            }
            i += 1;
        }
        addr = end;
    }
    Ok(())
}

fn encode_310(ir: &CodeIr, starts: &[u32], out: &mut Vec<u8>) {
    struct W<'o> {
        out: &'o mut Vec<u8>,
        lineno: i32,
        prevlineno: i32,
        start: u32,
    }
    fn line_range(w: &mut W<'_>, offset: u32) {
        let mut bdelta = (offset - w.start) as i32 * 2;
        if bdelta == 0 {
            return;
        }
        let mut ldelta;
        if w.lineno < 0 {
            ldelta = -128;
        } else {
            ldelta = w.lineno.wrapping_sub(w.prevlineno);
            w.prevlineno = w.lineno;
            while ldelta > 127 {
                w.out.extend_from_slice(&[0, 127]);
                ldelta -= 127;
            }
            while ldelta < -127 {
                w.out.extend_from_slice(&[0, (-127i8) as u8]);
                ldelta += 127;
            }
        }
        while bdelta > 254 {
            w.out.extend_from_slice(&[254, ldelta as i8 as u8]);
            ldelta = if w.lineno < 0 { -128 } else { 0 };
            bdelta -= 254;
        }
        w.out.extend_from_slice(&[bdelta as u8, ldelta as i8 as u8]);
        w.start = offset;
    }
    let mut w = W {
        out,
        lineno: ir.firstlineno,
        prevlineno: ir.firstlineno,
        start: 0,
    };
    for (i, ins) in ir.instrs.iter().enumerate() {
        if ins.loc.line != w.lineno {
            line_range(&mut w, starts[i]);
            w.lineno = ins.loc.line;
        }
    }
    line_range(&mut w, starts[ir.instrs.len()]);
}

// ---------------------------------------------------------------- 3.11+

fn decode_locations(ir: &mut CodeIr, table: &[u8], starts: &[u32]) -> Result<(), BytecodeError> {
    let mut p = 0usize;
    let mut line = ir.firstlineno;
    let mut unit = 0u32;
    let mut i = 0usize;
    let n = ir.instrs.len();
    let byte = |p: &mut usize| -> Result<u8, BytecodeError> {
        let b = table.get(*p).copied();
        *p += 1;
        b.ok_or_else(|| BytecodeError {
            offset: *p - 1,
            message: "truncated location table".into(),
        })
    };
    let varint = |p: &mut usize| -> Result<u32, BytecodeError> {
        let mut b = byte(p)?;
        let mut v = (b & 63) as u32;
        let mut shift = 0;
        while b & 64 != 0 {
            b = byte(p)?;
            shift += 6;
            if shift > 30 {
                return err(*p, "location table varint too long");
            }
            v |= ((b & 63) as u32) << shift;
        }
        Ok(v)
    };
    let svarint = |p: &mut usize| -> Result<i32, BytecodeError> {
        let u = varint(p)?;
        Ok(if u & 1 != 0 {
            -((u >> 1) as i32)
        } else {
            (u >> 1) as i32
        })
    };
    while p < table.len() {
        let first = byte(&mut p)?;
        if first & 0x80 == 0 {
            return err(p - 1, "location entry without its start bit");
        }
        let code = (first >> 3) & 15;
        let len = (first & 7) as u32 + 1;
        let loc = match code {
            15 => Loc::NONE,
            14 => {
                line = line.wrapping_add(svarint(&mut p)?);
                let end_line = line.wrapping_add(varint(&mut p)? as i32);
                let col = (varint(&mut p)? as i32).wrapping_sub(1);
                let end_col = (varint(&mut p)? as i32).wrapping_sub(1);
                Loc {
                    line,
                    end_line,
                    col,
                    end_col,
                }
            }
            13 => {
                line = line.wrapping_add(svarint(&mut p)?);
                Loc {
                    line,
                    end_line: line,
                    col: NO_POS,
                    end_col: NO_POS,
                }
            }
            10..=12 => {
                line = line.wrapping_add(code as i32 - 10);
                let col = byte(&mut p)? as i32;
                let end_col = byte(&mut p)? as i32;
                Loc {
                    line,
                    end_line: line,
                    col,
                    end_col,
                }
            }
            _ => {
                let second = byte(&mut p)?;
                let col = code as i32 * 8 + ((second >> 4) & 7) as i32;
                Loc {
                    line,
                    end_line: line,
                    col,
                    end_col: col + (second & 15) as i32,
                }
            }
        };
        let end = unit + len;
        while i < n && starts[i] < end {
            if starts[i] >= unit {
                ir.instrs[i].loc = loc;
            }
            i += 1;
        }
        unit = end;
    }
    Ok(())
}

fn encode_locations(ir: &CodeIr, starts: &[u32], merge_runs: bool, out: &mut Vec<u8>) {
    let mut a_lineno = ir.firstlineno;
    let n = ir.instrs.len();
    out.reserve(2 * n + 8);
    let mut i = 0;
    while i < n {
        let loc = ir.instrs[i].loc;
        let mut j = i + 1;
        if merge_runs {
            while j < n && ir.instrs[j].loc == loc {
                j += 1;
            }
        }
        let mut size = starts[j] - starts[i];
        while size > 8 {
            location_entry(out, &mut a_lineno, loc, 8);
            size -= 8;
        }
        location_entry(out, &mut a_lineno, loc, size);
        i = j;
    }
}

fn write_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 64 {
        out.push(((v & 63) | 64) as u8);
        v >>= 6;
    }
    out.push(v as u8);
}

fn write_svarint(out: &mut Vec<u8>, v: i32) {
    let u = if v < 0 {
        ((v.unsigned_abs()) << 1) | 1
    } else {
        (v as u32) << 1
    };
    write_varint(out, u);
}

/// One entry of at most 8 units (`assemble.c: write_location_info_entry`).
fn location_entry(out: &mut Vec<u8>, a_lineno: &mut i32, loc: Loc, size: u32) {
    if size == 0 {
        return;
    }
    let first = |code: u8| 0x80 | (code << 3) | (size as u8 - 1);
    if loc.line < 0 {
        out.push(first(15));
        return;
    }
    let line_delta = loc.line.wrapping_sub(*a_lineno);
    let column = loc.col;
    let end_col = loc.end_col;
    let end_line_delta = loc.end_line.wrapping_sub(loc.line);
    if end_line_delta == 0 {
        if column < 0 || end_col < 0 {
            out.push(first(13));
            write_svarint(out, line_delta);
            *a_lineno = loc.line;
            return;
        }
        if line_delta == 0 && column < 80 && end_col - column < 16 && end_col >= column {
            out.extend_from_slice(&[
                first((column >> 3) as u8),
                (((column & 7) << 4) | (end_col - column)) as u8,
            ]);
            return;
        }
        if (0..3).contains(&line_delta) && column < 128 && end_col < 128 {
            out.extend_from_slice(&[first(10 + line_delta as u8), column as u8, end_col as u8]);
            *a_lineno = loc.line;
            return;
        }
    }
    out.push(first(14));
    write_svarint(out, line_delta);
    write_varint(out, end_line_delta as u32);
    write_varint(out, column.wrapping_add(1) as u32);
    write_varint(out, end_col.wrapping_add(1) as u32);
    *a_lineno = loc.line;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::{self, Instr};
    use crate::version::{Op, PyVersion};

    fn ins(op: Op, arg: u32, line: i32, line_start: bool) -> Instr {
        Instr {
            op,
            ext: 0,
            arg,
            loc: Loc::line(line),
            line_start,
        }
    }

    /// 3.8/3.9 report a line event wherever a non-zero lnotab entry starts a
    /// range, even on an unchanged line (measured: `a = 1; b = 2` with such an
    /// entry before `b = 2` traces line 3 twice). Without a hint the encoder
    /// must keep those range starts.
    #[test]
    fn lnotab_keeps_same_line_range_starts_without_a_hint() {
        let mut ir = CodeIr::new(PyVersion::V3_8);
        ir.firstlineno = 2;
        ir.instrs = vec![
            ins(Op::LOAD_CONST, 1, 3, true),
            ins(Op::STORE_FAST, 0, 3, false),
            ins(Op::LOAD_CONST, 2, 3, true),
            ins(Op::STORE_FAST, 1, 3, false),
            ins(Op::LOAD_FAST, 0, 4, true),
            ins(Op::RETURN_VALUE, 0, 4, false),
        ];
        let enc = bytecode::encode(&ir).expect("encode");
        assert_eq!(enc.linetable, [0, 1, 4, 1, 0, 255, 4, 1]);
        let back =
            bytecode::decode(PyVersion::V3_8, &enc.code, &enc.linetable, None, 2).expect("decode");
        let starts: Vec<bool> = back.instrs.iter().map(|i| i.line_start).collect();
        assert_eq!(starts, [true, false, true, false, true, false]);
        // Without the flag the same lines encode without the extra range.
        ir.instrs[2].line_start = false;
        assert_eq!(
            bytecode::encode(&ir).expect("encode").linetable,
            [0, 1, 8, 1]
        );
    }
}
