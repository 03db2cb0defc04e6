//! Exact marshal codec: `decode` then `encode` gives back the input byte for byte.
//!
//! CPython's own `marshal` cannot do this: which objects carry FLAG_REF is a
//! refcount heuristic of the writing process, string kinds depend on
//! interning, and 3.8–3.10 write sets in hash order. We keep all of it:
//!
//! * every object is a [`Node`] in an [`Arena`] and remembers its exact type
//!   byte (the spelling — `)` vs `(`, `z` vs `a` vs `u`, `i` vs `l` — and the
//!   FLAG_REF bit);
//! * a back-reference `r n` is not a node of its own: the parent simply points
//!   at the node that defined slot `n`, so shared objects are shared in the
//!   arena. The encoder walks in the same pre-order as CPython's reader,
//!   writes a node inline the first time it meets it (numbering a slot if the
//!   node is flagged) and as `r slot` every later time. For an unchanged tree
//!   this reproduces every slot number; for an edited one it still produces
//!   valid references (an edit can never leave a dangling `r`);
//! * set, frozenset and dict element order is kept as read.
//!
//! Limits: nesting depth like CPython's (`MAX_MARSHAL_STACK_DEPTH` = 2000), and
//! no allocation sized by a length read from the file before the bytes for it
//! are known to exist. Strings and bytes borrow from the input (zero copy).

mod decode;
mod encode;

pub use decode::{decode_module, decode_module_with, Module, Recycled};
pub use encode::{encode_module, encode_node};

use std::borrow::Cow;

/// Nesting limit of CPython's reader and writer on non-Windows builds.
pub const MAX_DEPTH: usize = 2000;

/// FLAG_REF: the high bit of a type byte.
pub const FLAG_REF: u8 = 0x80;

/// Index of a node in an [`Arena`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// Index of a code object in [`Arena::codes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeId(pub u32);

/// A run of child node ids stored in [`Arena::kids`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Items {
    pub start: u32,
    pub len: u32,
}

/// The spelling of a `str` object: its marshal type code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrKind {
    /// `a`: ASCII, i32 length.
    Ascii,
    /// `A`: interned ASCII, i32 length.
    AsciiInterned,
    /// `z`: ASCII, u8 length.
    ShortAscii,
    /// `Z`: interned ASCII, u8 length.
    ShortAsciiInterned,
    /// `u`: UTF-8 (surrogatepass), i32 length.
    Unicode,
    /// `t`: interned UTF-8, i32 length.
    Interned,
}

impl StrKind {
    pub fn code(self) -> u8 {
        match self {
            StrKind::Ascii => b'a',
            StrKind::AsciiInterned => b'A',
            StrKind::ShortAscii => b'z',
            StrKind::ShortAsciiInterned => b'Z',
            StrKind::Unicode => b'u',
            StrKind::Interned => b't',
        }
    }

    /// Whether the reader interns strings of this kind.
    pub fn interned(self) -> bool {
        matches!(
            self,
            StrKind::AsciiInterned | StrKind::ShortAsciiInterned | StrKind::Interned
        )
    }

    /// Whether the length is a single byte.
    pub fn short(self) -> bool {
        matches!(self, StrKind::ShortAscii | StrKind::ShortAsciiInterned)
    }
}

/// A marshalled value. Containers hold [`Items`]; code objects a [`CodeId`].
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    None,
    True,
    False,
    StopIteration,
    Ellipsis,
    /// `i`: a 32-bit int.
    Int(i32),
    /// `I`: the legacy 64-bit int (read by CPython, never written by 3.8+).
    Int64(i64),
    /// `l`: an arbitrary int. `size` is the signed digit count (sign = sign of
    /// the number), `digits` the raw little-endian base-2¹⁵ digits (2 bytes each).
    Long {
        size: i32,
        digits: Cow<'a, [u8]>,
    },
    /// `g`: a binary float, as its IEEE-754 bits.
    Float(u64),
    /// `f`: a float in text form (marshal versions 0/1).
    FloatText(Cow<'a, [u8]>),
    /// `y`: a binary complex (real bits, imaginary bits).
    Complex(u64, u64),
    /// `x`: a complex in text form.
    ComplexText(Cow<'a, [u8]>, Cow<'a, [u8]>),
    /// `s`: bytes.
    Bytes(Cow<'a, [u8]>),
    /// A str: its spelling and its UTF-8 (surrogatepass) bytes.
    Str(StrKind, Cow<'a, [u8]>),
    /// `(` (small = false, i32 count) or `)` (small = true, u8 count).
    Tuple {
        small: bool,
        items: Items,
    },
    /// `[`.
    List(Items),
    /// `{`: keys and values interleaved; the `0` terminator is implicit.
    Dict(Items),
    /// `<`.
    Set(Items),
    /// `>`.
    FrozenSet(Items),
    /// `:` (marshal version 5, CPython 3.14+): start, stop and step.
    Slice(Items),
    /// `}` (marshal version 6, CPython 3.15+): a `frozendict`, written like
    /// a dict (keys and values interleaved, `0`-terminated; its reference
    /// slot, like a dict's, is numbered before its items).
    FrozenDict(Items),
    /// `c`.
    Code(CodeId),
}

impl Value<'_> {
    /// The marshal type code of this value (without FLAG_REF).
    pub fn type_code(&self) -> u8 {
        match self {
            Value::None => b'N',
            Value::True => b'T',
            Value::False => b'F',
            Value::StopIteration => b'S',
            Value::Ellipsis => b'.',
            Value::Int(_) => b'i',
            Value::Int64(_) => b'I',
            Value::Long { .. } => b'l',
            Value::Float(_) => b'g',
            Value::FloatText(_) => b'f',
            Value::Complex(..) => b'y',
            Value::ComplexText(..) => b'x',
            Value::Bytes(_) => b's',
            Value::Str(k, _) => k.code(),
            Value::Tuple { small: true, .. } => b')',
            Value::Tuple { small: false, .. } => b'(',
            Value::List(_) => b'[',
            Value::Dict(_) => b'{',
            Value::Set(_) => b'<',
            Value::FrozenSet(_) => b'>',
            Value::Slice(_) => b':',
            Value::FrozenDict(_) => b'}',
            Value::Code(_) => b'c',
        }
    }

    /// A short name for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::True | Value::False => "bool",
            Value::StopIteration => "StopIteration",
            Value::Ellipsis => "Ellipsis",
            Value::Int(_) | Value::Int64(_) | Value::Long { .. } => "int",
            Value::Float(_) | Value::FloatText(_) => "float",
            Value::Complex(..) | Value::ComplexText(..) => "complex",
            Value::Bytes(_) => "bytes",
            Value::Str(..) => "str",
            Value::Tuple { .. } => "tuple",
            Value::List(_) => "list",
            Value::Dict(_) => "dict",
            Value::Set(_) => "set",
            Value::FrozenSet(_) => "frozenset",
            Value::Slice(_) => "slice",
            Value::FrozenDict(_) => "frozendict",
            Value::Code(_) => "code",
        }
    }

    /// Whether a set FLAG_REF bit on this value numbers a ref slot
    /// (singletons never get one, even when flagged).
    pub fn takes_slot(&self) -> bool {
        !matches!(
            self,
            Value::None | Value::True | Value::False | Value::StopIteration | Value::Ellipsis
        )
    }
}

/// One marshalled object.
#[derive(Clone, Debug, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    /// Whether the type byte carried FLAG_REF.
    pub flag: bool,
}

/// The fields of a code object, by version. Object fields are node ids;
/// integer fields are the raw i32 values of the marshal stream.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeObj {
    pub argcount: i32,
    pub posonlyargcount: i32,
    pub kwonlyargcount: i32,
    /// Stored only by 3.8–3.10.
    pub nlocals: Option<i32>,
    pub stacksize: i32,
    pub flags: i32,
    pub code: NodeId,
    pub consts: NodeId,
    pub names: NodeId,
    /// 3.8–3.10: `co_varnames`; 3.11+: `co_localsplusnames`.
    pub varnames: NodeId,
    /// 3.8–3.10 only.
    pub freevars: Option<NodeId>,
    /// 3.8–3.10 only.
    pub cellvars: Option<NodeId>,
    /// 3.11+ only: `co_localspluskinds`.
    pub localspluskinds: Option<NodeId>,
    pub filename: NodeId,
    pub name: NodeId,
    /// 3.11+ only.
    pub qualname: Option<NodeId>,
    pub firstlineno: i32,
    /// 3.8/3.9 `co_lnotab`, 3.10 `co_linetable`, 3.11+ location table.
    pub linetable: NodeId,
    /// 3.11+ only.
    pub exceptiontable: Option<NodeId>,
    /// File offset of the code object's type byte (for error messages; 0 for
    /// code objects built in memory). Not written.
    pub offset: usize,
}

/// All objects of one marshal stream.
#[derive(Clone, Debug, Default)]
pub struct Arena<'a> {
    pub nodes: Vec<Node<'a>>,
    pub kids: Vec<NodeId>,
    pub codes: Vec<CodeObj>,
}

impl<'a> Arena<'a> {
    /// Adds a node and returns its id.
    pub fn push(&mut self, value: Value<'a>, flag: bool) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(Node { value, flag });
        id
    }

    /// Stores a run of children and returns it.
    pub fn push_items(&mut self, ids: &[NodeId]) -> Items {
        let start = self.kids.len() as u32;
        self.kids.extend_from_slice(ids);
        Items {
            start,
            len: ids.len() as u32,
        }
    }

    pub fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id.0 as usize]
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node<'a> {
        &mut self.nodes[id.0 as usize]
    }

    pub fn value(&self, id: NodeId) -> &Value<'a> {
        &self.nodes[id.0 as usize].value
    }

    pub fn items(&self, items: Items) -> &[NodeId] {
        &self.kids[items.start as usize..(items.start + items.len) as usize]
    }

    pub fn code(&self, id: CodeId) -> &CodeObj {
        &self.codes[id.0 as usize]
    }

    /// The payload of a bytes node.
    pub fn as_bytes(&self, id: NodeId) -> Option<&[u8]> {
        match self.value(id) {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The UTF-8 bytes of a str node.
    pub fn as_str_bytes(&self, id: NodeId) -> Option<&[u8]> {
        match self.value(id) {
            Value::Str(_, b) => Some(b),
            _ => None,
        }
    }

    /// A str node as Rust text (lossy for lone surrogates).
    pub fn as_string(&self, id: NodeId) -> Option<String> {
        self.as_str_bytes(id)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The items of a tuple node.
    pub fn as_tuple(&self, id: NodeId) -> Option<&[NodeId]> {
        match self.value(id) {
            Value::Tuple { items, .. } => Some(self.items(*items)),
            _ => None,
        }
    }

    /// Replaces a bytes node's payload, keeping its flag and identity.
    pub fn set_bytes(&mut self, id: NodeId, data: Vec<u8>) {
        self.node_mut(id).value = Value::Bytes(Cow::Owned(data));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::PyVersion;

    /// `marshal.dumps((s, s))` of `s = slice(1, None, "a")` under CPython
    /// 3.14 (pyodide 314.0.7): a flagged slice, then a back-reference to it.
    const SLICE_PAIR: &[u8] = b")\x02\xba\xe9\x01\x00\x00\x00N\xda\x01ar\x00\x00\x00\x00";

    #[test]
    fn slices_round_trip_on_3_14_only() {
        let m = decode_module(SLICE_PAIR, PyVersion::V3_14, 0).expect("3.14 reads slices");
        let items = m.arena.as_tuple(m.root).expect("a tuple").to_vec();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0], items[1], "the back-reference is the same node");
        assert!(matches!(m.arena.value(items[0]), Value::Slice(_)));
        let mut out = Vec::new();
        encode_module(&m, PyVersion::V3_14, &mut out).expect("encode");
        assert_eq!(out, SLICE_PAIR);
        // Marshal version 4 has no slice type.
        assert!(decode_module(SLICE_PAIR, PyVersion::V3_13, 0).is_err());
    }

    /// `marshal.dumps(fd)` of `fd = frozendict({"a": 1, "b": (2,)})` under
    /// CPython 3.15.0rc1 (pyodide 315.0.0-alpha.2): a frozendict (`}`),
    /// its keys and values, and the `0` terminator.
    const FROZENDICT: &[u8] =
        b"\x7d\xda\x01a\xe9\x01\x00\x00\x00\xda\x01b\xa9\x01\xe9\x02\x00\x00\x00\x30";

    #[test]
    fn frozendicts_round_trip_on_3_15_only() {
        let m = decode_module(FROZENDICT, PyVersion::V3_15, 0).expect("3.15 reads frozendicts");
        assert!(matches!(m.arena.value(m.root), Value::FrozenDict(_)));
        let mut out = Vec::new();
        encode_module(&m, PyVersion::V3_15, &mut out).expect("encode");
        assert_eq!(out, FROZENDICT);
        // Marshal version 5 has no frozendict type.
        assert!(decode_module(FROZENDICT, PyVersion::V3_14, 0).is_err());
    }
}
