//! The pass registry, in pipeline order.
//!
//! One file per pass, each starting with a `//!` header that says what it
//! does, what it assumes, what it guarantees and what it must never do; that
//! header is what `pyopt passes --explain NAME` prints.
//!
//! The optimization passes of the safe and aggressive levels arrive with the
//! optimization issue, each with golden `dis` snapshots and differential
//! tests. `strip-docstrings` is opt-in. The `test-*` passes below exist only
//! in builds with the `test-passes` feature (the test suite's), to exercise
//! the pipeline, the verifier and the driver.

use crate::pipeline::Pass;

mod dead_code;
mod strip_docstrings;
#[cfg(feature = "test-passes")]
mod test_passes;

/// Every pass, in the order the pipeline runs them. Each entry carries a
/// line on why it sits where it does.
pub fn registry() -> &'static [&'static dyn Pass] {
    &[
        // First: it only drops docstring stores and slots, so later passes see
        // the code as it will run (opt-in: changes `__doc__`).
        &strip_docstrings::StripDocstrings,
        // Early: later passes then never spend work on code that cannot run,
        // and run again after passes that make blocks unreachable (fixpoint).
        &dead_code::DeadCode,
        // Test-only: widens every instruction by an EXTENDED_ARG 0 prefix, so
        // every offset, jump, line and exception table must be re-encoded.
        #[cfg(feature = "test-passes")]
        &test_passes::PadExtendedArgs,
        // Test-only: panics on code objects named `pyopt_test_panic`, to prove
        // a panic costs one code object, not the run.
        #[cfg(feature = "test-passes")]
        &test_passes::PanicOnMarker,
        // Test-only: breaks the stack depth of code objects named
        // `pyopt_test_miscompile`, so the verifier must reject them.
        #[cfg(feature = "test-passes")]
        &test_passes::BreakStackOnMarker,
        // Test-only, deliberately wrong: `a - b` computed as `a + b`, so the
        // differential tests can be seen to catch a miscompile.
        #[cfg(feature = "test-passes")]
        &test_passes::WrongSubtraction,
        // Test-only, deliberately wrong on 3.12+: an unchecked load of an
        // unbound local crashes the interpreter.
        #[cfg(feature = "test-passes")]
        &test_passes::UncheckedLoad,
    ]
}

/// Looks a pass up by name.
pub fn find(name: &str) -> Option<&'static dyn Pass> {
    registry().iter().copied().find(|p| p.name() == name)
}

/// Name and level of every pass: what the configuration layer validates against.
pub fn infos() -> Vec<crate::config::PassInfo> {
    registry()
        .iter()
        .map(|p| crate::config::PassInfo {
            name: p.name(),
            level: p.level(),
        })
        .collect()
}
