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
pub use encode::{encode_module, encode_module_reusing, encode_node};

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
    /// Where the decoder read it (`None` for code objects built in memory).
    /// Not written.
    pub span: Option<Span>,
}

/// Where a decoded code object lies in the stream it was read from: what
/// [`encode_module_reusing`] needs to write an unchanged one back as its
/// original bytes. Each range is `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Its bytes in the marshal body, from its type byte.
    pub bytes: (u32, u32),
    /// The nodes read inside it (its own node first): ids are given in
    /// reading order, so these are exactly its subtree's own nodes.
    pub nodes: (u32, u32),
    /// The code objects read inside it (itself first).
    pub codes: (u32, u32),
    /// The ref slots numbered inside it (its own first, if flagged).
    pub slots: (u32, u32),
    /// Its nesting depth in the stream (the root is 1).
    pub depth: u32,
}

/// All objects of one marshal stream.
#[derive(Clone, Debug, Default)]
pub struct Arena<'a> {
    pub nodes: Vec<Node<'a>>,
    pub kids: Vec<NodeId>,
    pub codes: Vec<CodeObj>,
    /// Nodes handed out by [`Arena::node_mut`] since decoding, and code
    /// objects by [`Arena::code_mut`]: what [`encode_module_reusing`] must
    /// not copy from the original bytes. Changes made through the public
    /// fields directly are not recorded (write such arenas with
    /// [`encode_module`]).
    pub edited_nodes: Vec<NodeId>,
    pub edited_codes: Vec<CodeId>,
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

    /// A node to change; recorded as edited (see [`Arena::edited_nodes`]).
    pub fn node_mut(&mut self, id: NodeId) -> &mut Node<'a> {
        self.edited_nodes.push(id);
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
    /// A code object to change; recorded as edited (see
    /// [`Arena::edited_codes`]).
    pub fn code_mut(&mut self, id: CodeId) -> &mut CodeObj {
        self.edited_codes.push(id);
        &mut self.codes[id.0 as usize]
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

    /// `marshal.dumps(compile(SRC, "m.py", "exec")).hex()` under CPython 3.12.1
    /// of SRC = `K = "shared"` / `def f(a): return (a, K, "x", 7)` /
    /// `def g():` / `    def h(): return "x", K, 7` / `    return h` (one
    /// statement a line): back-references cross the code objects (`"x"`, `7`,
    /// `K`, the file name).
    const NESTED_312_HEX: &str = concat!(
        "630000000000000000000000000100000000000000f314000000970064005a00640184005a016402",
        "84005a0279032904da06736861726564630100000000000000000000000400000003000000f31600",
        "000097007c00740000000000000000006401640266045300a9034eda0178e907000000a901da014b",
        "2901da0161730100000020fa046d2e7079da0166720a0000000200000073100000008000d80c0d8c",
        "7190239071883ed00419f300000000630000000000000000000000000100000003000000f30c0000",
        "009700640184007d007c00530029024e630000000000000000000000000300000013000000f31400",
        "0000970064017400000000000000000064026603530072030000007206000000a900720b00000072",
        "09000000da01687a0c672e3c6c6f63616c733e2e6805000000730e0000008000d80f129441907188",
        "79d00818720b000000720e0000002901720f0000007301000000207209000000da01677210000000",
        "04000000730c0000008000f202010519e00b0c8048720b0000004e29037207000000720a00000072",
        "10000000720e000000720b0000007209000000fa083c6d6f64756c653e7211000000010000007314",
        "000000f003010101d8040c8001f20201011af30403010d720b000000",
    );

    fn nested_312() -> Vec<u8> {
        (0..NESTED_312_HEX.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&NESTED_312_HEX[i..i + 2], 16).expect("hex"))
            .collect()
    }

    /// The code object named `name`.
    fn code_named(m: &Module<'_>, name: &str) -> CodeId {
        (0..m.arena.codes.len() as u32)
            .map(CodeId)
            .find(|&c| m.arena.as_string(m.arena.code(c).name).as_deref() == Some(name))
            .expect("code object")
    }

    /// `data` with the byte at `at` changed: a stream the encoder can only
    /// reproduce by copying the code object around `at` from it.
    fn marked(data: &[u8], at: usize) -> Vec<u8> {
        let mut alt = data.to_vec();
        alt[at] ^= 0x20;
        alt
    }

    fn reusing(m: &Module<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        encode_module_reusing(m, PyVersion::V3_12, &mut out).expect("encode");
        out
    }

    fn full(m: &Module<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        encode_module(m, PyVersion::V3_12, &mut out).expect("encode");
        out
    }

    fn position(data: &[u8], needle: &[u8]) -> usize {
        data.windows(needle.len())
            .position(|w| w == needle)
            .expect("needle")
    }

    #[test]
    fn unchanged_code_objects_are_copied_from_the_input() {
        let data = nested_312();
        // Inside g's own bytes (its name) and inside h's (its qualname).
        let in_g = position(&data, b"\xda\x01g") + 2;
        let in_h = position(&data, b"g.<locals>.h") + 11;
        let m = decode_module(&data, PyVersion::V3_12, 0).expect("decode");
        assert_eq!(reusing(&m), data);
        assert_eq!(full(&m), data);
        // Nothing edited: the whole module is one copy.
        let alt = marked(&data, in_g);
        let m2 = Module {
            body: &alt,
            ..m.clone()
        };
        assert_eq!(reusing(&m2), alt);
        assert_eq!(full(&m2), data);

        // f changed (its stack size, through `code_mut`): f is encoded, g
        // (with h) copied, and the bytes are the full encoding's.
        let mut m = decode_module(&data, PyVersion::V3_12, 0).expect("decode");
        let f = code_named(&m, "f");
        m.arena.code_mut(f).stacksize += 1;
        let expect = full(&m);
        assert_ne!(expect, data);
        assert_eq!(reusing(&m), expect);
        let m2 = Module {
            body: &alt,
            ..m.clone()
        };
        assert_eq!(reusing(&m2), marked(&expect, in_g), "g is copied");

        // f's `co_code` replaced by a new node (as `store_code` does): its
        // slot now holds another node, but no reference in g or h is to
        // that slot, so g is still copied.
        let mut m = decode_module(&data, PyVersion::V3_12, 0).expect("decode");
        let f = code_named(&m, "f");
        let old = m.arena.code(f).code;
        let bytes = m.arena.as_bytes(old).expect("co_code").to_vec();
        let flag = m.arena.node(old).flag;
        let new = m
            .arena
            .push(Value::Bytes(std::borrow::Cow::Owned(bytes)), flag);
        m.arena.code_mut(f).code = new;
        let expect = full(&m);
        assert_eq!(expect, data);
        let m2 = Module {
            body: &alt,
            ..m.clone()
        };
        assert_eq!(reusing(&m2), marked(&expect, in_g), "g is copied");

        // h changed: g holds it, so neither is copied.
        let mut m = decode_module(&data, PyVersion::V3_12, 0).expect("decode");
        let h = code_named(&m, "h");
        m.arena.code_mut(h).stacksize += 1;
        let expect = full(&m);
        let alt_h = marked(&data, in_h);
        let m2 = Module {
            body: &alt_h,
            ..m.clone()
        };
        assert_eq!(reusing(&m2), expect);
        let m2 = Module {
            body: &alt,
            ..m.clone()
        };
        assert_eq!(reusing(&m2), expect);
    }

    #[test]
    fn a_new_ref_slot_before_a_code_object_stops_the_copy() {
        let data = nested_312();
        let in_g = position(&data, b"\xda\x01g") + 2;
        let alt = marked(&data, in_g);
        // Flag f's unflagged `co_localspluskinds`: one more slot in f, so
        // every later slot number (and every `r` to one, as in g and h)
        // moves by one.
        let mut m = decode_module(&data, PyVersion::V3_12, 0).expect("decode");
        let f = code_named(&m, "f");
        let kinds = m.arena.code(f).localspluskinds.expect("3.12 layout");
        assert!(!m.arena.node(kinds).flag);
        m.arena.node_mut(kinds).flag = true;
        let expect = full(&m);
        assert_ne!(expect, data);
        let m2 = Module {
            body: &alt,
            ..m.clone()
        };
        assert_eq!(reusing(&m2), expect, "g is encoded with the new numbers");
        // The new stream reads back, with g's references intact.
        let back = decode_module(&expect, PyVersion::V3_12, 0).expect("decode");
        assert_eq!(full(&back), expect);
        let g = code_named(&back, "g");
        let names = back
            .arena
            .as_tuple(back.arena.code(code_named(&back, "h")).names);
        assert_eq!(names.map(|n| n.len()), Some(1));
        assert_eq!(
            back.arena.as_string(back.arena.code(g).filename).as_deref(),
            Some("m.py")
        );

        // The same, with f's `co_code` (flagged, referenced nowhere)
        // unflagged: as many slots as before g, but `"x"` and `7` (defined
        // in f, referenced from h) now have numbers one lower.
        let mut m = decode_module(&data, PyVersion::V3_12, 0).expect("decode");
        let f = code_named(&m, "f");
        let (kinds, code) = (m.arena.code(f).localspluskinds, m.arena.code(f).code);
        let kinds = kinds.expect("3.12 layout");
        assert!(m.arena.node(code).flag);
        m.arena.node_mut(kinds).flag = true;
        m.arena.node_mut(code).flag = false;
        let expect = full(&m);
        assert_eq!(expect.len(), data.len());
        assert_ne!(expect, data);
        let m2 = Module {
            body: &alt,
            ..m.clone()
        };
        assert_eq!(reusing(&m2), expect, "g is encoded with the new numbers");

        // The same flag set on a node *after* g (the module's own name)
        // leaves f and g copyable.
        let mut m = decode_module(&data, PyVersion::V3_12, 0).expect("decode");
        let root = m.arena.code(code_named(&m, "<module>")).linetable;
        m.arena.node_mut(root).flag = !m.arena.node(root).flag;
        let expect = full(&m);
        assert_ne!(expect, data);
        let m2 = Module {
            body: &alt,
            ..m.clone()
        };
        assert_eq!(reusing(&m2), marked(&expect, in_g), "g is copied");
    }

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
