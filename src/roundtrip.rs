//! One `.pyc` through the whole codec: header → marshal → every code object
//! decoded to the instruction IR and encoded again from it → marshal → bytes.
//! Also the structural checks of `pyopt verify`.

use crate::bytecode::{self, CodeIr, Encoded, Scratch, StackReport};
use crate::error::{Error, ErrorKind};
use crate::marshal::{self, Arena, CodeId, CodeObj, Module, NodeId, Recycled, Value};
use crate::pyc::{Header, HEADER_LEN};
use crate::version::PyVersion;

/// How a recomputed `co_stacksize` compares with the stored one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StackStats {
    pub equal: u64,
    /// Recomputed value smaller: CPython's is an over-approximation.
    pub smaller: u64,
    /// Of `smaller`, code objects with instructions that no path reaches:
    /// CPython sized the stack while that code was still reachable.
    pub smaller_dead_code: u64,
    /// Recomputed value larger: a bug in our walk or a broken file.
    pub larger: u64,
}

impl StackStats {
    pub fn add(&mut self, o: &StackStats) {
        self.equal += o.equal;
        self.smaller += o.smaller;
        self.smaller_dead_code += o.smaller_dead_code;
        self.larger += o.larger;
    }
}

/// A parsed `.pyc`: header and marshal body borrowing from the file bytes.
pub struct PycFile<'a> {
    pub header: Header,
    pub module: Module<'a>,
}

impl<'a> PycFile<'a> {
    /// Parses header and body.
    pub fn parse(data: &'a [u8]) -> Result<PycFile<'a>, Error> {
        PycFile::parse_with(data, &mut Recycled::default())
    }

    /// [`PycFile::parse`] reusing the allocations of earlier files.
    pub fn parse_with(data: &'a [u8], recycled: &mut Recycled) -> Result<PycFile<'a>, Error> {
        let header = Header::parse(data)?;
        let module =
            marshal::decode_module_with(&data[HEADER_LEN..], header.version, HEADER_LEN, recycled)?;
        Ok(PycFile { header, module })
    }

    pub fn version(&self) -> PyVersion {
        self.header.version
    }

    /// Writes the file back.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        self.header.write(out);
        marshal::encode_module(&self.module, self.header.version, out)
    }

    /// [`PycFile::write`], copying the code objects that are unchanged
    /// since parsing from the input ([`marshal::encode_module_reusing`]):
    /// the same bytes, for arenas changed only through `node_mut`/`code_mut`.
    pub fn write_reusing(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        self.header.write(out);
        marshal::encode_module_reusing(&self.module, self.header.version, out)
    }

    /// Ids of every code object, in marshal order (module first).
    pub fn code_ids(&self) -> impl Iterator<Item = CodeId> {
        (0..self.module.arena.codes.len() as u32).map(CodeId)
    }

    /// The qualified name of a code object (its name before 3.11).
    pub fn qualname(&self, id: CodeId) -> String {
        let arena = &self.module.arena;
        let c = arena.code(id);
        c.qualname
            .and_then(|q| arena.as_string(q))
            .or_else(|| arena.as_string(c.name))
            .unwrap_or_else(|| "<unnamed>".into())
    }

    /// Decodes one code object's instructions.
    pub fn decode_code(&self, id: CodeId) -> Result<CodeIr, Error> {
        let mut ir = CodeIr::new(self.version());
        self.decode_code_into(id, &mut ir, &mut Scratch::default())?;
        Ok(ir)
    }

    /// [`PycFile::decode_code`] into an existing IR, reusing allocations.
    pub fn decode_code_into(
        &self,
        id: CodeId,
        ir: &mut CodeIr,
        scratch: &mut Scratch,
    ) -> Result<(), Error> {
        let arena = &self.module.arena;
        let c = arena.code(id);
        let code = field_bytes(arena, c, c.code, "co_code")?;
        let lt = field_bytes(arena, c, c.linetable, "co_linetable")?;
        let et = match c.exceptiontable {
            Some(e) => Some(field_bytes(arena, c, e, "co_exceptiontable")?),
            None => None,
        };
        ir.version = self.version();
        bytecode::decode_into(ir, scratch, code, lt, et, c.firstlineno).map_err(|e| {
            Error::at(
                c.offset,
                ErrorKind::Bytecode(format!("code object {}: {e}", self.qualname(id))),
            )
        })
    }

    /// Replaces a code object's byte strings and stack size with freshly
    /// encoded ones. A byte string equal to the stored one keeps its node (and
    /// so its ref slot); a different one gets a new node, so nodes shared with
    /// other code objects are never changed behind their back.
    pub fn store_code(&mut self, id: CodeId, enc: &Encoded, stacksize: i32) {
        let arena = &mut self.module.arena;
        let c = arena.code(id).clone();
        let code = replace_bytes(arena, c.code, &enc.code);
        let linetable = replace_bytes(arena, c.linetable, &enc.linetable);
        let exceptiontable = c
            .exceptiontable
            .map(|e| replace_bytes(arena, e, &enc.exceptiontable));
        let slot = arena.code_mut(id);
        slot.code = code;
        slot.linetable = linetable;
        slot.exceptiontable = exceptiontable;
        slot.stacksize = stacksize;
    }
}

fn field_bytes<'x>(
    arena: &'x Arena<'_>,
    code: &CodeObj,
    id: NodeId,
    field: &'static str,
) -> Result<&'x [u8], Error> {
    arena.as_bytes(id).ok_or_else(|| {
        Error::at(
            code.offset,
            ErrorKind::BadCodeField {
                field,
                found: arena.value(id).kind_name(),
            },
        )
    })
}

fn replace_bytes(arena: &mut Arena<'_>, id: NodeId, new: &[u8]) -> NodeId {
    if arena.as_bytes(id) == Some(new) {
        return id;
    }
    let flag = arena.node(id).flag;
    arena.push(Value::Bytes(std::borrow::Cow::Owned(new.to_vec())), flag)
}

/// Buffers one thread reuses for every code object it round-trips.
#[derive(Debug)]
pub struct Workspace {
    pub recycled: Recycled,
    pub out: Vec<u8>,
    pub scratch: Scratch,
    pub ir: CodeIr,
    pub encoded: Encoded,
    pub stack: StackReport,
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace {
            recycled: Recycled::default(),
            out: Vec::new(),
            scratch: Scratch::default(),
            // A placeholder: `decode_code_into` sets the file's version.
            ir: CodeIr::new(PyVersion::ALL[0]),
            encoded: Encoded::default(),
            stack: StackReport::default(),
        }
    }
}

thread_local! {
    static WORKSPACE: std::cell::RefCell<Workspace> = std::cell::RefCell::new(Workspace::default());
}

/// What a round trip of one file found.
#[derive(Clone, Debug, Default)]
pub struct RoundTrip {
    pub version: Option<PyVersion>,
    pub code_objects: u64,
    pub identical: bool,
    /// First differing byte offset, when not identical.
    pub first_difference: Option<usize>,
    pub stack: StackStats,
    /// Code objects whose recomputed stack size differs, with both values.
    pub stack_mismatches: Vec<(String, i32, u32)>,
}

/// How deep a round trip goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Depth {
    /// Down to the instruction IR of every code object (the real check).
    #[default]
    Instructions,
    /// Through the instruction IR and the control-flow graph: decode → CFG →
    /// linearize → encode (the identity every optimization starts from).
    Cfg,
    /// Only header and marshal object tree; code objects' byte strings are
    /// copied through. For measuring the marshal layer on its own.
    Marshal,
}

/// Decodes `data` down to the instruction IR of every code object and
/// encodes it all back; compares the result with the input.
pub fn roundtrip_bytes(data: &[u8]) -> Result<RoundTrip, Error> {
    roundtrip_to(data, Depth::Instructions)
}

/// [`roundtrip_bytes`] to a chosen depth, with this thread's reusable buffers.
pub fn roundtrip_to(data: &[u8], depth: Depth) -> Result<RoundTrip, Error> {
    with_workspace(|ws| roundtrip_with(data, ws, depth))
}

/// Runs `f` with this thread's [`Workspace`] (a fresh one if it is already
/// in use further up the stack).
pub fn with_workspace<R>(f: impl FnOnce(&mut Workspace) -> R) -> R {
    WORKSPACE.with(|ws| match ws.try_borrow_mut() {
        Ok(mut ws) => f(&mut ws),
        Err(_) => f(&mut Workspace::default()),
    })
}

/// [`roundtrip_to`] with caller-provided buffers.
pub fn roundtrip_with(data: &[u8], ws: &mut Workspace, depth: Depth) -> Result<RoundTrip, Error> {
    let Workspace {
        recycled,
        out,
        scratch,
        ir,
        encoded,
        stack,
    } = ws;
    let mut file = PycFile::parse_with(data, recycled)?;
    let mut rt = RoundTrip {
        version: Some(file.version()),
        ..RoundTrip::default()
    };
    let codes = match depth {
        Depth::Instructions | Depth::Cfg => file.module.arena.codes.len() as u32,
        Depth::Marshal => 0,
    };
    for id in (0..codes).map(CodeId) {
        file.decode_code_into(id, ir, scratch)?;
        if depth == Depth::Cfg {
            *ir = crate::cfg::Cfg::build(ir).linearize().map_err(|e| {
                Error::at(
                    file.module.arena.code(id).offset,
                    ErrorKind::Encode(format!("code object {}: {e}", file.qualname(id))),
                )
            })?;
        }
        bytecode::encode_into(ir, scratch, encoded).map_err(|e| {
            Error::at(
                file.module.arena.code(id).offset,
                ErrorKind::Encode(format!("code object {}: {e}", file.qualname(id))),
            )
        })?;
        let c = file.module.arena.code(id);
        let stored = c.stacksize;
        bytecode::stack_depth_into(ir, c.flags, scratch, stack);
        let computed = stack.max_depth;
        match (computed as i64).cmp(&(stored as i64)) {
            std::cmp::Ordering::Equal => rt.stack.equal += 1,
            std::cmp::Ordering::Less => {
                rt.stack.smaller += 1;
                let dead = stack.has_unreachable();
                if dead {
                    rt.stack.smaller_dead_code += 1;
                }
                let note = if dead { " (has unreachable code)" } else { "" };
                rt.stack_mismatches.push((
                    format!("{}{note}", file.qualname(id)),
                    stored,
                    computed,
                ));
            }
            std::cmp::Ordering::Greater => {
                rt.stack.larger += 1;
                rt.stack_mismatches
                    .push((file.qualname(id), stored, computed));
            }
        }
        // Never write a stack size below the stored one: too large is harmless,
        // and 3.8/3.9 store an over-approximation.
        let stacksize = (computed as i64).max(stored as i64).min(i32::MAX as i64) as i32;
        file.store_code(id, encoded, stacksize);
        rt.code_objects += 1;
    }
    out.clear();
    let written = file.write(out);
    recycled.recycle(file.module);
    written?;
    rt.identical = *out == data;
    if !rt.identical {
        rt.first_difference = Some(
            out.iter()
                .zip(data)
                .position(|(a, b)| a != b)
                .unwrap_or(out.len().min(data.len())),
        );
    }
    Ok(rt)
}
