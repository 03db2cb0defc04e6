//! The 3.11+ exception table (`Objects/exception_handling_notes.txt`).
//!
//! Entries are `(start, size, target, depth << 1 | lasti)` in code units, each
//! a big-endian varint of 6-bit chunks with 0x40 as the continuation bit; the
//! first byte of an entry also carries 0x80. We keep the entries as
//! instruction-index ranges and write them back in the same order.

use super::{err, BytecodeError, ExceptionEntry};

/// Decodes the table; `starts` holds the code unit at which each instruction
/// starts, plus the end of the code.
pub(super) fn decode(
    table: &[u8],
    starts: &[u32],
    out: &mut Vec<ExceptionEntry>,
) -> Result<(), BytecodeError> {
    let mut p = 0usize;
    let read = |p: &mut usize, first: bool| -> Result<u32, BytecodeError> {
        let at = *p;
        let mut b = *table.get(*p).ok_or_else(|| BytecodeError {
            offset: at,
            message: "truncated exception table".into(),
        })?;
        if first != (b & 0x80 != 0) {
            return err(at, "exception table entry marker misplaced");
        }
        *p += 1;
        let mut v = (b & 63) as u64;
        while b & 64 != 0 {
            b = *table.get(*p).ok_or_else(|| BytecodeError {
                offset: *p,
                message: "truncated exception table".into(),
            })?;
            if b & 0x80 != 0 {
                return err(*p, "exception table entry marker misplaced");
            }
            *p += 1;
            v = (v << 6) | (b & 63) as u64;
            if v > u32::MAX as u64 {
                return err(at, "exception table value too large");
            }
        }
        Ok(v as u32)
    };
    let index = |unit: u64, at: usize, what: &str| -> Result<u32, BytecodeError> {
        match usize::try_from(unit)
            .ok()
            .and_then(|u| super::index_at_unit(starts, u))
        {
            Some(i) => Ok(i),
            _ => err(
                at,
                format!("exception table {what} is not an instruction boundary"),
            ),
        }
    };
    let units = starts.last().copied().unwrap_or(0) as usize;
    while p < table.len() {
        let at = p;
        let start = read(&mut p, true)?;
        let size = read(&mut p, false)?;
        let target = read(&mut p, false)?;
        let dl = read(&mut p, false)?;
        let start_i = index(start as u64, at, "start")?;
        let end_i = index(start as u64 + size as u64, at, "end")?;
        let target_i = index(target as u64, at, "target")?;
        if target as usize >= units || size == 0 {
            return err(
                at,
                "exception table entry is empty or targets the end of the code",
            );
        }
        out.push(ExceptionEntry {
            start: start_i,
            end: end_i,
            target: target_i,
            depth: dl >> 1,
            lasti: dl & 1 != 0,
        });
    }
    Ok(())
}

fn write(out: &mut Vec<u8>, v: u32, first: bool) {
    let mut shift = 0;
    while shift + 6 < 32 && (v >> (shift + 6)) != 0 {
        shift += 6;
    }
    let mut mark = if first { 0x80 } else { 0 };
    loop {
        let chunk = ((v >> shift) & 63) as u8;
        if shift == 0 {
            out.push(chunk | mark);
            break;
        }
        out.push(chunk | 64 | mark);
        mark = 0;
        shift -= 6;
    }
}

/// Encodes entries for instruction offsets `starts` (code units).
pub(super) fn encode(
    entries: &[ExceptionEntry],
    starts: &[u32],
    out: &mut Vec<u8>,
) -> Result<(), BytecodeError> {
    let n = starts.len() - 1;
    for (k, e) in entries.iter().enumerate() {
        if e.start >= e.end || e.end as usize > n || e.target as usize >= n {
            return err(
                k,
                format!("exception entry {k} has an invalid range or target"),
            );
        }
        let start = starts[e.start as usize];
        let end = starts[e.end as usize];
        write(out, start, true);
        write(out, end - start, false);
        write(out, starts[e.target as usize], false);
        let dl = e
            .depth
            .checked_mul(2)
            .map(|d| d | e.lasti as u32)
            .ok_or_else(|| BytecodeError {
                offset: k,
                message: "exception depth too large".into(),
            })?;
        write(out, dl, false);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_msb_first_with_entry_marker() {
        let mut v = Vec::new();
        write(&mut v, 67, true);
        assert_eq!(v, [0xc1, 0x03]);
        let mut v = Vec::new();
        write(&mut v, 5, false);
        assert_eq!(v, [5]);
        let mut v = Vec::new();
        write(&mut v, 0, true);
        assert_eq!(v, [0x80]);
    }
}
