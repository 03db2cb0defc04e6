//! The pass registry, in pipeline order.
//!
//! One file per pass, each starting with a `//!` header that says what it
//! does, what it assumes, what it guarantees and what it must never do; that
//! header is what `pyopt passes --explain NAME` prints.
//!
//! Every pass has golden `dis` snapshots (`tests/golden/<pass>/`) and is run
//! by the differential tests on every version it supports.
//! `strip-docstrings` is opt-in. The `test-*` passes below exist only
//! in builds with the `test-passes` feature (the test suite's), to exercise
//! the pipeline, the verifier and the driver.

use crate::opt::{Debug, Pass, Pipeline};

mod augassign_reload;
mod const_propagation;
mod constant_folding;
mod dead_code;
mod jump_threading;
mod loop_rotation;
mod nop_removal;
mod redundant_to_bool;
mod strip_docstrings;
mod superinstructions;
mod swap_stores;
#[cfg(feature = "test-passes")]
pub mod test_mutate;
#[cfg(feature = "test-passes")]
mod test_passes;

/// Every pass, in the order the pipeline runs them. Each entry carries a
/// line on why it sits where it does.
pub fn registry() -> &'static [&'static dyn Pass] {
    &[
        // First: it only drops docstring stores and slots, so later passes see
        // the code as it will run (opt-in: changes `__doc__`).
        &strip_docstrings::StripDocstrings,
        // Before folding: turns loads of single-constant locals into
        // constants that folding can then evaluate (aggressive).
        &const_propagation::ConstPropagation,
        // Evaluates constant expressions and constant branches; what it
        // removes becomes located NOPs.
        &constant_folding::ConstantFolding,
        // After folding, which turns branches into plain jumps that can be
        // threaded.
        &jump_threading::JumpThreading,
        // After folding and threading, which make blocks unreachable.
        &dead_code::DeadCode,
        // After folding, which folds a `TO_BOOL` of a constant operand
        // itself; what it leaves are NOPs for `nop-removal`.
        &redundant_to_bool::RedundantToBool,
        // After folding and dead code, which leave the statements it looks
        // for in place; before superinstructions, which fuse the loads it
        // puts where the swaps were (aggressive).
        &augassign_reload::AugassignReload,
        // After threading and dead-code removal, which leave the loops'
        // final latches; before nop-removal, which drops the NOPs the
        // latch jumps become.
        &loop_rotation::LoopRotation,
        // Any place before nop-removal (it only reorders stores inside one
        // block); late, so that it sees the stores folding left.
        &swap_stores::SwapStores,
        // Late: unchecked loads need the final control flow; pairs must not
        // hide single loads from const-propagation in the next round.
        &superinstructions::Superinstructions,
        // Last: one place decides which of the NOPs left by the passes
        // above (and by CPython) carry no line event.
        &nop_removal::NopRemoval,
        // Test-only: widens every instruction by an EXTENDED_ARG 0 prefix, so
        // every offset, jump, line and exception table must be re-encoded.
        #[cfg(feature = "test-passes")]
        &test_passes::PadExtendedArgs,
        // Test-only: NOPs at every loop head, so a copy optimized with it
        // executes more instructions (`pyopt bench` must call it slower).
        #[cfg(feature = "test-passes")]
        &test_passes::PadLoopHeads,
        // Test-only: panics on code objects named `pyopt_test_panic`, to prove
        // a panic costs one code object, not the run.
        #[cfg(feature = "test-passes")]
        &test_passes::PanicOnMarker,
        // Test-only: breaks the stack depth of code objects named
        // `pyopt_test_miscompile`, so the verifier must reject them.
        #[cfg(feature = "test-passes")]
        &test_passes::BreakStackOnMarker,
        // Test-only: takes a jump target out of the layout in code objects
        // named `pyopt_test_badcfg`, so the CFG verifier must name it.
        #[cfg(feature = "test-passes")]
        &test_passes::BreakCfgOnMarker,
        // Test-only, deliberately wrong: `a - b` computed as `a + b`, so the
        // differential tests can be seen to catch a miscompile.
        #[cfg(feature = "test-passes")]
        &test_passes::WrongSubtraction,
        // Test-only, deliberately wrong on 3.12+: an unchecked load of an
        // unbound local crashes the interpreter.
        #[cfg(feature = "test-passes")]
        &test_passes::UncheckedLoad,
        // Test-only, deliberately wrong: one random miscompile per
        // application, so the translation validator can be seen to catch them.
        #[cfg(feature = "test-passes")]
        &test_mutate::Mutate,
    ]
}

impl Pipeline {
    /// The passes of the registry whose names are in `enabled`, in registry
    /// order (the pass manager itself does not know the registry).
    pub fn new(enabled: &[&str], debug: Debug) -> Pipeline {
        let passes = registry()
            .iter()
            .copied()
            .filter(|p| enabled.contains(&p.name()))
            .collect();
        Pipeline::with_passes(passes, debug)
    }
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

#[cfg(test)]
mod tests {
    /// Every pass source, by file.
    const SOURCES: [(&str, &str); 13] = [
        ("augassign_reload.rs", include_str!("augassign_reload.rs")),
        ("const_propagation.rs", include_str!("const_propagation.rs")),
        ("constant_folding.rs", include_str!("constant_folding.rs")),
        ("dead_code.rs", include_str!("dead_code.rs")),
        ("jump_threading.rs", include_str!("jump_threading.rs")),
        ("loop_rotation.rs", include_str!("loop_rotation.rs")),
        ("nop_removal.rs", include_str!("nop_removal.rs")),
        ("redundant_to_bool.rs", include_str!("redundant_to_bool.rs")),
        ("strip_docstrings.rs", include_str!("strip_docstrings.rs")),
        ("superinstructions.rs", include_str!("superinstructions.rs")),
        ("swap_stores.rs", include_str!("swap_stores.rs")),
        ("test_passes.rs", include_str!("test_passes.rs")),
        ("test_mutate.rs", include_str!("test_mutate.rs")),
    ];

    /// Passes delete instructions only through the CFG's edit API (the
    /// block's instruction vector is private to `cfg`, see the compile-fail
    /// doc-tests on `cfg::Block`), and of that API the one deletion
    /// primitive, `Cfg::remove_nops`, is called only by `nop-removal` and by
    /// `strip-docstrings` (which drops the docstring statement as `-OO`
    /// does). A new caller must be a deliberate decision, made here.
    #[test]
    fn only_nop_removal_and_strip_docstrings_remove_nops() {
        let callers: Vec<&str> = SOURCES
            .iter()
            .filter(|(_, src)| src.contains(".remove_nops("))
            .map(|(file, _)| *file)
            .collect();
        assert_eq!(callers, ["nop_removal.rs", "strip_docstrings.rs"]);
    }
}
