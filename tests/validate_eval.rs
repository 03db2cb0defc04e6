//! The translation validator's own constant evaluator
//! (`pyopt::validate::value`) against every CPython: a systematic set of
//! operator/operand cases (every operator it evaluates, over boundary
//! operands of every type it knows) is evaluated by it, and every case it
//! claims a result for is evaluated again by each interpreter, in one batch
//! per interpreter, with every warning an error (`-b`, and a filter
//! turning warnings into errors around each case). The type
//! and repr of the result must be the evaluator's (so `-0.0` is not `0.0`,
//! `True` is not `1`); an exception or a warning where it claimed a result
//! is a failure. The cases it declines (the operation then stays an effect
//! in the validator, which is always sound) are counted and printed
//! (`cargo test --release --test validate_eval -- --nocapture`).

mod common;

use pyopt::validate::value::{self, Bin, CVal, Un};
use pyopt::PyVersion;

fn f(x: f64) -> CVal {
    CVal::Float(x.to_bits())
}

fn s(x: &str) -> CVal {
    CVal::Str(x.as_bytes().to_vec())
}

fn b(x: &[u8]) -> CVal {
    CVal::Bytes(x.to_vec())
}

/// Boundary operands of every type the evaluator knows.
fn operands() -> Vec<CVal> {
    let mut v = Vec::new();
    for n in [
        0i128,
        1,
        -1,
        2,
        -2,
        3,
        -3,
        7,
        -7,
        10,
        63,
        64,
        100,
        101,
        120,
        121,
        127,
        128,
        129,
        4096,
        4097,
        1 << 53,
        (1 << 53) + 1,
        -(1 << 53) - 1,
        1 << 62,
        1 << 63,
        1 << 64,
        (1 << 64) + 1,
        -(1 << 64),
        (1 << 100) - 1,
        1 << 100,
        (1 << 100) + 1,
        -(1 << 100),
        -(1 << 100) - 1,
        (1 << 119) + 5,
        -(1 << 119),
    ] {
        v.push(CVal::Int(n));
    }
    v.push(CVal::Bool(true));
    v.push(CVal::Bool(false));
    for x in [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        3.0,
        0.1,
        1e16,
        9007199254740992.0,
        1e300,
        1e308,
        -1e308,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        1e-300,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
    ] {
        v.push(f(x));
    }
    v.push(CVal::Complex(1.0f64.to_bits(), 2.0f64.to_bits()));
    v.push(CVal::Complex(0.0f64.to_bits(), 0.0f64.to_bits()));
    for x in ["", "a", "ab", "b", "é", "\u{1F600}", "A\u{0}"] {
        v.push(s(x));
    }
    v.push(CVal::Str(vec![b'x'; 4096]));
    for x in [&b""[..], b"a", b"ab", b"\x00", b"\xff"] {
        v.push(b(x));
    }
    v.push(CVal::None);
    v.push(CVal::Ellipsis);
    let i = CVal::Int;
    for t in [
        vec![],
        vec![i(1)],
        vec![i(1), i(2)],
        vec![i(2), i(1)],
        vec![f(1.0)],
        vec![f(0.0)],
        vec![f(-0.0)],
        vec![f(f64::NAN)],
        vec![CVal::Bool(true)],
        vec![s("a")],
        vec![b(b"a")],
        vec![CVal::None],
        vec![CVal::Tuple(vec![i(1)]), i(2)],
        vec![CVal::Tuple(vec![f(f64::NAN)])],
        vec![i(0); 200],
    ] {
        v.push(CVal::Tuple(t));
    }
    v.push(CVal::FrozenSet(vec![i(1), i(2)]));
    v.push(CVal::FrozenSet(vec![]));
    v
}

/// A Python expression building `c` (with the helpers of
/// `tests/support/eval_cases.py`), or `None` for a kind it cannot spell.
fn literal(c: &CVal) -> Option<String> {
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let seq = |items: &[CVal]| -> Option<String> {
        let parts = items.iter().map(literal).collect::<Option<Vec<_>>>()?;
        Some(parts.join(", "))
    };
    Some(match c {
        CVal::None => "None".into(),
        CVal::Ellipsis => "...".into(),
        CVal::Bool(true) => "True".into(),
        CVal::Bool(false) => "False".into(),
        CVal::Int(n) => format!("({n})"),
        CVal::BigInt(neg, raw) => format!(
            "BIG({}, '{}')",
            if *neg { "True" } else { "False" },
            hex(raw)
        ),
        CVal::Float(bits) => format!("F({bits})"),
        CVal::Complex(r, i) => format!("complex(F({r}), F({i}))"),
        CVal::Str(x) => format!("S('{}')", hex(x)),
        CVal::Bytes(x) => format!("B('{}')", hex(x)),
        CVal::Tuple(t) if t.len() == 1 => format!("({},)", seq(t)?),
        CVal::Tuple(t) => format!("({})", seq(t)?),
        CVal::FrozenSet(t) => format!("frozenset([{}])", seq(t)?),
        _ => return None,
    })
}

/// The operators, as Python functions of their operands, and the
/// evaluator's answer for each.
type Eval = fn(&[CVal]) -> Option<CVal>;

fn operators() -> Vec<(&'static str, &'static str, usize, Eval)> {
    fn bin(op: Bin, a: &[CVal]) -> Option<CVal> {
        value::binary(op, &a[0], &a[1])
    }
    fn cmp(k: u32, a: &[CVal]) -> Option<CVal> {
        value::compare(k, &a[0], &a[1]).map(CVal::Bool)
    }
    vec![
        ("neg", "lambda a: -a", 1, |a| value::unary(Un::Neg, &a[0])),
        ("pos", "lambda a: +a", 1, |a| value::unary(Un::Pos, &a[0])),
        ("invert", "lambda a: ~a", 1, |a| {
            value::unary(Un::Invert, &a[0])
        }),
        ("not", "lambda a: not a", 1, |a| {
            value::truth(&a[0]).map(|t| CVal::Bool(!t))
        }),
        ("truth", "lambda a: True if a else False", 1, |a| {
            value::truth(&a[0]).map(CVal::Bool)
        }),
        ("add", "lambda a, b: a + b", 2, |a| bin(Bin::Add, a)),
        ("sub", "lambda a, b: a - b", 2, |a| bin(Bin::Sub, a)),
        ("mul", "lambda a, b: a * b", 2, |a| bin(Bin::Mul, a)),
        ("truediv", "lambda a, b: a / b", 2, |a| bin(Bin::TrueDiv, a)),
        ("floordiv", "lambda a, b: a // b", 2, |a| {
            bin(Bin::FloorDiv, a)
        }),
        ("mod", "lambda a, b: a % b", 2, |a| bin(Bin::Mod, a)),
        ("pow", "lambda a, b: a ** b", 2, |a| bin(Bin::Pow, a)),
        ("lshift", "lambda a, b: a << b", 2, |a| bin(Bin::LShift, a)),
        ("rshift", "lambda a, b: a >> b", 2, |a| bin(Bin::RShift, a)),
        ("and", "lambda a, b: a & b", 2, |a| bin(Bin::And, a)),
        ("or", "lambda a, b: a | b", 2, |a| bin(Bin::Or, a)),
        ("xor", "lambda a, b: a ^ b", 2, |a| bin(Bin::Xor, a)),
        ("matmul", "lambda a, b: a @ b", 2, |a| bin(Bin::MatMul, a)),
        ("lt", "lambda a, b: a < b", 2, |a| cmp(0, a)),
        ("le", "lambda a, b: a <= b", 2, |a| cmp(1, a)),
        ("eq", "lambda a, b: a == b", 2, |a| cmp(2, a)),
        ("ne", "lambda a, b: a != b", 2, |a| cmp(3, a)),
        ("gt", "lambda a, b: a > b", 2, |a| cmp(4, a)),
        ("ge", "lambda a, b: a >= b", 2, |a| cmp(5, a)),
        ("in", "lambda a, b: a in b", 2, |a| {
            value::contains(&a[0], &a[1]).map(CVal::Bool)
        }),
        ("not_in", "lambda a, b: a not in b", 2, |a| {
            value::contains(&a[0], &a[1]).map(|r| CVal::Bool(!r))
        }),
        ("tuple", "lambda a, b: (a, b)", 2, |a| {
            Some(CVal::Tuple(a.to_vec()))
        }),
    ]
}

#[test]
fn the_validators_evaluator_agrees_with_every_cpython() {
    let vals = operands();
    let lits: Vec<String> = vals
        .iter()
        .map(|c| literal(c).expect("every operand has a literal"))
        .collect();
    let ops = operators();
    let mut cases: Vec<(String, Vec<usize>, String)> = Vec::new();
    println!("{:<9} {:>7} {:>7}", "operator", "folds", "declined");
    for (name, _, arity, eval) in &ops {
        let (mut folds, mut declined) = (0, 0);
        let tuples: Vec<Vec<usize>> = if *arity == 1 {
            (0..vals.len()).map(|i| vec![i]).collect()
        } else {
            (0..vals.len())
                .flat_map(|i| (0..vals.len()).map(move |j| vec![i, j]))
                .collect()
        };
        for args in tuples {
            let operands: Vec<CVal> = args.iter().map(|&i| vals[i].clone()).collect();
            match eval(&operands) {
                Some(r) => {
                    let claimed = literal(&r).expect("a result the evaluator builds has a literal");
                    cases.push((name.to_string(), args, claimed));
                    folds += 1;
                }
                None => declined += 1,
            }
        }
        println!("{name:<9} {folds:>7} {declined:>7}");
    }
    let total = cases.len();
    println!("{total} cases claimed by the evaluator");
    let json = serde_json::json!({
        "operands": lits,
        "ops": ops.iter().map(|(n, src, _, _)| (n.to_string(), src.to_string())).collect::<std::collections::BTreeMap<_, _>>(),
        "cases": cases.iter().map(|(op, args, claimed)| serde_json::json!([op, args, claimed])).collect::<Vec<_>>(),
    });
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("validate_eval_cases.json");
    std::fs::write(&path, json.to_string()).expect("write the cases");
    let script = common::repo().join("tests/support/eval_cases.py");
    let mut checked = 0;
    for v in PyVersion::ALL {
        let Some(python) = common::require_or_skip(v.minor()) else {
            continue;
        };
        let run = common::finish(
            std::process::Command::new(&python)
                // Warnings become errors in the script, around each case
                // (`-W error` on the command line stops pyodide's start-up
                // on a DeprecationWarning of its own).
                .arg("-b")
                .arg(&script)
                .arg(&path),
        );
        let tail = |t: &str| {
            t.chars()
                .rev()
                .take(2000)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>()
        };
        assert_eq!(
            run.code,
            Some(0),
            "{v}: {}\n{}",
            tail(&run.out),
            tail(&run.err)
        );
        let out: serde_json::Value = serde_json::from_str(run.out.trim())
            .unwrap_or_else(|e| panic!("{v}: not JSON ({e}): {run}"));
        println!(
            "{v} (Python {}, bytes_warning {}): {} cases checked, {} disagree",
            out["python"], out["bytes_warning"], out["checked"], out["failed"]
        );
        assert_eq!(out["checked"].as_u64(), Some(total as u64), "{v}");
        let failures = out["failures"].as_array().cloned().unwrap_or_default();
        for fl in failures.iter().take(40) {
            let k = fl[0].as_u64().unwrap_or(0) as usize;
            let (op, args, _) = &cases[k];
            let shown: Vec<String> = args
                .iter()
                .map(|&i| lits[i].chars().take(60).collect())
                .collect();
            println!(
                "  {v}: {op}({}) = {} but the evaluator claimed {}",
                shown.join(", "),
                fl[1],
                fl[2]
            );
        }
        assert_eq!(
            out["failed"].as_u64(),
            Some(0),
            "{v}: the evaluator disagrees with CPython"
        );
        checked += 1;
    }
    assert!(
        checked > 0 || !common::on_ci(),
        "no interpreter ran the cases"
    );
}
