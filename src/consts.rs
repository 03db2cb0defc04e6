//! Constants as the optimization passes see them: a small model of the
//! built-in immutable values that can sit in `co_consts`, read from and
//! written to the marshal arena, and the Python semantics of the operators
//! that constant folding evaluates on them.
//!
//! Every operation answers `None` ("do not fold") unless the result is the
//! one CPython computes, of the same type, without raising and without a
//! warning, and within the limits of CPython's own AST optimizer
//! (`Python/ast_opt.c`: 128-bit ints, 4096-character strings and bytes,
//! 256-item collections). Floats are folded only where IEEE-754 double
//! arithmetic is what CPython does (`+ - * /`, no `//`, `%`, `**`), ints only
//! when they fit in an `i128` with room to spare, and NaN never takes part
//! (it is unequal to itself, so merging or comparing it is not value-safe).

use std::borrow::Cow;

use crate::marshal::{Arena, NodeId, StrKind, Value};

/// Largest magnitude of an int result, in bits (CPython's `MAX_INT_SIZE`).
const MAX_INT_BITS: u32 = 128;
/// Longest str or bytes result (CPython's `MAX_STR_SIZE`).
const MAX_STR_SIZE: usize = 4096;
/// Most items in a tuple result (CPython's `MAX_COLLECTION_SIZE`).
const MAX_COLLECTION_SIZE: usize = 256;
/// Ints mixed with floats must convert exactly: |i| <= 2**53.
const EXACT_FLOAT_INT: i128 = 1 << 53;

/// A constant value.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Const>),
    FrozenSet(Vec<Const>),
    Ellipsis,
}

/// Binary operators, in the numbering of 3.11+ `BINARY_OP` (0–12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
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

impl BinOp {
    /// The operator of a 3.11+ `BINARY_OP` argument (in-place forms 13–25
    /// map to the same operator: on immutable constants they are the same).
    pub fn from_binary_op_arg(arg: u32) -> Option<BinOp> {
        use BinOp::*;
        const ALL: [BinOp; 13] = [
            Add, And, FloorDiv, LShift, MatMul, Mul, Mod, Or, Pow, RShift, Sub, TrueDiv, Xor,
        ];
        ALL.get((arg % 13) as usize).copied().filter(|_| arg < 26)
    }
}

/// Rich comparison operators, in `cmp_op` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn from_index(i: u32) -> Option<CmpOp> {
        use CmpOp::*;
        [Lt, Le, Eq, Ne, Gt, Ge].get(i as usize).copied()
    }
}

/// Reads a constant node (nested tuples to a bounded depth).
pub fn read(arena: &Arena<'_>, id: NodeId) -> Option<Const> {
    read_depth(arena, id, 0)
}

fn read_depth(arena: &Arena<'_>, id: NodeId, depth: u32) -> Option<Const> {
    if depth > 8 {
        return None;
    }
    Some(match arena.value(id) {
        Value::None => Const::None,
        Value::True => Const::Bool(true),
        Value::False => Const::Bool(false),
        Value::Ellipsis => Const::Ellipsis,
        Value::Int(i) => Const::Int(*i as i128),
        Value::Int64(i) => Const::Int(*i as i128),
        Value::Long { size, digits } => Const::Int(long_to_i128(*size, digits)?),
        Value::Float(bits) => Const::Float(f64::from_bits(*bits)),
        Value::Str(_, bytes) => Const::Str(String::from_utf8(bytes.to_vec()).ok()?),
        Value::Bytes(b) => Const::Bytes(b.to_vec()),
        Value::Tuple { items, .. } => Const::Tuple(
            arena
                .items(*items)
                .iter()
                .map(|&k| read_depth(arena, k, depth + 1))
                .collect::<Option<Vec<_>>>()?,
        ),
        Value::FrozenSet(items) => Const::FrozenSet(
            arena
                .items(*items)
                .iter()
                .map(|&k| read_depth(arena, k, depth + 1))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

/// Marshal's base-2**15 digits (little-endian u16 each) to an i128, if it fits
/// in [`MAX_INT_BITS`] - 1 bits.
fn long_to_i128(size: i32, digits: &[u8]) -> Option<i128> {
    let n = size.unsigned_abs() as usize;
    if n * 15 > 120 || digits.len() != n * 2 {
        return None;
    }
    let mut v: i128 = 0;
    for k in (0..n).rev() {
        let d = u16::from_le_bytes([digits[2 * k], digits[2 * k + 1]]);
        if d >= 1 << 15 {
            return None;
        }
        v = (v << 15) | d as i128;
    }
    Some(if size < 0 { -v } else { v })
}

/// Adds a constant to the arena as a new node, spelled the way CPython's
/// marshal writes a value of its type.
pub fn write<'a>(arena: &mut Arena<'a>, c: &Const) -> NodeId {
    let value: Value<'a> = match c {
        Const::None => Value::None,
        Const::Bool(true) => Value::True,
        Const::Bool(false) => Value::False,
        Const::Ellipsis => Value::Ellipsis,
        Const::Int(i) => match i32::try_from(*i) {
            Ok(small) => Value::Int(small),
            Err(_) => {
                let mut mag = i.unsigned_abs();
                let mut digits = Vec::new();
                while mag > 0 {
                    digits.extend_from_slice(&((mag & 0x7fff) as u16).to_le_bytes());
                    mag >>= 15;
                }
                let n = (digits.len() / 2) as i32;
                Value::Long {
                    size: if *i < 0 { -n } else { n },
                    digits: Cow::Owned(digits),
                }
            }
        },
        Const::Float(f) => Value::Float(f.to_bits()),
        Const::Str(s) => {
            let kind = match (s.is_ascii(), s.len() < 256) {
                (true, true) => StrKind::ShortAscii,
                (true, false) => StrKind::Ascii,
                (false, _) => StrKind::Unicode,
            };
            Value::Str(kind, Cow::Owned(s.as_bytes().to_vec()))
        }
        Const::Bytes(b) => Value::Bytes(Cow::Owned(b.clone())),
        Const::Tuple(items) | Const::FrozenSet(items) => {
            let ids: Vec<NodeId> = items.iter().map(|k| write(arena, k)).collect();
            let items = arena.push_items(&ids);
            if matches!(c, Const::Tuple(_)) {
                Value::Tuple {
                    small: ids.len() < 256,
                    items,
                }
            } else {
                Value::FrozenSet(items)
            }
        }
    };
    arena.push(value, false)
}

/// Whether two constants are the same object value for `co_consts`
/// purposes: same type, same value, floats bit for bit, NaN never.
pub fn same(a: &Const, b: &Const) -> bool {
    match (a, b) {
        (Const::Float(x), Const::Float(y)) => !x.is_nan() && x.to_bits() == y.to_bits(),
        (Const::Tuple(x), Const::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Const::FrozenSet(_), _) | (_, Const::FrozenSet(_)) => false,
        _ => a == b,
    }
}

/// Whether the node `id` holds exactly `c` in the sense of [`same`], without
/// building a [`Const`] for it (`const_index` scans every constant of a
/// code object for each folded value).
pub fn node_is(arena: &Arena<'_>, id: NodeId, c: &Const) -> bool {
    match (arena.value(id), c) {
        (Value::None, Const::None) | (Value::Ellipsis, Const::Ellipsis) => true,
        (Value::True, Const::Bool(true)) | (Value::False, Const::Bool(false)) => true,
        (Value::Int(i), Const::Int(j)) => *i as i128 == *j,
        (Value::Int64(i), Const::Int(j)) => *i as i128 == *j,
        (Value::Long { size, digits }, Const::Int(j)) => long_to_i128(*size, digits) == Some(*j),
        (Value::Float(bits), Const::Float(f)) => !f.is_nan() && *bits == f.to_bits(),
        (Value::Str(_, bytes), Const::Str(s)) => bytes.as_ref() == s.as_bytes(),
        (Value::Bytes(b), Const::Bytes(c)) => b.as_ref() == c.as_slice(),
        (Value::Tuple { items, .. }, Const::Tuple(cs)) => {
            let ids = arena.items(*items);
            ids.len() == cs.len() && ids.iter().zip(cs).all(|(&k, c)| node_is(arena, k, c))
        }
        _ => false,
    }
}

/// `bool(c)` for a built-in constant.
pub fn truth(c: &Const) -> Option<bool> {
    Some(match c {
        Const::None => false,
        Const::Bool(b) => *b,
        Const::Int(i) => *i != 0,
        Const::Float(f) => *f != 0.0,
        Const::Str(s) => !s.is_empty(),
        Const::Bytes(b) => !b.is_empty(),
        Const::Tuple(t) | Const::FrozenSet(t) => !t.is_empty(),
        Const::Ellipsis => true,
    })
}

fn bits(i: i128) -> u32 {
    128 - i.unsigned_abs().leading_zeros()
}

fn int_ok(i: i128) -> Option<Const> {
    (bits(i) < MAX_INT_BITS - 8).then_some(Const::Int(i))
}

fn float_ok(f: f64) -> Option<Const> {
    f.is_finite().then_some(Const::Float(f))
}

/// An int operand (bools are ints in arithmetic).
fn as_int(c: &Const) -> Option<i128> {
    match c {
        Const::Int(i) => Some(*i),
        Const::Bool(b) => Some(*b as i128),
        _ => None,
    }
}

/// A float operand: a float, or an int/bool that converts exactly.
fn as_float(c: &Const) -> Option<f64> {
    match c {
        Const::Float(f) if !f.is_nan() => Some(*f),
        Const::Float(_) => None,
        _ => as_int(c)
            .filter(|i| i.abs() <= EXACT_FLOAT_INT)
            .map(|i| i as f64),
    }
}

/// `-c`, `+c`, `~c`.
pub fn negative(c: &Const) -> Option<Const> {
    match c {
        Const::Float(f) if !f.is_nan() => Some(Const::Float(-f)),
        _ => int_ok(as_int(c)?.checked_neg()?),
    }
}

pub fn positive(c: &Const) -> Option<Const> {
    match c {
        Const::Float(f) if !f.is_nan() => Some(Const::Float(*f)),
        _ => int_ok(as_int(c)?),
    }
}

/// `~c` for ints only: `~True` is deprecated on 3.12+ (a DeprecationWarning
/// at run time, which folding would swallow).
pub fn invert(c: &Const) -> Option<Const> {
    match c {
        Const::Int(i) => int_ok(!i),
        _ => None,
    }
}

fn repeat_len(len: usize, n: i128, limit: usize) -> Option<usize> {
    if n <= 0 {
        return Some(0);
    }
    let total = (len as i128).checked_mul(n)?;
    (total <= limit as i128).then_some(total as usize)
}

/// `a <op> b`.
pub fn binary(op: BinOp, a: &Const, b: &Const) -> Option<Const> {
    use BinOp::*;
    // Sequences first: str/bytes/tuple concatenation and repetition.
    match (op, a, b) {
        (Add, Const::Str(x), Const::Str(y)) if x.len() + y.len() <= MAX_STR_SIZE => {
            return Some(Const::Str(format!("{x}{y}")))
        }
        (Add, Const::Bytes(x), Const::Bytes(y)) if x.len() + y.len() <= MAX_STR_SIZE => {
            return Some(Const::Bytes([x.as_slice(), y.as_slice()].concat()))
        }
        (Add, Const::Tuple(x), Const::Tuple(y)) if x.len() + y.len() <= MAX_COLLECTION_SIZE => {
            return Some(Const::Tuple(x.iter().chain(y).cloned().collect()))
        }
        (Mul, Const::Str(s), n) | (Mul, n, Const::Str(s)) if as_int(n).is_some() => {
            let n = as_int(n)?;
            repeat_len(s.len(), n, MAX_STR_SIZE)?;
            return Some(Const::Str(s.repeat(n.max(0) as usize)));
        }
        (Mul, Const::Bytes(s), n) | (Mul, n, Const::Bytes(s)) if as_int(n).is_some() => {
            let n = as_int(n)?;
            repeat_len(s.len(), n, MAX_STR_SIZE)?;
            return Some(Const::Bytes(s.repeat(n.max(0) as usize)));
        }
        (Mul, Const::Tuple(t), n) | (Mul, n, Const::Tuple(t)) if as_int(n).is_some() => {
            let n = as_int(n)?;
            repeat_len(t.len(), n, MAX_COLLECTION_SIZE)?;
            let mut out = Vec::new();
            for _ in 0..n.max(0) {
                out.extend(t.iter().cloned());
            }
            return Some(Const::Tuple(out));
        }
        _ => {}
    }
    // bool & | ^ bool stays a bool.
    if let (Const::Bool(x), Const::Bool(y)) = (a, b) {
        match op {
            And => return Some(Const::Bool(x & y)),
            Or => return Some(Const::Bool(x | y)),
            Xor => return Some(Const::Bool(x ^ y)),
            _ => {}
        }
    }
    if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
        // Int ⊕ int.
        return match op {
            Add => int_ok(x.checked_add(y)?),
            Sub => int_ok(x.checked_sub(y)?),
            Mul => {
                if bits(x) + bits(y) > MAX_INT_BITS - 8 {
                    return None;
                }
                int_ok(x.checked_mul(y)?)
            }
            FloorDiv => {
                if y == 0 {
                    return None;
                }
                let q = x.checked_div(y)?;
                let r = x.checked_rem(y)?;
                int_ok(if r != 0 && ((r < 0) != (y < 0)) {
                    q - 1
                } else {
                    q
                })
            }
            Mod => {
                if y == 0 {
                    return None;
                }
                let r = x.checked_rem(y)?;
                int_ok(if r != 0 && ((r < 0) != (y < 0)) {
                    r + y
                } else {
                    r
                })
            }
            Pow => {
                // Negative exponents give floats: not folded.
                let e = u32::try_from(y).ok()?;
                if e > 0 && bits(x) > (MAX_INT_BITS - 8) / e {
                    return None;
                }
                int_ok(x.checked_pow(e)?)
            }
            LShift => {
                let s = u32::try_from(y).ok()?;
                if s > MAX_INT_BITS || bits(x) + s > MAX_INT_BITS - 8 {
                    return None;
                }
                int_ok(x.checked_shl(s)?)
            }
            RShift => {
                let s = u32::try_from(y).ok()?;
                int_ok(if s >= 127 {
                    if x < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    x >> s
                })
            }
            And => int_ok(x & y),
            Or => int_ok(x | y),
            Xor => int_ok(x ^ y),
            TrueDiv => {
                if y == 0 || x.abs() > EXACT_FLOAT_INT || y.abs() > EXACT_FLOAT_INT {
                    return None;
                }
                // Both convert exactly, so the IEEE quotient is the correctly
                // rounded one CPython's int true division returns.
                float_ok(x as f64 / y as f64)
            }
            MatMul => None,
        };
    }
    // Float arithmetic (at least one float; ints must convert exactly).
    if matches!(a, Const::Float(_)) || matches!(b, Const::Float(_)) {
        let (x, y) = (as_float(a)?, as_float(b)?);
        return match op {
            Add => float_ok(x + y),
            Sub => float_ok(x - y),
            Mul => float_ok(x * y),
            TrueDiv if y != 0.0 => float_ok(x / y),
            _ => None,
        };
    }
    None
}

/// `a == b` for built-in constants whose equality is known and cannot
/// warn; `None` for anything else: under `python -b`, `bytes` compared
/// with a `str` warns "Comparison between bytes and string", and compared
/// with an `int` (`bool` included) "Comparison between bytes and int"
/// (CPython's `bytes_richcompare`, 3.8–3.15).
pub fn equal(a: &Const, b: &Const) -> Option<bool> {
    use Const::*;
    let nan = |c: &Const| matches!(c, Float(f) if f.is_nan());
    if nan(a) || nan(b) {
        return Option::None;
    }
    match (a, b) {
        (Str(_) | Int(_) | Bool(_), Bytes(_)) | (Bytes(_), Str(_) | Int(_) | Bool(_)) => {
            Option::None
        }
        (None, None) | (Ellipsis, Ellipsis) => Some(true),
        (Str(x), Str(y)) => Some(x == y),
        (Bytes(x), Bytes(y)) => Some(x == y),
        (Tuple(x), Tuple(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for (p, q) in x.iter().zip(y) {
                if !equal(p, q)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        (FrozenSet(_), _) | (_, FrozenSet(_)) => Option::None,
        (Tuple(_), _) | (_, Tuple(_)) => {
            // A tuple never equals a scalar, but a tuple holding bytes
            // compared with a str could warn: only plain scalars here.
            let other = if matches!(a, Tuple(_)) { b } else { a };
            matches!(other, Int(_) | Bool(_) | Float(_) | None | Ellipsis).then_some(false)
        }
        _ => {
            if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
                return Some(x == y);
            }
            let numeric = |c: &Const| matches!(c, Int(_) | Bool(_) | Float(_));
            if numeric(a) && numeric(b) {
                return Some(as_float(a)? == as_float(b)?);
            }
            // Different built-in types without cross-type equality.
            Some(false)
        }
    }
}

/// `a <op> b`.
pub fn compare(op: CmpOp, a: &Const, b: &Const) -> Option<Const> {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (a, b) {
        (Const::Str(x), Const::Str(y)) => Some(x.cmp(y)),
        (Const::Bytes(x), Const::Bytes(y)) => Some(x.cmp(y)),
        _ => match (as_int(a), as_int(b)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => match (as_float(a), as_float(b)) {
                (Some(x), Some(y)) => x.partial_cmp(&y),
                _ => None,
            },
        },
    };
    let result = match (op, ord) {
        (CmpOp::Eq, _) => equal(a, b)?,
        (CmpOp::Ne, _) => !equal(a, b)?,
        (_, None) => return None,
        (CmpOp::Lt, Some(o)) => o == Ordering::Less,
        (CmpOp::Le, Some(o)) => o != Ordering::Greater,
        (CmpOp::Gt, Some(o)) => o == Ordering::Greater,
        (CmpOp::Ge, Some(o)) => o != Ordering::Less,
    };
    Some(Const::Bool(result))
}

/// `x in container` for a constant tuple or frozenset.
pub fn contains(x: &Const, container: &Const) -> Option<bool> {
    let items = match container {
        Const::Tuple(t) | Const::FrozenSet(t) => t,
        _ => return None,
    };
    // A frozenset lookup hashes first: unhashable-looking or float/int
    // mixes are left to the interpreter.
    if matches!(container, Const::FrozenSet(_))
        && (matches!(x, Const::Float(_)) || items.iter().any(|i| matches!(i, Const::Float(_))))
    {
        return None;
    }
    let mut found = false;
    for item in items {
        if equal(x, item)? {
            found = true;
        }
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use BinOp::*;

    fn int(i: i128) -> Const {
        Const::Int(i)
    }

    #[test]
    fn ints_follow_python_semantics() {
        assert_eq!(binary(FloorDiv, &int(-7), &int(2)), Some(int(-4)));
        assert_eq!(binary(Mod, &int(-7), &int(2)), Some(int(1)));
        assert_eq!(binary(Mod, &int(7), &int(-2)), Some(int(-1)));
        assert_eq!(binary(FloorDiv, &int(1), &int(0)), None);
        assert_eq!(binary(Mod, &int(1), &int(0)), None);
        assert_eq!(binary(Pow, &int(2), &int(-1)), None);
        assert_eq!(binary(RShift, &int(-5), &int(1)), Some(int(-3)));
        assert_eq!(binary(LShift, &int(1), &int(-1)), None);
        assert_eq!(binary(Pow, &int(2), &int(200)), None);
        assert_eq!(
            binary(Add, &Const::Bool(true), &Const::Bool(true)),
            Some(int(2))
        );
        assert_eq!(
            binary(And, &Const::Bool(true), &Const::Bool(false)),
            Some(Const::Bool(false))
        );
        assert_eq!(binary(TrueDiv, &int(1), &int(2)), Some(Const::Float(0.5)));
    }

    #[test]
    fn what_raises_or_explodes_is_not_folded() {
        assert_eq!(binary(Add, &Const::Str("a".into()), &int(1)), None);
        assert_eq!(
            binary(TrueDiv, &Const::Float(1.0), &Const::Float(0.0)),
            None
        );
        assert_eq!(binary(Mul, &Const::Str("ab".into()), &int(4000)), None);
        assert_eq!(negative(&Const::Str("x".into())), None);
        assert_eq!(binary(Mul, &Const::Float(1e308), &int(10)), None);
        assert_eq!(binary(Mod, &Const::Str("%s".into()), &int(1)), None);
        assert_eq!(compare(CmpOp::Lt, &Const::None, &int(1)), None);
        assert_eq!(
            compare(
                CmpOp::Eq,
                &Const::Str("a".into()),
                &Const::Bytes(b"a".to_vec())
            ),
            None
        );
        assert_eq!(
            compare(CmpOp::Eq, &Const::Float(f64::NAN), &Const::Float(f64::NAN)),
            None
        );
    }

    /// Under `python -b` these comparisons warn, so they are never folded
    /// (found by the translation validator in `test_bytes`: `b'\\0' == 0`).
    #[test]
    fn bytes_against_str_or_int_is_not_folded() {
        let b = Const::Bytes(b"\0".to_vec());
        for other in [int(0), Const::Bool(false), Const::Str("".into())] {
            assert_eq!(equal(&b, &other), None);
            assert_eq!(equal(&other, &b), None);
            assert_eq!(compare(CmpOp::Ne, &other, &b), None);
            assert_eq!(contains(&other, &Const::Tuple(vec![b.clone()])), None);
            assert_eq!(
                equal(&Const::Tuple(vec![b.clone()]), &Const::Tuple(vec![other])),
                None
            );
        }
        assert_eq!(equal(&b, &Const::Float(0.0)), Some(false));
        assert_eq!(equal(&b, &Const::Bytes(b"\0".to_vec())), Some(true));
    }

    #[test]
    fn equality_crosses_numeric_types_only() {
        assert_eq!(equal(&int(1), &Const::Float(1.0)), Some(true));
        assert_eq!(equal(&int(1), &Const::Bool(true)), Some(true));
        assert_eq!(equal(&int(1), &Const::Str("1".into())), Some(false));
        assert_eq!(
            contains(&int(1), &Const::Tuple(vec![Const::Float(1.0)])),
            Some(true)
        );
        assert_eq!(
            compare(
                CmpOp::Lt,
                &Const::Str("abc".into()),
                &Const::Str("abd".into())
            ),
            Some(Const::Bool(true))
        );
        assert!(!same(&Const::Float(0.0), &Const::Float(-0.0)));
        assert!(!same(&int(1), &Const::Bool(true)));
    }

    #[test]
    fn node_is_agrees_with_same() {
        let mut arena = Arena::default();
        let values = [
            Const::None,
            Const::Bool(true),
            int(1),
            int(-(1i128 << 100)),
            Const::Float(1.0),
            Const::Float(-0.0),
            Const::Str("é".into()),
            Const::Bytes(b"x".to_vec()),
            Const::Tuple(vec![int(1), Const::Str("a".into())]),
        ];
        for a in &values {
            let id = write(&mut arena, a);
            for b in &values {
                assert_eq!(node_is(&arena, id, b), same(a, b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn ints_round_trip_through_marshal_digits() {
        let mut arena = Arena::default();
        for v in [
            0,
            1,
            -1,
            i32::MAX as i128 + 1,
            -(1i128 << 100),
            (1i128 << 110) + 12345,
        ] {
            let id = write(&mut arena, &int(v));
            assert_eq!(read(&arena, id), Some(int(v)), "{v}");
        }
    }
}
