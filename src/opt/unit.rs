//! One code object as the passes see it ([`CodeUnit`]): its CFG, working
//! copies of `co_consts`, `co_names` and `co_flags`, and the file's object
//! arena; built from the arena and written back into it by [`super::file`].
//! [`Snapshot`] saves everything a pass may change so that an application
//! can be undone whole (`--bisect-limit`).

use crate::bytecode::Instr;
use crate::cfg::Cfg;
use crate::config::Level;
use crate::consts::Const;
use crate::marshal::{Arena, CodeId, NodeId, Value};
use crate::version::{CommonConst, Op, PyVersion};

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
    pub fn const_value(&self, index: u32) -> Option<Const> {
        let id = *self.consts.get(index as usize)?;
        crate::consts::read(self.arena, id)
    }

    /// The index of `c` in `co_consts`: an existing entry holding the same
    /// value of the same type (see [`crate::consts::same`]), else a new entry
    /// appended at the end.
    pub fn const_index(&mut self, c: &Const) -> u32 {
        for (k, &id) in self.consts.iter().enumerate() {
            if crate::consts::node_is(self.arena, id, c) {
                return k as u32;
            }
        }
        let id = crate::consts::write(self.arena, c);
        self.consts.push(id);
        (self.consts.len() - 1) as u32
    }

    /// Whether `ins` pushes a constant under version `v`: `LOAD_CONST`,
    /// 3.14+'s `LOAD_SMALL_INT` (an int 0..=255 in the argument itself), or
    /// a `LOAD_COMMON_CONSTANT` whose argument names a constant on `v`
    /// (3.15: `None`, `""`, `True`, `False`, `-1`; see
    /// [`crate::version::Facts::common_constants`]; its other arguments push
    /// `AssertionError`, `tuple`, `all` … and are not constant loads).
    pub fn is_const_load(v: PyVersion, ins: &Instr) -> bool {
        // `CONST_LOADS` must hold every op this accepts.
        match ins.op {
            Op::LOAD_CONST | Op::LOAD_SMALL_INT => true,
            Op::LOAD_COMMON_CONSTANT => common_const(v, ins.arg).is_some(),
            _ => false,
        }
    }

    /// Every op [`CodeUnit::is_const_load`] may accept (for raw prechecks).
    pub const CONST_LOADS: &'static [Op] =
        &[Op::LOAD_CONST, Op::LOAD_SMALL_INT, Op::LOAD_COMMON_CONSTANT];

    /// The constant a constant load pushes (see [`CodeUnit::is_const_load`]).
    pub fn loaded_const(&self, ins: &Instr) -> Option<Const> {
        match ins.op {
            Op::LOAD_CONST => self.const_value(ins.arg),
            Op::LOAD_SMALL_INT => Some(Const::Int(ins.arg as i128)),
            Op::LOAD_COMMON_CONSTANT => common_const(self.cfg.version, ins.arg),
            _ => None,
        }
    }

    /// The `co_consts` index of what a constant load pushes; for
    /// `LOAD_SMALL_INT` and 3.15's `LOAD_COMMON_CONSTANT` the value is found
    /// in or appended to `co_consts`.
    pub fn loaded_index(&mut self, ins: &Instr) -> Option<u32> {
        match ins.op {
            Op::LOAD_CONST => Some(ins.arg),
            Op::LOAD_SMALL_INT | Op::LOAD_COMMON_CONSTANT => {
                let c = self.loaded_const(ins)?;
                Some(self.const_index(&c))
            }
            _ => None,
        }
    }

    /// A marshal node holding what a constant load pushes, as an item of a
    /// new constant tuple: the `co_consts` entry itself for `LOAD_CONST`
    /// (and, as [`CodeUnit::loaded_index`] gives it, for `LOAD_SMALL_INT`);
    /// for 3.15's `LOAD_COMMON_CONSTANT` a new node, not added to
    /// `co_consts` (its values are singletons or cached: `None`, `True`,
    /// `False`, `""`, `-1` unmarshal to the very objects the instruction
    /// pushes).
    pub fn loaded_node(&mut self, ins: &Instr) -> Option<NodeId> {
        if ins.op == Op::LOAD_COMMON_CONSTANT {
            let c = self.loaded_const(ins)?;
            return Some(crate::consts::write(self.arena, &c));
        }
        let index = self.loaded_index(ins)?;
        self.consts.get(index as usize).copied()
    }

    /// Turns `ins` into a load of `index` in `co_consts`, spelled as
    /// CPython's compiler spells it: on 3.14+ an int 0..=255 is
    /// `LOAD_SMALL_INT n` (CPython's `maybe_instr_make_load_smallint`), on
    /// 3.15 `None`, `""`, `True`, `False` and `-1` are
    /// `LOAD_COMMON_CONSTANT n` (see [`CodeUnit::common_load`]), anything
    /// else `LOAD_CONST index`.
    pub fn set_const_load(&self, ins: &mut Instr, index: u32) {
        ins.ext = 0;
        let facts = self.cfg.version.facts();
        let by_value = facts.loads_small_ints_by_value || !facts.common_constants.is_empty();
        if let Some(c) = self.const_value(index).filter(|_| by_value) {
            if let Some(n) = self.common_load(&c) {
                ins.op = Op::LOAD_COMMON_CONSTANT;
                ins.arg = n;
                return;
            }
            if let Const::Int(n @ 0..=255) = c {
                if facts.loads_small_ints_by_value {
                    ins.op = Op::LOAD_SMALL_INT;
                    ins.arg = n as u32;
                    return;
                }
            }
        }
        ins.op = Op::LOAD_CONST;
        ins.arg = index;
    }

    /// Turns `ins` into a load of the value `c`, spelled as
    /// [`CodeUnit::set_const_load`] spells it; a value that 3.15 loads with
    /// `LOAD_COMMON_CONSTANT` needs no `co_consts` entry and gets none,
    /// anything else is found in or appended to `co_consts`
    /// ([`CodeUnit::const_index`]).
    pub fn set_const_load_value(&mut self, ins: &mut Instr, c: &Const) {
        if let Some(n) = self.common_load(c) {
            ins.ext = 0;
            ins.op = Op::LOAD_COMMON_CONSTANT;
            ins.arg = n;
            return;
        }
        let index = self.const_index(c);
        self.set_const_load(ins, index);
    }

    /// The `LOAD_COMMON_CONSTANT` argument that pushes `c` on this unit's
    /// version, if any (3.15: `None`, `""`, `True`, `False` and the int
    /// `-1`, exactly: `1`, `0.0` and `-1.0` are not among them).
    pub fn common_load(&self, c: &Const) -> Option<u32> {
        self.cfg
            .version
            .facts()
            .common_constants
            .iter()
            .find(|&&(_, k)| crate::consts::same(&common_value(k), c))
            .map(|&(n, _)| n)
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
            arena.code_mut(id).consts = node;
        }
        if names != tuple(arena, old_names) {
            let node = new_tuple(arena, &names);
            arena.code_mut(id).names = node;
        }
        // Passes may clear flags (3.14's CO_HAS_DOCSTRING, strip-docstrings).
        arena.code_mut(id).flags = flags;
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
        for (k, flag) in node_flags.into_iter().enumerate() {
            let id = NodeId(k as u32);
            if self.arena.node(id).flag != flag {
                self.arena.node_mut(id).flag = flag;
            }
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

/// The constant `LOAD_COMMON_CONSTANT arg` pushes on `v`, if it pushes one
/// (see [`crate::version::Facts::common_constants`]).
pub fn common_const(v: PyVersion, arg: u32) -> Option<Const> {
    v.facts()
        .common_constants
        .iter()
        .find(|&&(n, _)| n == arg)
        .map(|&(_, k)| common_value(k))
}

/// The value of a common constant.
fn common_value(k: CommonConst) -> Const {
    match k {
        CommonConst::None => Const::None,
        CommonConst::EmptyStr => Const::Str(String::new()),
        CommonConst::True => Const::Bool(true),
        CommonConst::False => Const::Bool(false),
        CommonConst::MinusOne => Const::Int(-1),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::{CodeIr, Loc};
    use crate::marshal::Node;

    fn ins(op: Op, arg: u32) -> Instr {
        Instr {
            op,
            ext: 0,
            arg,
            loc: Loc::NONE,
            line_start: false,
        }
    }

    /// An arena holding `None` and `300`, the `co_consts` of the unit.
    fn arena() -> Arena<'static> {
        let node = |value| Node { value, flag: false };
        Arena {
            nodes: vec![node(Value::None), node(Value::Int(300))],
            kids: vec![],
            codes: vec![],
            ..Arena::default()
        }
    }

    fn unit<'f, 'a>(arena: &'f mut Arena<'a>, v: PyVersion) -> CodeUnit<'f, 'a> {
        CodeUnit {
            cfg: Cfg::build(&CodeIr::new(v)),
            arena,
            id: CodeId(0),
            consts: vec![NodeId(0), NodeId(1)],
            names: vec![],
            flags: 0,
            nargs: 0,
            nlocals: 0,
            qualname: "f".into(),
            level: Level::Safe,
        }
    }

    /// 3.15's `LOAD_COMMON_CONSTANT 7..=11` are constant loads of `None`,
    /// `""`, `True`, `False`, `-1`; its `0..=6` (`AssertionError` … `set`)
    /// and every `LOAD_COMMON_CONSTANT` of 3.14 are not.
    #[test]
    fn common_constants_are_constant_loads_on_3_15_only() {
        let lcc = |n| ins(Op::LOAD_COMMON_CONSTANT, n);
        for n in 0..16 {
            assert!(!CodeUnit::is_const_load(PyVersion::V3_14, &lcc(n)), "{n}");
            let expected = (7..=11).contains(&n);
            assert_eq!(
                CodeUnit::is_const_load(PyVersion::V3_15, &lcc(n)),
                expected,
                "{n}"
            );
        }
        for v in [PyVersion::V3_14, PyVersion::V3_15] {
            assert!(CodeUnit::is_const_load(v, &ins(Op::LOAD_CONST, 0)));
            assert!(CodeUnit::is_const_load(v, &ins(Op::LOAD_SMALL_INT, 3)));
            assert!(!CodeUnit::is_const_load(v, &ins(Op::LOAD_FAST, 0)));
        }
        let mut a = arena();
        let u = unit(&mut a, PyVersion::V3_15);
        let values = [
            Const::None,
            Const::Str(String::new()),
            Const::Bool(true),
            Const::Bool(false),
            Const::Int(-1),
        ];
        for (n, c) in (7..).zip(&values) {
            assert_eq!(u.loaded_const(&lcc(n)).as_ref(), Some(c), "{n}");
            assert_eq!(u.common_load(c), Some(n));
        }
        assert_eq!(u.loaded_const(&lcc(0)), None);
        // Same value and type only: 1, 0, -1.0 and "x" are not common.
        for c in [
            Const::Int(1),
            Const::Int(0),
            Const::Float(-1.0),
            Const::Str("x".into()),
        ] {
            assert_eq!(u.common_load(&c), None, "{c:?}");
        }
        let mut a = arena();
        let u = unit(&mut a, PyVersion::V3_14);
        assert_eq!(u.loaded_const(&lcc(0)), None);
        assert_eq!(u.common_load(&Const::None), None);
    }

    /// `loaded_index` finds a common constant in `co_consts` or appends it.
    #[test]
    fn loaded_index_of_a_common_constant() {
        let mut a = arena();
        let mut u = unit(&mut a, PyVersion::V3_15);
        let lcc = |n| ins(Op::LOAD_COMMON_CONSTANT, n);
        assert_eq!(u.loaded_index(&lcc(7)), Some(0));
        assert_eq!(u.consts.len(), 2);
        assert_eq!(u.loaded_index(&lcc(9)), Some(2));
        assert_eq!(u.const_value(2), Some(Const::Bool(true)));
        assert_eq!(u.loaded_index(&lcc(0)), None);
        // A tuple item: a node of its own, co_consts untouched.
        let node = u.loaded_node(&lcc(11)).expect("node");
        assert_eq!(crate::consts::read(u.arena, node), Some(Const::Int(-1)));
        assert_eq!(u.consts.len(), 3);
    }

    /// Loads are spelled as each version's compiler spells them.
    #[test]
    fn const_loads_are_spelled_as_cpython_does() {
        let spell = |v: PyVersion, c: &Const| {
            let mut a = arena();
            let mut u = unit(&mut a, v);
            let mut i = ins(Op::NOP, 0);
            u.set_const_load_value(&mut i, c);
            (i.op, i.arg, u.consts.len())
        };
        let v15 = PyVersion::V3_15;
        assert_eq!(spell(v15, &Const::None), (Op::LOAD_COMMON_CONSTANT, 7, 2));
        assert_eq!(
            spell(v15, &Const::Str(String::new())),
            (Op::LOAD_COMMON_CONSTANT, 8, 2)
        );
        assert_eq!(
            spell(v15, &Const::Bool(true)),
            (Op::LOAD_COMMON_CONSTANT, 9, 2)
        );
        assert_eq!(
            spell(v15, &Const::Bool(false)),
            (Op::LOAD_COMMON_CONSTANT, 10, 2)
        );
        assert_eq!(
            spell(v15, &Const::Int(-1)),
            (Op::LOAD_COMMON_CONSTANT, 11, 2)
        );
        assert_eq!(spell(v15, &Const::Int(1)).0, Op::LOAD_SMALL_INT);
        assert_eq!(spell(v15, &Const::Int(300)), (Op::LOAD_CONST, 1, 2));
        assert_eq!(spell(v15, &Const::Float(-1.0)), (Op::LOAD_CONST, 2, 3));
        // 3.14: LOAD_CONST (None is found, True appended), small ints by value.
        let v14 = PyVersion::V3_14;
        assert_eq!(spell(v14, &Const::None), (Op::LOAD_CONST, 0, 2));
        assert_eq!(spell(v14, &Const::Bool(true)), (Op::LOAD_CONST, 2, 3));
        assert_eq!(spell(v14, &Const::Int(7)), (Op::LOAD_SMALL_INT, 7, 3));
        // By index: co_consts[0] (None) on 3.15 is LOAD_COMMON_CONSTANT 7.
        let mut a = arena();
        let u = unit(&mut a, v15);
        let mut i = ins(Op::NOP, 0);
        u.set_const_load(&mut i, 0);
        assert_eq!((i.op, i.arg), (Op::LOAD_COMMON_CONSTANT, 7));
        u.set_const_load(&mut i, 1);
        assert_eq!((i.op, i.arg), (Op::LOAD_CONST, 1));
    }
}
