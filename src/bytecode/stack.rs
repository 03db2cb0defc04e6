//! `co_stacksize` from the instructions, the way CPython's `stackdepth` computes it.
//!
//! A worklist walk from the entry (depth 0; 1 for generator-like code on
//! 3.10–3.12, whose prologue pops the value sent into a fresh generator). Every
//! instruction adds its fall-through effect; jumps propagate `depth +
//! jump_effect` to their target; on 3.11+ every instruction covered by an
//! exception entry propagates `entry.depth + lasti + 1` to the handler. The
//! largest depth reached is the stack size. The walk also reports what the
//! verifier needs: underflows and merge points reached with different depths.

use super::{is_terminator, CodeIr, Scratch};
use std::sync::OnceLock;

use crate::version::{JumpKind, Op, PyVersion, StackEffect};

/// Generator, coroutine and async-generator code flags.
const GENERATOR_LIKE: i32 = 0x20 | 0x80 | 0x200;

/// The result of the stack walk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StackReport {
    /// The maximum depth: what `co_stacksize` must be at least.
    pub max_depth: u32,
    /// Depth at entry of each instruction; -1 where no path reaches it.
    pub depth_at: Vec<i32>,
    /// Problems found (instruction index, message).
    pub problems: Vec<(usize, String)>,
}

/// What the walk needs of an op, indexed by `Op as usize` (one load per
/// instruction instead of two table lookups and a name match).
#[derive(Clone, Copy, Debug)]
pub(super) struct Flow {
    pub(super) known: bool,
    pub(super) jump: bool,
    pub(super) terminator: bool,
    effect: StackEffect,
    jump_effect: StackEffect,
}

pub(super) fn flow_table(v: PyVersion) -> &'static [Flow] {
    static TABLES: [OnceLock<Box<[Flow]>>; PyVersion::ALL.len()] =
        [const { OnceLock::new() }; PyVersion::ALL.len()];
    let slot = PyVersion::ALL.iter().position(|x| *x == v).unwrap_or(0);
    TABLES[slot].get_or_init(|| {
        let table = v.table();
        Op::ALL
            .iter()
            .map(|&op| match table.info(op) {
                Some(info) => Flow {
                    known: true,
                    jump: info.jump != JumpKind::None && op.jump_transfers_control(),
                    terminator: is_terminator(op),
                    effect: info.effect,
                    jump_effect: info.jump_effect,
                },
                None => Flow {
                    known: false,
                    jump: false,
                    terminator: true,
                    effect: StackEffect::Fixed(0),
                    jump_effect: StackEffect::Fixed(0),
                },
            })
            .collect()
    })
}

impl StackReport {
    /// Whether some instruction is reached by no path.
    pub fn has_unreachable(&self) -> bool {
        self.depth_at.iter().any(|&d| d < 0)
    }
}

/// Walks the stack depth of `ir` (`flags` = `co_flags`).
pub fn stack_depth(ir: &CodeIr, flags: i32) -> StackReport {
    let mut report = StackReport::default();
    stack_depth_into(ir, flags, &mut Scratch::default(), &mut report);
    report
}

/// The exception entry covering each instruction (3.11+), as an index into
/// `ir.exceptions` (`u32::MAX`: none); empty when the code has no entries.
fn handler_table(ir: &CodeIr, handler: &mut Vec<u32>) {
    let n = ir.instrs.len();
    handler.clear();
    if ir.exceptions.is_empty() {
        return;
    }
    handler.resize(n, u32::MAX);
    for (k, e) in ir.exceptions.iter().enumerate() {
        for h in handler
            .iter_mut()
            .take((e.end as usize).min(n))
            .skip(e.start as usize)
        {
            *h = k as u32;
        }
    }
}

/// Whether some instruction is reached by no path: the reachability of
/// [`stack_depth`] (fall-through, jumps that transfer control, exception
/// handlers of covered instructions) without the depths, for callers that
/// only need this answer. Never reaches more than the stack walk does.
pub fn has_unreachable(ir: &CodeIr, scratch: &mut Scratch) -> bool {
    let flows = flow_table(ir.version);
    let n = ir.instrs.len();
    if n == 0 {
        return false;
    }
    let handler = &mut scratch.handler;
    handler_table(ir, handler);
    let seen = &mut scratch.depth;
    seen.clear();
    seen.resize(n, 0);
    let work = &mut scratch.work;
    work.clear();
    seen[0] = 1;
    work.push((0, 0));
    let mut reached = 1usize;
    while let Some((start, _)) = work.pop() {
        let mut i = start;
        loop {
            let ins = &ir.instrs[i];
            let flow = flows[ins.op as usize];
            if !flow.known {
                break;
            }
            let mut visit = |t: usize, work: &mut Vec<(usize, i64)>| {
                if t < n && seen[t] == 0 {
                    seen[t] = 1;
                    reached += 1;
                    work.push((t, 0));
                }
            };
            if let Some(&k) = handler.get(i) {
                if k != u32::MAX {
                    visit(ir.exceptions[k as usize].target as usize, work);
                }
            }
            if flow.jump {
                visit(ins.arg as usize, work);
            }
            if flow.terminator || i + 1 >= n || seen[i + 1] != 0 {
                break;
            }
            seen[i + 1] = 1;
            reached += 1;
            i += 1;
        }
    }
    reached < n
}

/// [`stack_depth`] reusing the allocations of `scratch` and `report`.
pub fn stack_depth_into(ir: &CodeIr, flags: i32, scratch: &mut Scratch, report: &mut StackReport) {
    let flows = flow_table(ir.version);
    let n = ir.instrs.len();
    let depth_at = &mut scratch.depth;
    depth_at.clear();
    depth_at.resize(n, -1);
    let problems = &mut report.problems;
    problems.clear();
    let handler = &mut scratch.handler;
    handler_table(ir, handler);
    let facts = ir.version.facts();
    let entry = if flags & GENERATOR_LIKE != 0 {
        facts.generator_entry_depth as i64
    } else {
        0
    };
    let mut max: i64 = 0;
    let work = &mut scratch.work;
    work.clear();
    let revisit_larger = facts.stackdepth_keeps_max_at_joins;
    let push = |work: &mut Vec<(usize, i64)>,
                depth_at: &mut [i64],
                problems: &mut Vec<(usize, String)>,
                from: usize,
                to: usize,
                d: i64| {
        if to >= n {
            problems.push((from, format!("jump to instruction {to} past the end")));
            return;
        }
        let seen = depth_at[to];
        if seen < 0 || (revisit_larger && d > seen && seen < 100) {
            depth_at[to] = d;
            work.push((to, d));
        } else if seen != d && !revisit_larger {
            problems.push((
                to,
                format!(
                    "reached with stack depth {d} from instruction {from}, but {seen} elsewhere"
                ),
            ));
        }
    };
    if n > 0 {
        depth_at[0] = entry;
        work.push((0, entry));
    }
    while let Some((start, mut depth)) = work.pop() {
        let mut i = start;
        loop {
            if i >= n {
                problems.push((
                    n.saturating_sub(1),
                    "execution falls off the end of the code".into(),
                ));
                break;
            }
            let ins = &ir.instrs[i];
            let flow = flows[ins.op as usize];
            if !flow.known {
                problems.push((
                    i,
                    format!("{} is not an op of {}", ins.op.name(), ir.version),
                ));
                break;
            }
            if let Some(&k) = handler.get(i) {
                if k != u32::MAX {
                    let e = &ir.exceptions[k as usize];
                    let d = e.depth as i64 + e.lasti as i64 + 1;
                    // Unwinding pops down to the entry's depth; where the
                    // stack is shallower, only an op that cannot raise is
                    // safe there.
                    if e.depth as i64 > depth && !ins.op.never_raises() {
                        problems.push((
                            i,
                            format!(
                                "exception entry depth {} exceeds the stack depth {depth}",
                                e.depth
                            ),
                        ));
                    }
                    max = max.max(d);
                    push(work, depth_at, problems, i, e.target as usize, d);
                }
            }
            let new_depth = depth + flow.effect.eval(ins.arg);
            if new_depth < 0 {
                problems.push((
                    i,
                    format!("{} underflows the stack (depth {depth})", ins.op.name()),
                ));
            }
            max = max.max(new_depth);
            if flow.jump {
                let t = depth + flow.jump_effect.eval(ins.arg);
                max = max.max(t);
                // A path that underflows goes on at depth 0: a negative depth
                // would read as "not reached yet" in `depth_at`, and a loop
                // would be walked forever, ever deeper below 0.
                push(work, depth_at, problems, i, ins.arg as usize, t.max(0));
            }
            depth = new_depth.max(0);
            if flow.terminator {
                break;
            }
            let next = i + 1;
            if next < n && depth_at[next] >= 0 {
                push(work, depth_at, problems, i, next, depth);
                break;
            }
            if next < n {
                depth_at[next] = depth;
            }
            i = next;
        }
    }
    // 3.13+ never store a stack size below 1, even for code that pushes
    // nothing (`def f(): raise`, a bare `while True: pass`).
    max = max.max(facts.min_stacksize as i64);
    report.max_depth = max.clamp(0, u32::MAX as i64) as u32;
    report.depth_at.clear();
    report.depth_at.extend(
        depth_at
            .iter()
            .map(|&d| d.clamp(-1, i32::MAX as i64) as i32),
    );
}
