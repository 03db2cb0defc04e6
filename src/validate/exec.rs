//! Symbolic execution of one side (original or optimized) from a state to
//! its next observable step, and the lock-step walk of both sides.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use super::value::{self, Bin, CVal, Un};
use super::Code;
use crate::bytecode::{is_terminator, ExceptionEntry};
use crate::version::{ArgKind, JumpKind, Op, PyVersion, VersionTable};

/// A symbolic value: a constant (index into the [`Pool`]), an unknown value
/// (`S`), an unbound local (`Unbound`), a local that may be unbound
/// (`Maybe`; its value when bound), or 3.8's `CALL_FINALLY` return address
/// (an instruction index of its own side).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum V {
    C(u32),
    S(u32),
    /// An unknown value known to be an exact `bool` (the result of
    /// `IS_OP`, `CONTAINS_OP`, `UNARY_NOT`, `TO_BOOL`, or a `COMPARE_OP`
    /// with the bool bit): `TO_BOOL` of it is the identity.
    B(u32),
    Unbound,
    Maybe(u32),
    /// A local that may be unbound and, when bound, holds this constant.
    MaybeC(u32),
    /// 3.8–3.10: the exception type a handler starts with (so that 3.8's
    /// `END_FINALLY` knows it re-raises).
    Exc(u32),
    Ret(u32),
}

/// A fast hasher for the walk's maps (keys are small integers and short
/// tuples of them, built by the walk itself: no untrusted keys to defend
/// against collisions from, and SipHash dominated the validator's time).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, x: u8) {
        self.write_u64(u64::from(x));
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type Map<K, T> = HashMap<K, T, BuildHasherDefault<Fx>>;

/// Placeholders for the results of a step (the same on both sides for the
/// same result), renamed like every symbol when the states are added.
const PLACEHOLDER: u32 = u32::MAX - (1 << 20);
/// Symbols from here down are never canonical names (those stay below
/// `DIRECT`): the values a generator starts with are numbered below it.
const FRESH: u32 = 1 << 24;

/// Interned constants of both sides.
#[derive(Default)]
pub(crate) struct Pool {
    vals: Vec<CVal>,
    index: Map<CVal, u32>,
}

impl Pool {
    pub(crate) fn intern(&mut self, c: CVal) -> u32 {
        if let Some(&k) = self.index.get(&c) {
            return k;
        }
        let k = self.vals.len() as u32;
        self.vals.push(c.clone());
        self.index.insert(c, k);
        k
    }
    pub(crate) fn get(&self, k: u32) -> &CVal {
        &self.vals[k as usize]
    }
}

/// A 3.8–3.10 block-stack entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Blk {
    handler: u32,
    /// Stack depth the handler unwinds to (before pushing the exception).
    keep: u32,
    /// An `EXCEPT_HANDLER` block (pushed on handler entry, popped by
    /// `POP_EXCEPT`); never a handler itself.
    except: bool,
}

/// One side's state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct St {
    pc: u32,
    /// A backward edge was taken to get here, by the jump at this
    /// position: report it first (with that jump's exception handler).
    back: Option<u32>,
    stack: Vec<V>,
    locals: Vec<V>,
    blocks: Vec<Blk>,
    /// The line of the last instruction executed (when lines are checked).
    line: i32,
    /// 3.8/3.9: how many loop-guard backward jumps this side took alone
    /// since the last step both sides took (see [`Walk::run`]).
    stutter: u8,
}

/// What an observable step does, compared between the sides.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Key {
    /// An instruction with an effect, its argument resolved.
    Ev(Op, Arg),
    /// A branch on the operand: truth (0) or `is None` (1).
    Branch(u8),
    Return,
    /// A backward jump (3.10+: an eval-breaker check and a line event;
    /// 3.8/3.9: only taken as a step when an eventless loop repeats, so the
    /// walk of one step ends).
    Back,
    /// A checked load of a local that may be unbound.
    Check(u32),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Arg {
    None,
    Raw(u32),
    Const(u32),
    Name(u32, u32),
}

/// An observable step of one side.
struct Obs {
    key: Key,
    operands: Vec<V>,
    /// The state before the step, when it may raise: its locals must agree
    /// and its handler entry is explored.
    raise: Option<Box<Raise>>,
    /// Successor states (placeholders for the step's results); for branches
    /// `[if true, if false]`.
    succ: Vec<St>,
    /// Where it is, for messages.
    pc: u32,
}

impl Raise {
    fn locals(&self) -> &[V] {
        self.handler.as_ref().map_or(&self.locals, |h| &h.locals)
    }
}

struct Raise {
    /// The locals when there is no handler (else the handler's).
    locals: Vec<V>,
    /// The handler's entry state, if a handler covers the step.
    handler: Option<St>,
}

/// One side's program.
struct Prog<'x, 'a> {
    code: &'x Code<'x, 'a>,
    table: &'static VersionTable,
    /// 3.11+: the exception entry covering each instruction.
    handlers: Vec<Option<ExceptionEntry>>,
    consts: Vec<u32>,
    names: Vec<u32>,
    unchecked_fast: bool,
    block_stack: bool,
    /// Whether a backward jump is an observable step (3.10+). On 3.8/3.9
    /// the eval breaker is checked at nearly every instruction, not at
    /// backward jumps in particular, and what a backward jump reports is a
    /// line event at its target: a forced line there when lines are
    /// compared, nothing at `aggressive`.
    back_is_step: bool,
    /// Whether the line events are compared (`safe`).
    lines: bool,
    /// The version's rule of when a line event fires.
    line_model: super::lines::Model,
}

impl<'x, 'a> Prog<'x, 'a> {
    fn new(code: &'x Code<'x, 'a>, pool: &mut Pool, lines: bool) -> Prog<'x, 'a> {
        let v = code.ir.version;
        let mut handlers = vec![None; code.ir.instrs.len()];
        for e in &code.ir.exceptions {
            for h in handlers
                .iter_mut()
                .take(e.end as usize)
                .skip(e.start as usize)
            {
                *h = Some(*e);
            }
        }
        let consts = code
            .consts
            .iter()
            .map(|&n| pool.intern(value::read(code.arena, n, 0)))
            .collect();
        let names = code
            .names
            .iter()
            .map(|&n| pool.intern(value::read(code.arena, n, 0)))
            .collect();
        let table = v.table();
        Prog {
            code,
            table,
            handlers,
            consts,
            names,
            unchecked_fast: table.info(Op::LOAD_FAST_CHECK).is_some(),
            block_stack: !v.facts().exception_table,
            back_is_step: !v.facts().line_events_at_lnotab_entries,
            lines,
            line_model: super::lines::Model::new(v, table, &code.ir.instrs),
        }
    }

    fn version(&self) -> PyVersion {
        self.code.ir.version
    }

    fn konst(&self, arg: u32) -> Result<u32, String> {
        self.consts
            .get(arg as usize)
            .copied()
            .ok_or_else(|| format!("constant index {arg} out of range"))
    }

    /// The constant a `LOAD_COMMON_CONSTANT` pushes.
    fn common(&self, arg: u32, pool: &mut Pool) -> u32 {
        use crate::version::CommonConst as K;
        let facts = self.version().facts();
        let c = match facts.common_constants.iter().find(|&&(n, _)| n == arg) {
            Some((_, K::None)) => CVal::None,
            Some((_, K::EmptyStr)) => CVal::Str(Vec::new()),
            Some((_, K::True)) => CVal::Bool(true),
            Some((_, K::False)) => CVal::Bool(false),
            Some((_, K::MinusOne)) => CVal::Int(-1),
            None => CVal::Common(arg),
        };
        pool.intern(c)
    }

    fn arg_of(&self, op: Op, arg: u32) -> Arg {
        let Some(info) = self.table.info(op) else {
            return Arg::Raw(arg);
        };
        match info.arg_kind {
            // Jump targets are structure: where they lead is walked.
            ArgKind::None | ArgKind::Jump => Arg::None,
            ArgKind::Const => match self.consts.get(arg as usize) {
                Some(&k) => Arg::Const(k),
                None => Arg::Raw(arg),
            },
            ArgKind::Name => {
                let shift = info.name_shift as u32;
                let low = arg & ((1 << shift) - 1);
                match self.names.get((arg >> shift) as usize) {
                    Some(&k) => Arg::Name(k, low),
                    None => Arg::Raw(arg),
                }
            }
            _ => Arg::Raw(arg),
        }
    }

    /// Runs `st` to its next observable step; `lines` receives the lines
    /// executed before it, consecutive repeats collapsed (3.8/3.9: a
    /// `co_lnotab` entry start counts as a new line).
    fn step(&self, start: &St, pool: &mut Pool, lines: &mut Vec<i32>) -> Result<Obs, String> {
        lines.clear();
        self.step_lines(start, pool, lines)
    }

    fn step_lines(&self, start: &St, pool: &mut Pool, lines: &mut Vec<i32>) -> Result<Obs, String> {
        let mut s = start.clone();
        if let Some(from) = s.back.take() {
            let at = St {
                pc: from,
                ..s.clone()
            };
            return Ok(self.obs(&at, Key::Back, vec![], true, vec![s]).at(from));
        }
        let instrs = &self.code.ir.instrs;
        // 3.8/3.9: the backward jumps taken in this step; taking one again
        // is a loop without observable steps, which ends the step.
        let mut taken: Vec<u32> = Vec::new();
        for _ in 0..100_000 {
            let pc = s.pc;
            let Some(ins) = instrs.get(pc as usize).copied() else {
                return Err(format!("execution runs off the end at {pc}"));
            };
            let next = pc + 1;
            let d = s.stack.len();
            macro_rules! pop {
                () => {
                    match s.stack.pop() {
                        Some(x) => x,
                        None => return Err(format!("stack underflow at {pc} {}", ins.op.name())),
                    }
                };
            }
            macro_rules! need {
                ($n:expr) => {
                    if d < $n {
                        return Err(format!("stack underflow at {pc} {}", ins.op.name()));
                    }
                };
            }
            let op = ins.op;
            if self.lines {
                lines.extend(self.line_model.event(instrs, pc as usize, s.line));
                s.line = self.line_model.after(&ins);
            }
            match op {
                Op::NOP | Op::NOT_TAKEN => {}
                Op::LOAD_CONST => s.stack.push(V::C(self.konst(ins.arg)?)),
                Op::LOAD_SMALL_INT => s.stack.push(V::C(pool.intern(CVal::Int(ins.arg as i128)))),
                Op::LOAD_COMMON_CONSTANT => s.stack.push(V::C(self.common(ins.arg, pool))),
                Op::PUSH_NULL | Op::BEGIN_FINALLY => s.stack.push(V::C(pool.intern(CVal::Null))),
                Op::LOAD_FAST | Op::LOAD_FAST_CHECK | Op::LOAD_FAST_BORROW => {
                    let checked = op == Op::LOAD_FAST_CHECK || !self.unchecked_fast;
                    if let Some(o) = self.load(&mut s, ins.arg, checked)? {
                        return Ok(o);
                    }
                }
                Op::LOAD_FAST_LOAD_FAST | Op::LOAD_FAST_BORROW_LOAD_FAST_BORROW => {
                    self.load(&mut s, ins.arg >> 4, false)?;
                    self.load(&mut s, ins.arg & 15, false)?;
                }
                Op::LOAD_FAST_AND_CLEAR => {
                    let x = *self.local(&s, ins.arg)?;
                    s.stack.push(x);
                    s.locals[ins.arg as usize] = V::Unbound;
                }
                Op::STORE_FAST => {
                    let x = pop!();
                    self.local(&s, ins.arg)?;
                    s.locals[ins.arg as usize] = x;
                }
                Op::STORE_FAST_LOAD_FAST => {
                    let x = pop!();
                    self.local(&s, ins.arg >> 4)?;
                    s.locals[(ins.arg >> 4) as usize] = x;
                    self.load(&mut s, ins.arg & 15, false)?;
                }
                Op::STORE_FAST_STORE_FAST => {
                    for i in [ins.arg >> 4, ins.arg & 15] {
                        let x = pop!();
                        self.local(&s, i)?;
                        s.locals[i as usize] = x;
                    }
                }
                Op::POP_TOP => {
                    pop!();
                }
                Op::COPY => {
                    let n = ins.arg as usize;
                    need!(n.max(1));
                    s.stack.push(s.stack[d - n]);
                }
                Op::SWAP => {
                    let n = ins.arg as usize;
                    need!(n.max(1));
                    s.stack.swap(d - 1, d - n);
                }
                Op::DUP_TOP => {
                    need!(1);
                    s.stack.push(s.stack[d - 1]);
                }
                Op::DUP_TOP_TWO => {
                    need!(2);
                    s.stack.push(s.stack[d - 2]);
                    s.stack.push(s.stack[d - 1]);
                }
                Op::ROT_TWO | Op::ROT_THREE | Op::ROT_FOUR | Op::ROT_N => {
                    let n = match op {
                        Op::ROT_TWO => 2,
                        Op::ROT_THREE => 3,
                        Op::ROT_FOUR => 4,
                        _ => ins.arg as usize,
                    };
                    need!(n);
                    if n > 0 {
                        s.stack[d - n..].rotate_right(1);
                    }
                }
                Op::JUMP_FORWARD
                | Op::JUMP_ABSOLUTE
                | Op::JUMP_BACKWARD
                | Op::JUMP_BACKWARD_NO_INTERRUPT => {
                    if ins.arg <= pc {
                        let mut t = s.clone();
                        t.pc = ins.arg;
                        if self.back_is_step || taken.contains(&pc) {
                            self.jump_line(&mut t, pc);
                            return Ok(self.obs(&s, Key::Back, vec![], true, vec![t]).at(pc));
                        }
                        taken.push(pc);
                        self.jump_line(&mut t, pc);
                        s = t;
                        continue;
                    }
                    s.pc = ins.arg;
                    self.jump_line(&mut s, pc);
                    continue;
                }
                Op::RETURN_VALUE => {
                    let x = pop!();
                    return Ok(self.obs(&s, Key::Return, vec![x], false, vec![]).at(pc));
                }
                Op::RETURN_CONST => {
                    let x = V::C(self.konst(ins.arg)?);
                    return Ok(self.obs(&s, Key::Return, vec![x], false, vec![]).at(pc));
                }
                _ if cond_jump(op).is_some() => {
                    let Some((kind, when, pops_on_jump)) = cond_jump(op) else {
                        unreachable!()
                    };
                    need!(1);
                    let t = s.stack[d - 1];
                    let back = (ins.arg <= pc && self.back_is_step).then_some(pc);
                    let mut jump = s.clone();
                    jump.pc = ins.arg;
                    jump.back = back;
                    self.jump_line(&mut jump, pc);
                    if pops_on_jump {
                        jump.stack.pop();
                    }
                    let mut fall = s.clone();
                    fall.pc = next;
                    fall.stack.pop();
                    if let V::C(k) = t {
                        let c = pool.get(k);
                        let outcome = match kind {
                            0 => value::truth(c),
                            _ => match c {
                                CVal::Null => None,
                                CVal::None => Some(true),
                                _ => Some(false),
                            },
                        };
                        if let Some(o) = outcome {
                            let mut to = if o == when { jump } else { fall };
                            let again = to.pc <= pc && !self.back_is_step && taken.contains(&pc);
                            if to.back.is_some() || again {
                                to.back = None;
                                let o = self.obs(&s, Key::Back, vec![], true, vec![to]);
                                return Ok(o.at(pc));
                            }
                            if to.pc <= pc {
                                taken.push(pc);
                            }
                            s = to;
                            continue;
                        }
                    }
                    let succ = if when {
                        vec![jump, fall]
                    } else {
                        vec![fall, jump]
                    };
                    let o = self.obs(&s, Key::Branch(kind), vec![t], true, succ);
                    return Ok(o.at(pc));
                }
                Op::CALL_FINALLY => {
                    let mut j = s.clone();
                    j.stack.push(V::Ret(next));
                    j.pc = ins.arg;
                    let o = self.obs(&s, Key::Ev(op, Arg::None), vec![], false, vec![j]);
                    return Ok(o.at(pc));
                }
                Op::END_FINALLY => {
                    need!(1);
                    match s.stack[d - 1] {
                        V::C(k) if matches!(pool.get(k), CVal::Null | CVal::None) => {
                            s.stack.pop();
                        }
                        V::Ret(to) => {
                            s.stack.pop();
                            s.pc = to;
                            continue;
                        }
                        // An exception: re-raised. (A value the validator
                        // lost track of is the exception of a `with` whose
                        // `__exit__` ran; the path where it suppressed the
                        // exception is not walked: see docs/validation.md.)
                        _ => {
                            let operands = s.stack.clone();
                            let o = self.obs(&s, Key::Ev(op, Arg::None), operands, true, vec![]);
                            return Ok(o.at(pc));
                        }
                    }
                }
                // 3.8's `with` exit after BEGIN_FINALLY: `[exit, NULL]` →
                // `exit(None, None, None)` → `[NULL, None, result]`.
                Op::WITH_CLEANUP_START
                    if d >= 2
                        && matches!(s.stack[d - 1], V::C(k) if *pool.get(k) == CVal::Null) =>
                {
                    let operands = vec![s.stack[d - 2]];
                    let mut f = s.clone();
                    let null = f.stack[d - 1];
                    f.stack.truncate(d - 2);
                    f.stack.push(null);
                    f.stack.push(V::C(pool.intern(CVal::None)));
                    push_placeholders(&mut f.stack, 1);
                    f.pc = next;
                    let o = self.obs(&s, Key::Ev(op, Arg::None), operands, true, vec![f]);
                    return Ok(o.at(pc));
                }
                // No exception (`None` under the result): both popped.
                Op::WITH_CLEANUP_FINISH
                    if d >= 2
                        && matches!(s.stack[d - 2], V::C(k) if *pool.get(k) == CVal::None) =>
                {
                    s.stack.truncate(d - 2);
                }
                // 3.8: NULL or a return address under the optional kept
                // value is popped; anything else is an exception (6 values
                // and the handler's block).
                Op::POP_FINALLY => {
                    let keep = if ins.arg != 0 { Some(pop!()) } else { None };
                    let x = pop!();
                    let plain = match x {
                        V::Ret(_) => true,
                        V::C(k) => *pool.get(k) == CVal::Null,
                        _ => false,
                    };
                    if !plain {
                        for _ in 0..5 {
                            pop!();
                        }
                        match s.blocks.pop() {
                            Some(b) if b.except => {}
                            _ => return Err(format!("POP_FINALLY outside a handler at {pc}")),
                        }
                    }
                    s.stack.extend(keep);
                }
                Op::POP_BLOCK if self.block_stack => {
                    if s.blocks.pop().is_none() {
                        return Err(format!("POP_BLOCK with no block at {pc}"));
                    }
                }
                Op::SETUP_FINALLY | Op::SETUP_WITH | Op::SETUP_ASYNC_WITH if self.block_stack => {
                    let info = self.info(op)?;
                    let entry = d as i64 + info.jump_effect.eval(ins.arg);
                    let keep = u32::try_from(entry - 6).map_err(|_| "bad handler depth")?;
                    let (pops, pushes) = if op == Op::SETUP_FINALLY {
                        (0, 0)
                    } else {
                        (1, (1 + info.effect.eval(ins.arg)).max(0) as usize)
                    };
                    need!(pops);
                    let operands = s.stack[d - pops..].to_vec();
                    let mut f = s.clone();
                    f.stack.truncate(d - pops);
                    push_placeholders(&mut f.stack, pushes);
                    f.blocks.push(Blk {
                        handler: ins.arg,
                        keep,
                        except: false,
                    });
                    f.pc = next;
                    let key = Key::Ev(op, Arg::None);
                    return Ok(self
                        .obs(&s, key, operands, op != Op::SETUP_FINALLY, vec![f])
                        .at(pc));
                }
                // 3.8–3.10 `async for` exit: the exception (3 values), the
                // handler's saved exception (3) and the iterator are popped
                // with the handler's block when it is `StopAsyncIteration`;
                // anything else is re-raised.
                Op::END_ASYNC_FOR if self.block_stack => {
                    match s.blocks.last() {
                        Some(b) if b.except => {}
                        _ => return Err(format!("END_ASYNC_FOR outside a handler at {pc}")),
                    }
                    need!(7);
                    let operands = s.stack[d - 7..].to_vec();
                    let mut f = s.clone();
                    f.blocks.pop();
                    f.stack.truncate(d - 7);
                    f.pc = next;
                    let o = self.obs(&s, Key::Ev(op, Arg::None), operands, true, vec![f]);
                    return Ok(o.at(pc));
                }
                Op::POP_EXCEPT if self.block_stack => {
                    match s.blocks.last() {
                        Some(b) if b.except => {}
                        _ => return Err(format!("POP_EXCEPT outside a handler at {pc}")),
                    }
                    need!(3);
                    let operands = s.stack[d - 3..].to_vec();
                    let mut f = s.clone();
                    f.blocks.pop();
                    f.stack.truncate(d - 3);
                    f.pc = next;
                    let o = self.obs(&s, Key::Ev(op, Arg::None), operands, false, vec![f]);
                    return Ok(o.at(pc));
                }
                // `TO_BOOL` of an exact bool returns it: no effect.
                Op::TO_BOOL if matches!(s.stack.last(), Some(V::B(_))) => {}
                _ => {
                    if let Some(c) = self.fold(&s, op, ins.arg, pool) {
                        let n = fold_arity(op, ins.arg);
                        s.stack.truncate(d - n);
                        s.stack.push(V::C(c));
                    } else {
                        // Slots this instruction binds or unbinds: a
                        // deleted local; 3.11+'s new cell (`MAKE_CELL`) and
                        // closure cells (`COPY_FREE_VARS n`: the last n).
                        let (slots, value) = match op {
                            Op::DELETE_FAST => (ins.arg as usize..ins.arg as usize + 1, V::Unbound),
                            Op::MAKE_CELL => (
                                ins.arg as usize..ins.arg as usize + 1,
                                V::S(PLACEHOLDER + (1 << 17)),
                            ),
                            Op::COPY_FREE_VARS => {
                                let n = s.locals.len();
                                (
                                    n.saturating_sub(ins.arg as usize)..n,
                                    V::S(PLACEHOLDER + (1 << 17)),
                                )
                            }
                            _ => (0..0, V::Unbound),
                        };
                        for i in slots.clone() {
                            self.local(&s, i as u32)?;
                        }
                        let mut o = self.event(s, op, ins.arg)?;
                        for i in slots {
                            for (k, f) in o.succ.iter_mut().enumerate() {
                                f.locals[i] = match value {
                                    V::S(p) => V::S(p + i as u32 + ((k as u32) << 18)),
                                    v => v,
                                };
                            }
                        }
                        return Ok(o.at(pc));
                    }
                }
            }
            s.pc = next;
        }
        Err("no observable step within 100000 instructions".into())
    }

    /// The jump at `jump` was taken: recorded in the line the state
    /// carries (a backward jump reports a line event at its target, on
    /// 3.12+ only `JUMP_BACKWARD`; on 3.13+ a jump's target reports its
    /// line when it differs: `lines.rs`).
    fn jump_line(&self, t: &mut St, jump: u32) {
        if self.lines {
            if let Some(ins) = self.code.ir.instrs.get(jump as usize) {
                t.line = self.line_model.after_jump(ins, t.pc <= jump);
            }
        }
    }

    /// Whether `op` always pushes an exact `bool` (decided here from the
    /// operators' definitions, independently of the passes).
    fn exact_bool(&self, op: Op, arg: u32) -> bool {
        match op {
            Op::IS_OP | Op::CONTAINS_OP | Op::UNARY_NOT | Op::TO_BOOL => true,
            Op::COMPARE_OP => {
                let bit = self.version().facts().compare_op_bool_bit;
                bit != 0 && arg & bit != 0
            }
            _ => false,
        }
    }

    fn info(&self, op: Op) -> Result<&'static crate::version::OpInfo, String> {
        self.table
            .info(op)
            .ok_or_else(|| format!("{} does not exist in {}", op.name(), self.version()))
    }

    fn local<'s>(&self, s: &'s St, i: u32) -> Result<&'s V, String> {
        s.locals
            .get(i as usize)
            .ok_or_else(|| format!("local {i} out of range"))
    }

    /// Pushes local `i`; a checked load of a local that may be unbound is
    /// an observable step (it may raise `UnboundLocalError`), an unchecked
    /// one is refused.
    fn load(&self, s: &mut St, i: u32, checked: bool) -> Result<Option<Obs>, String> {
        let x = *self.local(s, i)?;
        match x {
            V::Unbound | V::Maybe(_) | V::MaybeC(_) if checked => {
                let mut f = s.clone();
                f.pc += 1;
                let bound = match x {
                    V::Maybe(k) => Some(V::S(k)),
                    V::MaybeC(c) => Some(V::C(c)),
                    _ => None,
                };
                let succ = match bound {
                    Some(v) => {
                        f.locals[i as usize] = v;
                        f.stack.push(v);
                        vec![f]
                    }
                    None => vec![],
                };
                Ok(Some(
                    self.obs(s, Key::Check(i), vec![], true, succ).at(s.pc),
                ))
            }
            V::Unbound | V::Maybe(_) | V::MaybeC(_) => Err(format!(
                "unchecked load of local {i}, which may be unbound, at {}",
                s.pc
            )),
            _ => {
                s.stack.push(x);
                Ok(None)
            }
        }
    }

    /// Evaluates an operator on constant operands, when the validator's own
    /// evaluator can.
    fn fold(&self, s: &St, op: Op, arg: u32, pool: &mut Pool) -> Option<u32> {
        let n = fold_arity(op, arg);
        if (n == 0 && op != Op::BUILD_TUPLE) || s.stack.len() < n {
            return None;
        }
        let mut args = Vec::with_capacity(n);
        for v in &s.stack[s.stack.len() - n..] {
            match v {
                V::C(k) => args.push(pool.get(*k).clone()),
                _ => return None,
            }
        }
        if args
            .iter()
            .any(|c| matches!(c, CVal::Null | CVal::Common(_)))
        {
            return None;
        }
        let bin = |b| value::binary(b, &args[0], &args[1]);
        let r = match op {
            Op::BUILD_TUPLE => Some(CVal::Tuple(args.clone())),
            Op::UNARY_NOT => value::truth(&args[0]).map(|t| CVal::Bool(!t)),
            Op::TO_BOOL => value::truth(&args[0]).map(CVal::Bool),
            Op::UNARY_NEGATIVE => value::unary(Un::Neg, &args[0]),
            Op::UNARY_POSITIVE => value::unary(Un::Pos, &args[0]),
            Op::UNARY_INVERT => value::unary(Un::Invert, &args[0]),
            Op::BINARY_OP => bin(Bin::from_nb(arg)?),
            Op::COMPARE_OP => {
                let shift = self.version().facts().compare_op_arg_shift;
                match arg >> shift {
                    // 3.8's `in` and `not in` are comparisons.
                    6 | 7 if self.table.cmp_op.get(6) == Some(&"in") => {
                        value::contains(&args[0], &args[1])
                            .map(|r| CVal::Bool(r == (arg >> shift == 6)))
                    }
                    cmp => value::compare(cmp, &args[0], &args[1]).map(CVal::Bool),
                }
            }
            Op::CONTAINS_OP => {
                value::contains(&args[0], &args[1]).map(|r| CVal::Bool(r != (arg == 1)))
            }
            _ => bin(old_binary(op)?),
        }?;
        Some(pool.intern(r))
    }

    /// An instruction with an effect: its operands (the top `pops` values,
    /// or the whole stack when the validator does not know how many it
    /// reads), and fresh results for the rest.
    fn event(&self, s: St, op: Op, arg: u32) -> Result<Obs, String> {
        let info = self.info(op)?;
        let d = s.stack.len();
        let key = Key::Ev(op, self.arg_of(op, arg));
        let effect = info.effect.eval(arg);
        let pops = exact_pops(op, arg)
            .or_else(|| call_pops(op, info, arg))
            .unwrap_or(d);
        if pops > d {
            return Err(format!("stack underflow at {} {}", s.pc, op.name()));
        }
        let operands = s.stack[d - pops..].to_vec();
        let pc = s.pc;
        let raise = Some(self.raise_of(&s));
        let mut succ = Vec::with_capacity(2);
        let depth_after = |e: i64| -> Result<usize, String> {
            usize::try_from(d as i64 + e).map_err(|_| format!("stack underflow at {pc}"))
        };
        // 3.8's `CALL_FINALLY` return addresses are read only by the
        // finally protocol: an instruction taking the whole stack keeps them.
        let rets: Vec<(usize, V)> = if pops == d {
            s.stack
                .iter()
                .enumerate()
                .filter(|(_, v)| matches!(v, V::Ret(_)))
                .map(|(k, v)| (k, *v))
                .collect()
        } else {
            Vec::new()
        };
        let keep_rets = |st: &mut St, after: usize| {
            for &(k, v) in rets.iter().filter(|(k, _)| *k < after) {
                st.stack[k] = v;
            }
        };
        let jump = info.jump != JumpKind::None && op.jump_transfers_control() && !is_terminator(op);
        // The state is moved into the fall-through successor: a copy only
        // for the jump.
        let mut jumped = jump.then(|| s.clone());
        if !is_terminator(op) {
            let mut f = s;
            let after = depth_after(effect)?;
            f.stack.truncate(d - pops);
            push_placeholders(&mut f.stack, after.saturating_sub(d - pops));
            keep_rets(&mut f, after);
            if self.exact_bool(op, arg) {
                if let Some(V::S(p)) = f.stack.last().copied() {
                    if let Some(top) = f.stack.last_mut() {
                        *top = V::B(p);
                    }
                }
            }
            f.pc = pc + 1;
            succ.push(f);
        }
        if let Some(mut j) = jumped.take() {
            let after = depth_after(info.jump_effect.eval(arg))?;
            j.stack.truncate(d - pops);
            push_placeholders(&mut j.stack, after.saturating_sub(d - pops));
            keep_rets(&mut j, after);
            j.pc = arg;
            j.back = (arg <= pc && self.back_is_step).then_some(pc);
            self.jump_line(&mut j, pc);
            succ.push(j);
        }
        Ok(Obs {
            key,
            operands,
            raise,
            succ,
            pc,
        })
    }

    fn obs(&self, s: &St, key: Key, operands: Vec<V>, raises: bool, succ: Vec<St>) -> Obs {
        Obs {
            key,
            operands,
            raise: raises.then(|| self.raise_of(s)),
            succ,
            pc: s.pc,
        }
    }

    /// What a step at `s` that may raise is checked with: the locals, and
    /// the handler's entry state (which holds the same locals: they are
    /// not kept twice).
    fn raise_of(&self, s: &St) -> Box<Raise> {
        let handler = self.handler(s);
        let locals = if handler.is_some() {
            Vec::new()
        } else {
            s.locals.clone()
        };
        Box::new(Raise { locals, handler })
    }

    /// The state a handler starts in when the step at `s` raises.
    fn handler(&self, s: &St) -> Option<St> {
        if self.block_stack {
            let k = s.blocks.iter().rposition(|b| !b.except)?;
            let b = &s.blocks[k];
            let mut stack: Vec<V> = s.stack.iter().take(b.keep as usize).copied().collect();
            push_placeholders_from(&mut stack, 5, 1 << 16);
            stack.push(V::Exc(PLACEHOLDER + (1 << 16) + 5));
            let mut blocks = s.blocks[..k].to_vec();
            blocks.push(Blk {
                except: true,
                ..b.clone()
            });
            return Some(St {
                pc: b.handler,
                back: None,
                stack,
                locals: s.locals.clone(),
                blocks,
                line: s.line,
                stutter: 0,
            });
        }
        let e = (*self.handlers.get(s.pc as usize)?)?;
        let mut stack: Vec<V> = s.stack.iter().take(e.depth as usize).copied().collect();
        push_placeholders_from(&mut stack, 1 + usize::from(e.lasti), 1 << 16);
        Some(St {
            pc: e.target,
            back: None,
            stack,
            locals: s.locals.clone(),
            blocks: Vec::new(),
            line: s.line,
            stutter: 0,
        })
    }
}

impl Obs {
    fn at(mut self, pc: u32) -> Obs {
        self.pc = pc;
        self
    }
}

fn push_placeholders(stack: &mut Vec<V>, n: usize) {
    push_placeholders_from(stack, n, 0)
}

fn push_placeholders_from(stack: &mut Vec<V>, n: usize, from: u32) {
    for k in 0..n as u32 {
        stack.push(V::S(PLACEHOLDER + from + k));
    }
}

/// `(kind, jumps when the condition is, pops on the jump edge)` of a
/// conditional jump: kind 0 tests truth, 1 tests `is None`.
fn cond_jump(op: Op) -> Option<(u8, bool, bool)> {
    Some(match op {
        Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_FORWARD_IF_FALSE | Op::POP_JUMP_BACKWARD_IF_FALSE => {
            (0, false, true)
        }
        Op::POP_JUMP_IF_TRUE | Op::POP_JUMP_FORWARD_IF_TRUE | Op::POP_JUMP_BACKWARD_IF_TRUE => {
            (0, true, true)
        }
        Op::POP_JUMP_IF_NONE | Op::POP_JUMP_FORWARD_IF_NONE | Op::POP_JUMP_BACKWARD_IF_NONE => {
            (1, true, true)
        }
        Op::POP_JUMP_IF_NOT_NONE
        | Op::POP_JUMP_FORWARD_IF_NOT_NONE
        | Op::POP_JUMP_BACKWARD_IF_NOT_NONE => (1, false, true),
        Op::JUMP_IF_FALSE_OR_POP => (0, false, false),
        Op::JUMP_IF_TRUE_OR_POP => (0, true, false),
        _ => return None,
    })
}

/// The 3.8–3.10 binary operators.
fn old_binary(op: Op) -> Option<Bin> {
    Some(match op {
        Op::BINARY_ADD | Op::INPLACE_ADD => Bin::Add,
        Op::BINARY_SUBTRACT | Op::INPLACE_SUBTRACT => Bin::Sub,
        Op::BINARY_MULTIPLY | Op::INPLACE_MULTIPLY => Bin::Mul,
        Op::BINARY_TRUE_DIVIDE | Op::INPLACE_TRUE_DIVIDE => Bin::TrueDiv,
        Op::BINARY_FLOOR_DIVIDE | Op::INPLACE_FLOOR_DIVIDE => Bin::FloorDiv,
        Op::BINARY_MODULO | Op::INPLACE_MODULO => Bin::Mod,
        Op::BINARY_POWER | Op::INPLACE_POWER => Bin::Pow,
        Op::BINARY_LSHIFT | Op::INPLACE_LSHIFT => Bin::LShift,
        Op::BINARY_RSHIFT | Op::INPLACE_RSHIFT => Bin::RShift,
        Op::BINARY_AND | Op::INPLACE_AND => Bin::And,
        Op::BINARY_OR | Op::INPLACE_OR => Bin::Or,
        Op::BINARY_XOR | Op::INPLACE_XOR => Bin::Xor,
        Op::BINARY_MATRIX_MULTIPLY | Op::INPLACE_MATRIX_MULTIPLY => Bin::MatMul,
        _ => return None,
    })
}

/// Operands of the operators the evaluator may fold (0: not one).
fn fold_arity(op: Op, arg: u32) -> usize {
    match op {
        Op::BUILD_TUPLE => arg as usize,
        Op::UNARY_NOT
        | Op::TO_BOOL
        | Op::UNARY_NEGATIVE
        | Op::UNARY_POSITIVE
        | Op::UNARY_INVERT => 1,
        Op::BINARY_OP | Op::COMPARE_OP | Op::CONTAINS_OP => 2,
        _ if old_binary(op).is_some() => 2,
        _ => 0,
    }
}

/// How many values an instruction with an effect reads, where the
/// validator knows it exactly (else it takes the whole stack as operands).
fn exact_pops(op: Op, arg: u32) -> Option<usize> {
    let n = arg as usize;
    Some(match op {
        Op::LOAD_GLOBAL
        | Op::LOAD_NAME
        | Op::LOAD_DEREF
        | Op::LOAD_CLASSDEREF
        | Op::LOAD_BUILD_CLASS
        | Op::LOAD_ASSERTION_ERROR
        | Op::DELETE_NAME
        | Op::DELETE_GLOBAL
        | Op::DELETE_DEREF
        | Op::DELETE_FAST
        | Op::RESUME => 0,
        Op::UNARY_NOT
        | Op::TO_BOOL
        | Op::UNARY_NEGATIVE
        | Op::UNARY_POSITIVE
        | Op::UNARY_INVERT
        | Op::GET_ITER
        | Op::LOAD_ATTR
        | Op::LOAD_METHOD
        | Op::STORE_NAME
        | Op::STORE_GLOBAL
        | Op::STORE_DEREF
        | Op::DELETE_ATTR
        | Op::IMPORT_FROM
        | Op::IMPORT_STAR
        | Op::UNPACK_SEQUENCE
        | Op::UNPACK_EX
        | Op::FORMAT_SIMPLE
        | Op::CONVERT_VALUE
        | Op::GET_AWAITABLE
        | Op::GET_YIELD_FROM_ITER
        | Op::YIELD_VALUE
        | Op::BEFORE_ASYNC_WITH => 1,
        // 3.8–3.10 (what lies under them is not read: a finally body's
        // NULL or return address stays there for `END_FINALLY`).
        Op::YIELD_FROM => 2,
        Op::CALL_FUNCTION => n + 1,
        Op::CALL_METHOD | Op::CALL_FUNCTION_KW => n + 2,
        Op::BINARY_OP
        | Op::COMPARE_OP
        | Op::IS_OP
        | Op::CONTAINS_OP
        | Op::BINARY_SUBSCR
        | Op::STORE_ATTR
        | Op::DELETE_SUBSCR
        | Op::IMPORT_NAME
        | Op::FORMAT_WITH_SPEC => 2,
        Op::STORE_SUBSCR | Op::BINARY_SLICE => 3,
        Op::STORE_SLICE => 4,
        Op::BUILD_TUPLE | Op::BUILD_LIST | Op::BUILD_SET | Op::BUILD_STRING => n,
        Op::BUILD_MAP => 2 * n,
        Op::BUILD_CONST_KEY_MAP => n + 1,
        Op::BUILD_SLICE => n,
        _ if old_binary(op).is_some() => 2,
        _ => return None,
    })
}

/// How many values a 3.12+ `CALL`/`CALL_KW` reads: the callable, `self`
/// or NULL, the arguments (and the keyword names), all popped for the one
/// result, so `1 - effect`. The values under them are not read (3.13's
/// `a.x += v` with `a` reloaded instead of copied leaves one fewer there).
/// 3.11's `CALL` pops only two per its table (`PRECALL` accounts for the
/// arguments): there the whole stack stays the operands.
fn call_pops(op: Op, info: &crate::version::OpInfo, arg: u32) -> Option<usize> {
    match (op, info.effect) {
        (Op::CALL | Op::CALL_KW, crate::version::StackEffect::Linear { mul: -1, .. }) => {
            usize::try_from(1 - info.effect.eval(arg)).ok()
        }
        _ => None,
    }
}

/// Both sides' states at one point of the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Joint {
    a: St,
    b: St,
}

/// Where a joint state is: both positions, pending backward jumps, and the
/// shapes paths must share to be joined (stack depths: 3.8 reaches a
/// `finally` body with different depths; block stacks on 3.8–3.10).
type Point = (
    u32,
    u32,
    Option<u32>,
    Option<u32>,
    usize,
    usize,
    Vec<Blk>,
    Vec<Blk>,
    (i32, i32, u8, u8),
    Vec<V>,
);

impl Joint {
    fn point(&self) -> Point {
        (
            self.a.pc,
            self.b.pc,
            self.a.back,
            self.b.back,
            self.a.stack.len(),
            self.b.stack.len(),
            self.a.blocks.clone(),
            self.b.blocks.clone(),
            (self.a.line, self.b.line, self.a.stutter, self.b.stutter),
            // 3.8's `CALL_FINALLY` return addresses: where `END_FINALLY` goes.
            self.a
                .stack
                .iter()
                .chain(&self.b.stack)
                .filter(|v| matches!(v, V::Ret(_)))
                .copied()
                .collect(),
        )
    }

    fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.a
            .stack
            .iter_mut()
            .chain(self.a.locals.iter_mut())
            .chain(self.b.stack.iter_mut())
            .chain(self.b.locals.iter_mut())
    }

    /// Renames the symbols in order of first appearance, so that states
    /// equal up to renaming are equal.
    fn canonical(mut self, names: &mut Renamer) -> Joint {
        names.start();
        for v in self.values_mut() {
            if let V::S(k) | V::B(k) | V::Maybe(k) | V::Exc(k) = v {
                *k = names.rename(*k);
            }
        }
        self
    }

    /// How many values the state holds.
    fn size(&self) -> usize {
        self.a.stack.len() + self.a.locals.len() + self.b.stack.len() + self.b.locals.len()
    }

    fn values(&self) -> impl Iterator<Item = &V> {
        self.a
            .stack
            .iter()
            .chain(&self.a.locals)
            .chain(&self.b.stack)
            .chain(&self.b.locals)
    }
}

/// The renaming of [`Joint::canonical`]: symbol → its new name, in order of
/// first appearance. The symbols of a state to be stored are canonical
/// names (small: fewer than the state's values), parameters (small too),
/// the placeholders of a step's results and a few others; the small ones
/// are looked up in a direct table, the rest in a map.
#[derive(Default)]
pub(crate) struct Renamer {
    /// Per slot: the `round` in which it was named, and its name.
    seen: Vec<(u32, u32)>,
    round: u32,
    next: u32,
    others: Map<u32, u32>,
}

/// Symbols below this are looked up directly.
const DIRECT: u32 = FRESH / 2;

impl Renamer {
    fn start(&mut self) {
        self.next = 0;
        self.others.clear();
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.seen.iter_mut().for_each(|e| *e = (0, 0));
            self.round = 1;
        }
    }

    fn rename(&mut self, k: u32) -> u32 {
        let slot = if k < DIRECT {
            k as usize
        } else {
            let n = self.next;
            let name = *self.others.entry(k).or_insert(n);
            if name == n {
                self.next += 1;
            }
            return name;
        };
        if slot >= self.seen.len() {
            self.seen.resize(slot + 1, (0, 0));
        }
        let e = &mut self.seen[slot];
        if e.0 != self.round {
            *e = (self.round, self.next);
            self.next += 1;
        }
        e.1
    }
}

/// The most precise state both `old` and `new` are instances of: a
/// constant kept where both have it, equal unknowns where both have equal
/// values, "may be unbound" where either may be. The symbols of the result
/// are numbered in order of first appearance (it is canonical); `pairs` is
/// scratch space.
fn join(old: &Joint, new: &Joint, pairs: &mut Map<(V, V), u32>) -> Result<Joint, String> {
    if old.a.stack.len() != new.a.stack.len()
        || old.b.stack.len() != new.b.stack.len()
        || old.a.locals.len() != new.a.locals.len()
        || old.b.locals.len() != new.b.locals.len()
    {
        return Err("different stack depths where paths meet".into());
    }
    if old.a.blocks != new.a.blocks || old.b.blocks != new.b.blocks {
        return Err("different block stacks where paths meet".into());
    }
    let mut out = old.clone();
    pairs.clear();
    for (o, &n) in out.values_mut().zip(new.values()) {
        if *o == n && matches!(n, V::C(_) | V::Unbound | V::Ret(_) | V::MaybeC(_)) {
            continue;
        }
        // Unbound on one path, a constant (when bound) on the other.
        let maybe_const = match (*o, n) {
            (V::Unbound | V::MaybeC(_), V::C(c) | V::MaybeC(c))
            | (V::C(c) | V::MaybeC(c), V::Unbound | V::MaybeC(_)) => Some(c),
            _ => None,
        };
        if let Some(c) = maybe_const {
            let agree = [*o, n]
                .iter()
                .all(|v| !matches!(v, V::C(x) | V::MaybeC(x) if *x != c));
            if agree {
                *o = V::MaybeC(c);
                continue;
            }
        }
        if matches!(*o, V::Ret(_)) || matches!(n, V::Ret(_)) {
            return Err("different return addresses where paths meet".into());
        }
        let len = pairs.len() as u32;
        let k = *pairs.entry((*o, n)).or_insert(len);
        let unbound = |v: V| matches!(v, V::Unbound | V::Maybe(_) | V::MaybeC(_));
        *o = if unbound(*o) || unbound(n) {
            V::Maybe(k)
        } else if matches!((*o, n), (V::Exc(_), V::Exc(_))) {
            V::Exc(k)
        } else if matches!((*o, n), (V::B(_), V::B(_))) {
            V::B(k)
        } else {
            V::S(k)
        };
    }
    Ok(out)
}

/// Why two code objects were not shown equivalent: the first disagreement.
pub(crate) struct Walk<'x, 'a> {
    a: Prog<'x, 'a>,
    b: Prog<'x, 'a>,
    pool: Pool,
    states: Map<Point, Joint>,
    /// Scratch space of `Joint::canonical` and `join`.
    names: Renamer,
    pairs: Map<(V, V), u32>,
    /// Scratch space of a step: each side's lines executed before it.
    lines_a: Vec<i32>,
    lines_b: Vec<i32>,
    /// Points whose state changed and must be walked again, in code
    /// order (each once however often it changed: fewer walks).
    work: BTreeSet<Point>,
    pub(crate) steps: u64,
    cells: usize,
}

/// Steps of the joint walk before giving up ("not shown equivalent").
const MAX_STEPS: u64 = 100_000;
/// Loop-guard backward jumps one side may take alone in a row (3.8/3.9).
const MAX_STUTTER: u8 = 4;
/// Stack and local slots visited before giving up (bounds the memory).
const MAX_CELLS: usize = 20_000_000;
/// What a block-stack entry counts for in `MAX_CELLS` (12 bytes, kept in
/// the state and twice in its point, against 8 bytes once for a value).
const BLOCK_CELLS: usize = 4;

impl<'x, 'a> Walk<'x, 'a> {
    pub(crate) fn new(a: &'x Code<'x, 'a>, b: &'x Code<'x, 'a>, lines: bool) -> Walk<'x, 'a> {
        let mut pool = Pool::default();
        let (pa, pb) = (
            Prog::new(a, &mut pool, lines),
            Prog::new(b, &mut pool, lines),
        );
        Walk {
            a: pa,
            b: pb,
            pool,
            states: Map::default(),
            names: Renamer::default(),
            pairs: Map::default(),
            lines_a: Vec::new(),
            lines_b: Vec::new(),
            work: BTreeSet::new(),
            steps: 0,
            cells: 0,
        }
    }

    fn entry(code: &Code<'_, '_>) -> St {
        let mut locals = vec![V::Unbound; code.nlocals];
        for (i, l) in locals.iter_mut().enumerate().take(code.nargs) {
            *l = V::S(i as u32);
        }
        let mut stack = Vec::new();
        const GENERATOR_LIKE: i32 = 0x20 | 0x80 | 0x200;
        if code.flags & GENERATOR_LIKE != 0 {
            for k in 0..code.ir.version.facts().generator_entry_depth {
                stack.push(V::S(FRESH - 1 - k as u32));
            }
        }
        St {
            pc: 0,
            back: None,
            stack,
            locals,
            blocks: Vec::new(),
            line: super::lines::START,
            stutter: 0,
        }
    }

    fn add(&mut self, j: Joint) -> Result<(), String> {
        // Canonical names stay below the fresh symbols' range.
        if j.size() >= DIRECT as usize {
            return Err("state too large".into());
        }
        let p = j.point();
        let j = j.canonical(&mut self.names);
        match self.states.get_mut(&p) {
            // Nothing new (`join(old, old)` is `old`).
            Some(old) if *old == j => {}
            Some(old) => {
                let joined = join(old, &j, &mut self.pairs)?;
                if joined != *old {
                    *old = joined;
                    self.work.insert(p);
                }
            }
            None => {
                self.states.insert(p.clone(), j);
                self.work.insert(p);
            }
        }
        Ok(())
    }

    /// Walks both code objects in lock step from their entries.
    pub(crate) fn run(&mut self) -> Result<(), String> {
        let (ea, eb) = (Self::entry(self.a.code), Self::entry(self.b.code));
        self.add(Joint { a: ea, b: eb })?;
        while let Some(p) = self.work.pop_first() {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                return Err(format!("gave up after {MAX_STEPS} steps"));
            }
            let Some(j) = self.states.get(&p) else {
                continue;
            };
            // Block-stack entries count too, as `BLOCK_CELLS` each: they
            // are larger and kept in the state's point as well (counting
            // only values, a block stack that grew every round exhausted
            // memory under the step limit).
            self.cells += j.size() + BLOCK_CELLS * (j.a.blocks.len() + j.b.blocks.len());
            if self.cells > MAX_CELLS {
                return Err(format!(
                    "gave up after {} steps (state too large)",
                    self.steps
                ));
            }
            let mut oa = self
                .a
                .step(&j.a, &mut self.pool, &mut self.lines_a)
                .map_err(|e| format!("original: {e}"))?;
            let mut ob = self
                .b
                .step(&j.b, &mut self.pool, &mut self.lines_b)
                .map_err(|e| format!("optimized: {e}"))?;
            // 3.8/3.9: a backward jump is no step (only the guard ending a
            // walk through a loop without steps), so one side may take it
            // where the other takes a real step (a rotated loop takes its
            // backward jump after the test, the original before it): that
            // side alone moves on, a bounded number of times (an endless
            // loop against a real step stays a disagreement), and only when
            // no line was executed before it (lines stay compared).
            if !self.a.back_is_step {
                let alone = |o: &Obs, other: &Obs, st: &St, lines: &[i32]| {
                    o.key == Key::Back
                        && other.key != Key::Back
                        && lines.is_empty()
                        && st.stutter < MAX_STUTTER
                };
                if alone(&oa, &ob, &j.a, &self.lines_a) {
                    if let Some(sa) = oa.succ.first() {
                        let a = St {
                            stutter: j.a.stutter + 1,
                            ..sa.clone()
                        };
                        self.add(Joint { a, b: j.b.clone() })?;
                        continue;
                    }
                }
                if alone(&ob, &oa, &j.b, &self.lines_b) {
                    if let Some(sb) = ob.succ.first() {
                        let b = St {
                            stutter: j.b.stutter + 1,
                            ..sb.clone()
                        };
                        self.add(Joint { a: j.a.clone(), b })?;
                        continue;
                    }
                }
            }
            self.agree(&oa, &ob)?;
            // The step's results are placeholders, the same on both sides
            // for the same result: distinct from the source state's symbols
            // (canonical names, small) and from each other, they become
            // fresh symbols when `add` renames each state canonically.
            if let (Some(ra), Some(rb)) = (oa.raise.take(), ob.raise.take()) {
                if let (Some(ha), Some(hb)) = (ra.handler, rb.handler) {
                    self.add(Joint { a: ha, b: hb })?;
                }
            }
            for (sa, sb) in oa.succ.into_iter().zip(ob.succ) {
                let (mut sa, mut sb) = (sa, sb);
                sa.stutter = 0;
                sb.stutter = 0;
                self.add(Joint { a: sa, b: sb })?;
            }
        }
        Ok(())
    }

    fn describe(&self, p: &Prog<'_, '_>, o: &Obs) -> String {
        let ins = p.code.ir.instrs.get(o.pc as usize);
        let what = match &o.key {
            Key::Ev(op, _) => op.name().to_string(),
            Key::Branch(0) => "branch on truth".into(),
            Key::Branch(_) => "branch on `is None`".into(),
            Key::Return => "return".into(),
            Key::Back => "backward jump".into(),
            Key::Check(i) => format!("checked load of local {i}"),
        };
        let line = ins
            .and_then(|i| i.loc.lineno())
            .map(|l| format!(", line {l}"))
            .unwrap_or_default();
        let ops: Vec<String> = o.operands.iter().map(|v| self.show(*v)).collect();
        format!("{what} at {}{line} ({})", o.pc, ops.join(", "))
    }

    fn show(&self, v: V) -> String {
        match v {
            V::C(k) => format!("{:?}", self.pool.get(k)),
            V::S(k) => format!("v{k}"),
            V::B(k) => format!("b{k}"),
            V::Maybe(k) => format!("v{k}?"),
            V::MaybeC(k) => format!("{:?}?", self.pool.get(k)),
            V::Unbound => "unbound".into(),
            V::Exc(k) => format!("exc{k}"),
            V::Ret(_) => "return address".into(),
        }
    }

    /// The two steps are the same effect on the same values.
    fn agree(&self, oa: &Obs, ob: &Obs) -> Result<(), String> {
        let both = || {
            format!(
                "original {} vs optimized {}",
                self.describe(&self.a, oa),
                self.describe(&self.b, ob)
            )
        };
        if oa.key != ob.key {
            return Err(format!("different steps: {}", both()));
        }
        let same_operands = oa.operands.len() == ob.operands.len()
            && oa.operands.iter().zip(&ob.operands).all(|(x, y)| {
                x == y
                    || matches!((x, y), (V::Ret(_), V::Ret(_)))
                    || matches!((x, y), (V::B(p), V::S(q)) | (V::S(p), V::B(q)) if p == q)
            });
        if !same_operands {
            return Err(format!("different operands: {}", both()));
        }
        if self.lines_a != self.lines_b {
            let show = |l: &[i32]| {
                l.iter()
                    .map(|x| {
                        if *x < 0 {
                            "-".to_string()
                        } else {
                            x.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            return Err(format!(
                "different line events before the step: [{}] vs [{}]: {}",
                show(&self.lines_a),
                show(&self.lines_b),
                both()
            ));
        }
        if oa.succ.len() != ob.succ.len() {
            return Err(format!("different successors: {}", both()));
        }
        match (&oa.raise, &ob.raise) {
            (Some(ra), Some(rb)) => {
                if ra.locals() != rb.locals() {
                    return Err(format!("different local variables: {}", both()));
                }
                match (&ra.handler, &rb.handler) {
                    (None, None) => {}
                    (Some(ha), Some(hb)) if ha.stack.len() == hb.stack.len() => {}
                    _ => return Err(format!("different exception handlers: {}", both())),
                }
            }
            (None, None) => {}
            _ => return Err(format!("different steps: {}", both())),
        }
        Ok(())
    }
}
