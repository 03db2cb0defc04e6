//! One code object's life, and one file's: the pass contract ([`pass`]),
//! the unit a pass works on ([`unit`]), the pass manager ([`manager`]), the
//! verifier ([`verify`]) and optimizing one file's bytes ([`file`]).
//!
//! The passes themselves (`passes/`) depend on this module; this module does
//! not know them: `Pipeline::new` (in `passes/mod.rs`) picks passes from the
//! registry by name and hands them to [`Pipeline::with_passes`].

pub mod file;
pub mod manager;
pub mod pass;
pub mod unit;
pub mod verify;

pub use file::{optimize_bytes, FileReport, Rejection, Status};
pub use manager::{Debug, PassStats, Pipeline, RawCode, RawScratch, RawVerdict, Rejected, Stats};
pub use pass::{doc_text, summary, Changed, Level, MayChange, Need, PairRule, Pass, Precheck};
pub use unit::{CodeUnit, Snapshot};
