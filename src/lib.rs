//! pyopt: an ahead-of-time optimizer for CPython bytecode.
//!
//! The layers, bottom up: [`pyc`] (header), [`marshal`] (exact object codec),
//! [`version`] (per-version opcode tables), [`bytecode`] (instruction IR,
//! line and exception tables, stack depth), [`cfg`] (control-flow graph and
//! its edit API). [`roundtrip`] ties the codec together for one file; [`opt`]
//! owns one code object's and one file's optimization; `passes/` are the
//! passes; [`driver`] walks trees; the CLI in `main.rs` parses and dispatches.

pub mod archive;
pub mod atomic;
pub mod bytecode;
pub mod cfg;
pub mod config;
pub mod consts;
pub mod difftest;
pub mod dis;
pub mod driver;
pub mod error;
pub mod marshal;
pub mod opt;
#[path = "../passes/mod.rs"]
pub mod passes;
pub mod pyc;
pub mod roundtrip;
pub mod version;

pub use error::{Error, ErrorKind};
pub use version::PyVersion;
