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

use super::pass::{MayChange, Pass, Precheck};
use super::unit::CodeUnit;
use crate::config::Level;
use crate::version::PyVersion;

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
    /// Check every changed code object against its original with the
    /// translation validator (`crate::validate`) before it is written; one
    /// that is not shown equivalent keeps its original bytes and is
    /// reported (`--validate`).
    pub validate: bool,
    /// With `validate`: walk every changed code object, never taking the
    /// validator's normal-form shortcut (`crate::validate::check_with`).
    /// The tests that look for false alarms of the walk set it.
    pub validate_walk_only: bool,
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
                // Under a bisect limit, everything the pass may change is
                // saved so that an application past the limit is undone whole.
                let before = self.debug.bisect_limit.map(|_| unit.snapshot());
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
