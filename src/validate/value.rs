//! The validator's own model of constants and its own evaluator of the few
//! operators the passes fold. It shares nothing with `crate::consts` (the
//! passes' model): a bug there must not be repeated here.
//!
//! The evaluator answers only what it can prove is exactly CPython's result
//! with no side effect (no exception, no warning); everything else is
//! `None`, and the operation stays an effect that the other side must repeat.

use crate::marshal::{Arena, NodeId, Value};

/// A constant, by type and value. Floats keep their bits (so `-0.0` and
/// `0.0` differ, and NaNs of the same bits are the same constant).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CVal {
    None,
    Ellipsis,
    StopIteration,
    Bool(bool),
    Int(i128),
    /// An int too large for `i128`: sign and base-2¹⁵ digits as stored.
    BigInt(bool, Vec<u8>),
    Float(u64),
    Complex(u64, u64),
    Str(Vec<u8>),
    Bytes(Vec<u8>),
    Tuple(Vec<CVal>),
    FrozenSet(Vec<CVal>),
    /// A nested code object, by its position in the file.
    Code(u32),
    /// A value only compared by its marshal spelling (text floats, slices,
    /// frozendicts …).
    Other(u8, Vec<CVal>, Vec<u8>),
    /// What `PUSH_NULL` (and 3.8's `BEGIN_FINALLY`) push.
    Null,
    /// 3.15's `LOAD_COMMON_CONSTANT n` for a non-constant `n`
    /// (`AssertionError`, `tuple`, …): the same builtin object every time.
    Common(u32),
}

/// Reads a marshal node as a constant.
pub fn read(arena: &Arena<'_>, id: NodeId, depth: u32) -> CVal {
    if depth > 200 {
        return CVal::Other(0, Vec::new(), Vec::new());
    }
    let items = |it| {
        arena
            .items(it)
            .iter()
            .map(|&k| read(arena, k, depth + 1))
            .collect::<Vec<_>>()
    };
    match arena.value(id) {
        Value::None => CVal::None,
        Value::True => CVal::Bool(true),
        Value::False => CVal::Bool(false),
        Value::StopIteration => CVal::StopIteration,
        Value::Ellipsis => CVal::Ellipsis,
        Value::Int(n) => CVal::Int(*n as i128),
        Value::Int64(n) => CVal::Int(*n as i128),
        Value::Long { size, digits } => long(*size, digits),
        Value::Float(bits) => CVal::Float(*bits),
        Value::Complex(r, i) => CVal::Complex(*r, *i),
        Value::Bytes(b) => CVal::Bytes(b.to_vec()),
        Value::Str(_, b) => CVal::Str(b.to_vec()),
        Value::Tuple { items: it, .. } => CVal::Tuple(items(*it)),
        Value::FrozenSet(it) => CVal::FrozenSet(items(*it)),
        Value::Code(c) => CVal::Code(c.0),
        Value::FloatText(t) => CVal::Other(b'f', Vec::new(), t.to_vec()),
        Value::ComplexText(a, b) => {
            let mut t = a.to_vec();
            t.push(0);
            t.extend_from_slice(b);
            CVal::Other(b'x', Vec::new(), t)
        }
        Value::List(it) => CVal::Other(b'[', items(*it), Vec::new()),
        Value::Dict(it) => CVal::Other(b'{', items(*it), Vec::new()),
        Value::Set(it) => CVal::Other(b'<', items(*it), Vec::new()),
        Value::Slice(it) => CVal::Other(b':', items(*it), Vec::new()),
        Value::FrozenDict(it) => CVal::Other(b'}', items(*it), Vec::new()),
    }
}

/// A marshal `l` int: `size` signed digit count, little-endian 15-bit digits.
fn long(size: i32, digits: &[u8]) -> CVal {
    let n = size.unsigned_abs() as usize;
    let ds: Vec<u16> = digits
        .chunks(2)
        .take(n)
        .map(|c| u16::from_le_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    if ds.len() <= 8 {
        let mut v: i128 = 0;
        for &d in ds.iter().rev() {
            v = (v << 15) | d as i128;
        }
        return CVal::Int(if size < 0 { -v } else { v });
    }
    // Normalize: drop high zero digits so equal values compare equal.
    let mut raw: Vec<u8> = ds.iter().flat_map(|d| d.to_le_bytes()).collect();
    while raw.len() >= 2 && raw[raw.len() - 2..] == [0, 0] {
        raw.truncate(raw.len() - 2);
    }
    CVal::BigInt(size < 0, raw)
}

/// Truth value, when it is known without calling anything.
pub fn truth(c: &CVal) -> Option<bool> {
    Some(match c {
        CVal::None => false,
        CVal::Ellipsis | CVal::StopIteration | CVal::Code(_) => true,
        CVal::Bool(b) => *b,
        CVal::Int(n) => *n != 0,
        CVal::BigInt(..) => true,
        CVal::Float(bits) => f64::from_bits(*bits) != 0.0,
        CVal::Complex(r, i) => f64::from_bits(*r) != 0.0 || f64::from_bits(*i) != 0.0,
        CVal::Str(s) | CVal::Bytes(s) => !s.is_empty(),
        CVal::Tuple(t) | CVal::FrozenSet(t) => !t.is_empty(),
        CVal::Other(..) | CVal::Null | CVal::Common(_) => return None,
    })
}

/// The binary operators, as 3.11+'s `BINARY_OP` numbers them (`NB_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bin {
    Add,
    And,
    FloorDiv,
    LShift,
    MatMul,
    Mul,
    Mod,
    Or,
    Pow,
    RShift,
    Sub,
    TrueDiv,
    Xor,
}

impl Bin {
    /// `BINARY_OP`'s argument (in-place forms 13–25 are the same operators
    /// on immutable values).
    pub fn from_nb(arg: u32) -> Option<Bin> {
        const ALL: [Bin; 13] = [
            Bin::Add,
            Bin::And,
            Bin::FloorDiv,
            Bin::LShift,
            Bin::MatMul,
            Bin::Mul,
            Bin::Mod,
            Bin::Or,
            Bin::Pow,
            Bin::RShift,
            Bin::Sub,
            Bin::TrueDiv,
            Bin::Xor,
        ];
        match arg {
            0..=12 => Some(ALL[arg as usize]),
            13..=25 => Some(ALL[arg as usize - 13]),
            _ => None,
        }
    }
}

/// Results larger than this many items/bytes are not evaluated.
const MAX_SIZE: usize = 4096;
/// Ints beyond this magnitude are not evaluated (well inside `i128`).
const MAX_INT: i128 = 1 << 100;

fn int_of(c: &CVal) -> Option<i128> {
    match c {
        CVal::Bool(b) => Some(*b as i128),
        CVal::Int(n) => Some(*n),
        _ => None,
    }
}

fn small(n: i128) -> Option<CVal> {
    (n.abs() <= MAX_INT).then_some(CVal::Int(n))
}

/// An int converted to float exactly, or nothing.
fn exact_f64(n: i128) -> Option<f64> {
    (n.abs() <= 1 << 53).then_some(n as f64)
}

fn finite(x: f64) -> Option<CVal> {
    x.is_finite().then_some(CVal::Float(x.to_bits()))
}

fn float_of(c: &CVal) -> Option<f64> {
    match c {
        CVal::Float(b) => Some(f64::from_bits(*b)),
        _ => int_of(c).and_then(exact_f64),
    }
}

/// `a op b` on built-in constants, when it is certainly CPython's result and
/// raises and warns nothing.
pub fn binary(op: Bin, a: &CVal, b: &CVal) -> Option<CVal> {
    let bools = matches!((a, b), (CVal::Bool(_), CVal::Bool(_)));
    if let (Some(x), Some(y)) = (int_of(a), int_of(b)) {
        return match op {
            Bin::Add => small(x + y),
            Bin::Sub => small(x - y),
            Bin::Mul => small(x.checked_mul(y)?),
            Bin::FloorDiv if y != 0 => {
                small(x.div_euclid(y) - i128::from(y < 0 && x.rem_euclid(y) != 0))
            }
            Bin::Mod if y != 0 => {
                let r = x.rem_euclid(y);
                small(if y < 0 && r != 0 { r + y } else { r })
            }
            Bin::Pow if (0..=128).contains(&y) => small(x.checked_pow(y as u32)?),
            Bin::LShift if (0..=100).contains(&y) => small(x.checked_mul(1i128 << y)?),
            Bin::RShift if y >= 0 => small(if y > 120 { -i128::from(x < 0) } else { x >> y }),
            Bin::And | Bin::Or | Bin::Xor => {
                let r = match op {
                    Bin::And => x & y,
                    Bin::Or => x | y,
                    _ => x ^ y,
                };
                if bools {
                    Some(CVal::Bool(r != 0))
                } else {
                    small(r)
                }
            }
            Bin::TrueDiv if y != 0 => finite(exact_f64(x)? / exact_f64(y)?),
            _ => None,
        };
    }
    let floats = matches!(a, CVal::Float(_)) || matches!(b, CVal::Float(_));
    if floats {
        let (x, y) = (float_of(a)?, float_of(b)?);
        return match op {
            Bin::Add => finite(x + y),
            Bin::Sub => finite(x - y),
            Bin::Mul => finite(x * y),
            Bin::TrueDiv if y != 0.0 => finite(x / y),
            _ => None,
        };
    }
    match (op, a, b) {
        (Bin::Add, CVal::Str(x), CVal::Str(y)) if x.len() + y.len() <= MAX_SIZE => {
            Some(CVal::Str([x.as_slice(), y].concat()))
        }
        (Bin::Add, CVal::Bytes(x), CVal::Bytes(y)) if x.len() + y.len() <= MAX_SIZE => {
            Some(CVal::Bytes([x.as_slice(), y].concat()))
        }
        (Bin::Add, CVal::Tuple(x), CVal::Tuple(y)) if x.len() + y.len() <= 256 => {
            Some(CVal::Tuple([x.as_slice(), y].concat()))
        }
        (Bin::Mul, s, n) | (Bin::Mul, n, s)
            if int_of(n).is_some()
                && matches!(s, CVal::Str(_) | CVal::Bytes(_) | CVal::Tuple(_)) =>
        {
            // A count beyond an index-sized int raises `OverflowError`;
            // one beyond the size limit is not evaluated (an empty
            // sequence would otherwise be repeated that many times).
            let k = int_of(n)?;
            if k.abs() > MAX_SIZE as i128 {
                return None;
            }
            let k = k.max(0) as usize;
            match s {
                CVal::Str(x) if x.len().checked_mul(k)? <= MAX_SIZE => Some(CVal::Str(x.repeat(k))),
                CVal::Bytes(x) if x.len().checked_mul(k)? <= MAX_SIZE => {
                    Some(CVal::Bytes(x.repeat(k)))
                }
                CVal::Tuple(x) if x.len().checked_mul(k)? <= 256 => Some(CVal::Tuple(
                    (0..k).flat_map(|_| x.iter().cloned()).collect(),
                )),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Unary `-`, `+`, `~` (`not` and `TO_BOOL` are [`truth`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Un {
    Neg,
    Pos,
    Invert,
}

pub fn unary(op: Un, a: &CVal) -> Option<CVal> {
    match (op, a) {
        // `~True` warns (3.12+); `-True`/`+True` give ints.
        (Un::Invert, CVal::Bool(_)) => None,
        (Un::Neg, _) if int_of(a).is_some() => small(-int_of(a)?),
        (Un::Pos, _) if int_of(a).is_some() => small(int_of(a)?),
        (Un::Invert, CVal::Int(n)) => small(!n),
        (Un::Neg, CVal::Float(b)) => Some(CVal::Float(b ^ (1 << 63))),
        (Un::Pos, CVal::Float(b)) => Some(CVal::Float(*b)),
        _ => None,
    }
}

/// Comparison operators, as `dis.cmp_op` numbers them.
pub fn compare(cmp: u32, a: &CVal, b: &CVal) -> Option<bool> {
    use std::cmp::Ordering;
    let ord = order(a, b);
    let eq = equal(a, b);
    match cmp {
        0 => ord.map(|o| o == Ordering::Less),
        1 => ord.map(|o| o != Ordering::Greater),
        2 => eq,
        3 => eq.map(|e| !e),
        4 => ord.map(|o| o == Ordering::Greater),
        5 => ord.map(|o| o != Ordering::Less),
        _ => None,
    }
}

/// `a == b` for built-in constants, when it calls nothing that could warn.
pub fn equal(a: &CVal, b: &CVal) -> Option<bool> {
    if let (Some(x), Some(y)) = (int_of(a), int_of(b)) {
        return Some(x == y);
    }
    let num = |c: &CVal| matches!(c, CVal::Bool(_) | CVal::Int(_) | CVal::Float(_));
    if num(a) && num(b) {
        let (x, y) = (float_of(a)?, float_of(b)?);
        return Some(x == y);
    }
    match (a, b) {
        (CVal::Str(x), CVal::Str(y)) | (CVal::Bytes(x), CVal::Bytes(y)) => Some(x == y),
        // str == bytes warns under -b.
        (CVal::Str(_), CVal::Bytes(_)) | (CVal::Bytes(_), CVal::Str(_)) => None,
        (CVal::None, CVal::None) => Some(true),
        // CPython compares the items up to the shorter length before the
        // lengths (so `(1,) == (b'a', 2)` warns under -b), and compares
        // items by identity first (a NaN item equals itself when both
        // tuples hold the same object, which constants may).
        (CVal::Tuple(x), CVal::Tuple(y)) => {
            let nan = |c: &CVal| matches!(c, CVal::Float(b) if f64::from_bits(*b).is_nan());
            for (p, q) in x.iter().zip(y) {
                if nan(p) && nan(q) {
                    return None;
                }
                if !equal(p, q)? {
                    return Some(false);
                }
            }
            Some(x.len() == y.len())
        }
        _ => {
            let plain = |c: &CVal| {
                matches!(
                    c,
                    CVal::None
                        | CVal::Bool(_)
                        | CVal::Int(_)
                        | CVal::Float(_)
                        | CVal::Str(_)
                        | CVal::Tuple(_)
                )
            };
            // Different built-in types of these kinds are never equal.
            (plain(a)
                && plain(b)
                && std::mem::discriminant(a) != std::mem::discriminant(b)
                && !(num(a) && num(b)))
            .then_some(false)
        }
    }
}

fn order(a: &CVal, b: &CVal) -> Option<std::cmp::Ordering> {
    if let (Some(x), Some(y)) = (int_of(a), int_of(b)) {
        return Some(x.cmp(&y));
    }
    match (a, b) {
        (CVal::Float(_), _) | (_, CVal::Float(_)) => {
            let (x, y) = (float_of(a)?, float_of(b)?);
            x.partial_cmp(&y)
        }
        // UTF-8 byte order is code point order.
        (CVal::Str(x), CVal::Str(y)) | (CVal::Bytes(x), CVal::Bytes(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// `x in container` for a constant tuple or frozenset, when every
/// comparison is known (NaN-free: `in` tests identity first).
pub fn contains(x: &CVal, container: &CVal) -> Option<bool> {
    let items = match container {
        CVal::Tuple(t) | CVal::FrozenSet(t) => t,
        _ => return None,
    };
    let nan = |c: &CVal| matches!(c, CVal::Float(b) if f64::from_bits(*b).is_nan());
    if nan(x) || matches!(x, CVal::Complex(..)) {
        return None;
    }
    for item in items {
        if nan(item) {
            return None;
        }
        if equal(x, item)? {
            return Some(true);
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: f64) -> CVal {
        CVal::Float(x.to_bits())
    }

    #[test]
    fn python_floor_division_and_modulo() {
        let i = CVal::Int;
        assert_eq!(binary(Bin::FloorDiv, &i(-7), &i(2)), Some(i(-4)));
        assert_eq!(binary(Bin::FloorDiv, &i(7), &i(-2)), Some(i(-4)));
        assert_eq!(binary(Bin::FloorDiv, &i(-7), &i(-2)), Some(i(3)));
        assert_eq!(binary(Bin::Mod, &i(-7), &i(2)), Some(i(1)));
        assert_eq!(binary(Bin::Mod, &i(7), &i(-2)), Some(i(-1)));
        assert_eq!(binary(Bin::Mod, &i(7), &i(0)), None);
        assert_eq!(binary(Bin::Pow, &i(2), &i(-1)), None);
        assert_eq!(binary(Bin::RShift, &i(-1), &i(500)), Some(i(-1)));
        assert_eq!(binary(Bin::LShift, &i(1), &i(-1)), None);
    }

    #[test]
    fn types_are_kept() {
        let t = CVal::Bool(true);
        assert_eq!(binary(Bin::Add, &t, &t), Some(CVal::Int(2)));
        assert_eq!(
            binary(Bin::And, &t, &CVal::Bool(false)),
            Some(CVal::Bool(false))
        );
        assert_eq!(binary(Bin::Add, &CVal::Int(1), &f(0.5)), Some(f(1.5)));
        assert_eq!(
            binary(Bin::TrueDiv, &CVal::Int(1), &CVal::Int(2)),
            Some(f(0.5))
        );
        assert_eq!(unary(Un::Neg, &f(0.0)), Some(f(-0.0)));
        assert_eq!(unary(Un::Invert, &t), None);
        assert_eq!(unary(Un::Neg, &t), Some(CVal::Int(-1)));
    }

    /// Found by `tests/validate_eval.rs`: a repetition count beyond an
    /// index-sized int raised in CPython (and `() * 2**63` looped here);
    /// tuple equality compares items before lengths (`(1, 2) == (b'a',)`
    /// warns under -b); a NaN item may be the same object on both sides.
    #[test]
    fn repetition_counts_and_tuple_equality_as_cpython() {
        let big = CVal::Int((1 << 64) + 1);
        assert_eq!(binary(Bin::Mul, &CVal::Str(b"a".to_vec()), &big), None);
        assert_eq!(
            binary(Bin::Mul, &CVal::Tuple(vec![]), &CVal::Int(1 << 63)),
            None
        );
        assert_eq!(
            binary(Bin::Mul, &CVal::Tuple(vec![]), &CVal::Int(-(1 << 100))),
            None
        );
        let pair = CVal::Tuple(vec![CVal::Int(1), CVal::Int(2)]);
        let bytes = CVal::Tuple(vec![CVal::Bytes(b"a".to_vec())]);
        assert_eq!(equal(&pair, &bytes), None);
        assert_eq!(equal(&pair, &CVal::Tuple(vec![CVal::Int(2)])), Some(false));
        let nan = CVal::Tuple(vec![f(f64::NAN)]);
        assert_eq!(equal(&nan, &nan), None);
    }

    #[test]
    fn comparisons_refuse_what_may_warn_or_raise() {
        assert_eq!(compare(0, &CVal::Int(1), &f(1.5)), Some(true));
        assert_eq!(
            compare(2, &CVal::Str(b"a".to_vec()), &CVal::Bytes(b"a".to_vec())),
            None
        );
        assert_eq!(compare(0, &CVal::Str(b"a".to_vec()), &CVal::Int(1)), None);
        assert_eq!(
            compare(2, &CVal::Str(b"a".to_vec()), &CVal::Int(1)),
            Some(false)
        );
        assert_eq!(compare(3, &CVal::Int(1), &CVal::Bool(true)), Some(false));
        let nan = f(f64::NAN);
        assert_eq!(contains(&nan, &CVal::Tuple(vec![nan.clone()])), None);
        assert_eq!(
            contains(&CVal::Int(1), &CVal::Tuple(vec![f(1.0)])),
            Some(true)
        );
    }
}
