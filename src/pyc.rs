//! The 16-byte `.pyc` header of CPython 3.8–3.15 (PEP 552).
//!
//! `magic (u16 LE + b"\r\n") | flags (u32 LE) | mtime+size or source hash`.
//! A magic number that is not exactly one of the seven supported release magics
//! is an "unsupported version" error naming the magic and, where known, the
//! CPython version it belongs to (3.15, a pre-release of 3.8, Python 2.7, ...).

use crate::error::{Error, ErrorKind};
use crate::version::PyVersion;

/// Length of the header in bytes.
pub const HEADER_LEN: usize = 16;

/// The release magic number (the u16 before `\r\n`) of a supported version.
/// Read off each interpreter by `tools/gen_opcode_tables.py`.
pub fn magic_of(v: PyVersion) -> u16 {
    v.table().magic
}

/// How the loader decides whether a `.pyc` is stale (PEP 552 flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalidation {
    /// flags = 0: source mtime and size.
    Timestamp { mtime: u32, size: u32 },
    /// flags = 3: SipHash of the source, checked on import.
    CheckedHash([u8; 8]),
    /// flags = 1: SipHash of the source, trusted by default.
    UncheckedHash([u8; 8]),
}

/// A decoded header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub version: PyVersion,
    pub invalidation: Invalidation,
}

impl Header {
    /// Parses the first 16 bytes of a `.pyc`.
    pub fn parse(data: &[u8]) -> Result<Header, Error> {
        if data.len() < 4 {
            return Err(Error::at(
                0,
                ErrorKind::Truncated {
                    what: "pyc magic number",
                    need: 4,
                    have: data.len(),
                },
            ));
        }
        let magic = u16::from_le_bytes([data[0], data[1]]);
        if data[2..4] != *b"\r\n" {
            return Err(Error::at(
                0,
                ErrorKind::UnsupportedVersion {
                    magic: [data[0], data[1], data[2], data[3]],
                    known_as: None,
                },
            ));
        }
        let version = PyVersion::ALL
            .into_iter()
            .find(|v| magic_of(*v) == magic)
            .ok_or_else(|| {
                Error::at(
                    0,
                    ErrorKind::UnsupportedVersion {
                        magic: [data[0], data[1], data[2], data[3]],
                        known_as: describe_magic(magic),
                    },
                )
            })?;
        if data.len() < HEADER_LEN {
            return Err(Error::at(
                data.len(),
                ErrorKind::Truncated {
                    what: "pyc header",
                    need: HEADER_LEN,
                    have: data.len(),
                },
            ));
        }
        let word = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
        let flags = word(4);
        let mut hash = [0u8; 8];
        hash.copy_from_slice(&data[8..16]);
        let invalidation = match flags {
            0 => Invalidation::Timestamp {
                mtime: word(8),
                size: word(12),
            },
            1 => Invalidation::UncheckedHash(hash),
            3 => Invalidation::CheckedHash(hash),
            other => return Err(Error::at(4, ErrorKind::BadHeaderFlags(other))),
        };
        Ok(Header {
            version,
            invalidation,
        })
    }

    /// Writes the 16 header bytes.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&magic_of(self.version).to_le_bytes());
        out.extend_from_slice(b"\r\n");
        match self.invalidation {
            Invalidation::Timestamp { mtime, size } => {
                out.extend_from_slice(&0u32.to_le_bytes());
                out.extend_from_slice(&mtime.to_le_bytes());
                out.extend_from_slice(&size.to_le_bytes());
            }
            Invalidation::UncheckedHash(h) => {
                out.extend_from_slice(&1u32.to_le_bytes());
                out.extend_from_slice(&h);
            }
            Invalidation::CheckedHash(h) => {
                out.extend_from_slice(&3u32.to_le_bytes());
                out.extend_from_slice(&h);
            }
        }
    }
}

/// Names the CPython release a magic number belongs to, when it is known.
///
/// Ranges follow the history in CPython's `Lib/importlib/_bootstrap_external.py`.
pub fn describe_magic(magic: u16) -> Option<String> {
    if let Some(v) = PyVersion::ALL.into_iter().find(|v| magic_of(*v) == magic) {
        return Some(format!("CPython {v}"));
    }
    let (name, last) = match magic {
        20121 => return Some("Python 1.5".into()),
        50428 => return Some("Python 1.6".into()),
        60202 => return Some("Python 2.1".into()),
        60717 => return Some("Python 2.2".into()),
        62011..=62021 => return Some("Python 2.3".into()),
        62041..=62061 => return Some("Python 2.4".into()),
        62071..=62131 => return Some("Python 2.5".into()),
        62151..=62161 => return Some("Python 2.6".into()),
        62171..=62211 => return Some("Python 2.7".into()),
        3000..=3131 => ("3.0", 3131),
        3141..=3151 => ("3.1", 3151),
        3160..=3180 => ("3.2", 3180),
        3190..=3230 => ("3.3", 3230),
        3250..=3310 => ("3.4", 3310),
        3320..=3351 => ("3.5", 3351),
        3360..=3379 => ("3.6", 3379),
        3390..=3394 => ("3.7", 3394),
        3400..=3413 => ("3.8", 3413),
        3420..=3425 => ("3.9", 3425),
        3430..=3439 => ("3.10", 3439),
        3450..=3495 => ("3.11", 3495),
        3500..=3531 => ("3.12", 3531),
        3550..=3571 => ("3.13", 3571),
        3600..=3627 => ("3.14", 3627),
        3650..=3699 => ("3.15", 3699),
        3700..=3749 => ("3.16", 3749),
        _ => return None,
    };
    // A magic of a supported version's range that is not its release magic:
    // another build (a pre-release, or a later candidate) whose format may
    // differ; never guessed.
    if let Some(v) = PyVersion::parse(name) {
        let release = magic_of(v);
        let pre = if magic < release {
            ", a pre-release"
        } else {
            ""
        };
        return Some(format!(
            "unsupported CPython {name} build (magic {magic}{pre}); supported: {release}"
        ));
    }
    if magic == last || name.as_bytes()[2] < b'8' || name == "3.16" {
        Some(format!("CPython {name}"))
    } else {
        Some(format!(
            "a CPython {name} pre-release (the {name} release uses {last})"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(magic: u16, flags: u32) -> Vec<u8> {
        let mut v = magic.to_le_bytes().to_vec();
        v.extend_from_slice(b"\r\n");
        v.extend_from_slice(&flags.to_le_bytes());
        v.extend_from_slice(&[0x11; 8]);
        v
    }

    #[test]
    fn every_release_magic_parses_and_writes_back() {
        for v in PyVersion::ALL {
            for flags in [0u32, 1, 3] {
                let bytes = header(magic_of(v), flags);
                let h = Header::parse(&bytes).expect("valid header");
                assert_eq!(h.version, v);
                let mut out = Vec::new();
                h.write(&mut out);
                assert_eq!(out, bytes);
            }
        }
    }

    #[test]
    fn unsupported_magics_name_their_version() {
        // A 3.15 build other than 3.15.0rc1 (magic 3666): named, never guessed.
        let e = Header::parse(&header(3655, 0)).unwrap_err().to_string();
        assert!(e.contains("470e0d0a"), "{e}");
        assert!(
            e.contains(
                "unsupported CPython 3.15 build (magic 3655, a pre-release); supported: 3666"
            ),
            "{e}"
        );
        let e = Header::parse(&header(3667, 0)).unwrap_err().to_string();
        assert!(
            e.contains("unsupported CPython 3.15 build (magic 3667); supported: 3666"),
            "{e}"
        );
        let e = Header::parse(&header(3710, 0)).unwrap_err().to_string();
        assert!(e.contains("3.16"), "{e}");
        let e = Header::parse(&header(3394, 0)).unwrap_err().to_string();
        assert!(e.contains("3.7"), "{e}");
        let e = Header::parse(&header(3412, 0)).unwrap_err().to_string();
        assert!(e.contains("pre-release"), "{e}");
        let e = Header::parse(&header(62211, 0)).unwrap_err().to_string();
        assert!(e.contains("2.7"), "{e}");
        let e = Header::parse(b"\x7fELF\x02\x01").unwrap_err().to_string();
        assert!(e.contains("unsupported"), "{e}");
    }

    #[test]
    fn bad_flags_and_truncation_are_errors() {
        assert!(Header::parse(&header(3571, 4)).is_err());
        assert!(Header::parse(&header(3571, 0)[..10]).is_err());
        assert!(Header::parse(b"").is_err());
    }
}
