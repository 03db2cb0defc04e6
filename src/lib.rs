//! pyopt: an ahead-of-time optimizer for CPython bytecode.
//!
//! The layers, bottom up: [`pyc`] (header), [`marshal`] (exact object codec),
//! [`version`] (per-version opcode tables), [`bytecode`] (instruction IR,
//! line and exception tables, stack depth). [`roundtrip`] ties them together
//! for one file; [`walk`] finds the files of a tree, [`driver`] optimizes
//! them, [`interpreters`] finds the CPython of each version, and the CLI
//! (`src/main.rs`, `src/cli/`) drives it all.

pub mod archive;
pub mod bytecode;
pub mod cfg;
pub mod config;
pub mod consts;
pub mod diff;
pub mod difftest;
pub mod dis;
pub mod driver;
pub mod error;
pub mod interpreters;
pub mod marshal;
#[path = "../passes/mod.rs"]
pub mod passes;
pub mod pipeline;
pub mod pyc;
pub mod roundtrip;
pub mod verify;
pub mod version;
pub mod walk;

pub use error::{Error, ErrorKind};
pub use version::PyVersion;
