//! `src/version/generated.rs` must match what `tools/gen_opcode_tables.py`
//! produces from the installed CPython 3.8–3.13 and pyodide's 3.14.
//!
//! Runs `python3 tools/gen_opcode_tables.py --check`. Without `python3` on
//! PATH, or when the script reports missing interpreters (exit status 2), the
//! test is skipped with a message, except under `CI=true`, where both fail.

use std::path::Path;
use std::process::Command;

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
}

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
