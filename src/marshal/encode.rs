//! Marshal writer: [`Arena`] → bytes.
//!
//! Nodes are written in pre-order. The first visit of a node writes it inline
//! with its recorded type byte (and numbers a ref slot when it is flagged);
//! every later visit of a node that owns a slot writes `r slot`. For a tree
//! that came from [`super::decode_module`] unchanged, this is the input again.

use super::{Arena, NodeId, Value, FLAG_REF, MAX_DEPTH};
use crate::error::{Error, ErrorKind};
use crate::version::{CodeLayout, PyVersion};

const NO_SLOT: u32 = u32::MAX;

struct Writer<'w, 'a> {
    arena: &'w Arena<'a>,
    version: PyVersion,
    out: &'w mut Vec<u8>,
    slot_of: Vec<u32>,
    next_slot: u32,
    depth: usize,
    /// The stream the arena was read from, when unchanged code objects may
    /// be copied from it ([`encode_module_reusing`]).
    original: Option<Original<'w>>,
}

/// What [`encode_module_reusing`] copies from and checks against.
struct Original<'w> {
    body: &'w [u8],
    /// The node that defined each ref slot of the original stream.
    slots: &'w [NodeId],
    /// Every back-reference of the original stream: (offset, slot).
    refs: &'w [(u32, u32)],
    edited_nodes: Vec<u32>,
    edited_codes: Vec<u32>,
}

impl Original<'_> {
    /// Whether some edited node or code object lies in `range`.
    fn edited_in(sorted: &[u32], (start, end): (u32, u32)) -> bool {
        let i = sorted.partition_point(|&x| x < start);
        sorted.get(i).is_some_and(|&x| x < end)
    }
}

/// Appends the marshal encoding of `root` (and everything below it) to `out`.
pub fn encode_node(
    arena: &Arena<'_>,
    root: NodeId,
    version: PyVersion,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let mut w = Writer {
        arena,
        version,
        out,
        slot_of: vec![NO_SLOT; arena.nodes.len()],
        next_slot: 0,
        depth: 0,
        original: None,
    };
    w.object(root)
}

/// [`encode_module`], writing every code object that is unchanged since
/// decoding as its original bytes (one copy instead of a walk of its
/// subtree). Unchanged means: neither it nor any node or code object read
/// inside it was handed out by [`Arena::node_mut`] or [`Arena::code_mut`]
/// (the arena's edit log; direct changes to its public fields are not
/// seen, so an arena changed that way must be written with
/// [`encode_module`]). Copying is also refused unless the new stream has
/// numbered as many ref slots before it as the original had, none of the
/// nodes it defines was written earlier, every `r n` inside it to an
/// earlier slot finds that slot's original node under the same number, and
/// it sits no deeper than it did. The result is byte for byte what
/// [`encode_module`] writes.
pub fn encode_module_reusing(
    module: &super::Module<'_>,
    version: PyVersion,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let arena = &module.arena;
    let sorted = |v: Vec<u32>| {
        let mut v = v;
        v.sort_unstable();
        v
    };
    let mut w = Writer {
        arena,
        version,
        out,
        slot_of: vec![NO_SLOT; arena.nodes.len()],
        next_slot: 0,
        depth: 0,
        original: Some(Original {
            body: module.body,
            slots: &module.slots,
            refs: &module.refs,
            edited_nodes: sorted(arena.edited_nodes.iter().map(|n| n.0).collect()),
            edited_codes: sorted(arena.edited_codes.iter().map(|c| c.0).collect()),
        }),
    };
    w.object(module.root)?;
    out.extend_from_slice(module.trailing);
    Ok(())
}

/// Encodes a decoded module body: the root object followed by the trailing bytes.
pub fn encode_module(
    module: &super::Module<'_>,
    version: PyVersion,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    encode_node(&module.arena, module.root, version, out)?;
    out.extend_from_slice(module.trailing);
    Ok(())
}

impl Writer<'_, '_> {
    fn err(&self, msg: String) -> Error {
        Error::at(self.out.len(), ErrorKind::Encode(msg))
    }

    #[inline]
    fn i32(&mut self, v: i32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    #[inline]
    fn len32(&mut self, n: usize) -> Result<(), Error> {
        let v = i32::try_from(n).map_err(|_| self.err(format!("length {n} exceeds i32")))?;
        self.i32(v);
        Ok(())
    }

    #[inline]
    fn len8(&mut self, n: usize, what: &str) -> Result<(), Error> {
        let v = u8::try_from(n)
            .map_err(|_| self.err(format!("{what} of length {n} needs a long form")))?;
        self.out.push(v);
        Ok(())
    }

    fn object(&mut self, id: NodeId) -> Result<(), Error> {
        let slot = self.slot_of[id.0 as usize];
        if slot != NO_SLOT {
            self.out.push(b'r');
            self.i32(slot as i32);
            return Ok(());
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(format!("object nested deeper than {MAX_DEPTH} levels")));
        }
        let arena = self.arena;
        let node = &arena.nodes[id.0 as usize];
        let value = &node.value;
        if let Value::Code(cid) = value {
            if self.copy_unchanged(*cid) {
                self.depth -= 1;
                return Ok(());
            }
        }
        let mut byte = value.type_code();
        if node.flag {
            byte |= FLAG_REF;
            if value.takes_slot() {
                // Pre-order numbering: the slot is taken before the children.
                self.slot_of[id.0 as usize] = self.next_slot;
                self.next_slot += 1;
            }
        }
        self.out.push(byte);
        match value {
            Value::None | Value::True | Value::False | Value::StopIteration | Value::Ellipsis => {}
            Value::Int(v) => self.i32(*v),
            Value::Int64(v) => self.out.extend_from_slice(&v.to_le_bytes()),
            Value::Long { size, digits } => {
                self.i32(*size);
                self.out.extend_from_slice(digits);
            }
            Value::Float(bits) => self.out.extend_from_slice(&bits.to_le_bytes()),
            Value::Complex(re, im) => {
                self.out.extend_from_slice(&re.to_le_bytes());
                self.out.extend_from_slice(&im.to_le_bytes());
            }
            Value::FloatText(t) => {
                self.len8(t.len(), "float text")?;
                self.out.extend_from_slice(t);
            }
            Value::ComplexText(re, im) => {
                self.len8(re.len(), "complex text")?;
                self.out.extend_from_slice(re);
                self.len8(im.len(), "complex text")?;
                self.out.extend_from_slice(im);
            }
            Value::Bytes(b) => {
                self.len32(b.len())?;
                self.out.extend_from_slice(b);
            }
            Value::Str(kind, b) => {
                if kind.short() {
                    self.len8(b.len(), "short str")?;
                } else {
                    self.len32(b.len())?;
                }
                self.out.extend_from_slice(b);
            }
            Value::Tuple { small, items } => {
                if *small {
                    self.len8(items.len as usize, "small tuple")?;
                } else {
                    self.len32(items.len as usize)?;
                }
                self.children(arena.items(*items))?;
            }
            Value::List(items) | Value::Set(items) | Value::FrozenSet(items) => {
                self.len32(items.len as usize)?;
                self.children(arena.items(*items))?;
            }
            Value::Dict(items) | Value::FrozenDict(items) => {
                self.children(arena.items(*items))?;
                self.out.push(b'0');
            }
            Value::Slice(items) => self.children(arena.items(*items))?,
            Value::Code(cid) => {
                let c = arena.code(*cid);
                self.i32(c.argcount);
                self.i32(c.posonlyargcount);
                self.i32(c.kwonlyargcount);
                if self.version.facts().code_layout == CodeLayout::LocalsPlus {
                    self.i32(c.stacksize);
                    self.i32(c.flags);
                    let kinds = c.localspluskinds.ok_or_else(|| {
                        self.err("3.11+ code object without localspluskinds".into())
                    })?;
                    let qualname = c
                        .qualname
                        .ok_or_else(|| self.err("3.11+ code object without qualname".into()))?;
                    let exc = c.exceptiontable.ok_or_else(|| {
                        self.err("3.11+ code object without exception table".into())
                    })?;
                    for f in [
                        c.code, c.consts, c.names, c.varnames, kinds, c.filename, c.name, qualname,
                    ] {
                        self.object(f)?;
                    }
                    self.i32(c.firstlineno);
                    self.object(c.linetable)?;
                    self.object(exc)?;
                } else {
                    let nlocals = c
                        .nlocals
                        .ok_or_else(|| self.err("code object without co_nlocals".into()))?;
                    let free = c
                        .freevars
                        .ok_or_else(|| self.err("code object without co_freevars".into()))?;
                    let cell = c
                        .cellvars
                        .ok_or_else(|| self.err("code object without co_cellvars".into()))?;
                    self.i32(nlocals);
                    self.i32(c.stacksize);
                    self.i32(c.flags);
                    for f in [
                        c.code, c.consts, c.names, c.varnames, free, cell, c.filename, c.name,
                    ] {
                        self.object(f)?;
                    }
                    self.i32(c.firstlineno);
                    self.object(c.linetable)?;
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Writes code object `cid` as its original bytes if that gives exactly
    /// what encoding it would (see [`encode_module_reusing`]); `false` if
    /// it must be encoded. That holds when nothing inside it was edited, the
    /// slots it numbers start where they did (`next_slot`), none of its own
    /// flagged nodes was written before it, and every back-reference in it
    /// to an earlier slot finds that slot's node at the same number.
    fn copy_unchanged(&mut self, cid: super::CodeId) -> bool {
        let Some(o) = &self.original else {
            return false;
        };
        let Some(span) = self.arena.code(cid).span else {
            return false;
        };
        if self.next_slot != span.slots.0
            || self.depth as u64 > span.depth as u64
            || Original::edited_in(&o.edited_codes, span.codes)
            || Original::edited_in(&o.edited_nodes, span.nodes)
        {
            return false;
        }
        let bytes = o.body.get(span.bytes.0 as usize..span.bytes.1 as usize);
        let own = o.slots.get(span.slots.0 as usize..span.slots.1 as usize);
        let (Some(bytes), Some(own)) = (bytes, own) else {
            return false;
        };
        if own.iter().any(|n| self.slot_of[n.0 as usize] != NO_SLOT) {
            return false;
        }
        let first = o.refs.partition_point(|r| r.0 < span.bytes.0);
        let moved = o.refs[first..]
            .iter()
            .take_while(|r| r.0 < span.bytes.1)
            .filter(|r| r.1 < span.slots.0)
            .any(|&(_, slot)| {
                o.slots
                    .get(slot as usize)
                    .map_or(true, |n| self.slot_of[n.0 as usize] != slot)
            });
        if moved {
            return false;
        }
        self.out.extend_from_slice(bytes);
        for (k, n) in own.iter().enumerate() {
            self.slot_of[n.0 as usize] = span.slots.0 + k as u32;
        }
        self.next_slot = span.slots.1;
        true
    }

    fn children(&mut self, ids: &[NodeId]) -> Result<(), Error> {
        for &k in ids {
            self.object(k)?;
        }
        Ok(())
    }
}
