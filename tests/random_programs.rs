//! Random programs, differentially executed: a proptest generator of valid,
//! terminating, deterministic Python programs (arithmetic and comparisons on
//! constants and locals, tuple swaps of locals, nested if/while/for with
//! break/continue/else, try/except/finally, functions, closures,
//! comprehensions, generators) is
//! compiled by each installed CPython, optimized, and run original vs
//! optimized in the difftest worker. A failure shrinks to a minimal program,
//! printed in full with the verdict.
//!
//! The fixed-seed batch runs in every `cargo test`; `PYOPT_RANDOM_CASES`
//! sets its size, `PYOPT_RANDOM_VERSIONS` (e.g. `3.14`) the versions, and
//! the `#[ignore]`d test runs a long batch.

#![cfg(feature = "test-passes")]

mod common;

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use pyopt::config::Level;
use pyopt::difftest::{self, Mode, Verdict, Worker};
use pyopt::opt::{Debug, Pipeline};
use pyopt::PyVersion;

const VARS: [&str; 4] = ["a", "b", "c", "d"];

#[derive(Clone, Debug)]
enum Expr {
    Int(i64),
    Float(i8),
    Var(usize),
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Div(&'static str, Box<Expr>, Box<Expr>),
    Cmp(&'static str, Box<Expr>, Box<Expr>),
    BoolOp(&'static str, Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(usize, Box<Expr>),
    InTuple(Box<Expr>, Vec<i64>),
}

#[derive(Clone, Debug)]
enum Stmt {
    Assign(usize, Expr),
    AugAssign(usize, &'static str, Expr),
    /// `cell[0] op= e` on a one-item list holding the variable (a target
    /// `augassign-reload` loads again).
    ItemAugAssign(usize, &'static str, Expr),
    Print(Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(u8, Vec<Stmt>, bool, Option<Expr>),
    For(usize, u8, Vec<Stmt>, Vec<Stmt>),
    Try(Vec<Stmt>, Vec<Stmt>, Vec<Stmt>),
    Closure(usize, Expr),
    ListComp(usize, u8, Expr),
    GenSum(usize, u8),
    Pass,
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        (-20i64..20).prop_map(Expr::Int),
        prop_oneof![Just(1i64 << 40), Just(-7), Just(0), Just(255), Just(256)].prop_map(Expr::Int),
        (-4i8..4).prop_map(Expr::Float),
        (0..VARS.len()).prop_map(Expr::Var),
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (
                prop_oneof![
                    Just("+"),
                    Just("-"),
                    Just("*"),
                    Just("&"),
                    Just("|"),
                    Just("^")
                ],
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, a, b)| Expr::Bin(op, Box::new(a), Box::new(b))),
            (
                prop_oneof![Just("//"), Just("%")],
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, a, b)| Expr::Div(op, Box::new(a), Box::new(b))),
            (
                prop_oneof![Just("<"), Just("<="), Just("=="), Just("!="), Just(">")],
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, a, b)| Expr::Cmp(op, Box::new(a), Box::new(b))),
            (
                prop_oneof![Just("and"), Just("or")],
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, a, b)| Expr::BoolOp(op, Box::new(a), Box::new(b))),
            inner.clone().prop_map(|a| Expr::Not(Box::new(a))),
            inner.clone().prop_map(|a| Expr::Neg(Box::new(a))),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| Expr::IfExp(
                Box::new(c),
                Box::new(a),
                Box::new(b)
            )),
            (0usize..2, inner.clone()).prop_map(|(f, a)| Expr::Call(f, Box::new(a))),
            (inner, prop::collection::vec(-3i64..3, 0..4))
                .prop_map(|(a, t)| Expr::InTuple(Box::new(a), t)),
        ]
    })
}

fn stmts(depth: u32) -> BoxedStrategy<Vec<Stmt>> {
    let simple = prop_oneof![
        4 => (0..VARS.len(), expr()).prop_map(|(v, e)| Stmt::Assign(v, e)),
        2 => (0..VARS.len(), prop_oneof![Just("+="), Just("-="), Just("*="), Just("^=")], expr())
            .prop_map(|(v, op, e)| Stmt::AugAssign(v, op, e)),
        1 => (0..VARS.len(), prop_oneof![Just("+="), Just("-="), Just("*="), Just("^=")], expr())
            .prop_map(|(v, op, e)| Stmt::ItemAugAssign(v, op, e)),
        3 => expr().prop_map(Stmt::Print),
        1 => (0..VARS.len(), expr()).prop_map(|(v, e)| Stmt::Closure(v, e)),
        1 => (0..VARS.len(), 0u8..6, expr()).prop_map(|(v, n, e)| Stmt::ListComp(v, n, e)),
        1 => (0..VARS.len(), 0u8..6).prop_map(|(v, n)| Stmt::GenSum(v, n)),
        1 => Just(Stmt::Pass),
    ];
    if depth == 0 {
        return prop::collection::vec(simple, 1..4).boxed();
    }
    let inner = stmts(depth - 1);
    let compound = prop_oneof![
        (expr(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| Stmt::If(c, a, b)),
        (
            1u8..5,
            inner.clone(),
            any::<bool>(),
            proptest::option::of(expr())
        )
            .prop_map(|(n, body, cont, brk)| Stmt::While(n, body, cont, brk)),
        (0..VARS.len(), 0u8..5, inner.clone(), inner.clone())
            .prop_map(|(v, n, body, els)| Stmt::For(v, n, body, els)),
        (inner.clone(), inner.clone(), inner).prop_map(|(t, e, f)| Stmt::Try(t, e, f)),
    ];
    prop::collection::vec(prop_oneof![3 => simple, 1 => compound], 1..5).boxed()
}

fn write_expr(out: &mut String, e: &Expr) {
    match e {
        Expr::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Expr::Float(f) => {
            let _ = write!(out, "{}.5", f);
        }
        Expr::Var(v) => out.push_str(VARS[*v]),
        Expr::Bin(op, a, b) => {
            // Bitwise operators need ints; keep numbers small: loops multiply.
            let bitwise = matches!(*op, "&" | "|" | "^");
            out.push_str(if bitwise { "(int(" } else { "(" });
            write_expr(out, a);
            let _ = write!(
                out,
                "{} {op} {}",
                if bitwise { ")" } else { "" },
                if bitwise { "int(" } else { "" }
            );
            write_expr(out, b);
            out.push_str(if bitwise {
                ")) % 1000003"
            } else {
                ") % 1000003"
            });
        }
        Expr::Div(op, a, b) => {
            out.push('(');
            write_expr(out, a);
            let _ = write!(out, " {op} (abs(");
            write_expr(out, b);
            out.push_str(") % 7 + 1))");
        }
        Expr::Cmp(op, a, b) | Expr::BoolOp(op, a, b) => {
            out.push('(');
            write_expr(out, a);
            let _ = write!(out, " {op} ");
            write_expr(out, b);
            out.push(')');
        }
        Expr::Not(a) => {
            out.push_str("(not ");
            write_expr(out, a);
            out.push(')');
        }
        Expr::Neg(a) => {
            out.push_str("(-");
            write_expr(out, a);
            out.push(')');
        }
        Expr::IfExp(c, a, b) => {
            out.push('(');
            write_expr(out, a);
            out.push_str(" if ");
            write_expr(out, c);
            out.push_str(" else ");
            write_expr(out, b);
            out.push(')');
        }
        Expr::Call(f, a) => {
            let _ = write!(out, "h{f}(");
            write_expr(out, a);
            out.push(')');
        }
        Expr::InTuple(a, t) => {
            out.push('(');
            write_expr(out, a);
            out.push_str(" in (");
            for x in t {
                let _ = write!(out, "{x}, ");
            }
            out.push_str("))");
        }
    }
}

fn write_block(out: &mut String, body: &[Stmt], indent: usize, loop_id: &mut u32) {
    let pad = "    ".repeat(indent);
    if body.is_empty() {
        let _ = writeln!(out, "{pad}pass");
    }
    for s in body {
        match s {
            Stmt::Assign(v, e) => {
                let _ = write!(out, "{pad}{} = ", VARS[*v]);
                write_expr(out, e);
                out.push('\n');
                // A tuple swap of two locals (every local is bound from
                // the start of each function): `ROT_TWO` and two stores on
                // 3.8–3.10, for `swap-stores`.
                let (x, y) = (VARS[*v], VARS[(*v + 1) % VARS.len()]);
                let _ = writeln!(out, "{pad}{x}, {y} = {y}, {x}");
            }
            Stmt::AugAssign(v, op, e) => {
                let _ = write!(out, "{pad}{} {op} ", VARS[*v]);
                write_expr(out, e);
                let _ = writeln!(
                    out,
                    "\n{pad}{0} = {0} % 1000003 if isinstance({0}, int) else {0}",
                    VARS[*v]
                );
            }
            Stmt::ItemAugAssign(v, op, e) => {
                let _ = write!(out, "{pad}cell = [{}]\n{pad}cell[0] {op} ", VARS[*v]);
                write_expr(out, e);
                let _ = writeln!(
                    out,
                    "\n{pad}{0} = cell[0] % 1000003 if isinstance(cell[0], int) else cell[0]",
                    VARS[*v]
                );
            }
            Stmt::Print(e) => {
                let _ = write!(out, "{pad}print(");
                write_expr(out, e);
                out.push_str(")\n");
            }
            Stmt::If(c, a, b) => {
                let _ = write!(out, "{pad}if ");
                write_expr(out, c);
                out.push_str(":\n");
                write_block(out, a, indent + 1, loop_id);
                if !b.is_empty() {
                    let _ = writeln!(out, "{pad}else:");
                    write_block(out, b, indent + 1, loop_id);
                }
            }
            Stmt::While(n, body, cont, brk) => {
                *loop_id += 1;
                let k = format!("k{loop_id}");
                let _ = writeln!(
                    out,
                    "{pad}{k} = 0\n{pad}while {k} < {n}:\n{pad}    {k} += 1"
                );
                if let Some(b) = brk {
                    let _ = write!(out, "{pad}    if ");
                    write_expr(out, b);
                    let _ = writeln!(out, ":\n{pad}        break");
                }
                if *cont {
                    let _ = writeln!(out, "{pad}    if {k} % 2:\n{pad}        continue");
                }
                write_block(out, body, indent + 1, loop_id);
                let _ = writeln!(out, "{pad}else:\n{pad}    print('while-else', {k})");
            }
            Stmt::For(v, n, body, els) => {
                let _ = writeln!(out, "{pad}for {} in range({n}):", VARS[*v]);
                write_block(out, body, indent + 1, loop_id);
                if !els.is_empty() {
                    let _ = writeln!(out, "{pad}else:");
                    write_block(out, els, indent + 1, loop_id);
                }
            }
            Stmt::Try(t, e, f) => {
                let _ = writeln!(out, "{pad}try:");
                write_block(out, t, indent + 1, loop_id);
                let _ = writeln!(out, "{pad}    print(1 // (a % 3))");
                let _ = writeln!(
                    out,
                    "{pad}except ZeroDivisionError as exc:\n{pad}    print('caught', exc)"
                );
                write_block(out, e, indent + 1, loop_id);
                let _ = writeln!(out, "{pad}finally:");
                write_block(out, f, indent + 1, loop_id);
            }
            Stmt::Closure(v, e) => {
                let _ = write!(out, "{pad}def inner(x):\n{pad}    return x + ");
                write_expr(out, e);
                let _ = writeln!(out, "\n{pad}{0} = inner({0}) % 1000003", VARS[*v]);
            }
            Stmt::ListComp(v, n, e) => {
                let _ = write!(
                    out,
                    "{pad}{} = sum([x * 2 for x in range({n}) if ",
                    VARS[*v]
                );
                write_expr(out, e);
                out.push_str("]) % 1000003\n");
            }
            Stmt::GenSum(v, n) => {
                let _ = writeln!(
                    out,
                    "{pad}{} = sum(x - 1 for x in range({n}) if x != 2)",
                    VARS[*v]
                );
            }
            Stmt::Pass => {
                let _ = writeln!(out, "{pad}pass");
            }
        }
    }
}

/// A whole program: two helper functions, a generator, a main body.
fn program() -> impl Strategy<Value = String> {
    (stmts(1), stmts(1), stmts(2), expr()).prop_map(|(h0, h1, body, ret)| {
        let mut out = String::new();
        let mut loop_id = 0;
        for (name, b) in [("h0", &h0), ("h1", &h1)] {
            let _ = writeln!(out, "def {name}(a):\n    b = 3\n    c = -2\n    d = 7");
            let mut inner = b.clone();
            // Helpers must not call themselves.
            strip_calls(&mut inner);
            write_block(&mut out, &inner, 1, &mut loop_id);
            out.push_str("    return a if isinstance(a, int) else 0\n\n");
        }
        out.push_str(
            "def gen(n):\n    for i in range(n):\n        yield i * 3 - 1\n    return n\n\n",
        );
        out.push_str("def body():\n    a = 5\n    b = -3\n    c = 11\n    d = 2\n");
        write_block(&mut out, &body, 1, &mut loop_id);
        out.push_str("    print(list(gen(4)), a, b, c, d)\n    return ");
        write_expr(&mut out, &ret);
        out.push_str("\n\nprint(body())\n\ndef main():\n    return body()\n");
        out
    })
}

fn strip_calls(body: &mut [Stmt]) {
    fn e(x: &mut Expr) {
        match x {
            Expr::Call(_, a) => {
                *x = (**a).clone();
                e(x);
            }
            Expr::Bin(_, a, b)
            | Expr::Div(_, a, b)
            | Expr::Cmp(_, a, b)
            | Expr::BoolOp(_, a, b) => {
                e(a);
                e(b);
            }
            Expr::Not(a) | Expr::Neg(a) | Expr::InTuple(a, _) => e(a),
            Expr::IfExp(c, a, b) => {
                e(c);
                e(a);
                e(b);
            }
            _ => {}
        }
    }
    for s in body {
        match s {
            Stmt::Assign(_, x)
            | Stmt::AugAssign(_, _, x)
            | Stmt::ItemAugAssign(_, _, x)
            | Stmt::Print(x)
            | Stmt::Closure(_, x)
            | Stmt::ListComp(_, _, x) => e(x),
            Stmt::If(c, a, b) => {
                e(c);
                strip_calls(a);
                strip_calls(b);
            }
            Stmt::While(_, b, _, brk) => {
                if let Some(x) = brk {
                    e(x);
                }
                strip_calls(b);
            }
            Stmt::For(_, _, a, b) | Stmt::Try(a, b, _) => {
                strip_calls(a);
                strip_calls(b);
            }
            _ => {}
        }
        if let Stmt::Try(_, _, f) = s {
            strip_calls(f);
        }
    }
}

fn cases() -> u32 {
    std::env::var("PYOPT_RANDOM_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300)
}

/// The versions to check: `PYOPT_RANDOM_VERSIONS` (comma-separated, e.g.
/// `3.14`) or every supported one.
fn versions() -> Vec<PyVersion> {
    match std::env::var("PYOPT_RANDOM_VERSIONS") {
        Ok(list) => list
            .split(',')
            .map(|s| PyVersion::parse(s).unwrap_or_else(|| panic!("unknown version {s:?}")))
            .collect(),
        Err(_) => PyVersion::ALL.to_vec(),
    }
}

/// Runs `cases` fixed-seed programs through the pipeline `passes` on every
/// installed version. Returns (programs checked, programs that differed).
/// The safe passes (plus a pass that re-encodes everything), compared
/// strictly: output, exceptions, tracebacks and line events.
const SAFE: &[&str] = &[
    "constant-folding",
    "jump-threading",
    "dead-code",
    "redundant-to-bool",
    "loop-rotation",
    "swap-stores",
    "superinstructions",
    "nop-removal",
    "test-pad-extended-args",
];
/// Every aggressive pass, compared on results (line events may move).
const AGGRESSIVE: &[&str] = &[
    "const-propagation",
    "constant-folding",
    "jump-threading",
    "dead-code",
    "redundant-to-bool",
    "augassign-reload",
    "loop-rotation",
    "swap-stores",
    "superinstructions",
    "nop-removal",
];

fn batch(passes: &[&str], level: Level, mode: Mode, cases: u32, expect_same: bool) -> (u64, u64) {
    let mut checked = 0u64;
    let mut different = 0u64;
    let scratch = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("random-programs");
    for v in versions() {
        let Some(python) = common::require_or_skip(v.minor()) else {
            continue;
        };
        let mut worker = Worker::new(&python, &scratch, Duration::from_secs(20)).expect("worker");
        let pipeline = Pipeline::new(passes, Debug::default()).with_level(level);
        let start = Instant::now();
        let seed = [7u8; 32];
        let mut runner = TestRunner::new_with_rng(
            Config {
                cases,
                failure_persistence: None,
                ..Config::default()
            },
            TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
        );
        let n = Cell::new(0u64);
        let diffs = Cell::new(0u64);
        let worker = RefCell::new(&mut worker);
        let result = runner.run(&program(), |src| {
            n.set(n.get() + 1);
            let verdict =
                difftest::check_source(&mut worker.borrow_mut(), &src, "<random>", &pipeline, mode);
            match verdict {
                Verdict::Same { .. } => Ok(()),
                Verdict::Unusable(why) => Err(TestCaseError::fail(format!(
                    "unusable program ({why}):\n{src}"
                ))),
                other => {
                    diffs.set(diffs.get() + 1);
                    if expect_same {
                        Err(TestCaseError::fail(format!(
                            "{v}: {other:?}\n--- program ---\n{src}"
                        )))
                    } else {
                        Ok(())
                    }
                }
            }
        });
        if let Err(e) = result {
            panic!("{v}: {e}");
        }
        let (n, diffs) = (n.get(), diffs.get());
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{v}: {n} random programs checked with {passes:?} at {level} in {secs:.1}s ({:.0}/s), {diffs} differed",
            n as f64 / secs.max(1e-9)
        );
        checked += n;
        different += diffs;
    }
    (checked, different)
}

#[test]
fn random_programs_behave_the_same_after_a_correct_pass() {
    let (checked, _) = batch(SAFE, Level::Safe, Mode::Strict, cases(), true);
    println!("{checked} programs in total");
}

#[test]
fn random_programs_behave_the_same_at_aggressive() {
    let (checked, _) = batch(
        AGGRESSIVE,
        Level::Aggressive,
        Mode::ResultsOnly,
        cases(),
        true,
    );
    println!("{checked} programs in total");
}

#[test]
fn random_programs_catch_a_wrong_pass() {
    let (checked, different) = batch(&["test-wrong-sub"], Level::Safe, Mode::Strict, 40, false);
    if checked > 0 {
        assert!(
            different > 0,
            "none of {checked} random programs noticed that a - b became a + b"
        );
    }
}

#[test]
fn generated_programs_are_real_programs() {
    // The generator's output compiles and exercises loops, calls and exceptions.
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[3u8; 32]),
    );
    let tree = program().new_tree(&mut runner).expect("generate");
    let src = tree.current();
    assert!(
        src.contains("def h0(") && src.contains("def body():") && src.contains("print("),
        "{src}"
    );
}

#[test]
#[ignore]
fn long_random_batch() {
    let (checked, _) = batch(SAFE, Level::Safe, Mode::Strict, 2000, true);
    let (more, _) = batch(AGGRESSIVE, Level::Aggressive, Mode::ResultsOnly, 2000, true);
    let checked = checked + more;
    println!("{checked} programs in total");
}

#[test]
#[ignore]
fn print_a_sample_program() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[9u8; 32]),
    );
    for _ in 0..2 {
        println!(
            "{}\n-----",
            program().new_tree(&mut runner).expect("generate").current()
        );
    }
}
