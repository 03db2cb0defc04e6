//! Malformed input: every bad file is an `Err` naming the byte offset, never a
//! panic or a huge allocation. Plus exactness tests of the marshal codec on
//! hand-made streams (references, flags, every string and number spelling).
//!
//! Byte strings come from CPython 3.12's `marshal` and
//! `importlib._bootstrap_external._code_to_timestamp_pyc` (run when the tests
//! were written) or are assembled by hand; no interpreter is needed to run them.

use std::time::{Duration, Instant};

use pyopt::marshal::{self, decode_module, encode_module, Module, NodeId, StrKind, Value};
use pyopt::opt::verify::verify_bytes;
use pyopt::roundtrip::{roundtrip_bytes, PycFile};
use pyopt::{Error, ErrorKind, PyVersion};

// ------------------------------------------------------------ allocation probe

#[path = "common/alloc_probe.rs"]
mod alloc_probe;

#[global_allocator]
static PROBE: alloc_probe::Probe = alloc_probe::Probe;

use alloc_probe::measure;

#[test]
fn allocation_probe_sees_allocations() {
    let (v, peak, largest) = measure(|| Vec::<u64>::with_capacity(1 << 20));
    assert!(v.capacity() >= 1 << 20);
    assert!(peak >= 8 << 20 && largest >= 8 << 20, "{peak} {largest}");
    let ((), peak, _) = measure(|| {
        decode_module(SMALL_PYC_312.get(16..).unwrap(), PyVersion::V3_12, 16).unwrap();
    });
    assert!(peak > 0);
}

/// Decodes a bare marshal stream (3.12 layout, offsets from 0) and checks
/// that it fails fast with little memory; returns the error.
fn stream_err(data: &[u8]) -> Error {
    let start = Instant::now();
    let (r, peak, largest) = measure(|| decode_module(data, PyVersion::V3_12, 0).map(|_| ()));
    let took = start.elapsed();
    let e = r.expect_err("malformed stream decoded");
    let limit = 64 * data.len() + 4096;
    assert!(
        peak <= limit && largest <= limit,
        "decoding {} bytes allocated {peak} bytes (largest {largest}) for {e}",
        data.len()
    );
    assert!(took < Duration::from_secs(1), "took {took:?} for {e}");
    e
}

/// Parses a whole `.pyc`; checks that parse, round trip and verify all fail
/// with the same error, quickly and with little memory; returns the error.
fn pyc_err(data: &[u8]) -> Error {
    let start = Instant::now();
    let (r, peak, largest) = measure(|| PycFile::parse(data).map(|_| ()));
    let e = r.expect_err("malformed pyc parsed");
    let limit = 64 * data.len() + 4096;
    assert!(
        peak <= limit && largest <= limit,
        "parsing {} bytes allocated {peak} bytes (largest {largest}) for {e}",
        data.len()
    );
    assert_eq!(roundtrip_bytes(data).err().as_ref(), Some(&e));
    assert_eq!(verify_bytes(data).err().as_ref(), Some(&e));
    assert_eq!(pyopt::dis::disassemble(data, None).err().as_ref(), Some(&e));
    assert!(start.elapsed() < Duration::from_secs(2));
    e
}

/// Asserts the offset of `e` and that its message names it.
#[track_caller]
fn assert_at(e: &Error, offset: usize) {
    assert_eq!(e.offset, offset, "wrong offset in {e}");
    let text = e.to_string();
    assert!(
        text.contains(&format!("at byte {offset}")),
        "message does not name the offset: {text}"
    );
}

/// A 16-byte header with the given magic and flags.
fn header(magic: u16, flags: u32) -> Vec<u8> {
    let mut v = magic.to_le_bytes().to_vec();
    v.extend_from_slice(b"\r\n");
    v.extend_from_slice(&flags.to_le_bytes());
    v.extend_from_slice(&[0x11; 8]);
    v
}

fn pyc(magic: u16, body: &[u8]) -> Vec<u8> {
    let mut v = header(magic, 0);
    v.extend_from_slice(body);
    v
}

/// `x = 1` compiled by CPython 3.12.1 (`_code_to_timestamp_pyc`, mtime
/// 0x5f5e1000, size 6).
const SMALL_PYC_312: &[u8] = b"\xcb\x0d\x0d\x0a\x00\x00\x00\x00\x00\x10^_\x06\x00\x00\x00\xe3\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xf3\x08\x00\x00\x00\x97\x00d\x00Z\x00y\x01)\x02\xe9\x01\x00\x00\x00N)\x01\xda\x01x\xa9\x00\xf3\x00\x00\x00\x00\xfa\x04m.py\xfa\x08<module>r\x07\x00\x00\x00\x01\x00\x00\x00s\x0a\x00\x00\x00\xf0\x03\x01\x01\x01\xd8\x04\x05\x81\x01r\x05\x00\x00\x00";

/// Decodes a stream, encodes it again and asserts byte identity.
fn round_trip(data: &[u8]) -> Module<'_> {
    let m = decode_module(data, PyVersion::V3_12, 0)
        .unwrap_or_else(|e| panic!("{e} decoding {data:x?}"));
    let mut out = Vec::new();
    encode_module(&m, PyVersion::V3_12, &mut out).unwrap();
    assert_eq!(out, data, "round trip changed the bytes");
    m
}

fn tuple_items(m: &Module<'_>, id: NodeId) -> Vec<NodeId> {
    m.arena
        .as_tuple(id)
        .unwrap_or_else(|| panic!("{:?} is not a tuple", m.arena.value(id)))
        .to_vec()
}

// ------------------------------------------------------------------ header

#[test]
fn the_valid_small_pyc_round_trips() {
    let rt = roundtrip_bytes(SMALL_PYC_312).unwrap();
    assert!(rt.identical);
    assert_eq!(rt.code_objects, 1);
    let v = verify_bytes(SMALL_PYC_312).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
}

#[test]
fn empty_file() {
    let e = pyc_err(b"");
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "pyc magic number",
            need: 4,
            have: 0
        }
    );
    assert_at(&e, 0);
}

#[test]
fn wrong_magic_elf() {
    let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00";
    let e = pyc_err(elf);
    assert_eq!(
        e.kind,
        ErrorKind::UnsupportedVersion {
            magic: *b"\x7fELF",
            known_as: None
        }
    );
    assert_at(&e, 0);
    assert!(e.to_string().contains("7f454c46"), "{e}");
}

fn unsupported(magic: u16, expect: &str) {
    let file = pyc(magic, SMALL_PYC_312.get(16..).unwrap());
    let e = pyc_err(&file);
    match &e.kind {
        ErrorKind::UnsupportedVersion {
            magic: m,
            known_as: Some(name),
        } => {
            assert_eq!(m[..], file[..4]);
            assert!(name.contains(expect), "{name}");
        }
        other => panic!("expected UnsupportedVersion, got {other:?}"),
    }
    assert_at(&e, 0);
    assert!(e.to_string().contains(expect), "{e}");
}

#[test]
fn magic_of_3_15() {
    assert_eq!(header(3655, 0)[..4], *b"\x47\x0e\x0d\x0a");
    unsupported(3655, "3.15");
    let e = pyc_err(&header(3655, 0));
    assert!(e.to_string().contains("470e0d0a"), "{e}");
}

#[test]
fn magic_of_3_7() {
    unsupported(3394, "3.7");
}

#[test]
fn magic_of_python_2_7() {
    unsupported(62211, "2.7");
}

#[test]
fn magic_without_crlf() {
    let e = pyc_err(b"\xcb\x0d\x0d\x0d\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00N");
    assert!(matches!(
        e.kind,
        ErrorKind::UnsupportedVersion { known_as: None, .. }
    ));
    assert_at(&e, 0);
}

#[test]
fn truncated_header() {
    let e = pyc_err(&SMALL_PYC_312[..10]);
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "pyc header",
            need: 16,
            have: 10
        }
    );
    assert_at(&e, 10);
    // Short of the magic number itself.
    let e = pyc_err(&SMALL_PYC_312[..3]);
    assert!(matches!(
        e.kind,
        ErrorKind::Truncated {
            need: 4,
            have: 3,
            ..
        }
    ));
    assert_at(&e, 0);
}

#[test]
fn invalid_flags() {
    for flags in [2u32, 4, 0x8000_0000, u32::MAX] {
        let mut file = SMALL_PYC_312.to_vec();
        file[4..8].copy_from_slice(&flags.to_le_bytes());
        let e = pyc_err(&file);
        assert_eq!(e.kind, ErrorKind::BadHeaderFlags(flags));
        assert_at(&e, 4);
    }
}

// ------------------------------------------------------------ marshal body

#[test]
fn header_without_body() {
    let e = pyc_err(&SMALL_PYC_312[..16]);
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "marshal type code",
            need: 1,
            have: 0
        }
    );
    assert_at(&e, 16);
}

#[test]
fn truncated_marshal_body() {
    // Cut right after the code object's type byte: co_argcount is missing.
    let e = pyc_err(&SMALL_PYC_312[..17]);
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "co_argcount",
            need: 4,
            have: 0
        }
    );
    assert_at(&e, 17);
    // Cut in the middle of co_code (8 bytes at file offset 42).
    assert_eq!(&SMALL_PYC_312[37..42], b"\xf3\x08\x00\x00\x00");
    let e = pyc_err(&SMALL_PYC_312[..46]);
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "bytes",
            need: 8,
            have: 4
        }
    );
    assert_at(&e, 42);
    // Every strict prefix of the body is truncated somewhere inside it.
    for cut in 16..SMALL_PYC_312.len() {
        let e = pyc_err(&SMALL_PYC_312[..cut]);
        assert!(
            matches!(e.kind, ErrorKind::Truncated { .. }),
            "cut at {cut}: {e}"
        );
        assert!((16..=cut).contains(&e.offset), "cut at {cut}: {e}");
        assert_at(&e, e.offset);
    }
}

#[test]
fn bytes_claiming_0x7fffffff_bytes() {
    let e = stream_err(b"s\xff\xff\xff\x7fabc");
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "bytes",
            need: 0x7fff_ffff,
            have: 3
        }
    );
    assert_at(&e, 5);
    // The same as co_code of a real file: the offset is a file offset.
    let mut file = SMALL_PYC_312.to_vec();
    file[38..42].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    let e = pyc_err(&file);
    assert!(matches!(
        e.kind,
        ErrorKind::Truncated {
            what: "bytes",
            need: 0x7fff_ffff,
            ..
        }
    ));
    assert_at(&e, 42);
}

#[test]
fn strings_claiming_huge_lengths() {
    for code in [b'a', b'A', b'u', b't', b'a' | 0x80, b't' | 0x80] {
        let mut data = vec![code];
        data.extend_from_slice(&i32::MAX.to_le_bytes());
        data.extend_from_slice(b"xy");
        let e = stream_err(&data);
        assert_eq!(
            e.kind,
            ErrorKind::Truncated {
                what: "str",
                need: 0x7fff_ffff,
                have: 2
            }
        );
        assert_at(&e, 5);
    }
}

#[test]
fn tuple_claiming_2_pow_31_minus_1_items() {
    let e = stream_err(b"(\xff\xff\xff\x7fNNN");
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "container",
            need: 0x7fff_ffff,
            have: 3
        }
    );
    assert_at(&e, 5);
    // Also for lists, sets and frozensets, flagged or not.
    for code in [b'[', b'<', b'>', b'(' | 0x80, b'>' | 0x80] {
        let mut data = vec![code];
        data.extend_from_slice(&i32::MAX.to_le_bytes());
        let e = stream_err(&data);
        assert!(
            matches!(
                e.kind,
                ErrorKind::Truncated {
                    need: 0x7fff_ffff,
                    have: 0,
                    ..
                }
            ),
            "{e}"
        );
        assert_at(&e, 5);
    }
    // One item more than bytes left.
    let e = stream_err(b"(\x04\x00\x00\x00NNN");
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "container",
            need: 4,
            have: 3
        }
    );
    assert_at(&e, 5);
    // A count the bytes left could hold, with the items missing.
    let e = stream_err(b"(\x03\x00\x00\x00N)\x05");
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "marshal type code",
            need: 1,
            have: 0
        }
    );
    assert_at(&e, 8);
}

#[test]
fn huge_consts_tuple_in_a_real_file() {
    // The consts tuple of the small file is `)\x02` at offset 50; make it a
    // `(` claiming 2^31-1 items.
    let mut file = SMALL_PYC_312[..50].to_vec();
    assert_eq!(&SMALL_PYC_312[50..52], b")\x02");
    file.push(b'(');
    file.extend_from_slice(&i32::MAX.to_le_bytes());
    file.extend_from_slice(&SMALL_PYC_312[52..]);
    let e = pyc_err(&file);
    assert!(
        matches!(
            e.kind,
            ErrorKind::Truncated {
                what: "container",
                need: 0x7fff_ffff,
                ..
            }
        ),
        "{e}"
    );
    assert_at(&e, 55);
}

#[test]
fn list_with_negative_length() {
    let e = stream_err(b"[\xff\xff\xff\xffN");
    assert_eq!(e.kind, ErrorKind::BadLength(-1));
    assert_at(&e, 1);
    let e = stream_err(b")\x01[\x00\x00\x00\x80");
    assert_eq!(e.kind, ErrorKind::BadLength(i32::MIN as i64));
    assert_at(&e, 3);
    for code in [b'(', b'<', b'>', b's', b'a', b'u'] {
        let mut data = vec![code];
        data.extend_from_slice(&(-5i32).to_le_bytes());
        let e = stream_err(&data);
        assert_eq!(e.kind, ErrorKind::BadLength(-5), "{}", code as char);
        assert_at(&e, 1);
    }
}

#[test]
fn longs_with_huge_or_bad_sizes() {
    let e = stream_err(b"l\xff\xff\xff\x7f\x01\x00");
    assert!(
        matches!(
            e.kind,
            ErrorKind::Truncated {
                what: "long digits",
                have: 2,
                ..
            }
        ),
        "{e}"
    );
    assert_at(&e, 5);
    let e = stream_err(b"l\x00\x00\x00\x80\x01\x00");
    assert_eq!(e.kind, ErrorKind::BadLength(i32::MIN as i64));
    assert_at(&e, 1);
    let e = stream_err(b"l\x01\x00\x00\x00\x00\x80");
    assert_eq!(e.kind, ErrorKind::BadMarshal("digit out of range in long"));
    assert_at(&e, 1);
}

#[test]
fn unnormalized_long() {
    // One digit that is zero: CPython's reader rejects it.
    let e = stream_err(b"l\x01\x00\x00\x00\x00\x00");
    assert_eq!(e.kind, ErrorKind::BadMarshal("unnormalized long data"));
    assert_at(&e, 1);
    // Negative size, most significant digit zero, inside a tuple.
    let e = stream_err(b")\x01l\xfe\xff\xff\xff\x05\x00\x00\x00");
    assert_eq!(e.kind, ErrorKind::BadMarshal("unnormalized long data"));
    assert_at(&e, 3);
    // Zero is `l` with size 0 and no digits.
    round_trip(b"l\x00\x00\x00\x00");
}

fn nested_tuples(n: usize) -> Vec<u8> {
    let mut data = b")\x01".repeat(n - 1);
    data.extend_from_slice(b")\x00");
    data
}

#[test]
fn deep_nesting() {
    // 2000 nested tuples: the limit of CPython's reader, still fine.
    let ok = nested_tuples(2000);
    let m = round_trip(&ok);
    assert_eq!(m.arena.nodes.len(), 2000);
    // 2001 levels: too deep, found where the 2001st object starts.
    let e = stream_err(&nested_tuples(2001));
    assert_eq!(e.kind, ErrorKind::TooDeep(2000));
    assert_at(&e, 4000);
    // Lists and dicts count the same way; a leaf is a level too.
    let mut data = b"[\x01\x00\x00\x00".repeat(1999);
    data.push(b'N');
    round_trip(&data);
    // 2000 dicts nested as values: the key of the innermost is level 2001.
    let mut data = b"{N".repeat(2000);
    data.push(b'N');
    data.extend_from_slice(&b"0".repeat(2000));
    let e = stream_err(&data);
    assert_eq!(e.kind, ErrorKind::TooDeep(2000));
    assert_at(&e, 3999);
    // The same inside a .pyc: the offset counts the header.
    let e = pyc_err(&pyc(3531, &nested_tuples(2001)));
    assert_eq!(e.kind, ErrorKind::TooDeep(2000));
    assert_at(&e, 4016);
}

#[test]
fn encoder_refuses_trees_deeper_than_cpython_reads() {
    // Wrap the 2000-level tree in one more tuple by hand.
    let data = nested_tuples(2000);
    let mut m = decode_module(&data, PyVersion::V3_12, 0).unwrap();
    let items = m.arena.push_items(&[m.root]);
    m.root = m.arena.push(Value::Tuple { small: true, items }, false);
    let mut out = Vec::new();
    let e = encode_module(&m, PyVersion::V3_12, &mut out).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Encode(_)), "{e}");
}

#[test]
fn ref_past_the_slot_table() {
    let e = stream_err(b"r\x05\x00\x00\x00");
    assert_eq!(e.kind, ErrorKind::InvalidRef { index: 5, slots: 0 });
    assert_at(&e, 0);
    // One flagged int takes slot 0; `r 1` is past it.
    let e = stream_err(b")\x02\xe9\x01\x00\x00\x00r\x01\x00\x00\x00");
    assert_eq!(e.kind, ErrorKind::InvalidRef { index: 1, slots: 1 });
    assert_at(&e, 7);
    // Negative and huge indexes.
    let e = stream_err(b"r\xff\xff\xff\xff");
    assert_eq!(
        e.kind,
        ErrorKind::InvalidRef {
            index: u32::MAX,
            slots: 0
        }
    );
    assert_at(&e, 0);
    let e = stream_err(b")\x02\xe9\x01\x00\x00\x00r\xff\xff\xff\x7f");
    assert_eq!(
        e.kind,
        ErrorKind::InvalidRef {
            index: 0x7fff_ffff,
            slots: 1
        }
    );
    assert_at(&e, 7);
    // Truncated ref index.
    let e = stream_err(b"r\x00\x00");
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "ref index",
            need: 4,
            have: 2
        }
    );
    assert_at(&e, 1);
}

#[test]
fn ref_to_a_flagged_none() {
    // A flagged None (0x80 | 'N') numbers no slot, so `r 0` is dangling.
    let e = stream_err(b")\x02\xcer\x00\x00\x00\x00");
    assert_eq!(e.kind, ErrorKind::InvalidRef { index: 0, slots: 0 });
    assert_at(&e, 3);
    // Nor do the other singletons.
    for b in [b'T', b'F', b'S', b'.'] {
        let data = [b')', 2, b | 0x80, b'r', 0, 0, 0, 0];
        let e = stream_err(&data);
        assert_eq!(e.kind, ErrorKind::InvalidRef { index: 0, slots: 0 });
        assert_at(&e, 3);
    }
}

#[test]
fn ref_into_the_reserved_slot_of_its_own_code_object() {
    // 3.12: flagged code object, five i32 fields, then co_code = `r 0`,
    // which names the slot the code object has reserved but not filled.
    let mut body = vec![0xe3];
    body.extend_from_slice(&[0; 20]);
    body.extend_from_slice(b"r\x00\x00\x00\x00");
    let e = pyc_err(&pyc(3531, &body));
    assert_eq!(e.kind, ErrorKind::InvalidRef { index: 0, slots: 1 });
    assert_at(&e, 37);
    // 3.8 has six i32 fields before co_code.
    let mut body = vec![0xe3];
    body.extend_from_slice(&[0; 24]);
    body.extend_from_slice(b"r\x00\x00\x00\x00");
    let e = pyc_err(&pyc(3413, &body));
    assert_eq!(e.kind, ErrorKind::InvalidRef { index: 0, slots: 1 });
    assert_at(&e, 41);
    // In the real file: the module's qualname (`r 7`, offset 86) changed to
    // `r 0`; everything before it is valid, so the error is exactly there.
    let mut file = SMALL_PYC_312.to_vec();
    assert_eq!(&file[86..91], b"r\x07\x00\x00\x00");
    file[87] = 0;
    let e = pyc_err(&file);
    assert_eq!(e.kind, ErrorKind::InvalidRef { index: 0, slots: 8 });
    assert_at(&e, 86);
}

#[test]
fn unknown_type_code() {
    let e = stream_err(b"?");
    assert_eq!(e.kind, ErrorKind::UnknownTypeCode(b'?'));
    assert_at(&e, 0);
    let e = stream_err(b")\x02N\xbf");
    assert_eq!(e.kind, ErrorKind::UnknownTypeCode(0xbf));
    assert_at(&e, 3);
    let e = pyc_err(&pyc(3571, b"?"));
    assert_eq!(e.kind, ErrorKind::UnknownTypeCode(b'?'));
    assert_at(&e, 16);
    assert!(e.to_string().contains("0x3f"), "{e}");
}

#[test]
fn null_outside_a_dict() {
    let e = stream_err(b"0");
    assert_eq!(e.kind, ErrorKind::BadMarshal("NULL object outside a dict"));
    assert_at(&e, 0);
    let e = stream_err(b")\x02N0");
    assert_eq!(e.kind, ErrorKind::BadMarshal("NULL object outside a dict"));
    assert_at(&e, 3);
    let e = stream_err(b"[\x01\x00\x00\x000");
    assert_eq!(e.kind, ErrorKind::BadMarshal("NULL object outside a dict"));
    assert_at(&e, 5);
    let e = pyc_err(&pyc(3439, b"0"));
    assert_eq!(e.kind, ErrorKind::BadMarshal("NULL object outside a dict"));
    assert_at(&e, 16);
    // As a dict terminator it is fine.
    let m = round_trip(b"{\xda\x01kN0");
    assert!(matches!(m.arena.value(m.root), Value::Dict(items) if items.len == 2));
    round_trip(b"{0");
}

#[test]
fn unterminated_dict() {
    let e = stream_err(b"{\xda\x01kN");
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "marshal type code",
            need: 1,
            have: 0
        }
    );
    assert_at(&e, 5);
}

#[test]
fn code_object_with_wrong_field_types_is_an_error_not_a_panic() {
    // A 3.12 code object whose every object field is None.
    let mut body = vec![b'c'];
    body.extend_from_slice(&[0; 20]);
    body.extend_from_slice(b"NNNNNNNN");
    body.extend_from_slice(&[1, 0, 0, 0]);
    body.extend_from_slice(b"NN");
    let file = pyc(3531, &body);
    assert!(PycFile::parse(&file).is_ok());
    let e = roundtrip_bytes(&file).unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::BadCodeField {
            field: "co_code",
            found: "None"
        }
    );
    // Named by the offset of the code object.
    assert_at(&e, 16);
    let v = verify_bytes(&file).unwrap();
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    assert!(pyopt::dis::disassemble(&file, None).is_err());
}

#[test]
fn trailing_bytes_are_kept() {
    let m = round_trip(b"Nxyz");
    assert_eq!(m.trailing, b"xyz");
}

// -------------------------------------------------- exactness of the codec

#[test]
fn tuple_containing_itself() {
    let data = b"\xa9\x01r\x00\x00\x00\x00";
    let m = round_trip(data);
    assert!(m.arena.node(m.root).flag);
    assert_eq!(tuple_items(&m, m.root), vec![m.root]);
    // The listing code must not loop on it either.
    let mut file = header(3531, 0);
    file.extend_from_slice(data);
    assert!(PycFile::parse(&file).is_ok());
    assert!(!pyopt::dis::repr(&m.arena, m.root, 0).is_empty());
}

#[test]
fn outer_tuple_sharing_an_inner_tuple() {
    // marshal.dumps(((t, t), t)) with t = (1, 2), from CPython 3.12.
    let data = b")\x02)\x02\xa9\x02\xe9\x01\x00\x00\x00\xe9\x02\x00\x00\x00r\x00\x00\x00\x00r\x00\x00\x00\x00";
    let m = round_trip(data);
    let outer = tuple_items(&m, m.root);
    let pair = tuple_items(&m, outer[0]);
    assert_eq!(pair[0], pair[1]);
    assert_eq!(pair[0], outer[1]);
    assert!(m.arena.node(pair[0]).flag);
    let t = tuple_items(&m, pair[0]);
    assert_eq!(m.arena.value(t[0]), &Value::Int(1));
    assert_eq!(m.arena.value(t[1]), &Value::Int(2));
    // Refs to the inner ints (slots 1 and 2) resolve as well.
    let data =
        b")\x03\xa9\x02\xe9\x01\x00\x00\x00\xe9\x02\x00\x00\x00r\x02\x00\x00\x00r\x01\x00\x00\x00";
    let m = round_trip(data);
    let items = tuple_items(&m, m.root);
    let inner = tuple_items(&m, items[0]);
    assert_eq!(items[1], inner[1]);
    assert_eq!(items[2], inner[0]);
}

#[test]
fn flag_on_none_is_kept() {
    let m = round_trip(b"\xce");
    assert!(m.arena.node(m.root).flag);
    assert_eq!(m.arena.value(m.root), &Value::None);
    let m = round_trip(b")\x04\xceN\xd4T");
    let flags: Vec<bool> = tuple_items(&m, m.root)
        .iter()
        .map(|&k| m.arena.node(k).flag)
        .collect();
    assert_eq!(flags, [true, false, true, false]);
    // A flagged None between two flagged ints does not shift the slots.
    round_trip(b")\x04\xe9\x01\x00\x00\x00\xce\xe9\x02\x00\x00\x00r\x01\x00\x00\x00");
}

#[test]
fn empty_frozenset_takes_its_slot_at_once() {
    let m = round_trip(b")\x02\xbe\x00\x00\x00\x00r\x00\x00\x00\x00");
    let items = tuple_items(&m, m.root);
    assert_eq!(items[0], items[1]);
    assert!(matches!(m.arena.value(items[0]), Value::FrozenSet(i) if i.len == 0));
}

#[test]
fn non_empty_frozenset_reserves_its_slot() {
    // (frozenset({7}), <ref 0>, <ref 1>): the frozenset owns slot 0, its
    // element slot 1, although the element is read first.
    let data = b")\x03\xbe\x01\x00\x00\x00\xe9\x07\x00\x00\x00r\x00\x00\x00\x00r\x01\x00\x00\x00";
    let m = round_trip(data);
    let items = tuple_items(&m, m.root);
    assert_eq!(items[0], items[1]);
    assert!(matches!(m.arena.value(items[0]), Value::FrozenSet(i) if i.len == 1));
    assert_eq!(m.arena.value(items[2]), &Value::Int(7));
    // While it is being read, its slot cannot be referenced.
    let e = stream_err(b"\xbe\x01\x00\x00\x00r\x00\x00\x00\x00");
    assert_eq!(e.kind, ErrorKind::InvalidRef { index: 0, slots: 1 });
    assert_at(&e, 5);
    // A set (`<`) numbers its slot before its items and may hold itself.
    let m = round_trip(b"\xbc\x01\x00\x00\x00r\x00\x00\x00\x00");
    assert!(matches!(m.arena.value(m.root), Value::Set(_)));
}

#[test]
fn every_string_kind_and_legacy_number_codes() {
    // a A z Z u t, then `I` (int64), `f` (text float) and `x` (text complex)
    // as CPython's marshal version 1 writes them.
    let data = b"(\x09\x00\x00\x00a\x03\x00\x00\x00abcA\x03\x00\x00\x00defz\x02hiZ\x02you\x06\x00\x00\x00h\xc3\xa9llot\x05\x00\x00\x00\xc3\xbcn\xc3\xafI\x01\x00\x00\x00\x02\x00\x00\x00f\x031.5x\x011\x032.5";
    let m = round_trip(data);
    let items = tuple_items(&m, m.root);
    let kinds: Vec<StrKind> = items[..6]
        .iter()
        .map(|&k| match m.arena.value(k) {
            Value::Str(kind, _) => *kind,
            other => panic!("not a str: {other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            StrKind::Ascii,
            StrKind::AsciiInterned,
            StrKind::ShortAscii,
            StrKind::ShortAsciiInterned,
            StrKind::Unicode,
            StrKind::Interned
        ]
    );
    assert_eq!(m.arena.as_string(items[4]).unwrap(), "héllo");
    assert_eq!(
        m.arena.value(items[6]),
        &Value::Int64(0x0000_0002_0000_0001)
    );
    assert!(matches!(m.arena.value(items[7]), Value::FloatText(t) if &t[..] == b"1.5"));
    assert!(
        matches!(m.arena.value(items[8]), Value::ComplexText(re, im) if &re[..] == b"1" && &im[..] == b"2.5")
    );
    // The same strings flagged (each numbers a slot), then referenced back.
    let data = b"\xa8\x08\x00\x00\x00\xe1\x03\x00\x00\x00abc\xc1\x03\x00\x00\x00def\xfa\x02hi\xda\x02yo\xf5\x06\x00\x00\x00h\xc3\xa9llo\xf4\x05\x00\x00\x00\xc3\xbcn\xc3\xafr\x06\x00\x00\x00r\x01\x00\x00\x00";
    let m = round_trip(data);
    let items = tuple_items(&m, m.root);
    assert_eq!(items[6], items[5]);
    assert_eq!(items[7], items[0]);
    // The binary float/complex codes, long and int.
    round_trip(b"\xe7\x00\x00\x00\x00\x00\x00\xf8?");
    round_trip(b"\xf9\x00\x00\x00\x00\x00\x00\x08\xc0\x00\x00\x00\x00\x00\x00\xd0?");
    round_trip(b"l\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04");
    round_trip(b"\xec\xfd\xff\xff\xff\x00\x00\x00\x00\x00\x04");
    round_trip(b"i\xff\xff\xff\xff");
    // Empty short and long strings.
    round_trip(b")\x03z\x00a\x00\x00\x00\x00u\x00\x00\x00\x00");
}

#[test]
fn string_payloads_that_run_past_the_end() {
    let e = stream_err(b"z\x05abc");
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            what: "str",
            need: 5,
            have: 3
        }
    );
    assert_at(&e, 2);
    let e = stream_err(b"f\x09123");
    assert!(matches!(
        e.kind,
        ErrorKind::Truncated {
            need: 9,
            have: 3,
            ..
        }
    ));
    assert_at(&e, 2);
    let e = stream_err(b"x\x011\x05");
    assert!(matches!(
        e.kind,
        ErrorKind::Truncated {
            need: 5,
            have: 0,
            ..
        }
    ));
    assert_at(&e, 4);
    let e = stream_err(b"g\x00\x00\x00");
    assert!(matches!(
        e.kind,
        ErrorKind::Truncated {
            what: "float",
            need: 8,
            have: 3
        }
    ));
    assert_at(&e, 1);
}

#[test]
fn real_body_reencodes_identically() {
    // A module decoded from a real file re-encodes to the same bytes through
    // the public marshal API too.
    let m = marshal::decode_module(&SMALL_PYC_312[16..], PyVersion::V3_12, 16).unwrap();
    let mut out = Vec::new();
    marshal::encode_module(&m, PyVersion::V3_12, &mut out).unwrap();
    assert_eq!(out, &SMALL_PYC_312[16..]);
}

// ---------------------------------------------------- bytecode-level damage

/// Runs `f` on another thread and fails if it does not finish in time (a
/// regression here would otherwise hang, allocating, until killed).
fn within<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(secs))
        .expect("did not finish in time")
}

#[test]
fn loop_that_underflows_the_stack_terminates() {
    // `POP_TOP; NOP; POP_TOP; JUMP_BACKWARD -> NOP`: every turn of the loop
    // is one deeper below 0. The stack walk once treated a negative depth as
    // "not reached yet" and went round forever, growing its problem list.
    // Made with CPython's `code.replace(co_code=...)` for 3.12 and 3.9
    // (`JUMP_ABSOLUTE` there).
    const PY312: &[u8] = b"\xcb\x0d\x0d\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xe3\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xf3\x08\x00\x00\x00\x01\x00\x09\x00\x01\x00\x8c\x03\xa9\x01N\xa9\x00r\x03\x00\x00\x00\xf3\x00\x00\x00\x00\xfa\x04m.py\xfa\x08<module>r\x06\x00\x00\x00\x01\x00\x00\x00r\x04\x00\x00\x00r\x04\x00\x00\x00";
    const PY39: &[u8] = b"a\x0d\x0d\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xe3\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00@\x00\x00\x00\xf3\x08\x00\x00\x00\x01\x00\x09\x00\x01\x00q\x02\xa9\x01N\xa9\x00r\x03\x00\x00\x00r\x03\x00\x00\x00r\x03\x00\x00\x00\xfa\x04m.py\xda\x08<module>\x01\x00\x00\x00\xf3\x00\x00\x00\x00";
    for data in [PY312, PY39] {
        let (rt, v) = within(5, move || (roundtrip_bytes(data), verify_bytes(data)));
        // Not identical: the hand-made line table is empty.
        rt.unwrap();
        let v = v.unwrap();
        assert!(
            v.problems.iter().any(|p| p.contains("underflows")),
            "{:?}",
            v.problems
        );
        assert!(v.problems.len() < 10, "{:?}", v.problems);
        within(5, move || pyopt::dis::disassemble(data, None)).unwrap();
    }
}

#[test]
fn huge_first_line_number_does_not_overflow() {
    // co_firstlineno at offset 91 of the small 3.12 file; its location
    // table starts one line above it (RESUME), so i32::MIN wraps. Line
    // arithmetic wraps like CPython's C ints instead of panicking.
    let mut file = SMALL_PYC_312.to_vec();
    assert_eq!(&file[91..95], b"\x01\x00\x00\x00");
    for first in [i32::MAX, i32::MIN, -1, 0] {
        file[91..95].copy_from_slice(&first.to_le_bytes());
        let rt = roundtrip_bytes(&file).unwrap();
        // Lines that come out negative read as "no line", as in CPython's
        // writer, so only the positive case is byte-identical.
        if first == i32::MAX {
            assert!(rt.identical, "firstlineno {first}: {rt:?}");
        }
        verify_bytes(&file).unwrap();
        pyopt::dis::disassemble(&file, None).unwrap();
    }
}
