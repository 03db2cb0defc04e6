//! The pass manager: the loop that runs the enabled
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

use super::pass::{MayChange, Need, Pass, Precheck};
use super::unit::CodeUnit;
use crate::bytecode::raw::{self, TermBits};
use crate::config::Level;
use crate::version::PyVersion;

/// Per-pass totals of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassStats {
    pub runs: u64,
    pub changes: u64,
    pub time: Duration,
}

/// Statistics of a run: per pass (keyed by name), and the work around the
/// passes that only code objects some pass may change get (`optimize -v`
/// prints both, so that a slow run says where its time went).
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub passes: BTreeMap<&'static str, PassStats>,
    /// Building the CFG: `runs` code objects.
    pub cfg_build: PassStats,
    /// The verification of changed code (linearize, encode, decode back and
    /// compare, stack walk; every pass application with `--verify-each`):
    /// `runs` checks, `changes` the ones that rejected the code.
    pub verify: PassStats,
}

impl PassStats {
    fn add(&mut self, other: &PassStats) {
        self.runs += other.runs;
        self.changes += other.changes;
        self.time += other.time;
    }
}

impl Stats {
    pub fn merge(&mut self, other: &Stats) {
        for (k, v) in &other.passes {
            self.passes.entry(k).or_default().add(v);
        }
        self.cfg_build.add(&other.cfg_build);
        self.verify.add(&other.verify);
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
    /// Check every changed code object against its original with the
    /// translation validator (`crate::validate`) before it is written; one
    /// that is not shown equivalent keeps its original bytes and is
    /// reported (`--validate`).
    pub validate: bool,
    /// Measure the time of every pass application, CFG build and
    /// verification ([`Stats`]). Off where nothing shows the times: two
    /// clock reads per pass application were 2–3% of an `aggressive` run.
    pub timings: bool,
    /// Each version's [`RawFilter`], compiled from `passes` on first use.
    pub(crate) raw: [std::sync::OnceLock<RawFilter>; PyVersion::ALL.len()],
    /// With `validate`: walk every changed code object, never taking the
    /// validator's normal-form shortcut (`crate::validate::check_with`).
    /// The tests that look for false alarms of the walk set it.
    pub validate_walk_only: bool,
}

/// A pipeline's [`Pass::raw_needs`] for one version, compiled to per-opcode
/// term bits for [`raw::scan`].
#[derive(Debug)]
pub(crate) struct RawFilter {
    bits: TermBits,
    /// Per pass (by position): its terms.
    passes: Vec<RawPass>,
    /// Some supported pass needs [`Need::Always`].
    always: bool,
}

#[derive(Clone, Debug, Default)]
struct RawPass {
    supported: bool,
    always: bool,
    unreachable: bool,
    /// Its [`Need::JumpShapes`], the term bit standing for it, and the bit
    /// of a term that must hold for any shape to exist (an unconditional
    /// jump).
    jumps: Option<(raw::JumpClasses, u64, u64)>,
    /// For [`Need::Unreachable`]: the bit of a term that must hold for any
    /// instruction to be unreachable (one laid out after a terminator).
    unreachable_gate: u64,
    mask: u64,
}

impl RawFilter {
    fn compile(passes: &[&'static dyn Pass], v: PyVersion, level: Level) -> RawFilter {
        let table = v.table();
        let mut bits = TermBits::default();
        let mut next = 0u32;
        let mut out = Vec::with_capacity(passes.len());
        for p in passes {
            let mut rp = RawPass {
                supported: p.supports(v),
                ..RawPass::default()
            };
            if rp.supported {
                for need in p.raw_needs(v, level) {
                    // Every need takes one term bit; the jump shapes and
                    // unreachable code one more for a cheap gate.
                    if next >= 62 {
                        rp.always = true;
                        continue;
                    }
                    let bit = 1u64 << next;
                    let gate = 1u64 << (next + 1);
                    let mark = |ops: &[crate::version::Op], at: &mut [u64; 256], bit: u64| {
                        for &op in ops {
                            if let Some(info) = table.info(op) {
                                at[info.number as usize] |= bit;
                            }
                        }
                    };
                    match *need {
                        Need::Always => rp.always = true,
                        Need::Unreachable => {
                            // The first unreachable instruction is laid
                            // out right after one that never falls through.
                            for info in table.ops {
                                let k = info.number as usize;
                                if crate::bytecode::is_terminator(info.op) {
                                    bits.first[k] |= gate;
                                }
                                bits.second[k] |= gate;
                            }
                            rp.unreachable = true;
                            rp.unreachable_gate = gate;
                            next += 2;
                        }
                        Need::Op(ops) => mark(ops, &mut bits.op, bit),
                        Need::Pair(a, b) => {
                            mark(a, &mut bits.first, bit);
                            mark(b, &mut bits.second, bit);
                        }
                        Need::PairWith(a, b, rule) => {
                            mark(a, &mut bits.first, bit);
                            mark(b, &mut bits.second, bit);
                            if rule.small_args {
                                bits.small |= bit;
                            }
                            if rule.one_line {
                                bits.one_line |= bit;
                            }
                        }
                        Need::NopBesideItsLine => bits.nop_beside_its_line |= bit,
                        Need::JumpShapes(shapes) => {
                            // Every shape has an unconditional jump.
                            mark(shapes.unconditional, &mut bits.op, gate);
                            rp.jumps = Some((raw::JumpClasses::new(&shapes, table), bit, gate));
                            next += 1;
                        }
                        Need::AfterConsts(ops, 1) => mark(ops, &mut bits.after1, bit),
                        Need::AfterConsts(ops, 0) => mark(ops, &mut bits.after_arg, bit),
                        // Two or more: at least two.
                        Need::AfterConsts(ops, _) => mark(ops, &mut bits.after2, bit),
                    }
                    if !matches!(need, Need::Always | Need::Unreachable) {
                        rp.mask |= bit;
                        next += 1;
                    }
                }
            }
            out.push(rp);
        }
        for &op in super::CodeUnit::CONST_LOADS {
            if let Some(info) = table.info(op) {
                bits.const_load[info.number as usize] = true;
            }
        }
        RawFilter {
            bits,
            always: out.iter().any(|p| p.supported && p.always),
            passes: out,
        }
    }
}

/// A code object's raw fields, as [`Pipeline::raw_check`] reads them.
#[derive(Clone, Copy, Debug)]
pub struct RawCode<'c> {
    pub version: PyVersion,
    pub code: &'c [u8],
    pub linetable: &'c [u8],
    pub firstlineno: i32,
    /// 3.11+.
    pub exceptiontable: Option<&'c [u8]>,
}

/// Buffers for [`Pipeline::raw_check`], reused across code objects.
#[derive(Debug, Default)]
pub struct RawScratch {
    candidates: Vec<raw::LineCandidate>,
    units: Vec<(u32, i32)>,
    walk: raw::Scratch,
}

/// What the raw instructions of a code object say ([`Pipeline::raw_check`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawVerdict {
    /// Decode it; only these passes may change it.
    Decode(MayChange),
    /// No pass may change it; it has this many instructions.
    Skip { instructions: u32 },
}

impl Pipeline {
    /// A pipeline running `passes` in the given order. `Pipeline::new`
    /// (in `passes/mod.rs`, next to the registry) picks them by name.
    pub fn with_passes(passes: Vec<&'static dyn Pass>, debug: Debug) -> Pipeline {
        Pipeline {
            passes,
            level: Level::Safe,
            max_rounds: 8,
            debug,
            validate: false,
            timings: true,
            raw: [const { std::sync::OnceLock::new() }; PyVersion::ALL.len()],
            validate_walk_only: false,
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
        self.may_change_among(pre, MayChange::ALL)
    }

    /// [`Pipeline::may_change`] asking only the passes in `among` (those
    /// whose raw condition held, [`Pipeline::raw_check`]).
    pub fn may_change_among(&self, pre: &Precheck<'_>, among: MayChange) -> MayChange {
        let mut m = MayChange::NONE;
        for (k, p) in self.passes.iter().enumerate() {
            if self.debug.no_precheck
                || (among.get(k) && p.supports(pre.ir.version) && p.may_change(pre))
            {
                m.set(k);
            }
        }
        m
    }

    /// Before any decoding: which passes' [`Pass::raw_needs`] hold for a code
    /// object's raw `co_code` (and, for [`Need::Unreachable`], its 3.11+
    /// exception table). Every pass, to be decided after decoding, with
    /// `Debug::no_precheck`, when some pass needs [`Need::Always`], or where
    /// the bytes are not what the decoder accepts.
    pub fn raw_check(&self, code: RawCode<'_>, scratch: &mut RawScratch) -> RawVerdict {
        let v = code.version;
        let slot = PyVersion::ALL.iter().position(|x| *x == v).unwrap_or(0);
        let filter = self.raw[slot].get_or_init(|| RawFilter::compile(&self.passes, v, self.level));
        if self.debug.no_precheck || filter.always {
            return RawVerdict::Decode(MayChange::ALL);
        }
        let Some(scan) = raw::scan(code.code, v.table(), &filter.bits, &mut scratch.candidates)
        else {
            return RawVerdict::Decode(MayChange::ALL);
        };
        let mut seen = scan.seen;
        let hits = |seen: u64| {
            let mut m = MayChange::NONE;
            for (k, p) in filter.passes.iter().enumerate() {
                if p.supported && seen & p.mask != 0 {
                    m.set(k);
                }
            }
            m
        };
        let mut m = hits(seen);
        // The passes whose terms are still open: decided after decoding
        // (by `may_change`, from the instructions) where some pass already
        // asks for it, else by the walks below, the cheapest first.
        let mut open = MayChange::NONE;
        let pending = scratch.candidates.iter().fold(0, |acc, c| acc | c.term);
        for (k, p) in filter.passes.iter().enumerate() {
            let undecided = p.mask & pending != 0 || p.jumps.is_some() || p.unreachable;
            if p.supported && !m.get(k) && undecided {
                open.set(k);
            }
        }
        if m.any() || !open.any() {
            return self.decided(m.union(open), scan.instructions);
        }
        scratch.walk.reset();
        for p in &filter.passes {
            if let (true, Some((classes, bit, gate))) = (p.supported, &p.jumps) {
                if seen & gate == 0 {
                    continue;
                }
                match raw::jump_shapes(
                    code.code,
                    v,
                    classes,
                    *bit,
                    &mut scratch.candidates,
                    &mut scratch.walk,
                ) {
                    Some(false) => {}
                    Some(true) => seen |= bit,
                    None => return RawVerdict::Decode(MayChange::ALL),
                }
            }
        }
        if !scratch.candidates.is_empty() {
            seen |= raw::same_line(
                &scratch.candidates,
                code.linetable,
                code.firstlineno,
                v,
                &mut scratch.units,
            )
            // Other line tables: every candidate's term.
            .unwrap_or_else(|| scratch.candidates.iter().fold(0, |acc, c| acc | c.term));
        }
        m = hits(seen);
        let mut unreachable = MayChange::NONE;
        for (k, p) in filter.passes.iter().enumerate() {
            if p.supported && p.unreachable && !m.get(k) && seen & p.unreachable_gate != 0 {
                unreachable.set(k);
            }
        }
        if unreachable.any()
            && (m.any()
                || raw::has_unreachable(code.code, code.exceptiontable, v, &mut scratch.walk)
                    != Some(false))
        {
            m = m.union(unreachable);
        }
        self.decided(m, scan.instructions)
    }

    /// `Decode(m)`, or `Skip` if `m` is empty.
    fn decided(&self, m: MayChange, instructions: u32) -> RawVerdict {
        if m.any() {
            RawVerdict::Decode(m)
        } else {
            RawVerdict::Skip { instructions }
        }
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
                // Under a bisect limit, everything the pass may change is
                // saved so that an application past the limit is undone whole.
                let before = self.debug.bisect_limit.map(|_| unit.snapshot());
                let t = self.timings.then(Instant::now);
                let changed = p.run(unit);
                let e = stats.passes.entry(p.name()).or_default();
                e.runs += 1;
                e.time += t.map_or(Duration::ZERO, |t| t.elapsed());
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
                        // Over the limit (another thread took the last
                        // application): undo this one.
                        if let Some(b) = before {
                            unit.restore(b);
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
                    self.timed_check(check, unit, &mut stats.verify)
                        .map_err(|reason| Rejected {
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
            self.timed_check(check, unit, &mut stats.verify)
                .map_err(|reason| Rejected { pass: None, reason })?;
        }
        Ok(total)
    }

    /// Runs the verifier on `unit`, counting the check, its time (with
    /// [`Pipeline::timings`]) and a rejection.
    fn timed_check(
        &self,
        check: &dyn Fn(&CodeUnit<'_, '_>) -> Result<(), String>,
        unit: &CodeUnit<'_, '_>,
        verify: &mut PassStats,
    ) -> Result<(), String> {
        let t = self.timings.then(Instant::now);
        let result = check(unit);
        verify.runs += 1;
        verify.time += t.map_or(Duration::ZERO, |t| t.elapsed());
        verify.changes += u64::from(result.is_err());
        result
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::bytecode::CodeIr;
    use crate::cfg::Cfg;
    use crate::marshal::{Arena, CodeId, Node, NodeId, Value};
    use crate::opt::pass::Changed;

    /// The pipeline of [`bisect_undo_restores_everything_a_pass_changed`],
    /// reachable from its pass so that the pass can act as a second thread.
    static RACY_PIPELINE: OnceLock<Pipeline> = OnceLock::new();

    /// Changes everything a pass may change — the CFG, a constant, the
    /// flags, a name, the arena (a new node, the reference flag of a shared
    /// constant) — and, while it runs, "another thread" takes the last
    /// application the bisect limit allows.
    struct Racy;

    impl Pass for Racy {
        fn name(&self) -> &'static str {
            "racy"
        }
        fn level(&self) -> Level {
            Level::Safe
        }
        fn doc(&self) -> &'static str {
            "test"
        }
        fn run(&self, code: &mut CodeUnit<'_, '_>) -> Changed {
            code.cfg.firstlineno += 1;
            code.flags &= !0x400_0000;
            let none = code.arena.push(Value::None, false);
            code.consts[0] = none;
            code.consts.push(none);
            code.names.pop();
            code.arena.node_mut(NodeId(1)).flag = true;
            if let Some(p) = RACY_PIPELINE.get() {
                p.debug.applied.fetch_add(1, Ordering::SeqCst);
            }
            Changed(1)
        }
    }

    /// `--bisect-limit` undoes an application past the limit whole: not
    /// only the CFG but also `co_consts`, `co_names`, `co_flags` and the
    /// arena (strip-docstrings changes `co_flags` and `co_consts[0]`,
    /// constant folding appends constants and flags shared ones).
    #[test]
    fn bisect_undo_restores_everything_a_pass_changed() {
        let pipeline = RACY_PIPELINE.get_or_init(|| {
            Pipeline::with_passes(
                vec![&Racy],
                Debug {
                    bisect_limit: Some(1),
                    ..Debug::default()
                },
            )
        });
        let str_node = |s: &'static str| Node {
            value: Value::Str(
                crate::marshal::StrKind::Unicode,
                std::borrow::Cow::Borrowed(s.as_bytes()),
            ),
            flag: false,
        };
        let mut arena = Arena {
            nodes: vec![
                str_node("doc"),
                Node {
                    value: Value::Int(7),
                    flag: false,
                },
                str_node("x"),
            ],
            kids: vec![],
            codes: vec![],
            ..Arena::default()
        };
        let cfg = Cfg::build(&CodeIr::new(PyVersion::ALL[0]));
        let mut unit = CodeUnit {
            cfg: cfg.clone(),
            arena: &mut arena,
            id: CodeId(0),
            consts: vec![NodeId(0), NodeId(1)],
            names: vec![NodeId(2)],
            flags: 0x400_0003,
            nargs: 0,
            nlocals: 0,
            qualname: "f".into(),
            level: Level::Safe,
        };
        let mut stats = Stats::default();
        let ok = |_: &CodeUnit<'_, '_>| Ok(());
        let changes = pipeline.run(&mut unit, &mut stats, &ok, &mut |_, _| {}, MayChange::ALL);
        assert_eq!(changes, Ok(0));
        assert_eq!(unit.cfg, cfg);
        assert_eq!(unit.consts, [NodeId(0), NodeId(1)]);
        assert_eq!(unit.names, [NodeId(2)]);
        assert_eq!(unit.flags, 0x400_0003);
        drop(unit);
        assert_eq!(arena.nodes.len(), 3);
        assert!(arena.nodes.iter().all(|n| !n.flag));
    }
}
