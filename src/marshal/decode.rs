//! Marshal reader: bytes → [`Arena`], following CPython's `r_object` exactly
//! in how ref slots are numbered (pre-order; code objects and non-empty
//! frozensets reserve their slot and fill it when complete).

use std::borrow::Cow;

use super::{Arena, CodeId, CodeObj, Items, Node, NodeId, StrKind, Value, FLAG_REF, MAX_DEPTH};
use crate::error::{Error, ErrorKind};
use crate::version::{CodeLayout, PyVersion};

/// A decoded marshal stream: the arena, the root object and any bytes after it
/// (CPython's reader ignores them; we keep them so the file round-trips).
#[derive(Clone, Debug)]
pub struct Module<'a> {
    pub arena: Arena<'a>,
    pub root: NodeId,
    pub trailing: &'a [u8],
    /// The marshal body as read (the spans of [`super::Span`] index it).
    pub body: &'a [u8],
    /// The node that defined each ref slot, in slot order.
    pub slots: Vec<NodeId>,
    /// Every back-reference as read: (offset of its `r` in the body, slot),
    /// in stream order.
    pub refs: Vec<(u32, u32)>,
}

/// A slot that is reserved but not filled yet (code object or frozenset being read).
const RESERVED: NodeId = NodeId(u32::MAX);

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// File offset of `data[0]`, for error messages.
    base: usize,
    version: PyVersion,
    arena: Arena<'a>,
    slots: Vec<NodeId>,
    refs: Vec<(u32, u32)>,
    depth: usize,
    scratch: Vec<NodeId>,
}

/// Decodes one marshalled object (a `.pyc` body) of the given version.
///
/// `base` is the file offset of `data[0]` (16 for a `.pyc` body), used in errors.
pub fn decode_module(data: &[u8], version: PyVersion, base: usize) -> Result<Module<'_>, Error> {
    decode_module_with(data, version, base, &mut Recycled::default())
}

/// The allocations of decoded modules that are done with, kept to decode
/// the next module without allocating (a tree of thousands of files would
/// otherwise allocate and free the same large arrays for every file).
#[derive(Debug, Default)]
pub struct Recycled {
    nodes: Vec<Node<'static>>,
    kids: Vec<NodeId>,
    codes: Vec<CodeObj>,
    slots: Vec<NodeId>,
    scratch: Vec<NodeId>,
    refs: Vec<(u32, u32)>,
    edited_nodes: Vec<NodeId>,
    edited_codes: Vec<CodeId>,
}

impl Recycled {
    /// Takes back the arena of a module that is no longer needed.
    pub fn recycle(&mut self, module: Module<'_>) {
        let Arena {
            nodes,
            kids,
            codes,
            edited_nodes,
            edited_codes,
        } = module.arena;
        self.nodes = relabel(nodes);
        self.kids = cleared(kids);
        self.codes = cleared(codes);
        self.slots = cleared(module.slots);
        self.refs = cleared(module.refs);
        self.edited_nodes = cleared(edited_nodes);
        self.edited_codes = cleared(edited_codes);
    }
}

fn cleared<T>(mut v: Vec<T>) -> Vec<T> {
    v.clear();
    v
}

/// Reuses the allocation of an emptied vector for nodes of another lifetime
/// (the in-place `collect` of an empty vector keeps its buffer).
// `filter_map` (not `filter`) is what changes the element lifetime.
#[allow(clippy::unnecessary_filter_map)]
fn relabel<'x, 'y>(mut v: Vec<Node<'x>>) -> Vec<Node<'y>> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// [`decode_module`] reusing the allocations in `recycled`.
pub fn decode_module_with<'a>(
    data: &'a [u8],
    version: PyVersion,
    base: usize,
    recycled: &mut Recycled,
) -> Result<Module<'a>, Error> {
    let mut nodes = relabel(std::mem::take(&mut recycled.nodes));
    let mut kids = std::mem::take(&mut recycled.kids);
    let mut slots = std::mem::take(&mut recycled.slots);
    // Measured on the 3.8 and 3.13 stdlibs: one node per 28–45 bytes.
    nodes.reserve(data.len() / 24 + 4);
    kids.reserve(data.len() / 20 + 4);
    slots.clear();
    slots.reserve(data.len() / 24 + 4);
    let mut r = Reader {
        data,
        pos: 0,
        base,
        version,
        arena: Arena {
            nodes,
            kids,
            codes: std::mem::take(&mut recycled.codes),
            edited_nodes: std::mem::take(&mut recycled.edited_nodes),
            edited_codes: std::mem::take(&mut recycled.edited_codes),
        },
        slots,
        refs: std::mem::take(&mut recycled.refs),
        depth: 0,
        scratch: std::mem::take(&mut recycled.scratch),
    };
    let result = r.object();
    recycled.scratch = cleared(r.scratch);
    match result {
        Ok(root) => Ok(Module {
            arena: r.arena,
            root,
            trailing: &data[r.pos..],
            body: data,
            slots: r.slots,
            refs: r.refs,
        }),
        Err(e) => {
            recycled.recycle(Module {
                arena: r.arena,
                root: NodeId(0),
                trailing: &[],
                body: &[],
                slots: r.slots,
                refs: r.refs,
            });
            Err(e)
        }
    }
}

impl<'a> Reader<'a> {
    fn err(&self, at: usize, kind: ErrorKind) -> Error {
        Error::at(self.base + at, kind)
    }

    #[inline]
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], Error> {
        let data: &'a [u8] = self.data;
        match self
            .pos
            .checked_add(n)
            .and_then(|end| data.get(self.pos..end))
        {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(self.err(
                self.pos,
                ErrorKind::Truncated {
                    what,
                    need: n,
                    have: data.len().saturating_sub(self.pos),
                },
            )),
        }
    }

    #[inline]
    fn u8(&mut self, what: &'static str) -> Result<u8, Error> {
        Ok(self.take(1, what)?[0])
    }

    #[inline]
    fn i32(&mut self, what: &'static str) -> Result<i32, Error> {
        let b = self.take(4, what)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, Error> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// A non-negative i32 length, checked against the bytes left when each
    /// item needs at least `min_item` bytes.
    #[inline]
    fn len(&mut self, min_item: usize, what: &'static str) -> Result<usize, Error> {
        let at = self.pos;
        let n = self.i32(what)?;
        if n < 0 {
            return Err(self.err(at, ErrorKind::BadLength(n as i64)));
        }
        let n = n as usize;
        let left = self.data.len() - self.pos;
        if n.saturating_mul(min_item) > left {
            return Err(self.err(
                self.pos,
                ErrorKind::Truncated {
                    what,
                    need: n.saturating_mul(min_item),
                    have: left,
                },
            ));
        }
        Ok(n)
    }

    fn new_slot(&mut self, id: NodeId) {
        self.slots.push(id);
    }

    fn object(&mut self) -> Result<NodeId, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(self.pos, ErrorKind::TooDeep(MAX_DEPTH)));
        }
        let r = self.object_inner();
        self.depth -= 1;
        r
    }

    fn object_inner(&mut self) -> Result<NodeId, Error> {
        let at = self.pos;
        let byte = self.u8("marshal type code")?;
        let flag = byte & FLAG_REF != 0;
        let code = byte & !FLAG_REF;
        // Scalars: build the value, push, and number a slot if flagged.
        let scalar = match code {
            b'N' => Some(Value::None),
            b'T' => Some(Value::True),
            b'F' => Some(Value::False),
            b'S' => Some(Value::StopIteration),
            b'.' => Some(Value::Ellipsis),
            b'i' => Some(Value::Int(self.i32("int")?)),
            b'I' => Some(Value::Int64(self.u64("int64")? as i64)),
            b'l' => Some(self.long()?),
            b'g' => Some(Value::Float(self.u64("float")?)),
            b'y' => {
                let re = self.u64("complex")?;
                let im = self.u64("complex")?;
                Some(Value::Complex(re, im))
            }
            b'f' => {
                let n = self.u8("float text length")? as usize;
                Some(Value::FloatText(Cow::Borrowed(self.take(n, "float text")?)))
            }
            b'x' => {
                let n = self.u8("complex text length")? as usize;
                let re = self.take(n, "complex text")?;
                let n = self.u8("complex text length")? as usize;
                let im = self.take(n, "complex text")?;
                Some(Value::ComplexText(Cow::Borrowed(re), Cow::Borrowed(im)))
            }
            b's' => {
                let n = self.len(1, "bytes")?;
                Some(Value::Bytes(Cow::Borrowed(self.take(n, "bytes")?)))
            }
            b'a' | b'A' | b'u' | b't' => {
                let kind = match code {
                    b'a' => StrKind::Ascii,
                    b'A' => StrKind::AsciiInterned,
                    b'u' => StrKind::Unicode,
                    _ => StrKind::Interned,
                };
                let n = self.len(1, "str")?;
                Some(Value::Str(kind, Cow::Borrowed(self.take(n, "str")?)))
            }
            b'z' | b'Z' => {
                let kind = if code == b'z' {
                    StrKind::ShortAscii
                } else {
                    StrKind::ShortAsciiInterned
                };
                let n = self.u8("short str length")? as usize;
                Some(Value::Str(kind, Cow::Borrowed(self.take(n, "str")?)))
            }
            _ => None,
        };
        if let Some(value) = scalar {
            let takes_slot = value.takes_slot();
            let id = self.arena.push(value, flag);
            if flag && takes_slot {
                self.new_slot(id);
            }
            return Ok(id);
        }
        match code {
            b'r' => {
                let idx = self.i32("ref index")?;
                let target = usize::try_from(idx)
                    .ok()
                    .and_then(|i| self.slots.get(i).copied())
                    .filter(|t| *t != RESERVED);
                if let (Some(_), Ok(at), Ok(slot)) = (target, u32::try_from(at), u32::try_from(idx))
                {
                    self.refs.push((at, slot));
                }
                target.ok_or_else(|| {
                    self.err(
                        at,
                        ErrorKind::InvalidRef {
                            index: idx as u32,
                            slots: self.slots.len(),
                        },
                    )
                })
            }
            b'(' | b')' | b'[' | b'<' => {
                let n = if code == b')' {
                    self.u8("small tuple length")? as usize
                } else {
                    self.len(1, "container")?
                };
                // The slot is numbered before the children are read (R_REF).
                let placeholder = Value::Tuple {
                    small: false,
                    items: Items::default(),
                };
                let id = self.arena.push(placeholder, flag);
                if flag {
                    self.new_slot(id);
                }
                let items = self.children(n)?;
                self.arena.nodes[id.0 as usize].value = match code {
                    b'(' => Value::Tuple {
                        small: false,
                        items,
                    },
                    b')' => Value::Tuple { small: true, items },
                    b'[' => Value::List(items),
                    _ => Value::Set(items),
                };
                Ok(id)
            }
            b'>' => {
                let n = self.len(1, "frozenset")?;
                let id = self.arena.push(Value::FrozenSet(Items::default()), flag);
                // An empty frozenset gets its slot at once; a non-empty one
                // reserves it and fills it when complete (r_ref_reserve).
                let slot = self.slots.len();
                if flag {
                    self.new_slot(if n == 0 { id } else { RESERVED });
                }
                let items = self.children(n)?;
                self.arena.nodes[id.0 as usize].value = Value::FrozenSet(items);
                if flag {
                    self.slots[slot] = id;
                }
                Ok(id)
            }
            b'{' | b'}' => {
                // `}`: TYPE_FROZENDICT (marshal version 6, 3.15+), a dict's layout.
                let frozen = code == b'}';
                if frozen && self.version.table().marshal_version < 6 {
                    return Err(self.err(at, ErrorKind::UnknownTypeCode(byte)));
                }
                let id = self.arena.push(Value::Dict(Items::default()), flag);
                if flag {
                    self.new_slot(id);
                }
                let mark = self.scratch.len();
                loop {
                    if self.data.get(self.pos) == Some(&b'0') {
                        self.pos += 1;
                        break;
                    }
                    let k = self.object();
                    let k = match k {
                        Ok(k) => k,
                        Err(e) => {
                            self.scratch.truncate(mark);
                            return Err(e);
                        }
                    };
                    let v = self.object();
                    let v = match v {
                        Ok(v) => v,
                        Err(e) => {
                            self.scratch.truncate(mark);
                            return Err(e);
                        }
                    };
                    self.scratch.push(k);
                    self.scratch.push(v);
                }
                let items = self.arena.push_items(&self.scratch[mark..]);
                self.scratch.truncate(mark);
                self.arena.nodes[id.0 as usize].value = if frozen {
                    Value::FrozenDict(items)
                } else {
                    Value::Dict(items)
                };
                Ok(id)
            }
            b':' if self.version.table().marshal_version >= 5 => {
                // TYPE_SLICE (3.14+): like a non-empty frozenset, the slot is
                // reserved before start, stop and step are read and filled
                // after (r_ref_reserve / r_ref_insert).
                let id = self.arena.push(Value::Slice(Items::default()), flag);
                let slot = self.slots.len();
                if flag {
                    self.new_slot(RESERVED);
                }
                let items = self.children(3)?;
                self.arena.nodes[id.0 as usize].value = Value::Slice(items);
                if flag {
                    self.slots[slot] = id;
                }
                Ok(id)
            }
            b'c' => self.code_object(flag),
            b'0' => Err(self.err(at, ErrorKind::BadMarshal("NULL object outside a dict"))),
            _ => Err(self.err(at, ErrorKind::UnknownTypeCode(byte))),
        }
    }

    /// Reads `n` objects and stores them as one run of children.
    fn children(&mut self, n: usize) -> Result<Items, Error> {
        let mark = self.scratch.len();
        for _ in 0..n {
            match self.object() {
                Ok(id) => self.scratch.push(id),
                Err(e) => {
                    self.scratch.truncate(mark);
                    return Err(e);
                }
            }
        }
        let items = self.arena.push_items(&self.scratch[mark..]);
        self.scratch.truncate(mark);
        Ok(items)
    }

    fn long(&mut self) -> Result<Value<'a>, Error> {
        let at = self.pos;
        let size = self.i32("long size")?;
        let n = (size as i64).unsigned_abs() as usize;
        if n > (i32::MAX as usize) {
            return Err(self.err(at, ErrorKind::BadLength(size as i64)));
        }
        let digits = self.take(n.saturating_mul(2), "long digits")?;
        for pair in digits.chunks_exact(2) {
            if u16::from_le_bytes([pair[0], pair[1]]) >= 0x8000 {
                return Err(self.err(at, ErrorKind::BadMarshal("digit out of range in long")));
            }
        }
        if n > 0 && digits[2 * n - 2..] == [0, 0] {
            return Err(self.err(at, ErrorKind::BadMarshal("unnormalized long data")));
        }
        Ok(Value::Long {
            size,
            digits: Cow::Borrowed(digits),
        })
    }

    fn code_object(&mut self, flag: bool) -> Result<NodeId, Error> {
        let offset = self.base + self.pos - 1;
        let code_id = CodeId(self.arena.codes.len() as u32);
        let id = self.arena.push(Value::Code(code_id), flag);
        let slot = self.slots.len();
        if flag {
            self.new_slot(RESERVED);
        }
        // Reserve the code's index so nested code objects number after it.
        let zero = NodeId(0);
        self.arena.codes.push(CodeObj {
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            nlocals: None,
            stacksize: 0,
            flags: 0,
            code: zero,
            consts: zero,
            names: zero,
            varnames: zero,
            freevars: None,
            cellvars: None,
            localspluskinds: None,
            filename: zero,
            name: zero,
            qualname: None,
            firstlineno: 0,
            linetable: zero,
            exceptiontable: None,
            offset,
            span: None,
        });
        let c = if self.version.facts().code_layout == CodeLayout::LocalsPlus {
            let argcount = self.i32("co_argcount")?;
            let posonlyargcount = self.i32("co_posonlyargcount")?;
            let kwonlyargcount = self.i32("co_kwonlyargcount")?;
            let stacksize = self.i32("co_stacksize")?;
            let flags = self.i32("co_flags")?;
            let code = self.object()?;
            let consts = self.object()?;
            let names = self.object()?;
            let varnames = self.object()?;
            let kinds = self.object()?;
            let filename = self.object()?;
            let name = self.object()?;
            let qualname = self.object()?;
            let firstlineno = self.i32("co_firstlineno")?;
            let linetable = self.object()?;
            let exceptiontable = self.object()?;
            CodeObj {
                argcount,
                posonlyargcount,
                kwonlyargcount,
                nlocals: None,
                stacksize,
                flags,
                code,
                consts,
                names,
                varnames,
                freevars: None,
                cellvars: None,
                localspluskinds: Some(kinds),
                filename,
                name,
                qualname: Some(qualname),
                firstlineno,
                linetable,
                exceptiontable: Some(exceptiontable),
                offset,
                span: None,
            }
        } else {
            let argcount = self.i32("co_argcount")?;
            let posonlyargcount = self.i32("co_posonlyargcount")?;
            let kwonlyargcount = self.i32("co_kwonlyargcount")?;
            let nlocals = self.i32("co_nlocals")?;
            let stacksize = self.i32("co_stacksize")?;
            let flags = self.i32("co_flags")?;
            let code = self.object()?;
            let consts = self.object()?;
            let names = self.object()?;
            let varnames = self.object()?;
            let freevars = self.object()?;
            let cellvars = self.object()?;
            let filename = self.object()?;
            let name = self.object()?;
            let firstlineno = self.i32("co_firstlineno")?;
            let linetable = self.object()?;
            CodeObj {
                argcount,
                posonlyargcount,
                kwonlyargcount,
                nlocals: Some(nlocals),
                stacksize,
                flags,
                code,
                consts,
                names,
                varnames,
                freevars: Some(freevars),
                cellvars: Some(cellvars),
                localspluskinds: None,
                filename,
                name,
                qualname: None,
                firstlineno,
                linetable,
                exceptiontable: None,
                offset,
                span: None,
            }
        };
        let range = |a: usize, b: usize| u32::try_from(a).ok().zip(u32::try_from(b).ok());
        let span = (|| {
            Some(super::Span {
                bytes: range(offset - self.base, self.pos)?,
                nodes: range(id.0 as usize, self.arena.nodes.len())?,
                codes: range(code_id.0 as usize, self.arena.codes.len())?,
                slots: range(slot, self.slots.len())?,
                depth: u32::try_from(self.depth).ok()?,
            })
        })();
        self.arena.codes[code_id.0 as usize] = CodeObj { span, ..c };
        if flag {
            self.slots[slot] = id;
        }
        Ok(id)
    }
}
