//! Each version's rule of when a line event fires (what `sys.settrace`
//! reports as `line`), for the validator's comparison at `safe`: the
//! sequence of line events between two observable steps must be the same on
//! both sides. The rules are those of `docs/line-events.md`:
//!
//! * 3.8/3.9 (`ceval.c: maybe_call_line_trace`): arriving at the start of a
//!   `co_lnotab` range (an entry with a non-zero line delta starts at the
//!   instruction: `Instr::line_start`, or its line differs from the one
//!   laid out before it; the first instruction), or after any backward
//!   jump; nothing on a forward jump into the middle of a range.
//! * 3.10/3.11: an instruction with a line whose line differs from the
//!   previously executed instruction's (a line-less one counts as a line of
//!   its own), or after a backward jump (3.11: except one that lands on
//!   `SEND`, the `yield from` loop).
//! * 3.12+ (`sys.monitoring`, `instrumentation.c: initialize_lines`): a
//!   line start — the first instruction of its line in the layout, never
//!   `RESUME`/`END_FOR`/`END_SEND`/`END_ASYNC_FOR`/`POP_ITER`; on 3.12 also
//!   every jump target; 3.13+ instead any instruction reached by a jump —
//!   reached from an instruction of another line (or from `RESUME`); and
//!   after a `JUMP_BACKWARD` (the legacy tracer's jump event), once.
//!
//! The previous instruction's line is kept in the symbolic state as one
//! `i32` ([`Model::after`]), with the jump that was taken folded into it
//! ([`Model::after_jump`]), so that the walk's states carry it unchanged.

use crate::bytecode::{Instr, NO_POS};
use crate::version::{ArgKind, Op, PyVersion, VersionTable};

/// Nothing executed yet (the entry of a code object).
pub(crate) const START: i32 = i32::MIN;
/// 3.12+: the previous instruction was `RESUME`, which lets the next line
/// start report even on `RESUME`'s own line.
const AFTER_RESUME: i32 = i32::MIN + 1;
/// Lines just below these encode "arrived by a backward jump from line
/// `l`" (`BACK - 2 - l`) and, on 3.13+, "arrived by a forward jump from line
/// `l`" (`JUMPED - 2 - l`); lines are ≥ −1 and below 2²⁸.
const BACK: i32 = i32::MIN / 2;
const JUMPED: i32 = i32::MIN / 4;
const SPAN: i32 = 1 << 28;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    Lnotab,
    PrevLine { send_exempt: bool },
    Monitoring,
}

pub(crate) struct Model {
    rule: Rule,
    /// Per instruction: a line start (3.8/3.9 range starts; 3.12+ the
    /// monitoring marks; unused on 3.10/3.11).
    starts: Vec<bool>,
    /// 3.12: every jump target is a line start.
    marks_jump_targets: bool,
}

/// `(previous line, arrived by a backward jump, arrived by a jump)`.
fn decode(prev: i32) -> (i32, bool, bool) {
    if (BACK - 2 - SPAN..BACK).contains(&prev) {
        (BACK - 2 - prev, true, true)
    } else if (JUMPED - 2 - SPAN..JUMPED).contains(&prev) {
        (JUMPED - 2 - prev, false, true)
    } else {
        (prev, false, false)
    }
}

impl Model {
    pub(crate) fn new(version: PyVersion, table: &VersionTable, instrs: &[Instr]) -> Model {
        let facts = version.facts();
        let rule = if facts.line_events_at_lnotab_entries {
            Rule::Lnotab
        } else if !facts.line_starts_follow_layout {
            Rule::PrevLine {
                send_exempt: table.info(Op::SEND).is_some(),
            }
        } else {
            Rule::Monitoring
        };
        let mut starts = vec![false; instrs.len()];
        match rule {
            Rule::Lnotab => {
                for (i, ins) in instrs.iter().enumerate() {
                    starts[i] = i == 0 || ins.line_start || ins.loc.line != instrs[i - 1].loc.line;
                }
            }
            Rule::PrevLine { .. } => {}
            Rule::Monitoring => {
                let never = |op: Op| {
                    matches!(
                        op,
                        Op::RESUME | Op::END_FOR | Op::END_SEND | Op::END_ASYNC_FOR | Op::POP_ITER
                    )
                };
                let mut current = NO_POS;
                for (i, ins) in instrs.iter().enumerate() {
                    if never(ins.op) {
                        continue;
                    }
                    starts[i] = ins.loc.line != current && ins.loc.line != NO_POS;
                    current = ins.loc.line;
                }
                if facts.jump_targets_start_lines {
                    for ins in instrs {
                        let jump = table
                            .info(ins.op)
                            .is_some_and(|info| info.arg_kind == ArgKind::Jump);
                        if !jump {
                            continue;
                        }
                        let mut t = ins.arg as usize;
                        // `FOR_ITER` and `SEND` leave over their `END_*`.
                        if instrs.get(t).is_some_and(|x| never(x.op)) {
                            t += 1;
                        }
                        if let Some(x) = instrs.get(t) {
                            starts[t] = x.loc.line != NO_POS && !never(x.op);
                        }
                    }
                }
            }
        }
        Model {
            rule,
            starts,
            marks_jump_targets: facts.jump_targets_start_lines,
        }
    }

    /// The line event executing `instrs[pc]` reports, after an instruction
    /// described by `prev` (what [`Model::after`] or [`Model::after_jump`]
    /// returned for it, or [`START`]).
    pub(crate) fn event(&self, instrs: &[Instr], pc: usize, prev: i32) -> Option<i32> {
        let ins = instrs.get(pc)?;
        let line = ins.loc.line;
        let (prev_line, back, jumped) = decode(prev);
        let start = self.starts.get(pc).copied().unwrap_or(false);
        let fires = match self.rule {
            Rule::Lnotab => start || back,
            Rule::PrevLine { send_exempt } => {
                line != NO_POS
                    && (line != prev_line
                        || prev == START
                        || (back && !(send_exempt && ins.op == Op::SEND)))
            }
            // 3.13+ no longer mark jump targets, but a jump from another
            // line still reports the target's line (found by
            // `tests/support/line_event_pair.py`: a jump retargeted from
            // the first to the second instruction of a line reports the
            // line on 3.12–3.15 alike, under `sys.monitoring` too).
            Rule::Monitoring => {
                line != NO_POS
                    && (back
                        || ((start || jumped)
                            && (line != prev_line || prev == START || prev == AFTER_RESUME)))
            }
        };
        fires.then_some(line)
    }

    /// What the state records after executing `ins`.
    pub(crate) fn after(&self, ins: &Instr) -> i32 {
        if self.rule == Rule::Monitoring && ins.op == Op::RESUME {
            AFTER_RESUME
        } else {
            ins.loc.line
        }
    }

    /// What the state records after the jump instruction `jump` was
    /// taken (`backward` or forward): the jump's own line, marked as a
    /// backward arrival where the version reports one, and on 3.13+ as an
    /// arrival by a jump.
    pub(crate) fn after_jump(&self, jump: &Instr, backward: bool) -> i32 {
        let line = self.after(jump);
        if !(NO_POS..SPAN).contains(&line) {
            return line;
        }
        let back = backward
            && match self.rule {
                Rule::Lnotab | Rule::PrevLine { .. } => true,
                Rule::Monitoring => jump.op == Op::JUMP_BACKWARD,
            };
        if back {
            BACK - 2 - line
        } else if self.rule == Rule::Monitoring && !self.marks_jump_targets {
            JUMPED - 2 - line
        } else {
            line
        }
    }
}
