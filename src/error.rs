//! Error values of the codec layers. Every error carries the byte offset in
//! the file where it was detected; the driver adds the file name.

use thiserror::Error;

/// An error found while decoding or encoding a `.pyc`, with its byte offset.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("at byte {offset}: {kind}")]
pub struct Error {
    /// Offset in the file (header included) where the problem was found.
    pub offset: usize,
    pub kind: ErrorKind,
}

impl Error {
    pub fn at(offset: usize, kind: ErrorKind) -> Error {
        Error { offset, kind }
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ErrorKind {
    #[error("truncated {what}: need {need} bytes, {have} available")]
    Truncated {
        what: &'static str,
        need: usize,
        have: usize,
    },
    #[error("unsupported version: magic {} ({})", hex(magic), known_as.as_deref().unwrap_or("unknown magic number"))]
    UnsupportedVersion {
        magic: [u8; 4],
        known_as: Option<String>,
    },
    #[error("invalid pyc flags {0:#x} (only 0, 1 and 3 exist)")]
    BadHeaderFlags(u32),
    #[error("bad marshal data: unknown type code {0:#04x}")]
    UnknownTypeCode(u8),
    #[error("bad marshal data: {0}")]
    BadMarshal(&'static str),
    #[error("bad marshal data: invalid reference {index} (only {slots} slots defined)")]
    InvalidRef { index: u32, slots: usize },
    #[error("bad marshal data: nesting deeper than {0} levels")]
    TooDeep(usize),
    #[error("bad marshal data: negative or oversized length {0}")]
    BadLength(i64),
    #[error("code object field {field} has the wrong type ({found})")]
    BadCodeField {
        field: &'static str,
        found: &'static str,
    },
    #[error("{0} trailing bytes after the code object")]
    TrailingBytes(usize),
    #[error("bytecode: {0}")]
    Bytecode(String),
    #[error("encode: {0}")]
    Encode(String),
}

fn hex(b: &[u8; 4]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
