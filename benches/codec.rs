//! Criterion benches of the codec stages on large real modules: marshal
//! decode, marshal encode, instruction-IR decode, IR encode (co_code, line
//! and exception tables), stack depth, and the whole round trip of a file.
//!
//! Inputs (`benches/common/inputs.rs`): `typing` of every installed
//! CPython 3.8–3.13 and of the 3.14 corpus, `_pydecimal` of 3.8 and 3.13; a
//! missing one is skipped with a message. Run with `cargo bench --bench codec`.

use std::hint::black_box;

#[path = "common/inputs.rs"]
mod inputs;
use inputs::inputs;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use pyopt::bytecode::{self, CodeIr, Encoded, Scratch, StackReport};
use pyopt::marshal::{self, Recycled};
use pyopt::pyc::{Header, HEADER_LEN};
use pyopt::roundtrip::{roundtrip_with, Depth, PycFile, Workspace};

fn bench_codec(c: &mut Criterion) {
    for (label, data) in inputs() {
        let Ok(header) = Header::parse(&data) else {
            continue;
        };
        let body = &data[HEADER_LEN..];
        let mut g = c.benchmark_group(label);
        g.throughput(Throughput::Bytes(data.len() as u64));

        let mut recycled = Recycled::default();
        g.bench_function("marshal decode", |b| {
            b.iter(|| {
                let m =
                    marshal::decode_module_with(body, header.version, HEADER_LEN, &mut recycled)
                        .expect("decode");
                let nodes = m.arena.nodes.len();
                recycled.recycle(m);
                black_box(nodes)
            })
        });

        let module = marshal::decode_module(body, header.version, HEADER_LEN).expect("decode");
        let mut out = Vec::with_capacity(data.len());
        g.bench_function("marshal encode", |b| {
            b.iter(|| {
                out.clear();
                marshal::encode_module(&module, header.version, &mut out).expect("encode");
                black_box(out.len())
            })
        });

        let file = PycFile::parse(&data).expect("parse");
        let ids: Vec<_> = file.code_ids().collect();
        let mut scratch = Scratch::default();
        let mut ir = CodeIr::new(header.version);
        g.bench_function("IR decode (all code objects)", |b| {
            b.iter(|| {
                let mut total = 0;
                for &id in &ids {
                    file.decode_code_into(id, &mut ir, &mut scratch)
                        .expect("decode IR");
                    total += ir.instrs.len();
                }
                black_box(total)
            })
        });

        let irs: Vec<CodeIr> = ids
            .iter()
            .map(|&id| file.decode_code(id).expect("decode IR"))
            .collect();
        let mut enc = Encoded::default();
        g.bench_function("IR encode (all code objects)", |b| {
            b.iter(|| {
                let mut total = 0;
                for ir in &irs {
                    bytecode::encode_into(ir, &mut scratch, &mut enc).expect("encode IR");
                    total += enc.code.len();
                }
                black_box(total)
            })
        });

        let flags: Vec<i32> = ids
            .iter()
            .map(|&id| file.module.arena.code(id).flags)
            .collect();
        let mut report = StackReport::default();
        g.bench_function("stack depth (all code objects)", |b| {
            b.iter(|| {
                let mut total = 0;
                for (ir, &f) in irs.iter().zip(&flags) {
                    bytecode::stack_depth_into(ir, f, &mut scratch, &mut report);
                    total += report.max_depth;
                }
                black_box(total)
            })
        });

        let mut ws = Workspace::default();
        g.bench_function("whole round trip", |b| {
            b.iter(|| {
                let rt = roundtrip_with(&data, &mut ws, Depth::Instructions).expect("roundtrip");
                assert!(rt.identical);
                black_box(rt.code_objects)
            })
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_codec
}
criterion_main!(benches);
