//! pyopt: an ahead-of-time optimizer for CPython bytecode.
//!
//! The layers, bottom up: [`pyc`] (header), [`marshal`] (exact object codec),
//! [`version`] (per-version opcode tables), [`bytecode`] (instruction IR,
//! line and exception tables, stack depth), [`cfg`] (control-flow graph and
//! its edit API). [`roundtrip`] ties the codec together for one file; [`opt`]
//! owns one code object's and one file's optimization; `passes/` are the
//! passes; [`walk`] finds the files of a tree, [`driver`] optimizes them
//! (writing through [`atomic`]), [`interpreters`] finds the CPython of each
//! version, and the CLI (`src/main.rs`, `src/cli/`) parses and dispatches.

pub mod archive;
pub mod atomic;
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
pub mod opt;
#[path = "../passes/mod.rs"]
pub mod passes;
pub mod pyc;
pub mod roundtrip;
pub mod validate;
pub mod version;
pub mod walk;

pub use error::{Error, ErrorKind};
pub use version::PyVersion;
