//! The pass contract: the [`Pass`] trait, what a pass reports ([`Changed`]),
//! and the cheap look at a code object as read ([`Precheck`]) through which a
//! pass says it has nothing to do.
//!
//! Contract: a pass sees one code object ([`CodeUnit`]: its CFG, constants,
//! names and flags; nested code objects are separate units), changes it only
//! through the CFG's edit API and the unit's constant-pool helpers, returns
//! how many changes it made, and never leaves the CFG in a state `linearize`
//! rejects. The pass manager ([`super::Pipeline`]) verifies the result.

use super::unit::CodeUnit;
pub use crate::config::Level;
use crate::version::{Op, PyVersion};

/// How many changes a pass made (0 = none).
#[must_use]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Changed(pub u32);

impl Changed {
    pub const NONE: Changed = Changed(0);

    pub fn any(self) -> bool {
        self.0 > 0
    }
}

/// The set of a pipeline's passes (by position) that may change a code
/// object, from their [`Pass::may_change`]. Past 64 passes every pass is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MayChange(u64);

impl MayChange {
    pub const NONE: MayChange = MayChange(0);
    /// Every pass.
    pub const ALL: MayChange = MayChange(u64::MAX);

    pub fn set(&mut self, k: usize) {
        self.0 |= 1u64.checked_shl(k as u32).unwrap_or(u64::MAX);
    }

    pub fn get(self, k: usize) -> bool {
        k >= 64 || self.0 & (1u64 << k) != 0
    }

    pub fn any(self) -> bool {
        self.0 != 0
    }

    /// The passes in either set.
    pub fn union(self, other: MayChange) -> MayChange {
        MayChange(self.0 | other.0)
    }
}

/// A code object as read, before any CFG is built: what
/// [`Pass::may_change`] looks at to tell, cheaply, that a pass has nothing
/// to do (most code objects of a compiled tree give every pass nothing).
pub struct Precheck<'i> {
    pub ir: &'i crate::bytecode::CodeIr,
    pub level: Level,
    /// Number of local variables.
    pub nlocals: usize,
    /// Buffers for the walk of [`Precheck::has_unreachable`].
    walk: std::cell::RefCell<&'i mut crate::bytecode::Scratch>,
    unreachable: std::cell::OnceCell<bool>,
}

impl<'i> Precheck<'i> {
    /// The facts of `ir` as read; `walk` lends buffers for the reachability walk.
    pub fn new(
        ir: &'i crate::bytecode::CodeIr,
        level: Level,
        nlocals: usize,
        walk: &'i mut crate::bytecode::Scratch,
    ) -> Self {
        Precheck {
            ir,
            level,
            nlocals,
            walk: std::cell::RefCell::new(walk),
            unreachable: std::cell::OnceCell::new(),
        }
    }
}

impl Precheck<'_> {
    /// Whether some instruction matches `f`.
    pub fn any(&self, f: impl Fn(&crate::bytecode::Instr) -> bool) -> bool {
        self.ir.instrs.iter().any(f)
    }

    /// Whether some instruction `a` is followed, past any NOPs, by an
    /// instruction `b` with `f(a, b)`.
    pub fn any_pair(
        &self,
        mut f: impl FnMut(&crate::bytecode::Instr, &crate::bytecode::Instr) -> bool,
    ) -> bool {
        let mut prev: Option<&crate::bytecode::Instr> = None;
        for ins in &self.ir.instrs {
            if let Some(p) = prev {
                if f(p, ins) {
                    return true;
                }
            }
            if ins.op != crate::version::Op::NOP {
                prev = Some(ins);
            }
        }
        false
    }

    /// Whether some instruction is reached by no path (the stack walk's
    /// reachability: fall-through, jumps, exception handlers). Computed once,
    /// with the driver's reusable buffers.
    pub fn has_unreachable(&self) -> bool {
        *self.unreachable.get_or_init(|| {
            let mut walk = self.walk.borrow_mut();
            crate::bytecode::has_unreachable(self.ir, &mut walk)
        })
    }
}

/// One condition on a code object's raw instructions (see
/// [`Pass::raw_needs`]). Ops a version lacks never match.
#[derive(Clone, Copy, Debug)]
pub enum Need {
    /// Nothing can be said without decoding.
    Always,
    /// Some instruction has one of these ops.
    Op(&'static [Op]),
    /// An instruction with an op of the first list is followed, past any
    /// `NOP`s, by one with an op of the second.
    Pair(&'static [Op], &'static [Op]),
    /// [`Need::Pair`] under further rules.
    PairWith(&'static [Op], &'static [Op], PairRule),
    /// A `NOP` has the line of the instruction laid out right before or
    /// right after it (that instruction may be a `NOP` too).
    NopBesideItsLine,
    /// An instruction with one of these ops comes right after (past
    /// `NOP`s) at least this many constant loads
    /// ([`CodeUnit::CONST_LOADS`](super::CodeUnit::CONST_LOADS)); 0: at
    /// least as many as its argument.
    AfterConsts(&'static [Op], u8),
    /// One of `jump-threading`'s shapes ([`crate::bytecode::raw::jump_shapes`]).
    JumpShapes(crate::bytecode::raw::JumpShapes),
    /// Some instruction is reached by no path
    /// ([`crate::bytecode::has_unreachable`]).
    Unreachable,
}

/// What [`Need::PairWith`] asks of the pair besides its ops.
#[derive(Clone, Copy, Debug, Default)]
pub struct PairRule {
    /// Both arguments below 16.
    pub small_args: bool,
    /// Both instructions on one line.
    pub one_line: bool,
}

/// An optimization pass. See `passes/mod.rs` for the registry.
pub trait Pass: Sync {
    /// Kebab-case name: the key in `pyopt.toml` and on the command line.
    fn name(&self) -> &'static str;
    fn level(&self) -> Level;
    /// Whether the pass runs on code of version `v` (default: every version).
    fn supports(&self, v: PyVersion) -> bool {
        let _ = v;
        true
    }
    /// The pass's documentation: its source file (`include_str!`), whose
    /// leading `//!` lines are the documentation, or plain text. See [`doc_text`].
    fn doc(&self) -> &'static str;
    fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed;
    /// A necessary condition for `run` to change anything in this code object
    /// as read: `false` promises that the pass would change nothing (then, if
    /// no enabled pass may change it, the driver leaves the code object alone
    /// without building its CFG). `true` is always correct. The promise is
    /// checked on every standard library by `tests/optimize.rs`, which
    /// optimizes with and without this shortcut and compares the bytes.
    fn may_change(&self, pre: &Precheck<'_>) -> bool {
        let _ = pre;
        true
    }
    /// A condition on the raw instructions that holds wherever
    /// [`Pass::may_change`] at `level` says `true`, checked before the
    /// code object is decoded: the pass may change the code only if one of
    /// these holds. Where no enabled pass's condition holds, the code
    /// object is not decoded at all. The default, `[Need::Always]`, is
    /// always correct; `tests/optimize.rs` checks the others the same way
    /// as `may_change`.
    fn raw_needs(&self, v: PyVersion, level: Level) -> &'static [Need] {
        let _ = (v, level);
        &[Need::Always]
    }
}

/// A pass's documentation as text: the leading `//!` lines of its source
/// file without the markers, or the plain text it returned.
pub fn doc_text(p: &dyn Pass) -> String {
    let doc = p.doc();
    if !doc.starts_with("//!") {
        return doc.to_string();
    }
    doc.lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            let t = &l[3..];
            t.strip_prefix(' ').unwrap_or(t)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first line of a pass's documentation.
pub fn summary(p: &dyn Pass) -> String {
    doc_text(p)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}
