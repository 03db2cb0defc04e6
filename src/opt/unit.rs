//! One code object as the passes see it ([`CodeUnit`]): its CFG, working
//! copies of `co_consts`, `co_names` and `co_flags`, and the file's object
//! arena; built from the arena and written back into it by [`super::file`].
//! [`Snapshot`] saves everything a pass may change so that an application
//! can be undone whole (`--bisect-limit`).

use crate::cfg::Cfg;
use crate::config::Level;
use crate::marshal::{Arena, CodeId, NodeId, Value};

/// One code object as a pass sees it.
pub struct CodeUnit<'f, 'a> {
    pub cfg: Cfg,
    /// The file's object arena: constants and names live here. A pass that
    /// needs a new constant pushes a node and appends its id to `consts`.
    pub arena: &'f mut Arena<'a>,
    pub id: CodeId,
    /// Working copy of `co_consts`; written back if it grew. Index 0 keeps
    /// its meaning (the docstring slot).
    pub consts: Vec<NodeId>,
    /// Working copy of `co_names`.
    pub names: Vec<NodeId>,
    /// `co_flags`; a pass may change it (written back with the code).
    pub flags: i32,
    /// Locals bound on entry: the parameters (incl. `*args`, `**kwargs`),
    /// which are the first locals.
    pub nargs: usize,
    /// Number of local variables (`co_nlocals` / localsplus length).
    pub nlocals: usize,
    pub qualname: String,
    /// The run's level (see [`Pipeline::level`]).
    pub level: Level,
}

impl CodeUnit<'_, '_> {
    /// The value a `LOAD_CONST`-style argument names, if it is one of the
    /// built-in constants [`crate::consts`] models.
    pub fn const_value(&self, index: u32) -> Option<crate::consts::Const> {
        let id = *self.consts.get(index as usize)?;
        crate::consts::read(self.arena, id)
    }

    /// The index of `c` in `co_consts`: an existing entry holding the same
    /// value of the same type (see [`crate::consts::same`]), else a new entry
    /// appended at the end.
    pub fn const_index(&mut self, c: &crate::consts::Const) -> u32 {
        for (k, &id) in self.consts.iter().enumerate() {
            if crate::consts::node_is(self.arena, id, c) {
                return k as u32;
            }
        }
        let id = crate::consts::write(self.arena, c);
        self.consts.push(id);
        (self.consts.len() - 1) as u32
    }

    /// Whether `op` pushes a constant: `LOAD_CONST`, or 3.14's `LOAD_SMALL_INT`
    /// (an int 0..=255 in the argument itself).
    pub fn is_const_load(op: crate::version::Op) -> bool {
        matches!(
            op,
            crate::version::Op::LOAD_CONST | crate::version::Op::LOAD_SMALL_INT
        )
    }

    /// The constant a constant load pushes (see [`CodeUnit::is_const_load`]).
    pub fn loaded_const(&self, ins: &crate::bytecode::Instr) -> Option<crate::consts::Const> {
        match ins.op {
            crate::version::Op::LOAD_CONST => self.const_value(ins.arg),
            crate::version::Op::LOAD_SMALL_INT => Some(crate::consts::Const::Int(ins.arg as i128)),
            _ => None,
        }
    }

    /// The `co_consts` index of what a constant load pushes; for
    /// `LOAD_SMALL_INT` the int is found in or appended to `co_consts`.
    pub fn loaded_index(&mut self, ins: &crate::bytecode::Instr) -> Option<u32> {
        match ins.op {
            crate::version::Op::LOAD_CONST => Some(ins.arg),
            crate::version::Op::LOAD_SMALL_INT => {
                Some(self.const_index(&crate::consts::Const::Int(ins.arg as i128)))
            }
            _ => None,
        }
    }

    /// Turns `ins` into a load of `index` in `co_consts`, spelled as
    /// CPython's compiler spells it: on 3.14+ an int 0..=255 is
    /// `LOAD_SMALL_INT n` (CPython's `maybe_instr_make_load_smallint`),
    /// anything else `LOAD_CONST index`.
    pub fn set_const_load(&self, ins: &mut crate::bytecode::Instr, index: u32) {
        use crate::version::Op;
        ins.ext = 0;
        if self.cfg.version.facts().loads_small_ints_by_value {
            if let Some(crate::consts::Const::Int(n @ 0..=255)) = self.const_value(index) {
                ins.op = Op::LOAD_SMALL_INT;
                ins.arg = n as u32;
                return;
            }
        }
        ins.op = Op::LOAD_CONST;
        ins.arg = index;
    }

    /// Appends an existing node to `co_consts` (or finds it there).
    pub fn const_node_index(&mut self, id: NodeId) -> u32 {
        if let Some(k) = self.consts.iter().position(|&c| c == id) {
            return k as u32;
        }
        self.consts.push(id);
        (self.consts.len() - 1) as u32
    }
}

impl<'f, 'a> CodeUnit<'f, 'a> {
    /// The unit of code object `id` of `arena`, around its CFG: working
    /// copies of its constants, names and flags.
    pub fn new(
        arena: &'f mut Arena<'a>,
        id: CodeId,
        cfg: Cfg,
        nlocals: usize,
        qualname: String,
        level: Level,
    ) -> Self {
        let c = arena.code(id);
        let (flags, nargs) = (
            c.flags,
            parameter_count(c.argcount, c.kwonlyargcount, c.flags),
        );
        let (consts, names) = (tuple(arena, c.consts), tuple(arena, c.names));
        CodeUnit {
            cfg,
            arena,
            id,
            consts,
            names,
            flags,
            nargs,
            nlocals,
            qualname,
            level,
        }
    }

    /// Writes the working copies of `co_consts`, `co_names` and `co_flags`
    /// back into the code object; a changed table becomes a new tuple node
    /// (the old one may be shared with other code objects). The code bytes
    /// themselves are stored by the caller, which encoded them.
    pub fn write_back(self) {
        let CodeUnit {
            arena,
            id,
            consts,
            names,
            flags,
            ..
        } = self;
        let (old_consts, old_names) = {
            let c = arena.code(id);
            (c.consts, c.names)
        };
        if consts != tuple(arena, old_consts) {
            let node = new_tuple(arena, &consts);
            arena.codes[id.0 as usize].consts = node;
        }
        if names != tuple(arena, old_names) {
            let node = new_tuple(arena, &names);
            arena.codes[id.0 as usize].names = node;
        }
        // Passes may clear flags (3.14's CO_HAS_DOCSTRING, strip-docstrings).
        arena.codes[id.0 as usize].flags = flags;
    }

    /// Everything a pass may change, saved (see [`CodeUnit::restore`]).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            cfg: self.cfg.clone(),
            consts: self.consts.clone(),
            names: self.names.clone(),
            flags: self.flags,
            nodes: self.arena.nodes.len(),
            kids: self.arena.kids.len(),
            node_flags: self.arena.nodes.iter().map(|n| n.flag).collect(),
        }
    }

    /// Puts the unit back as it was at `snapshot`: the CFG, the constants,
    /// names and flags, and the arena (nodes added since are dropped; the
    /// reference flags passes set on shared constants are reset).
    pub fn restore(&mut self, snapshot: Snapshot) {
        let Snapshot {
            cfg,
            consts,
            names,
            flags,
            nodes,
            kids,
            node_flags,
        } = snapshot;
        self.cfg = cfg;
        self.consts = consts;
        self.names = names;
        self.flags = flags;
        self.arena.nodes.truncate(nodes);
        self.arena.kids.truncate(kids);
        for (node, flag) in self.arena.nodes.iter_mut().zip(node_flags) {
            node.flag = flag;
        }
    }
}

/// A saved state of a [`CodeUnit`]: everything a pass may change.
#[derive(Clone, Debug)]
pub struct Snapshot {
    cfg: Cfg,
    consts: Vec<NodeId>,
    names: Vec<NodeId>,
    flags: i32,
    nodes: usize,
    kids: usize,
    node_flags: Vec<bool>,
}

/// The items of a tuple node (empty when `n` is not a tuple).
fn tuple(arena: &Arena<'_>, n: NodeId) -> Vec<NodeId> {
    arena
        .as_tuple(n)
        .map(<[NodeId]>::to_vec)
        .unwrap_or_default()
}

/// A new tuple node holding `items`.
fn new_tuple(arena: &mut Arena<'_>, items: &[NodeId]) -> NodeId {
    let kids = arena.push_items(items);
    let small = items.len() < 256;
    arena.push(Value::Tuple { small, items: kids }, false)
}

/// Locals bound on entry: positional (incl. positional-only) and keyword-only
/// parameters, then `*args` and `**kwargs` when the flags say they exist.
fn parameter_count(argcount: i32, kwonly: i32, flags: i32) -> usize {
    const CO_VARARGS: i32 = 0x04;
    const CO_VARKEYWORDS: i32 = 0x08;
    argcount.max(0) as usize
        + kwonly.max(0) as usize
        + usize::from(flags & CO_VARARGS != 0)
        + usize::from(flags & CO_VARKEYWORDS != 0)
}
