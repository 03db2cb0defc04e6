//! `pyopt passes [--explain NAME]`: the passes, their levels, versions and
//! documentation.

use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Args;

use pyopt::opt as pipeline;
use pyopt::version::PyVersion;

#[derive(Args)]
pub struct PassesArgs {
    /// Print the full documentation of one pass.
    #[arg(long, value_name = "NAME")]
    explain: Option<String>,
}

/// `pyopt passes [--explain NAME]`.
pub fn run(args: PassesArgs) -> Result<ExitCode> {
    let explain = args.explain.as_deref();
    let registry = pyopt::passes::registry();
    if let Some(name) = explain {
        let Some(p) = pyopt::passes::find(name) else {
            let valid: Vec<&str> = registry.iter().map(|p| p.name()).collect();
            bail!(
                "unknown pass \"{name}\" (valid: {})",
                if valid.is_empty() {
                    "none yet".to_string()
                } else {
                    valid.join(", ")
                }
            );
        };
        outln!(
            "{} (level {}, CPython {})\n",
            p.name(),
            p.level(),
            versions_of(p)
        );
        outln!("{}", pipeline::doc_text(p));
        return Ok(ExitCode::SUCCESS);
    }
    if registry.is_empty() {
        outln!("No optimization pass is available yet: `pyopt optimize` decodes, verifies and");
        outln!("re-encodes every code object, and leaves every file byte-identical.");
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{:<28} {:<11} {:<10} summary", "pass", "level", "versions");
    for p in registry {
        outln!(
            "{:<28} {:<11} {:<10} {}",
            p.name(),
            p.level().to_string(),
            versions_of(*p),
            pipeline::summary(*p)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn versions_of(p: &dyn pipeline::Pass) -> String {
    let v: Vec<PyVersion> = PyVersion::ALL
        .into_iter()
        .filter(|v| p.supports(*v))
        .collect();
    // A contiguous run of versions is a range ("3.12-3.14").
    let contiguous = v.windows(2).all(|w| w[1].minor() == w[0].minor() + 1);
    match (v.first(), v.last()) {
        (Some(a), Some(b)) if contiguous && a != b => format!("{a}-{b}"),
        _ => v
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(","),
    }
}
