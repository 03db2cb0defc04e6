//! `src/version/generated.rs` must match what `tools/gen_opcode_tables.py`
//! produces from the installed CPython 3.8–3.13 and pyodide's 3.14.
//!
//! Runs `python3 tools/gen_opcode_tables.py --check`. Without `python3` on
//! PATH, or when the script reports missing interpreters (exit status 2), the
//! test is skipped with a message, except under `CI=true`, where both fail.
//!
//! Also checks the one hand-written fact that names opcode arguments,
//! `Facts::common_constants`, against what each interpreter compiles.

mod common;

use std::path::Path;
use std::process::Command;

use common::on_ci;
use pyopt::PyVersion;

/// Skips the test (returns from it) outside CI, panics under CI.
fn skip(reason: &str) {
    if on_ci() {
        panic!("opcode_tables: {reason} (CI=true, so this is an error)");
    }
    eprintln!("opcode_tables: skipped: {reason}");
}

#[test]
fn generated_opcode_tables_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = match Command::new("python3")
        .arg("tools/gen_opcode_tables.py")
        .arg("--check")
        .current_dir(root)
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return skip("python3 not found on PATH");
        }
        Err(e) => panic!("opcode_tables: cannot run python3: {e}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => {}
        Some(2) => skip(&format!(
            "CPython interpreters missing:\n{}",
            stderr.trim_end()
        )),
        _ => panic!(
            "tools/gen_opcode_tables.py --check failed ({}); \
             regenerate with `python3 tools/gen_opcode_tables.py`\n\
             --- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
            output.status
        ),
    }
}

/// `Facts::common_constants` is what each interpreter's compiler does: the
/// constants it loads with `LOAD_COMMON_CONSTANT n` (3.15: `None`, `""`,
/// `True`, `False`, `-1` as 7..=11), and nothing else.
#[test]
fn common_constants_are_what_each_compiler_loads() {
    let script = "import dis, json\n\
                  out = {}\n\
                  for name, src in [('None', 'None'), ('EmptyStr', \"''\"), ('True', 'True'),\n\
                  \x20                 ('False', 'False'), ('MinusOne', '-1')]:\n\
                  \x20   code = compile('x = ' + src, '<probe>', 'exec')\n\
                  \x20   load = [i for i in dis.get_instructions(code) if i.opname.startswith('LOAD_')][0]\n\
                  \x20   out[name] = load.arg if load.opname == 'LOAD_COMMON_CONSTANT' else None\n\
                  print(json.dumps(out))\n";
    for v in PyVersion::ALL {
        let Some(python) = common::require_or_skip(v.minor()) else {
            continue;
        };
        let run = common::finish(Command::new(&python).arg("-I").arg("-c").arg(script));
        assert_eq!(run.code, Some(0), "{v}: {run}");
        let seen: serde_json::Value = serde_json::from_str(run.out.trim()).expect("json");
        let mut from_compiler: Vec<(u32, String)> = seen
            .as_object()
            .expect("object")
            .iter()
            .filter_map(|(k, n)| Some((u32::try_from(n.as_u64()?).ok()?, k.clone())))
            .collect();
        from_compiler.sort();
        let facts: Vec<(u32, String)> = v
            .facts()
            .common_constants
            .iter()
            .map(|(n, k)| (*n, format!("{k:?}")))
            .collect();
        assert_eq!(facts, from_compiler, "{v}");
    }
}
