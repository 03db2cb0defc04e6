//! `pyopt dis FILE.pyc [--function NAME]`: the instruction IR of a `.pyc`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

#[derive(Args)]
pub struct DisArgs {
    file: PathBuf,
    /// Only code objects whose qualified name contains this text.
    #[arg(long)]
    function: Option<String>,
}

pub fn run(args: DisArgs) -> Result<ExitCode> {
    let file = &args.file;
    let data = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = pyopt::dis::disassemble(&data, args.function.as_deref())
        .with_context(|| format!("{}", file.display()))?;
    let mut out = std::io::stdout().lock();
    // A closed pipe (`pyopt dis x | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}
