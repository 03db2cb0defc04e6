//! The pass manager: the [`Pass`] trait, and the loop that runs the enabled
//! passes over one code object's CFG until nothing changes (with a cap),
//! counting changes and time per pass, verifying after every pass on request,
//! dumping the CFG after a named pass, and stopping after the first N pass
//! applications of a run (`--bisect-limit`) to find a miscompile by bisection.
//!
//! Contract: a pass sees one code object ([`CodeUnit`]: its CFG, constants,
//! names and flags; nested code objects are separate units), returns how many
//! changes it made, and never leaves the CFG in a state `linearize` rejects.
//! The pipeline verifies the result; a code object that fails verification
//! or whose pass panics is written unchanged and reported.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::cfg::Cfg;
pub use crate::config::Level;
use crate::marshal::{Arena, CodeId, NodeId};
use crate::version::PyVersion;

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
        if self.cfg.version >= PyVersion::V3_14 {
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

/// The set of a pipeline's passes (by position) that may change a code
/// object, from their [`Pass::may_change`]. Past 64 passes every pass is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MayChange(u64);

impl MayChange {
    pub const NONE: MayChange = MayChange(0);

    pub fn set(&mut self, k: usize) {
        self.0 |= 1u64.checked_shl(k as u32).unwrap_or(u64::MAX);
    }

    pub fn get(self, k: usize) -> bool {
        k >= 64 || self.0 & (1u64 << k) != 0
    }

    pub fn any(self) -> bool {
        self.0 != 0
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

/// Per-pass totals of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassStats {
    pub runs: u64,
    pub changes: u64,
    pub time: Duration,
}

/// Statistics of a run, keyed by pass name.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub passes: BTreeMap<&'static str, PassStats>,
}

impl Stats {
    pub fn merge(&mut self, other: &Stats) {
        for (k, v) in &other.passes {
            let e = self.passes.entry(k).or_default();
            e.runs += v.runs;
            e.changes += v.changes;
            e.time += v.time;
        }
    }
}

/// Debugging options of the pipeline.
#[derive(Debug, Default)]
pub struct Debug {
    /// Verify the CFG after every pass application, not only at the end:
    /// `Cfg::verify` (`Cfg::verify_stack` after a change), whose issues name
    /// block and instruction, then `check`.
    pub verify_each: bool,
    /// Build the CFG and run every pass on every code object, even where
    /// each pass's [`Pass::may_change`] says it has nothing to do (to check
    /// those promises).
    pub no_precheck: bool,
    /// Print the CFG after every application of this pass that changed something.
    pub dump_after: Option<String>,
    /// Apply only this many pass applications (that change something) in
    /// the whole run; later ones are skipped.
    pub bisect_limit: Option<u64>,
    /// Applications used so far (shared by all threads; the driver runs
    /// one thread when a limit is set so that "first" is well defined).
    pub applied: AtomicU64,
    /// The last application made: (number, pass, code object).
    pub last_applied: std::sync::Mutex<Option<(u64, &'static str, String)>>,
    /// The file of the last application (set by the tree driver).
    pub last_file: std::sync::Mutex<Option<std::path::PathBuf>>,
}

impl Debug {
    /// The last pass application made: (number, pass, code object).
    pub fn last_application(&self) -> Option<(u64, &'static str, String)> {
        self.last_applied.lock().ok().and_then(|l| l.clone())
    }

    /// The file of the last pass application (set by the tree driver).
    pub fn last_application_file(&self) -> Option<std::path::PathBuf> {
        self.last_file.lock().ok().and_then(|f| f.clone())
    }
}

/// Why a code object keeps its original bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// The pass after which the problem was found (`None`: at the end).
    pub pass: Option<&'static str>,
    pub reason: String,
}

/// The ordered, enabled passes for one run.
pub struct Pipeline {
    pub passes: Vec<&'static dyn Pass>,
    /// The run's level. Passes that have a stricter and a looser variant
    /// (`nop-removal`, `superinstructions`) use the looser one at
    /// `aggressive` and above; see each pass's documentation.
    pub level: Level,
    /// Rounds of the fixpoint loop before giving up on convergence.
    pub max_rounds: u32,
    pub debug: Debug,
}

impl Pipeline {
    /// The passes of the registry whose names are in `enabled`, in registry order.
    pub fn new(enabled: &[&str], debug: Debug) -> Pipeline {
        let passes = crate::passes::registry()
            .iter()
            .copied()
            .filter(|p| enabled.contains(&p.name()))
            .collect();
        Pipeline {
            passes,
            level: Level::Safe,
            max_rounds: 8,
            debug,
        }
    }

    /// The same pipeline at another level.
    pub fn with_level(mut self, level: Level) -> Pipeline {
        self.level = level;
        self
    }

    /// Whether any enabled pass supports `v` (if none does, files of that
    /// version are left as they are without being decoded).
    pub fn any_for(&self, v: PyVersion) -> bool {
        self.passes.iter().any(|p| p.supports(v))
    }

    /// Which enabled passes may change this code object as read (see
    /// [`Pass::may_change`]); every pass with `Debug::no_precheck`.
    pub fn may_change(&self, pre: &Precheck<'_>) -> MayChange {
        let mut m = MayChange::NONE;
        for (k, p) in self.passes.iter().enumerate() {
            if self.debug.no_precheck || (p.supports(pre.ir.version) && p.may_change(pre)) {
                m.set(k);
            }
        }
        m
    }

    /// Runs the passes on one code object until a round changes nothing.
    /// `check` verifies a CFG (the driver passes the structural verifier).
    /// `maybe` says which passes may change the code as read
    /// ([`Pipeline::may_change`]): until the first change the code is
    /// still that code, so the others are skipped (a pass that reports no
    /// change leaves the code as it is, up to block boundaries that code as
    /// read does not have); after it every pass runs.
    pub fn run(
        &self,
        unit: &mut CodeUnit<'_, '_>,
        stats: &mut Stats,
        check: &dyn Fn(&CodeUnit<'_, '_>) -> Result<(), String>,
        dump: &mut dyn FnMut(&str, &CodeUnit<'_, '_>),
        maybe: MayChange,
    ) -> Result<u64, Rejected> {
        let v = unit.cfg.version;
        let mut total = 0u64;
        'rounds: for _round in 0..self.max_rounds {
            let mut round_changes = 0u64;
            for (k, &p) in self.passes.iter().enumerate() {
                if !p.supports(v) || (total + round_changes == 0 && !maybe.get(k)) {
                    continue;
                }
                if let Some(limit) = self.debug.bisect_limit {
                    if self.debug.applied.load(Ordering::SeqCst) >= limit {
                        total += round_changes;
                        break 'rounds;
                    }
                }
                let before = self.debug.bisect_limit.map(|_| unit.cfg.clone());
                let t = Instant::now();
                let changed = p.run(unit);
                let e = stats.passes.entry(p.name()).or_default();
                e.runs += 1;
                e.time += t.elapsed();
                let cfg_rejected = |issues: Vec<crate::cfg::CfgIssue>| Rejected {
                    pass: Some(p.name()),
                    reason: crate::cfg::describe_issues(&issues),
                };
                if !changed.any() {
                    if self.debug.verify_each {
                        unit.cfg.verify().map_err(cfg_rejected)?;
                    }
                    continue;
                }
                if let Some(limit) = self.debug.bisect_limit {
                    let number = self.debug.applied.fetch_add(1, Ordering::SeqCst) + 1;
                    if number > limit {
                        // Over the limit: undo this application.
                        if let Some(b) = before {
                            unit.cfg = b;
                        }
                        total += round_changes;
                        break 'rounds;
                    }
                    if let Ok(mut last) = self.debug.last_applied.lock() {
                        *last = Some((number, p.name(), unit.qualname.clone()));
                    }
                }
                e.changes += changed.0 as u64;
                round_changes += changed.0 as u64;
                // Line-table hints describe the code as read.
                unit.cfg.lnotab_hint.clear();
                if self.debug.dump_after.as_deref() == Some(p.name()) {
                    dump(p.name(), unit);
                }
                if self.debug.verify_each {
                    unit.cfg.verify_stack(unit.flags).map_err(cfg_rejected)?;
                    check(unit).map_err(|reason| Rejected {
                        pass: Some(p.name()),
                        reason,
                    })?;
                }
            }
            total += round_changes;
            if round_changes == 0 {
                break;
            }
        }
        if total > 0 {
            check(unit).map_err(|reason| Rejected { pass: None, reason })?;
        }
        Ok(total)
    }
}
