//! `pyopt dis`: a readable listing of the instruction IR of every code object.
//!
//! One line per instruction: byte offset (of its first EXTENDED_ARG prefix, as
//! jump targets count it), line number where a new line starts, opname,
//! argument, and the argument's meaning (constant, name, local, jump target,
//! comparison) in parentheses.

use std::fmt::Write;

use crate::bytecode::{CodeIr, NO_POS};
use crate::error::Error;
use crate::marshal::{Arena, NodeId, Value};
use crate::roundtrip::PycFile;
use crate::version::{ArgKind, CodeLayout, JumpKind};

/// Disassembles a whole `.pyc`; `filter` keeps code objects whose qualified
/// name contains it.
pub fn disassemble(data: &[u8], filter: Option<&str>) -> Result<String, Error> {
    let file = PycFile::parse(data)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# CPython {} .pyc, {:?}",
        file.version(),
        file.header.invalidation
    );
    for id in file.code_ids() {
        let name = file.qualname(id);
        if filter.is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let ir = file.decode_code(id)?;
        let c = file.module.arena.code(id);
        let _ = writeln!(
            out,
            "\n## {name} (line {}, flags {:#x}, stacksize {}, {} instructions)",
            c.firstlineno,
            c.flags,
            c.stacksize,
            ir.instrs.len()
        );
        listing(&file, id, &ir, &mut out);
    }
    Ok(out)
}

/// The listing of one code object's instructions (`ir` may be an optimized
/// version of the code object `id` of `file`; names resolve through its tables).
pub fn listing_ir(file: &PycFile<'_>, id: crate::marshal::CodeId, ir: &CodeIr) -> String {
    let mut out = String::new();
    listing(file, id, ir, &mut out);
    out
}

/// A code object's listing, line by line, kept apart so that two listings
/// of the same code object can be compared ([`Listing::unified_diff`]).
pub struct Listing {
    rows: Vec<Row>,
    /// Rows `0..instructions` are the instructions (row `i` is instruction `i`).
    instructions: usize,
    /// Width of the opname column.
    width: usize,
}

/// One line of a listing.
struct Row {
    /// What the line says, without byte offsets: two rows with the same
    /// key and corresponding [`Row::refs`] are the same line.
    key: String,
    /// Instructions the line points at (a jump's target; an exception
    /// entry's start, end and handler), by index; `instructions` = the end.
    refs: Vec<usize>,
    text: RowText,
}

enum RowText {
    /// Line-number column, offset, opname, the rest (argument and meaning).
    Instruction(String, u32, &'static str, String),
    Other(String),
}

impl Listing {
    /// The listing of `ir`, a version of code object `id` of `file` (names
    /// resolve through the file's current tables).
    pub fn of(file: &PycFile<'_>, id: crate::marshal::CodeId, ir: &CodeIr) -> Listing {
        build(file, id, ir)
    }

    fn line(&self, row: &Row, width: usize) -> String {
        match &row.text {
            RowText::Instruction(line_col, offset, op, rest) => {
                format!("{line_col:>6} {offset:>6} {op:<width$}{rest}")
            }
            RowText::Other(text) => text.clone(),
        }
    }

    fn lines(&self, width: usize) -> Vec<String> {
        self.rows.iter().map(|r| self.line(r, width)).collect()
    }

    /// A unified diff from this listing to `after` (see [`crate::diff`]),
    /// headed `--- LABEL (before)` / `+++ LABEL (after)`; empty when they
    /// say the same. Lines are compared without their byte offsets, which
    /// move whenever an instruction before them is added or removed; a jump
    /// or exception entry is unchanged only if it points at the
    /// corresponding instruction. When nothing but offsets changed
    /// (EXTENDED_ARG prefixes), the lines are compared as printed. A change
    /// the listing does not show (a constant no instruction loads, flags,
    /// stack size) gives an empty diff.
    pub fn unified_diff(&self, after: &Listing, label: &str) -> String {
        let old_keys: Vec<&str> = self.rows.iter().map(|r| r.key.as_str()).collect();
        let new_keys: Vec<&str> = after.rows.iter().map(|r| r.key.as_str()).collect();
        let mut edits = crate::diff::edits(&old_keys, &new_keys);
        // Which new instruction each old instruction became.
        let mut map: Vec<Option<usize>> = vec![None; self.instructions + 1];
        map[self.instructions] = Some(after.instructions);
        for e in &edits {
            if let crate::diff::Edit::Equal(a, b) = *e {
                if a < self.instructions && b < after.instructions {
                    map[a] = Some(b);
                }
            }
        }
        let mut split = Vec::with_capacity(edits.len());
        for e in edits.drain(..) {
            match e {
                crate::diff::Edit::Equal(a, b)
                    if !self.rows[a]
                        .refs
                        .iter()
                        .map(|&r| map.get(r).copied().flatten())
                        .eq(after.rows[b].refs.iter().map(|&r| Some(r))) =>
                {
                    split.push(crate::diff::Edit::Delete(a));
                    split.push(crate::diff::Edit::Insert(b));
                }
                e => split.push(e),
            }
        }
        crate::diff::normalize(&mut split);
        let width = self.width.max(after.width);
        let (old_lines, new_lines) = (self.lines(width), after.lines(width));
        let mut hunks = crate::diff::hunks(&split, crate::diff::CONTEXT);
        if hunks.is_empty() {
            // Only offsets moved (EXTENDED_ARG prefixes came or went): show
            // where, by comparing the lines as printed.
            split = crate::diff::edits(&old_lines, &new_lines);
            hunks = crate::diff::hunks(&split, crate::diff::CONTEXT);
        }
        if hunks.is_empty() {
            return String::new();
        }
        let mut out = format!("--- {label} (before)\n+++ {label} (after)\n");
        crate::diff::write_hunks(&mut out, &split, &hunks, &old_lines, &new_lines);
        out
    }
}

/// Names visible to an instruction argument of a code object.
struct Names<'f> {
    arena: &'f Arena<'f>,
    consts: &'f [NodeId],
    names: &'f [NodeId],
    locals: &'f [NodeId],
    /// ≤3.10 cellvars followed by freevars; 3.11+ the same as `locals`.
    free: Vec<NodeId>,
}

fn listing(file: &PycFile<'_>, id: crate::marshal::CodeId, ir: &CodeIr, out: &mut String) {
    let l = build(file, id, ir);
    for row in &l.rows {
        out.push_str(&l.line(row, l.width));
        out.push('\n');
    }
}

fn build(file: &PycFile<'_>, id: crate::marshal::CodeId, ir: &CodeIr) -> Listing {
    let arena = &file.module.arena;
    let c = arena.code(id);
    let tuple = |n: Option<NodeId>| n.and_then(|n| arena.as_tuple(n)).unwrap_or(&[]);
    let mut free: Vec<NodeId> = Vec::new();
    if ir.version.facts().code_layout == CodeLayout::SeparateNames {
        free.extend_from_slice(tuple(c.cellvars));
        free.extend_from_slice(tuple(c.freevars));
    } else {
        free.extend_from_slice(tuple(Some(c.varnames)));
    }
    let names = Names {
        arena,
        consts: tuple(Some(c.consts)),
        names: tuple(Some(c.names)),
        locals: tuple(Some(c.varnames)),
        free,
    };
    let table = ir.version.table();
    let starts = ir.unit_offsets();
    let mut last_line = NO_POS - 1;
    let width = ir
        .instrs
        .iter()
        .map(|i| i.op.name().len())
        .max()
        .unwrap_or(10)
        .max(10);
    let mut rows = Vec::with_capacity(ir.instrs.len() + ir.exceptions.len() + 1);
    for (i, ins) in ir.instrs.iter().enumerate() {
        let line = ins.loc.line;
        let line_col = if line != last_line {
            last_line = line;
            if line == NO_POS {
                "--".to_string()
            } else {
                line.to_string()
            }
        } else {
            String::new()
        };
        let info = table.info(ins.op);
        let has_arg = info.is_some_and(|i| i.has_arg);
        let mut rest = String::new();
        let mut refs = Vec::new();
        if has_arg {
            let shown = match info.map(|i| i.jump) {
                Some(JumpKind::None) | None => ins.arg.to_string(),
                Some(_) => {
                    refs.push(ins.arg as usize);
                    format!("-> {}", starts.get(ins.arg as usize).map_or(0, |s| s * 2))
                }
            };
            let _ = write!(rest, " {shown}");
            if let Some(meaning) = info.and_then(|inf| {
                meaning(&names, ins.op, inf.arg_kind, inf.name_shift, ins.arg, table)
            }) {
                let _ = write!(rest, " ({meaning})");
            }
        }
        // A jump target's offset is not part of what is compared.
        let key = if refs.is_empty() {
            format!("{line} {}{rest}", ins.op.name())
        } else {
            format!("{line} {} ->", ins.op.name())
        };
        rows.push(Row {
            key,
            refs,
            text: RowText::Instruction(line_col, starts[i] * 2, ins.op.name(), rest),
        });
    }
    if !ir.exceptions.is_empty() {
        rows.push(Row {
            key: "ExceptionTable:".to_string(),
            refs: Vec::new(),
            text: RowText::Other("ExceptionTable:".to_string()),
        });
        for e in &ir.exceptions {
            let lasti = if e.lasti { " lasti" } else { "" };
            let offset = |i: u32| starts.get(i as usize).map_or(0, |s| s * 2);
            rows.push(Row {
                key: format!("exception [{}]{lasti}", e.depth),
                refs: vec![e.start as usize, e.end as usize, e.target as usize],
                text: RowText::Other(format!(
                    "  {} to {} -> {} [{}]{lasti}",
                    offset(e.start),
                    offset(e.end),
                    offset(e.target),
                    e.depth,
                )),
            });
        }
    }
    Listing {
        rows,
        instructions: ir.instrs.len(),
        width,
    }
}

fn meaning(
    n: &Names<'_>,
    op: crate::version::Op,
    kind: ArgKind,
    shift: u8,
    arg: u32,
    table: &crate::version::VersionTable,
) -> Option<String> {
    let get = |list: &[NodeId], i: u32| list.get(i as usize).copied();
    match kind {
        ArgKind::Const => get(n.consts, arg).map(|c| repr(n.arena, c, 0)),
        ArgKind::Name => get(n.names, arg >> shift).and_then(|s| n.arena.as_string(s)),
        ArgKind::Local => {
            // 3.13+ superinstructions pack two local indexes into nibbles.
            if op.packs_two_locals() {
                let (a, b) = (arg >> 4, arg & 15);
                let a = get(n.locals, a).and_then(|s| n.arena.as_string(s))?;
                let b = get(n.locals, b).and_then(|s| n.arena.as_string(s))?;
                return Some(format!("{a}, {b}"));
            }
            get(n.locals, arg).and_then(|s| n.arena.as_string(s))
        }
        ArgKind::Free => get(&n.free, arg).and_then(|s| n.arena.as_string(s)),
        ArgKind::Compare => {
            let idx = arg >> table.version.facts().compare_op_arg_shift;
            table.cmp_op.get(idx as usize).map(|s| s.to_string())
        }
        _ => None,
    }
}

/// A Python-like repr of a constant, shortened past a few levels.
pub fn repr(arena: &Arena<'_>, id: NodeId, depth: usize) -> String {
    if depth > 3 {
        return "...".into();
    }
    let seq = |items: &[NodeId], open: &str, close: &str| {
        let mut s = String::from(open);
        for (i, k) in items.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            if i >= 8 {
                s.push_str("...");
                break;
            }
            s.push_str(&repr(arena, *k, depth + 1));
        }
        if items.len() == 1 && open == "(" {
            s.push(',');
        }
        s.push_str(close);
        s
    };
    match arena.value(id) {
        Value::None => "None".into(),
        Value::True => "True".into(),
        Value::False => "False".into(),
        Value::StopIteration => "StopIteration".into(),
        Value::Ellipsis => "Ellipsis".into(),
        Value::Int(v) => v.to_string(),
        Value::Int64(v) => v.to_string(),
        Value::Long { size, digits } => long_repr(*size, digits),
        Value::Float(bits) => float_repr(f64::from_bits(*bits)),
        Value::FloatText(t) => String::from_utf8_lossy(t).into_owned(),
        Value::Complex(re, im) => {
            format!(
                "({}+{}j)",
                float_repr(f64::from_bits(*re)),
                float_repr(f64::from_bits(*im))
            )
        }
        Value::ComplexText(re, im) => {
            format!(
                "({}+{}j)",
                String::from_utf8_lossy(re),
                String::from_utf8_lossy(im)
            )
        }
        Value::Bytes(b) => {
            let mut s = String::from("b'");
            for &c in b.iter().take(60) {
                match c {
                    b'\'' => s.push_str("\\'"),
                    b'\\' => s.push_str("\\\\"),
                    0x20..=0x7e => s.push(c as char),
                    _ => {
                        let _ = write!(s, "\\x{c:02x}");
                    }
                }
            }
            if b.len() > 60 {
                s.push_str("...");
            }
            s.push('\'');
            s
        }
        Value::Str(_, b) => {
            let text = String::from_utf8_lossy(b);
            let short: String = text.chars().take(60).collect();
            let mut s = format!("{short:?}");
            if text.chars().count() > 60 {
                s.insert_str(s.len() - 1, "...");
            }
            // Python quotes with single quotes by default.
            if !short.contains('\'') {
                s = format!("'{}'", &s[1..s.len() - 1].replace("\\\"", "\""));
            }
            s
        }
        Value::Tuple { items, .. } => seq(arena.items(*items), "(", ")"),
        Value::List(items) => seq(arena.items(*items), "[", "]"),
        Value::Set(items) => seq(arena.items(*items), "{", "}"),
        Value::FrozenSet(items) => format!("frozenset({})", seq(arena.items(*items), "{", "}")),
        Value::Slice(items) => {
            let parts: Vec<String> = arena
                .items(*items)
                .iter()
                .map(|&k| repr(arena, k, depth + 1))
                .collect();
            format!("slice({})", parts.join(", "))
        }
        Value::Dict(items) | Value::FrozenDict(items) => {
            let kv = arena.items(*items);
            let parts: Vec<String> = kv
                .chunks(2)
                .take(8)
                .map(|p| {
                    format!(
                        "{}: {}",
                        repr(arena, p[0], depth + 1),
                        p.get(1)
                            .map_or(String::new(), |v| repr(arena, *v, depth + 1))
                    )
                })
                .collect();
            let dict = format!("{{{}}}", parts.join(", "));
            if matches!(arena.value(id), Value::FrozenDict(_)) {
                format!("frozendict({dict})")
            } else {
                dict
            }
        }
        Value::Code(cid) => {
            let c = arena.code(*cid);
            let name = c
                .qualname
                .and_then(|q| arena.as_string(q))
                .or_else(|| arena.as_string(c.name))
                .unwrap_or_default();
            format!("<code object {name}, line {}>", c.firstlineno)
        }
    }
}

fn float_repr(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else if f == f.trunc() && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

fn long_repr(size: i32, digits: &[u8]) -> String {
    // Base 2^15 digits, least significant first; print in decimal via u128
    // when it fits, hex otherwise.
    let mut v: u128 = 0;
    let n = digits.len() / 2;
    if n * 15 <= 120 {
        for k in (0..n).rev() {
            let d = u16::from_le_bytes([digits[2 * k], digits[2 * k + 1]]) as u128;
            v = (v << 15) | d;
        }
        let sign = if size < 0 { "-" } else { "" };
        return format!("{sign}{v}");
    }
    format!("<int of {} bits>", n * 15)
}
