//! Criterion benches of the optimizer on large real modules: CFG build and
//! linearize, each pass alone over a whole file, and the whole `safe` and
//! `aggressive` pipelines.
//!
//! Inputs (`benches/common/inputs.rs`): `typing` of every installed
//! CPython 3.8–3.13 and of the 3.14 corpus, `_pydecimal` of 3.8 and 3.13; a
//! missing one is skipped with a message. A "pass" bench runs `opt::optimize_bytes` with
//! that pass alone, so it includes the per-file work every run does (parse,
//! decode, the pass's precheck on every code object, CFG, verify and encode
//! of the code objects the precheck lets through);
//! compare it with "CFG build + linearize" (of every code object).
//! Run with `cargo bench --bench passes`.

use std::hint::black_box;

#[path = "common/inputs.rs"]
mod inputs;
use inputs::inputs;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use pyopt::cfg::Cfg;
use pyopt::config::Level;
use pyopt::opt::{Debug, Pipeline};
use pyopt::roundtrip::PycFile;

/// The passes of the registry that run at `level` (opt-in ones never).
fn passes_at(level: Level) -> Vec<&'static str> {
    pyopt::passes::infos()
        .into_iter()
        .filter(|p| p.level <= level)
        .map(|p| p.name)
        .collect()
}

fn bench_passes(c: &mut Criterion) {
    for (label, data) in inputs() {
        let mut g = c.benchmark_group(label);
        g.throughput(Throughput::Bytes(data.len() as u64));

        let file = PycFile::parse(&data).expect("parse");
        let irs: Vec<_> = file
            .code_ids()
            .map(|id| file.decode_code(id).expect("decode IR"))
            .collect();
        g.bench_function("CFG build + linearize (all code objects)", |b| {
            b.iter(|| {
                let mut total = 0;
                for ir in &irs {
                    let cfg = Cfg::build(ir);
                    total += cfg.linearize().expect("linearize").instrs.len();
                }
                black_box(total)
            })
        });

        for pass in passes_at(Level::Aggressive) {
            let version = file.version();
            let supported = pyopt::passes::find(pass).is_some_and(|p| p.supports(version));
            if !supported {
                continue;
            }
            let pipeline = Pipeline::new(&[pass], Debug::default()).with_level(Level::Aggressive);
            g.bench_function(format!("pass {pass} (whole file)"), |b| {
                b.iter(|| {
                    let (report, out) =
                        pyopt::opt::optimize_bytes(&data, &pipeline, false).expect("optimize");
                    black_box((report.changed_code_objects, out.map(|o| o.len())))
                })
            });
        }

        for (name, level) in [("safe", Level::Safe), ("aggressive", Level::Aggressive)] {
            let enabled = passes_at(level);
            let pipeline = Pipeline::new(&enabled, Debug::default()).with_level(level);
            g.bench_function(format!("pipeline {name} (whole file)"), |b| {
                b.iter(|| {
                    let (report, out) =
                        pyopt::opt::optimize_bytes(&data, &pipeline, false).expect("optimize");
                    black_box((report.changed_code_objects, out.map(|o| o.len())))
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench_passes);
criterion_main!(benches);
